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
    """(n pairs, mean change) per (cohort id, scale), paired and averaged in SQL.

    One query for the trainer's table of all cohorts side by side. Each participant's pre and
    post score of a scale are picked from one pass over their scores (a response per moment,
    a score per scale and variant), instead of joining the score table to itself: with the
    self-join PostgreSQL read all of it (0.1 s at 20,000 participants for 20 cohorts).
    """
    is_pre = and_(Response.moment == pre[0], Score.variant == pre[1])
    is_post = and_(Response.moment == post[0], Score.variant == post[1])
    per_person = (
        select(
            Participant.cohort_id,
            Score.scale_id,
            (func.max(Score.pomp).filter(is_post) - func.max(Score.pomp).filter(is_pre)).label(
                "diff"
            ),
        )
        .select_from(Participant)
        .join(Response, Response.participant_id == Participant.id)
        .join(Score, Score.response_id == Response.id)
        .where(
            group,
            Response.status == Status.SUBMITTED,
            Response.moment.in_(sorted({pre[0], post[0]})),
            Score.variant.in_(sorted({pre[1], post[1]})),
        )
        .group_by(Participant.id, Participant.cohort_id, Score.scale_id)
        .subquery()
    )
    diff = per_person.c.diff
    query = select(
        per_person.c.cohort_id, per_person.c.scale_id, func.count(diff), func.avg(diff)
    ).group_by(per_person.c.cohort_id, per_person.c.scale_id)
    return {(cid, sid): (n, mean) for cid, sid, n, mean in db.session.execute(query)}
