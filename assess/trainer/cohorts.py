"""Cohorts and their participants: ownership checks, the cohort list, windows, codes, moving.

A trainer reaches only their own cohorts (an admin reaches all); everything else is a 404, so
the existence of another trainer's cohort is not revealed.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import ColumnElement, func, select, true

from assess import clock
from assess.db import db
from assess.engine import course_days as engine_days
from assess.engine.moments import PARTICIPANT_MOMENTS, Moment
from assess.models import (
    Cohort,
    MomentWindow,
    Organisation,
    Participant,
    Response,
    Role,
    Status,
)
from assess.reports import course_days
from assess.survey import course_days as write_days
from assess.survey import questionnaires, tokens
from assess.web.i18n import select_locale

# No 0/O, 1/I/L: codes are read aloud and typed over from printouts.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def own_filter() -> ColumnElement[bool]:
    """The cohorts the signed-in user may open: their own, or all for an admin."""
    if current_user.role == Role.ADMIN:
        return true()
    return Cohort.trainer_id == current_user.id


def owned_cohort(cohort_id: int) -> Cohort:
    """The cohort when the signed-in user may open it; 404 otherwise (also for someone else's)."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        abort(404)
    if current_user.role != Role.ADMIN and cohort.trainer_id != current_user.id:
        abort(404)
    return cohort


def owned_participant(cohort: Cohort, participant_id: int) -> Participant:
    """A participant of this (already checked) cohort; 404 for anyone else's."""
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.cohort_id != cohort.id:
        abort(404)
    return participant


def own_cohorts(include_archived: bool = True) -> list[Cohort]:
    query = select(Cohort).where(own_filter())
    if not include_archived:
        query = query.where(Cohort.archived.is_(False))
    query = query.order_by(Cohort.start_date.desc().nulls_last(), Cohort.id.desc())
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class CohortCounts:
    participants: int
    submitted: dict[str, int]

    def rate(self, moment: str) -> float | None:
        if not self.participants:
            return None
        return self.submitted.get(moment, 0) / self.participants


def counts(cohort_ids: Iterable[int]) -> dict[int, CohortCounts]:
    """Participants and submitted responses per moment for each cohort, in two grouped queries."""
    ids = list(cohort_ids)
    if not ids:
        return {}
    people = dict(
        db.session.execute(
            select(Participant.cohort_id, func.count())
            .where(Participant.cohort_id.in_(ids))
            .group_by(Participant.cohort_id)
        ).all()
    )
    submitted: dict[int, dict[str, int]] = {cid: {} for cid in ids}
    rows = db.session.execute(
        select(Participant.cohort_id, Response.moment, func.count())
        .join(Response, Response.participant_id == Participant.id)
        .where(Participant.cohort_id.in_(ids), Response.status == Status.SUBMITTED)
        .group_by(Participant.cohort_id, Response.moment)
    )
    for cohort_id, moment, n in rows:
        submitted[cohort_id][moment] = n
    return {cid: CohortCounts(people.get(cid, 0), submitted[cid]) for cid in ids}


def questionnaire_choices() -> list[str]:
    return [q.id for q in questionnaires.registry().latest("participant")]


def fill_form(form, cohort: Cohort) -> None:
    """Put a stored cohort into the form (GET of the edit page)."""
    form.name.data = cohort.name
    form.start_date.data = cohort.start_date
    form.end_date.data = cohort.end_date
    form.questionnaire_id.data = cohort.questionnaire_id
    form.raters_enabled.data = cohort.raters_enabled
    form.raters_at_exit.data = cohort.raters_at_exit
    form.course_days.data = course_days.written(course_days.days_of(cohort.id), select_locale())
    for moment, sub in form.windows().items():
        window = cohort.window(moment)
        sub.enabled.data = window.enabled if window else False
        sub.opens_on.data = window.opens_on if window else None
        sub.closes_on.data = window.closes_on if window else None


def new_cohort_defaults(form) -> None:
    """A new cohort follows the course: the intake is open now, the exit and the follow-up
    stay shut until the trainer opens them or gives them an opening date."""
    for moment, sub in form.windows().items():
        sub.enabled.data = moment == Moment.INTAKE


def apply_form(form, cohort: Cohort, new: bool = False) -> None:
    """Copy a validated form onto the cohort and its three moment windows.

    On a new cohort an opening date switches a later moment on: the date is the trainer's
    way of saying when it opens, so it must not stay shut because a box was left unticked.
    """
    days = form.parsed_days
    if new and days:
        days_as_defaults(form, days)
    cohort.name = form.name.data.strip()
    cohort.start_date = form.start_date.data
    cohort.end_date = form.end_date.data
    cohort.questionnaire_id = form.questionnaire_id.data
    cohort.raters_enabled = bool(form.raters_enabled.data)
    cohort.raters_at_exit = bool(form.raters_enabled.data and form.raters_at_exit.data)
    write_days.save_days(cohort, days)
    for moment, sub in form.windows().items():
        window = cohort.window(moment)
        if window is None:
            window = MomentWindow(moment=moment)
            cohort.windows.append(window)
        window.enabled = bool(sub.enabled.data) or (
            new and moment != Moment.INTAKE and sub.opens_on.data is not None
        )
        window.opens_on = sub.opens_on.data
        window.closes_on = sub.closes_on.data


def days_as_defaults(form, days: list[date]) -> None:
    """A new cohort's dates left empty follow from its course days: start and end from the
    first and last day, each moment window from assess.engine.course_days (the trainer can
    change them afterwards, like any window)."""
    form.start_date.data = form.start_date.data or min(days)
    form.end_date.data = form.end_date.data or max(days)
    windows = engine_days.default_windows(days)
    for moment, sub in form.windows().items():
        if moment in windows and sub.opens_on.data is None and sub.closes_on.data is None:
            sub.opens_on.data, sub.closes_on.data = windows[moment]


def has_responses(cohort: Cohort) -> bool:
    return (
        db.session.execute(
            select(Response.id)
            .join(Participant, Participant.id == Response.participant_id)
            .where(Participant.cohort_id == cohort.id)
            .limit(1)
        ).first()
        is not None
    )


def window_states(cohort: Cohort, today: date | None = None) -> list[tuple[MomentWindow, str]]:
    """Each moment window of the cohort with its state today (open, not_yet, closed, disabled)."""
    today = today or clock.today()
    return [(w, w.state(today)) for w in cohort.windows if w.moment in PARTICIPANT_MOMENTS]


# --------------------------------------------------------------------------- participants


def new_codes(n: int) -> list[str]:
    """n pseudonym codes that are free in the database and distinct from each other."""
    found: set[str] = set()
    while len(found) < n:
        want = n - len(found)
        batch = {
            "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)) for _ in range(want)
        }
        taken = set(
            db.session.scalars(select(Participant.code).where(Participant.code.in_(list(batch))))
        )
        found |= batch - taken
    return sorted(found)[:n]


def organisations() -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation).where(Organisation.active.is_(True)).order_by(Organisation.name)
        )
    )


