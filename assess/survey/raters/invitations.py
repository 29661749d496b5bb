"""Inviting raters, and what a rater does with the link: rate once, decline, erase their rating.

The caller (a view or a command) commits. A rating is submitted atomically: one UPDATE moves
the invitation from `invited` to `completed` only while it is still open, so a double click, a
second tab or a link that expired meanwhile cannot store a second or a late rating (Blik marks
its token complete in the same way). The rater's address is cleared on completion or decline:
it was needed only for the link and the reminder.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from email.utils import parseaddr

from flask import current_app
from sqlalchemy import delete, func, update

from assess.db import db, rowcount
from assess.engine import raters as rules
from assess.engine.definition import Questionnaire
from assess.models import (
    Cohort,
    MailOutbox,
    OutboxStatus,
    Participant,
    RaterInvitation,
    RaterRelease,
    RaterState,
    Rating,
)
from assess.survey.raters import tokens
from assess.survey.raters.records import invitations_of

# A rater's link works this many days from the invitation: long enough for a reminder after a
# week and a holiday, short enough that an old mail opens nothing (Blik's UUIDs never expire).
LINK_DAYS = 21

INVITATION_MAIL, REMINDER_MAIL = "rater_invitation", "rater_reminder"
# One reminder, this many days after the invitation, to a rater who has not answered.
REMIND_AFTER_DAYS = 7

# Why a link opens no form: named, so the page and the tests say which (Odoo's _check_validity).
UNKNOWN, EXPIRED, DECLINED, COMPLETED, ERASED = (
    "unknown",
    "expired",
    "declined",
    "completed",
    "erased",
)


def moments_for(cohort: Cohort) -> tuple[str, ...]:
    """The moments at which this cohort's participants may invite raters."""
    if not cohort.raters_enabled:
        return ()
    extra = rules.OPTIONAL_MOMENTS if cohort.raters_at_exit else ()
    order = ("intake", "exit", "followup")
    return tuple(m for m in order if m in rules.RATED_MOMENTS + extra)


def released(participant_id: int, moment: str) -> bool:
    """The colleagues' aggregate of this moment is out: it is frozen, so no colleague is added."""
    found = db.session.scalar(
        db.select(RaterRelease.id).where(
            RaterRelease.participant_id == participant_id, RaterRelease.moment == moment
        )
    )
    return found is not None


def open_addresses(participant_id: int, moment: str) -> set[str]:
    """The addresses already invited for this moment (lower case), to refuse a second invitation."""
    return {(i.email or "").lower() for i in invitations_of(participant_id, moment) if i.email}


def colleague_count(participant_id: int, moment: str) -> int:
    """Colleagues invited for this moment, whatever they did with it (the 3–8 counts them all)."""
    return (
        db.session.scalar(
            db.select(func.count(RaterInvitation.id)).where(
                RaterInvitation.participant_id == participant_id,
                RaterInvitation.moment == moment,
                RaterInvitation.role == rules.COLLEAGUE,
            )
        )
        or 0
    )


def invite(
    participant: Participant, moment: str, role: str, email: str, today: date
) -> RaterInvitation:
    """A new invitation with its link (the caller checked the address and the counts)."""
    invitation = RaterInvitation(
        participant_id=participant.id,
        moment=moment,
        role=role,
        email=email,
        state=RaterState.INVITED,
        expires_on=today + timedelta(days=LINK_DAYS),
    )
    db.session.add(invitation)
    db.session.flush()
    tokens.issue(invitation)
    return invitation


def validity(invitation: RaterInvitation | None, today: date) -> str | None:
    """Why this link opens no form, or None when the rater may answer now."""
    if invitation is None:
        return UNKNOWN
    if invitation.state == RaterState.DECLINED:
        return DECLINED
    if invitation.state == RaterState.COMPLETED:
        return COMPLETED
    if invitation.state == RaterState.ERASED:
        return ERASED
    if today > invitation.expires_on:
        return EXPIRED
    return None


def _close(invitation: RaterInvitation, state: RaterState, today: date, **values: object) -> bool:
    """Move an open invitation to `state` in one UPDATE; False when it was no longer open."""
    done = rowcount(
        db.session.execute(
            update(RaterInvitation)
            .where(
                RaterInvitation.id == invitation.id,
                RaterInvitation.state == RaterState.INVITED,
                RaterInvitation.expires_on >= today,
            )
            .values(state=state, email=None, **values)
            .execution_options(synchronize_session=False)
        )
    )
    db.session.refresh(invitation)
    return bool(done)


def submit(
    invitation: RaterInvitation,
    form: Questionnaire,
    answers: Mapping[str, int | None],
    now: datetime,
    today: date,
) -> bool:
    """Store the rating once: None for an item means "kan ik niet beoordelen". False when the
    link was no longer open (answered, declined or expired meanwhile): nothing is stored."""
    if not _close(
        invitation,
        RaterState.COMPLETED,
        today,
        completed_at=now,
        questionnaire_id=form.id,
        questionnaire_version=form.version,
    ):
        return False
    for item_id in form.item_ids_for(rules.RATER):
        value = answers.get(item_id)
        db.session.add(
            Rating(
                invitation_id=invitation.id,
                item_id=item_id,
                value=None if value is None else float(value),
            )
        )
    db.session.flush()
    return True


def decline(invitation: RaterInvitation, now: datetime, today: date) -> bool:
    """The rater says no; False when the link was no longer open."""
    return _close(invitation, RaterState.DECLINED, today, declined_at=now)


def erase_own(invitation: RaterInvitation) -> None:
    """The rater erases their rating (AVG art. 17). A colleagues' aggregate released before
    holds sums only and stays: recomputing it without one rater would show that rater's answer
    as the difference."""
    db.session.execute(delete(Rating).where(Rating.invitation_id == invitation.id))
    invitation.state = RaterState.ERASED
    invitation.email = None
    db.session.flush()


def queue_mail(invitation: RaterInvitation, kind: str, day: date, now: datetime) -> None:
    """Queue the invitation or reminder mail for the mail worker (which renders the link when it
    sends, so the outbox holds no token); once per invitation, kind and day."""
    domain = parseaddr(current_app.config["MAIL_FROM"])[1].rpartition("@")[2] or "localhost"
    message_id = (
        f"<{kind}.{invitation.moment}.{day:%Y%m%d}.{invitation.participant_id}"
        f".r{invitation.id}@{domain}>"
    )
    exists = db.session.scalar(db.select(MailOutbox.id).where(MailOutbox.message_id == message_id))
    if exists is not None:
        return
    db.session.add(
        MailOutbox(
            message_id=message_id,
            participant_id=invitation.participant_id,
            rater_invitation_id=invitation.id,
            moment=invitation.moment,
            kind=kind,
            day=day,
            status=OutboxStatus.QUEUED,
            attempts=0,
            created_at=now,
            next_attempt_at=now,
        )
    )
    db.session.flush()


def due_reminders(today: date) -> list[RaterInvitation]:
    """Open invitations mailed at least REMIND_AFTER_DAYS ago and not reminded yet."""
    cutoff = today - timedelta(days=REMIND_AFTER_DAYS)
    return [
        i
        for i in db.session.scalars(
            db.select(RaterInvitation)
            .where(
                RaterInvitation.state == RaterState.INVITED,
                RaterInvitation.reminded_at.is_(None),
                RaterInvitation.sent_at.is_not(None),
                RaterInvitation.expires_on >= today,
            )
            .order_by(RaterInvitation.id)
        )
        if i.sent_at is not None and i.sent_at.date() <= cutoff
    ]
