"""Cohorts: create, edit, archive; a trainer sees only their own, an admin all."""

import re

import pytest

from assess.db import db
from assess.models import AuditEvent, Cohort, MomentWindow
from tests import factories as make

# Depends on the date: CI runs it again on the hard days (.ci/run).
pytestmark = pytest.mark.calendar


@pytest.fixture
def other_cohort(app, make_user):
    other = make_user("trainer", "ander@example.nl", name="Andere Trainer")
    with app.app_context():
        group = make.cohort(other, "Cohort van een ander")
        (person,) = make.participants(group, 1)
        db.session.commit()
        return group.id, person.id


def cohort_form(**overrides) -> dict:
    data = {
        "name": "Najaar 2026",
        "start_date": "2026-09-01",
        "end_date": "2026-11-15",
        "questionnaire_id": "leergang-woonconsulent",
        "intake-enabled": "y",
        "intake-opens_on": "2026-08-15",
        "intake-closes_on": "2026-09-01",
        "exit-enabled": "y",
        "exit-opens_on": "2026-11-10",
        "exit-closes_on": "2026-12-01",
        "followup-opens_on": "",
        "followup-closes_on": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_trainer_creates_a_cohort_with_its_three_moments(app, client, trainer):
    response = client.post("/trainer/cohorten/nieuw", data=cohort_form())
    assert response.status_code == 302
    with app.app_context():
        cohort = db.session.execute(db.select(Cohort)).scalar_one()
        assert cohort.name == "Najaar 2026" and cohort.trainer_id == trainer
        states = {w.moment: (w.enabled, str(w.opens_on)) for w in cohort.windows}
        assert states == {
            "intake": (True, "2026-08-15"),
            "exit": (True, "2026-11-10"),
            "followup": (False, "None"),
        }
    page = client.get(response.headers["Location"]).text
    assert "Het cohort is aangemaakt." in page
    assert "Najaar 2026" in page


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"end_date": "2026-08-01"}, "De einddatum ligt vóór de startdatum."),
        ({"exit-closes_on": "2026-11-01"}, "De sluitdatum ligt vóór de openingsdatum."),
        ({"name": ""}, "Geef het cohort een naam."),
        ({"start_date": "1 september"}, "Vul een bestaande datum in, bijvoorbeeld 9-3-2027."),
        # A browser's date input lets a five-digit year through; the window fields sit in a
        # sub-form that answered in English ("Not a valid date value.").
        ({"intake-opens_on": "20270-01-11"}, "Vul een bestaande datum in"),
        ({"exit-closes_on": "20270-07-01"}, "Vul een bestaande datum in"),
    ],
)
def test_bad_cohort_input_gets_a_dutch_message_and_saves_nothing(
    app, client, trainer, overrides, message
):
    response = client.post("/trainer/cohorten/nieuw", data=cohort_form(**overrides))
    assert response.status_code == 200
    assert message.lower() in response.text.lower()
    assert "not a valid" not in response.text.lower()
    assert 'value="Najaar 2026"' in response.text or overrides.get("name") == ""
    for typed in overrides.values():
        assert f'value="{typed}"' in response.text or typed == ""
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Cohort.id))) == 0
        assert db.session.scalar(db.select(db.func.count(MomentWindow.id))) == 0


def test_editing_keeps_what_was_typed_when_dates_are_wrong(app, client, trainer):
    with app.app_context():
        cid = make.cohort(trainer, "Voorjaar").id
        db.session.commit()
    bad = client.post(f"/trainer/cohorten/{cid}/bewerken", data=cohort_form(end_date="2026-01-01"))
    assert "De einddatum ligt vóór de startdatum." in bad.text
    with app.app_context():
        assert db.session.get(Cohort, cid).name == "Voorjaar"
    good = client.post(f"/trainer/cohorten/{cid}/bewerken", data=cohort_form())
    assert good.status_code == 302
    with app.app_context():
        assert db.session.get(Cohort, cid).name == "Najaar 2026"


def test_questionnaire_cannot_change_once_answers_exist(app, client, trainer):
    with app.app_context():
        group = make.cohort(trainer)
        (person,) = make.participants(group, 1)
        make.fill(person, "intake", submit=False, share=0.2)
        db.session.commit()
        cid = group.id
        group.questionnaire_id = "iets-anders"
        db.session.commit()
    response = client.post(f"/trainer/cohorten/{cid}/bewerken", data=cohort_form())
    assert "de vragenlijst kan niet meer wisselen" in response.text
    with app.app_context():
        assert db.session.get(Cohort, cid).questionnaire_id == "iets-anders"


def test_archiving_needs_a_csrf_token_and_can_be_undone(csrf_app, make_user, password_hash):
    from assess.models import User

    with csrf_app.app_context():
        user = User(email="t@example.nl", role="trainer", password_hash=password_hash)
        db.session.add(user)
        db.session.flush()
        cid = make.cohort(user.id).id
        db.session.commit()
    client = csrf_app.test_client()
    login_page = client.get("/auth/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post(
        "/auth/login",
        data={"email": "t@example.nl", "password": "een-goed-wachtwoord", "csrf_token": token},
    )
    assert client.post(f"/trainer/cohorten/{cid}/archiveren").status_code == 400
    page = client.get(f"/trainer/cohorten/{cid}").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post(f"/trainer/cohorten/{cid}/archiveren", data={"csrf_token": token})
    with csrf_app.app_context():
        assert db.session.get(Cohort, cid).archived is True
    assert "Voorjaar 2026" not in client.get("/trainer/").text
    assert "Voorjaar 2026" in client.get("/trainer/?archief=1").text
    client.post(f"/trainer/cohorten/{cid}/archiveren", data={"csrf_token": token})
    with csrf_app.app_context():
        assert db.session.get(Cohort, cid).archived is False
        actions = db.session.scalars(db.select(AuditEvent.action)).all()
        assert {"archive_cohort", "unarchive_cohort"} <= set(actions)


