"""What a survey page needs from the database, in one Core query: the participant's session
check, the link's expiry, the moment's window, the response and its answers.

`open_page(moment)` answers only the common case: a valid session whose link holds, a moment
that is open and not submitted, no idle time-out. Anything else returns None, and the view
takes the general path (`flow.fillable`), which says what is wrong exactly as before. So the
rules stay where they are (session.py, flow.py); this module only reads their inputs at once.
The ORM path took three queries and built a participant, a cohort, its windows and the
responses as objects on every page (benchmarks/survey_profile.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import session
from sqlalchemy import Table, and_, bindparam, func, select

from assess import clock
from assess.db import db
from assess.engine.definition import Questionnaire
from assess.engine.moments import PARTICIPANT_MOMENTS
from assess.engine.scoring import AnswerValue
from assess.models import Answer, Cohort, MomentWindow, Participant, Response, Status, window_state
from assess.participant import session as participant_session
from assess.survey import questionnaires
from assess.survey.answers import to_engine
from assess.web.i18n import select_locale


def _table(model) -> Table:
    return model.__table__


P, C, R, A = (_table(m) for m in (Participant, Cohort, Response, Answer))
_window = _table(MomentWindow).alias("w")
_closing = _table(MomentWindow).alias("wc")
_last_closing = (
    select(func.max(_closing.c.closes_on))
    .where(_closing.c.cohort_id == C.c.id)
    .scalar_subquery()
    .label("last_closing")
)

# One row per stored answer of this participant's response at this moment (one row with
# NULL answer columns when there are none, or no response yet). Built once: SQLAlchemy
# caches its compiled form.
PAGE_QUERY = (
    select(
        P.c.token_hash,
        C.c.archived,
        C.c.questionnaire_id,
        _last_closing,
        _window.c.id.label("window_id"),
        _window.c.enabled,
        _window.c.opens_on,
        _window.c.closes_on,
        R.c.id.label("response_id"),
        R.c.status,
        R.c.questionnaire_id.label("response_questionnaire"),
        R.c.questionnaire_version,
        R.c.current_page,
        A.c.item_id,
        A.c.value,
        A.c.text,
    )
    .select_from(
        P.join(C, C.c.id == P.c.cohort_id)
        .outerjoin(
            _window,
            and_(_window.c.cohort_id == C.c.id, _window.c.moment == bindparam("moment")),
        )
        .outerjoin(R, and_(R.c.participant_id == P.c.id, R.c.moment == bindparam("moment")))
        .outerjoin(A, A.c.response_id == R.c.id)
    )
    .where(P.c.id == bindparam("participant_id"))
)


@dataclass(frozen=True)
class DraftRow:
    """The response as far as the page needs it; the writer reads it again under a lock."""

    id: int
    status: str
    questionnaire_id: str
    questionnaire_version: int
    current_page: int


@dataclass(frozen=True)
class OpenStatus:
    """A moment that is open and not submitted: the parts of `MomentStatus` a page uses."""

    moment: str
    title: str
    response: DraftRow | None
    state: str = "open"
    submitted: bool = False


@dataclass(frozen=True)
class OpenPage:
    participant_id: int
    q: Questionnaire
    status: OpenStatus
    stored: dict[str, AnswerValue]


def open_page(moment: str) -> OpenPage | None:
    """The page's participant, questionnaire, status and stored answers in the common case;
    None whenever the general path must decide (see the module's docstring)."""
    data = session.get("participant")
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        return None
    if moment not in PARTICIPANT_MOMENTS:
        return None
    rows = (
        db.session.connection()
        .execute(PAGE_QUERY, {"participant_id": data["id"], "moment": moment})
        .all()
    )
    if not rows:
        return None
    head = rows[0]
    fingerprint = (head.token_hash or "")[: participant_session.FINGERPRINT]
    if not head.token_hash or fingerprint != data.get("fp"):
        return None
    today = clock.today()
    if participant_session.expired(head.archived, head.last_closing, today):
        return None
    if participant_session.idle():
        return None
    latest = questionnaires.get(head.questionnaire_id)
    if latest is None or moment not in latest.moments or head.window_id is None:
        return None
    if window_state(head.enabled, head.opens_on, head.closes_on, today) != "open":
        return None
    response = None
    q = latest
    if head.response_id is not None:
        if head.status != Status.DRAFT:
            return None
        response = DraftRow(
            head.response_id,
            head.status,
            head.response_questionnaire,
            head.questionnaire_version,
            head.current_page,
        )
        found = questionnaires.get(response.questionnaire_id, response.questionnaire_version)
        if found is None:
            return None
        q = found
    participant_session.seen()
    stored = {
        row.item_id: to_engine(q, row.item_id, row.value, row.text)
        for row in rows
        if row.item_id is not None
    }
    title = participant_session.moment_title(latest, moment, select_locale())
    return OpenPage(data["id"], q, OpenStatus(moment, title, response), stored)
