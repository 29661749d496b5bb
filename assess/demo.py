"""Demo data: five corporations, two cohorts with realistic answers, and staff logins.

Five corporations so that each manager's report can show a sector benchmark: the sector holds
only the other corporations and needs at least three of them, none supplying more than half
of their participants (assess/reports/organisation/privacy.py). Each corporation has six or
seven consultants per cohort, so its cohorts reach the minimum group size and are released.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from assess import clock
from assess.db import db
from assess.engine import raters as rater_rules
from assess.engine.moments import Moment
from assess.engine.simulate import POPULATION_LEVEL, draw_participant, simulate_answers
from assess.models import (
    Cohort,
    MomentWindow,
    Organisation,
    Participant,
    Response,
    Role,
    Status,
    User,
)
from assess.survey import course_days, goals, questionnaires, responses, tokens
from assess.survey.raters import invitations as rater_invitations
from assess.web.passwords import hash_password

INSTRUMENT = "leergang-woonconsulent"
POLICY = "beleidsscan"
ORGANISATIONS = (
    "Woonstichting De Linde",
    "Wooncorporatie Het Baken",
    "Woonpartners Rivierenland",
    "Stichting Thuis aan de Dijk",
    "Woongoed Oost",
)
DOMAINS = ("delinde", "hetbaken", "rivierenland", "thuisaandedijk", "woongoedoost")
# Participants per cohort: spread over the corporations in turn.
COHORT_SIZES = (30, 35)
FIRST = (
    "Anouk Bram Chantal Daan Esra Fatima Gerrit Hanneke Ilse Jeroen Karim Lotte Mohamed Nadia "
    "Olga Pieter Quinten Rianne Sanne Tim Ufuk Vera Willem Yara Zeynep Bas Ingrid Koen Marieke Nora"
).split()
LAST = (
    "de Vries|Jansen|Bakker|Visser|Smit|Meijer|de Boer|Mulder|de Groot|Bos|Vos|Peters|Hendriks|"
    "van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|de Graaf|van der Meer|Kaya|El Amrani|Yilmaz|"
    "Koster|Prins|Huisman|Kok|Willems|Postma"
).split("|")
STAFF = (
    ("beheer@example.nl", "Beheerder Demo", Role.ADMIN, None, "demo-beheer-2026"),
    ("trainer@example.nl", "Trainer Demo", Role.TRAINER, None, "demo-trainer-2026"),
    ("manager@delinde.example.nl", "Manager De Linde", Role.MANAGER, 0, "demo-linde-2026"),
    ("manager@hetbaken.example.nl", "Manager Het Baken", Role.MANAGER, 1, "demo-baken-2026"),
)


# In the current cohort: someone who has not opened their link yet, so the demo can walk through
# a survey from its first page.
NOT_STARTED = ("Nora", "Postma")


@dataclass
class Summary:
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    participants: list[Participant] = field(default_factory=list)

    def not_started(self, person: Participant) -> bool:
        return person.name == " ".join(NOT_STARTED)


def load(seed: int = 2026, today: date | None = None) -> Summary:
    """Create the demo world once; a second run only reports what is there."""
    today = today or clock.today()
    rng = random.Random(seed)
    orgs = [_organisation(name) for name in ORGANISATIONS]
    summary = Summary()
    users = {}
    for email, name, role, org_index, password in STAFF:
        users[role if role != Role.MANAGER else email] = _user(
            email, name, role, orgs[org_index] if org_index is not None else None, password
        )
        summary.logins.append((email, password, role))
    trainer = users[Role.TRAINER]
    plans = (
        # name, start, intake window, exit window, follow-up window
        ("Leergang voorjaar", today - timedelta(days=240), True),
        ("Leergang najaar", today - timedelta(days=75), False),
    )
    for index, (name, start, finished) in enumerate(plans):
        cohort = _cohort(f"{name} {start.year}", trainer, start, today, finished)
        if not cohort.course_days:
            # Eight course days, every ten days from the start to the end.
            course_days.save_days(cohort, [start + timedelta(days=10 * k) for k in range(8)])
        summary.participants.extend(_participants(cohort, orgs, index, rng))
    db.session.flush()
    q = questionnaires.get(INSTRUMENT)
    # Goals draw from their own generator, so the answers stay what they were before goals.
    goal_rng = random.Random(seed + 1)
    for person in summary.participants:
        if summary.not_started(person):
            continue
        if not db.session.execute(
            db.select(Response.id).filter_by(participant_id=person.id)
        ).first():
            _fill(person, q, rng)
        if q is not None and q.goal_examples:
            _goals(person, q, goal_rng)
    _raters(summary, rng, today)
    policy = questionnaires.get(POLICY)
    if policy is not None:
        for user in users.values():
            if user.role == Role.MANAGER:
                _fill_policy(user, policy, rng)
    db.session.commit()
    return summary


def _organisation(name: str) -> Organisation:
    org = db.session.execute(db.select(Organisation).filter_by(name=name)).scalar_one_or_none()
    if org is None:
        org = Organisation(name=name)
        db.session.add(org)
    return org


def _user(email: str, name: str, role: str, org: Organisation | None, password: str) -> User:
    user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()
    if user is None:
        user = User(
            email=email,
            name=name,
            role=role,
            organisation=org,
            password_hash=hash_password(password),
        )
        db.session.add(user)
    return user


def _cohort(name: str, trainer: User, start: date, today: date, finished: bool) -> Cohort:
    cohort = db.session.execute(db.select(Cohort).filter_by(name=name)).scalar_one_or_none()
    if cohort is not None:
        return cohort
    end = start + timedelta(days=70)
    cohort = Cohort(
        name=name,
        trainer=trainer,
        questionnaire_id=INSTRUMENT,
        start_date=start,
        end_date=end,
    )
    cohort.windows = [
        MomentWindow(moment=Moment.INTAKE, opens_on=start - timedelta(days=21), closes_on=start),
        MomentWindow(
            moment=Moment.EXIT, opens_on=end - timedelta(days=3), closes_on=end + timedelta(days=21)
        ),
        MomentWindow(
            moment=Moment.FOLLOWUP,
            opens_on=end + timedelta(days=90) if finished else end + timedelta(days=120),
            closes_on=end + timedelta(days=200),
        ),
    ]
    # The current cohort's exit is open today, so the demo shows a survey to fill in.
    if not finished:
        exit_window = cohort.windows[1]
        assert exit_window.opens_on is not None and exit_window.closes_on is not None  # set above
        exit_window.closes_on = max(exit_window.closes_on, today + timedelta(days=14))
        exit_window.opens_on = min(exit_window.opens_on, today - timedelta(days=7))
    db.session.add(cohort)
    return cohort


def _participants(cohort: Cohort, orgs: list[Organisation], index: int, rng: random.Random):
    existing = db.session.scalars(db.select(Participant).filter_by(cohort=cohort)).all()
    if existing:
        return list(existing)
    people = []
    for n in range(COHORT_SIZES[index]):
        first = FIRST[(n + index * 15) % len(FIRST)]
        last = LAST[(n * 7 + index * 3 + n // len(LAST)) % len(LAST)]
        org = orgs[n % len(orgs)]
        domain = DOMAINS[n % len(orgs)]
        slug = f"{first}.{last}".lower().replace(" ", "")
        person = Participant(
            cohort=cohort,
            organisation=org,
            name=f"{first} {last}",
            email=f"{slug}@{domain}.example.nl",
            code=f"D{index + 1}{n + 1:02d}{rng.randrange(16**3):03x}".upper(),
        )
        db.session.add(person)
        db.session.flush()
        tokens.issue(person)
        people.append(person)
    if index == 1:
        first, last = NOT_STARTED
        person = Participant(
            cohort=cohort,
            organisation=orgs[0],
            name=f"{first} {last}",
            email=f"{first}.{last}@delinde.example.nl".lower(),
            code=f"D2{16:02d}NEW",
        )
        db.session.add(person)
        db.session.flush()
        tokens.issue(person)
        people.append(person)
    return people


def _fill(person: Participant, q, rng: random.Random) -> None:
    """Intake for everyone; exit for most; a draft or two so response tracking has something."""
    # A consultant drawn from the simulated population (engine/simulate.py: reliabilities,
    # correlations, ceiling and change as real self-report data has them); the same make-up
    # answers every moment.
    make_up = draw_participant(q, rng)
    finished = person.cohort.name.startswith("Leergang voorjaar")
    plan: list[tuple[str, bool | None]] = [(Moment.INTAKE, True), (Moment.EXIT, True)]
    if finished:
        plan.append((Moment.FOLLOWUP, rng.random() < 0.6))
    else:
        roll = rng.random()
        plan[1] = (Moment.EXIT, roll < 0.75) if roll < 0.9 else (Moment.EXIT, None)
    for moment, submitted in plan:
        if submitted is None:
            continue
        answers = simulate_answers(q, moment, rng, level=POPULATION_LEVEL, person=make_up)
        response = responses.get_or_create(q, moment, participant_id=person.id)
        if not submitted:
            # A half-filled draft: the first few pages only.
            keep = set(q.item_ids_for(moment)[: len(answers) // 3])
            answers = {k: v for k, v in answers.items() if k in keep}
        responses.save_answers(response, answers)
        if submitted:
            responses.submit(response)
        else:
            response.current_page = 1


def _raters(summary: Summary, rng: random.Random, today: date) -> None:
    """The current cohort asks raters: its first three consultants asked their manager and four
    colleagues at intake; the manager and three or four colleagues answered, so their pages show
    the manager's view and, the intake being closed, the colleagues' released average."""
    form = next(
        (q for q in questionnaires.registry().latest("rater") if q.mirrors == INSTRUMENT), None
    )
    current = [p for p in summary.participants if p.cohort.name.startswith("Leergang najaar")]
    if form is None or not current:
        return
    current[0].cohort.raters_enabled = True
    for n, person in enumerate(current[:3]):
        if rater_invitations.invitations_of(person.id):
            continue
        domain = person.email.rpartition("@")[2]
        asked = [(rater_rules.MANAGER, f"leidinggevende{n}@{domain}")] + [
            (rater_rules.COLLEAGUE, f"collega{n}.{k}@{domain}") for k in range(4)
        ]
        # Others see these consultants a little less rosy than they see themselves (a usual
        # finding of self-other studies), each rater in their own way.
        level = rng.gauss(0.45, 0.05)
        for k, (role, address) in enumerate(asked):
            invitation = rater_invitations.invite(person, Moment.INTAKE, role, address, today)
            if k == len(asked) - 1 and n == 0:
                continue  # one colleague has not answered
            answers = simulate_answers(form, rater_rules.RATER, rng, level=rng.gauss(level, 0.08))
            if k == 1:  # a colleague who cannot judge the network items
                answers = {i: v for i, v in answers.items() if not i.startswith("o_na_")}
            rater_invitations.submit(
                invitation,
                form,
                {
                    i: int(v) if isinstance(v := answers.get(i), int | float) else None
                    for i in form.item_ids_for(rater_rules.RATER)
                },
                clock.now(),
                today,
            )


def _goals(person: Participant, q, rng: random.Random) -> None:
    """One goal from the course's examples, shared with the trainer by every third person,
    with the level reached at the exit (a spread around the expected level)."""
    if goals.active_goals(person.id):
        return
    example = q.goal_examples[person.id % len(q.goal_examples)]
    goal = goals.add(
        person,
        goals.GoalInput(
            theme=example.theme,
            text=q.text(example.text),
            if_then=q.text(example.if_then),
            levels={
                -2: "Het lukt nog helemaal niet.",
                -1: "Het lukt af en toe.",
                0: q.text(example.expected),
                1: "Het lukt vaker dan ik verwachtte.",
                2: "Het is een gewoonte geworden.",
            },
            shared_with_trainer=person.id % 3 == 0,
        ),
    )
    goals.rate_final(goal, "exit", rng.choice((-1, 0, 0, 1, 1, 2)))


def _fill_policy(user: User, q, rng: random.Random) -> None:
    response = responses.get_or_create(q, Moment.POLICY, user_id=user.id)
    if response.status == Status.SUBMITTED:
        return
    responses.save_answers(response, simulate_answers(q, Moment.POLICY, rng, level=0.8))
    responses.submit(response)
