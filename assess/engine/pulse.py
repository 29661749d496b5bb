"""The weekly pulse: its rules in a questionnaire file, its calendar, and its figures.

A questionnaire may have a moment named `pulse` (questionnaires/FORMAT.md): a handful of
unscored items asked once a week between the course days. Unlike intake and exit it is
answered many times, so its answers are stored per week (assess/models.py: Pulse,
PulseResponse), not as a Response.

The calendar works in dates of Europe/Amsterdam, the course's time zone: a pulse opens on its
weekday and stays open for `days_open` whole local days. Only the conversion of "now" to a
local date touches time zones, so summer and winter time cannot shift a pulse by a day.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from assess.engine.duration import estimate_seconds
from assess.engine.items import ChoiceItem, LikertItem, NumericItem, SjtItem, TextItem
from assess.engine.moments import Moment
from assess.engine.stats.common import t_critical

if TYPE_CHECKING:
    from assess.engine.problems import Loc
    from assess.engine.questionnaire import Questionnaire

PULSE = str(Moment.PULSE)
COURSE_ZONE = ZoneInfo("Europe/Amsterdam")
# The promise to the participant: one minute. The file's estimate must keep it.
MAX_SECONDS = 60
# The items the figures are about, by id (questionnaires/leergang-woonconsulent.yaml).
PLANNED = "puls_gepland"
INCOMING = "puls_reactief"
WHAT_WORKED = "puls_werkte"


# --------------------------------------------------------------------------- the file's rules


def check(q: Questionnaire) -> list[tuple[Loc, str]]:
    """A pulse moment holds only unscored items and takes under a minute."""
    if PULSE not in q.moments:
        return []
    out: list[tuple[Loc, str]] = []
    scored = {i for scale in q.scales for i in scale.items} | {
        i for scale in q.scales for i in scale.sjt
    }
    by_section = {s.id: s for s in q.sections}
    for k, sid in enumerate(q.moments[PULSE].sections):
        section = by_section.get(sid)
        if section is None:
            return out  # reported by the moment checks
        if section.retrospective:
            out.append((("moments", PULSE, "sections", k), "a pulse has no retrospective section"))
        for item in section.items:
            if isinstance(item, SjtItem) or item.id in scored:
                out.append(
                    (
                        ("moments", PULSE, "sections", k),
                        f"'{item.id}' is scored; a pulse asks only unscored items",
                    )
                )
            if isinstance(item, LikertItem | ChoiceItem | NumericItem | TextItem) and (
                item.id in q.time_allocation
            ):
                out.append(
                    (
                        ("moments", PULSE, "sections", k),
                        f"'{item.id}' is in time_allocation; a pulse has its own time items",
                    )
                )
    if out:
        return out
    seconds = estimate_seconds(q, PULSE)
    if seconds > MAX_SECONDS:
        out.append(
            (
                ("moments", PULSE),
                f"a pulse takes under a minute; this one is estimated at {seconds:.0f} s",
            )
        )
    minutes = q.moments[PULSE].minutes
    if minutes is not None and minutes != 1:
        out.append((("moments", PULSE, "minutes"), "a pulse states 1 minute"))
    return out


# --------------------------------------------------------------------------- the calendar


@dataclass(frozen=True)
class PulseWeek:
    """One pulse: the Monday of its week, the day it opens and the last day it is open."""

    week: date
    opens_on: date
    closes_on: date


def local_today(now: datetime) -> date:
    """The date of a moment in the course's time zone (a UTC 'now' at 23:30 is already tomorrow)."""
    moment = now
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(COURSE_ZONE).date()


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks(first: date, last: date, weekday: int, days_open: int) -> list[PulseWeek]:
    """Every pulse of a schedule: one per calendar week whose `weekday` (0 = Monday) falls on
    or between `first` and `last`, open for `days_open` days from that day on."""
    if not 0 <= weekday <= 6:
        raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")
    if days_open < 1:
        raise ValueError("days_open must be at least 1")
    out: list[PulseWeek] = []
    week = monday(first)
    while week <= last:
        opens = week + timedelta(days=weekday)
        if first <= opens <= last:
            out.append(PulseWeek(week, opens, opens + timedelta(days=days_open - 1)))
        week += timedelta(weeks=1)
    return out


def state(opens_on: date, closes_on: date, today: date) -> str:
    """'not_yet', 'open' or 'closed' on a local date."""
    if today < opens_on:
        return "not_yet"
    if today > closes_on:
        return "closed"
    return "open"


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class WeekFigure:
    """One week of a group: how many answered, and the median and quartiles of a number."""

    n: int
    invited: int
    median: float | None
    q1: float | None
    q3: float | None

    @property
    def response_rate(self) -> float | None:
        return self.n / self.invited if self.invited else None


def week_figure(values: Sequence[float], invited: int) -> WeekFigure:
    """The median and spread (first and third quartile, inclusive method) of one week."""
    clean = sorted(v for v in values if v is not None and not math.isnan(v))
    if not clean:
        return WeekFigure(0, invited, None, None, None)
    if len(clean) == 1:
        return WeekFigure(1, invited, clean[0], clean[0], clean[0])
    q1, q2, q3 = statistics.quantiles(clean, n=4, method="inclusive")
    return WeekFigure(len(clean), invited, q2, q1, q3)


@dataclass(frozen=True)
class Change:
    """The mean of per-person changes with its 95 % confidence interval (t distribution)."""

    n: int
    mean: float
    low: float | None
    high: float | None


def mean_change(changes: Sequence[float]) -> Change | None:
    """Mean change with a 95 % t interval: mean ± t(0.975, n-1) · sd / √n (n ≥ 2 for a CI)."""
    clean = [c for c in changes if c is not None]
    if not clean:
        return None
    mean = statistics.fmean(clean)
    if len(clean) < 2:
        return Change(1, mean, None, None)
    half = t_critical(0.95, len(clean) - 1) * statistics.stdev(clean) / math.sqrt(len(clean))
    return Change(len(clean), mean, mean - half, mean + half)


def first_to_last(series: Sequence[tuple[date, float]]) -> float | None:
    """A person's change across the course: their last pulse's value minus their first's."""
    points = sorted((d, v) for d, v in series if v is not None)
    if len(points) < 2:
        return None
    return points[-1][1] - points[0][1]
