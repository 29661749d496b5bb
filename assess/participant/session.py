"""Who the participant is: the personal link, the session it starts, and which moment is open.

A link (/s/<token>) is exchanged for a session that holds the participant's id and a fingerprint
of the token hash; every participant view calls `current_participant()`, which checks that
fingerprint against the current hash, so revoking or reissuing a link ends the session at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NoReturn

from flask import abort, current_app, g, make_response, render_template, request, session
from sqlalchemy.orm import joinedload

from assess import clock
from assess.db import db
from assess.engine.definition import Questionnaire
from assess.engine.moments import PARTICIPANT_MOMENTS
from assess.models import Cohort, MomentWindow, Participant, Response, Status
from assess.survey import questionnaires

FINGERPRINT = 16
# Seconds between two notes of a participant's activity in the session (see `seen`).
SEEN_RESOLUTION = 60
# The views whose POST carries the person's answers: after an idle time-out they still store
# them (as a draft) before the session ends, so nothing typed is lost.
SAVING_ENDPOINTS = ("participant.page", "participant.autosave")


def start_session(participant: Participant, staff_id: int | None = None) -> None:
    """Forget any earlier session (no fixation) and remember this participant; `staff_id` is
    the signed-in staff member who opened the link, whose reads in it are audited."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    session["participant"] = {
        "id": participant.id,
        "fp": (participant.token_hash or "")[:FINGERPRINT],
        "seen": int(clock.timestamp()),
    }
    if staff_id is not None:
        session["participant"]["staff"] = staff_id


def opened_by_staff() -> bool:
    """Whether this participant session was started by a staff member opening the link."""
    data = session.get("participant")
    return isinstance(data, dict) and bool(data.get("staff"))


def session_participant() -> Participant | None:
    """The participant of this session while their link is still the same one; else None."""
    data = session.get("participant")
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        session.pop("participant", None)
        return None
    # Cohort and its windows in the same query: every participant page needs both (the link's
    # expiry and the moment's state), and lazy loading them was two more round trips a page.
    participant = db.session.get(
        Participant,
        data["id"],
        options=[joinedload(Participant.cohort).joinedload(Cohort.windows)],
    )
    if (
        participant is None
        or not participant.token_hash
        or participant.token_hash[:FINGERPRINT] != data.get("fp")
    ):
        session.pop("participant", None)
        return None
    return participant


def current_participant() -> Participant:
    """The signed-in participant; a "link needed" page (403) without one, 410 when expired."""
    participant = session_participant()
    if participant is None:
        link_problem("idle" if session.pop("ended", None) == "idle" else "needed", 403)
    if link_expired(participant, clock.today()):
        session.pop("participant", None)
        link_problem("expired", 410)
    if idle():
        if request.method == "POST" and request.endpoint in SAVING_ENDPOINTS:
            # This last post still saves its answers; the view then calls end_idle_session().
            g.idle_session = True
        else:
            end_idle_session()
            link_problem("idle", 403)
    else:
        seen()
    return participant


def seen() -> None:
    """Note the participant's activity for the idle time-out.

    Only when the last note is older than SEEN_RESOLUTION seconds: a changed session means a
    newly signed cookie on every response, and the time-out (an hour) needs no finer clock.
    """
    data = session["participant"]
    now = int(clock.timestamp())
    if now - data.get("seen", 0) >= SEEN_RESOLUTION:
        data["seen"] = now
        session.modified = True


def idle() -> bool:
    """Whether the participant did nothing for PARTICIPANT_IDLE_MINUTES: on a shared computer
    the next person must not find the answers open (staff have the same, in web/access.py)."""
    seen = session["participant"].get("seen", 0)
    limit = timedelta(minutes=current_app.config["PARTICIPANT_IDLE_MINUTES"]).total_seconds()
    return clock.timestamp() - seen > limit


def idle_session_ending() -> bool:
    """Whether this request is the last, answer-saving post of a session that timed out."""
    return bool(g.get("idle_session"))


def end_idle_session() -> None:
    """End the participant's session after the idle time-out; the next page says why."""
    session.pop("participant", None)
    session["ended"] = "idle"


def link_problem(problem: str, status: int) -> NoReturn:
    """Stop with the page that says what is wrong with the link and what to do."""
    page = render_template("participant/link_problem.html", problem=problem)
    abort(make_response(page, status))


def link_expired(participant: Participant, today: date) -> bool:
    """Archived cohort, or more than LINK_GRACE_DAYS after the cohort's last closing date."""
    cohort = participant.cohort
    closing = [w.closes_on for w in cohort.windows if w.closes_on]
    return expired(cohort.archived, max(closing) if closing else None, today)


def expired(archived: bool, last_closing: date | None, today: date) -> bool:
    """The rule of `link_expired`, from the cohort's archived flag and last closing date."""
    if archived:
        return True
    if last_closing is None:
        return False
    grace = timedelta(days=int(current_app.config["LINK_GRACE_DAYS"]))
    return today > last_closing + grace


def questionnaire_for(cohort: Cohort) -> Questionnaire:
    q = questionnaires.get(cohort.questionnaire_id)
    if q is None:
        abort(404)
    return q


@dataclass(frozen=True)
class MomentStatus:
    """One measurement moment as the participant sees it."""

    moment: str
    title: str
    window: MomentWindow | None
    state: str  # open | not_yet | closed | disabled | none
    response: Response | None

    @property
    def submitted(self) -> bool:
        return self.response is not None and self.response.status == Status.SUBMITTED

    @property
    def started(self) -> bool:
        return self.response is not None and not self.submitted

    @property
    def fillable(self) -> bool:
        return self.state == "open" and not self.submitted


def moments(participant: Participant, q: Questionnaire, today: date, lang: str = "nl"):
    """The participant's moments in order intake, exit, follow-up (only those the
    questionnaire has), with the cohort's window state and the participant's response."""
    found = {
        r.moment: r
        for r in db.session.scalars(db.select(Response).filter_by(participant_id=participant.id))
    }
    out = []
    for moment in PARTICIPANT_MOMENTS:
        if moment not in q.moments:
            continue
        window = participant.cohort.window(moment)
        state = window.state(today) if window else "none"
        title = moment_title(q, moment, lang)
        out.append(MomentStatus(str(moment), title, window, state, found.get(moment)))
    return out


def moment_title(q: Questionnaire, moment: str, lang: str) -> str:
    """A moment's name as the participant's pages show it ("Voormeting")."""
    title = q.moments[moment].title
    return q.text(title, lang) if title else moment


def open_moment(statuses: list[MomentStatus]) -> MomentStatus | None:
    """The first moment that is open and not yet submitted."""
    return next((m for m in statuses if m.fillable), None)


def next_opening(statuses: list[MomentStatus], today: date) -> MomentStatus | None:
    """The next moment that opens later and is not yet submitted."""
    later = [
        m
        for m in statuses
        if m.state == "not_yet" and not m.submitted and m.window and m.window.opens_on
    ]
    return min(later, key=_opening) if later else None


def _opening(status: MomentStatus) -> date:
    assert status.window is not None and status.window.opens_on is not None  # filtered above
    return status.window.opens_on
