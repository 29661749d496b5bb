"""How precisely a manager's figures are published: what a manager needs, no more.

Means on the 0-100 scale (and percentages of the week) as whole numbers, interval bounds and
answer means on the 1-5 points to one decimal, effect sizes and shares to two. Twelve decimals
in a chart's data would only help someone who subtracts one release from another; the
release rule (releases.py) is what prevents that, the rounding keeps the rest honest.
Figures that are not computable (stats.NotComputable) and None pass through unchanged.
"""

from __future__ import annotations

from typing import TypeVar, cast

V = TypeVar("V")


def rounded(value: V, digits: int) -> V:
    """The value rounded to `digits` decimals when it is a number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return cast(V, round(float(value), digits) + 0.0)  # + 0.0: no "-0" on a page


def whole(value: V) -> V:
    return rounded(value, 0)


def tenth(value: V) -> V:
    return rounded(value, 1)


def hundredth(value: V) -> V:
    return rounded(value, 2)
