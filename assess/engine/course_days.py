"""Course days: a pasted list of dates read the way Dutch people write them, and the moment
windows and "next day" that follow from the days.

A course day is a calendar date in the course's time zone (Europe/Amsterdam), never a moment:
summer and winter time cannot move it, and only the caller's "today" (from assess.clock)
touches time zones.

What is read, one date per line (or separated by ";"), case-insensitive, with an optional
leading "lesdag 3:" label and an optional weekday that must be right:

    11-2-2027   11-02-2027   11/2/2027   11.2.27   2027-02-11
    11 februari 2027   do 11 feb. 2027   donderdag 11 februari   Thursday 11 February 2027

A date without a year takes the year that keeps the list going forward: the year of the date
on the line before, or the next year when that would fall on or before it (a course from
November to March crosses the year end); the first line without a year takes the year that
puts it nearest to today (within half a year either way).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from assess.engine.messages import Message
from assess.engine.moments import Moment

DEFAULT_COUNT = 8  # the Leergang Woonconsulent has eight course days
MAX_DAYS = 20
MAX_LINE = 60  # longer than any date a person writes; keeps the messages short
FIRST_YEAR, LAST_YEAR = 2000, 2100

# Default moment windows, in days (and months for the follow-up) from the course days: the
# intake in the four weeks before day 1, the exit from the last day for three weeks, the
# follow-up about three months after the last day, open for four weeks.
INTAKE_OPENS_BEFORE = 28
EXIT_OPEN_DAYS = 21
FOLLOWUP_AFTER_MONTHS = 3
FOLLOWUP_OPEN_DAYS = 28

MONTHS: dict[str, int] = {}
for _n, _names in enumerate(
    (
        ("januari", "jan", "january"),
        ("februari", "feb", "febr", "february"),
        ("maart", "mrt", "mar", "march"),
        ("april", "apr"),
        ("mei", "may"),
        ("juni", "jun", "june"),
        ("juli", "jul", "july"),
        ("augustus", "aug", "august"),
        ("september", "sep", "sept"),
        ("oktober", "okt", "oct", "october"),
        ("november", "nov"),
        ("december", "dec"),
    ),
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _n

WEEKDAYS: dict[str, int] = {}
for _n, _names in enumerate(
    (
        ("maandag", "ma", "monday", "mon"),
        ("dinsdag", "di", "tuesday", "tue", "tues"),
        ("woensdag", "wo", "wednesday", "wed"),
        ("donderdag", "do", "thursday", "thu", "thur", "thurs"),
        ("vrijdag", "vr", "vrij", "friday", "fri"),
        ("zaterdag", "za", "saturday", "sat"),
        ("zondag", "zo", "sunday", "sun"),
    )
):
    for _name in _names:
        WEEKDAYS[_name] = _n

_LABEL = re.compile(r"^(?:les)?dag\s*\d+\s*[:.\-–)]?\s*|^\d{1,2}\)\s*|^\d{1,2}\.\s+(?=[a-z])")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{4}|\d{2}))?$")
_WORDS = re.compile(r"^(?:([a-z]+)\.?,?\s+)?(\d{1,2})\.?\s+([a-z]+)\.?,?(?:\s+(\d{4}))?$")


@dataclass(frozen=True)
class ParsedDays:
    """The days read from a list, in order, or the problems that stop it being saved."""

    days: list[date]
    problems: list[Message]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _Found:
    day: int
    month: int
    year: int | None
    weekday: int | None


def _read(text: str) -> _Found | None:
    """The parts of one written date, or None when it is not one of the accepted shapes."""
    t = " ".join(text.lower().replace("\u00a0", " ").split())
    t = _LABEL.sub("", t).strip()
    weekday = None
    # A weekday written before a numeric date ("do 11-2-2027").
    head, _, rest = t.partition(" ")
    if rest and head.rstrip(".,") in WEEKDAYS and rest[:1].isdigit():
        weekday = WEEKDAYS[head.rstrip(".,")]
        t = rest.strip()
    if m := _ISO.match(t):
        return _Found(int(m[3]), int(m[2]), int(m[1]), weekday)
    if m := _NUMERIC.match(t):
        year = None if m[3] is None else int(m[3]) + (2000 if len(m[3]) == 2 else 0)
        return _Found(int(m[1]), int(m[2]), year, weekday)
    if m := _WORDS.match(t):
        if m[3] not in MONTHS:
            return None
        if m[1] is not None:
            if m[1] not in WEEKDAYS:
                return None
            weekday = WEEKDAYS[m[1]]
        return _Found(int(m[2]), MONTHS[m[3]], None if m[4] is None else int(m[4]), weekday)
    return None


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _nearest_year(month: int, day: int, today: date) -> int:
    """The year that puts day-month within half a year of today (29 February: the nearest
    leap year that does)."""
    for year in sorted((today.year - 1, today.year, today.year + 1), key=lambda y: y != today.year):
        found = _valid(year, month, day)
        if found is not None and abs((found - today).days) <= 183:
            return year
    return today.year


def parse_days(text: str, today: date) -> ParsedDays:
    """Read a pasted list of course days (see the module docstring); every problem names its
    line and repeats what was written, so the trainer can find and fix it."""
    lines = [
        (n, part.strip())
        for n, line in enumerate(text.splitlines(), start=1)
        for part in line.split(";")
        if part.strip()
    ]
    problems: list[Message] = []
    days: list[date] = []
    if len(lines) > MAX_DAYS:
        return ParsedDays([], [Message("course_days.too_many", {"n": len(lines), "max": MAX_DAYS})])
    previous: date | None = None
    for n, raw in lines:
        shown = raw if len(raw) <= MAX_LINE else raw[:MAX_LINE] + "…"
        found = _read(raw) if len(raw) <= MAX_LINE else None
        if found is None:
            problems.append(Message("course_days.unreadable", {"line": n, "text": shown}))
            continue
        year = found.year
        if year is None:
            if previous is None:
                year = _nearest_year(found.month, found.day, today)
            else:
                year = previous.year
                candidate = _valid(year, found.month, found.day)
                if candidate is not None and candidate <= previous:
                    year += 1
        if not FIRST_YEAR <= year <= LAST_YEAR:
            problems.append(Message("course_days.year", {"line": n, "text": shown}))
            continue
        day = _valid(year, found.month, found.day)
        if day is None:
            problems.append(Message("course_days.no_such_date", {"line": n, "text": shown}))
            continue
        if found.weekday is not None and found.weekday != day.weekday():
            problems.append(Message("course_days.wrong_weekday", {"line": n, "text": shown}))
            continue
        if previous is not None and day <= previous:
            problems.append(Message("course_days.not_after", {"line": n, "text": shown}))
            continue
        days.append(day)
        previous = day
    return ParsedDays(days if not problems else [], problems)


# --------------------------------------------------------------------------- what follows


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day
    (30 November + 3 months = 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_windows(days: Sequence[date]) -> dict[str, tuple[date, date]]:
    """Moment windows from the course days: the intake in the weeks before day 1 (closing the
    day before), the exit from the last day on, the follow-up about three months later."""
    if not days:
        return {}
    first, last = min(days), max(days)
    followup = add_months(last, FOLLOWUP_AFTER_MONTHS)
    return {
        Moment.INTAKE: (first - timedelta(days=INTAKE_OPENS_BEFORE), first - timedelta(days=1)),
        Moment.EXIT: (last, last + timedelta(days=EXIT_OPEN_DAYS - 1)),
        Moment.FOLLOWUP: (followup, followup + timedelta(days=FOLLOWUP_OPEN_DAYS - 1)),
    }


def next_day(days: Sequence[date], today: date) -> tuple[int, date] | None:
    """The course day that comes next (today's, on a course day) as (number, date), numbered
    from 1 in date order; None after the last one."""
    for number, day in enumerate(sorted(days), start=1):
        if day >= today:
            return number, day
    return None


def previous_day(days: Sequence[date], today: date) -> tuple[int, date] | None:
    """The last course day before today, as (number, date); None before day 1."""
    found = None
    for number, day in enumerate(sorted(days), start=1):
        if day < today:
            found = number, day
    return found
