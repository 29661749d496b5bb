"""The weekly pulse, read side: a participant's own weeks, a cohort's weekly trend, and the
change across the course next to the intake→exit change.

No request objects: the minimum group size, the local date and the locale come in as
arguments. A cohort week with fewer answers than the minimum group size shows its count and
response rate only; its median, spread and "wat werkte" answers stay hidden. Staff get group
figures only: nothing here hands out one person's pulse (the participant is promised so,
assess/reports/promises.py); a person's own weeks go to that person alone (own_weeks).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from assess.db import db
from assess.engine import pulse as engine_pulse
from assess.models import (
    MailOutbox,
    Participant,
    Pulse,
    PulseAnswer,
    PulseResponse,
    PulseStop,
)


@dataclass(frozen=True)
class OwnWeek:
    """One of a participant's pulse weeks: answered or not, and their own two shares."""

    pulse: Pulse
    state: str
    answered: bool
    planned: float | None = None
    incoming: float | None = None


@dataclass(frozen=True)
class CohortWeek:
    pulse: Pulse
    state: str
    invited: int
    answered: int
    shown: bool  # at least the minimum group answered: figures and texts may be shown
    planned: engine_pulse.WeekFigure | None = None
    incoming: engine_pulse.WeekFigure | None = None
    worked: list[str] = field(default_factory=list)
    # Every numeric item asked for (by id): n, median and quartiles; every choice item asked
    # for: how many chose each option. Empty when the week is not shown.
    figures: dict[str, engine_pulse.WeekFigure] = field(default_factory=dict)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.invited if self.invited else None


def cohort_pulses(cohort_id: int) -> list[Pulse]:
    return list(
        db.session.scalars(select(Pulse).where(Pulse.cohort_id == cohort_id).order_by(Pulse.week))
    )


def open_pulse(participant: Participant, today: date) -> Pulse | None:
    """The participant's cohort pulse open today that they have not answered yet."""
    answered = select(PulseResponse.pulse_id).where(PulseResponse.participant_id == participant.id)
    return db.session.scalar(
        select(Pulse)
        .where(
            Pulse.cohort_id == participant.cohort_id,
            Pulse.opens_on <= today,
            Pulse.closes_on >= today,
            Pulse.id.not_in(answered),
        )
        .order_by(Pulse.opens_on)
        .limit(1)
    )


def current_closes_on(cohort_id: int, today: date) -> date | None:
    """The last day of the cohort's pulse open today (for the mail's deadline)."""
    return db.session.scalar(
        select(Pulse.closes_on)
        .where(Pulse.cohort_id == cohort_id, Pulse.opens_on <= today, Pulse.closes_on >= today)
        .order_by(Pulse.opens_on)
        .limit(1)
    )


def has_answered(participant_id: int, pulse_id: int) -> bool:
    found = db.session.scalar(
        select(PulseResponse.id).where(
            PulseResponse.participant_id == participant_id, PulseResponse.pulse_id == pulse_id
        )
    )
    return found is not None


def mails_stopped(participant_id: int) -> bool:
    return db.session.get(PulseStop, participant_id) is not None


def _values(response_ids: list[int], item_id: str) -> dict[int, float]:
    if not response_ids:
        return {}
    rows = db.session.execute(
        select(PulseAnswer.response_id, PulseAnswer.value).where(
            PulseAnswer.response_id.in_(response_ids),
            PulseAnswer.item_id == item_id,
            PulseAnswer.value.is_not(None),
        )
    )
    return {rid: float(v) for rid, v in rows if v is not None}


def own_weeks(participant: Participant, today: date) -> list[OwnWeek]:
    """The participant's weeks that have opened, oldest first: only their own answers."""
    pulses = [p for p in cohort_pulses(participant.cohort_id) if p.opens_on <= today]
    responses = {
        r.pulse_id: r.id
        for r in db.session.scalars(
            select(PulseResponse).where(PulseResponse.participant_id == participant.id)
        )
    }
    ids = list(responses.values())
    planned = _values(ids, engine_pulse.PLANNED)
    incoming = _values(ids, engine_pulse.INCOMING)
    out = []
    for p in pulses:
        rid = responses.get(p.id)
        out.append(
            OwnWeek(
                p,
                engine_pulse.state(p.opens_on, p.closes_on, today),
                rid is not None,
                planned.get(rid) if rid else None,
                incoming.get(rid) if rid else None,
            )
        )
    return out


def trend(weeks: list[OwnWeek]) -> tuple[str, float, float, date, date] | None:
    """The plain comparison a sentence may state: ('up'|'down'|'same', first share, last
    share, first week, last week) of the planned share, from two or more answered weeks."""
    answered = [w for w in weeks if w.planned is not None]
    if len(answered) < 2:
        return None
    first, last = answered[0], answered[-1]
    assert first.planned is not None and last.planned is not None
    direction = "same"
    if last.planned > first.planned:
        direction = "up"
    elif last.planned < first.planned:
        direction = "down"
    return direction, first.planned, last.planned, first.pulse.week, last.pulse.week


