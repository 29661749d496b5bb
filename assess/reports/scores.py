"""The queries behind the trainer's dashboards: the scores of a group of participants.

A group is any SQL condition on Participant (one cohort, several cohorts). The functions return
plain rows, or per-cohort averages joined and aggregated in SQL; the engine's statistics turn
paired rows into change figures (assess/reports/cohort.py). The manager's organisation report
does not build on these: it sums its paired scores per slice in reports/organisation/sums.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import aliased

from assess.db import db
from assess.engine.moments import Moment
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
    moments: Sequence[str] = (Moment.INTAKE, Moment.EXIT),
    variants: Sequence[str] = ("now", "then", "sjt"),
    scale_ids: Iterable[str] | None = None,
) -> list[ScoreRow]:
    """Every submitted score of the group's participants at the given moments."""
    query = (
        select(Participant.id, Response.moment, Score.scale_id, Score.variant, Score.pomp)
        .select_from(Response)
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
    pre: list[float]
    post: list[float]


def pair_up(
    rows: Iterable[ScoreRow],
    pre: tuple[str, str] = (Moment.INTAKE, "now"),
    post: tuple[str, str] = (Moment.EXIT, "now"),
) -> dict[str, Pairs]:
    """Match each participant's pre and post score per scale (missing pairs are left out)."""
    found: dict[str, dict[int, dict[tuple[str, str], float | None]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for row in rows:
        found[row.scale_id][row.participant_id][(row.moment, row.variant)] = row.pomp
    result = {}
    for scale_id, people in found.items():
        pairs = Pairs([], [], [])
        for person in sorted(people):
            a, b = people[person].get(pre), people[person].get(post)
            if a is not None and b is not None:
                pairs.participant_ids.append(person)
                pairs.pre.append(a)
                pairs.post.append(b)
        result[scale_id] = pairs
    return result


def paired_change_by_cohort(
    group: ColumnElement[bool],
    pre: tuple[str, str] = (Moment.INTAKE, "now"),
    post: tuple[str, str] = (Moment.EXIT, "now"),
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
