"""Admin: organisations, staff accounts and the audit log from the web interface."""

from __future__ import annotations

import re

import pytest

from assess.db import db
from assess.models import AuditEvent, Organisation, User
from tests.conftest import AuthActions


@pytest.fixture
def admin(make_user, auth):
    user_id = make_user("admin", "beheer@example.nl")
    auth.login("beheer@example.nl")
    return user_id


def actions(app) -> list[str]:
    with app.app_context():
        return db.session.scalars(db.select(AuditEvent.action)).all()


def org_id(app, name: str) -> int:
    with app.app_context():
        return db.session.execute(db.select(Organisation.id).filter_by(name=name)).scalar_one()


def user(app, email: str) -> User:
    with app.app_context():
        found = db.session.execute(db.select(User).filter_by(email=email)).scalar_one()
        db.session.expunge(found)
        return found


def test_admin_creates_renames_and_deactivates_an_organisation(app, client, admin):
    assert client.post("/beheer/organisaties", data={"name": " Woonbron "}).status_code == 302
    oid = org_id(app, "Woonbron")
    assert "Woonbron" in client.get("/beheer/organisaties").text
    client.post(f"/beheer/organisaties/{oid}", data={"name": "Woonbron Zuid"})
    client.post(f"/beheer/organisaties/{oid}/actief")
    with app.app_context():
        org = db.session.get(Organisation, oid)
        assert (org.name, org.active) == ("Woonbron Zuid", False)
    client.post(f"/beheer/organisaties/{oid}/actief")
    assert {
        "organisation_created",
        "organisation_renamed",
        "organisation_deactivated",
        "organisation_activated",
    } <= set(actions(app))


def test_duplicate_or_empty_organisation_name_gets_a_dutch_message(app, client, admin):
    client.post("/beheer/organisaties", data={"name": "Woonbron"})
    text = client.post("/beheer/organisaties", data={"name": "woonbron"}).text
    assert "Er is al een corporatie met deze naam." in text
    assert 'value="woonbron"' in text
    assert "Vul een naam in." in client.post("/beheer/organisaties", data={"name": "  "}).text


def test_admin_creates_a_manager_with_a_generated_password_shown_once(app, client, admin):
    client.post("/beheer/organisaties", data={"name": "Woonbron"})
    oid = org_id(app, "Woonbron")
    response = client.post(
        "/beheer/accounts/nieuw",
        data={"email": "M@Woonbron.nl", "name": "Mia", "role": "manager", "organisation": str(oid)},
    )
    assert response.status_code == 200
    password = re.search(r'<span class="secret">([^<]+)</span>', response.text).group(1)
    created = user(app, "m@woonbron.nl")
    assert (created.role, created.organisation_id) == ("manager", oid)
    assert password not in client.get(f"/beheer/accounts/{created.id}").text
    other = app.test_client()
    first = AuthActions(other).login("m@woonbron.nl", password)
    assert first.headers["Location"] == "/auth/wachtwoord"
    assert other.get("/manager/").headers["Location"] == "/auth/wachtwoord"
    chosen = {
        "current": password,
        "new": "mijn-eigen-wachtwoord",
        "repeat": "mijn-eigen-wachtwoord",
    }
    assert other.post("/auth/wachtwoord", data=chosen).status_code == 302
    assert other.get("/manager/").status_code == 200
    assert "account_created" in actions(app)
    with app.app_context():
        assert password not in " ".join(
            d or "" for d in db.session.scalars(db.select(AuditEvent.detail))
        )


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": "", "name": "X", "role": "trainer"}, "Vul een e-mailadres in."),
        (
            {"email": "geen-adres", "name": "X", "role": "trainer"},
            "Dit is geen geldig e-mailadres.",
        ),
        (
            {"email": "beheer@example.nl", "name": "X", "role": "trainer"},
            "Er is al een account met dit e-mailadres.",
        ),
        (
            {"email": "n@example.nl", "name": "X", "role": "manager"},
            "Een manager hoort bij een corporatie",
        ),
        (
            {"email": "n@example.nl", "name": "X", "role": "trainer", "password": "kort"},
            "minstens 8 tekens",
        ),
        (
            {"email": "n@example.nl", "name": "X", "role": "trainer", "password": "password"},
            "te bekend",
        ),
    ],
)
def test_bad_account_input_gets_dutch_messages_and_keeps_the_typed_values(
    client, admin, data, message
):
    text = client.post("/beheer/accounts/nieuw", data=data).text
    assert message in text
    if data["email"]:
        assert f'value="{data["email"]}"' in text


def test_admin_sets_a_password_that_meets_the_policy(app, client, admin, make_user):
    target = make_user("trainer", "t@example.nl")
    response = client.post(
        f"/beheer/accounts/{target}/wachtwoord", data={"password": "een-nieuw-lang-wachtwoord"}
    )
    assert response.status_code == 302
    assert (
        AuthActions(app.test_client())
        .login("t@example.nl", "een-nieuw-lang-wachtwoord")
        .status_code
        == 302
    )
    assert "password_reset" in actions(app)


def test_reset_password_generates_one_and_ends_the_accounts_sessions(app, client, admin, make_user):
    target = make_user("trainer", "t@example.nl")
    theirs = app.test_client()
    AuthActions(theirs).login("t@example.nl")
    assert theirs.get("/trainer/").status_code == 200
    response = client.post(f"/beheer/accounts/{target}/wachtwoord", data={"password": ""})
    assert '<span class="secret">' in response.text
    assert theirs.get("/trainer/").status_code == 302  # back to the login page


