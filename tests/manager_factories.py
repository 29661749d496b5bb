"""Test data for the manager's reports: organisations with cohorts of chosen sizes."""

from __future__ import annotations

import random
from datetime import date

from assess.db import db
from assess.engine.simulate import simulate_answers
from assess.models import Cohort, Organisation, Participant, User
from assess.survey import questionnaires, responses

INSTRUMENT = "leergang-woonconsulent"


def organisation(name: str, active: bool = True) -> Organisation:
    org = db.session.execute(db.select(Organisation).filter_by(name=name)).scalar_one_or_none()
    if org is None:
        org = Organisation(name=name, active=active)
        db.session.add(org)
        db.session.flush()
    return org


def trainer() -> User:
    user = db.session.execute(
        db.select(User).filter_by(email="factory-trainer@example.nl")
    ).scalar_one_or_none()
    if user is None:
        user = User(email="factory-trainer@example.nl", role="trainer", password_hash="x")
        db.session.add(user)
        db.session.flush()
    return user


def cohort(name: str, start: date) -> Cohort:
    found = db.session.execute(db.select(Cohort).filter_by(name=name)).scalar_one_or_none()
    if found is None:
        found = Cohort(name=name, trainer=trainer(), questionnaire_id=INSTRUMENT, start_date=start)
        db.session.add(found)
        db.session.flush()
    return found


def participants(
    org: Organisation,
    group: Cohort,
    n: int,
    *,
    exit: bool = True,
    growth: float = 0.15,
    seed: int = 1,
) -> list[int]:
    """n participants of org in the cohort with a submitted intake (and exit unless exit=False)."""
    rng = random.Random(seed)
    q = questionnaires.get(INSTRUMENT)
    ids = []
    for _ in range(n):
        number = db.session.execute(db.select(db.func.count(Participant.id))).scalar_one() + 1
        person = Participant(
            cohort=group,
            organisation=org,
            name=f"Deelnemer Geheim{number}",
            email=f"geheim{number}@example.nl",
            code=f"PSEUDO{number:05d}",
        )
        db.session.add(person)
        db.session.flush()
        level = rng.uniform(0.2, 0.6)
        for moment in ("intake", "exit") if exit else ("intake",):
            response = responses.get_or_create(q, moment, participant_id=person.id)
            responses.save_answers(
                response, simulate_answers(q, moment, rng, level=level, growth=growth)
            )
            responses.submit(response)
        ids.append(person.id)
    return ids


def policy_scan(user_id: int, level: float = 0.85, seed: int = 3) -> None:
    q = questionnaires.get("beleidsscan")
    response = responses.get_or_create(q, "policy", user_id=user_id)
    responses.save_answers(
        response, simulate_answers(q, "policy", random.Random(seed), level=level)
    )
    responses.submit(response)


def world(sizes: dict[str, list[int]], start_year: int = 2025, seed: int = 1) -> dict[str, int]:
    """Organisations with paired participants per cohort: {"Org": [8, 6]} -> cohorts 1, 2 …

    Cohort i starts in half-year i (Jan and Jul of consecutive years). Returns org ids by name.
    """
    orgs = {}
    for org_name, cohort_sizes in sizes.items():
        org = organisation(org_name)
        orgs[org_name] = org.id
        for i, n in enumerate(cohort_sizes):
            start = date(start_year + i // 2, 1 if i % 2 == 0 else 7, 15)
            if n:
                participants(org, cohort(f"Cohort {i + 1}", start), n, seed=seed + i)
    db.session.commit()
    return orgs
