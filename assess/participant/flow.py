"""The steps of filling in a moment: which moment may be filled, saving a page, the review
list and the one-time submit. Views call these; all writes go through `responses`."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, make_response, redirect, render_template, url_for

from assess import clock
from assess.db import db
from assess.engine.definition import Questionnaire, SjtItem
from assess.engine.scoring import AnswerValue, is_blank, missing_required, validate_answers
from assess.models import Answer, Participant, Response, Status
from assess.participant.page_state import OpenStatus
from assess.participant.session import MomentStatus, current_participant, moments, questionnaire_for
from assess.survey import forms as survey_forms
from assess.survey import page_times, responses
from assess.web import audit, database
from assess.web.i18n import select_locale


def moment_status(participant: Participant, moment: str) -> MomentStatus:
    """The participant's status at a moment of their cohort's questionnaire; 404 if unknown."""
    q = questionnaire_for(participant.cohort)
    status = next(
        (m for m in moments(participant, q, clock.today(), select_locale()) if m.moment == moment),
        None,
    )
    if status is None:
        abort(404)
    return status


def closed_page(status: MomentStatus):
    """The page saying a moment is not open (now), and when it opens if that is known."""
    return make_response(render_template("participant/closed.html", status=status), 403)


def fillable(moment: str, api: bool = False) -> tuple[Participant, Questionnaire, MomentStatus]:
    """The participant, questionnaire and status of a moment that can be filled in now.

    A submitted moment goes to the "al ingediend" page and a closed one says when it opens;
    nothing is written in either case. `api` (autosave) answers with a bare 409 instead.
    """
    participant = current_participant()
    status = moment_status(participant, moment)
    if status.submitted:
        if api:
            abort(409)
        abort(redirect(url_for("participant.submitted", moment=moment), 303))
    if status.state != "open":
        if api:
            abort(409)
        abort(closed_page(status))
    if status.response is not None:
        q = responses.questionnaire_of(status.response)
    else:
        q = questionnaire_for(participant.cohort)
    return participant, q, status


def save_page(
    participant_id: int,
    q: Questionnaire,
    status: MomentStatus | OpenStatus,
    form: survey_forms.PageForm,
    page: int,
    action: str,
    shown: tuple[int, str | None] | None = None,
) -> bool:
    """Validate and store a page's answers as a draft; False (nothing stored) on any error.

    Only "next" insists on the required items; "prev", "later" and autosave store what is
    valid so far. An invalid value blocks every action, so it is never silently dropped.
    """
    if not form.validate_page(require=action == "next"):
        return False
    store_page(participant_id, q, status, form.answers(), page, shown)
    return True


def store_page(
    participant_id: int,
    q: Questionnaire,
    status: MomentStatus | OpenStatus,
    answers: dict[str, AnswerValue],
    page: int,
    shown: tuple[int, str | None] | None = None,
) -> None:
    """Store a page's validated answers as a draft, in the request's write transaction;
    `shown` (the page number and the stamp it was shown with) records its active time."""
    database.start_writing()
    if status.response is not None:
        # Read again under the write lock (SQLite) or a row lock (PostgreSQL): another tab may
        # have submitted since this page was read, and a submitted response must not change.
        response: responses.ResponseHead = responses.locked_head(status.response.id)
    else:
        response = responses.get_or_create(q, status.moment, participant_id=participant_id)
    if response.status != Status.DRAFT:
        # Submitted in another tab between loading and saving: write nothing.
        abort(redirect(url_for("participant.submitted", moment=status.moment), 303))
    # One Core UPDATE for the time and the page: an ORM change here cost a flush per save.
    responses.save_answers(response, answers, current_page=page)
    if shown is not None:
        page_times.record(response.id, *shown)
    db.session.commit()


@dataclass(frozen=True)
class ReviewLine:
    item_id: str
    question: str
    answer: str
    missing: bool
    case: str = ""  # a scenario's situation, without which "Wat doe je?" says nothing


@dataclass(frozen=True)
class ReviewPage:
    n: int
    title: str
    lines: list[ReviewLine]


def review_pages(
    q: Questionnaire, moment: str, answers: dict[str, AnswerValue], lang: str
) -> tuple[list[ReviewPage], list[ReviewLine]]:
    """Every page with its questions and the answers read back; plus the required gaps."""
    out = []
    for n, section in enumerate(survey_forms.pages(q, moment), start=1):
        lines = [
            ReviewLine(
                item.id,
                q.item_text(item, lang),
                survey_forms.answer_label(q, item, answers.get(item.id), lang),
                item.required and is_blank(answers.get(item.id)),
                q.text(item.case, lang) if isinstance(item, SjtItem) else "",
            )
            for item in section.items
        ]
        out.append(ReviewPage(n, q.text(section.title, lang), lines))
    missing = [line for page in out for line in page.lines if line.missing]
    return out, missing


def submit_moment(participant: Participant, status: MomentStatus) -> str:
    """Submit the draft: "submitted", "already" (another click won) or "missing" (gaps)."""
    if status.response is None:
        return "missing"
    # Lock the response before reading its answers: a save from another tab then either
    # committed before (and is read here) or waits and finds the response submitted, so the
    # answers checked here are the ones scored.
    response = responses.locked(status.response.id)
    q = responses.questionnaire_of(response)
    answers = responses.answers_of(response)
    if missing_required(q, answers, status.moment) or validate_answers(q, answers, status.moment):
        return "missing"
    if not responses.submit(response, answers):
        db.session.rollback()
        return "already"
    audit.record("response.submitted", "response", response.id, {"moment": status.moment})
    db.session.commit()
    return "submitted"


def recalled_answers(participant_id: int, section) -> dict[str, str]:
    """Earlier text answers that items of this section show back (e.g. the exit action plan)."""
    wanted = {item.recall for item in section.items if getattr(item, "recall", None)}
    if not wanted:
        return {}
    rows = db.session.execute(
        db.select(Answer.item_id, Answer.text)
        .join(Answer.response)
        .where(
            Response.participant_id == participant_id,
            Response.status == Status.SUBMITTED,
            Answer.item_id.in_(wanted),
        )
    )
    return {item_id: text for item_id, text in rows if text}
