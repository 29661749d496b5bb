"""What every statistic shares: the figure type, input cleaning and guards."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import ParamSpec, TypeAlias, TypeGuard, TypeVar

import numpy as np
import numpy.typing as npt
from scipy import stats as _st

from assess.engine.messages import Message

DECIMALS = 10
"""Decimals used to decide equality (ties, zero differences, zero spread); see the package docs."""

NOT_COMPUTABLE = Message("stats.not_computable")
"""The short "niet te berekenen" a page shows in place of a figure."""

SHOWN_AS = "–"
"""What ``str()`` and ``format()`` give for a NotComputable: a dash, in no language."""


@dataclass(frozen=True, slots=True)
class NotComputable:
    """A figure that cannot be computed from these data; ``reason`` says why, as a message.

    ``str()`` and every ``format()`` spec give a dash, so f-strings that expect a number do not
    break; a page says :data:`NOT_COMPUTABLE` and the reason through the edge instead. Compare
    with ``is_computable()``, not with truthiness.
    """

    reason: Message

    def __str__(self) -> str:
        return SHOWN_AS

    def __format__(self, spec: str) -> str:
        return SHOWN_AS


FloatArray: TypeAlias = npt.NDArray[np.float64]
"""The observations as numpy works on them."""

Value: TypeAlias = float | NotComputable
"""A figure: a finite float, or NotComputable with the reason."""

Number: TypeAlias = float | int | None
"""One observation as given by callers: None (or NaN) means missing."""


def is_computable(value: object) -> TypeGuard[float]:
    """True when ``value`` is a finite number (not a NotComputable, not None)."""
    return (
        isinstance(value, int | float | np.floating | np.integer)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


# --------------------------------------------------------------------------- input handling


def _clean_one(x: object) -> float | None:
    if x is None:
        return None
    if isinstance(x, bool) or not isinstance(x, int | float | np.floating | np.integer):
        raise ValueError(f"not a number: {x!r}")
    f = float(x)
    if math.isnan(f):
        return None
    if math.isinf(f):
        raise ValueError(f"an infinite value is not a valid score: {x!r}")
    return f


def clean(values: Iterable[object]) -> list[float | None]:
    """The observations as floats, None for missing; ValueError for what is not a number."""
    return [_clean_one(v) for v in values]


def present(values: Iterable[object]) -> FloatArray:
    """The observations that are not missing."""
    return np.array([v for v in clean(values) if v is not None], dtype=float)


def no_spread(a: FloatArray) -> bool:
    """True when all values are equal to DECIMALS decimals (or there are none)."""
    rounded = np.round(a, DECIMALS)
    return bool(rounded.size == 0 or rounded.max() == rounded.min())


NUMERIC = NotComputable(Message("stats.numeric"))
"""A figure whose arithmetic overflowed or divided by zero."""


def finite(x: float | np.floating) -> Value:
    """Guard: a non-finite intermediate result becomes NotComputable, never nan/inf."""
    value = float(x)
    return value if math.isfinite(value) else NUMERIC


_P = ParamSpec("_P")
_R = TypeVar("_R")


def quiet(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``func`` with numpy floating-point warnings off: overflow ends up as NotComputable."""

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with np.errstate(all="ignore"):
            return func(*args, **kwargs)

    return wrapper


def check_confidence(confidence: float) -> None:
    """ValueError unless 0 < confidence < 1."""
    if not (isinstance(confidence, int | float) and 0.0 < float(confidence) < 1.0):
        raise ValueError(f"confidence must lie between 0 and 1, not {confidence!r}")


def sample_sd(a: FloatArray, few: NotComputable) -> Value:
    """The sample SD (n - 1); `few` below two values."""
    if a.size < 2:
        return few
    return finite(np.std(a, ddof=1))


def clean_pairs(
    pre: Sequence[Number], post: Sequence[Number]
) -> tuple[list[float | None], list[float | None]]:
    """Both series cleaned; ValueError when they differ in length (pairs must line up)."""
    pre_c, post_c = clean(pre), clean(post)
    if len(pre_c) != len(post_c):
        raise ValueError(f"pre and post differ in length ({len(pre_c)} and {len(post_c)})")
    return pre_c, post_c


def two_sided_p(t: float, df: float) -> float:
    """Two-sided p of Student's t: 2 P(T_df > |t|), at most 1."""
    return min(1.0, 2.0 * float(_st.t.sf(abs(t), df)))


@functools.lru_cache(maxsize=1024)
def t_critical(confidence: float, df: float) -> float:
    """The t quantile for a two-sided `confidence` interval: t_{1-(1-c)/2, df}.

    Kept per (confidence, df): scipy's ppf costs about a millisecond, and a manager's report
    asks it for every scale of the group and the sector with the same few df.
    """
    return float(_st.t.ppf(1.0 - (1.0 - confidence) / 2.0, df))
