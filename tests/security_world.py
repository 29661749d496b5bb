"""A two-party world for the authorization, CSRF and XSS tests, built once per test module.

Party A: organisation Alfa, trainer A with cohort A, manager A, participants A1…A6.
Party B: the same for Beta. Plus one admin. Every participant has submitted intake and exit
with a recognisable free-text answer, so a page that leaks someone's data is easy to spot.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import io
import re
import zipfile
from dataclasses import dataclass, field

from sqlalchemy import select

from assess.db import db
from assess.survey import tokens
from tests import security_factories as make
from tests.conftest import PASSWORD, base_config, close_app, fresh_app

PEOPLE_PER_PARTY = 6
PARTIES = {"a": "Alfa", "b": "Beta"}


@dataclass
class World:
    ids: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    # Per participant key ("a1"): their name, e-mail address and free-text answer.
    secrets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)

    def strings_of(self, *keys: str) -> set[str]:
        return {s for key in keys for s in self.secrets[key]}

    def party(self, p: str) -> list[str]:
        return [f"{p}{n}" for n in range(1, PEOPLE_PER_PARTY + 1)]


def build_app(tmp_path, database_url, **config):
    return fresh_app({**base_config(tmp_path, database_url), **config}, database_url)


dispose = close_app


def build(password_hash: str, names: dict[str, str] | None = None, free_text=None) -> World:
    """Create the world in the current app context. `names` overrides participant names
    (key "a1" …) and `free_text(key)` the free-text answer, for the XSS corpus."""
    names = names or {}
    world = World()
    world.ids["admin"] = make.staff("admin", "beheer@example.nl", password_hash, "Bea Beheer").id
    for p, word in PARTIES.items():
        org = make.organisation(names.get(f"org_{p}", f"Woonstichting {word}"))
        trainer = make.staff("trainer", f"trainer-{p}@example.nl", password_hash, f"Trainer {word}")
        manager = make.staff(
            "manager", f"manager-{p}@example.nl", password_hash, f"Manager {word}", org=org
        )
        group = make.cohort(names.get(f"cohort_{p}", f"Leergang {word}"), trainer)
        world.ids |= {
            f"org_{p}": org.id,
            f"trainer_{p}": trainer.id,
            f"manager_{p}": manager.id,
            f"cohort_{p}": group.id,
        }
        for n in range(1, PEOPLE_PER_PARTY + 1):
            key = f"{p}{n}"
            name = names.get(key, f"{word}deelnemer Nummer{n}")
            email = f"{word.lower()}.deelnemer{n}@{word.lower()}.example.nl"
            text = free_text(key) if free_text else f"Vertrouwelijk plan {word} {n}"
            # A1 and B1 are half-way through their exit, so survey pages have a draft to show.
            person = make.participant(
                group,
                org,
                name,
                email,
                text,
                moments=("intake",) if n == 1 else ("intake", "exit"),
                drafts=("exit",) if n == 1 else (),
                seed=n + (100 if p == "b" else 0),
            )
            world.ids[key] = person.id
            world.tokens[key] = tokens.current_token(person)
            world.secrets[key] = (name, email, text)
            world.emails[key] = email
    db.session.commit()
    return world


CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(page: str) -> str:
    return CSRF_FIELD.search(page).group(1)


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


def fingerprint(skip: tuple[str, ...] = ("audit_event", "sector_summary")) -> dict[str, str]:
    """A digest of every row of every table (updated_at columns included), per table.

    The audit trail is skipped by default: staff reads of personal results are logged on
    purpose, so a GET may add audit rows; and the stored sector sums are a derived cache the
    manager report refreshes when the data behind it changed. Nothing else may change.
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
    return world.strings_of(*(k for k in everyone if k not in visible))
