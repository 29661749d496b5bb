"""Descriptive statistics of one distribution: n, mean, SD, quartiles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assess.engine.messages import Message
from assess.engine.stats.common import NotComputable, Number, Value, clean, finite, quiet, sample_sd


@dataclass(frozen=True, slots=True)
class Describe:
    """Descriptive statistics of one distribution; see :func:`describe`."""

    n: int
    n_missing: int
    mean: Value
    sd: Value
    min: Value
    q1: Value
    median: Value
    q3: Value
    max: Value


@quiet
def describe(values: Sequence[Number]) -> Describe:
    """Describe a distribution: n, mean, SD, minimum, quartiles, maximum.

    mean = sum(x) / n; SD = sqrt(sum((x - mean)^2) / (n - 1)) (sample SD, Bessel's correction).
    Quartiles q1, median, q3 use linear interpolation between order statistics,
    Q(p) = x_(j) + (h - j)(x_(j+1) - x_(j)) with h = (n - 1)p + 1, j = floor(h): definition 7 of
    Hyndman & Fan (1996), "Sample quantiles in statistical packages", The American Statistician
    50(4):361-365 (numpy's and R's default; SPSS uses definition 6, so its quartiles may differ).

    Missing values (None/NaN) are left out and counted in ``n_missing``. With n = 0 every figure is
    NotComputable; with n = 1 only the SD is.
    """
    cleaned = clean(values)
    a = np.array([v for v in cleaned if v is not None], dtype=float)
    n = int(a.size)
    n_missing = len(cleaned) - n
    if n == 0:
        nc = NotComputable(Message("stats.no_answers"))
        return Describe(0, n_missing, nc, nc, nc, nc, nc, nc, nc)
    q1, med, q3 = np.quantile(a, [0.25, 0.5, 0.75])
    return Describe(
        n=n,
        n_missing=n_missing,
        mean=finite(np.mean(a)),
        sd=sample_sd(a, NotComputable(Message("stats.few_values_for_sd"))),
        min=finite(a.min()),
        q1=finite(q1),
        median=finite(med),
        q3=finite(q3),
        max=finite(a.max()),
    )
