"""The paired intake-to-exit change of one scale: interval, t, Wilcoxon and effect sizes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as _st

from assess.engine.messages import Message
from assess.engine.stats.common import (
    DECIMALS,
    NUMERIC,
    FloatArray,
    NotComputable,
    Number,
    Value,
    check_confidence,
    clean_pairs,
    finite,
    no_spread,
    quiet,
    sample_sd,
    t_critical,
    two_sided_p,
)


@dataclass(frozen=True, slots=True)
class PairedChange:
    """Intake-to-exit change for one scale; see :func:`paired_change` for every formula.

    ``mean_diff`` and the interval are post - pre, so positive means the score went up.
    ``n_nonzero`` is the number of non-zero differences the Wilcoxon test used.
    """

    n: int
    n_dropped: int
    confidence: float
    mean_pre: Value
    mean_post: Value
    sd_pre: Value
    sd_post: Value
    mean_diff: Value
    sd_diff: Value
    ci_low: Value
    ci_high: Value
    t: Value
    df: Value
    p_t: Value
    n_nonzero: int
    p_wilcoxon: Value
    d_z: Value
    d_av: Value
    g_av: Value


# scipy's cut-off: up to 2**13 sign flips it enumerates them all instead of sampling.
EXHAUSTIVE_MAX_N = 13


def wilcoxon_p(nonzero: FloatArray) -> float:
    """Two-sided p of the signed-rank test on nonzero differences, as scipy's method="auto".

    With ties and n <= 13 scipy runs `permutation_test` over all 2**n sign flips, which takes
    0.1-2 s per call (seconds for one cohort dashboard). The same exhaustive null distribution
    of R+ (the sum of the positive ranks; flipping signs leaves the tie-averaged ranks alone)
    enumerated with numpy gives the identical p-value in under a millisecond, with scipy's
    p = 2 * min(P(R+ <= r), P(R+ >= r)) and its relative tolerance for equal sums.
    """
    n = nonzero.size
    magnitudes = np.abs(nonzero)
    if n > EXHAUSTIVE_MAX_N or np.unique(magnitudes).size == n:
        res = _st.wilcoxon(nonzero, zero_method="wilcox", correction=False, alternative="two-sided")
        return float(res.pvalue)
    ranks: FloatArray = _st.rankdata(magnitudes)
    observed = float(ranks[nonzero > 0].sum())
    signs = (np.arange(2**n)[:, None] >> np.arange(n)) & 1
    null = signs @ ranks
    gamma = abs(np.finfo(float).eps * 100 * observed)
    less = np.count_nonzero(null <= observed + gamma) / null.size
    greater = np.count_nonzero(null >= observed - gamma) / null.size
    return min(1.0, 2 * min(less, greater))


def hedges_j(n: int) -> float:
    """Lakens' (2013) correction factor for g_av: J = 1 - 3 / (4 (n1 + n2) - 9), n1 = n2 = n."""
    return 1.0 - 3.0 / (4.0 * (2 * n) - 9.0)


