"""Comparing the change scores of two cohorts: Welch's t and Hedges' g."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from assess.engine.messages import Message
from assess.engine.stats.common import (
    NUMERIC,
    NotComputable,
    Number,
    Value,
    check_confidence,
    finite,
    no_spread,
    present,
    quiet,
    sample_sd,
    t_critical,
    two_sided_p,
)


@dataclass(frozen=True, slots=True)
class BetweenCohorts:
    """Welch comparison of the change scores of cohort a and cohort b (difference = a - b)."""

    n_a: int
    n_b: int
    confidence: float
    mean_a: Value
    mean_b: Value
    sd_a: Value
    sd_b: Value
    mean_diff: Value
    ci_low: Value
    ci_high: Value
    t: Value
    df: Value
    p: Value
    d_s: Value
    g: Value


@quiet
def between_cohorts(
    changes_a: Sequence[Number], changes_b: Sequence[Number], confidence: float = 0.95
) -> BetweenCohorts:
    """Compare the change scores of two cohorts (Welch's t-test, Hedges' g).

    Missing values are left out. With means m, sample variances v and sizes n per cohort:

    - Welch's t (Welch 1947, "The generalization of 'Student's' problem when several different
      population variances are involved", Biometrika 34(1-2):28-35):
      t = (m_a - m_b) / sqrt(v_a/n_a + v_b/n_b);
      df by Welch-Satterthwaite (Satterthwaite 1946, Biometrics Bulletin 2(6):110-114):
      df = (v_a/n_a + v_b/n_b)^2 / ((v_a/n_a)^2/(n_a - 1) + (v_b/n_b)^2/(n_b - 1));
      two-sided p = 2 P(T_df > |t|); interval (m_a - m_b) +/- t_{1-(1-c)/2, df} * SE.
    - Cohen's d_s = (m_a - m_b) / s_pooled, s_pooled = sqrt(((n_a-1)v_a + (n_b-1)v_b)/(n_a+n_b-2));
      Hedges' g = d_s * (1 - 3/(4(n_a + n_b) - 9)) (Hedges 1981; Lakens 2013, Frontiers in
      Psychology 4:863).

    Not computable: a cohort with n < 2, or no spread in either cohort.
    """
    check_confidence(confidence)
    a, b = present(changes_a), present(changes_b)
    na, nb = int(a.size), int(b.size)
    nc_mean = NotComputable(Message("stats.no_values_in_group"))
    few = NotComputable(Message("stats.few_in_group"))

    def result(
        ci_low: Value, ci_high: Value, t: Value, df: Value, p: Value, d_s: Value, g: Value
    ) -> BetweenCohorts:
        # the descriptive figures are the same whatever the inferential ones turn out to be
        return BetweenCohorts(
            n_a=na,
            n_b=nb,
            confidence=float(confidence),
            mean_a=finite(a.mean()) if na else nc_mean,
            mean_b=finite(b.mean()) if nb else nc_mean,
            sd_a=sample_sd(a, few),
            sd_b=sample_sd(b, few),
            mean_diff=finite(a.mean() - b.mean()) if na and nb else nc_mean,
            ci_low=ci_low,
            ci_high=ci_high,
            t=t,
            df=df,
            p=p,
            d_s=d_s,
            g=g,
        )

    if na < 2 or nb < 2:
        return result(few, few, few, few, few, few, few)
    if no_spread(a) and no_spread(b):
        flat = NotComputable(Message("stats.no_spread_in_groups"))
        return result(flat, flat, flat, flat, flat, flat, flat)
    va, vb = float(a.var(ddof=1)), float(b.var(ddof=1))
    diff = float(a.mean() - b.mean())
    se2 = va / na + vb / nb
    se = math.sqrt(se2)
    wa, wb = va / na, vb / nb
    df = (se2 * se2) / (wa * wa / (na - 1) + wb * wb / (nb - 1))
    t = diff / se
    if not (math.isfinite(t) and math.isfinite(df)):
        return result(NUMERIC, NUMERIC, NUMERIC, NUMERIC, NUMERIC, NUMERIC, NUMERIC)
    p = two_sided_p(t, df)
    crit = t_critical(confidence, df)
    s_pooled = math.sqrt(((na - 1) * va + (nb - 1) * vb) / (na + nb - 2))
    d_s = diff / s_pooled
    g = d_s * (1.0 - 3.0 / (4.0 * (na + nb) - 9.0))
    return result(
        ci_low=finite(diff - crit * se),
        ci_high=finite(diff + crit * se),
        t=finite(t),
        df=finite(df),
        p=finite(p),
        d_s=finite(d_s),
        g=finite(g),
    )
