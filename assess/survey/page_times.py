"""Measured survey durations, the write side: the active seconds of each showing of a page.

A survey page carries the moment it was shown (`FIELD`, seconds since the epoch, stamped when
the page is rendered); its save records the time since then, capped (engine/duration.py), in
the save's own transaction. The same form posted twice (a double click) carries the same stamp
and replaces its row instead of counting twice. A stamp that is missing, not a number or later
than the save records nothing: a duration is a by-product, never a reason to refuse answers.
"""

from __future__ import annotations

import math

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from assess import clock
from assess.db import db
from assess.engine.duration import active_seconds
from assess.models import PageTime, Response, Status

FIELD = "shown_at"


def record(response_id: int, page: int, shown_at: str | None) -> None:
    """Record the active seconds of one showing of `page`, if its stamp can be read."""
    try:
        shown = float(shown_at) if shown_at else math.nan
    except ValueError:
        return
    if not math.isfinite(shown):
        return
    seconds = active_seconds(shown, clock.timestamp())
    if seconds is None:
        return
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(PageTime)
    statement = insert.values(
        response_id=response_id, page=page, shown_at=shown, seconds=seconds
    ).on_conflict_do_update(
        index_elements=["response_id", "page", "shown_at"], set_={"seconds": seconds}
    )
    db.session.execute(statement)


def measured_seconds(questionnaire_id: str, version: int, moment: str) -> list[float]:
    """The total active seconds of every submitted response to this version's moment that
    has page times (responses from before durations were measured have none)."""
    rows = db.session.scalars(
        select(func.sum(PageTime.seconds))
        .join(Response, Response.id == PageTime.response_id)
        .where(
            Response.questionnaire_id == questionnaire_id,
            Response.questionnaire_version == version,
            Response.moment == moment,
            Response.status == Status.SUBMITTED,
        )
        .group_by(PageTime.response_id)
    )
    return [float(s) for s in rows if s is not None]
