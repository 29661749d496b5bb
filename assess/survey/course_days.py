"""Course days, write side: a cohort's days replaced by the trainer's list. The caller (a view
or the demo) flushes and commits; a new cohort's days go in with the cohort.

Rows are updated in place by number rather than deleted and re-added: one flush inserts before
it deletes, so re-adding "lesdag 1" would meet the old one in the unique key.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from assess.models import Cohort, CourseDay


def save_days(cohort: Cohort, days: Sequence[date]) -> None:
    """Make the cohort's course days exactly `days`, numbered 1… in date order."""
    ordered = sorted(days)
    by_number = {d.number: d for d in cohort.course_days}
    for number, day in enumerate(ordered, start=1):
        row = by_number.pop(number, None)
        if row is None:
            cohort.course_days.append(CourseDay(number=number, date=day))
        else:
            row.date = day
    for row in by_number.values():
        cohort.course_days.remove(row)
