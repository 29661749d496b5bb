"""Mails to raters: the invitation a participant's request queued, the one reminder
(`send-reminders` queues it for raters who have not answered after a week), and composing
both for the worker. The link is rendered when the mail is sent; the outbox holds no token.

Substitution is texts.substitute's (no str.format), and every value is the participant's name,
the rater's role or a date: never an answer, a score or another rater.
"""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage

from assess import clock
from assess.db import db
from assess.engine import raters as rules
from assess.models import RaterInvitation
from assess.survey.labels import moment_name
from assess.survey.raters import invitations, tokens
from assess.trainer.mail import outbox
from assess.trainer.mail import sending as mail
from assess.trainer.mail import texts as mail_texts
from assess.web.security import external_url

KINDS = (invitations.INVITATION_MAIL, invitations.REMINDER_MAIL)
NO_LONGER_OPEN = "niet meer nodig: de beoordelaar heeft al gereageerd of de link is verlopen"

_SUBJECTS = {
    invitations.INVITATION_MAIL: "{naam} vraagt hoe jij haar of hem ziet werken",
    invitations.REMINDER_MAIL: "Herinnering: {naam} vraagt hoe jij haar of hem ziet werken",
}
_WHO_SEES = {
    rules.MANAGER: "Je vult dit in als leidinggevende: {naam} ziet jouw antwoorden als het oordeel"
    " van de leidinggevende.",
    rules.COLLEAGUE: "Je antwoorden blijven anoniem: {naam} ziet alleen het gemiddelde van minstens"
    " drie collega's, nooit jouw antwoorden apart.",
}
_BODY = """Beste collega,

{naam} volgt de Leergang Woonconsulent en vraagt jou bij de {moment} hoe je {naam} ziet werken: \
plannen, nee zeggen en samenwerken met bewoners en partners. Het kost een paar minuten; bij elke \
uitspraak kun je ook "kan ik niet beoordelen" kiezen.

{wie}

Je persoonlijke link (werkt tot en met {deadline}; je hebt geen account nodig):
{link}

Wil je niet meedoen? Via dezelfde link kun je weigeren; dan krijg je geen herinnering meer.

Met vriendelijke groet,
Leergang Woonconsulent"""


def compose(invitation: RaterInvitation, kind: str, message_id: str) -> EmailMessage:
    token = tokens.current_token(invitation)
    address = mail.valid_address(invitation.email)
    assert token is not None and address is not None  # blocked() refuses these
    name = " ".join(invitation.participant.name.split())
    values = {
        "naam": name,
        "moment": moment_name(invitation.moment, "nl"),
        "deadline": mail_texts.deadline_text(invitation.expires_on),
        "link": external_url("rater.rate", token=token),
    }
    # The role's sentence is part of the fixed text, not a value: it holds {naam} itself.
    body = _BODY.replace("{wie}", _WHO_SEES[invitation.role])
    rendered = mail_texts.render(_SUBJECTS[kind], body, values)
    return mail.build_message(rendered, "", address, kind, message_id)


def closed_reason(invitation: RaterInvitation | None, today: date) -> str | None:
    """Why this rater mail no longer goes out, or None."""
    if invitation is None or invitations.validity(invitation, today) is not None:
        return NO_LONGER_OPEN
    if mail.valid_address(invitation.email) is None:
        return mail.NO_ADDRESS
    if tokens.current_token(invitation) is None:
        return mail.NO_LINK
    return None


def mark_sent(invitation_id: int, kind: str) -> None:
    invitation = db.session.get(RaterInvitation, invitation_id)
    if invitation is None:
        return
    if kind == invitations.INVITATION_MAIL:
        invitation.sent_at = invitation.sent_at or clock.now()
    else:
        invitation.reminded_at = invitation.reminded_at or clock.now()


def run(today: date, dry_run: bool = False) -> outbox.Report:
    """Queue the one reminder to raters who have not answered a week after their invitation."""
    report = outbox.Report()
    due = invitations.due_reminders(today)
    for invitation in due:
        where = f"beoordelaar {invitation.id} · {invitation.moment}"
        report.lines.append(f"{'would send' if dry_run else 'queued':<12} {where}")
        if not dry_run:
            invitations.queue_mail(invitation, invitations.REMINDER_MAIL, today, clock.now())
    report.queued = len(due)
    if not dry_run:
        db.session.commit()
    report.summary = f"Rater reminders for {today}: {len(due)} {'due' if dry_run else 'queued'}."
    return report
