"""The participant's view of others' ratings: per moment and scale, self / manager /
colleagues side by side, and the self–other gap of each shown source.

The manager's figure is the manager's own (they were told so before rating). The colleagues'
figure is only ever the frozen release (releases.py), and a gap is computed only from figures
the participant may see.
"""

from __future__ import annotations

from dataclasses import dataclass

from assess.db import db
from assess.engine import raters as rules
from assess.engine.definition import text
from assess.models import Participant, RaterState, Response, Score, Status
from assess.reports.raters import releases
from assess.survey.raters.records import invitations_of
from assess.survey.registry import Registry


@dataclass(frozen=True)
class ScaleRow:
    scale_id: str
    title: str
    self_mean: float | None
    manager_mean: float | None
    colleagues: rules.Aggregate | None  # shown figures only
    gap_manager: rules.Gap | None
    gap_colleagues: rules.Gap | None


@dataclass(frozen=True)
class MomentView:
    moment: str
    rows: list[ScaleRow]
    manager_state: str | None  # None: no manager invited
    colleagues_invited: int
    colleagues_completed: int
    released: bool

    @property
    def has_figures(self) -> bool:
        return any(r.manager_mean is not None or r.colleagues is not None for r in self.rows)


def self_means(participant_id: int, moment: str) -> dict[str, float | None]:
    rows = db.session.execute(
        db.select(Score.scale_id, Score.mean)
        .join(Response, Response.id == Score.response_id)
        .where(
            Response.participant_id == participant_id,
            Response.moment == moment,
            Response.status == Status.SUBMITTED,
            Score.variant == "now",
        )
    )
    return {scale_id: mean for scale_id, mean in rows}


def build(
    participant: Participant, moments: tuple[str, ...], registry: Registry, lang: str
) -> list[MomentView]:
    """One view per moment at which raters were invited (reads only: `releases.release_due`
    runs first, in a write phase)."""
    q = registry.get(participant.cohort.questionnaire_id)
    if q is None:
        return []
    views = []
    every = invitations_of(participant.id)
    for moment in moments:
        invitations = [i for i in every if i.moment == moment]
        if not invitations:
            continue
        release = releases.released(participant.id, moment)
        shown = releases.aggregates(release)
        manager = next((i for i in invitations if i.role == rules.MANAGER), None)
        manager_means = (
            releases.rater_means(manager, registry)
            if manager is not None and manager.state == RaterState.COMPLETED
            else {}
        )
        own = self_means(participant.id, moment)
        rows = []
        for scale in q.scales:
            colleagues = shown.get(scale.id)
            colleagues = colleagues if colleagues is not None and colleagues.shown else None
            self_mean, manager_mean = own.get(scale.id), manager_means.get(scale.id)
            rows.append(
                ScaleRow(
                    scale_id=scale.id,
                    title=text(scale.title, lang),
                    self_mean=self_mean,
                    manager_mean=manager_mean,
                    colleagues=colleagues,
                    gap_manager=rules.classify_gap(self_mean, manager_mean),
                    gap_colleagues=rules.classify_gap(
                        self_mean, colleagues.mean if colleagues else None
                    ),
                )
            )
        colleague_rows = [i for i in invitations if i.role == rules.COLLEAGUE]
        views.append(
            MomentView(
                moment=moment,
                rows=rows,
                manager_state=manager.state if manager is not None else None,
                colleagues_invited=len(colleague_rows),
                colleagues_completed=sum(
                    1 for i in colleague_rows if i.state == RaterState.COMPLETED
                ),
                released=release is not None,
            )
        )
    return views
