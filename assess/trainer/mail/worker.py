"""The mail worker: sends what requests and `send-reminders` queued in the outbox.

`flask --app assess mail-worker` runs until SIGTERM (for systemd); `--once` sends what is due
and exits (for cron). Several workers may run side by side.

Per mail, three steps, and no database transaction is open during the SMTP conversation (on
SQLite a transaction holds the single write lock, which would stall every request):

1. claim, in a short transaction: the oldest due row becomes `sending` (attempts + 1, claimed_at
   now). PostgreSQL takes it with SELECT … FOR UPDATE SKIP LOCKED, so two workers never take the
   same row; SQLite's BEGIN IMMEDIATE serialises claims. The mail is rendered here.
2. send over SMTP, the transaction committed.
3. record, in a short transaction: `sent` plus a MailLog row, or back to `queued` with a
   backoff (MAIL_RETRY_SECONDS doubling per attempt), or `failed` after a 5xx refusal or
   MAIL_MAX_ATTEMPTS attempts, with the Dutch reason the trainer reads. The update is fenced on
   (status, attempts), so a worker that lost its claim changes nothing.

The guarantee: every committed row is sent at least once, or ends `failed` with a reason; a
mail is sent twice only when a worker dies after the server accepted it (its 250 reply to the
message) and before step 3 commits, a window of milliseconds that SMTP itself cannot close
(RFC 1047), or when the database stays unreachable for that step (it is retried for 15 s). Such a row stays `sending`; once its claim is older than MAIL_LEASE_SECONDS
(default 10 × SMTP_TIMEOUT + 60 s, longer than any live SMTP conversation can take) a worker
sends it again, with the same Message-ID, so the receiving side can drop the duplicate. A
worker killed at any other moment causes no duplicate: what it had not handed over is sent
once, later.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage

import click
from flask import current_app
from sqlalchemy import and_, or_, update
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import joinedload

from assess import clock
from assess.db import db, rowcount
from assess.models import (
    Cohort,
    MailLog,
    MailOutbox,
    OutboxStatus,
    Participant,
    RaterInvitation,
)
from assess.trainer.mail import bp
from assess.trainer.mail import pulses as pulse_mail
from assess.trainer.mail import raters as rater_mail
from assess.trainer.mail import sending as mail
from assess.trainer.mail import texts as mail_texts

log = logging.getLogger("assess.mail")

NO_LONGER_NEEDED = "niet meer nodig: de deelnemer heeft dit moment al ingevuld"


@dataclass(frozen=True)
class Claimed:
    """A claimed mail, as plain values: nothing here reads the database while SMTP runs."""

    id: int
    attempts: int
    participant_id: int
    moment: str
    kind: str
    day: date
    message: EmailMessage
    rater_invitation_id: int | None = None


@dataclass
class Tally:
    sent: int = 0
    failed: int = 0
    retry: int = 0
    skipped: int = 0
    broken: str | None = None  # the server's failure that ended the pass

    @property
    def handled(self) -> int:
        return self.sent + self.failed + self.retry + self.skipped


def now() -> datetime:
    return clock.now()


def lease_seconds() -> float:
    config = current_app.config
    return float(config.get("MAIL_LEASE_SECONDS") or 10 * float(config["SMTP_TIMEOUT"]) + 60)


def backoff(attempts: int) -> timedelta:
    """60 s, 2 min, 4 min, … after the first, second, third failed attempt."""
    return timedelta(seconds=float(current_app.config["MAIL_RETRY_SECONDS"]) * 2 ** (attempts - 1))


def claim(started: datetime) -> Claimed | str | None:
    """Claim the oldest due mail and render it; None when nothing is due.

    A mail that cannot go out (no address or link any more, a broken text, a reminder the
    participant made unnecessary by submitting) is closed here and its new status returned.
    """
    stale = now() - timedelta(seconds=lease_seconds())
    row = db.session.scalars(
        db.select(MailOutbox)
        .where(
            or_(
                and_(
                    MailOutbox.status == OutboxStatus.QUEUED,
                    MailOutbox.next_attempt_at <= started,
                ),
                # A worker died while sending: see the module docstring for why this resends.
                and_(MailOutbox.status == OutboxStatus.SENDING, MailOutbox.claimed_at < stale),
            )
        )
        .order_by(MailOutbox.next_attempt_at, MailOutbox.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()
    if row is None:
        db.session.commit()
        return None
    row.status, row.claimed_at, row.attempts = OutboxStatus.SENDING, now(), row.attempts + 1
    if row.rater_invitation_id is not None:
        return _claim_rater_mail(row)
    # The mail needs the cohort, its trainer and its windows: one query, not four.
    participant = db.session.scalars(
        db.select(Participant)
        .where(Participant.id == row.participant_id)
        .options(
            joinedload(Participant.cohort).joinedload(Cohort.trainer),
            joinedload(Participant.cohort).selectinload(Cohort.windows),
        )
    ).one()
    closed: tuple[str, str] | None = None
    # Asked again here, just before sending: an erasure request that came in after the
    # mail was queued stops it, even one that raced the request's own cancelling.
    if (reason := mail.blocked_reason(participant)) == mail.ERASING:
        closed = (OutboxStatus.SKIPPED, reason)
    elif reason:
        closed = (OutboxStatus.FAILED, reason)
    elif row.kind == "reminder" and mail.submitted(row.participant_id, row.moment):
        closed = (OutboxStatus.SKIPPED, NO_LONGER_NEEDED)
    elif row.kind == pulse_mail.KIND and pulse_mail.no_longer_wanted(
        row.participant_id, row.day, clock.today()
    ):
        closed = (OutboxStatus.SKIPPED, pulse_mail.NO_LONGER_WANTED)
    elif not (base := row.base_url or current_app.config.get("BASE_URL")):
        # Queued from cron without BASE_URL (or before addresses were stored): a guessed
        # address would mail links that open nothing.
        closed = (OutboxStatus.FAILED, mail.NO_BASE)
    else:
        try:
            message = mail.compose(participant, row.moment, row.kind, row.message_id, base)
        except mail_texts.TemplateError as exc:
            closed = (OutboxStatus.FAILED, f"de tekst van de mail klopt niet: {exc}")
    if closed is not None:
        status, reason = closed
        row.status, row.last_error = status, reason
        if status == OutboxStatus.FAILED:
            db.session.add(_log(row.participant_id, row.moment, row.kind, row.day, reason))
        db.session.commit()
        return status
    claimed = Claimed(
        row.id, row.attempts, row.participant_id, row.moment, row.kind, row.day, message
    )
    db.session.commit()
    return claimed


def _claim_rater_mail(row: MailOutbox) -> Claimed | str:
    """A mail to a rater: closed when the rater answered, declined or the link expired; the
    participant's mail log is not theirs, so nothing is logged there."""
    assert row.rater_invitation_id is not None
    invitation = db.session.get(RaterInvitation, row.rater_invitation_id)
    reason = rater_mail.closed_reason(invitation, clock.today())
    if reason is not None or invitation is None:
        row.status = (
            OutboxStatus.SKIPPED if reason == rater_mail.NO_LONGER_OPEN else OutboxStatus.FAILED
        )
        row.last_error = reason
        db.session.commit()
        return row.status
    message = rater_mail.compose(invitation, row.kind, row.message_id)
    claimed = Claimed(
        row.id,
        row.attempts,
        row.participant_id,
        row.moment,
        row.kind,
        row.day,
        message,
        rater_invitation_id=row.rater_invitation_id,
    )
    db.session.commit()
    return claimed


