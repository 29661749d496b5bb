"""The course as it runs: course days and goals (through the writers)."""

from __future__ import annotations

from datetime import date

from assess.db import db
from assess.models import Cohort, Goal, Participant
from assess.survey import course_days, goals

# Eight Thursdays of the spring 2027 course, two weeks apart, across the change to summer
# time (Sunday 28 March 2027): day 3 is Thursday 11 February.
SPRING_2027 = [
    date(2027, 1, 14),
    date(2027, 1, 28),
    date(2027, 2, 11),
    date(2027, 2, 25),
    date(2027, 3, 11),
    date(2027, 3, 25),
    date(2027, 4, 8),
    date(2027, 4, 22),
]


def course_days_of(in_cohort: Cohort, days: list[date] | None = None) -> Cohort:
    """Give the cohort its course days (SPRING_2027 by default); flushes."""
    course_days.save_days(in_cohort, SPRING_2027 if days is None else days)
    db.session.flush()
    return in_cohort


def goal(
    person: Participant,
    text: str = "Ik plan elke ochtend een uur voor mijn eigen werk.",
    *,
    theme: str = "tijdmanagement",
    shared: bool = False,
    levels: list[tuple[int, int]] = (),  # type: ignore[assignment]
) -> Goal:
    """A goal with an if-then plan and five levels; `levels` are (pulse id, level) ratings."""
    made = goals.add(
        person,
        goals.GoalInput(
            theme=theme,
            text=text,
            if_then="Als ik om 9 uur begin, dan zet ik eerst mijn telefoon een uur op stil.",
            levels={
                -2: "Geen enkele ochtend gepland.",
                -1: "Eén ochtend per week.",
                0: "Drie ochtenden per week.",
                1: "Vier ochtenden per week.",
                2: "Elke ochtend.",
            },
            shared_with_trainer=shared,
        ),
    )
    for pulse_id, level in levels:
        goals.rate_pulse(made, pulse_id, level)
    db.session.flush()
    return made
