"""The pulse writer: one answer per person per pulse, decided by the database."""

from datetime import date

import pytest

from assess.db import db
from assess.models import PulseResponse
from assess.survey import pulses, questionnaires
from tests import factories as make

# Depends on the date: CI runs it again on the hard days (.ci/run).
pytestmark = pytest.mark.calendar


def test_a_second_answer_to_the_same_pulse_is_refused_by_the_database(app) -> None:
    with app.test_request_context(method="POST"):
        group = make.cohort()
        (person,) = make.participants(group, 1)
        week = make.pulse_week(group, date(2026, 3, 6))
        q = questionnaires.get(make.INSTRUMENT)
        first = pulses.answer(person, week, q, {"puls_gepland": 40, "puls_nee": "1"})
        # The check before it was skipped (a second tab posted at the same moment).
        second = pulses.answer(person, week, q, {"puls_gepland": 90, "puls_nee": "0"})
        db.session.commit()
        assert first is not None and second is None
        rows = db.session.scalars(db.select(PulseResponse)).all()
        assert len(rows) == 1
        assert {a.item_id: a.value or a.text for a in rows[0].answers} == {
            "puls_gepland": 40,
            "puls_nee": "1",
        }
