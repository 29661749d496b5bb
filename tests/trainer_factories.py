"""Data for the trainer's tests: cohorts, participants and filled-in responses."""

from __future__ import annotations

import random
from datetime import date

from assess.db import db
from assess.engine.simulate import simulate_answers
from assess.models import Cohort, MomentWindow, Organisation, Participant
from assess.survey import questionnaires, responses, tokens

INSTRUMENT = "leergang-woonconsulent"


def organisation(name: str = "Woonstichting De Linde") -> Organisation:
    org = db.session.execute(db.select(Organisation).filter_by(name=name)).scalar_one_or_none()
    if org is None:
        org = Organisation(name=name)
        db.session.add(org)
        db.session.flush()
    return org


def cohort(trainer_id: int, name: str = "Voorjaar 2026", **extra) -> Cohort:
    made = Cohort(
        name=name,
        trainer_id=trainer_id,
        questionnaire_id=extra.pop("questionnaire_id", INSTRUMENT),
        start_date=extra.pop("start_date", date(2026, 3, 1)),
        end_date=extra.pop("end_date", date(2026, 5, 1)),
        **extra,
    )
    made.windows = [MomentWindow(moment=m) for m in ("intake", "exit", "followup")]
    db.session.add(made)
    db.session.flush()
    return made


def participants(group: Cohort, n: int, org: str = "Woonstichting De Linde", start: int = 0):
    people = []
    for i in range(start, start + n):
        person = Participant(
            cohort=group,
            organisation=organisation(org),
            name=f"Deelnemer {i:03d}",
            email=f"deelnemer{i:03d}@example.nl",
            code=f"T{group.id:02d}{i:04d}",
        )
        db.session.add(person)
        db.session.flush()
        tokens.issue(person)
        people.append(person)
    return people


def fill(person: Participant, moment: str, *, submit: bool = True, seed: int = 0, share=1.0):
    """Answer (part of) a moment with simulated answers, then submit when asked."""
    q = questionnaires.get(person.cohort.questionnaire_id)
    rng = random.Random(seed * 1000 + person.id)
    answers = simulate_answers(q, moment, rng, level=rng.uniform(0.2, 0.8), growth=0.15)
    if share < 1.0:
        keep = set(q.item_ids_for(moment)[: int(len(q.item_ids_for(moment)) * share)])
        answers = {k: v for k, v in answers.items() if k in keep}
    response = responses.get_or_create(q, moment, participant_id=person.id)
    responses.save_answers(response, answers)
    if submit:
        responses.submit(response)
    return response


def filled_cohort(trainer_id: int, n: int = 16, name: str = "Voorjaar 2026", seed: int = 0):
    """A cohort where everyone submitted intake and exit: enough pairs for every statistic."""
    group = cohort(trainer_id, name)
    for person in participants(group, n, start=seed * 100):
        fill(person, "intake", seed=seed)
        fill(person, "exit", seed=seed)
    db.session.commit()
    return group
