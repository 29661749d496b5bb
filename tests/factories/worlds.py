"""Worlds made of the building blocks, one per kind of test."""

from __future__ import annotations

import random
from datetime import date, timedelta

from assess import clock
from assess.db import db
from assess.models import (
    Cohort,
    MailLog,
    MailOutbox,
    Organisation,
    Participant,
    Pulse,
    RaterInvitation,
    RaterRelease,
    Rating,
    User,
)
from assess.survey import erasure, goals, pulses, tokens
from tests.factories.basics import (
    cohort,
    fill,
    organisation,
    page_times,
    participant,
    participants,
    staff,
)
from tests.factories.course import goal
from tests.factories.pulses import pulse_answer, pulse_week

# The mail tests' calendar: a Monday in the week the spring cohort's intake closes.
TODAY = date(2026, 3, 2)


def invited(in_cohort: Cohort, email: str = "anouk@delinde.example.nl") -> tuple[int, str]:
    """Anouk of De Linde with a live link, committed; returns (id, token)."""
    person = participant(
        in_cohort,
        email=email,
        org="De Linde",
        code="P" + email[:6].upper().replace("@", "X"),
    )
    db.session.commit()
    return person.id, tokens.current_token(person)


def mail_cohort(
    trainer_id: int,
    name: str = "Leergang voorjaar 2026",
    today: date = TODAY,
    intake_closes: date | None = None,
) -> int:
    """A cohort whose intake is open `today` and closes a week later, with exit and follow-up
    to come. Committed; returns its id."""
    made = cohort(
        trainer_id,
        name,
        start_date=None,
        end_date=None,
        windows={
            "intake": (today - timedelta(days=10), intake_closes or today + timedelta(days=7)),
            "exit": (today + timedelta(days=70), None),
            "followup": (today + timedelta(days=200), None),
        },
    )
    db.session.commit()
    return made.id


def running_cohort(
    trainer: User, name: str, end: date | None = None, open_today: bool = True
) -> Cohort:
    """A ten-week cohort ending `end` (a month from now) with intake and exit open today; or, for
    an old cohort, open from three weeks before its start until its end."""
    today = clock.today()
    end = end or today + timedelta(days=30)
    start = end - timedelta(days=70)
    span = (today - timedelta(days=7), today + timedelta(days=30))
    if not open_today:
        span = (start - timedelta(days=21), end)
    return cohort(
        trainer, name, start_date=start, end_date=end, windows={"intake": span, "exit": span}
    )


def respondent(
    in_cohort: Cohort,
    org: Organisation,
    name: str,
    email: str,
    free_text: str | None = None,
    moments: tuple[str, ...] = ("intake", "exit"),
    seed: int = 1,
    drafts: tuple[str, ...] = (),
    erasure_requested: bool = False,
    goal_shared: bool = False,
) -> Participant:
    """A participant with a live link, submitted `moments`, a third of each of the `drafts`
    and an invitation in the mail log; `free_text` is their action plan; with
    `erasure_requested` they have asked to be erased. Their goal ("Eigen doel van <name>",
    revised once, rated in last week's pulse) is shared with the trainer with `goal_shared`."""
    person = participant(
        in_cohort,
        name,
        email,
        org=org,
        code=f"T{seed:04d}{random.Random(seed).randrange(16**6):06X}",
    )
    rng = random.Random(seed)
    plan = {"actieplan": free_text, "geleerd": free_text} if free_text is not None else {}
    for moment in (*moments, *drafts):
        draft = moment in drafts
        fill(
            person,
            moment,
            rng=rng,
            level=0.5,
            growth=0.0,
            share=1 / 3 if draft else 1.0,
            submit=not draft,
            extra=plan if moment == "exit" else None,
        )
        if not draft:
            page_times(person, moment, [45.0, 80.0])
    db.session.add(
        MailLog(participant=person, moment="intake", kind="invitation", day=clock.today(), ok=True)
    )
    if erasure_requested:
        erasure.request_erasure(person)
    # Last week's pulse, answered, and a stop of further pulse mails.
    week = _last_weeks_pulse(in_cohort)
    pulse_answer(person, week, planned=30 + seed % 5 * 10, worked=free_text)
    pulses.stop_mails(person)
    # A goal rated in that pulse and revised once, so its history exists too.
    own = goal(person, f"Eigen doel van {name}", shared=goal_shared, levels=[(week.id, 0)])
    goals.revise(
        own,
        goals.GoalInput(
            own.theme,
            own.text + " (bijgesteld)",
            own.if_then,
            {-2: "a", -1: "b", 0: "c", 1: "d", 2: "e"},
            False,
        ),
    )
    db.session.flush()
    # A colleague who rated the intake, and the colleagues' frozen aggregate (issue 29).
    rater = RaterInvitation(
        participant_id=person.id,
        moment="intake",
        role="colleague",
        state="completed",
        expires_on=clock.today(),
        questionnaire_id="anderen-over-woonconsulent",
        questionnaire_version=1,
    )
    db.session.add(rater)
    db.session.flush()
    db.session.add(Rating(invitation_id=rater.id, item_id="o_tm_plan_1", value=4.0))
    db.session.add(RaterRelease(participant_id=person.id, moment="intake", n=3, payload="{}"))
    # A reminder still waiting in the outbox.
    db.session.add(
        MailOutbox(
            message_id=f"<reminder.exit.{clock.today():%Y%m%d}.{person.id}@example.nl>",
            participant_id=person.id,
            moment="exit",
            kind="reminder",
            day=clock.today(),
        )
    )
    db.session.flush()
    return person


