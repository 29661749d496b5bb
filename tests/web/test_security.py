"""Hardened responses: headers, cookies, caching, trusted hosts and the links the app prints."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from flask import send_file

from assess import create_app
from assess.db import db
from assess.models import Participant, User
from assess.web.passwords import common_passwords, password_problem
from assess.web.security import external_url
from tests.conftest import PASSWORD, PRODUCTION

PACKAGE = Path(__file__).resolve().parents[2] / "assess"


@pytest.fixture
def production_app(app_config):
    # The test client calls itself "localhost".
    app_config.update(PRODUCTION)
    app = create_app(app_config)
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def trainer(make_user):
    return make_user("trainer", "trainer@example.nl")


def session_cookie(response) -> str:
    return next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("assess_session"))


def test_session_cookie_is_httponly_and_samesite_lax(client, auth, trainer):
    cookie = session_cookie(auth.login("trainer@example.nl"))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_is_secure_in_production(production_app, password_hash):
    with production_app.app_context():
        db.session.add(User(email="t@example.nl", role="trainer", password_hash=password_hash))
        db.session.commit()
    response = production_app.test_client().post(
        "/auth/login", data={"email": "t@example.nl", "password": PASSWORD}
    )
    assert response.status_code == 302
    cookie = session_cookie(response)
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_hsts_only_in_production(client, production_app):
    assert "Strict-Transport-Security" not in client.get("/auth/login").headers
    hsts = production_app.test_client().get("/auth/login").headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts


@pytest.mark.parametrize(
    "path", ["/auth/login", "/bestaat-niet", "/healthz", "/static/css/app.css"]
)
def test_security_headers_on_every_kind_of_response(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_signed_in_pages_are_never_stored(client, auth, trainer):
    auth.login("trainer@example.nl")
    assert client.get("/trainer/").headers["Cache-Control"] == "no-store"


def test_exports_sent_as_files_are_never_stored(app, client, auth, trainer):
    @app.get("/test-export")
    def test_export():
        return send_file(io.BytesIO(b"a;b\n"), download_name="x.csv", as_attachment=True)

    auth.login("trainer@example.nl")
    response = client.get("/test-export")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("attachment")


def test_public_assets_stay_cacheable_for_signed_in_staff(client, auth, trainer):
    auth.login("trainer@example.nl")
    assert "max-age" in client.get("/vendor/plotly.min.js").headers["Cache-Control"]


def test_a_foreign_host_header_is_refused_when_trusted_hosts_is_set(app_config):
    app_config["TRUSTED_HOSTS"] = "zelfscan.test, www.zelfscan.test"
    client = create_app(app_config).test_client()
    refused = client.get("/auth/login", headers={"Host": "evil.example"})
    assert refused.status_code == 400
    assert "hoort niet bij deze site" in refused.text
    assert client.get("/auth/login", headers={"Host": "www.zelfscan.test"}).status_code == 200


def test_links_are_built_on_base_url_not_on_a_forged_host_header(app):
    with app.test_request_context("/", headers={"Host": "evil.example"}):
        link = external_url("participant.enter", token="abc")
    assert link == "http://zelfscan.test/s/abc"


def test_the_cli_link_uses_base_url(app, runner, make_user):
    from tests import factories as make

    with app.app_context():
        from assess.cli import link_for

        org = make.organisation("Org")
        trainer = make.staff("trainer", "t2@example.nl", "x")
        person = make.respondent(
            make.running_cohort(trainer, "C"), org, "P", "p@example.nl", moments=()
        )
        assert link_for(person).startswith("http://zelfscan.test/s/")


def test_no_code_builds_links_on_the_request_host():
    """Every absolute link goes through security.external_url, which pins BASE_URL."""
    offenders = [
        str(path.relative_to(PACKAGE.parent))
        for path in PACKAGE.rglob("*.py")
        if "_external=True" in path.read_text() and path.name != "security.py"
    ]
    templates = PACKAGE.parent / "templates"
    offenders += [
        str(path.relative_to(PACKAGE.parent))
        for path in templates.rglob("*.html")
        if "_external" in path.read_text()
    ]
    assert not offenders, f"use security.external_url instead of _external=True in {offenders}"


def test_common_password_list_is_large_and_blocks_the_usual_suspects(app):
    assert len(common_passwords()) > 5000
    with app.test_request_context():
        for weak in ("Password1", "welkom2024", "Wachtwoord123", "qwertyuiop", "Feyenoord1908"):
            assert password_problem(weak) is not None, weak
        assert password_problem("fiets-regen-tulp-molen") is None


@pytest.mark.parametrize(
    "token",
    [
        "' OR '1'='1",
        "x' UNION SELECT token_hash FROM participant--",
        "%00",
        "a" * 5000,
        "../../etc/passwd",
        "<script>alert(1)</script>",
    ],
)
def test_hostile_link_tokens_find_no_one_and_show_nothing(client, token):
    response = client.get(f"/s/{token}")
    assert response.status_code == 404
    assert "<script>alert(1)</script>" not in response.text
    with client.session_transaction() as session:
        assert "participant" not in session


def test_a_link_token_has_at_least_128_bits_and_only_its_hash_is_stored(app, password_hash):
    from assess.survey import tokens
    from tests import factories as make

    with app.app_context():
        org = make.organisation("Org")
        group = make.running_cohort(make.staff("trainer", "t@example.nl", password_hash), "C")
        person = make.respondent(group, org, "P", "p@example.nl", moments=())
        token = tokens.current_token(person)
        assert len(token) * 6 >= 128
        stored = [
            str(v) for v in db.session.execute(db.select(Participant)).one()[0].__dict__.values()
        ]
        assert token not in " ".join(stored)
        assert tokens.find(token).id == person.id
        tokens.revoke(person)
        assert tokens.find(token) is None


@pytest.mark.parametrize(
    "path",
    [
        "/trainer/cohorten/99999999999999999999999",
        "/trainer/cohorten/2147483648",
        "/beheer/accounts/9223372036854775808",
        "/beheer/organisaties/2147483648",
    ],
)
def test_ids_beyond_what_the_database_holds_are_404_not_500(client, auth, make_user, path):
    make_user("admin", "beheer@example.nl")
    auth.login("beheer@example.nl")
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/beheer/itemanalyse?cohort=99999999999999999999",
        "/beheer/itemanalyse.xlsx?cohort=2147483648",
        "/trainer/vergelijken?cohort=1&cohort=99999999999999999999",
    ],
)
def test_ids_beyond_what_the_database_holds_in_a_query_string_are_404_not_500(
    client, auth, make_user, path
):
    make_user("admin", "beheer@example.nl")
    auth.login("beheer@example.nl")
    assert client.get(path).status_code == 404


def test_a_cohort_id_that_is_no_number_gets_a_dutch_message(client, auth, make_user):
    make_user("admin", "beheer@example.nl")
    auth.login("beheer@example.nl")
    response = client.get("/beheer/itemanalyse?cohort=%C2%B2")
    assert response.status_code == 200
    assert "Kies cohorten uit de lijst." in response.text


@pytest.mark.parametrize("organisation", ["99999999999999999999", "²", "1; DROP TABLE user", "-1"])
def test_a_forged_organisation_id_gets_a_dutch_message(client, auth, make_user, organisation):
    make_user("admin", "beheer@example.nl")
    auth.login("beheer@example.nl")
    data = {"email": "n@example.nl", "name": "N", "role": "manager", "organisation": organisation}
    response = client.post("/beheer/accounts/nieuw", data=data)
    assert response.status_code == 200
    assert "Kies een corporatie uit de lijst." in response.text


def test_a_nul_character_in_a_form_is_replaced_not_a_500(client, auth, make_user):
    make_user("admin", "beheer@example.nl")
    auth.login("beheer@example.nl")
    response = client.post("/beheer/organisaties", data={"name": "Woon\x00stichting"})
    assert response.status_code in (200, 302)
    assert client.get("/beheer/organisaties").status_code == 200


def test_login_and_inloggen_lead_to_the_login_page(client):
    for path in ("/login", "/inloggen", "/login?next=/trainer/"):
        response = client.get(path)
        assert response.status_code == 301
        assert response.headers["Location"].startswith("/auth/login")
    assert client.get("/login?next=/trainer/").headers["Location"] == "/auth/login?next=/trainer/"
    assert "Inloggen" in client.get("/login", follow_redirects=True).text
