"""Course days, read side: the days of a cohort, which one comes next, and how a day is named
on pages and chart axes ("lesdag 3, donderdag 11 februari"). The locale of dates is an
argument; the words come from the catalogue of the app's locale, as in the other reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from assess.db import db
from assess.engine import course_days as engine_days
from assess.models import CourseDay


@dataclass(frozen=True)
class Day:
    number: int
    date: date


def days_of(cohort_id: int) -> list[Day]:
    """The cohort's course days in order (numbered 1… by date)."""
    rows = db.session.execute(
        select(CourseDay.number, CourseDay.date)
        .where(CourseDay.cohort_id == cohort_id)
        .order_by(CourseDay.number)
    )
    return [Day(number, day) for number, day in rows]


def next_day(days: list[Day], today: date) -> Day | None:
    """The day that comes next, today's on a course day; None after the last."""
    found = engine_days.next_day([d.date for d in days], today)
    return Day(*found) if found else None


def short_label(number: int) -> str:
    """'lesdag 3' (a mark on a chart axis)."""
    return _("lesdag %(n)s", n=number)


def long_label(day: Day, locale: str = "nl", with_year: bool = False) -> str:
    """'lesdag 3, donderdag 11 februari' (and the year when asked)."""
    pattern = "EEEE d MMMM y" if with_year else "EEEE d MMMM"
    return _(
        "lesdag %(n)s, %(date)s", n=day.number, date=format_date(day.date, pattern, locale=locale)
    )


def written(days: list[Day], locale: str = "nl") -> str:
    """The days as the trainer's form shows them, one a line, in a shape the reader reads
    back ("donderdag 11 februari 2027")."""
    return "\n".join(format_date(d.date, "EEEE d MMMM y", locale=locale) for d in days)


def marks(days: list[Day]) -> list[tuple[date, str]]:
    """The days as marks on a pulse or trend axis: (date, 'lesdag 3')."""
    return [(d.date, short_label(d.number)) for d in days]
