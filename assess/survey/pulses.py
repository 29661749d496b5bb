"""The weekly pulse, write side: a cohort's schedule and its weeks, a participant's answers,
and "no more pulse mails". The caller (a view or a command) commits.

The weeks follow from the schedule (assess/engine/pulse.py). Changing the schedule replaces
only the weeks that have not opened yet: a week that opened stays as it was, answered or
missed, so a missed pulse stays missed and no answer ever moves to another week.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from assess.db import db
from assess.engine import pulse as engine_pulse
from assess.engine.definition import Questionnaire
from assess.engine.scoring import AnswerValue
from assess.models import (
    Cohort,
    Participant,
    Pulse,
    PulseAnswer,
    PulseResponse,
    PulseSchedule,
    PulseStop,
)
from assess.survey.answers import NUMERIC_TYPES


@dataclass(frozen=True)
class ScheduleInput:
    enabled: bool
    weekday: int
    first_day: date
    last_day: date
    days_open: int


def schedule_of(cohort_id: int) -> PulseSchedule | None:
    return db.session.scalar(select(PulseSchedule).where(PulseSchedule.cohort_id == cohort_id))


def save_schedule(cohort: Cohort, given: ScheduleInput, today: date) -> PulseSchedule:
    """Store the schedule and make the cohort's future weeks match it."""
    schedule = schedule_of(cohort.id)
    if schedule is None:
        schedule = PulseSchedule(cohort_id=cohort.id)
        db.session.add(schedule)
    schedule.enabled = given.enabled
    schedule.weekday = given.weekday
    schedule.first_day = given.first_day
    schedule.last_day = given.last_day
    schedule.days_open = given.days_open
    # Weeks not yet open are replaced; a week with answers is never deleted (it cannot be
    # unopened anyway, but a clock set back must not erase answers).
    answered = select(PulseResponse.pulse_id)
    db.session.execute(
        delete(Pulse).where(
            Pulse.cohort_id == cohort.id, Pulse.opens_on > today, Pulse.id.not_in(answered)
        )
    )
    if given.enabled:
        kept = set(db.session.scalars(select(Pulse.week).where(Pulse.cohort_id == cohort.id)))
        for week in engine_pulse.weeks(
            given.first_day, given.last_day, given.weekday, given.days_open
        ):
            # A week whose pulse day passed but which would still be open today opens now,
            # rather than being skipped; a week already over is not created afterwards.
            if week.week not in kept and week.closes_on >= today:
                db.session.add(
                    Pulse(
                        cohort_id=cohort.id,
                        week=week.week,
                        opens_on=week.opens_on,
                        closes_on=week.closes_on,
                    )
                )
    db.session.flush()
    return schedule


def answer(
    participant: Participant,
    pulse: Pulse,
    q: Questionnaire,
    answers: Mapping[str, AnswerValue],
) -> PulseResponse | None:
    """Store one week's answers; None when this person answered this pulse already (a second
    tab or a double click: the database's unique key decides)."""
    response = PulseResponse(
        pulse_id=pulse.id,
        participant_id=participant.id,
        questionnaire_id=q.id,
        questionnaire_version=q.version,
    )
    try:
        with db.session.begin_nested():
            db.session.add(response)
            db.session.flush()
    except IntegrityError:
        return None
    for item_id, value in answers.items():
        if value is None or value == "":
            continue
        numeric = q.items_by_id[item_id].type in NUMERIC_TYPES
        db.session.add(
            PulseAnswer(
                response_id=response.id,
                item_id=item_id,
                value=float(value) if numeric else None,
                text=None if numeric else str(value),
            )
        )
    db.session.flush()
    return response


def stop_mails(participant: Participant) -> None:
    """No more pulse mails for this person (idempotent)."""
    if db.session.get(PulseStop, participant.id) is None:
        db.session.add(PulseStop(participant_id=participant.id))
        db.session.flush()


def resume_mails(participant: Participant) -> None:
    db.session.execute(delete(PulseStop).where(PulseStop.participant_id == participant.id))
