"""A participant's personal data as a whole, for the right of access (AVG art. 15 and 20).

Walks the register of assess/survey/erasure.py, so that export and erasure cover the same
tables: on top the readable view (assess/reports/participant_data.py), under "stored" every row.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import TypeAlias

from sqlalchemy import select

from assess import clock
from assess.db import Model, db
from assess.models import AuditEvent, Participant
from assess.reports import participant_data
from assess.survey.erasure import (
    NOT_EXPORTED,
    PARTICIPANT_DATA,
    WITHHELD_FROM_EXPORT,
    audit_rows,
)
from assess.survey.registry import Registry

Scalar: TypeAlias = str | int | float | bool | None
Record: TypeAlias = dict[str, Scalar]  # one stored row, as JSON


def export(participant: Participant, registry: Registry) -> dict[str, object]:
    """Everything stored about the participant, as JSON-ready data (AVG art. 15 and 20).

    On top, the readable view (answers and scores per moment, from participant_data); under
    "stored", every row of every register table, so nothing kept is left out.
    """
    ids = select(Participant.id).where(Participant.id == participant.id)
    data = participant_data.export(participant, registry)
    data["exported_at"] = _json_value(clock.now())
    data["cohort_period"] = {
        "start_date": _json_value(participant.cohort.start_date),
        "end_date": _json_value(participant.cohort.end_date),
    }
    stored: dict[str, list[Record]] = {}
    for table, (model, rows) in PARTICIPANT_DATA.items():
        if table in WITHHELD_FROM_EXPORT:
            continue
        # Every register table has the key `id`: oldest row first.
        order = model.__table__.primary_key
        found = db.session.scalars(select(model).where(rows(ids)).order_by(*order))
        stored[table] = [_row(obj, table) for obj in found]
    _add_questions(stored, registry)
    stored["audit_event"] = [
        {k: v for k, v in _row(event, "audit_event").items() if k != "ip"}
        for event in db.session.scalars(
            select(AuditEvent).where(audit_rows(ids)).order_by(AuditEvent.at, AuditEvent.id)
        )
    ]
    data["stored"] = stored
    return data


def export_json(participant: Participant, registry: Registry) -> str:
    return json.dumps(export(participant, registry), ensure_ascii=False, indent=2)


def _add_questions(data: dict[str, list[Record]], registry: Registry) -> None:
    """Put the question next to each answer, so the export reads without the questionnaire."""
    for answers, responses in (("answer", "response"), ("pulse_answer", "pulse_response")):
        by_response = {r["id"]: r for r in data.get(responses, [])}
        for answer in data.get(answers, []):
            response = by_response.get(answer["response_id"], {})
            qid, version = response.get("questionnaire_id"), response.get("questionnaire_version")
            q = (
                registry.get(qid, version)
                if isinstance(qid, str) and isinstance(version, int)
                else None
            )
            item_id = answer["item_id"]
            item = q.items_by_id.get(item_id) if q and isinstance(item_id, str) else None
            answer["question"] = q.item_text(item) if q and item else None


def _row(obj: Model, table: str) -> Record:
    skip = NOT_EXPORTED.get(table, set())
    return {
        column.key: _json_value(getattr(obj, column.key))
        for column in obj.__table__.columns
        if column.key not in skip
    }


def _json_value(value: object) -> Scalar:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"no JSON for a stored {type(value).__name__}")