@quiet
def paired_change(
    pre: Sequence[Number], post: Sequence[Number], confidence: float = 0.95
) -> PairedChange:
    """Paired intake (pre) / exit (post) comparison on one scale.

    Pairs with a missing pre or post value are dropped (``n_dropped``). With the n complete pairs
    and differences D_i = post_i - pre_i:

    - means and sample SDs (n - 1 in the denominator) of pre, post and D.
    - Confidence interval of the mean change (Student's t; Student 1908, "The probable error of a
      mean", Biometrika 6:1-25): mean(D) +/- t_{1-(1-c)/2, n-1} * SD(D)/sqrt(n).
    - Paired t-test: t = mean(D) / (SD(D)/sqrt(n)), df = n - 1, two-sided p = 2 P(T_{n-1} > |t|).
    - Wilcoxon signed-rank test (Wilcoxon 1945, "Individual comparisons by ranking methods",
      Biometrics Bulletin 1(6):80-83), two-sided, via ``scipy.stats.wilcoxon``. Zero differences
      are discarded before ranking (``zero_method="wilcox"``, Wilcoxon's original rule and what R's
      wilcox.test and SPSS do); ``n_nonzero`` reports how many remain. Differences are rounded to
      10 decimals first so float noise neither hides a zero nor breaks a tie. scipy's
      ``method="auto"``: exact null distribution for n_nonzero <= 50 without ties, exhaustive
      permutation for n_nonzero <= 13 with ties, otherwise the tie-corrected normal approximation
      (no continuity correction). All differences zero: NotComputable.
    - Effect sizes, Lakens (2013), "Calculating and reporting effect sizes to facilitate cumulative
      science: a practical primer for t-tests and ANOVAs", Frontiers in Psychology 4:863:
      Cohen's d_z = mean(D) / SD(D);
      d_av = mean(D) / ((SD_pre + SD_post) / 2);
      Hedges' g_av = d_av * J with Lakens' J = 1 - 3 / (4(n1 + n2) - 9) and n1 = n2 = n, the
      small-sample correction of two groups of n (Hedges 1981, "Distribution theory for Glass's
      estimator of effect size and related estimators", Journal of Educational Statistics
      6(2):107-128) that Lakens (2013) applies to d_av, which, like d_s, has the average SD of
      the two measurements in its denominator; his worked example gives g_av = 1.08 with it.
      (Borenstein et al. 2009 use J = 1 - 3/(4(n - 1) - 1) for paired designs, which corrects
      more: 1.03 on the same data.) Reports say which correction they use beside the figure.

    Only g_av (or d_av) says how large the change is in the usual "small/medium/large" sense:
    d_z divides by the SD of the change scores, which shrinks as pre and post correlate, so the
    same change can have any d_z.

    Not computable: means need n >= 1; SDs, interval, t, p and d_z need n >= 2 and spread in D
    (``stats.no_spread_in_differences``); d_av and g_av need n >= 2 and SD_pre + SD_post > 0.
    """
    check_confidence(confidence)
    pre_c, post_c = clean_pairs(pre, post)
    pairs = [(a, b) for a, b in zip(pre_c, post_c, strict=True) if a is not None and b is not None]
    n = len(pairs)
    n_dropped = len(pre_c) - n
    x = np.array([a for a, _ in pairs], dtype=float)
    y = np.array([b for _, b in pairs], dtype=float)
    d = y - x

    if n == 0:
        nc = NotComputable(Message("stats.no_pairs"))
        return PairedChange(
            n=0,
            n_dropped=n_dropped,
            confidence=float(confidence),
            mean_pre=nc,
            mean_post=nc,
            sd_pre=nc,
            sd_post=nc,
            mean_diff=nc,
            sd_diff=nc,
            ci_low=nc,
            ci_high=nc,
            t=nc,
            df=nc,
            p_t=nc,
            n_nonzero=0,
            p_wilcoxon=nc,
            d_z=nc,
            d_av=nc,
            g_av=nc,
        )

    few = NotComputable(Message("stats.few_pairs"))
    mean_pre, mean_post, mean_diff = finite(x.mean()), finite(y.mean()), finite(d.mean())
    sd_pre = sample_sd(x, few)
    sd_post = sample_sd(y, few)
    sd_diff = sample_sd(d, few)

    # Wilcoxon signed-rank.
    d_rounded = np.round(d, DECIMALS)
    nonzero = d_rounded[d_rounded != 0.0]
    n_nonzero = int(nonzero.size)
    if n_nonzero == 0:
        p_wilcoxon: Value = NotComputable(Message("stats.all_differences_zero"))
    else:
        p_wilcoxon = finite(min(1.0, wilcoxon_p(nonzero)))

    ci_low: Value = few
    ci_high: Value = few
    t: Value = few
    df: Value = few
    p_t: Value = few
    d_z: Value = few
    if n >= 2:
        if no_spread(d):
            flat = NotComputable(Message("stats.no_spread_in_differences"))
            sd_diff = finite(0.0)
            ci_low = ci_high = t = p_t = d_z = flat
            df = float(n - 1)
        else:
            sd = float(np.std(d, ddof=1))
            se = sd / math.sqrt(n)
            df = float(n - 1)
            t_val = float(d.mean()) / se
            if math.isfinite(t_val):
                t = finite(t_val)
                p_t = finite(two_sided_p(t_val, df))
                crit = t_critical(confidence, df)
                ci_low = finite(float(d.mean()) - crit * se)
                ci_high = finite(float(d.mean()) + crit * se)
                d_z = finite(float(d.mean()) / sd)
            else:
                ci_low = ci_high = t = p_t = d_z = NUMERIC

    d_av: Value = few
    if n >= 2:
        if no_spread(x) and no_spread(y):
            d_av = NotComputable(Message("stats.no_spread_pre_post"))
        else:
            d_av = finite(
                float(d.mean()) / ((float(np.std(x, ddof=1)) + float(np.std(y, ddof=1))) / 2)
            )
    g_av: Value = d_av if isinstance(d_av, NotComputable) else finite(d_av * hedges_j(n))

    return PairedChange(
        n=n,
        n_dropped=n_dropped,
        confidence=float(confidence),
        mean_pre=mean_pre,
        mean_post=mean_post,
        sd_pre=sd_pre,
        sd_post=sd_post,
        mean_diff=mean_diff,
        sd_diff=sd_diff,
        ci_low=ci_low,
        ci_high=ci_high,
        t=t,
        df=df,
        p_t=p_t,
        n_nonzero=n_nonzero,
        p_wilcoxon=p_wilcoxon,
        d_z=d_z,
        d_av=d_av,
        g_av=g_av,
    )
