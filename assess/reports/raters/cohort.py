"""Self against colleagues for a trainer's cohort, per moment and scale: only people whose
colleagues' aggregate was released (at least three colleagues), and only for groups of at least
the minimum group size; no person's figures, no manager's rating."""

from __future__ import annotations

from dataclasses import dataclass

from assess.db import db
from assess.engine import raters as rules
from assess.engine.definition import text
from assess.models import Cohort, Participant, RaterRelease
from assess.reports.raters import participant as rater_participant
from assess.reports.raters import releases
from assess.survey.registry import Registry


@dataclass(frozen=True)
class ScaleRow:
    moment: str
    title: str
    n: int  # people with both a self score and a released colleagues' figure
    self_mean: float | None  # None below the minimum group size
    colleagues_mean: float | None
    r: float | None


def build(
    cohort: Cohort, moments: tuple[str, ...], registry: Registry, min_group: int, lang: str
) -> list[ScaleRow]:
    q = registry.get(cohort.questionnaire_id)
    if q is None:
        return []
    rows = []
    for moment in moments:
        found = db.session.execute(
            db.select(RaterRelease, Participant.id)
            .join(Participant, Participant.id == RaterRelease.participant_id)
            .where(Participant.cohort_id == cohort.id, RaterRelease.moment == moment)
        ).all()
        if not found:
            continue
        selves = {pid: rater_participant.self_means(pid, moment) for _release, pid in found}
        for scale in q.scales:
            pairs = []
            for release, pid in found:
                shown = releases.aggregates(release).get(scale.id)
                own = selves[pid].get(scale.id)
                if shown is not None and shown.shown and shown.mean is not None and own is not None:
                    pairs.append((own, shown.mean))
            enough = len(pairs) >= min_group
            rows.append(
                ScaleRow(
                    moment=moment,
                    title=text(scale.title, lang),
                    n=len(pairs),
                    self_mean=sum(p[0] for p in pairs) / len(pairs) if enough else None,
                    colleagues_mean=sum(p[1] for p in pairs) / len(pairs) if enough else None,
                    r=rules.correlation(pairs) if enough else None,
                )
            )
    return rows
