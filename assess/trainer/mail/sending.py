"""Composing invitations and reminders, and talking SMTP for the mail worker.

Requests never send: they queue (assess/trainer/mail/outbox.py) and the worker
(assess/trainer/mail/worker.py) sends through one `Smtp` connection per batch. A
connection-level failure (server down, time-out, login refused) ends the batch, so a dead server
costs one time-out, not one per participant; a refused address fails only that message.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid, parseaddr

from email_validator import EmailNotValidError, validate_email
from flask import current_app, has_request_context, render_template, request, url_for

from assess import clock, formatting
from assess.db import db
from assess.engine.moments import Moment
from assess.models import Cohort, ErasureRequest, Participant, Response, Status
from assess.reports import durations
from assess.reports import pulses as pulse_weeks
from assess.survey import erasure, questionnaires, tokens
from assess.survey.labels import moment_name
from assess.trainer.mail import texts as mail_texts
from assess.web.security import external_url, one_line

log = logging.getLogger("assess.mail")

NO_ADDRESS = "geen geldig e-mailadres: pas het adres van de deelnemer aan"
NO_LINK = "geen geldige link: geef eerst een nieuwe link uit"
ERASING = erasure.CANCELLED
PREVIEW_TOKEN = "voorbeeldlink-werkt-niet"
NO_BASE = (
    "geen adres van de app bekend voor de link: de beheerder moet BASE_URL instellen"
    " (het adres waarop deelnemers de app openen); verstuur daarna opnieuw"
)


def link_base(in_request: bool = True) -> str | None:
    """The address a mail's links start with: BASE_URL, else, for a mail a page queues, the
    address the trainer reached the app on (what the preview showed). Outside a request
    (cron) there is nothing to go on but BASE_URL: None, and the worker refuses to guess."""
    base = current_app.config.get("BASE_URL")
    if not base and in_request and has_request_context():
        base = request.url_root
    return base.rstrip("/") if base else None


def configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def valid_address(address: str | None) -> str | None:
    """The normalised address, or None when it cannot receive mail (syntax only, no DNS)."""
    try:
        return validate_email(address or "", check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def smtp_error(exc: BaseException) -> str:
    """A short Dutch reason for the trainer, from any exception smtplib or the socket raises."""
    config = current_app.config
    if isinstance(exc, smtplib.SMTPServerDisconnected) and isinstance(
        exc.__context__, TimeoutError
    ):
        exc = exc.__context__  # smtplib reports a time-out while reading as a disconnect
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, reason = next(iter(exc.recipients.values()), (0, b""))
        return f"adres geweigerd door de mailserver ({code} {_decode(reason)})"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "inloggen bij de mailserver mislukt: controleer SMTP_USER en SMTP_PASSWORD"
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return f"afzender geweigerd door de mailserver: controleer MAIL_FROM ({exc.smtp_code})"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return "de mailserver biedt geen STARTTLS aan: zet SMTP_STARTTLS uit of gebruik SMTP_SSL"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "de mailserver verbrak de verbinding"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"mail geweigerd door de mailserver ({exc.smtp_code} {_decode(exc.smtp_error)})"
    if isinstance(exc, smtplib.SMTPException):
        return f"versturen mislukt ({type(exc).__name__})"
    if isinstance(exc, TimeoutError):
        seconds = formatting.plain(float(config["SMTP_TIMEOUT"]))
        return f"de mailserver reageerde niet binnen {seconds} seconden (time-out)"
    if isinstance(exc, ssl.SSLError):
        return "beveiligde verbinding (TLS) met de mailserver mislukt"
    return (
        f"mailserver niet bereikbaar ({config['SMTP_HOST']}:{config['SMTP_PORT']}):"
        " controleer SMTP_HOST en SMTP_PORT"
    )


def _decode(reason: bytes | str) -> str:
    text = reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)
    return one_line(text)[:200]


@dataclass(frozen=True)
class Failure:
    """Why a mail did not go out: the Dutch reason the trainer reads, and what to do next."""

    reason: str
    permanent: bool = False  # refused for good (5xx, no address): trying again will not help
    broken: bool = False  # the connection failed: the rest of the batch would fail the same way


class Smtp:
    """A lazily opened SMTP connection: send() returns None on success, else a Failure."""

    def __init__(self) -> None:
        self.config = current_app.config
        self.connection: smtplib.SMTP | None = None
        self.broken: Failure | None = None

    def __enter__(self) -> Smtp:
        return self

    def __exit__(self, *exc_info) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                self.connection.close()

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        host, port, timeout = c["SMTP_HOST"], int(c["SMTP_PORT"]), float(c["SMTP_TIMEOUT"])
        connection: smtplib.SMTP
        if c["SMTP_SSL"]:
            connection = smtplib.SMTP_SSL(
                host, port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            connection = smtplib.SMTP(host, port, timeout=timeout)
            if c["SMTP_STARTTLS"]:
                connection.starttls(context=ssl.create_default_context())
        if c["SMTP_USER"]:
            connection.login(c["SMTP_USER"], c["SMTP_PASSWORD"] or "")
        return connection

    def send(self, message: EmailMessage) -> Failure | None:
        if self.broken:
            return self.broken
        try:
            if self.connection is None:
                self.connection = self._connect()
            self.connection.send_message(message)
            return None
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as exc:
            # The server refused this message; the connection still serves the next one.
            log.warning("mail refused to=%s: %s", message["To"], exc)
            return Failure(smtp_error(exc), permanent=_permanent(exc))
        except OSError as exc:  # SMTPException, time-outs and refused connections alike
            log.warning("mail server failed: %r", exc)
            self.broken = Failure(smtp_error(exc), broken=True)
            if self.connection is not None:
                self.connection.close()
                self.connection = None
            return self.broken


def _permanent(exc: smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError) -> bool:
    """A 5xx reply refuses for good (no such mailbox); a 4xx one asks to try again later."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reason in exc.recipients.values()]
    else:
        codes = [exc.smtp_code]
    return bool(codes) and all(code >= 500 for code in codes)


