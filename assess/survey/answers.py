"""Stored answers as the engine wants them: numbers for Likert and numeric items, else text.

Needs no app: the caller passes the questionnaire version the response was started with, so the
read side (assess/reports/) and the writer (assess/survey/responses.py) read answers alike.
"""

from __future__ import annotations

from sqlalchemy import select

from assess.db import db
from assess.engine.definition import Questionnaire
from assess.engine.scoring import AnswerValue
from assess.models import Answer

NUMERIC_TYPES = ("likert", "numeric")


def stored_answers(response_id: int, q: Questionnaire) -> dict[str, AnswerValue]:
    """item id -> the stored answer of one response, typed by the questionnaire's items."""
    rows = db.session.execute(
        select(Answer.item_id, Answer.value, Answer.text).where(Answer.response_id == response_id)
    )
    return {item_id: to_engine(q, item_id, value, text) for item_id, value, text in rows}


def to_engine(q: Questionnaire, item_id: str, value, text) -> AnswerValue:
    item = q.items_by_id.get(item_id)
    if item is not None and item.type in NUMERIC_TYPES and value is not None:
        return int(value) if float(value).is_integer() else float(value)
    return text
