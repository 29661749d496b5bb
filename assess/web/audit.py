"""The audit trail: who did what to which object, in the database and in the security log."""

from __future__ import annotations

import json
import logging

from flask import has_request_context, request, session
from flask_login import current_user

from assess.db import db
from assess.models import AuditEvent, Participant
from assess.web import database

log = logging.getLogger("assess.audit")


def record(
    action: str,
    target_type: str | None = None,
    target_id: int | None = None,
    detail: dict | None = None,
    actor_type: str | None = None,
    actor_id: int | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction; the view commits it with its own work.

    `detail` must hold ids and labels only: never answers, tokens or passwords.
    """
    if actor_type is None:
        actor_type, actor_id = current_actor()
    if code := participant_code(target_type, target_id, actor_type, actor_id):
        # The event keeps whom it was about in its own words: the log names a person only
        # while the participant behind the id still has this code (assess/admin/audit_words.py).
        detail = {**(detail or {}), "code": code}
    event = AuditEvent(
        actor_type=actor_type,
        actor_id=actor_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        detail=json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else None,
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    log.info("%s actor=%s:%s target=%s:%s", action, actor_type, actor_id, target_type, target_id)
    return event


def participant_code(
    target_type: str | None, target_id: int | None, actor_type: str, actor_id: int | None
) -> str | None:
    """The pseudonym of the participant an event is about (its target, else its actor)."""
    if target_type == "participant" and target_id is not None:
        ident = target_id
    elif actor_type == "participant" and actor_id is not None:
        ident = actor_id
    else:
        return None
    person = db.session.get(Participant, ident)
    return person.code if person is not None else None


def current_actor() -> tuple[str, int | None]:
    if not has_request_context():
        return "system", None
    if current_user.is_authenticated:
        return "user", current_user.id
    participant = session.get("participant")
    if participant:
        # A staff member who opened a participant's link acts as themselves, on record.
        if participant.get("staff"):
            return "user", participant["staff"]
        return "participant", participant.get("id")
    return "anonymous", None


def read(
    action: str,
    target_type: str | None = None,
    target_id: int | None = None,
    detail: dict | None = None,
) -> None:
    """Record that someone read personal data, in its own short write transaction.

    For GET views: called after the view's reads, it commits the audit row at once, so the read
    is on record exactly once even when rendering fails afterwards, and the page renders
    without holding the write lock (see assess/web/database.py for the rule).
    """
    with database.writing():
        record(action, target_type, target_id, detail)
