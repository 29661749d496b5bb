"""Response tracking: per moment, who has not started, who is busy (and how far), who submitted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select

from assess.db import db
from assess.engine.moments import PARTICIPANT_MOMENTS, Moment
from assess.models import Answer, Cohort, Organisation, Participant, Response
from assess.survey.registry import Registry

NOT_STARTED, BUSY, SUBMITTED = "not_started", "busy", "submitted"


@dataclass(frozen=True)
class Row:
    participant_id: int
    name: str
    email: str
    organisation: str
    state: str
    answered: int
    items: int
    updated_at: datetime | None
    submitted_at: datetime | None

    @property
    def share(self) -> float:
        return min(self.answered / self.items, 1.0) if self.items else 0.0


@dataclass(frozen=True)
class MomentTracking:
    moment: str
    items: int
    rows: list[Row]

    def count(self, state: str) -> int:
        return sum(1 for r in self.rows if r.state == state)

    @property
    def waiting_emails(self) -> list[str]:
        """Addresses of everyone who has not submitted yet, for a reminder by hand."""
        return [r.email for r in self.rows if r.state != SUBMITTED]


def moment_tracking(cohort: Cohort, moment: str, registry: Registry) -> MomentTracking:
    """Everyone in the cohort with their state at this moment: one SQL query with a count."""
    q = registry.get(cohort.questionnaire_id)
    item_ids = q.item_ids_for(moment) if q is not None and moment in q.moments else []
    answered = func.count(Answer.id)
    query = (
        select(
            Participant.id,
            Participant.name,
            Participant.email,
            Organisation.name,
            Response.status,
            answered,
            Response.updated_at,
            Response.submitted_at,
        )
        .join(Organisation, Organisation.id == Participant.organisation_id)
        .outerjoin(
            Response, and_(Response.participant_id == Participant.id, Response.moment == moment)
        )
        .outerjoin(
            Answer, and_(Answer.response_id == Response.id, Answer.item_id.in_(item_ids or [""]))
        )
        .where(Participant.cohort_id == cohort.id)
        .group_by(
            Participant.id,
            Participant.name,
            Participant.email,
            Organisation.name,
            Response.id,
            Response.status,
            Response.updated_at,
            Response.submitted_at,
        )
        .order_by(Participant.name, Participant.id)
    )
    rows = []
    for pid, name, email, org, status, n, updated, submitted in db.session.execute(query):
        if status is None:
            state = NOT_STARTED
        elif status == "submitted":
            state = SUBMITTED
        else:
            state = BUSY
        rows.append(Row(pid, name, email, org, state, n, len(item_ids), updated, submitted))
    return MomentTracking(moment, len(item_ids), rows)


def cohort_tracking(cohort: Cohort, registry: Registry) -> list[MomentTracking]:
    """Tracking for every moment the cohort has a window for (enabled or not), in course order."""
    moments: list[str] = [m for m in PARTICIPANT_MOMENTS if cohort.window(m) is not None]
    return [moment_tracking(cohort, m, registry) for m in moments or [Moment.INTAKE]]
