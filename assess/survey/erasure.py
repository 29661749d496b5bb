"""The register of a participant's personal data, and its erasure (AVG art. 17).

`PARTICIPANT_DATA` is the register of every table that holds rows about a participant, with
the rows that belong to a set of participants. Erasure here and the export in
assess/reports/personal_data.py both walk it, and
tests/survey/test_personal_data.py compares it with the database schema: a new table linked to a
participant must be added here, or that test fails.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from sqlalchemy import ColumnElement, Select, delete, or_, select, update

from assess.db import Model, db, rowcount
from assess.models import (
    Answer,
    AuditEvent,
    ErasureCleanup,
    ErasureRequest,
    Goal,
    GoalRating,
    GoalRevision,
    MailLog,
    MailOutbox,
    OutboxStatus,
    PageTime,
    Participant,
    PulseAnswer,
    PulseResponse,
    PulseStop,
    RaterInvitation,
    RaterRelease,
    Rating,
    ReleaseMember,
    Response,
    Score,
)

Rows = Callable[[Select], ColumnElement[bool]]


def responses_of(ids: Select) -> Select:
    return select(Response.id).where(Response.participant_id.in_(ids))


def goals_of(ids: Select) -> Select:
    return select(Goal.id).where(Goal.participant_id.in_(ids))


def pulse_responses_of(ids: Select) -> Select:
    return select(PulseResponse.id).where(PulseResponse.participant_id.in_(ids))


def rater_invitations_of(ids: Select) -> Select:
    return select(RaterInvitation.id).where(RaterInvitation.participant_id.in_(ids))


# Table name -> (model, which rows belong to the participants whose ids the select gives).
# Children before parents: erasure deletes in this order.
PARTICIPANT_DATA: dict[str, tuple[type[Model], Rows]] = {
    "answer": (Answer, lambda ids: Answer.response_id.in_(responses_of(ids))),
    "score": (Score, lambda ids: Score.response_id.in_(responses_of(ids))),
    # how long each survey page took them (assess/survey/page_times.py)
    "page_time": (PageTime, lambda ids: PageTime.response_id.in_(responses_of(ids))),
    "response": (Response, lambda ids: Response.participant_id.in_(ids)),
    # The weekly pulse: answers, the week's response, and a "no more pulse mails".
    "pulse_answer": (
        PulseAnswer,
        lambda ids: PulseAnswer.response_id.in_(pulse_responses_of(ids)),
    ),
    "pulse_response": (PulseResponse, lambda ids: PulseResponse.participant_id.in_(ids)),
    "pulse_stop": (PulseStop, lambda ids: PulseStop.participant_id.in_(ids)),
    # Goals with their revisions and ratings: the participant's own words and levels.
    "goal_rating": (GoalRating, lambda ids: GoalRating.goal_id.in_(goals_of(ids))),
    "goal_revision": (GoalRevision, lambda ids: GoalRevision.goal_id.in_(goals_of(ids))),
    "goal": (Goal, lambda ids: Goal.participant_id.in_(ids)),
    "mail_log": (MailLog, lambda ids: MailLog.participant_id.in_(ids)),
    "erasure_request": (ErasureRequest, lambda ids: ErasureRequest.participant_id.in_(ids)),
    # Others' view (issue 29): the ratings about the participant, the colleagues' frozen
    # aggregates; the invitations go after the queued mails that point to them.
    "rating": (Rating, lambda ids: Rating.invitation_id.in_(rater_invitations_of(ids))),
    "rater_release": (RaterRelease, lambda ids: RaterRelease.participant_id.in_(ids)),
    # Queued mail too: once erased, nobody gets an invitation for a person who is gone. A
    # worker in the middle of sending one finds its row gone and records nothing.
    "mail_outbox": (MailOutbox, lambda ids: MailOutbox.participant_id.in_(ids)),
    # Only that the person was counted in a manager's release, never a figure of theirs.
    "release_member": (ReleaseMember, lambda ids: ReleaseMember.participant_id.in_(ids)),
    "rater_invitation": (RaterInvitation, lambda ids: RaterInvitation.participant_id.in_(ids)),
    "participant": (Participant, lambda ids: Participant.id.in_(ids)),
}

# Tables that reach a participant or a staff account through foreign keys but hold no data
# about a participant, with the reason; the schema test accepts them as covered.
NOT_PARTICIPANT_DATA = {
    "user": "staff accounts; an admin deactivates them, the audit trail needs the id",
    "cohort": "a course run (name, dates, trainer); no data about one participant",
    "moment_window": "the opening dates of a cohort's measurement moments",
    "pulse_schedule": "a cohort's weekly pulse days; no data about one participant",
    "pulse": "the dates of one week's pulse of a cohort; no data about one participant",
    "course_day": "the dates a cohort meets; no data about one participant",
    "report_release": "anonymous sums of at least the minimum group size, per organisation and"
    " cohort; who was counted is in release_member",
    "sector_release": "the sector benchmark's copy of a report_release: the same anonymous sums,"
    " no list of who was counted",
}

# The audit trail has no foreign keys (it outlives what it describes); events about a
# participant are found by actor or target and kept as bare ids after erasure.
AUDIT_TARGETS = ("participant", "response")
ERASED = "participant_erased"

# Columns that are secrets of the system rather than data about the person.
NOT_EXPORTED = {
    "participant": {"token_nonce", "token_hash"},
    "rater_invitation": {"token_nonce", "token_hash"},
}

# Register tables erased with the participant but not handed to them row by row: one
# colleague's rating (and who answered when) would undo the aggregate-of-three rule. The
# participant sees the released aggregate and the manager's rating on their own page.
WITHHELD_FROM_EXPORT = {
    "rating": "a rater's own answers; shown to the participant only as released aggregates",
    "rater_invitation": "which rater answered when; the participant sees counts only",
}


def pending_request(participant_id: int) -> ErasureRequest | None:
    """The participant's own erasure request that the admin has not carried out yet."""
    return db.session.scalar(select(ErasureRequest).filter_by(participant_id=participant_id))


