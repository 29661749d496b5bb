"""The sums behind an organisation report, for the group, the sector and every trend point at once.

One pass per kind of figure over the paired participants of the sector (intake and exit both
submitted), grouped by a few *slices*: whether the participant belongs to the manager's
organisation, whether to the group the report is about, and which trend point (cohort or
half-year) their cohort falls in. The figures of a group are then sums over its slices: the
group's own, the sector's (all slices), a trend point's (its slice, with or without the rest of
the sector). Counts, sums and sums of squares add up, so every mean and SD equals what the
database would compute for that group alone (up to the rounding of the last bits); the
engine's stats.Sums turns them into figures.

A manager's report never reads these live: organisation/releases.py sums one organisation's
cohorts with them when a release is due and stores the result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeAlias

from sqlalchemy import (
    ColumnElement,
    ColumnExpressionArgument,
    Select,
    and_,
    case,
    func,
    literal_column,
    null,
    select,
)
from sqlalchemy.orm import aliased

from assess.db import db
from assess.engine import stats
from assess.engine.definition import Questionnaire
from assess.engine.moments import Moment
from assess.models import Answer, Cohort, Participant, Response, Score
from assess.reports.organisation.groups import submitted_as

MOMENTS = (Moment.INTAKE, Moment.EXIT)

# (own organisation, in the report's group, trend point: its key, or a cohort id per cohort)
Slice: TypeAlias = tuple[int, int, str | int | None]
Where: TypeAlias = Callable[[Slice], bool]  # which slices a figure adds up
Key: TypeAlias = tuple[str, ...]  # scale, moment or item ids
Values: TypeAlias = tuple[int | float | None, ...]  # counts and sums (None: a SUM of nothing)
# A row as the database or a stored summary gives it: (own, in_group, point, *key, *values).
Row: TypeAlias = Sequence[Any]
# A SELECT whose columns depend on the figures asked for.
Query: TypeAlias = Select[*tuple[Any, ...]]


@dataclass(frozen=True)
class Point:
    """One trend point: its key and the cohorts (kind cohort) or start dates (period) in it."""

    key: str
    cohort_ids: frozenset[int] = frozenset()
    between: tuple[date, date] | None = None


class Sliced:
    """Additive sums per key and slice; `total` adds those of the slices that match."""

    def __init__(
        self,
        rows: Iterable[Row] = (),
        keys: int = 0,
        to: Callable[[Slice], Slice | None] | None = None,
    ) -> None:
        """Rows of (own, in_group, point, *key, *sums) with `keys` key columns; `to` moves
        each row's slice elsewhere (None: left out).
        """
        self.by_key: dict[Key, dict[Slice, Values]] = {}
        for row in rows:
            where: Slice | None = (int(row[0]), int(row[1]), row[2])
            if to is not None and where is not None:
                where = to(where)
            if where is not None:
                self.put(tuple(row[3 : 3 + keys]), where, tuple(row[3 + keys :]))

    def put(self, key: Key, where: Slice, values: Values) -> None:
        """Add values to the sums of one key and slice."""
        known = self.by_key.setdefault(key, {})
        old = known.get(where)
        if old is None:
            known[where] = values
        elif len(old) != len(values):
            raise ValueError(f"{len(values)} sums for {len(old)} columns of {key}")
        else:
            # the pairwise form of _add: the same sums, without a list per column
            known[where] = tuple(map(_add_two, old, values))

    def keys(self) -> list[Key]:
        return list(self.by_key)

    def total(self, key: Key, where: Where) -> Values | None:
        """The sums of the matching slices, None when none of them has a row for this key."""
        found = [values for s, values in self.by_key.get(key, {}).items() if where(s)]
        if not found:
            return None
        return tuple(_add(column) for column in zip(*found, strict=True))

    def regroup(
        self,
        to: Callable[[Slice], Slice | None],
        columns: Iterable[int],
        keys: Callable[[Key], bool] | None = None,
    ) -> Sliced:
        """The chosen value columns summed into new slices (`to` gives None: left out), for
        every key or those `keys` accepts.
        """
        picked = list(columns)
        out = Sliced()
        for key, slices in self.by_key.items():
            if keys is not None and not keys(key):
                continue
            for where, values in slices.items():
                if (target := to(where)) is not None:
                    out.put(key, target, tuple(values[i] for i in picked))
        return out

    def rows(self) -> list[list[Any]]:
        """[own, in_group, point, *key, *values] per key and slice (the constructor's input)."""
        return [
            [*where, *key, *values]
            for key, slices in self.by_key.items()
            for where, values in slices.items()
        ]


def _add(values: Iterable[int | float | None]) -> int | float | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def _add_two(a: int | float | None, b: int | float | None) -> int | float | None:
    """_add((a, b)): sum() starts from 0, so `0 + a + b` keeps even the sign of a zero."""
    if a is None:
        return None if b is None else 0 + b
    return 0 + a if b is None else 0 + a + b


class Slicing:
    """The SQL of the slices: which organisation, group and trend points one report needs."""

    def __init__(
        self,
        q: Questionnaire,
        org_id: int | None = None,
        group_cohorts: Iterable[int] = (),
        points: Iterable[Point] = (),
        by_cohort: bool = False,
        only: Sequence[int] | None = None,
    ) -> None:
        """Only `org_id`'s participants (own = 1), in_group for `group_cohorts` of them, and
        a trend point per `points`; or, with `by_cohort`, the whole sector per cohort.
        `only` keeps just these participants (a release sums exactly the people it counts).
        """
        self.q = q
        self.org_id = org_id
        self.only = sorted(only) if only is not None else None
        cohorts = sorted(group_cohorts)
        self.own: ColumnElement[int] = literal_column("1" if org_id is not None else "0")
        # The slice columns that vary, by their labels: an expression with parameters repeated
        # in GROUP BY would not be recognised as the same on PostgreSQL.
        self.keys: list[str] = []
        self.in_group: ColumnElement[int] = literal_column("0")
        if cohorts:
            self.in_group = case((Participant.cohort_id.in_(cohorts), 1), else_=0)
            self.keys.append("slice_group")
        whens = [
            (
                Cohort.start_date.between(*p.between)
                if p.between
                else Participant.cohort_id.in_(sorted(p.cohort_ids)),
                p.key,
            )
            for p in points
        ]
        # The trend point: its key, the cohort id (per cohort) or NULL (no trend).
        self.point: ColumnElement[Any] = null()
        if by_cohort:
            self.point = Participant.cohort_id.expression
        elif whens:
            self.point = case(*whens, else_=None)
        if by_cohort or whens:
            self.keys.append("slice_point")

    def columns(self) -> list[ColumnElement[Any]]:
        return [
            self.own.label("slice_own"),
            self.in_group.label("slice_group"),
            self.point.label("slice_point"),
        ]

    def paired(
        self, *columns: ColumnExpressionArgument[Any]
    ) -> tuple[Query, type[Response], type[Response]]:
        """SELECT slices + columns FROM the paired participants of the questionnaire's cohorts
        (the participants `groups.paired` selects), with their intake and exit responses.
        """
        r1, r2 = aliased(Response), aliased(Response)
        query = (
            select(*self.columns(), *columns)
            .select_from(Participant)
            .join(
                Cohort,
                and_(Cohort.id == Participant.cohort_id, Cohort.questionnaire_id == self.q.id),
            )
            .join(r1, submitted_as(r1, Moment.INTAKE))
            .join(r2, submitted_as(r2, Moment.EXIT))
        )
        if self.org_id is not None:
            query = query.where(Participant.organisation_id == self.org_id)
        if self.only is not None:
            query = query.where(Participant.id.in_(self.only))
        return query, r1, r2

    def group_by(self, query: Query, *columns: str | ColumnExpressionArgument[Any]) -> Query:
        """Group by the varying slices, then by `columns` (labels as strings)."""
        return query.group_by(
            *(literal_column(c) if isinstance(c, str) else c for c in (*self.keys, *columns))
        )


def counts(slicing: Slicing) -> Sliced:
    """Paired participants per slice."""
    query, _r1, _r2 = slicing.paired(func.count(Participant.id))
    return Sliced(db.session.execute(slicing.group_by(query)), 0)


def moment_sums(slicing: Slicing) -> Sliced:
    """Per slice, scale and moment: rows, count, sum and sum of squares of the "now" scores."""
    query, r1, r2 = slicing.paired()
    moment = case((Score.response_id == r1.id, Moment.INTAKE), else_=Moment.EXIT).label(
        "slice_moment"
    )
    query = query.add_columns(
        Score.scale_id,
        moment,
        func.count(),
        func.count(Score.pomp),
        func.sum(Score.pomp),
        func.sum(Score.pomp * Score.pomp),
    ).join(Score, and_(Score.response_id.in_([r1.id, r2.id]), Score.variant == "now"))
    rows = db.session.execute(slicing.group_by(query, Score.scale_id, "slice_moment"))
    return Sliced(rows, 2)


def pair_sums(slicing: Slicing, thresholds: dict[str, stats.Value]) -> Sliced:
    """Per slice and scale, over the participants with both "now" scores of the scale:
    rows, intake count and sum, exit count and sum, change count, sum and sum of squares, how
    many improved by more than the scale's reliable-change threshold, and the intake and exit
    sums of squares (for d_av).
    """
    query, r1, r2 = slicing.paired()
    s1, s2 = aliased(Score), aliased(Score)
    diff = s2.pomp - s1.pomp
    known = {sid: float(t) for sid, t in thresholds.items() if stats.is_computable(t)}
    # An unknown threshold never counts anyone as improved (and the share says why).
    limit = case(known, value=s1.scale_id, else_=None) if known else None
    improved = func.sum(case((diff > limit, 1), else_=0)) if known else func.sum(0)
    query = (
        query.add_columns(
            s1.scale_id,
            func.count(),
            func.count(s1.pomp),
            func.sum(s1.pomp),
            func.count(s2.pomp),
            func.sum(s2.pomp),
            func.count(diff),
            func.sum(diff),
            func.sum(diff * diff),
            improved,
            func.sum(s1.pomp * s1.pomp),
            func.sum(s2.pomp * s2.pomp),
        )
        .join(s1, and_(s1.response_id == r1.id, s1.variant == "now"))
        .join(s2, and_(s2.response_id == r2.id, s2.variant == "now", s2.scale_id == s1.scale_id))
    )
    return Sliced(db.session.execute(slicing.group_by(query, s1.scale_id)), 1)


def time_sums(slicing: Slicing, item_ids: list[str]) -> Sliced:
    """Per slice, moment and time-allocation item: count and sum of the answers."""
    query, r1, r2 = slicing.paired()
    moment = case((Answer.response_id == r1.id, Moment.INTAKE), else_=Moment.EXIT).label(
        "slice_moment"
    )
    query = query.add_columns(
        moment, Answer.item_id, func.count(Answer.value), func.sum(Answer.value)
    ).join(Answer, and_(Answer.response_id.in_([r1.id, r2.id]), Answer.item_id.in_(item_ids)))
    rows = db.session.execute(slicing.group_by(query, "slice_moment", Answer.item_id))
    return Sliced(rows, 2)
