"""Who was mailed what: per participant, moment and kind the mail in the outbox or the latest
attempt, and whom to send to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func

from assess import clock
from assess.db import db
from assess.engine.moments import PARTICIPANT_MOMENTS
from assess.models import Cohort, MailLog, MailOutbox, OutboxStatus, Participant, Response, Status

RECIPIENT_CHOICES = ("all", "new", "one")


def today() -> date:
    """Today in the course's time zone, so a cron job on a UTC server picks the right day."""
    return clock.today()


def moments_of(cohort: Cohort) -> list[str]:
    """The cohort's measurement moments in course order; all three when none is planned yet."""
    planned = {w.moment for w in cohort.windows}
    return [str(m) for m in PARTICIPANT_MOMENTS if m in planned or not planned]


def participants_of(cohort: Cohort) -> list[Participant]:
    return list(
        db.session.scalars(
            db.select(Participant)
            .filter_by(cohort_id=cohort.id)
            .order_by(Participant.name, Participant.id)
        )
    )


def _latest_ids(cohort_id: int, moment: str | None = None, kind: str | None = None):
    """The id of the newest MailLog row per participant, moment and kind in a cohort."""
    query = (
        db.select(func.max(MailLog.id))
        .join(Participant, Participant.id == MailLog.participant_id)
        .where(Participant.cohort_id == cohort_id)
        .group_by(MailLog.participant_id, MailLog.moment, MailLog.kind)
    )
    if moment:
        query = query.where(MailLog.moment == moment)
    if kind:
        query = query.where(MailLog.kind == kind)
    return query


@dataclass(frozen=True)
class MailState:
    """What the trainer sees in one cell: queued, sending, sent or failed, with when and why."""

    status: str
    at: datetime  # queued at, or sent / failed at
    error: str | None = None  # failed: the reason; queued again: why the last attempt failed
    attempts: int = 0
    next_attempt_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.status == OutboxStatus.SENT

    @property
    def pending(self) -> bool:
        return self.status in PENDING


PENDING = (OutboxStatus.QUEUED, OutboxStatus.SENDING)


def _pending_rows(cohort_id: int, moment: str | None = None, kind: str | None = None):
    query = (
        db.select(MailOutbox)
        .join(Participant, Participant.id == MailOutbox.participant_id)
        .where(Participant.cohort_id == cohort_id, MailOutbox.status.in_(PENDING))
    )
    if moment:
        query = query.where(MailOutbox.moment == moment)
    if kind:
        query = query.where(MailOutbox.kind == kind)
    return query


def latest_attempts(cohort: Cohort) -> dict[tuple[int, str, str], MailState]:
    """(participant id, moment, kind) → the mail waiting in the outbox, else the newest attempt.

    The worker logs a mail only once it is sent or given up, so a waiting one is always the
    newest news.
    """
    rows = db.session.scalars(db.select(MailLog).where(MailLog.id.in_(_latest_ids(cohort.id))))
    states = {
        (row.participant_id, row.moment, row.kind): MailState(
            OutboxStatus.SENT if row.ok else OutboxStatus.FAILED, row.sent_at, row.error
        )
        for row in rows
    }
    for waiting in db.session.scalars(_pending_rows(cohort.id)):
        states[(waiting.participant_id, waiting.moment, waiting.kind)] = MailState(
            waiting.status,
            waiting.created_at,
            waiting.last_error,
            waiting.attempts,
            waiting.next_attempt_at,
        )
    return states


def per_moment(attempts: dict[tuple[int, str, str], MailState], moments: list[str]):
    """Per moment: whether anything was mailed, how many newest invitations failed, how many wait."""
    summary = {m: {"mailed": False, "failed": 0, "waiting": 0} for m in moments}
    for (_, moment, kind), state in attempts.items():
        if moment in summary:
            summary[moment]["mailed"] = True
            summary[moment]["failed"] += kind == "invitation" and state.status == "failed"
            summary[moment]["waiting"] += state.pending
    return summary


def failed_ids(cohort: Cohort, moment: str, kind: str = "invitation") -> list[int]:
    """Participants whose newest mail of this kind and moment did not go out, and which is not
    waiting in the outbox again: the retry list."""
    waiting = _pending_rows(cohort.id, moment, kind).with_only_columns(MailOutbox.participant_id)
    return list(
        db.session.scalars(
            db.select(MailLog.participant_id)
            .where(
                MailLog.id.in_(_latest_ids(cohort.id, moment, kind)),
                MailLog.ok.is_(False),
                MailLog.participant_id.not_in(waiting),
            )
            .order_by(MailLog.participant_id)
        )
    )


def recipient_ids(
    cohort: Cohort, moment: str, choice: str, participant_id: int | None = None
) -> list[int]:
    """Whom a send reaches: everyone, only those never invited for the moment, or one person.

    Someone who already submitted the moment is left out of a group send (the preview counts
    only who will get the mail); choosing one person by name still reaches them.
    """
    submitted = db.select(Response.participant_id).where(
        Response.moment == moment,
        Response.status == Status.SUBMITTED,
        Response.participant_id.is_not(None),
    )
    query = (
        db.select(Participant.id)
        .filter_by(cohort_id=cohort.id)
        .order_by(Participant.name, Participant.id)
    )
    if choice != "one":
        query = query.where(Participant.id.not_in(submitted))
    if choice == "new":
        invited = db.select(MailLog.participant_id).where(
            MailLog.moment == moment, MailLog.kind == "invitation", MailLog.ok.is_(True)
        )
        waiting = _pending_rows(cohort.id, moment, "invitation").with_only_columns(
            MailOutbox.participant_id
        )
        query = query.where(Participant.id.not_in(invited), Participant.id.not_in(waiting))
    elif choice == "one":
        query = query.where(Participant.id == participant_id)
    return list(db.session.scalars(query))
