"""The personal link: it starts a session, drops the token from the address bar, and says what
to do when it is unknown, revoked, reissued or expired."""

from datetime import timedelta

import pytest

from assess import clock
from assess.db import db
from assess.models import Participant
from assess.survey import tokens
from tests import factories as make

# Depends on the date: CI runs it again on the hard days (.ci/run).
pytestmark = pytest.mark.calendar


@pytest.fixture
def person(app):
    with app.app_context():
        return make.invited(make.cohort(windows=make.windows()))


def test_link_opens_welcome_page_without_token_in_address(client, person):
    _pid, token = person
    response = client.get(f"/s/{token}")
    assert response.status_code == 302
    assert response.location == "/deelnemer/"
    page = client.get("/deelnemer/")
    assert "Welkom, Anouk de Vries" in page.text
    assert "De voormeting staat voor je klaar" in page.text
    assert "ongeveer 14 minuten" in page.text  # the intake of version 2
    assert "Wie ziet wat?" in page.text
    assert token not in page.text
    assert page.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("token", ["onbekend", "x" * 43, "a" * 200, "%00"])
def test_unknown_link_gives_dutch_page_saying_what_to_do(client, person, token):
    response = client.get(f"/s/{token}")
    assert response.status_code == 404
    assert "Deze link werkt niet (meer)" in response.text
    assert "vraag je trainer om een nieuwe link" in response.text


def test_revoked_link_no_longer_opens_and_ends_running_session(app, client, person):
    pid, token = person
    client.get(f"/s/{token}")
    with app.app_context():
        tokens.revoke(db.session.get(Participant, pid))
        db.session.commit()
    page = client.get("/deelnemer/")
    assert page.status_code == 403
    assert "Open je persoonlijke link" in page.text
    assert client.get(f"/s/{token}").status_code == 404


def test_reissued_link_replaces_the_old_one(app, client, person):
    pid, old = person
    client.get(f"/s/{old}")
    with app.app_context():
        new = tokens.issue(db.session.get(Participant, pid))
        db.session.commit()
    assert client.get("/deelnemer/").status_code == 403
    assert client.get(f"/s/{old}").status_code == 404
    assert client.get(f"/s/{new}").status_code == 302
    assert client.get("/deelnemer/").status_code == 200


def test_participant_pages_without_link_ask_for_the_link(client):
    for url in ("/deelnemer/", "/deelnemer/intake/pagina/1", "/deelnemer/rapport"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Open de persoonlijke link uit je uitnodigingsmail" in response.text


def test_archived_cohort_link_is_expired(app, client):
    with app.app_context():
        _pid, token = make.invited(make.cohort(archived=True, windows=make.windows()))
    response = client.get(f"/s/{token}")
    assert response.status_code == 410
    assert "Deze link is verlopen" in response.text


def test_link_expires_after_grace_period_past_last_closing(app, app_config, client):
    with app.app_context():
        cohort = make.cohort(
            windows=make.windows(intake="closed", exit="closed", followup="closed")
        )
        pid, token = make.invited(cohort)
        assert client.get(f"/s/{token}").status_code == 302
        app.config["LINK_GRACE_DAYS"] = 10
        for window in cohort.windows:
            window.closes_on = clock.today() - timedelta(days=11)
        db.session.commit()
    assert client.get("/deelnemer/").status_code == 410
    assert client.get(f"/s/{token}").status_code == 410


def test_not_yet_open_moment_says_when_it_opens(app, client):
    with app.app_context():
        cohort = make.cohort(windows=make.windows(intake="not_yet"))
        _pid, token = make.invited(cohort)
        opens = cohort.window("intake").opens_on
    client.get(f"/s/{token}")
    page = client.get("/deelnemer/")
    assert "Er staat nu niets open" in page.text
    assert "De voormeting gaat open op" in page.text
    assert str(opens.year) in page.text
    closed = client.get("/deelnemer/intake/pagina/1")
    assert closed.status_code == 403
    assert "Je kunt de voormeting invullen vanaf" in closed.text


def test_closed_moment_says_so_and_links_report_when_submitted(app, client):
    with app.app_context():
        pid, token = make.invited(
            make.cohort(windows=make.windows(intake="closed", exit="disabled", followup="disabled"))
        )
        make.fill(pid, "intake")
        db.session.commit()
    client.get(f"/s/{token}")
    page = client.get("/deelnemer/")
    assert "Je hebt alles ingevuld wat nu openstaat" in page.text
    assert "Bekijk je persoonlijke rapport" in page.text
    assert "ingediend" in page.text


def test_session_of_one_participant_never_reaches_another(app, client):
    with app.app_context():
        cohort = make.cohort(windows=make.windows())
        first, token_first = make.invited(cohort, "een@example.nl")
        second, token_second = make.invited(cohort, "twee@example.nl")
    client.get(f"/s/{token_first}")
    client.post("/deelnemer/intake/pagina/1", data={"a_ervaring": "3_10", "action": "later"})
    client.get(f"/s/{token_second}")
    assert client.get("/deelnemer/intake/pagina/1").text.count("checked") == 0
    with app.app_context():
        from assess.models import Response

        owners = db.session.scalars(db.select(Response.participant_id)).all()
    assert owners == [first]


def test_opening_a_link_starts_a_fresh_session(client, person):
    _pid, token = person
    with client.session_transaction() as session:
        session["_user_id"] = "999:1"
        session["planted"] = "by someone else"
    client.get(f"/s/{token}")
    with client.session_transaction() as session:
        assert "planted" not in session and "_user_id" not in session
        assert set(session["participant"]) == {"id", "fp", "seen"}


def test_guessing_links_is_rate_limited(link_limited, app):
    client = app.test_client()
    codes = [client.get(f"/s/gok{n}").status_code for n in range(4)]
    assert codes == [404, 404, 404, 429]
    assert "Te veel pogingen" in client.get("/s/nog-een").text