def test_deactivating_an_account_ends_its_sessions(app, client, admin, make_user):
    target = make_user("trainer", "t@example.nl")
    theirs = app.test_client()
    AuthActions(theirs).login("t@example.nl")
    client.post(f"/beheer/accounts/{target}/actief")
    assert theirs.get("/trainer/").status_code == 302
    assert user(app, "t@example.nl").active is False
    assert "account_deactivated" in actions(app)


def test_admin_cannot_deactivate_themselves(app, client, admin):
    assert client.post(f"/beheer/accounts/{admin}/actief").status_code == 400
    assert "u kunt het niet zelf deactiveren" in client.get(f"/beheer/accounts/{admin}").text
    assert user(app, "beheer@example.nl").active is True


def test_admin_assigns_a_manager_to_an_organisation(app, client, admin, make_user):
    target = make_user("manager", "m@example.nl")
    client.post("/beheer/organisaties", data={"name": "Woonbron"})
    oid = org_id(app, "Woonbron")
    response = client.post(
        f"/beheer/accounts/{target}",
        data={"name": "Mia", "role": "manager", "organisation": str(oid)},
    )
    assert response.status_code == 302
    assert user(app, "m@example.nl").organisation_id == oid
    assert "account_updated" in actions(app)


def test_audit_log_is_paged_newest_first_and_filtered_by_action(app, client, admin):
    for i in range(3):
        client.post("/beheer/organisaties", data={"name": f"Corporatie {i}"})
    text = client.get("/beheer/audit?actie=organisation_created").text
    text = text[text.index("<tbody>") :]
    assert text.index("Corporatie 2") < text.index("Corporatie 0")
    assert "login" not in re.findall(r'<th scope="row">([^<]+)</th>', text)
    assert "Pagina 1 van 1" in text


@pytest.mark.parametrize("role", ["trainer", "manager"])
def test_only_admins_reach_the_admin_pages(client, auth, make_user, role):
    make_user(role, f"{role}@example.nl", organisation="X" if role == "manager" else None)
    auth.login(f"{role}@example.nl")
    for url in ("/beheer/", "/beheer/organisaties", "/beheer/accounts", "/beheer/audit"):
        assert client.get(url).status_code == 403


def test_admin_forms_refuse_a_post_without_csrf_token(csrf_app, make_user):
    client = csrf_app.test_client()
    with csrf_app.app_context():
        from assess.web.passwords import hash_password

        db.session.add(
            User(
                email="b@example.nl",
                role="admin",
                password_hash=hash_password("een-goed-wachtwoord"),
            )
        )
        db.session.commit()
    page = client.get("/auth/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post(
        "/auth/login",
        data={"email": "b@example.nl", "password": "een-goed-wachtwoord", "csrf_token": token},
    )
    assert client.post("/beheer/organisaties", data={"name": "Zonder token"}).status_code == 400
    form = client.get("/beheer/organisaties").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    response = client.post("/beheer/organisaties", data={"name": "Met token", "csrf_token": token})
    assert response.status_code == 302
    with csrf_app.app_context():
        assert db.session.execute(db.select(Organisation).filter_by(name="Met token")).scalar_one()


def test_audit_log_speaks_dutch_and_links_to_what_still_exists(app, client, admin, make_user):
    client.post("/beheer/organisaties", data={"name": "Woonbron"})
    oid = org_id(app, "Woonbron")
    client.post(
        "/beheer/accounts/nieuw",
        data={"email": "m@woonbron.nl", "name": "Mia", "role": "manager", "organisation": str(oid)},
    )
    AuthActions(app.test_client()).login("niemand@example.nl", "fout-wachtwoord")
    with app.app_context():
        db.session.add(
            AuditEvent(
                actor_type="user",
                actor_id=admin,
                action="create_cohort",
                target_type="cohort",
                target_id=9999,
            )
        )
        db.session.commit()
    text = client.get("/beheer/audit").text
    body = text[text.index("<tbody>") :]
    rows = re.findall(r'<th scope="row">([^<]+)</th>', body)
    assert {"account aangemaakt", "corporatie toegevoegd", "inloggen mislukt"} <= set(rows)
    assert "cohort aangemaakt" in rows
    assert "niet ingelogd" in body and "anonymous" not in body
    assert f'<a href="/beheer/organisaties/{oid}">Woonbron</a>' in body
    assert f'<a href="/beheer/accounts/{admin}">beheer@example.nl</a>' in body
    assert "corporatie: Woonbron; rol: manager" in body
    assert "cohort 9999 (bestaat niet meer)" in body
    assert "onbekend e-mailadres" in body
    assert "{&#34;" not in body and '{"' not in body and "#None" not in body
    assert "create_cohort" not in body  # also not in the filter's labels
    assert '<option value="create_cohort" >cohort aangemaakt</option>' in text


def test_accounts_table_names_roles_in_dutch(client, admin, make_user):
    make_user("manager", "m@example.nl", organisation="Woonbron")
    rows = client.get("/beheer/accounts").text
    assert "<td>beheerder</td>" in rows and "<td>manager</td>" in rows
    assert "<td>admin</td>" not in rows
