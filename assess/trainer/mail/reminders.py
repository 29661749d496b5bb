"""Reminders: who gets one today, and queueing them (the `send-reminders` command, for cron).

A participant gets a reminder for a moment when its window is open today, its deadline is
one of REMINDER_DAYS days ahead, they have not submitted that moment, and no reminder for it
reached them, or waits in the outbox, today, and they have not asked to be erased. Failed reminders are not counted, so a rerun the
same day queues them again. The mail worker sends what is queued.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby

from flask import current_app
from sqlalchemy import exists, or_

from assess.db import db
from assess.engine.moments import PARTICIPANT_MOMENTS
from assess.models import (
    Cohort,
    ErasureRequest,
    MailLog,
    MailOutbox,
    MomentWindow,
    OutboxStatus,
    Participant,
    Response,
    Status,
)
from assess.survey.labels import moment_name
from assess.trainer.mail import outbox
from assess.trainer.mail import sending as mail


@dataclass(frozen=True)
class Due:
    cohort_id: int
    moment: str
    participant_id: int
    name: str
    email: str


def reminder_days() -> list[int]:
    """REMINDER_DAYS as whole numbers, from a list or a "7,2" string in the environment."""
    value = current_app.config["REMINDER_DAYS"]
    if isinstance(value, str):
        value = [part for part in value.split(",") if part.strip()]
    return sorted({int(n) for n in value if int(n) >= 0}, reverse=True)


def due(day: date, days: list[int] | None = None) -> list[Due]:
    """Everyone who should get a reminder on `day`, by cohort and moment."""
    deadlines = [day + timedelta(days=n) for n in (reminder_days() if days is None else days)]
    done = exists().where(
        Response.participant_id == Participant.id,
        Response.moment == MomentWindow.moment,
        Response.status == Status.SUBMITTED,
    )
    reminded = exists().where(
        MailLog.participant_id == Participant.id,
        MailLog.moment == MomentWindow.moment,
        MailLog.kind == "reminder",
        MailLog.day == day,
        MailLog.ok.is_(True),
    )
    queued = exists().where(
        MailOutbox.participant_id == Participant.id,
        MailOutbox.moment == MomentWindow.moment,
        MailOutbox.kind == "reminder",
        MailOutbox.day == day,
        MailOutbox.status.in_([*outbox.PENDING, OutboxStatus.SENT]),
    )
    erasing = exists().where(ErasureRequest.participant_id == Participant.id)
    query = (
        db.select(
            Cohort.id, MomentWindow.moment, Participant.id, Participant.name, Participant.email
        )
        .join(MomentWindow, MomentWindow.cohort_id == Cohort.id)
        .join(Participant, Participant.cohort_id == Cohort.id)
        .where(
            Cohort.archived.is_(False),
            MomentWindow.enabled.is_(True),
            MomentWindow.moment.in_([str(m) for m in PARTICIPANT_MOMENTS]),
            or_(MomentWindow.opens_on.is_(None), MomentWindow.opens_on <= day),
            MomentWindow.closes_on.in_(deadlines),
            ~done,
            ~reminded,
            ~queued,
            ~erasing,
        )
        .order_by(Cohort.id, MomentWindow.moment, Participant.name, Participant.id)
    )
    return [Due(*row) for row in db.session.execute(query)]


def run(day: date, dry_run: bool = False) -> outbox.Report:
    """Queue (or with dry_run only list) today's reminders; the caller commits."""
    report = outbox.Report()
    base = mail.link_base(in_request=False)
    if base is None:
        report.lines.append(outbox.NO_BASE_WARNING)
    for (cohort_id, moment), group in groupby(due(day), key=lambda d: (d.cohort_id, d.moment)):
        people = list(group)
        cohort = db.session.get_one(Cohort, cohort_id)
        where = f"{cohort.name} · {moment_name(moment, 'nl')}"
        if dry_run:
            report.would_queue(where, [(p.participant_id, f"{p.name} <{p.email}>") for p in people])
            continue
        ids = [p.participant_id for p in people]
        report.add(where, outbox.queue(cohort, moment, "reminder", ids, day, base))
    if dry_run:
        report.summary = f"Dry run for {day}: {report.queued} reminder(s) due; nothing was sent."
    else:
        db.session.commit()
        report.summary = (
            f"Reminders for {day}: {report.queued} queued, {report.failed} failed,"
            f" {report.skipped} skipped. The mail worker sends them."
        )
    return report
