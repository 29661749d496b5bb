"""The weekly pulse for the participant: the open week on the home page, answered once on one
page, a closed or someone else's week refused, their own weeks afterwards."""

import json
import re
from datetime import timedelta

import pytest

from assess import clock
from assess.db import db
from assess.models import Cohort, Participant, Pulse, PulseAnswer, PulseResponse, PulseStop
from tests import factories as make
from tests.conftest import csrf_token

# Depends on the date: CI runs it again on the hard days (.ci/run).
pytestmark = pytest.mark.calendar

TODAY = clock.today()


def _answers(**extra) -> dict:
    data = {
        "a_puls_gepland": "40",
        "a_puls_reactief": "35",
        "a_puls_nee": "1",
        "a_puls_nee_ging": "goed",
        "a_puls_afspraken": "2",
        "a_puls_werkte": "Eerst de wijkschouw, pas daarna de mail.",
    }
    data.update(extra)
    return data


@pytest.fixture
def world(app, client):
    """Anouk signed in; her cohort has last week's pulse (closed), this week's (open) and
    one of another cohort."""
    with app.app_context():
        group = make.cohort(windows=make.windows())
        pid, token = make.invited(group)
        # Seven days apart from the open week, so never in the same calendar week (a Monday).
        closed = make.pulse_week(group, TODAY - timedelta(days=8), days_open=3)
        open_now = make.pulse_week(group, TODAY - timedelta(days=1), days_open=3)
        other = make.pulse_week(make.cohort(name="Ander cohort"), TODAY, days_open=3)
        ids = {"closed": closed.id, "open": open_now.id, "other": other.id, "pid": pid}
        db.session.commit()
    client.get(f"/s/{token}")
    return ids


def _token(client) -> str:
    # The home page's form (pulse mails) carries the session's CSRF token.
    return csrf_token(client.get("/deelnemer/").get_data(as_text=True))


def _post(client, pulse_id: int, data: dict):
    return client.post(
        f"/deelnemer/weekpuls/{pulse_id}", data={**data, "csrf_token": _token(client)}
    )


def test_home_page_shows_the_open_pulse(client, world) -> None:
    page = client.get("/deelnemer/").get_data(as_text=True)
    assert "De weekpuls staat voor je klaar" in page
    assert f"/deelnemer/weekpuls/{world['open']}" in page


def test_a_pulse_is_answered_once_and_shows_the_own_weeks(app, client, world) -> None:
    response = _post(client, world["open"], _answers())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/deelnemer/weekpuls/overzicht")
    overview = client.get("/deelnemer/weekpuls/overzicht").get_data(as_text=True)
    assert "Je weken tot nu toe" in overview
    assert "niet ingevuld" in overview  # last week, missed
    assert "<td>40</td>" in overview
    # A second post (another tab) stores nothing new and says it was done.
    again = _post(client, world["open"], _answers(a_puls_gepland="90"))
    assert again.status_code == 302
    with app.app_context():
        rows = db.session.scalars(
            db.select(PulseResponse).filter_by(participant_id=world["pid"])
        ).all()
        assert len(rows) == 1
        planned = db.session.scalar(
            db.select(PulseAnswer.value).filter_by(response_id=rows[0].id, item_id="puls_gepland")
        )
        assert planned == 40
    # The home page no longer offers this week's pulse.
    assert "De weekpuls staat voor je klaar" not in client.get("/deelnemer/").get_data(as_text=True)


def test_a_closed_pulse_refuses_answers_with_a_message(app, client, world) -> None:
    response = _post(client, world["closed"], _answers())
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "Deze weekpuls is gesloten" in page
    assert "Een gemiste week kun je niet meer invullen" in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(PulseResponse)) == 0


def test_another_cohorts_pulse_is_not_found(client, world) -> None:
    assert client.get(f"/deelnemer/weekpuls/{world['other']}").status_code == 404
    assert _post(client, world["other"], _answers()).status_code == 404


def test_bad_input_keeps_what_was_typed_with_a_dutch_message(client, world) -> None:
    response = _post(client, world["open"], _answers(a_puls_gepland="70", a_puls_reactief="50"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "samen komen op 120%; dat kan hoogstens 100% zijn" in page
    assert 'value="70"' in page and 'value="50"' in page
    assert "Eerst de wijkschouw, pas daarna de mail." in page
    missing = _post(client, world["open"], _answers(a_puls_nee=""))
    assert missing.status_code == 200


def test_the_participant_sees_only_their_own_weeks(app, client, world) -> None:
    with app.app_context():
        week = db.session.get(Pulse, world["open"])
        group = db.session.get(Cohort, week.cohort_id)
        other = make.participant(
            group, "Bert", "bert@delinde.example.nl", org="De Linde", code="PBERT001"
        )
        make.pulse_answer(other, week, planned=85, incoming=5)
        db.session.commit()
    _post(client, world["open"], _answers())
    overview = client.get("/deelnemer/weekpuls/overzicht").get_data(as_text=True)
    assert "<td>40</td>" in overview
    assert "<td>85</td>" not in overview and "<td>5</td>" not in overview
    figure = json.loads(re.search(r'id="weekpuls-data">(.*?)</script>', overview, re.S)[1])
    assert [trace["y"] for trace in figure["data"]] == [[None, 40], [None, 35]]


def test_pulse_mails_can_be_stopped_and_started_again(app, client, world) -> None:
    token = _token(client)
    client.post("/deelnemer/weekpuls/mails", data={"csrf_token": token, "action": "stop"})
    with app.app_context():
        assert db.session.get(PulseStop, world["pid"]) is not None
    page = client.get("/deelnemer/").get_data(as_text=True)
    assert "Je krijgt geen mails over de weekpuls." in page
    client.post("/deelnemer/weekpuls/mails", data={"csrf_token": token, "action": "resume"})
    with app.app_context():
        assert db.session.get(PulseStop, world["pid"]) is None


def test_the_personal_report_shows_the_pulses(app, client, world) -> None:
    with app.app_context():
        make.fill(db.session.get(Participant, world["pid"]), "intake")
        db.session.commit()
    _post(client, world["open"], _answers())
    page = client.get("/deelnemer/rapport").get_data(as_text=True)
    assert "Je weekpuls" in page
    assert "<td>40</td>" in page
