"""The weekly pulse: a cohort's schedule and weeks, and a participant's answers, saved by the
app's own writer (assess/survey/pulses.py)."""

from __future__ import annotations

from datetime import date, timedelta

from assess.db import db
from assess.models import Cohort, Participant, Pulse, PulseResponse
from assess.survey import pulses, questionnaires
from tests.factories.basics import INSTRUMENT


def pulse_schedule(
    in_cohort: Cohort,
    first_day: date,
    last_day: date,
    weekday: int = 4,
    days_open: int = 3,
    today: date | None = None,
    enabled: bool = True,
) -> list[Pulse]:
    """Switch the cohort's pulse on through the writer; returns its weeks, oldest first."""
    pulses.save_schedule(
        in_cohort,
        pulses.ScheduleInput(enabled, weekday, first_day, last_day, days_open),
        today or first_day - timedelta(days=1),
    )
    return list(
        db.session.scalars(
            db.select(Pulse).where(Pulse.cohort_id == in_cohort.id).order_by(Pulse.week)
        )
    )


def pulse_week(in_cohort: Cohort, opens_on: date, days_open: int = 3) -> Pulse:
    """One pulse week of the cohort, opening on `opens_on` (any state relative to today)."""
    week = Pulse(
        cohort_id=in_cohort.id,
        week=opens_on - timedelta(days=opens_on.weekday()),
        opens_on=opens_on,
        closes_on=opens_on + timedelta(days=days_open - 1),
    )
    db.session.add(week)
    db.session.flush()
    return week


def pulse_answer(
    person: Participant,
    week: Pulse,
    planned: float = 40,
    incoming: float = 40,
    worked: str | None = None,
) -> PulseResponse:
    """One week's answers of a participant."""
    q = questionnaires.registry().get(INSTRUMENT)
    assert q is not None
    answers = {
        "puls_gepland": planned,
        "puls_reactief": incoming,
        "puls_nee": "1",
        "puls_nee_ging": "goed",
        "puls_afspraken": "1",
        "puls_werkte": worked,
    }
    found = pulses.answer(person, week, q, answers)
    assert found is not None
    return found
