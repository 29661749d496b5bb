"""Cronbach's alpha per scale over a sample of the sector's intakes, summed by the database.

The same figure as `stats.cronbach_alpha` on the matrix of reverse-keyed answers (listwise
deletion: a respondent counts for a scale only with every item of it answered), but the
database keys the answers (with the SQL that assess/engine/keying.py builds), pivots them to
one row per respondent and sums the items and totals of the complete respondents, so the app
receives one row instead of every answer of the sample; `stats.alpha_from_sums` makes alpha of
those sums.
"""

from __future__ import annotations

import operator
from collections import OrderedDict
from collections.abc import Sequence
from functools import reduce
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import aliased

from assess.db import db
from assess.engine import stats
from assess.engine.definition import LikertItem, Questionnaire
from assess.engine.keying import keying
from assess.engine.moments import Moment
from assess.models import Answer, Cohort, Participant, Response, Status
from assess.reports.organisation.groups import submitted_as

# How many intake responses of the sector are enough to estimate a scale's reliability.
ALPHA_SAMPLE = 2000


def likert_items(q: Questionnaire) -> dict[str, LikertItem]:
    """The items alpha rests on: Likert items, not the retrospective ("then") ones."""
    return {
        item_id: item
        for item_id, item in q.items_by_id.items()
        if isinstance(item, LikertItem) and not item.retrospective_of
    }


def alphas(q: Questionnaire, sample: Select[int]) -> dict[str, stats.Alpha]:
    """Cronbach's alpha of every scale with Feldt's interval over the responses whose ids
    `sample` selects (n: the complete ones, n_dropped: the others that answered any item).
    """
    likert = likert_items(q)
    used = sorted({i for sid in q.scale_ids() for i in q.items_of(sid) if i in likert})
    if not used:
        return {sid: _no_respondents(len(q.items_of(sid))) for sid in q.scale_ids()}
    keyed: dict[str, ColumnElement[float]] = {}
    for item_id in used:
        value = keying(q, likert[item_id]).apply(Answer.value.expression)
        keyed[item_id] = func.max(case((Answer.item_id == item_id, value)))
    person = (
        select(*(v.label(f"i{n}") for n, v in enumerate(keyed.values())))
        .where(Answer.response_id.in_(sample), Answer.item_id.in_(used))
        .group_by(Answer.response_id)
        .subquery("person")
    )
    column = {item_id: person.c[f"i{n}"] for n, item_id in enumerate(keyed)}
    # One row of aggregates: the respondents, then from plan[scale] on the scale's own.
    aggregates: list[ColumnElement[Any]] = [func.count()]  # counts, minima, maxima and sums
    plan: dict[str, int] = {}
    for sid in q.scale_ids():
        items = q.items_of(sid)
        if len(items) < 2 or any(i not in column for i in items):
            continue  # k < 2, or an item no one can answer: alpha is not computable
        complete = and_(*(column[i].is_not(None) for i in items))
        person_total = reduce(operator.add, (column[i] for i in items))
        start = len(aggregates)
        total_in = case((complete, person_total))
        aggregates += [
            func.count(total_in),
            func.min(total_in),
            func.max(total_in),
            func.sum(total_in),
            func.sum(total_in * total_in),
        ]
        for i in items:
            x = case((complete, column[i]))
            aggregates += [func.sum(x), func.sum(x * x)]
        plan[sid] = start
    row: Sequence[float | None] = db.session.execute(select(*aggregates).select_from(person)).one()
    everyone = int(row[0] or 0)
    result: dict[str, stats.Alpha] = {}
    for sid in q.scale_ids():
        k = len(q.items_of(sid))
        if sid not in plan:
            result[sid] = _no_respondents(k)
            continue
        at = plan[sid]
        n, low, high, total, squares = row[at : at + 5]
        per_item = [
            stats.Sums.from_sql(n, row[at + 5 + 2 * j], row[at + 6 + 2 * j]) for j in range(k)
        ]
        found = stats.alpha_from_sums(per_item, stats.Sums.from_sql(n, total, squares), low, high)
        answered = int(n or 0)
        result[sid] = stats.alpha_with_interval(found, answered, k, everyone - answered)
    return result


def _no_respondents(k: int) -> stats.Alpha:
    """Alpha of k items that no respondent answered completely: not computable, and why."""
    value = stats.alpha_from_sums([stats.Sums()] * k, stats.Sums(), None, None)
    return stats.alpha_with_interval(value, 0, k)


def alpha_sample(q: Questionnaire) -> Select[int]:
    """The latest ALPHA_SAMPLE submitted intakes of the sector's paired participants."""
    r2 = aliased(Response)
    return (
        select(Response.id)
        .join(Participant, Participant.id == Response.participant_id)
        .join(Cohort, and_(Cohort.id == Participant.cohort_id, Cohort.questionnaire_id == q.id))
        .join(r2, submitted_as(r2, Moment.EXIT))
        .where(Response.moment == Moment.INTAKE, Response.status == Status.SUBMITTED)
        .order_by(Response.id.desc())
        .limit(ALPHA_SAMPLE)
    )


def reliabilities(q: Questionnaire) -> dict[str, stats.Value]:
    """Cronbach's alpha per scale at intake over (a sample of) the sector: the RCI's reliability."""
    return {sid: a.alpha for sid, a in alphas(q, alpha_sample(q)).items()}


def version_responses(q: Questionnaire, moment: str | None = None) -> Select[int]:
    """Every submitted response to this version of the questionnaire (at one moment)."""
    query = select(Response.id).where(
        Response.questionnaire_id == q.id,
        Response.questionnaire_version == q.version,
        Response.status == Status.SUBMITTED,
    )
    return query if moment is None else query.where(Response.moment == moment)


def pooled_reliability(q: Questionnaire) -> dict[str, stats.Alpha]:
    """Cronbach's alpha per scale over every submitted intake of this version, in the whole
    database: the reliability a cohort's reliable-change threshold rests on, stated with its n,
    instead of the alpha of one small cohort.

    Summing every intake's answers takes about a second at 20,000 participants, on every
    trainer's analysis page; the result is kept per process next to a fingerprint of the
    intakes it rests on and reused while that holds. A submitted response's answers never
    change (responses.save_answers refuses), a revision reopens it and saves (a new
    updated_at), an erasure or a new intake changes the count or the ids: each gives a new
    fingerprint, and the alpha is summed anew from the database.
    """
    key = (str(db.engine.url), q.id, q.version, *intake_fingerprint(q))
    found = _POOLED.get(key)
    if found is None:
        found = alphas(q, version_responses(q, Moment.INTAKE))
        _POOLED[key] = found
        while len(_POOLED) > POOLED_KEPT:
            _POOLED.popitem(last=False)
    return dict(found)


def intake_fingerprint(q: Questionnaire) -> tuple[object, ...]:
    """Count, sum of ids and newest change of the submitted intakes of this version."""
    query = select(
        func.count(Response.id), func.sum(Response.id), func.max(Response.updated_at)
    ).where(
        Response.questionnaire_id == q.id,
        Response.questionnaire_version == q.version,
        Response.status == Status.SUBMITTED,
        Response.moment == Moment.INTAKE,
    )
    return tuple(db.session.execute(query).one())


# Per process, a few questionnaire versions' pooled alphas (see pooled_reliability).
_POOLED: OrderedDict[tuple[object, ...], dict[str, stats.Alpha]] = OrderedDict()
POOLED_KEPT = 16
