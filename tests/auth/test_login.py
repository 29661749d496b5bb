"""Staff login, logout and password change."""

import pytest

from assess.db import db
from assess.models import User

# Depends on the date: CI runs it again on the hard days (.ci/run).
pytestmark = pytest.mark.calendar


@pytest.fixture
def trainer(make_user):
    return make_user("trainer", "trainer@example.nl")


def test_login_sends_trainer_home(client, auth, trainer):
    response = auth.login("trainer@example.nl")
    assert response.status_code == 302
    assert client.get("/").headers["Location"] == "/trainer/"


def test_login_is_case_insensitive_on_email(client, auth, trainer):
    assert auth.login("Trainer@Example.NL").status_code == 302


@pytest.mark.parametrize(
    "email, password",
    [("trainer@example.nl", "fout-wachtwoord"), ("niemand@example.nl", "een-goed-wachtwoord")],
)
def test_failed_login_gives_one_dutch_message_and_keeps_the_email(
    client, auth, trainer, email, password
):
    response = auth.login(email, password)
    assert response.status_code == 200
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar." in response.text
    assert f'value="{email}"' in response.text


def test_empty_login_names_the_missing_fields(client):
    response = client.post("/auth/login", data={})
    assert "Vul je e-mailadres in." in response.text
    assert "Vul je wachtwoord in." in response.text


def test_deactivated_account_is_told_so_only_after_the_right_password(client, auth, make_user):
    make_user("trainer", "weg@example.nl", active=False)
    right = auth.login("weg@example.nl").text
    assert "Je account is gedeactiveerd." in right
    assert "horen niet bij elkaar" not in right
    assert client.get("/trainer/").status_code == 302  # still not signed in
    wrong = auth.login("weg@example.nl", "fout-wachtwoord").text
    assert "horen niet bij elkaar" in wrong
    assert "gedeactiveerd" not in wrong


def test_after_a_generated_password_the_user_chooses_their_own_first(app, client, auth, make_user):
    make_user("trainer", "nieuw@example.nl", must_change_password=True)
    response = auth.login("nieuw@example.nl")
    assert response.headers["Location"] == "/auth/wachtwoord"
    assert "Kies eerst je eigen wachtwoord" in client.get("/auth/wachtwoord").text
    for path in ("/trainer/", "/trainer/cohorten/nieuw", "/"):
        assert client.get(path).headers["Location"] == "/auth/wachtwoord"
    assert client.post("/trainer/cohorten/nieuw", data={"name": "x"}).status_code == 302
    new = "een-heel-ander-wachtwoord"
    client.post(
        "/auth/wachtwoord",
        data={"current": "een-goed-wachtwoord", "new": new, "repeat": new},
    )
    assert client.get("/trainer/").status_code == 200
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(email="nieuw@example.nl")).scalar_one()
        assert user.must_change_password is False


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\\evil.example",
        "https:evil.example",
        "javascript:alert(1)",
        "https://evil.example/",
    ],
)
def test_login_next_only_goes_to_local_paths(client, auth, trainer, target):
    response = auth.login("trainer@example.nl", next=target)
    assert response.headers["Location"] == "/"


def test_login_next_keeps_a_local_path(client, auth, trainer):
    assert auth.login("trainer@example.nl", next="/trainer/").headers["Location"] == "/trainer/"


def test_logout_refuses_the_old_cookie(client, auth, trainer):
    auth.login("trainer@example.nl")
    cookie = client.get_cookie("assess_session").value
    auth.logout()
    client.set_cookie("assess_session", cookie)
    response = client.get("/trainer/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_logout_is_not_possible_with_get(client, auth, trainer):
    auth.login("trainer@example.nl")
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/trainer/").status_code == 200


def test_password_change_ends_other_sessions(app, client, auth, trainer):
    other = app.test_client()
    other.post(
        "/auth/login", data={"email": "trainer@example.nl", "password": "een-goed-wachtwoord"}
    )
    auth.login("trainer@example.nl")
    response = client.post(
        "/auth/wachtwoord",
        data={
            "current": "een-goed-wachtwoord",
            "new": "paars-paard-op-de-dijk",
            "repeat": "paars-paard-op-de-dijk",
        },
    )
    assert response.status_code == 302
    assert client.get("/trainer/").status_code == 200
    assert other.get("/trainer/").status_code == 302


@pytest.mark.parametrize(
    "new, message",
    [
        ("kort", "minstens 8 tekens"),
        ("wachtwoord123", "te bekend"),
        ("x" * 129, "hoogstens 128"),
    ],
)
def test_weak_new_password_is_refused_in_dutch(client, auth, trainer, new, message):
    auth.login("trainer@example.nl")
    response = client.post(
        "/auth/wachtwoord", data={"current": "een-goed-wachtwoord", "new": new, "repeat": new}
    )
    assert message in response.text


def test_session_renewed_at_login(client, auth, trainer):
    client.get("/auth/login")
    with client.session_transaction() as session:
        session["planted"] = "by-attacker"
    auth.login("trainer@example.nl")
    with client.session_transaction() as session:
        assert "planted" not in session


def test_idle_timeout_logs_out(app, client, auth, trainer):
    auth.login("trainer@example.nl")
    with client.session_transaction() as session:
        session["seen_at"] -= 31 * 60
    response = client.get("/trainer/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_deactivation_ends_the_session(app, client, auth, trainer):
    auth.login("trainer@example.nl")
    with app.app_context():
        user = db.session.get(User, trainer)
        user.active = False
        user.session_version += 1
        db.session.commit()
    assert client.get("/trainer/").status_code == 302
