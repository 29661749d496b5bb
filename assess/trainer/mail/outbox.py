"""Queueing mail: what a request (or `send-reminders`) does instead of sending.

A request writes one `MailOutbox` row per mail in its own transaction and returns; the mail
worker (worker.py) sends them. Committed rows survive a crash of the web process, and a
request no longer waits for the mail server, however slow it is or however many mails go out.

Each row's key is its Message-ID, made of participant, moment, kind and day: the same mail is
queued at most once a day (double click, second tab, a rerun of send-reminders), and a failed
one is put back in the queue rather than queued again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_
from sqlalchemy.dialects import postgresql, sqlite

from assess import clock
from assess.db import db
from assess.models import (
    Cohort,
    MailLog,
    MailOutbox,
    OutboxStatus,
    Participant,
    Response,
    Status,
)
from assess.trainer.mail import sending as mail
from assess.trainer.mail import texts as mail_texts
from assess.trainer.mail.status import PENDING

NO_BASE_WARNING = (
    "warning      BASE_URL is not set: the mail worker refuses these mails, as their links"
    " would have no address"
)


@dataclass
class Outcome:
    queued: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # no address or link: never queued
    skipped: list[str] = field(default_factory=list)  # already sent today (or, reminders, done)
    waiting: list[str] = field(default_factory=list)  # already in the queue


@dataclass
class Report:
    """What one cron run (send-reminders, send-pulses) queued or, dry, would queue: a line per
    person for its output, the counts and a summary."""

    lines: list[str] = field(default_factory=list)
    queued: int = 0
    failed: int = 0
    skipped: int = 0
    summary: str = ""

    def would_queue(self, where: str, people: list[tuple[int, str]]) -> None:
        """A dry run's lines for (participant id, who) in one cohort and moment."""
        for participant_id, who in people:
            reason = mail.blocked_reason(db.session.get_one(Participant, participant_id))
            verdict = f"would fail: {reason}" if reason else "would send"
            self.lines.append(f"{verdict:<12} {where} · {who}")
        self.queued += len(people)

    def add(self, where: str, outcome: Outcome) -> None:
        """What `queue` did for one cohort and moment."""
        self.lines += [f"queued       {where} · {name}" for name in outcome.queued]
        self.lines += [f"failed       {where} · {name}: {why}" for name, why in outcome.failed]
        self.lines += [
            f"skipped      {where} · {name}" for name in outcome.skipped + outcome.waiting
        ]
        self.queued += len(outcome.queued)
        self.failed += len(outcome.failed)
        self.skipped += len(outcome.skipped) + len(outcome.waiting)


def message_id(participant_id: int, moment: str, kind: str, day: date, domain: str) -> str:
    return f"<{kind}.{moment}.{day:%Y%m%d}.{participant_id}@{domain}>"


def queue(
    cohort: Cohort,
    moment: str,
    kind: str,
    participant_ids: list[int],
    day: date,
    base_url: str | None,
) -> Outcome:
    """Queue one mail per participant (the caller commits); set-based, so 2,000 take one request.

    `base_url` is the address the links will start with (see sending.link_base); the worker
    runs in another process and cannot know it, so it is stored with each row.

    The texts are checked here, so a broken text is refused before anything is queued; the
    mail itself is rendered when the worker sends it, so no link (a credential) is stored.
    Someone without a usable address or live link gets a failed MailLog row at once, as before.
    """
    subject, body = mail.text_for(cohort, kind, moment)
    mail_texts.check(subject)
    mail_texts.check(body, require_link=True)
    outcome = Outcome()
    people = {
        p.id: p
        for p in db.session.scalars(
            db.select(Participant).where(
                Participant.id.in_(participant_ids), Participant.cohort_id == cohort.id
            )
        )
    }
    ids = list(people)
    asked_erasure = mail.erasing(ids)
    existing: dict[int, MailOutbox] = {}
    waiting = set()  # also a mail queued on an earlier day and not sent yet
    for row in db.session.scalars(
        db.select(MailOutbox).where(
            MailOutbox.participant_id.in_(ids),
            MailOutbox.moment == moment,
            MailOutbox.kind == kind,
            or_(MailOutbox.day == day, MailOutbox.status.in_(PENDING)),
        )
    ):
        if row.day == day:
            existing[row.participant_id] = row
        if row.status in PENDING:
            waiting.add(row.participant_id)
    # Mails sent before the outbox existed are only in the log.
    logged = set(
        db.session.scalars(
            db.select(MailLog.participant_id).where(
                MailLog.participant_id.in_(ids),
                MailLog.moment == moment,
                MailLog.kind == kind,
                MailLog.day == day,
                MailLog.ok.is_(True),
            )
        )
    )
    done = set()
    if kind == "reminder":
        done = set(
            db.session.scalars(
                db.select(Response.participant_id).where(
                    Response.participant_id.in_(ids),
                    Response.moment == moment,
                    Response.status == Status.SUBMITTED,
                )
            )
        )
    now, domain = clock.now(), mail.mail_domain()
    new_rows = []
    for participant_id in participant_ids:
        person = people.get(participant_id)
        if person is None:
            continue
        row = existing.get(participant_id)
        if participant_id in asked_erasure:
            # Not a failure to put right: nothing is queued or logged for them any more.
            outcome.skipped.append(person.name)
            continue
        if participant_id in waiting:
            outcome.waiting.append(person.name)
            continue
        if (
            participant_id in done
            or participant_id in logged
            or (row is not None and row.status == OutboxStatus.SENT)
        ):
            outcome.skipped.append(person.name)
            continue
        reason = mail.blocked_reason(person, asked_erasure=False)
        if reason:
            db.session.add(
                MailLog(
                    participant_id=participant_id,
                    moment=moment,
                    kind=kind,
                    day=day,
                    ok=False,
                    error=reason,
                )
            )
            outcome.failed.append((person.name, reason))
            continue
        outcome.queued.append(person.name)
        if row is not None:  # failed or skipped earlier today: the same mail, queued again
            row.status, row.attempts, row.next_attempt_at = OutboxStatus.QUEUED, 0, now
            row.claimed_at = row.last_error = None
            row.base_url = base_url
            continue
        new_rows.append(
            {
                "message_id": message_id(participant_id, moment, kind, day, domain),
                "participant_id": participant_id,
                "moment": moment,
                "kind": kind,
                "day": day,
                "status": OutboxStatus.QUEUED,
                "attempts": 0,
                "created_at": now,
                "next_attempt_at": now,
                "base_url": base_url,
            }
        )
    if new_rows:
        # One statement, many parameter sets: compiled once, sent in batches by the driver.
        db.session.execute(_insert_new(), new_rows)
    return outcome


def _insert_new():
    """INSERT … ON CONFLICT DO NOTHING: a concurrent request that queued the same mail wins."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(MailOutbox.__table__).on_conflict_do_nothing(index_elements=["message_id"])