def organisations_by_name() -> dict[str, Organisation]:
    """Every organisation by its lower-case name, the deactivated ones too (to say so).

    Trainers only pick organisations; an admin creates them (audited, on the admin pages).
    """
    return {o.name.lower(): o for o in db.session.scalars(select(Organisation))}


def email_in_cohort(cohort: Cohort, email: str) -> bool:
    return (
        db.session.execute(
            select(Participant.id).where(
                Participant.cohort_id == cohort.id, func.lower(Participant.email) == email.lower()
            )
        ).first()
        is not None
    )


def add_participants(
    cohort: Cohort, people: list[tuple[str, str, Organisation]]
) -> list[Participant]:
    """Add (name, email, organisation) people to the cohort with a code and a live link."""
    codes = new_codes(len(people))
    added = [
        Participant(cohort=cohort, organisation=org, name=name, email=email, code=code)
        for (name, email, org), code in zip(people, codes, strict=True)
    ]
    db.session.add_all(added)
    db.session.flush()
    for participant in added:
        tokens.issue(participant)
    return added


def move_targets(participant: Participant) -> list[Cohort]:
    """Own cohorts the participant can move to: same questionnaire, not the current one."""
    return [
        c
        for c in own_cohorts(include_archived=False)
        if c.id != participant.cohort_id
        and c.questionnaire_id == participant.cohort.questionnaire_id
    ]


def move_problem(participant: Participant, target: Cohort) -> str | None:
    """Why the move cannot happen (Dutch), or None; responses travel with the participant."""
    if target.id == participant.cohort_id:
        return _("De deelnemer zit al in dit cohort.")
    if target.questionnaire_id != participant.cohort.questionnaire_id:
        return _("Dit cohort gebruikt een andere vragenlijst; de antwoorden passen daar niet bij.")
    if email_in_cohort(target, participant.email):
        return _("In dat cohort staat al iemand met dit e-mailadres.")
    return None