def request_erasure(participant: Participant) -> ErasureRequest:
    """Record the participant's request to be erased (once; the caller commits and audits)."""
    found = pending_request(participant.id)
    if found is None:
        found = ErasureRequest(participant_id=participant.id)
        db.session.add(found)
        db.session.flush()
    cancel_mail(participant.id)
    return found


CANCELLED = "wissen aangevraagd: de deelnemer krijgt geen mail meer"


def cancel_mail(participant_id: int) -> int:
    """Stop every mail for the participant that is still to go: queued, waiting for a retry,
    or claimed by a worker (whose record of it is then fenced off; the worker also asks
    again just before it sends). Returns how many."""
    return rowcount(
        db.session.execute(
            update(MailOutbox)
            .where(
                MailOutbox.participant_id == participant_id,
                MailOutbox.status.in_([OutboxStatus.QUEUED, OutboxStatus.SENDING]),
            )
            .values(status=OutboxStatus.SKIPPED, last_error=CANCELLED)
            .execution_options(synchronize_session=False)
        )
    )


def erase(participant: Participant) -> dict[str, int]:
    """Delete the participant and everything linked to them; returns rows removed per table."""
    return erase_many(select(Participant.id).where(Participant.id == participant.id))


def erase_many(ids: Select) -> dict[str, int]:
    """Erase every participant whose id the select gives (set-based; the caller commits).

    Audit events about them keep only their ids and action, marked as erased: the trail
    still shows that something happened, no longer to whom in words or from which address.
    """
    # Materialise the ids first: once the participant rows are gone the select is empty.
    id_list = list(db.session.scalars(ids))
    if not id_list:
        return {table: 0 for table in PARTICIPANT_DATA} | {"audit_event": 0}
    fixed = select(Participant.id).where(Participant.id.in_(id_list))
    marked = rowcount(
        db.session.execute(
            update(AuditEvent)
            .where(audit_rows(fixed))
            # The record of an earlier erasure holds counts only, and is the proof that it was
            # done: it stays as written, whatever later carries the same id.
            .where(AuditEvent.action != ERASED)
            .values(detail=json.dumps({"erased": True}), ip=None)
            .execution_options(synchronize_session=False)
        )
    )
    counts = {}
    for table, (model, rows) in PARTICIPANT_DATA.items():
        result = db.session.execute(
            delete(model).where(rows(fixed)).execution_options(synchronize_session=False)
        )
        counts[table] = rowcount(result)
    counts["audit_event"] = marked
    # The database files still hold the deleted rows until a checkpoint (SQLite) or VACUUM
    # (PostgreSQL): assess/admin/wipe.py finishes that after the commit and removes this row.
    db.session.add(ErasureCleanup(participants=len(id_list)))
    db.session.expire_all()
    return counts


def audit_rows(ids: Select) -> ColumnElement[bool]:
    return or_(
        (AuditEvent.actor_type == "participant") & AuditEvent.actor_id.in_(ids),
        (AuditEvent.target_type == "participant") & AuditEvent.target_id.in_(ids),
        (AuditEvent.target_type == "response") & AuditEvent.target_id.in_(responses_of(ids)),
    )


def personal_tables() -> Iterable[str]:
    """Every table export and erasure cover, the audit trail included."""
    return [*PARTICIPANT_DATA, "audit_event"]
