"""Figures from sums: n, Σx and Σx² of a variable give its mean, SD, t-interval and Cohen's d.

A database adds up counts, sums and sums of squares for a whole group in one pass, and the sums
of disjoint groups add up to those of their union. So the reports aggregate in SQL and hand the
sums to this module, the one place where figures are made from sums. With the values at hand the
engine's own functions apply (:func:`describe`, :func:`paired_change`, :func:`cronbach_alpha`);
from sums the figures are the same up to the rounding of the last bits, and a figure that cannot
be computed is a :class:`NotComputable` for the same reasons.

The variance from sums is the one-pass formula (Σx² - (Σx)²/n) / (n - 1), which loses precision
to cancellation when the values are far from zero relative to their spread. On scores of 0-100
that costs a few of the sixteen digits; it does mean that values which are all equal come out
with a tiny spread of rounding noise instead of none. A numerator below ``NOISE`` · Σx² is such
noise (summing n squares in floating point is off by up to about n · 2.2e-16 · Σx²), so the
values count as equal: the same decision the engine takes on raw values with ``no_spread``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from assess.engine.messages import Message
from assess.engine.stats.common import (
    NotComputable,
    Value,
    check_confidence,
    finite,
    no_spread,
    t_critical,
)
from assess.engine.stats.paired import hedges_j

NOISE = 1e-12
"""Relative size of Σx² below which the numerator of the variance is rounding noise."""


@dataclass(frozen=True, slots=True)
class Sums:
    """n, Σx and Σx² of the values present (missing values are not counted).

    ``squares`` is None when Σx² was not summed: then the mean is known, the spread is not.
    Sums of disjoint groups add up (``a + b``) to the sums of their union.
    """

    n: int = 0
    total: float = 0.0
    squares: float | None = 0.0

    @classmethod
    def of(cls, values: Iterable[float | None]) -> Sums:
        """The sums of these values, None for missing (in Python; a database sums likewise)."""
        present = [float(v) for v in values if v is not None]
        return cls(len(present), sum(present), sum(v * v for v in present))

    @classmethod
    def from_sql(cls, n: float | None, total: float | None, squares: float | None = None) -> Sums:
        """The sums as SQL gives them: COUNT(x), SUM(x) and SUM(x * x), where a SUM over no
        values is NULL.
        """
        count = int(n or 0)
        if count == 0:
            return cls()
        return cls(count, float(total or 0.0), None if squares is None else float(squares))

    def __add__(self, other: Sums) -> Sums:
        squares = (
            None if self.squares is None or other.squares is None else self.squares + other.squares
        )
        return Sums(self.n + other.n, self.total + other.total, squares)

    @property
    def mean(self) -> float | None:
        """mean = Σx / n; None without values."""
        return self.total / self.n if self.n else None

    @property
    def variance(self) -> float | None:
        """Sample variance s² = (Σx² - (Σx)²/n) / (n - 1) (Bessel's correction), 0.0 when the
        numerator is rounding noise (see the module's docs); None below two values or without
        Σx².
        """
        if self.n < 2 or self.squares is None:
            return None
        spread = self.squares - self.total * self.total / self.n
        if spread <= NOISE * self.squares:
            return 0.0
        return spread / (self.n - 1)

    @property
    def sd(self) -> float | None:
        """Sample SD s = √s²; None below two values or without Σx²."""
        variance = self.variance
        return None if variance is None else math.sqrt(variance)


@dataclass(frozen=True, slots=True)
class ChangeFromSums:
    """The mean of paired differences D = post - pre with its interval and Cohen's d_z."""

    n: int
    confidence: float
    mean_diff: Value
    sd_diff: Value
    ci_low: Value
    ci_high: Value
    d_z: Value


def change_from_sums(diff: Sums, confidence: float = 0.95) -> ChangeFromSums:
    """The change figures of :func:`paired_change`, from the sums of the differences D.

    - mean(D) = ΣD / n; SD(D) = √((ΣD² - (ΣD)²/n) / (n - 1)).
    - Confidence interval (Student's t; Student 1908, "The probable error of a mean",
      Biometrika 6:1-25): mean(D) ± t_{1-(1-c)/2, n-1} · SD(D)/√n.
    - Cohen's d_z = mean(D) / SD(D) (Cohen 1988, Statistical Power Analysis for the Behavioral
      Sciences, 2nd ed.; Lakens 2013, Frontiers in Psychology 4:863, formula 6).

    Not computable: the mean without pairs; the SD, interval and d_z below two pairs; the
    interval and d_z when the differences have no spread (SD(D) is then 0).
    """
    check_confidence(confidence)
    n = diff.n
    mean = diff.mean
    sd = diff.sd
    if mean is None or sd is None:
        few = NotComputable(Message("stats.few_pairs"))
        shown = NotComputable(Message("stats.no_pairs")) if mean is None else finite(mean)
        return ChangeFromSums(n, float(confidence), shown, few, few, few, few)
    if sd == 0.0:
        flat = NotComputable(Message("stats.no_spread_in_differences"))
        return ChangeFromSums(n, float(confidence), finite(mean), 0.0, flat, flat, flat)
    half = t_critical(confidence, n - 1) * sd / math.sqrt(n)
    return ChangeFromSums(
        n,
        float(confidence),
        finite(mean),
        finite(sd),
        finite(mean - half),
        finite(mean + half),
        finite(mean / sd),
    )


def effect_from_sums(pre: Sums, post: Sums, diff: Sums) -> tuple[Value, Value]:
    """Cohen's d_av and Hedges' g_av of :func:`paired_change`, from the sums of the paired
    intake scores, exit scores and their differences (the same n participants in each).

    d_av = mean(D) / ((SD_pre + SD_post) / 2); g_av = d_av · J with Lakens' (2013)
    J = 1 - 3 / (4 (n + n) - 9). Not computable below two pairs, or without spread at intake
    and exit.
    """
    mean = diff.mean
    sd_pre, sd_post = pre.sd, post.sd
    if mean is None or diff.n < 2 or sd_pre is None or sd_post is None:
        few = NotComputable(Message("stats.few_pairs"))
        return few, few
    if sd_pre + sd_post == 0.0:
        flat = NotComputable(Message("stats.no_spread_pre_post"))
        return flat, flat
    d_av = finite(mean / ((sd_pre + sd_post) / 2.0))
    if isinstance(d_av, NotComputable):
        return d_av, d_av
    return d_av, finite(d_av * hedges_j(diff.n))


def alpha_from_sums(
    items: Sequence[Sums], total: Sums, lowest: float | None, highest: float | None
) -> Value:
    """Cronbach's alpha of k items from sums over the complete respondents (listwise).

    alpha = k/(k - 1) · (1 - Σ_j s_j² / s_X²), with s_j² the sample variance of item j (from
    ``items[j]``) and s_X² that of the total score X = Σ_j item_j (from ``total``); Cronbach
    (1951), "Coefficient alpha and the internal structure of tests", Psychometrika
    16(3):297-334. ``lowest`` and ``highest`` are the smallest and largest total score: as in
    :func:`cronbach_alpha`, totals that are all equal to ten decimals have no spread.

    Not computable, in :func:`cronbach_alpha`'s order: k < 2 items, n < 3 respondents, no spread
    in the total scores.
    """
    k = len(items)
    if k < 2:
        return NotComputable(Message("stats.few_items"))
    if total.n < 3:
        return NotComputable(Message("stats.few_respondents"))
    if lowest is None or highest is None or no_spread(np.array([lowest, highest], dtype=float)):
        return NotComputable(Message("stats.no_spread_in_totals"))
    item_var = sum(item.variance or 0.0 for item in items)
    total_var = total.variance
    if not total_var:
        return finite(math.nan)
    return finite(k / (k - 1) * (1.0 - item_var / total_var))
