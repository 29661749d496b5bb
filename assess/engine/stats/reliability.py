"""Reliability: Cronbach's alpha of a scale and the Reliable Change Index per participant."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from scipy import stats as _st

from assess.engine.messages import Message
from assess.engine.stats.common import (
    NOT_COMPUTABLE,
    NUMERIC,
    NotComputable,
    Number,
    Value,
    check_confidence,
    clean,
    clean_pairs,
    finite,
    is_computable,
    no_spread,
    quiet,
)

# --------------------------------------------------------------------------- Cronbach's alpha


@dataclass(frozen=True, slots=True)
class Alpha:
    """Cronbach's alpha of one scale with Feldt's confidence interval; see :func:`cronbach_alpha`
    and :func:`feldt_interval`. ``n`` is the number of respondents after listwise deletion (the
    interval rests on it), ``n_dropped`` the number left out for a missing item.
    """

    alpha: Value
    n: int
    k: int
    n_dropped: int
    ci_low: Value
    ci_high: Value
    confidence: float = 0.95

    @property
    def negative(self) -> bool:
        """Alpha below zero: the items correlate negatively on average, which mostly means an
        item is keyed the wrong way (a reverse-worded item not reversed, or reversed twice).
        """
        return is_computable(self.alpha) and self.alpha < 0


@quiet
def feldt_interval(alpha: Value, n: int, k: int, confidence: float = 0.95) -> tuple[Value, Value]:
    """Feldt's (1965) confidence interval of Cronbach's alpha from n respondents and k items.

    Feldt, L. S. (1965), "The approximate sampling distribution of Kuder-Richardson reliability
    coefficient twenty", Psychometrika 30(3):357-370; Feldt, Woodruff & Salih (1987), Applied
    Psychological Measurement 11(1):93-103: (1 - alpha) / (1 - alpha_hat) follows an F
    distribution with df1 = n - 1 and df2 = (n - 1)(k - 1), so with c the confidence level
    low = 1 - (1 - alpha_hat) F_{1-(1-c)/2}(df1, df2), high = 1 - (1 - alpha_hat) F_{(1-c)/2}.
    This is the interval pingouin's ``cronbach_alpha`` and R's ``psych::alpha`` (``alpha.ci``)
    report. ``n`` must be the n *after* listwise deletion.

    Not computable when alpha is not, or with n < 3 or k < 2.
    """
    check_confidence(confidence)
    if not is_computable(alpha):
        return alpha, alpha
    if k < 2:
        nc = NotComputable(Message("stats.few_items"))
        return nc, nc
    if n < 3:
        nc = NotComputable(Message("stats.few_respondents"))
        return nc, nc
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1.0 - confidence) / 2.0
    upper_f = float(_st.f.ppf(1.0 - tail, df1, df2))
    lower_f = float(_st.f.ppf(tail, df1, df2))
    rest = 1.0 - float(alpha)
    return finite(1.0 - rest * upper_f), finite(1.0 - rest * lower_f)


def alpha_with_interval(
    alpha: Value, n: int, k: int, n_dropped: int = 0, confidence: float = 0.95
) -> Alpha:
    """An :class:`Alpha` of a value computed elsewhere (e.g. from sums), with Feldt's interval."""
    low, high = feldt_interval(alpha, n, k, confidence)
    return Alpha(alpha, n, k, n_dropped, low, high, float(confidence))


@quiet
def cronbach_alpha(matrix: Sequence[Sequence[Number]], confidence: float = 0.95) -> Alpha:
    """Cronbach's alpha with Feldt's interval: rows are respondents, columns are items (already
    reverse-keyed).

    alpha = k/(k - 1) * (1 - sum_j s_j^2 / s_X^2), with s_j^2 the sample variance of item j and
    s_X^2 the sample variance of the total score X = sum_j item_j (Cronbach 1951, "Coefficient
    alpha and the internal structure of tests", Psychometrika 16(3):297-334). Respondents missing
    any item are dropped (listwise deletion; ``n`` used, ``n_dropped``); the interval
    (:func:`feldt_interval`) rests on that n. alpha can be negative when items correlate
    negatively (e.g. a reverse-keyed item not recoded); it is reported as is and
    ``Alpha.negative`` flags it.

    Not computable: k < 2 items, n < 3 respondents, or no spread in the total score.
    """
    check_confidence(confidence)
    rows = [clean(row) for row in matrix]
    widths = {len(r) for r in rows}
    if len(widths) > 1:
        raise ValueError(f"rows differ in length: {sorted(widths)}")
    k = widths.pop() if widths else 0
    complete = [r for r in rows if all(v is not None for v in r)]
    n = len(complete)
    n_dropped = len(rows) - n

    def result(value: Value) -> Alpha:
        return alpha_with_interval(value, n, k, n_dropped, confidence)

    if k < 2:
        return result(NotComputable(Message("stats.few_items")))
    if n < 3:
        return result(NotComputable(Message("stats.few_respondents")))
    m = np.array(complete, dtype=float)
    total = m.sum(axis=1)
    if no_spread(total):
        return result(NotComputable(Message("stats.no_spread_in_totals")))
    item_var = m.var(axis=0, ddof=1).sum()
    total_var = total.var(ddof=1)
    return result(finite(k / (k - 1) * (1.0 - item_var / total_var)))


# --------------------------------------------------------------------------- reliable change


class RciCategory(StrEnum):
    """Outcome of the Reliable Change Index for one participant; ``label`` says it in words."""

    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    DECLINED = "declined"
    NOT_COMPUTABLE = "not_computable"

    @property
    def label(self) -> Message:
        """The category in a few words, e.g. "betrouwbaar vooruitgegaan"."""
        return _RCI_LABELS[self]


