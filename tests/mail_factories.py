"""Data for the mail tests: a trainer's cohort with moment windows and participants with links."""

from __future__ import annotations

from datetime import date, timedelta

from assess.db import db
from assess.models import Cohort, MomentWindow, Organisation, Participant
from assess.survey import tokens

TODAY = date(2026, 3, 2)


def make_cohort(
    trainer_id: int,
    name: str = "Leergang voorjaar 2026",
    today: date = TODAY,
    intake_closes: date | None = None,
) -> int:
    """A cohort whose intake is open today and closes in a week; exit and follow-up later."""
    cohort = Cohort(name=name, trainer_id=trainer_id, questionnaire_id="leergang-woonconsulent")
    cohort.windows = [
        MomentWindow(
            moment="intake",
            opens_on=today - timedelta(days=10),
            closes_on=intake_closes or today + timedelta(days=7),
        ),
        MomentWindow(moment="exit", opens_on=today + timedelta(days=70)),
        MomentWindow(moment="followup", opens_on=today + timedelta(days=200)),
    ]
    db.session.add(cohort)
    db.session.commit()
    return cohort.id


def add_participant(cohort_id: int, name: str, email: str, link: bool = True) -> int:
    org = db.session.execute(
        db.select(Organisation).filter_by(name="Woonstichting De Linde")
    ).scalar_one_or_none() or Organisation(name="Woonstichting De Linde")
    person = Participant(
        cohort_id=cohort_id,
        organisation=org,
        name=name,
        email=email,
        code=f"T{db.session.scalar(db.select(db.func.count(Participant.id))) + 1:05d}",
    )
    db.session.add(person)
    db.session.flush()
    if link:
        tokens.issue(person)
    db.session.commit()
    return person.id
