"""Goals for the participant: one to three with an if-then plan from the goal day on, bad
input kept with a Dutch message, a change that keeps the old version, the level asked in the
weekly pulse, and the T-score once every goal has a level."""

import json
from datetime import UTC, date, datetime

import pytest

from assess import clock
from assess.db import db
from assess.models import Cohort, Goal, GoalRating, GoalRevision
from tests import factories as make

NOW = datetime(2027, 2, 12, 9, 0, tzinfo=UTC)  # Friday after course day 3


def _goal_form(**overrides) -> dict:
    data = {
        "theme": "nee_zeggen",
        "text": "Ik zeg nee tegen klusjes die niet bij mijn rol horen.",
        "if_then": "Als een collega vraagt of ik even iets overneem, dan kijk ik eerst in mijn planning.",
        "level_minus2": "Ik neem alles over.",
        "level_minus1": "Ik stel één keer per maand iets uit.",
        "level_0": "Ik stel één keer per week iets uit.",
        "level_plus1": "Twee keer per week.",
        "level_plus2": "Ik zeg nee als het niet bij mijn rol hoort.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def anouk(app, client, monkeypatch):
    """Anouk signed in, in a cohort with the spring 2027 course days and this week's pulse."""
    monkeypatch.setattr(clock, "now", lambda: NOW)
    with app.app_context():
        group = make.course_days_of(make.cohort(name="Voorjaar 2027"))
        week = make.pulse_week(group, date(2027, 2, 12))
        pid, token = make.invited(group)
        ids = {"pid": pid, "pulse": week.id, "cohort": group.id}
    client.get(f"/s/{token}")
    return ids


def test_a_participant_writes_a_goal_and_sees_it_with_its_plan(app, client, anouk):
    page = client.get("/deelnemer/doelen/nieuw").text
    assert "Voorbeelden uit de leergang" in page  # from the questionnaire file
    assert "even snel" in page
    response = client.post("/deelnemer/doelen/nieuw", data=_goal_form())
    assert response.status_code == 302
    goals = client.get("/deelnemer/doelen").text
    assert "Ik zeg nee tegen klusjes die niet bij mijn rol horen." in goals
    assert "alleen voor jou" in goals and "nog niet aangegeven" in goals
    assert "Naar je doelen" in client.get("/deelnemer/").text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"if_then": "Ik kijk eerst in mijn planning."}, "met ‘als’ en ‘dan’"),
        ({"level_0": ""}, "Beschrijf niveau 0."),
        ({"text": ""}, "Schrijf je doel op."),
        ({"theme": "iets-anders"}, "Kies een thema."),
    ],
)
def test_bad_goal_input_keeps_what_was_typed(app, client, anouk, overrides, message):
    response = client.post("/deelnemer/doelen/nieuw", data=_goal_form(**overrides))
    assert response.status_code == 200
    assert message in response.text
    assert "Ik stel één keer per week iets uit." in response.text or overrides.get("level_0") == ""
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Goal.id))) == 0


def test_no_goals_before_the_goal_day(app, client, anouk):
    with app.app_context():
        db.session.get(Cohort, anouk["cohort"]).goals_day = 4  # Thursday 25 February
        db.session.commit()
    page = client.get("/deelnemer/doelen").text
    assert "Je schrijft je doelen op lesdag 4, donderdag 25 februari 2027." in page
    assert client.post("/deelnemer/doelen/nieuw", data=_goal_form()).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Goal.id))) == 0


def test_at_most_three_goals(app, client, anouk):
    for n in range(4):
        client.post("/deelnemer/doelen/nieuw", data=_goal_form(text=f"Doel {n}"))
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Goal.id))) == 3


def test_changing_a_goal_keeps_the_old_version(app, client, anouk):
    client.post("/deelnemer/doelen/nieuw", data=_goal_form())
    with app.app_context():
        goal_id = db.session.scalar(db.select(Goal.id))
    response = client.post(
        f"/deelnemer/doelen/{goal_id}", data=_goal_form(text="Nee zeggen, ook tegen mijn team.")
    )
    assert response.status_code == 302
    with app.app_context():
        (revision,) = db.session.scalars(db.select(GoalRevision)).all()
        assert json.loads(revision.before)["text"].startswith("Ik zeg nee tegen klusjes")
        assert db.session.get(Goal, goal_id).text == "Nee zeggen, ook tegen mijn team."


def test_someone_elses_goal_is_not_found(app, client, anouk):
    with app.app_context():
        other = make.goal(make.participant(make.cohort(name="Ander"), email="b@example.nl"))
        db.session.commit()
        other_id = other.id
    assert client.get(f"/deelnemer/doelen/{other_id}").status_code == 404
    response = client.post(f"/deelnemer/doelen/{other_id}", data=_goal_form(text="Gekaapt"))
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Goal, other_id).text != "Gekaapt"


PULSE = {
    "a_puls_gepland": "40",
    "a_puls_reactief": "35",
    "a_puls_nee": "1",
    "a_puls_nee_ging": "goed",
    "a_puls_afspraken": "2",
    "a_puls_werkte": "",
}


def test_the_weekly_pulse_asks_where_each_goal_stands(app, client, anouk):
    client.post("/deelnemer/doelen/nieuw", data=_goal_form())
    with app.app_context():
        goal_id = db.session.scalar(db.select(Goal.id))
    page = client.get(f"/deelnemer/weekpuls/{anouk['pulse']}").text
    assert "Waar sta je nu met je doel: Ik zeg nee tegen klusjes" in page
    assert "Ik stel één keer per week iets uit." in page
    bad = client.post(
        f"/deelnemer/weekpuls/{anouk['pulse']}", data={**PULSE, f"doel-{goal_id}": "7"}
    )
    assert bad.status_code == 200 and "Kies een van de vijf niveaus." in bad.text
    assert 'value="40"' in bad.text
    response = client.post(
        f"/deelnemer/weekpuls/{anouk['pulse']}", data={**PULSE, f"doel-{goal_id}": "1"}
    )
    assert response.status_code == 302
    with app.app_context():
        (rating,) = db.session.scalars(db.select(GoalRating)).all()
        assert (rating.goal_id, rating.when, rating.level) == (goal_id, "pulse", 1)
    goals = client.get("/deelnemer/doelen").text
    assert "+1 — Twee keer per week." in goals
    # One goal at +1: T = 50 + 10 · 1 = 60.
    assert "Je doelscore (GAS T-score) is 60." in goals