def build_message(
    rendered: mail_texts.Rendered, name: str, address: str, kind: str, message_id: str | None = None
):
    """A multipart/alternative message: the plain text first, the HTML part as the preferred one.

    A queued mail passes its outbox Message-ID, so a resend after a crash carries the same one
    and a receiving system can recognise the duplicate.
    """
    config = current_app.config
    message = EmailMessage()
    message["Subject"] = one_line(rendered.subject)
    message["From"] = config["MAIL_FROM"]
    message["To"] = formataddr((one_line(name), address))
    message["Message-ID"] = message_id or make_msgid(domain=mail_domain())
    message["Date"] = formatdate(localtime=True)
    if kind == "reminder":
        message["Auto-Submitted"] = "auto-generated"
    message.set_content(rendered.text)
    html = render_template("mail/message.html", rendered=rendered)
    message.add_alternative(html, subtype="html")
    return message


def mail_domain() -> str:
    return parseaddr(current_app.config["MAIL_FROM"])[1].rpartition("@")[2] or "localhost"


def text_for(cohort: Cohort, kind: str, moment: str) -> tuple[str, str]:
    """The (subject, body) in force: the cohort's own invitation text, else the default."""
    subject, body = mail_texts.defaults(kind, moment)
    if kind == "invitation":
        subject, body = cohort.mail_subject or subject, cohort.mail_body or body
    return subject, body


def values(cohort: Cohort, moment: str, participant_name: str, link: str) -> dict[str, str]:
    window = cohort.window(moment)
    closes_on = window.closes_on if window else None
    if moment == Moment.PULSE:
        closes_on = pulse_weeks.current_closes_on(cohort.id, clock.today())
    return {
        "naam": one_line(participant_name),
        "cohort": one_line(cohort.name),
        "moment": moment_name(moment, "nl"),
        "deadline": mail_texts.deadline_text(closes_on),
        "link": link,
        "trainer": one_line(cohort.trainer.name) or "je trainer",
        "duur": duration_text(cohort, moment),
    }


def duration_text(cohort: Cohort, moment: str) -> str:
    """How long the moment takes, in Dutch: the figure the participant's home page states."""
    q = questionnaires.get(cohort.questionnaire_id)
    if q is None or moment not in q.moments:
        return "enkele minuten"
    minimum = current_app.config["MIN_GROUP_SIZE"]
    return formatting.say(durations.moment_duration(q, moment, minimum).message, "nl")


def preview(cohort: Cohort, kind: str, moment: str, participant: Participant | None):
    """The mail as the first recipient would get it, with a visible link that opens nothing."""
    subject, body = text_for(cohort, kind, moment)
    link = external_url("participant.enter", token=PREVIEW_TOKEN)
    name = participant.name if participant else "Voorbeeld Deelnemer"
    return mail_texts.render(subject, body, values(cohort, moment, name, link))


def submitted(participant_id: int, moment: str) -> bool:
    query = db.select(Response.id).filter_by(
        participant_id=participant_id, moment=moment, status=Status.SUBMITTED
    )
    return db.session.execute(query.limit(1)).first() is not None


def erasing(participant_ids: list[int]) -> set[int]:
    """Those of the participants who asked to be erased: from the request on, no mail at all
    goes to them (each path that queues or sends asks this, the worker just before sending)."""
    if not participant_ids:
        return set()
    return set(
        db.session.scalars(
            db.select(ErasureRequest.participant_id).where(
                ErasureRequest.participant_id.in_(participant_ids)
            )
        )
    )


def blocked_reason(participant: Participant, asked_erasure: bool | None = None) -> str | None:
    """Why no mail can go to this participant (erasure asked, no usable address, no live
    link), or None. `asked_erasure` spares the query when the caller looked it up for many."""
    if asked_erasure is None:
        asked_erasure = bool(erasing([participant.id]))
    if asked_erasure:
        return ERASING
    if valid_address(participant.email) is None:
        return NO_ADDRESS
    if tokens.current_token(participant) is None:
        return NO_LINK
    return None


def compose(
    participant: Participant, moment: str, kind: str, message_id: str, base_url: str
) -> EmailMessage:
    """The mail for one participant as it goes out now: the cohort's text, the live link on
    `base_url` (the address stored when the mail was queued).

    Raises TemplateError for a broken stored text; the caller checks blocked_reason first.
    """
    cohort = participant.cohort
    subject, body = text_for(cohort, kind, moment)
    mail_texts.check(subject)
    mail_texts.check(body, require_link=True)
    address, token = valid_address(participant.email), tokens.current_token(participant)
    assert address is not None and token is not None  # blocked_reason refuses these
    link = base_url.rstrip("/") + url_for("participant.enter", token=token, _external=False)
    rendered = mail_texts.render(subject, body, values(cohort, moment, participant.name, link))
    return build_message(rendered, participant.name, address, kind, message_id)
