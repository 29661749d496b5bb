"""Building blocks: organisations, staff, cohorts with their windows, participants with personal
links, and answers saved and submitted by the one writer (assess/survey/responses.py)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from assess import clock
from assess.db import db
from assess.engine.definition import Questionnaire
from assess.engine.simulate import simulate_answers
from assess.models import Cohort, MomentWindow, Organisation, PageTime, Participant, Response, User
from assess.reports.organisation import releases
from assess.survey import questionnaires, responses, tokens
from assess.web import audit

INSTRUMENT = "leergang-woonconsulent"
MOMENTS = ("intake", "exit", "followup")
DE_LINDE = "Woonstichting De Linde"
# (opens_on, closes_on, enabled) of a window in each state, in days from the real date.
WINDOW_STATES = {
    "open": (-3, 10, True),
    "not_yet": (20, 40, True),
    "closed": (-40, -20, True),
    "disabled": (-3, 10, False),
}

Span = tuple[date | None, date | None] | tuple[date | None, date | None, bool]


def organisation(name: str = DE_LINDE, active: bool = True) -> Organisation:
    """The organisation of this name, created if it does not exist yet."""
    found = db.session.execute(db.select(Organisation).filter_by(name=name)).scalar_one_or_none()
    if found is None:
        found = Organisation(name=name, active=active)
        db.session.add(found)
        db.session.flush()
    return found


def staff(
    role: str,
    email: str,
    password_hash: str = "x",
    name: str = "",
    org: Organisation | None = None,
    **columns,
) -> User:
    """A staff account. Tests that log in pass the session's one `password_hash` (hashing is
    slow on purpose); the name defaults to the address."""
    user = User(
        email=email,
        name=name or email,
        role=role,
        organisation=org,
        password_hash=password_hash,
        **columns,
    )
    db.session.add(user)
    db.session.flush()
    return user


def cohort(
    trainer: User | int | None = None,
    name: str = "Voorjaar 2026",
    *,
    windows: dict[str, Span | None] | None = None,
    **columns,
) -> Cohort:
    """A cohort of the Leergang running from March to May 2026; `columns` override any column.

    `windows` maps a moment to its (opens_on, closes_on[, enabled]), None for no dates; by
    default all three moments are open without dates. Without a trainer, the shared test
    trainer t@example.nl leads it.
    """
    columns = {
        "questionnaire_id": INSTRUMENT,
        "start_date": date(2026, 3, 1),
        "end_date": date(2026, 5, 1),
        **columns,
    }
    if isinstance(trainer, int):
        columns["trainer_id"] = trainer
    else:
        columns["trainer"] = trainer or _shared_trainer()
    made = Cohort(name=name, **columns)
    spans = dict.fromkeys(MOMENTS) if windows is None else windows
    for moment, span in spans.items():
        opens, closes, *enabled = span or (None, None)
        made.windows.append(
            MomentWindow(moment=moment, opens_on=opens, closes_on=closes, enabled=all(enabled))
        )
    db.session.add(made)
    db.session.flush()
    return made


def windows(intake: str = "open", exit: str = "not_yet", followup: str = "not_yet") -> dict:
    """All three windows in a state on the real date: open, not_yet, closed or disabled."""
    today = clock.today()
    spans = {}
    for moment, state in (("intake", intake), ("exit", exit), ("followup", followup)):
        opens, closes, enabled = WINDOW_STATES[state]
        spans[moment] = (today + timedelta(days=opens), today + timedelta(days=closes), enabled)
    return spans


def _shared_trainer() -> User:
    found = db.session.execute(db.select(User).filter_by(email="t@example.nl")).scalar_one_or_none()
    return found or staff("trainer", "t@example.nl", name="Trainer")


def participant(
    in_cohort: Cohort | int,
    name: str = "Anouk de Vries",
    email: str = "anouk@delinde.example.nl",
    *,
    org: Organisation | str = DE_LINDE,
    code: str | None = None,
    link: bool = True,
) -> Participant:
    """A participant with a live personal link (unless link=False); the code defaults to the
    next free T00001, T00002 …"""
    if code is None:
        code = _free_code()
    person = Participant(
        organisation=org if isinstance(org, Organisation) else organisation(org),
        name=name,
        email=email,
        code=code,
        **({"cohort_id": in_cohort} if isinstance(in_cohort, int) else {"cohort": in_cohort}),
    )
    db.session.add(person)
    db.session.flush()
    if link:
        tokens.issue(person)
    return person


def _free_code() -> str:
    """The first T-number from the head count on that nobody holds: after an erasure the count
    drops below a code still in use, so the count alone would hand that code out twice."""
    number = db.session.scalar(db.select(db.func.count(Participant.id))) + 1
    while db.session.scalar(db.select(Participant.id).filter_by(code=f"T{number:05d}")):
        number += 1
    return f"T{number:05d}"


def participants(
    in_cohort: Cohort, n: int, org: str = DE_LINDE, start: int = 0
) -> list[Participant]:
    """n numbered participants with links: "Deelnemer 000" <deelnemer000@example.nl>, code
    T<cohort id><number>."""
    return [
        participant(
            in_cohort,
            f"Deelnemer {i:03d}",
            f"deelnemer{i:03d}@example.nl",
            org=org,
            code=f"T{in_cohort.id:02d}{i:04d}",
        )
        for i in range(start, start + n)
    ]


def fill(
    person: Participant | int,
    moment: str,
    *,
    seed: int = 0,
    rng: random.Random | None = None,
    level: float | None = None,
    growth: float = 0.15,
    share: float = 1.0,
    submit: bool = True,
    extra: dict | None = None,
    version: int | None = None,
) -> dict:
    """Simulated answers to a moment, saved and (unless submit=False) submitted by the writer.

    Without an `rng` every person answers from their own seed (seed * 1000 + id), at a level
    drawn from it. `share` < 1 keeps only the first part of the items (a draft half done);
    `extra` adds or replaces answers (free text); `version` picks an installed version of the
    cohort's questionnaire other than the newest. Returns the answers given.
    """
    if isinstance(person, int):
        person = db.session.get(Participant, person)
    q = questionnaires.get(person.cohort.questionnaire_id, version)
    rng = rng or random.Random(seed * 1000 + person.id)
    if level is None:
        level = rng.uniform(0.2, 0.8)
    answers = simulate_answers(q, moment, rng, level=level, growth=growth)
    if share < 1:
        items = q.item_ids_for(moment)
        keep = set(items[: int(len(items) * share)])
        answers = {k: v for k, v in answers.items() if k in keep}
    answers.update(extra or {})
    _save(q, moment, answers, submit, participant_id=person.id)
    return answers


def page_times(person: Participant | int, moment: str, seconds: list[float]) -> None:
    """Measured page times of the person's response at the moment: one showing per page."""
    person_id = person if isinstance(person, int) else person.id
    response_id = db.session.scalar(
        db.select(Response.id).filter_by(participant_id=person_id, moment=moment)
    )
    for page, spent in enumerate(seconds, start=1):
        db.session.add(
            PageTime(response_id=response_id, page=page, shown_at=1e9 + page, seconds=spent)
        )
    db.session.flush()


def policy_scan(user_id: int, level: float = 0.85, seed: int = 3) -> None:
    """A manager's submitted beleidsscan."""
    q = questionnaires.get("beleidsscan")
    answers = simulate_answers(q, "policy", random.Random(seed), level=level)
    _save(q, "policy", answers, True, user_id=user_id)


def _save(q: Questionnaire, moment: str, answers: dict, submit: bool, **owner) -> None:
    response = responses.get_or_create(q, moment, **owner)
    responses.save_answers(response, answers)
    if submit:
        responses.submit(response)


def released(people: list[Participant]) -> None:
    """A manager's release of the people's organisation and cohort counting exactly them
    (whatever the minimum group size), written by the releases' own writer. Commits."""
    q = questionnaires.get(people[0].cohort.questionnaire_id)
    ids = [person.id for person in people]
    atom = releases.Due(people[0].organisation_id, people[0].cohort_id, None)
    payload = releases.compute(q, ids, sorted(q.time_allocation), {})
    db.session.commit()
    releases.write(q, [(atom, ids, payload)])


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
