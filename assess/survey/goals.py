"""A participant's goals, write side: writing one, revising it (the old state is kept first),
and rating where they stand. The caller (a view) commits.

One row per goal and one per rating (append-only), never wide goal_1…goal_3 columns; an edit
writes a GoalRevision holding the goal as it was *before* the edit, as KoNote does, so the
history cannot be rewritten by the edit itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from assess.db import db
from assess.engine import gas
from assess.models import Goal, GoalRating, GoalRevision, GoalWhen, Participant

LEVEL_COLUMNS = {
    -2: "level_minus2",
    -1: "level_minus1",
    0: "level_0",
    1: "level_plus1",
    2: "level_plus2",
}


@dataclass(frozen=True)
class GoalInput:
    theme: str
    text: str
    if_then: str
    levels: dict[int, str]  # -2 … +2 -> what that level looks like
    shared_with_trainer: bool


def active_goals(participant_id: int) -> list[Goal]:
    return list(
        db.session.scalars(
            select(Goal)
            .where(Goal.participant_id == participant_id, Goal.active.is_(True))
            .order_by(Goal.id)
        )
    )


def room_for_another(participant_id: int) -> bool:
    """Fewer than the most goals one person keeps (three)."""
    count = db.session.scalar(
        select(func.count(Goal.id)).where(
            Goal.participant_id == participant_id, Goal.active.is_(True)
        )
    )
    return (count or 0) < gas.MAX_GOALS


def _apply(goal: Goal, given: GoalInput) -> None:
    goal.theme = given.theme
    goal.text = given.text.strip()
    goal.if_then = given.if_then.strip()
    for level, column in LEVEL_COLUMNS.items():
        setattr(goal, column, given.levels[level].strip())
    goal.shared_with_trainer = given.shared_with_trainer


def add(participant: Participant, given: GoalInput) -> Goal:
    goal = Goal(participant_id=participant.id)
    _apply(goal, given)
    db.session.add(goal)
    db.session.flush()
    return goal


def snapshot(goal: Goal) -> dict[str, object]:
    """The goal's own words and settings (what a revision keeps)."""
    return {
        "theme": goal.theme,
        "text": goal.text,
        "if_then": goal.if_then,
        "levels": {str(level): getattr(goal, column) for level, column in LEVEL_COLUMNS.items()},
        "weight": goal.weight,
        "shared_with_trainer": goal.shared_with_trainer,
        "active": goal.active,
        "updated_at": goal.updated_at.isoformat() if goal.updated_at else None,
    }


def revise(goal: Goal, given: GoalInput) -> bool:
    """Change the goal, keeping its old state as a revision first; False (and nothing
    written) when nothing changed."""
    before = snapshot(goal)
    after_goal = Goal()
    _apply(after_goal, given)
    after = {k: v for k, v in snapshot(after_goal).items() if k not in ("weight", "active")}
    if all(before[k] == after[k] for k in after if k != "updated_at"):
        return False
    db.session.add(GoalRevision(goal_id=goal.id, before=json.dumps(before, ensure_ascii=False)))
    db.session.flush()
    _apply(goal, given)
    db.session.flush()
    return True


def rate_pulse(goal: Goal, pulse_id: int, level: int) -> bool:
    """Record the goal's level in one weekly pulse; False when this week was rated already."""
    if level not in gas.LEVELS:
        raise ValueError(f"level {level!r} is not one of {gas.LEVELS}")
    try:
        with db.session.begin_nested():
            db.session.add(
                GoalRating(goal_id=goal.id, when=GoalWhen.PULSE, pulse_id=pulse_id, level=level)
            )
            db.session.flush()
    except IntegrityError:
        return False
    return True


def rate_final(goal: Goal, when: str, level: int) -> None:
    """Record the level at the exit or the follow-up (the latest one counts)."""
    if when not in (GoalWhen.EXIT, GoalWhen.FOLLOWUP):
        raise ValueError(f"a final rating is at the exit or follow-up, not {when!r}")
    if level not in gas.LEVELS:
        raise ValueError(f"level {level!r} is not one of {gas.LEVELS}")
    db.session.add(GoalRating(goal_id=goal.id, when=when, level=level))
    db.session.flush()
