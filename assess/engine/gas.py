"""Goal Attainment Scaling (GAS): one person's goals as a T-score, and a group's mean T.

Each goal has five attainment levels, from −2 (much less than expected) through 0 (the
expected outcome) to +2 (much more than expected). Kiresuk & Sherman (1968) summarise a
person's goals as

    T = 50 + 10·Σwᵢxᵢ / √((1 − ρ)·Σwᵢ² + ρ·(Σwᵢ)²)

with xᵢ the level reached on goal i, wᵢ its weight (equal weights unless set) and ρ the
assumed correlation between goal scores, by convention .3. T is 50 when every goal is met at
the expected level and has a standard deviation of about 10 when goals are set so that the
levels are spread as intended.

Sources: Kiresuk, T. J., & Sherman, R. E. (1968). Goal attainment scaling: A general method for
evaluating comprehensive community mental health programs. *Community Mental Health Journal*,
4(6), 443–453. Turner-Stokes, L. (2009). Goal attainment scaling (GAS) in rehabilitation: a
practical guide. *Clinical Rehabilitation*, 23(4), 362–370 (the formula with ρ = .3, and why
levels are whole steps from −2 to +2).

Worked examples (tests/engine/test_gas.py): one goal gives T = 50 + 10·x (the root is w); three
equal goals all at −1 give 50 − 30/√(.7·3 + .3·9) = 50 − 30/√4.8 = 36.31; the weighted example
of the R package gasr (`calc_tscore`: levels −2, 0, −1, 2, 0, 1, weights 3, 5, 1, 4, 2, 6)
gives 50 + 10·7/√(.7·91 + .3·441) = 50 + 70/14 = 55.

The input checks follow PhysioClinical's `scoreGAS`: a level for every goal, whole levels from
−2 to +2, nothing missing, ρ in [0, 1). A missing level is an error, never dropped silently (a
person with no goals left would get a T of nothing), and level 0 is a level, not "missing".
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from assess.engine.stats.common import t_critical

RHO = 0.3
LEVELS = (-2, -1, 0, 1, 2)
EXPECTED = 0
MAX_GOALS = 3  # the course asks for one to three goals


class GASInputError(ValueError):
    """Levels, weights or ρ that give no T-score (the message says which and why)."""


def t_score(
    levels: Sequence[int | None],
    weights: Sequence[float] | None = None,
    rho: float = RHO,
) -> float:
    """The GAS T-score of one person's goals (see the module docstring for the formula).

    `levels` holds one level per goal, each −2…+2; `weights` (positive, one per goal) default
    to equal weights; `rho` is the assumed correlation between goals, 0 ≤ ρ < 1.
    """
    if not levels:
        raise GASInputError("no goals: a T-score needs at least one goal with a level")
    if weights is None:
        weights = [1.0] * len(levels)
    if len(weights) != len(levels):
        raise GASInputError(f"{len(levels)} levels but {len(weights)} weights: one per goal")
    if isinstance(rho, bool) or not isinstance(rho, int | float) or not 0 <= rho < 1:
        raise GASInputError(f"rho must be at least 0 and below 1, not {rho!r}")
    for i, level in enumerate(levels):
        if level is None:
            raise GASInputError(f"goal {i + 1} has no level")
        if isinstance(level, bool) or level not in LEVELS:
            raise GASInputError(f"goal {i + 1} has level {level!r}; levels are -2, -1, 0, 1, 2")
    for i, weight in enumerate(weights):
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise GASInputError(f"goal {i + 1} has weight {weight!r}; weights are numbers")
        if not math.isfinite(weight) or weight <= 0:
            raise GASInputError(f"goal {i + 1} has weight {weight!r}; weights are above 0")
    checked = [int(x) for x in levels if x is not None]  # all of them, after the checks
    total = sum(weights)
    squares = sum(w * w for w in weights)
    attained = sum(w * x for w, x in zip(weights, checked, strict=True))
    return 50 + 10 * attained / math.sqrt((1 - rho) * squares + rho * total * total)


@dataclass(frozen=True)
class GroupGAS:
    """A group's GAS figures: n people, their mean T with its 95 % interval (t distribution;
    None below two people), and the share of their goals at or above the expected level."""

    n: int
    mean: float
    low: float | None
    high: float | None
    goals: int
    share_expected_or_better: float


def group(t_scores: Sequence[float], goal_levels: Sequence[int]) -> GroupGAS | None:
    """The group's mean T with mean ± t(0.975, n−1)·sd/√n, and the share of its goals rated
    at the expected level or better (0, +1, +2). None without any T-score."""
    if not t_scores:
        return None
    mean = statistics.fmean(t_scores)
    low = high = None
    if len(t_scores) >= 2:
        half = t_critical(0.95, len(t_scores) - 1) * statistics.stdev(t_scores)
        half /= math.sqrt(len(t_scores))
        low, high = mean - half, mean + half
    reached = sum(1 for level in goal_levels if level >= EXPECTED)
    share = reached / len(goal_levels) if goal_levels else 0.0
    return GroupGAS(len(t_scores), mean, low, high, len(goal_levels), share)