_RCI_LABELS = {
    RciCategory.IMPROVED: Message("rci.improved"),
    RciCategory.UNCHANGED: Message("rci.unchanged"),
    RciCategory.DECLINED: Message("rci.declined"),
    RciCategory.NOT_COMPUTABLE: NOT_COMPUTABLE,
}


@dataclass(frozen=True, slots=True)
class Rci:
    """Reliable change of one participant: raw change (post - pre), RCI and its category."""

    pre: float | None
    post: float | None
    change: Value
    rci: Value
    category: RciCategory


def _or(value: Value | None, missing: str) -> NotComputable:
    """The NotComputable itself (its reason holds), or one saying `missing` for None."""
    return value if isinstance(value, NotComputable) else NotComputable(Message(missing))


def _s_diff(sd_pre: Value | None, reliability: Value | None) -> Value:
    if not is_computable(sd_pre):
        return _or(sd_pre, "stats.no_sd_pre")
    if not is_computable(reliability):
        return _or(reliability, "stats.no_reliability")
    sd, r = float(sd_pre), float(reliability)
    if sd <= 0:
        return NotComputable(Message("stats.no_spread_pre"))
    if not 0.0 <= r < 1.0:
        return NotComputable(Message("stats.reliability_out_of_range"))
    return finite(sd * math.sqrt(2.0 * (1.0 - r)))


@quiet
def reliable_change_threshold(
    sd_pre: Value | None, reliability: Value | None, critical: float = 1.96
) -> Value:
    """Smallest raw change that counts as reliable: critical * S_diff (Jacobson & Truax 1991).

    S_diff = sd_pre * sqrt(2 (1 - r)); see :func:`reliable_change`.
    """
    s = _s_diff(sd_pre, reliability)
    return s if isinstance(s, NotComputable) else finite(critical * s)


@quiet
def reliable_change(
    pre: Sequence[Number],
    post: Sequence[Number],
    sd_pre: Value | None,
    reliability: Value | None,
    higher_is_better: bool = True,
    critical: float = 1.96,
) -> list[Rci]:
    """Reliable Change Index per participant (Jacobson & Truax 1991).

    Jacobson, N. S. & Truax, P. (1991), "Clinical significance: a statistical approach to defining
    meaningful change in psychotherapy research", Journal of Consulting and Clinical Psychology
    59(1):12-19:
    S_E = sd_pre * sqrt(1 - r); S_diff = sqrt(2 S_E^2) = sd_pre * sqrt(2 (1 - r));
    RCI = (post - pre) / S_diff. |RCI| > 1.96 (two-sided 5 %) is a reliable change: improved when
    it goes in the good direction (up if ``higher_is_better``, else down), declined otherwise;
    |RCI| <= 1.96 is unchanged. ``sd_pre`` is the SD at intake (of the cohort or a norm group),
    ``reliability`` e.g. Cronbach's alpha at intake; both may be NotComputable (pass
    ``PairedChange.sd_pre`` and ``Alpha.alpha`` straight in).

    Returns one :class:`Rci` per input position (same order, same length), so results line up
    with participants; an incomplete pair, or an unusable sd_pre/reliability (SD <= 0, r outside
    [0, 1)), gives ``category = NOT_COMPUTABLE`` and ``rci`` a NotComputable with the reason.
    """
    pre_c, post_c = clean_pairs(pre, post)
    s_diff = _s_diff(sd_pre, reliability)
    out: list[Rci] = []
    for a, b in zip(pre_c, post_c, strict=True):
        if a is None or b is None:
            nc = NotComputable(Message("stats.pre_or_post_missing"))
            out.append(Rci(a, b, nc, nc, RciCategory.NOT_COMPUTABLE))
            continue
        change = finite(b - a)
        if isinstance(s_diff, NotComputable) or isinstance(change, NotComputable):
            nc = s_diff if isinstance(s_diff, NotComputable) else NUMERIC
            out.append(Rci(a, b, change, nc, RciCategory.NOT_COMPUTABLE))
            continue
        rci = finite(change / s_diff)
        if isinstance(rci, NotComputable):
            out.append(Rci(a, b, change, rci, RciCategory.NOT_COMPUTABLE))
            continue
        if abs(rci) > critical:
            good = (rci > 0) == higher_is_better
            cat = RciCategory.IMPROVED if good else RciCategory.DECLINED
        else:
            cat = RciCategory.UNCHANGED
        out.append(Rci(a, b, change, rci, cat))
    return out


@dataclass(frozen=True, slots=True)
class RciSummary:
    """Counts per RCI category; shares are of the computable participants (NotComputable if 0)."""

    improved: int
    unchanged: int
    declined: int
    not_computable: int

    @property
    def n_computable(self) -> int:
        return self.improved + self.unchanged + self.declined

    def _share(self, count: int) -> Value:
        if self.n_computable == 0:
            return NotComputable(Message("stats.no_rci"))
        return count / self.n_computable

    @property
    def share_improved(self) -> Value:
        return self._share(self.improved)

    @property
    def share_unchanged(self) -> Value:
        return self._share(self.unchanged)

    @property
    def share_declined(self) -> Value:
        return self._share(self.declined)


def rci_summary(results: Iterable[Rci]) -> RciSummary:
    """Count participants per RCI category (improved / unchanged / declined / not computable)."""
    counts = dict.fromkeys(RciCategory, 0)
    for r in results:
        counts[r.category] += 1
    return RciSummary(
        improved=counts[RciCategory.IMPROVED],
        unchanged=counts[RciCategory.UNCHANGED],
        declined=counts[RciCategory.DECLINED],
        not_computable=counts[RciCategory.NOT_COMPUTABLE],
    )
