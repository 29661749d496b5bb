"""The viewers of the sweeps over every route (authorization, CSRF, random posts, XSS): an app
per test module holding the two parties of tests/factories/parties.py, a session per viewer, and
what each viewer must never see."""

from __future__ import annotations

import gzip
import hashlib
import html
import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import select

from assess.db import db
from tests.conftest import PASSWORD, base_config, close_app, csrf_token, fresh_app
from tests.factories import PARTIES, World, two_parties


@contextmanager
def setting(
    tmp_path,
    database_url: str | None,
    password_hash: str,
    *,
    names: dict[str, str] | None = None,
    free_text: Callable[[str], str] | None = None,
    then: Callable[[World], None] | None = None,
    **config,
) -> Iterator[tuple]:
    """(app, world, cookies): an app on its own database holding the two parties, and a session
    cookie per viewer. `then(world)` adds to the world, in the app context, before the logins."""
    app = fresh_app({**base_config(tmp_path, database_url), **config}, database_url)
    with app.app_context():
        world = two_parties(password_hash, names=names, free_text=free_text)
        if then:
            then(world)
            db.session.commit()
    try:
        yield app, world, sessions(app, world)
    finally:
        close_app(app)


def login(app, email: str):
    client = app.test_client()
    data = {"email": email, "password": PASSWORD}
    if app.config["WTF_CSRF_ENABLED"]:
        data["csrf_token"] = csrf_token(client.get("/auth/login").text)
    response = client.post("/auth/login", data=data)
    assert response.status_code == 302, f"login of {email} failed"
    return client.get_cookie("assess_session").value


def enter(app, token: str):
    client = app.test_client()
    assert client.get(f"/s/{token}").status_code == 302
    return client.get_cookie("assess_session").value


VIEWERS = (
    "anonymous",
    "participant",
    "other_participant",
    "trainer",
    "other_trainer",
    "manager",
    "other_manager",
    "admin",
)


def sessions(app, world: World) -> dict[str, str | None]:
    """A session cookie per viewer. The URLs are always filled with party A's objects, so
    "trainer" is A's own trainer and "other_trainer" is B's."""
    return {
        "anonymous": None,
        "participant": enter(app, world.tokens["a1"]),
        "other_participant": enter(app, world.tokens["b1"]),
        "trainer": login(app, "trainer-a@example.nl"),
        "other_trainer": login(app, "trainer-b@example.nl"),
        "manager": login(app, "manager-a@example.nl"),
        "other_manager": login(app, "manager-b@example.nl"),
        "admin": login(app, "beheer@example.nl"),
    }


def client_as(app, cookie: str | None):
    """A fresh client carrying the viewer's session, so no request changes the next one's."""
    client = app.test_client()
    if cookie:
        client.set_cookie("assess_session", cookie)
    return client


SKIPPED = ("audit_event", "sector_summary", "report_release", "release_member")


def fingerprint(skip: tuple[str, ...] = SKIPPED) -> dict[str, str]:
    """A digest of every row of every table (updated_at columns included), per table.

    The audit trail is skipped by default: staff reads of personal results are logged on
    purpose, so a GET may add audit rows; the stored sector sums are a derived cache the
    manager report refreshes when the data behind it changed; and a manager's report makes
    the releases that are due when it is read (assess/reports/organisation/releases.py).
    Nothing else may change.
    """
    digests = {}
    for table in db.metadata.sorted_tables:
        if table.name in skip:
            continue
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        digests[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    db.session.remove()
    return digests


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(name for name in before if before[name] != after.get(name))


def body_text(response) -> str:
    """The response as text, with XLSX workbooks unzipped so their cells can be searched."""
    data = response.get_data()
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            data = b"".join(archive.read(name) for name in archive.namelist())
        return html.unescape(data.decode("utf-8", "replace"))
    if response.headers.get("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    return data.decode("utf-8", "replace")


def forbidden_strings(world: World, viewer: str) -> set[str]:
    """What a viewer must never see: other people's names, addresses and answers."""
    everyone = [k for p in PARTIES for k in world.party(p)]
    visible = {
        "participant": ["a1"],
        "other_participant": ["b1"],
        "trainer": world.party("a"),
        "other_trainer": world.party("b"),
        "admin": everyone,
    }.get(viewer, [])
    hidden = world.strings_of(*(k for k in everyone if k not in visible))
    # A goal's words are the participant's own: the trainer reads only the shared ones (A2's
    # and B2's), the admin all of them (the personal-data export).
    own_goals = {
        "participant": ["a1"],
        "other_participant": ["b1"],
        "trainer": ["a2"],
        "other_trainer": ["b2"],
        "admin": everyone,
    }.get(viewer, [])
    return hidden | {world.goals[k] for k in everyone if k not in own_goals}