def _log(participant_id: int, moment: str, kind: str, day: date, error: str | None) -> MailLog:
    return MailLog(
        participant_id=participant_id,
        moment=moment,
        kind=kind,
        day=day,
        ok=error is None,
        error=error,
        sent_at=now(),
    )


def record(claimed: Claimed, failure: mail.Failure | None) -> str:
    """Write the outcome of one SMTP attempt in a short transaction; returns the new status."""
    max_attempts = int(current_app.config["MAIL_MAX_ATTEMPTS"])
    values: dict[str, object]
    logged: str | None = None
    if failure is None:
        status = OutboxStatus.SENT
        values = {"status": status, "sent_at": now(), "last_error": None}
    elif failure.permanent or claimed.attempts >= max_attempts:
        status = OutboxStatus.FAILED
        reason = failure.reason
        if not failure.permanent:
            tries = "1 poging" if claimed.attempts == 1 else f"{claimed.attempts} pogingen"
            reason += f" (opgegeven na {tries})"
        values, logged = {"status": status, "last_error": reason}, reason
    else:
        status = OutboxStatus.QUEUED
        values = {
            "status": status,
            "last_error": failure.reason,
            "next_attempt_at": now() + backoff(claimed.attempts),
        }
    fenced = rowcount(
        db.session.execute(
            update(MailOutbox)
            .where(
                MailOutbox.id == claimed.id,
                MailOutbox.status == OutboxStatus.SENDING,
                MailOutbox.attempts == claimed.attempts,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    )
    # No row: the participant was erased meanwhile (or, past the lease, another worker took
    # the mail over); either way there is nothing of theirs left to log.
    if fenced and claimed.rater_invitation_id is not None:
        if status == OutboxStatus.SENT:
            rater_mail.mark_sent(claimed.rater_invitation_id, claimed.kind)
    elif fenced and status in (OutboxStatus.SENT, OutboxStatus.FAILED):
        db.session.add(
            _log(claimed.participant_id, claimed.moment, claimed.kind, claimed.day, logged)
        )
    db.session.commit()
    return status


def record_soon(claimed: Claimed, failure: mail.Failure | None, stop: Callable[[], bool]) -> str:
    """record(), retried through a short database outage: the mail may be out already, and an
    unrecorded one is sent again once its claim expires."""
    for wait in (1, 2, 4, 8):
        try:
            return record(claimed, failure)
        except OperationalError:
            db.session.rollback()
            if stop():
                break
            log.warning("mail worker: cannot record mail %s; again in %s s", claimed.id, wait)
            time.sleep(wait)
    return record(claimed, failure)


def drain(stop: Callable[[], bool] = lambda: False) -> Tally:
    """Send every mail due when the pass starts, over one SMTP connection.

    A mail that fails and is due again at once (MAIL_RETRY_SECONDS = 0) waits for the next
    pass; a failing server ends the pass, leaving the rest queued untouched.
    """
    started = now()
    tally = Tally()
    with mail.Smtp() as smtp:
        while not stop():
            claimed = claim(started)
            if claimed is None:
                break
            if isinstance(claimed, str):
                status = claimed
            else:
                failure = smtp.send(claimed.message)
                status = record_soon(claimed, failure, stop)
                if failure is not None and failure.broken:
                    tally.broken = failure.reason
            match status:
                case OutboxStatus.SENT:
                    tally.sent += 1
                case OutboxStatus.FAILED:
                    tally.failed += 1
                case OutboxStatus.QUEUED:
                    tally.retry += 1
                case _:
                    tally.skipped += 1
            if tally.broken:
                break
    db.session.expunge_all()
    return tally


def run(poll_seconds: float, stopping: threading.Event) -> None:
    """Drain, then wait for new mail, until `stopping` is set; database outages are survived."""
    while not stopping.is_set():
        try:
            tally = drain(stopping.is_set)
        except SQLAlchemyError:
            log.exception("mail worker: database error; trying again in %s s", poll_seconds)
            db.session.rollback()
            stopping.wait(poll_seconds)
            continue
        if tally.handled:
            log.info("mail worker: %s", summary(tally))
        if tally.broken or not tally.handled:
            stopping.wait(poll_seconds)


def summary(tally: Tally) -> str:
    line = (
        f"{tally.sent} sent, {tally.failed} failed, {tally.retry} to retry later,"
        f" {tally.skipped} no longer needed"
    )
    if tally.broken:
        line += f"; stopped: {tally.broken}"
    return line


@bp.cli.command("mail-worker")
@click.option("--once", is_flag=True, help="Send what is due now and exit (for cron).")
def mail_worker(once: bool):
    """Send queued invitations and reminders; runs until SIGTERM unless --once."""
    if not mail.configured():
        raise click.ClickException("SMTP_HOST is not set: the mail worker cannot send")
    base = current_app.config.get("BASE_URL") or "http://127.0.0.1:5000"
    # Links are built on BASE_URL inside a request context; POST so that on SQLite every
    # transaction here takes the write lock at BEGIN, as CLI writers do.
    with current_app.test_request_context(base_url=base, method="POST"):
        if once:
            tally = drain()
            click.echo(f"Mail: {summary(tally)}.")
            if tally.failed or tally.broken:
                raise SystemExit(1)
            return
        stopping = threading.Event()

        def stop(signum, _frame) -> None:
            log.info("mail worker: signal %s, stopping after the current mail", signum)
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        poll = float(current_app.config["MAIL_POLL_SECONDS"])
        log.info("mail worker: started, polling every %s s", poll)
        run(poll, stopping)
        log.info("mail worker: stopped")
