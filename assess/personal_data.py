"""A participant's personal data as a whole: export it (right of access) and erase it.

`PARTICIPANT_DATA` is the register of every table that holds rows about a participant, with
the rows that belong to a set of participants. Export and erasure both walk it, and
tests/test_personal_data.py compares it with the database schema: a new table linked to a
participant must be added here, or that test fails.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime

from sqlalchemy import ColumnElement, Select, delete, or_, select, update

from . import participant_data, questionnaires
from .extensions import db
from .models import Answer, AuditEvent, MailLog, Participant, Response, Score

Rows = Callable[[Select], ColumnElement[bool]]


def _responses(ids: Select) -> Select:
    return select(Response.id).where(Response.participant_id.in_(ids))


# Table name -> (model, which rows belong to the participants whose ids the select gives).
# Children before parents: erasure deletes in this order.
PARTICIPANT_DATA: dict[str, tuple[type, Rows]] = {
    "answer": (Answer, lambda ids: Answer.response_id.in_(_responses(ids))),
    "score": (Score, lambda ids: Score.response_id.in_(_responses(ids))),
    "response": (Response, lambda ids: Response.participant_id.in_(ids)),
    "mail_log": (MailLog, lambda ids: MailLog.participant_id.in_(ids)),
    "participant": (Participant, lambda ids: Participant.id.in_(ids)),
}

# Tables that reach a participant or a staff account through foreign keys but hold no data
# about a participant, with the reason; the schema test accepts them as covered.
NOT_PARTICIPANT_DATA = {
    "user": "staff accounts; an admin deactivates them, the audit trail needs the id",
    "cohort": "a course run (name, dates, trainer); no data about one participant",
    "moment_window": "the opening dates of a cohort's measurement moments",
}

# The audit trail has no foreign keys (it outlives what it describes); events about a
# participant are found by actor or target and kept as bare ids after erasure.
AUDIT_TARGETS = ("participant", "response")

# Columns that are secrets of the system rather than data about the person.
NOT_EXPORTED = {"participant": {"token_nonce", "token_hash"}}


def export(participant: Participant) -> dict:
    """Everything stored about the participant, as JSON-ready data (AVG art. 15 and 20).

    On top, the readable view (answers and scores per moment, from participant_data); under
    "stored", every row of every register table, so nothing kept is left out.
    """
    ids = select(Participant.id).where(Participant.id == participant.id)
    data = participant_data.export(participant)
    data["exported_at"] = _json_value(datetime.now(UTC))
    data["cohort_period"] = {
        "start_date": _json_value(participant.cohort.start_date),
        "end_date": _json_value(participant.cohort.end_date),
    }
    stored = {}
    for table, (model, rows) in PARTICIPANT_DATA.items():
        found = db.session.scalars(select(model).where(rows(ids)).order_by(model.id))
        stored[table] = [_row(obj) for obj in found]
    _add_questions(stored)
    stored["audit_event"] = [
        {k: v for k, v in _row(event).items() if k != "ip"}
        for event in db.session.scalars(
            select(AuditEvent).where(_audit_rows(ids)).order_by(AuditEvent.at, AuditEvent.id)
        )
    ]
    data["stored"] = stored
    return data


def export_json(participant: Participant) -> str:
    return json.dumps(export(participant), ensure_ascii=False, indent=2)


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
    marked = db.session.execute(
        update(AuditEvent)
        .where(_audit_rows(fixed))
        .values(detail=json.dumps({"erased": True}), ip=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    counts = {}
    for table, (model, rows) in PARTICIPANT_DATA.items():
        result = db.session.execute(
            delete(model).where(rows(fixed)).execution_options(synchronize_session=False)
        )
        counts[table] = result.rowcount
    counts["audit_event"] = marked
    db.session.expire_all()
    return counts


def _audit_rows(ids: Select) -> ColumnElement[bool]:
    return or_(
        (AuditEvent.actor_type == "participant") & AuditEvent.actor_id.in_(ids),
        (AuditEvent.target_type == "participant") & AuditEvent.target_id.in_(ids),
        (AuditEvent.target_type == "response") & AuditEvent.target_id.in_(_responses(ids)),
    )


def _add_questions(data: dict) -> None:
    """Put the question next to each answer, so the export reads without the questionnaire."""
    by_response = {r["id"]: r for r in data.get("response", [])}
    for answer in data.get("answer", []):
        response = by_response.get(answer["response_id"])
        q = response and questionnaires.get(
            response["questionnaire_id"], response["questionnaire_version"]
        )
        item = q.items_by_id.get(answer["item_id"]) if q else None
        answer["question"] = q.item_text(item) if item else None


def _row(obj) -> dict:
    table = obj.__table__
    skip = NOT_EXPORTED.get(table.name, set())
    return {
        column.key: _json_value(getattr(obj, column.key))
        for column in table.columns
        if column.key not in skip
    }


def _json_value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def personal_tables() -> Iterable[str]:
    """Every table export and erasure cover, the audit trail included."""
    return [*PARTICIPANT_DATA, "audit_event"]
