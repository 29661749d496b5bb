"""Reading a participant's rater invitations: no web imports, so the read side may use it."""

from __future__ import annotations

from assess.db import db
from assess.models import RaterInvitation


def invitations_of(participant_id: int, moment: str | None = None) -> list[RaterInvitation]:
    query = db.select(RaterInvitation).where(RaterInvitation.participant_id == participant_id)
    if moment is not None:
        query = query.where(RaterInvitation.moment == moment)
    return list(db.session.scalars(query.order_by(RaterInvitation.id)))
