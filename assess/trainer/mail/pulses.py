"""Pulse mails: who gets this week's pulse, and queueing them (`send-pulses`, for cron).

A participant gets one mail per pulse: when the pulse is open today (local date), the cohort's
schedule is on and the cohort not archived, they have not answered it, have not stopped pulse
mails and have not asked to be erased, and no mail for this pulse was sent or waits in the
outbox. The outbox row's day is the pulse's opening day, so its Message-ID names the pulse:
a second run, a second cron or a second worker finds the row and queues nothing new.
"""

from __future__ import annotations

from datetime import date
from itertools import groupby

from sqlalchemy import exists

from assess.db import db
from assess.engine.moments import Moment
from assess.models import (
    Cohort,
    ErasureRequest,
    MailLog,
    MailOutbox,
    OutboxStatus,
    Participant,
    Pulse,
    PulseResponse,
    PulseSchedule,
    PulseStop,
)
from assess.trainer.mail import outbox
from assess.trainer.mail import sending as mail

MOMENT = str(Moment.PULSE)
KIND = "pulse"
NO_LONGER_WANTED = "niet meer nodig: de weekpuls is ingevuld, gesloten of de mails staan uit"


def due(today: date) -> list[tuple[int, int, int, str]]:
    """(cohort id, pulse id, participant id, name) of everyone whose pulse mail is due."""
    answered = exists().where(
        PulseResponse.pulse_id == Pulse.id, PulseResponse.participant_id == Participant.id
    )
    stopped = exists().where(PulseStop.participant_id == Participant.id)
    erasing = exists().where(ErasureRequest.participant_id == Participant.id)
    mailed = exists().where(
        MailOutbox.participant_id == Participant.id,
        MailOutbox.moment == MOMENT,
        MailOutbox.kind == KIND,
        MailOutbox.day == Pulse.opens_on,
        MailOutbox.status.in_([*outbox.PENDING, OutboxStatus.SENT]),
    )
    logged = exists().where(
        MailLog.participant_id == Participant.id,
        MailLog.moment == MOMENT,
        MailLog.kind == KIND,
        MailLog.day == Pulse.opens_on,
        MailLog.ok.is_(True),
    )
    query = (
        db.select(Cohort.id, Pulse.id, Participant.id, Participant.name)
        .join(PulseSchedule, PulseSchedule.cohort_id == Cohort.id)
        .join(Pulse, Pulse.cohort_id == Cohort.id)
        .join(Participant, Participant.cohort_id == Cohort.id)
        .where(
            Cohort.archived.is_(False),
            PulseSchedule.enabled.is_(True),
            Pulse.opens_on <= today,
            Pulse.closes_on >= today,
            ~answered,
            ~stopped,
            ~erasing,
            ~mailed,
            ~logged,
        )
        .order_by(Cohort.id, Pulse.id, Participant.name, Participant.id)
    )
    return [tuple(row) for row in db.session.execute(query)]  # type: ignore[misc]


def run(today: date, dry_run: bool = False) -> outbox.Report:
    """Queue (or with dry_run only list) the pulse mails due today; commits unless dry_run."""
    report = outbox.Report()
    base = mail.link_base(in_request=False)
    if base is None:
        report.lines.append(outbox.NO_BASE_WARNING)
    for (cohort_id, pulse_id), group in groupby(due(today), key=lambda d: (d[0], d[1])):
        people = list(group)
        cohort = db.session.get_one(Cohort, cohort_id)
        pulse = db.session.get_one(Pulse, pulse_id)
        where = f"{cohort.name} · weekpuls {pulse.week:%G-W%V}"
        if dry_run:
            report.would_queue(where, [(p[2], p[3]) for p in people])
            continue
        report.add(
            where, outbox.queue(cohort, MOMENT, KIND, [p[2] for p in people], pulse.opens_on, base)
        )
    if dry_run:
        report.summary = (
            f"Dry run for {today}: {report.queued} pulse mail(s) due; nothing was sent."
        )
    else:
        db.session.commit()
        report.summary = (
            f"Pulse mails for {today}: {report.queued} queued, {report.failed} failed,"
            f" {report.skipped} skipped. The mail worker sends them."
        )
    return report


def no_longer_wanted(participant_id: int, opens_on: date, today: date) -> bool:
    """For the worker, just before sending: the pulse was answered or has closed, or the
    person stopped pulse mails, since the mail was queued."""
    participant = db.session.get(Participant, participant_id)
    if participant is None or db.session.get(PulseStop, participant_id) is not None:
        return True
    pulse = db.session.scalar(
        db.select(Pulse).where(Pulse.cohort_id == participant.cohort_id, Pulse.opens_on == opens_on)
    )
    if pulse is None or pulse.closes_on < today:
        return True
    answered = db.session.scalar(
        db.select(PulseResponse.id).where(
            PulseResponse.pulse_id == pulse.id, PulseResponse.participant_id == participant_id
        )
    )
    return answered is not None
