"""The course as it runs: course days (through the writer)."""

from __future__ import annotations

from datetime import date

from assess.db import db
from assess.models import Cohort
from assess.survey import course_days

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
