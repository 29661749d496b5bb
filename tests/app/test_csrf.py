"""CSRF: every state-changing request needs the form's token (Flask-WTF), whoever sends it."""

from __future__ import annotations

import pytest

from tests.app import viewers as sw
from tests.app.test_authorization_matrix import build_url, routes, url_values
from tests.conftest import PASSWORD, csrf_token


@pytest.fixture(scope="module")
def setting(tmp_path_factory, database_url, password_hash):
    tmp = tmp_path_factory.mktemp("csrf")
    with sw.setting(tmp, database_url, password_hash, WTF_CSRF_ENABLED=True) as setting:
        yield setting


def post_routes(app):
    return sorted((r for r in routes(app) if "POST" in r.methods), key=lambda r: r.endpoint)


def test_every_post_without_a_token_is_refused_and_changes_nothing(setting):
    app, world, cookies = setting
    values = url_values(world)
    with app.app_context():
        before = sw.fingerprint(skip=())
    problems = []
    for rule in post_routes(app):
        url = build_url(app, rule, values)
        for viewer in sw.VIEWERS:
            # Fields a real form would send, only the token missing.
            data = {"submit": "1", "moment": "exit", "target": str(values["cohort_id"])}
            response = sw.client_as(app, cookies[viewer]).post(url, data=data)
            if response.status_code != 400:
                problems.append(f"{viewer} POST {url}: {response.status_code}")
            elif "Formulier verlopen" not in response.text:
                problems.append(f"{viewer} POST {url}: 400 without the Dutch explanation")
    with app.app_context():
        changed = sw.changed_tables(before, sw.fingerprint(skip=()))
    assert not problems, "\n".join(problems)
    assert not changed, f"a POST without a CSRF token changed {changed}"


def test_a_token_from_another_session_is_refused(setting):
    app, world, cookies = setting
    thief = sw.client_as(app, cookies["other_trainer"])
    stolen = csrf_token(thief.get("/trainer/").text)
    victim = sw.client_as(app, cookies["trainer"])
    url = f"/trainer/cohorten/{world.ids['cohort_a']}/archiveren"
    assert victim.post(url, data={"csrf_token": stolen}).status_code == 400


def test_logout_needs_a_post_with_token(setting):
    app, _world, cookies = setting
    client = sw.client_as(app, cookies["trainer"])
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/trainer/").status_code == 200


@pytest.mark.parametrize(
    ("referer", "status"),
    [
        ("https://zelfscan.test/auth/login", 302),  # what Referrer-Policy same-origin sends
        (None, 400),  # what no-referrer sent: every login behind HTTPS failed
        ("https://evil.test/auth/login", 400),
        ("http://zelfscan.test/auth/login", 400),  # a downgraded page may not post
    ],
)
def test_secure_posts_need_a_referer_from_this_origin(csrf_app, make_user, referer, status):
    make_user("trainer", "trainer@example.nl")
    client = csrf_app.test_client()
    base = "https://zelfscan.test"
    token = csrf_token(client.get("/auth/login", base_url=base).text)
    headers = {"Referer": referer} if referer else {}
    response = client.post(
        "/auth/login",
        base_url=base,
        headers=headers,
        data={"csrf_token": token, "email": "trainer@example.nl", "password": PASSWORD},
    )
    assert response.status_code == status
