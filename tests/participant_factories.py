"""Test data for the participant's side: a cohort with windows, a participant with a link,
and answers that complete (or half-complete) a moment."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

from assess.db import db
from assess.engine.simulate import simulate_answers
from assess.models import Cohort, MomentWindow, Organisation, Participant, User
from assess.survey import questionnaires, responses, tokens

INSTRUMENT = "leergang-woonconsulent"


def make_cohort(
    name: str = "Leergang test",
    intake: str = "open",
    exit: str = "not_yet",
    followup: str = "not_yet",
    archived: bool = False,
) -> Cohort:
    """A cohort whose windows are open / not_yet / closed / disabled today."""
    today = date.today()
    trainer = db.session.execute(db.select(User).filter_by(email="t@example.nl")).scalar()
    if trainer is None:
        trainer = User(email="t@example.nl", name="Trainer", role="trainer", password_hash="x")
    cohort = Cohort(name=name, trainer=trainer, questionnaire_id=INSTRUMENT, archived=archived)
    spans = {
        "open": (today - timedelta(days=3), today + timedelta(days=10), True),
        "not_yet": (today + timedelta(days=20), today + timedelta(days=40), True),
        "closed": (today - timedelta(days=40), today - timedelta(days=20), True),
        "disabled": (today - timedelta(days=3), today + timedelta(days=10), False),
    }
    for moment, state in (("intake", intake), ("exit", exit), ("followup", followup)):
        opens, closes, enabled = spans[state]
        cohort.windows.append(
            MomentWindow(moment=moment, opens_on=opens, closes_on=closes, enabled=enabled)
        )
    db.session.add(cohort)
    return cohort


def make_participant(cohort: Cohort, email: str = "anouk@delinde.example.nl") -> tuple[int, str]:
    """A participant in the cohort; returns (id, token)."""
    org = db.session.execute(db.select(Organisation).filter_by(name="De Linde")).scalar()
    org = org or Organisation(name="De Linde")
    person = Participant(
        cohort=cohort,
        organisation=org,
        name="Anouk de Vries",
        email=email,
        code="P" + email[:6].upper().replace("@", "X"),
    )
    db.session.add(person)
    db.session.flush()
    token = tokens.issue(person)
    db.session.commit()
    return person.id, token


def fill(participant_id: int, moment: str, submit: bool = True, seed: int = 1, share: float = 1):
    """Answer a moment with realistic values (a share of the items only when share < 1)."""
    q = questionnaires.get(INSTRUMENT)
    answers = simulate_answers(q, moment, random.Random(seed), level=0.5, growth=0.2)
    if share < 1:
        keep = set(q.item_ids_for(moment)[: int(len(q.item_ids_for(moment)) * share)])
        answers = {k: v for k, v in answers.items() if k in keep}
    response = responses.get_or_create(q, moment, participant_id=participant_id)
    responses.save_answers(response, answers)
    if submit:
        responses.submit(response)
    db.session.commit()
    return answers


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert found, "no CSRF token on the page"
    return found.group(1)


def page_data(q, moment: str, n: int, answers: dict) -> dict:
    """Form data for survey page n with the given answers (only items on that page)."""
    section = q.sections_for(moment)[n - 1]
    return {
        f"a_{item.id}": str(answers[item.id])
        for item in section.items
        if answers.get(item.id) is not None
    }
