"""Dates far outside a course's years on every form that takes one: a Dutch message, the
input kept, nothing saved (a window closing on 9999-12-31 made every link of its cohort a 500,
a pulse schedule to that day ran for seconds and then failed)."""

import pytest

from assess.db import db
from assess.models import Cohort, Pulse, PulseSchedule
from tests import factories as make
from tests.trainer.test_cohorts import cohort_form

OUT_OF_RANGE = "Kies een datum tussen 1-1-2000 en 31-12-2100."


@pytest.mark.parametrize(
    "field, typed",
    [
        ("start_date", "1999-12-31"),
        ("end_date", "9999-12-31"),
        ("intake-opens_on", "0001-01-01"),
        ("exit-closes_on", "9999-12-31"),
        ("followup-closes_on", "2101-01-01"),
    ],
)
def test_a_cohort_date_outside_2000_to_2100_gets_a_dutch_message_and_keeps_the_input(
    app, client, trainer, field, typed
):
    response = client.post("/trainer/cohorten/nieuw", data=cohort_form(**{field: typed}))
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.text
    assert f'value="{typed}"' in response.text and 'value="Najaar 2026"' in response.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Cohort.id))) == 0


def test_an_edited_window_closing_in_9999_is_refused_and_the_links_keep_working(
    app, client, trainer
):
    with app.app_context():
        group = make.cohort(trainer, "Voorjaar")
        _pid, token = make.invited(group)
        cid = group.id
        db.session.commit()
    bad = client.post(
        f"/trainer/cohorten/{cid}/bewerken", data=cohort_form(**{"exit-closes_on": "9999-12-31"})
    )
    assert bad.status_code == 200 and OUT_OF_RANGE in bad.text
    assert 'value="9999-12-31"' in bad.text
    with app.app_context():
        assert db.session.get(Cohort, cid).name == "Voorjaar"
    assert app.test_client().get(f"/s/{token}").status_code == 302


def test_the_edges_of_the_range_are_accepted(app, client, trainer):
    edges = {"intake-opens_on": "2000-01-01", "followup-closes_on": "2100-12-31"}
    response = client.post("/trainer/cohorten/nieuw", data=cohort_form(**edges))
    assert response.status_code == 302


def pulse_form(**overrides) -> dict:
    data = {
        "enabled": "y",
        "weekday": "4",
        "first_day": "2026-03-02",
        "last_day": "2026-05-29",
        "days_open": "3",
    }
    return data | overrides


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"last_day": "9999-12-31"}, OUT_OF_RANGE),
        ({"first_day": "1970-01-01"}, OUT_OF_RANGE),
        ({"last_day": "2031-03-02"}, "Een weekpuls loopt hoogstens twee jaar."),
    ],
)
def test_a_pulse_schedule_beyond_the_course_years_gets_a_dutch_message_and_saves_nothing(
    app, client, trainer, overrides, message
):
    with app.app_context():
        cid = make.cohort(trainer, "Voorjaar 2026").id
        db.session.commit()
    response = client.post(f"/trainer/cohorten/{cid}/weekpuls", data=pulse_form(**overrides))
    assert response.status_code == 200
    assert message in response.text
    for typed in overrides.values():
        assert f'value="{typed}"' in response.text
    with app.app_context():
        assert db.session.scalar(db.select(PulseSchedule).filter_by(cohort_id=cid)) is None
        assert db.session.scalar(db.select(db.func.count(Pulse.id))) == 0


def test_a_pulse_schedule_of_a_course_is_saved(app, client, trainer):
    with app.app_context():
        cid = make.cohort(trainer, "Voorjaar 2026").id
        db.session.commit()
    response = client.post(f"/trainer/cohorten/{cid}/weekpuls", data=pulse_form())
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(PulseSchedule).filter_by(cohort_id=cid)) is not None