def test_cohort_list_shows_size_and_response_rate(app, client, trainer):
    with app.app_context():
        group = make.cohort(trainer, "Voorjaar 2026")
        people = make.participants(group, 4)
        make.fill(people[0], "intake")
        make.fill(people[1], "intake", submit=False, share=0.3)
        db.session.commit()
    page = client.get("/trainer/").text
    row = page[page.index("Voorjaar 2026") :]
    assert re.search(r">\s*4\s*<", row)
    assert "25 %" in row or "25%" in row


def test_trainer_sees_only_own_cohorts_and_admin_sees_all(app, client, auth, trainer, other_cohort):
    with app.app_context():
        make.cohort(trainer, "Mijn cohort")
        db.session.commit()
    page = client.get("/trainer/").text
    assert "Mijn cohort" in page and "Cohort van een ander" not in page
    auth.logout()


def test_admin_sees_every_cohort(app, client, auth, make_user, other_cohort):
    make_user("admin", "beheer@example.nl")
    auth.login("beheer@example.nl")
    assert "Cohort van een ander" in client.get("/trainer/").text
    assert client.get(f"/trainer/cohorten/{other_cohort[0]}").status_code == 200


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/trainer/cohorten/{c}"),
        ("get", "/trainer/cohorten/{c}/bewerken"),
        ("post", "/trainer/cohorten/{c}/bewerken"),
        ("post", "/trainer/cohorten/{c}/archiveren"),
        ("get", "/trainer/cohorten/{c}/respons"),
        ("get", "/trainer/cohorten/{c}/analyse"),
        ("get", "/trainer/cohorten/{c}/export?download=1"),
        ("get", "/trainer/cohorten/{c}/deelnemers/nieuw"),
        ("post", "/trainer/cohorten/{c}/deelnemers/lijst"),
        ("post", "/trainer/cohorten/{c}/deelnemers/lijst/opslaan"),
        ("post", "/trainer/cohorten/{c}/deelnemers/{p}/intrekken"),
        ("post", "/trainer/cohorten/{c}/deelnemers/{p}/nieuwe-link"),
        ("get", "/trainer/cohorten/{c}/deelnemers/{p}/verplaatsen"),
        ("get", "/trainer/cohorten/{c}/deelnemers/{p}/rapport"),
    ],
)
def test_another_trainers_cohort_is_not_found_and_unchanged(
    app, client, trainer, other_cohort, method, path
):
    cid, pid = other_cohort
    response = getattr(client, method)(path.format(c=cid, p=pid), data=cohort_form())
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.text
    with app.app_context():
        cohort = db.session.get(Cohort, cid)
        assert cohort.name == "Cohort van een ander" and not cohort.archived
        assert len(cohort.participants) == 1
        assert cohort.participants[0].token_hash is not None
        assert db.session.scalars(db.select(AuditEvent.action)).all() == ["login"]


def test_a_manager_cannot_open_the_trainer_pages(client, auth, make_user):
    make_user("manager", "m@example.nl", organisation="De Linde")
    auth.login("m@example.nl")
    assert client.get("/trainer/").status_code == 403
    assert client.get("/trainer/cohorten/nieuw").status_code == 403


def test_a_new_cohorts_later_moment_with_an_opening_date_opens_on_that_date(app, client, trainer):
    form = cohort_form(**{"exit-enabled": None, "exit-opens_on": "2026-11-10"})
    assert client.post("/trainer/cohorten/nieuw", data=form).status_code == 302
    with app.app_context():
        cohort = db.session.execute(db.select(Cohort)).scalar_one()
        states = {w.moment: w.enabled for w in cohort.windows}
    assert states == {"intake": True, "exit": True, "followup": False}


def test_the_new_cohort_form_opens_only_the_intake(client, trainer):
    page = client.get("/trainer/cohorten/nieuw").text
    ticked = re.findall(r'id="(\w+)-enabled"[^>]*checked|checked[^>]*id="(\w+)-enabled"', page)
    assert {a or b for a, b in ticked} == {"intake"}


def test_the_trainer_switches_raters_on_per_cohort_and_exit_only_with_them(app, client, trainer):
    """Raters at intake and follow-up when on; at exit only as well as, never instead."""
    client.post("/trainer/cohorten/nieuw", data=cohort_form(raters_at_exit="y"))
    with app.app_context():
        cohort = db.session.execute(db.select(Cohort)).scalar_one()
        assert (cohort.raters_enabled, cohort.raters_at_exit) == (False, False)
        cid = cohort.id
    form = client.get(f"/trainer/cohorten/{cid}/bewerken").text
    assert "Oordeel van anderen" in form
    client.post(
        f"/trainer/cohorten/{cid}/bewerken",
        data=cohort_form(raters_enabled="y", raters_at_exit="y"),
    )
    with app.app_context():
        cohort = db.session.get(Cohort, cid)
        assert (cohort.raters_enabled, cohort.raters_at_exit) == (True, True)
