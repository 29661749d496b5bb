"""The queries behind the dashboards: scores of a group of participants, aggregated in SQL.

A group is any SQL condition on Participant (one cohort, several cohorts, one organisation,
a period). The functions return plain rows; the engine's statistics turn paired rows into
change figures. Trainer and manager reports both build on these primitives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import aliased

from assess.db import db
from assess.engine import stats
from assess.models import Participant, Response, Score, Status


@dataclass(frozen=True)
class ScoreRow:
    participant_id: int
    moment: str
    scale_id: str
    variant: str
    pomp: float | None


def group_scores(
    group: ColumnElement[bool],
    moments: Sequence[str] = ("intake", "exit"),
    variants: Sequence[str] = ("now", "then", "sjt"),
    scale_ids: Iterable[str] | None = None,
) -> list[ScoreRow]:
    """Every submitted score of the group's participants at the given moments."""
    query = (
        select(Response.participant_id, Response.moment, Score.scale_id, Score.variant, Score.pomp)
        .join(Score, Score.response_id == Response.id)
        .join(Participant, Participant.id == Response.participant_id)
        .where(
            group,
            Response.status == Status.SUBMITTED,
            Response.moment.in_(moments),
            Score.variant.in_(variants),
        )
    )
    if scale_ids is not None:
        query = query.where(Score.scale_id.in_(list(scale_ids)))
    return [ScoreRow(*row) for row in db.session.execute(query)]


@dataclass(frozen=True)
class Pairs:
    """Per scale, the participants with both scores, in the same order in pre and post."""

    participant_ids: list[int]
    pre: list[float | None]
    post: list[float | None]


def pair_up(
    rows: Iterable[ScoreRow],
    pre: tuple[str, str] = ("intake", "now"),
    post: tuple[str, str] = ("exit", "now"),
) -> dict[str, Pairs]:
    """Match each participant's pre and post score per scale (missing pairs are left out)."""
    found: dict[str, dict[int, dict[tuple[str, str], float | None]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for row in rows:
        found[row.scale_id][row.participant_id][(row.moment, row.variant)] = row.pomp
    result = {}
    for scale_id, people in found.items():
        ids = sorted(
            p for p, s in people.items() if s.get(pre) is not None and s.get(post) is not None
        )
        result[scale_id] = Pairs(ids, [people[p][pre] for p in ids], [people[p][post] for p in ids])
    return result


def change_per_scale(
    rows: Iterable[ScoreRow],
    pre: tuple[str, str] = ("intake", "now"),
    post: tuple[str, str] = ("exit", "now"),
) -> dict[str, stats.PairedChange]:
    """The engine's paired change (means, interval, effect sizes, p) for every scale."""
    return {
        scale_id: stats.paired_change(pairs.pre, pairs.post)
        for scale_id, pairs in pair_up(rows, pre, post).items()
    }


@dataclass(frozen=True)
class Aggregate:
    scale_id: str
    moment: str
    variant: str
    n: int
    mean: float | None
    sd: float | None


def aggregate_scores(
    group: ColumnElement[bool],
    moments: Sequence[str] = ("intake", "exit"),
    variants: Sequence[str] = ("now",),
) -> list[Aggregate]:
    """n, mean and SD per scale, moment and variant, computed by the database.

    SQLite has no STDDEV, so the SD comes from the sums of x and x²; that is exact enough for
    scores on 0-100 and keeps the aggregation in SQL on both backends.
    """
    query = (
        select(
            Score.scale_id,
            Response.moment,
            Score.variant,
            func.count(Score.pomp),
            func.avg(Score.pomp),
            func.sum(Score.pomp * Score.pomp),
            func.sum(Score.pomp),
        )
        .join(Response, Score.response_id == Response.id)
        .join(Participant, Participant.id == Response.participant_id)
        .where(
            group,
            Response.status == Status.SUBMITTED,
            Response.moment.in_(moments),
            Score.variant.in_(variants),
        )
        .group_by(Score.scale_id, Response.moment, Score.variant)
    )
    result = []
    for scale_id, moment, variant, n, mean, sum_sq, total in db.session.execute(query):
        sd = None
        if n and n > 1:
            variance = (sum_sq - total * total / n) / (n - 1)
            sd = max(variance, 0.0) ** 0.5
        result.append(Aggregate(scale_id, moment, variant, n, mean, sd))
    return result


def paired_change_sql(
    group: ColumnElement[bool],
    pre: tuple[str, str] = ("intake", "now"),
    post: tuple[str, str] = ("exit", "now"),
) -> dict[str, tuple[int, float | None, float | None]]:
    """(n, mean change, SD of change) per scale for large groups, joined and summed in SQL.

    Used for the sector benchmark, where fetching every participant's pair would be wasteful.
    """
    r1, r2 = aliased(Response), aliased(Response)
    s1, s2 = aliased(Score), aliased(Score)
    diff = s2.pomp - s1.pomp
    query = (
        select(s1.scale_id, func.count(diff), func.avg(diff), func.sum(diff * diff), func.sum(diff))
        .select_from(Participant)
        .join(r1, and_(r1.participant_id == Participant.id, r1.moment == pre[0]))
        .join(r2, and_(r2.participant_id == Participant.id, r2.moment == post[0]))
        .join(s1, and_(s1.response_id == r1.id, s1.variant == pre[1]))
        .join(s2, and_(s2.response_id == r2.id, s2.variant == post[1], s2.scale_id == s1.scale_id))
        .where(group, r1.status == Status.SUBMITTED, r2.status == Status.SUBMITTED)
        .group_by(s1.scale_id)
    )
    result = {}
    for scale_id, n, mean, sum_sq, total in db.session.execute(query):
        sd = None
        if n and n > 1:
            sd = max((sum_sq - total * total / n) / (n - 1), 0.0) ** 0.5
        result[scale_id] = (n, mean, sd)
    return result


def submitted_counts(group: ColumnElement[bool]) -> dict[str, int]:
    """How many of the group submitted each moment."""
    query = (
        select(Response.moment, func.count())
        .join(Participant, Participant.id == Response.participant_id)
        .where(group, Response.status == Status.SUBMITTED)
        .group_by(Response.moment)
    )
    return dict(db.session.execute(query).all())


def paired_change_by_cohort(
    group: ColumnElement[bool],
    pre: tuple[str, str] = ("intake", "now"),
    post: tuple[str, str] = ("exit", "now"),
) -> dict[tuple[int, str], tuple[int, float | None]]:
    """(n pairs, mean change) per (cohort id, scale), joined and averaged in SQL.

    One query for the trainer's table of all cohorts side by side.
    """
    r1, r2 = aliased(Response), aliased(Response)
    s1, s2 = aliased(Score), aliased(Score)
    diff = s2.pomp - s1.pomp
    query = (
        select(Participant.cohort_id, s1.scale_id, func.count(diff), func.avg(diff))
        .select_from(Participant)
        .join(r1, and_(r1.participant_id == Participant.id, r1.moment == pre[0]))
        .join(r2, and_(r2.participant_id == Participant.id, r2.moment == post[0]))
        .join(s1, and_(s1.response_id == r1.id, s1.variant == pre[1]))
        .join(s2, and_(s2.response_id == r2.id, s2.variant == post[1], s2.scale_id == s1.scale_id))
        .where(group, r1.status == Status.SUBMITTED, r2.status == Status.SUBMITTED)
        .group_by(Participant.cohort_id, s1.scale_id)
    )
    return {(cid, sid): (n, mean) for cid, sid, n, mean in db.session.execute(query)}
