"""Data for the security and privacy tests: organisations, trainers, cohorts, participants with
submitted answers (a recognisable free text included), mail and audit rows."""

from __future__ import annotations

import random
from datetime import date, timedelta

from assess.db import db
from assess.engine.simulate import simulate_answers
from assess.models import Cohort, MailLog, MomentWindow, Organisation, Participant, User
from assess.survey import questionnaires, responses, tokens
from assess.web import audit

INSTRUMENT = "leergang-woonconsulent"


def organisation(name: str) -> Organisation:
    found = db.session.execute(db.select(Organisation).filter_by(name=name)).scalar_one_or_none()
    if found is None:
        found = Organisation(name=name)
        db.session.add(found)
        db.session.flush()
    return found


def staff(role: str, email: str, password_hash: str, name: str = "", org=None) -> User:
    user = User(
        email=email, name=name or email, role=role, organisation=org, password_hash=password_hash
    )
    db.session.add(user)
    db.session.flush()
    return user


def cohort(name: str, trainer: User, end: date | None = None, open_today: bool = True) -> Cohort:
    """A cohort whose intake and exit are open today (or closed, for an old cohort)."""
    today = date.today()
    end = end or today + timedelta(days=30)
    start = end - timedelta(days=70)
    found = Cohort(
        name=name, trainer=trainer, questionnaire_id=INSTRUMENT, start_date=start, end_date=end
    )
    opens, closes = (today - timedelta(days=7), today + timedelta(days=30))
    if not open_today:
        opens, closes = start - timedelta(days=21), end
    found.windows = [
        MomentWindow(moment="intake", opens_on=opens, closes_on=closes),
        MomentWindow(moment="exit", opens_on=opens, closes_on=closes),
    ]
    db.session.add(found)
    db.session.flush()
    return found


def participant(
    in_cohort: Cohort,
    org: Organisation,
    name: str,
    email: str,
    free_text: str | None = None,
    moments: tuple[str, ...] = ("intake", "exit"),
    seed: int = 1,
    drafts: tuple[str, ...] = (),
) -> Participant:
    """A participant with a live link and submitted responses (`drafts`: moments left half
    done); `free_text` is their action plan."""
    person = Participant(
        cohort=in_cohort,
        organisation=org,
        name=name,
        email=email,
        code=f"T{seed:04d}{random.Random(seed).randrange(16**6):06X}",
    )
    db.session.add(person)
    db.session.flush()
    tokens.issue(person)
    q = questionnaires.get(in_cohort.questionnaire_id)
    rng = random.Random(seed)
    for moment in (*moments, *drafts):
        answers = simulate_answers(q, moment, rng, level=0.5)
        if moment in drafts:
            keep = q.item_ids_for(moment)[: len(answers) // 3]
            answers = {k: v for k, v in answers.items() if k in keep}
        if moment == "exit" and free_text is not None:
            answers["actieplan"] = free_text
            answers["geleerd"] = free_text
        response = responses.get_or_create(q, moment, participant_id=person.id)
        responses.save_answers(response, answers)
        if moment not in drafts:
            responses.submit(response)
    db.session.add(
        MailLog(participant=person, moment="intake", kind="invitation", day=date.today(), ok=True)
    )
    db.session.flush()
    return person


def audit_trail(person: Participant, reader: User) -> None:
    """Events about the person: their own login by link, and a staff read of their report."""
    audit.record(
        "link_used", "participant", person.id, actor_type="participant", actor_id=person.id
    )
    audit.record(
        "report_viewed",
        "participant",
        person.id,
        detail={"name": person.name},
        actor_type="user",
        actor_id=reader.id,
    )
    response_id = person.responses[0].id
    audit.record("response_viewed", "response", response_id, actor_type="user", actor_id=reader.id)
