"""Two parties side by side, for the sweeps over every route and role (tests/app/)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from assess import clock
from assess.db import db
from assess.models import Goal
from assess.survey import tokens
from tests.factories.basics import organisation, staff
from tests.factories.pulses import pulse_week
from tests.factories.worlds import respondent, running_cohort

PEOPLE_PER_PARTY = 6
PARTIES = {"a": "Alfa", "b": "Beta"}


@dataclass
class World:
    ids: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    # Per participant key ("a1"): their name, e-mail address and free-text answer.
    secrets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    # Per participant key: their goal's words ("a2" and "b2" share theirs with the trainer).
    goals: dict[str, str] = field(default_factory=dict)

    def strings_of(self, *keys: str) -> set[str]:
        return {s for key in keys for s in self.secrets[key]}

    def party(self, p: str) -> list[str]:
        return [f"{p}{n}" for n in range(1, PEOPLE_PER_PARTY + 1)]


def two_parties(
    password_hash: str,
    names: dict[str, str] | None = None,
    free_text: Callable[[str], str] | None = None,
) -> World:
    """Party A: organisation Alfa, trainer A with cohort A (and this week's open pulse), manager A, participants A1…A6;
    party B the same for Beta; plus one admin. Every participant has submitted intake and exit
    with a recognisable free-text answer, so a page that leaks someone's data is easy to spot.
    `names` overrides names (keys "a1", "org_a", "cohort_a" …) and `free_text(key)` the
    free-text answers, for the XSS corpus. Committed."""
    names = names or {}
    world = World()
    world.ids["admin"] = staff("admin", "beheer@example.nl", password_hash, "Bea Beheer").id
    for p, word in PARTIES.items():
        org = organisation(names.get(f"org_{p}", f"Woonstichting {word}"))
        trainer = staff("trainer", f"trainer-{p}@example.nl", password_hash, f"Trainer {word}")
        manager = staff(
            "manager", f"manager-{p}@example.nl", password_hash, f"Manager {word}", org=org
        )
        group = running_cohort(trainer, names.get(f"cohort_{p}", f"Leergang {word}"))
        # Party A's participants may ask raters (issue 29); B's may not.
        group.raters_enabled = p == "a"
        # This week's pulse, open and not answered by anyone yet.
        this_week = pulse_week(group, clock.today())
        world.ids |= {
            f"pulse_{p}": this_week.id,
            f"org_{p}": org.id,
            f"trainer_{p}": trainer.id,
            f"manager_{p}": manager.id,
            f"cohort_{p}": group.id,
        }
        for n in range(1, PEOPLE_PER_PARTY + 1):
            key = f"{p}{n}"
            name = names.get(key, f"{word}deelnemer Nummer{n}")
            email = f"{word.lower()}.deelnemer{n}@{word.lower()}.example.nl"
            text = free_text(key) if free_text else f"Vertrouwelijk plan {word} {n}"
            # A1 and B1 are half-way through their exit, so survey pages have a draft to show.
            person = respondent(
                group,
                org,
                name,
                email,
                text,
                moments=("intake",) if n == 1 else ("intake", "exit"),
                drafts=("exit",) if n == 1 else (),
                seed=n + (100 if p == "b" else 0),
                goal_shared=n == 2,
            )
            world.ids[key] = person.id
            own_goal = db.session.scalars(db.select(Goal).filter_by(participant_id=person.id)).one()
            world.ids[f"goal_{key}"] = own_goal.id
            world.goals[key] = own_goal.text
            world.tokens[key] = tokens.current_token(person)
            world.secrets[key] = (name, email, text)
            world.emails[key] = email
    db.session.commit()
    return world
