"""Two instances behind one TLS proxy, on PostgreSQL and Redis: nginx hands requests to them in
turn, so a participant and a trainer who keep working across both — and across losing one —
show that the app keeps no state in process memory. Rate limits are counted in Redis, so
they hold across both instances."""

from __future__ import annotations

import contextlib
import os
import socket
import uuid
from urllib.parse import urlsplit

import pytest

from assess import create_app
from assess.db import db
from assess.models import Answer, Response
from assess.survey import forms as survey_forms
from assess.survey import responses
from benchmarks.harness import Gunicorn, Nginx, free_port
from tests.browser.conftest import click_and_load
from tests.browser.test_participant_journey import answer_page
from tests.deploy.conftest import SECRET_KEY, HttpsClient, production_env, seed
from tests.deploy.test_proxy import log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.real_clock]

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")
LOGIN_LIMIT = 3


def redis_up() -> bool:
    parts = urlsplit(REDIS_URL)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def two_instances(tmp_path, instance_folder, password_hash, empty_database_url):
    """(https base URL, token, [first, second] gunicorn, database URL)."""
    if not empty_database_url.startswith("postgresql"):
        pytest.skip("two instances share PostgreSQL: run with DATABASE_URL=postgresql+psycopg://…")
    if not redis_up():
        pytest.skip(f"no Redis at {REDIS_URL}")
    (token,) = seed(empty_database_url, 1, password_hash)
    prefix = f"deploy-test-{uuid.uuid4().hex[:8]}"
    port = free_port()
    servers = [
        Gunicorn(
            production_env(
                port,
                empty_database_url,
                instance_folder(
                    f"instance-{n}",
                    LOGIN_RATE_LIMIT=f"{LOGIN_LIMIT} per minute",
                    RATELIMIT_KEY_PREFIX=prefix,
                ),
                RATELIMIT_STORAGE_URI=REDIS_URL,
            ),
            workers=1,
            log=tmp_path / f"gunicorn-{n}.log",
        )
        for n in (1, 2)
    ]
    with contextlib.ExitStack() as stack:
        for server in servers:
            stack.callback(server.stop)
            server.start()
        for server in servers:
            server.ready()
        proxy = stack.enter_context(Nginx(tmp_path / "nginx", [s.port for s in servers], port))
        yield proxy.url, token, servers, empty_database_url
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)


def upstream(server: Gunicorn) -> str:
    return f"127.0.0.1:{server.port}"


def test_a_survey_and_a_trainer_carry_on_across_two_instances_and_the_loss_of_one(
    context_https, two_instances
):
    base, token, (first, second), database_url = two_instances
    answered_by: list[str] = []

    def track(page):
        page.on("response", lambda r: answered_by.append(r.headers.get("x-upstream", "")))
        return page

    trainer = track(context_https().new_page())
    log_in(trainer, base)
    assert trainer.url == base + "/trainer/"
    participant = track(context_https().new_page())
    participant.goto(f"{base}/s/{token}")
    click_and_load(participant, "text=Begin met invullen")
    for _ in range(2):
        answer_page(participant)
        click_and_load(participant, "button[value=next]")
        trainer.reload()
        assert trainer.url == base + "/trainer/"  # still signed in, whichever instance answers
    assert participant.url.endswith("/deelnemer/intake/pagina/3")
    assert {upstream(first), upstream(second)} <= set(answered_by)

    # Failed logins counted in Redis: once the limit is reached, both instances refuse.
    client = HttpsClient(base)
    _status, page, _by = client.request("/auth/login")
    form = {"csrf_token": HttpsClient.token(page), "email": "x@example.nl", "password": "fout"}
    tries = [client.request("/auth/login", form, referer="/auth/login") for _ in range(6)]
    assert [status for status, _page, _by in tries] == [200] * LOGIN_LIMIT + [429] * 3
    assert {by for status, _page, by in tries if status == 429} == {
        upstream(first),
        upstream(second),
    }

    # One instance goes away in the middle of a page; the other carries on.
    answer_page(participant)
    first.stop()
    answered_by.clear()
    click_and_load(participant, "button[value=next]")
    while "/pagina/" in participant.url:
        answer_page(participant)
        click_and_load(participant, "button[value=next]")
    assert participant.url.endswith("/deelnemer/intake/controle")
    click_and_load(participant, "text=Antwoorden indienen")
    assert "al ingediend" in participant.inner_text("main")
    trainer.reload()
    assert trainer.url == base + "/trainer/"
    assert "100" in trainer.inner_text("tbody")
    # nginx tried the stopped instance once ("first, second" in $upstream_addr) and passed
    # the request on; every answer since came from the second.
    assert {by.split(", ")[-1] for by in answered_by} == {upstream(second)}

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        (response,) = db.session.scalars(db.select(Response)).all()
        stored = set(
            db.session.scalars(db.select(Answer.item_id).where(Answer.response_id == response.id))
        )
        sections = survey_forms.pages(responses.questionnaire_of(response), "intake")
        db.session.remove()
        db.engine.dispose()
    assert response.status == "submitted"
    # Every item of every page was stored, those answered before the loss included.
    assert [s.id for s in sections if {i.id for i in s.items} - stored] == []