def _invited(cohort_id: int) -> int:
    """The cohort's participants now: the response rate's denominator for every week (someone
    added late counts for the weeks before too, which errs on the side of a lower rate)."""
    return (
        db.session.scalar(
            select(func.count()).select_from(Participant).where(Participant.cohort_id == cohort_id)
        )
        or 0
    )


def _texts(response_ids: list[int], item_id: str) -> dict[int, str]:
    """The non-blank text (or choice) answers to one item, by response."""
    if not response_ids:
        return {}
    rows = db.session.execute(
        select(PulseAnswer.response_id, PulseAnswer.text).where(
            PulseAnswer.response_id.in_(response_ids),
            PulseAnswer.item_id == item_id,
            func.length(func.trim(PulseAnswer.text)) > 0,
        )
    )
    return {rid: text for rid, text in rows if text}


def cohort_weeks(
    cohort_id: int,
    min_group: int,
    today: date,
    numeric: Sequence[str] = (engine_pulse.PLANNED, engine_pulse.INCOMING),
    choices: Mapping[str, Sequence[str]] | None = None,
) -> list[CohortWeek]:
    """The cohort's weeks that have opened, oldest first, with figures only where at least
    `min_group` people answered: the median and quartiles of each `numeric` item, and per
    item of `choices` (id -> option values) how many chose each option."""
    pulses = [p for p in cohort_pulses(cohort_id) if p.opens_on <= today]
    if not pulses:
        return []
    by_pulse: dict[int, list[int]] = defaultdict(list)
    for pid, rid in db.session.execute(
        select(PulseResponse.pulse_id, PulseResponse.id).where(
            PulseResponse.pulse_id.in_([p.id for p in pulses])
        )
    ):
        by_pulse[pid].append(rid)
    all_ids = [rid for ids in by_pulse.values() for rid in ids]
    values = {item_id: _values(all_ids, item_id) for item_id in numeric}
    chosen = {item_id: _texts(all_ids, item_id) for item_id in choices or {}}
    texts = _texts(all_ids, engine_pulse.WHAT_WORKED)
    invited = _invited(cohort_id)
    out = []
    for p in pulses:
        ids = by_pulse.get(p.id, [])
        state = engine_pulse.state(p.opens_on, p.closes_on, today)
        shown = len(ids) >= min_group
        if not shown:
            out.append(CohortWeek(p, state, invited, len(ids), False))
            continue
        # Sorted by their own text, so the order of the answers tells nothing about who wrote
        # which, nor when.
        worked = sorted(texts[rid].strip() for rid in ids if rid in texts)
        figures = {
            item_id: engine_pulse.week_figure([found[r] for r in ids if r in found], len(ids))
            for item_id, found in values.items()
        }
        counts = {
            item_id: {
                option: sum(1 for r in ids if chosen[item_id].get(r) == option)
                for option in options
            }
            for item_id, options in (choices or {}).items()
        }
        out.append(
            CohortWeek(
                p,
                state,
                invited,
                len(ids),
                True,
                figures.get(engine_pulse.PLANNED),
                figures.get(engine_pulse.INCOMING),
                worked,
                figures,
                counts,
            )
        )
    return out


def mail_counts(cohort_id: int, opens_on: date) -> dict[str, int]:
    """How the mails of one pulse stand: outbox rows by status (queued, sending, sent,
    failed, skipped), for the trainer's page."""
    rows = db.session.execute(
        select(MailOutbox.status, func.count())
        .join(Participant, Participant.id == MailOutbox.participant_id)
        .where(
            Participant.cohort_id == cohort_id,
            MailOutbox.kind == "pulse",
            MailOutbox.day == opens_on,
        )
        .group_by(MailOutbox.status)
    )
    return {str(status): int(n) for status, n in rows}


def planned_change(cohort_id: int, min_group: int) -> engine_pulse.Change | None:
    """The mean per-person change in the planned share, first answered pulse to last, with its
    95 % interval; only people with two or more answered pulses count, and None when fewer
    than `min_group` people do (as for every group figure)."""
    rows = db.session.execute(
        select(PulseResponse.participant_id, Pulse.week, PulseAnswer.value)
        .join(Pulse, Pulse.id == PulseResponse.pulse_id)
        .join(PulseAnswer, PulseAnswer.response_id == PulseResponse.id)
        .where(
            Pulse.cohort_id == cohort_id,
            PulseAnswer.item_id == engine_pulse.PLANNED,
            PulseAnswer.value.is_not(None),
        )
    )
    series: dict[int, list[tuple[date, float]]] = defaultdict(list)
    for participant_id, week, value in rows:
        if value is not None:
            series[participant_id].append((week, float(value)))
    changes = [c for s in series.values() if (c := engine_pulse.first_to_last(s)) is not None]
    if len(changes) < min_group:
        return None
    return engine_pulse.mean_change(changes)
