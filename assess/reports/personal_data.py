"""A participant's personal data as a whole, for the right of access (AVG art. 15 and 20).

Walks the register of assess/survey/erasure.py, so that export and erasure cover the same
tables: on top the readable view (assess/reports/participant_data.py), under "stored" every row.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from sqlalchemy import select

from assess.db import db
from assess.models import AuditEvent, Participant
from assess.reports import participant_data
from assess.survey.erasure import NOT_EXPORTED, PARTICIPANT_DATA, audit_rows
from assess.survey.registry import Registry


def export(participant: Participant, registry: Registry) -> dict:
    """Everything stored about the participant, as JSON-ready data (AVG art. 15 and 20).

    On top, the readable view (answers and scores per moment, from participant_data); under
    "stored", every row of every register table, so nothing kept is left out.
    """
    ids = select(Participant.id).where(Participant.id == participant.id)
    data = participant_data.export(participant, registry)
    data["exported_at"] = _json_value(datetime.now(UTC))
    data["cohort_period"] = {
        "start_date": _json_value(participant.cohort.start_date),
        "end_date": _json_value(participant.cohort.end_date),
    }
    stored = {}
    for table, (model, rows) in PARTICIPANT_DATA.items():
        found = db.session.scalars(select(model).where(rows(ids)).order_by(model.id))
        stored[table] = [_row(obj) for obj in found]
    _add_questions(stored, registry)
    stored["audit_event"] = [
        {k: v for k, v in _row(event).items() if k != "ip"}
        for event in db.session.scalars(
            select(AuditEvent).where(audit_rows(ids)).order_by(AuditEvent.at, AuditEvent.id)
        )
    ]
    data["stored"] = stored
    return data


def export_json(participant: Participant, registry: Registry) -> str:
    return json.dumps(export(participant, registry), ensure_ascii=False, indent=2)


def _add_questions(data: dict, registry: Registry) -> None:
    """Put the question next to each answer, so the export reads without the questionnaire."""
    by_response = {r["id"]: r for r in data.get("response", [])}
    for answer in data.get("answer", []):
        response = by_response.get(answer["response_id"])
        q = response and registry.get(
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
