"""Goals, read side: a participant's own goals with where they stand and their GAS T-score,
a cohort's figures (only for a group of at least the minimum size) and the goals that
participants chose to share with their trainer.

Who sees what: the participant sees their own goals; the trainer sees a goal's words only when
the participant shared it, and otherwise group figures; managers see nothing of goals here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from assess.db import db
from assess.engine import gas
from assess.models import Cohort, Goal, GoalRating, Participant
from assess.reports.course_days import Day, days_of


@dataclass(frozen=True)
class OwnGoal:
    goal: Goal
    level: int | None  # the latest rating, of any kind
    when: str | None  # pulse | exit | followup


def _latest(goal_ids: list[int]) -> dict[int, tuple[int, str]]:
    """Each goal's latest rating (level, kind); the last written wins on equal times."""
    found: dict[int, tuple[int, str]] = {}
    if not goal_ids:
        return found
    rows = db.session.execute(
        select(GoalRating.goal_id, GoalRating.level, GoalRating.when)
        .where(GoalRating.goal_id.in_(goal_ids))
        .order_by(GoalRating.rated_at, GoalRating.id)
    )
    for goal_id, level, when in rows:
        found[goal_id] = (level, when)
    return found


def own_goals(participant_id: int) -> list[OwnGoal]:
    goals = list(
        db.session.scalars(
            select(Goal)
            .where(Goal.participant_id == participant_id, Goal.active.is_(True))
            .order_by(Goal.id)
        )
    )
    latest = _latest([g.id for g in goals])
    return [OwnGoal(g, *(latest[g.id] if g.id in latest else (None, None))) for g in goals]


def t_score(goals: list[OwnGoal]) -> float | None:
    """The GAS T-score of a person's active goals, once every one of them has a level."""
    if not goals or any(g.level is None for g in goals):
        return None
    return gas.t_score([g.level for g in goals], [g.goal.weight for g in goals])


def goal_day(cohort: Cohort, days: list[Day] | None = None) -> Day | None:
    """The course day on which the cohort writes its goals; None without course days (then
    goals can be written at any time)."""
    days = days_of(cohort.id) if days is None else days
    return next((d for d in days if d.number == cohort.goals_day), days[-1] if days else None)


def goals_open(cohort: Cohort, today: date) -> bool:
    day = goal_day(cohort)
    return day is None or today >= day.date


@dataclass(frozen=True)
class CohortGoals:
    """A cohort's goal figures: how many people wrote goals, how many have a level on every
    goal, and the group figures, which exist only for at least `min_group` rated people."""

    people: int
    rated: int
    min_group: int
    group: gas.GroupGAS | None


def cohort_goals(cohort_id: int, min_group: int) -> CohortGoals:
    rows = db.session.execute(
        select(Goal.id, Goal.participant_id, Goal.weight)
        .join(Participant, Participant.id == Goal.participant_id)
        .where(Participant.cohort_id == cohort_id, Goal.active.is_(True))
    ).all()
    latest = _latest([r.id for r in rows])
    per_person: dict[int, list[tuple[int | None, float]]] = {}
    for goal_id, person, weight in rows:
        level = latest[goal_id][0] if goal_id in latest else None
        per_person.setdefault(person, []).append((level, weight))
    scores: list[float] = []
    levels: list[int] = []
    for rated in per_person.values():
        if all(level is not None for level, _ in rated):
            found = [int(level) for level, _ in rated if level is not None]
            scores.append(gas.t_score(found, [w for _, w in rated]))
            levels.extend(found)
    group = gas.group(scores, levels) if len(scores) >= min_group else None
    return CohortGoals(len(per_person), len(scores), min_group, group)


@dataclass(frozen=True)
class SharedGoal:
    name: str
    goal: Goal
    level: int | None


def shared_goals(cohort_id: int) -> list[SharedGoal]:
    """The goals participants shared with their trainer, by name; no other goal's words."""
    rows = db.session.execute(
        select(Participant.name, Goal)
        .join(Goal, Goal.participant_id == Participant.id)
        .where(
            Participant.cohort_id == cohort_id,
            Goal.active.is_(True),
            Goal.shared_with_trainer.is_(True),
        )
        .order_by(Participant.name, Goal.id)
    ).all()
    latest = _latest([g.id for _, g in rows])
    return [SharedGoal(name, g, latest[g.id][0] if g.id in latest else None) for name, g in rows]
