"""The sector's reliable-change thresholds, computed once and stored until the data changes.

A release (organisation/releases.py) counts who improved by more than a scale's reliable-change
threshold (Jacobson & Truax 1991), which rests on the whole sector: the SD of the paired
participants' intake scores and Cronbach's alpha over a sample of intakes. Summing those at
20,000 participants takes a while, so they are kept in one row of `sector_summary` per
questionnaire, next to a fingerprint of what they rest on: the submitted intakes and exits
(count and sum of ids), the newest score id (rescoring writes new score rows;
`responses.rescore` also clears the table), which participant is in which cohort, and which
cohorts use the questionnaire.

Until releases came, every manager's report read the sector's change, time allocation and
trend from here too; a release now carries its own sums, so only what the thresholds need is
summed (format 4), the same way as before, so the thresholds are the same numbers.

A release that finds another fingerprint recomputes and stores the sums. Several app processes
may race to do so; they compute the same figures from the same database, and the one that loses
the race keeps its own. Nothing is kept in process memory.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any, TypedDict

from sqlalchemy import BigInteger, and_, cast, delete, func, insert, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from assess.db import db, end_reads, write_phase
from assess.engine import stats
from assess.engine.definition import Questionnaire
from assess.engine.messages import Message
from assess.engine.moments import Moment
from assess.models import Cohort, Participant, Response, Score, SectorSummary, Status, utcnow
from assess.reports.organisation import alpha as org_alpha
from assess.reports.organisation import sums as org_sums
from assess.reports.organisation.sums import Sliced

FORMAT = 4  # raise when the payload changes shape, so stored summaries are recomputed
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sector:
    """What a release takes from the whole sector: the reliable-change threshold per scale
    (and the reliabilities and intake sums it rests on)."""

    reliability: dict[str, stats.Value]
    thresholds: dict[str, stats.Value]
    moments: Sliced  # (scale, moment): rows, n, sum, sum of squares


def fingerprint(q: Questionnaire) -> str:
    """What the sector's sums rest on, in a few index-only aggregates."""
    submitted = and_(Response.moment.in_(org_sums.MOMENTS), Response.status == Status.SUBMITTED)
    on_q = Cohort.questionnaire_id == q.id
    parts = [
        select(func.count(Response.id)).where(submitted),
        select(func.coalesce(func.sum(Response.id), 0)).where(submitted),
        select(func.coalesce(func.max(Score.id), 0)),
        select(func.count(Participant.id)),
        select(
            func.coalesce(func.sum(cast(Participant.cohort_id, BigInteger) * Participant.id), 0)
        ),
        select(func.count(Cohort.id)).where(on_q),
        select(func.coalesce(func.sum(Cohort.id), 0)).where(on_q),
    ]
    values = db.session.execute(select(*(p.scalar_subquery() for p in parts))).one()
    return ":".join(map(str, (FORMAT, q.id, q.version, *values)))


def load(q: Questionnaire) -> Sector:
    """The sector's sums: the stored ones when their fingerprint still holds, else fresh ones."""
    mark = fingerprint(q)
    row = db.session.execute(
        select(SectorSummary.fingerprint, SectorSummary.payload).where(
            SectorSummary.questionnaire_id == q.id
        )
    ).first()
    if row is not None and row.fingerprint == mark:
        return decode(json.loads(row.payload))
    payload = compute(q)
    store(q, mark, payload)
    return decode(payload)


class StoredReason(TypedDict):
    """Why a figure is not computable, as its message id and parameters."""

    reason: str
    params: dict[str, object]


class Payload(TypedDict):
    """The stored sums: reliabilities as numbers or {"reason": ...}, sums as Sliced rows."""

    format: int
    reliability: dict[str, float | StoredReason]
    thresholds: dict[str, float | StoredReason]
    moments: list[list[Any]]


def stored_reliability(q: Questionnaire) -> dict[str, stats.Value]:
    """The alpha per scale the released reliable-change shares rest on, as last stored: a
    report states it, and shows the shares only when it is at least .70 (claims.py). Read, not
    recomputed with the rest of the sector's sums; only when nothing is stored yet is alpha
    summed (a sample of intakes, as `compute` does), and not stored.
    """
    row = db.session.execute(
        select(SectorSummary.payload).where(SectorSummary.questionnaire_id == q.id)
    ).first()
    payload = json.loads(row.payload) if row is not None else {}
    if payload.get("format") != FORMAT:
        return org_alpha.reliabilities(q)
    return _from_values(payload["reliability"])


def compute(q: Questionnaire) -> Payload:
    """The sector's reliable-change thresholds: the SD of the paired intakes per scale (summed
    per cohort, as the managers' figures once were) and alpha over a sample of intakes."""
    if db.session.get_bind().dialect.name == "postgresql":
        # These big one-off aggregates would spend longer JIT-compiling than running.
        db.session.execute(text("SET LOCAL jit = off"))
    per_cohort = org_sums.Slicing(q, by_cohort=True)
    moments = org_sums.moment_sums(per_cohort)
    reliability = org_alpha.reliabilities(q)
    whole = moments.regroup(everything, range(4))
    sd_pre = {}
    for sid, moment in whole.keys():
        if moment == Moment.INTAKE:
            found = whole.total((sid, moment), any_slice)
            if found is None:
                continue
            _rows, n, total, squares = found
            if (sd := stats.Sums.from_sql(n, total, squares).sd) is not None:
                sd_pre[sid] = sd
    thresholds = {
        sid: stats.reliable_change_threshold(sd_pre.get(sid), reliability.get(sid))
        for sid in q.scale_ids()
    }
    return {
        "format": FORMAT,
        "reliability": _values(reliability),
        "thresholds": _values(thresholds),
        "moments": whole.rows(),
    }


def store(q: Questionnaire, mark: str, payload: Payload) -> None:
    """Replace the stored sums, in a short transaction of its own (the request only reads)."""
    end_reads()
    try:
        with write_phase(), db.engine.begin() as connection:
            connection.execute(delete(SectorSummary).where(SectorSummary.questionnaire_id == q.id))
            connection.execute(
                insert(SectorSummary).values(
                    questionnaire_id=q.id,
                    fingerprint=mark,
                    payload=json.dumps(payload, separators=(",", ":")),
                    computed_at=utcnow(),
                )
            )
    except (IntegrityError, OperationalError) as error:
        # Another process stored its sums meanwhile, or the database is busy: the next
        # report stores them; this one has its figures already.
        log.info("sector summary not stored: %s", type(error).__name__)


def decode(payload: Payload) -> Sector:
    return Sector(
        _from_values(payload["reliability"]),
        _from_values(payload["thresholds"]),
        Sliced(payload["moments"], 2),
    )


def everything(_slice: org_sums.Slice) -> org_sums.Slice:
    return (0, 0, None)


def any_slice(_slice: org_sums.Slice) -> bool:
    return True


def _values(values: dict[str, stats.Value]) -> dict[str, float | StoredReason]:
    # a reason is stored as its message id and parameters, never as text in some language
    return {
        k: {"reason": v.reason.key, "params": dict(v.reason.params)}
        if isinstance(v, stats.NotComputable)
        else v
        for k, v in values.items()
    }


def _from_values(values: dict[str, float | StoredReason]) -> dict[str, stats.Value]:
    return {
        k: stats.NotComputable(Message(v["reason"], v["params"])) if isinstance(v, dict) else v
        for k, v in values.items()
    }