def _last_weeks_pulse(in_cohort: Cohort) -> Pulse:
    opens_on = clock.today() - timedelta(days=7)
    found = db.session.scalar(
        db.select(Pulse).where(Pulse.cohort_id == in_cohort.id, Pulse.opens_on == opens_on)
    )
    return found or pulse_week(in_cohort, opens_on)


def filled_cohort(
    trainer_id: int, n: int = 16, name: str = "Voorjaar 2026", seed: int = 0
) -> Cohort:
    """A cohort where everyone submitted intake and exit: enough pairs for every statistic.
    Committed."""
    group = cohort(trainer_id, name)
    for person in participants(group, n, start=seed * 100):
        fill(person, "intake", seed=seed)
        fill(person, "exit", seed=seed)
    db.session.commit()
    return group


def shared_cohort(name: str, start: date | None) -> Cohort:
    """The cohort of this name, which organisations share; a new one starts on `start` and has
    no windows."""
    found = db.session.execute(db.select(Cohort).filter_by(name=name)).scalar_one_or_none()
    return found or cohort(name=name, windows={}, start_date=start, end_date=None)


def panel(
    org: Organisation,
    group: Cohort,
    n: int,
    *,
    exit: bool = True,
    growth: float = 0.15,
    seed: int = 1,
) -> list[int]:
    """n participants of org in the cohort with a submitted intake (and exit unless exit=False),
    drawn from one seed; returns their ids."""
    rng = random.Random(seed)
    ids = []
    for _ in range(n):
        number = db.session.scalar(db.select(db.func.count(Participant.id))) + 1
        person = participant(
            group,
            f"Deelnemer Geheim{number}",
            f"geheim{number}@example.nl",
            org=org,
            code=f"PSEUDO{number:05d}",
            link=False,
        )
        level = rng.uniform(0.2, 0.6)
        for moment in ("intake", "exit") if exit else ("intake",):
            fill(person, moment, rng=rng, level=level, growth=growth)
        ids.append(person.id)
    return ids


def sector(sizes: dict[str, list[int]], start_year: int = 2025, seed: int = 1) -> dict[str, int]:
    """Organisations with paired participants per cohort: {"Org": [8, 6]} -> cohorts 1, 2 …

    Cohort i starts in half-year i (Jan and Jul of consecutive years) and is shared by every
    organisation with people in it. Committed; returns the organisation ids by name.
    """
    orgs = {}
    for org_name, cohort_sizes in sizes.items():
        org = organisation(org_name)
        orgs[org_name] = org.id
        for i, n in enumerate(cohort_sizes):
            start = date(start_year + i // 2, 1 if i % 2 == 0 else 7, 15)
            if n:
                panel(org, shared_cohort(f"Cohort {i + 1}", start), n, seed=seed + i)
    db.session.commit()
    return orgs


def open_cohort(n: int, password_hash: str = "x", submitted: int = 0) -> list[int]:
    """The trainer t@example.nl with one cohort, open without dates, of n numbered
    participants with links; the first `submitted` have a scored intake. Committed; returns
    the participant ids."""
    group = cohort(staff("trainer", "t@example.nl", password_hash))
    people = participants(group, n)
    for person in people[:submitted]:
        fill(person, "intake")
    db.session.commit()
    return [person.id for person in people]
