"""Tests for assess.engine.stats: scipy, hand-computed values and published worked examples."""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from assess.engine import claims
from assess.engine.messages import TEXTS, Message
from assess.engine.stats import (
    Alpha,
    BetweenCohorts,
    Describe,
    NotComputable,
    PairedChange,
    RciCategory,
    alpha_with_interval,
    between_cohorts,
    cronbach_alpha,
    describe,
    explain_alpha,
    explain_d_z,
    explain_p,
    explain_rci,
    feldt_interval,
    is_computable,
    paired_change,
    rci_summary,
    reliable_change,
    reliable_change_threshold,
)


def nc(key: str) -> NotComputable:
    """A figure that is not computable for the reason with this message id."""
    return NotComputable(Message(key))


# Lakens, D. (2013). Calculating and reporting effect sizes to facilitate cumulative science:
# a practical primer for t-tests and ANOVAs. Frontiers in Psychology 4:863. Table 1: ten people
# rate two movies. Reported: Movie 1 M = 8.7, SD = 0.82; Movie 2 M = 7.7, SD = 0.95;
# between-subjects t(18) = 2.52, d_s = 1.13, Hedges' g_s = 1.08; within-subjects t(9) = 4.74,
# p = .001, d_z = 1.50, d_av = 1.13, g_av = 1.08.
MOVIE_1 = [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]
MOVIE_2 = [9, 6, 7, 8, 7, 9, 8, 8, 8, 7]


def _ref(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a scipy reference function; its precision warnings on near-constant data are noise."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return fn(*args, **kwargs)


def _floats_of(result: object) -> list[object]:
    """All figure values of a result dataclass (or list of them)."""
    if isinstance(result, list):
        return [v for r in result for v in _floats_of(r)]
    return [getattr(result, f.name) for f in dataclasses.fields(result)]


def _assert_clean(result: object) -> None:
    """No field is NaN or infinite; every field is a number, None, enum or NotComputable."""
    for value in _floats_of(result):
        if isinstance(value, float | int) and not isinstance(value, bool):
            assert math.isfinite(value), result
        else:
            assert value is None or isinstance(value, NotComputable | RciCategory), value


# --------------------------------------------------------------------------- paired change


def test_lakens_2013_movie_example_within_subjects() -> None:
    r = paired_change(pre=MOVIE_2, post=MOVIE_1)
    assert r.n == 10 and r.n_dropped == 0
    assert r.mean_post == pytest.approx(8.7) and r.mean_pre == pytest.approx(7.7)
    assert round(r.sd_post, 2) == 0.82 and round(r.sd_pre, 2) == 0.95
    assert r.mean_diff == pytest.approx(1.0)
    assert round(r.t, 2) == 4.74 and r.df == 9
    assert round(r.p_t, 3) == 0.001
    assert r.d_z == pytest.approx(1.50)
    assert round(r.d_av, 2) == 1.13
    # g_av with Lakens' own correction J = 1 - 3/(4(n1+n2) - 9), n1 = n2 = 10: his 1.08. (The
    # paired-design J = 1 - 3/(4(n-1) - 1) of Borenstein et al. 2009 would give 1.03.)
    assert round(r.g_av, 2) == 1.08
    assert r.g_av == pytest.approx(r.d_av * (1 - 3 / 71))
    assert round(r.d_av * (1 - 3 / (4 * 9 - 1)), 2) == 1.03


def test_lakens_2013_movie_example_between_subjects() -> None:
    # With equal group sizes Welch's t equals Student's t, so the published t(18) = 2.52 applies;
    # only the df differ (Welch-Satterthwaite 17.65 instead of 18).
    r = between_cohorts(MOVIE_1, MOVIE_2)
    assert round(r.t, 2) == 2.52
    assert round(r.d_s, 2) == 1.13
    assert round(r.g, 2) == 1.08
    assert 17 < r.df < 18


def test_paired_change_hand_computed() -> None:
    # Constructed example, computed by hand: D = post - pre = [1, 2, 0, 2], mean 1.25,
    # sum of squared deviations 0.0625 + 0.5625 + 1.5625 + 0.5625 = 2.75, SD(D) = sqrt(2.75/3).
    # pre [2,3,4,5]: SD = sqrt(5/3); post [3,5,4,7]: mean 4.75, SS = 3.0625+0.0625+0.5625+5.0625
    # = 8.75, SD = sqrt(8.75/3).
    r = paired_change([2, 3, 4, 5], [3, 5, 4, 7])
    sd_d = math.sqrt(2.75 / 3)
    assert r.mean_diff == pytest.approx(1.25)
    assert r.sd_diff == pytest.approx(sd_d)
    assert r.t == pytest.approx(1.25 / (sd_d / 2))
    assert r.d_z == pytest.approx(1.25 / sd_d)
    d_av = 1.25 / ((math.sqrt(5 / 3) + math.sqrt(8.75 / 3)) / 2)
    assert r.d_av == pytest.approx(d_av)
    assert r.g_av == pytest.approx(d_av * (1 - 3 / 23))  # J = 1 - 3/(4*(4+4) - 9)
    crit = sps.t.ppf(0.975, 3)
    assert r.ci_low == pytest.approx(1.25 - crit * sd_d / 2)
    assert r.ci_high == pytest.approx(1.25 + crit * sd_d / 2)
    # Wilcoxon: the zero is dropped; |D| = 1, 2, 2 ranks 1, 2.5, 2.5, all positive: W- = 0.
    # Exact-by-permutation p with ties: 2 of the 8 sign patterns have min(W+, W-) <= 0 -> 0.25.
    assert r.n_nonzero == 3
    assert r.p_wilcoxon == pytest.approx(0.25)


def test_paired_change_matches_scipy_on_fixed_data() -> None:
    pre = [3.2, 2.8, 3.9, 4.1, 2.5, 3.0, 3.6, 2.2, 3.3, 4.4, 2.9, 3.1]
    post = [3.9, 3.1, 4.0, 4.6, 3.4, 2.8, 4.2, 3.0, 3.5, 4.3, 3.8, 3.9]
    r = paired_change(pre, post, confidence=0.90)
    ref = sps.ttest_rel(post, pre)
    assert r.t == pytest.approx(ref.statistic)
    assert r.p_t == pytest.approx(ref.pvalue)
    assert r.df == ref.df
    ci = ref.confidence_interval(confidence_level=0.90)
    assert (r.ci_low, r.ci_high) == pytest.approx((ci.low, ci.high))
    d = np.round(np.array(post) - np.array(pre), 10)
    assert r.p_wilcoxon == pytest.approx(sps.wilcoxon(d).pvalue)


def test_wilcoxon_zero_differences_are_dropped() -> None:
    # 14 pairs of Likert scores, 5 of them unchanged: the test uses the 9 non-zero differences
    # (Wilcoxon's rule, as R and SPSS). scipy on the 9 non-zero differences agrees.
    pre = [3, 3, 2, 4, 5, 3, 2, 4, 3, 3, 4, 2, 3, 5]
    post = [4, 3, 3, 5, 5, 4, 3, 4, 5, 4, 4, 3, 4, 5]
    r = paired_change(pre, post)
    d = np.array(post, float) - np.array(pre, float)
    assert r.n == 14 and r.n_nonzero == 9
    assert r.p_wilcoxon == pytest.approx(sps.wilcoxon(d[d != 0]).pvalue)


def test_wilcoxon_float_noise_does_not_break_ties() -> None:
    # Scale scores are item means: 11/3 - 8/3 and 13/3 - 10/3 are both 1 on paper.
    pre = [8 / 3, 10 / 3, 7 / 3, 2.0, 3.0]
    post = [11 / 3, 13 / 3, 10 / 3, 3.0, 4.0]
    r = paired_change(pre, post)
    assert r.p_wilcoxon == pytest.approx(sps.wilcoxon([1.0] * 5).pvalue)
    assert r.d_z == nc("stats.no_spread_in_differences")


def test_paired_change_drops_incomplete_pairs() -> None:
    r = paired_change([1, None, 3, 4, float("nan")], [2, 3, None, 6, 5])
    assert r.n == 2 and r.n_dropped == 3
    assert r.mean_pre == pytest.approx(2.5) and r.mean_post == pytest.approx(4.0)


def test_paired_change_degenerate_cases() -> None:
    empty = paired_change([None, None], [1, None])
    assert empty.n == 0 and empty.n_dropped == 2
    assert isinstance(empty.mean_pre, NotComputable) and isinstance(empty.d_z, NotComputable)
    assert empty.t == NotComputable(Message("stats.no_pairs"))

    one = paired_change([2], [4])
    assert one.mean_diff == 2.0
    assert one.sd_diff == nc("stats.few_pairs")
    assert isinstance(one.ci_low, NotComputable) and isinstance(one.g_av, NotComputable)

    same = paired_change([1, 2, 3], [1, 2, 3])
    assert same.mean_diff == 0.0 and same.sd_diff == 0.0
    assert same.p_wilcoxon == nc("stats.all_differences_zero")
    assert same.t.reason == Message("stats.no_spread_in_differences")
    assert same.d_av == 0.0

    flat = paired_change([3, 3, 3], [3, 3, 3])
    assert flat.d_av == nc("stats.no_spread_pre_post")

    two = paired_change([1, 2], [2, 4])
    assert two.g_av == pytest.approx(two.d_av * (1 - 3 / 7))  # J = 1 - 3/(4*(2+2) - 9)
    for r in (empty, one, same, flat, two):
        _assert_clean(r)


def test_paired_change_invalid_input_raises() -> None:
    with pytest.raises(ValueError):
        paired_change([1, 2], [1])
    with pytest.raises(ValueError):
        paired_change([1, float("inf")], [1, 2])
    with pytest.raises(ValueError):
        paired_change([1, 2], [1, 2], confidence=1.5)


# --------------------------------------------------------------------------- Cronbach's alpha


def test_cronbach_alpha_hand_computed() -> None:
    # Constructed example, by hand: item variances 5/3, 4/3, 2/3 (sum 11/3); totals 5, 7, 10, 12
    # with variance 29/3; alpha = 3/2 * (1 - 11/29) = 27/29.
    m = [[1, 2, 2], [2, 2, 3], [3, 4, 3], [4, 4, 4]]
    a = cronbach_alpha(m)
    assert (a.alpha, a.n, a.k, a.n_dropped) == (pytest.approx(27 / 29), 4, 3, 0)
    assert isinstance(a, Alpha) and a.ci_low < a.alpha < a.ci_high


def test_feldt_interval_by_the_f_distribution() -> None:
    # Feldt (1965): (1 - alpha) / (1 - alpha_hat) ~ F(n - 1, (n - 1)(k - 1)); n = 4, k = 3:
    # df 3 and 6. The interval rests on the n after listwise deletion.
    a = cronbach_alpha([[1, 2, 2], [2, 2, 3], [3, 4, 3], [4, 4, 4], [None, 1, 1]])
    assert a.n == 4 and a.n_dropped == 1
    rest = 1 - 27 / 29
    assert a.ci_low == pytest.approx(1 - rest * sps.f.ppf(0.975, 3, 6))
    assert a.ci_high == pytest.approx(1 - rest * sps.f.ppf(0.025, 3, 6))
    # alpha .80 with n = 100, k = 10: df 99 and 891, .74 to .85; more people, a narrower interval.
    low, high = feldt_interval(0.8, 100, 10)
    assert (round(low, 2), round(high, 2)) == (0.74, 0.85)
    narrow = feldt_interval(0.8, 1000, 10)
    assert low < narrow[0] < 0.8 < narrow[1] < high
    assert feldt_interval(nc("stats.few_items"), 10, 1) == (nc("stats.few_items"),) * 2
    assert feldt_interval(0.5, 2, 4) == (nc("stats.few_respondents"),) * 2


def test_a_negative_alpha_is_flagged_as_a_mis_keyed_item() -> None:
    # the third item runs against the others: it was not reverse-keyed
    rows = [[1, 1, 5], [2, 2, 4], [3, 4, 2], [4, 4, 1], [5, 5, 2]]
    a = cronbach_alpha(rows)
    assert a.alpha < 0 and a.negative
    assert explain_alpha(a).key == "explain.alpha.negative"
    assert not cronbach_alpha([[1, 2], [2, 3], [3, 3]]).negative


def test_cronbach_alpha_equals_covariance_form() -> None:
    # alpha = k/(k-1) * (1 - trace(C) / sum(C)), C the item covariance matrix (Cronbach 1951).
    rng = np.random.default_rng(5)
    m = rng.integers(1, 6, size=(25, 6)).astype(float) + rng.integers(0, 3, size=(25, 1))
    c = np.cov(m, rowvar=False)
    expected = 6 / 5 * (1 - np.trace(c) / c.sum())
    assert cronbach_alpha(m.tolist()).alpha == pytest.approx(expected)


def test_cronbach_alpha_identical_items_is_one_and_listwise_deletion() -> None:
    rows = [[1, 1, 1], [2, 2, 2], [4, 4, 4], [5, None, 5], [3, 3, 3]]
    a = cronbach_alpha(rows)
    assert a.alpha == pytest.approx(1.0) and a.n == 4 and a.n_dropped == 1 and a.k == 3


def test_cronbach_alpha_degenerate() -> None:
    assert cronbach_alpha([[1], [2], [3]]).alpha == nc("stats.few_items")
    assert cronbach_alpha([]).alpha.reason == Message("stats.few_items")
    few = cronbach_alpha([[1, 2], [2, 3], [None, 1]])
    assert few.alpha == nc("stats.few_respondents") and few.n == 2
    flat = cronbach_alpha([[1, 3], [2, 2], [3, 1]])
    assert flat.alpha == nc("stats.no_spread_in_totals")
    with pytest.raises(ValueError):
        cronbach_alpha([[1, 2], [1, 2, 3]])


# --------------------------------------------------------------------------- reliable change


def test_reliable_change_hand_computed() -> None:
    # Constructed example (Jacobson & Truax 1991 formulas, not their data): SD_pre = 5, r = .82,
    # S_E = 5 * sqrt(.18), S_diff = sqrt(2 * 25 * .18) = sqrt(9) = 3; threshold 1.96 * 3 = 5.88.
    res = reliable_change(
        [20, 20, 20, 20, None], [26, 25, 13, 14.2, 30], sd_pre=5, reliability=0.82
    )
    assert [r.rci for r in res[:4]] == pytest.approx([2.0, 5 / 3, -7 / 3, -1.9333333333])
    assert [r.category for r in res] == [
        RciCategory.IMPROVED,
        RciCategory.UNCHANGED,
        RciCategory.DECLINED,
        RciCategory.UNCHANGED,
        RciCategory.NOT_COMPUTABLE,
    ]
    assert res[0].change == 6.0
    assert res[4].rci == nc("stats.pre_or_post_missing")
    assert reliable_change_threshold(5, 0.82) == pytest.approx(5.88)
    s = rci_summary(res)
    assert (s.improved, s.unchanged, s.declined, s.not_computable) == (1, 2, 1, 1)
    assert s.n_computable == 4 and s.share_unchanged == pytest.approx(0.5)


def test_reliable_change_lower_is_better() -> None:
    res = reliable_change([20, 20], [26, 13], sd_pre=5, reliability=0.82, higher_is_better=False)
    assert [r.category for r in res] == [RciCategory.DECLINED, RciCategory.IMPROVED]
    assert res[0].rci == pytest.approx(2.0)  # the sign of the RCI itself is not flipped


def test_reliable_change_unusable_parameters() -> None:
    few = nc("stats.few_respondents")
    for sd, rel, reason in [
        (5, few, "stats.few_respondents"),
        (0.0, 0.8, "stats.no_spread_pre"),
        (5, 1.0, "stats.reliability_out_of_range"),
        (5, -0.2, "stats.reliability_out_of_range"),
        (None, 0.8, "stats.no_sd_pre"),
    ]:
        res = reliable_change([1, 2], [3, 4], sd_pre=sd, reliability=rel)
        assert all(r.category is RciCategory.NOT_COMPUTABLE for r in res)
        assert res[0].rci == nc(reason)
        assert res[0].change == 2.0
        _assert_clean(res)
    s = rci_summary(reliable_change([1], [2], sd_pre=0, reliability=0.8))
    assert s.not_computable == 1 and isinstance(s.share_improved, NotComputable)


def test_reliable_change_accepts_results_of_other_functions() -> None:
    pre, post = [2.0, 3.0, 3.5, 4.0, 2.5], [3.0, 3.2, 4.5, 4.1, 4.9]
    pc = paired_change(pre, post)
    res = reliable_change(pre, post, sd_pre=pc.sd_pre, reliability=0.7)
    s_diff = pc.sd_pre * math.sqrt(2 * 0.3)
    assert [r.rci for r in res] == pytest.approx(
        [(b - a) / s_diff for a, b in zip(pre, post, strict=True)]
    )


# --------------------------------------------------------------------------- between cohorts


def test_between_cohorts_matches_scipy_welch() -> None:
    a = [0.4, 0.9, -0.1, 1.2, 0.5, 0.8, 0.3]
    b = [0.1, -0.3, 0.2, 0.0, 0.6, -0.2, 0.1, 0.4, -0.5, 0.2]
    r = between_cohorts(a, b, confidence=0.99)
    ref = sps.ttest_ind(a, b, equal_var=False)
    assert r.t == pytest.approx(ref.statistic)
    assert r.p == pytest.approx(ref.pvalue)
    assert r.df == pytest.approx(ref.df)
    ci = ref.confidence_interval(confidence_level=0.99)
    assert (r.ci_low, r.ci_high) == pytest.approx((ci.low, ci.high))
    assert r.mean_diff == pytest.approx(np.mean(a) - np.mean(b))
    sp = math.sqrt((6 * np.var(a, ddof=1) + 9 * np.var(b, ddof=1)) / 15)
    assert r.g == pytest.approx((np.mean(a) - np.mean(b)) / sp * (1 - 3 / (4 * 17 - 9)))


def test_between_cohorts_degenerate() -> None:
    r = between_cohorts([1.0], [1, 2, 3])
    assert r.t == nc("stats.few_in_group")
    assert r.mean_diff == pytest.approx(-1.0) and isinstance(r.sd_a, NotComputable)
    flat = between_cohorts([1, 1, 1], [2, 2])
    assert flat.p == nc("stats.no_spread_in_groups")
    assert flat.mean_diff == pytest.approx(-1.0)
    one_flat = between_cohorts([1, 1, 1], [2, 3, 4])  # Welch only needs one variance > 0
    assert one_flat.df == pytest.approx(2.0) and is_computable(one_flat.p)
    empty = between_cohorts([None], [])
    assert isinstance(empty.mean_a, NotComputable) and isinstance(empty.mean_diff, NotComputable)
    for x in (r, flat, one_flat, empty):
        _assert_clean(x)


# --------------------------------------------------------------------------- describe


def test_describe_hand_computed() -> None:
    # 1, 2, 4, 7 (+ one missing): mean 3.5, SS = 6.25 + 2.25 + .25 + 12.25 = 21, SD = sqrt(7);
    # Hyndman & Fan definition 7: q1 at h = 1.75 -> 1.75, median 3, q3 at h = 3.25 -> 4.75.
    d = describe([4, None, 1, 7, 2])
    assert d == Describe(
        n=4,
        n_missing=1,
        mean=3.5,
        sd=pytest.approx(math.sqrt(7)),
        min=1.0,
        q1=1.75,
        median=3.0,
        q3=4.75,
        max=7.0,
    )


def test_describe_degenerate() -> None:
    none = describe([None, float("nan")])
    assert none.n == 0 and none.n_missing == 2
    assert all(isinstance(v, NotComputable) for v in _floats_of(none)[2:])
    one = describe([3])
    assert one.mean == 3.0 and one.median == 3.0
    assert one.sd == nc("stats.few_values_for_sd")


# --------------------------------------------------------------------------- presentation


def test_not_computable_prints_as_a_dash_in_no_language() -> None:
    few = nc("stats.few_pairs")
    assert str(few) == "–" and f"{few:.2f}" == "–"
    assert not is_computable(few) and not is_computable(float("nan")) and is_computable(0.0)


def test_every_message_id_has_a_text_and_an_unknown_id_is_refused() -> None:
    assert all(TEXTS[key] for key in TEXTS)
    with pytest.raises(KeyError, match="no text for message id 'stats.nonsense'"):
        Message("stats.nonsense")


def test_a_p_value_is_explained_as_significant_or_not_at_its_level() -> None:
    below = Message("explain.p.below")
    assert explain_p(0.0004) == Message("explain.p.significant", {"p": below, "level": 5.0})
    assert explain_p(0.034) == Message(
        "explain.p.significant", {"p": Message("explain.p.equals", {"p": 0.034}), "level": 5.0}
    )
    assert explain_p(0.21) == Message(
        "explain.p.not_significant", {"p": Message("explain.p.equals", {"p": 0.21})}
    )
    assert explain_p(0.034, alpha=0.01).key == "explain.p.not_significant"


@pytest.mark.parametrize(
    ("alpha", "word"),
    [
        (0.93, "excellent"),
        (0.85, "good"),
        (0.72, "acceptable"),
        (0.6995, "acceptable"),  # shown as 0,70: the word goes with what the reader sees
        (0.6949, "questionable"),
        (0.65, "questionable"),
        (0.55, "poor"),
        (0.3, "unacceptable"),
        (-0.2, "negative"),
    ],
)
def test_alpha_is_explained_by_george_and_mallery(alpha: float, word: str) -> None:
    a = alpha_with_interval(alpha, 40, 6)
    assert explain_alpha(a) == Message(
        f"explain.alpha.{word}" if alpha >= 0 else "explain.alpha.negative",
        {"alpha": alpha, "low": a.ci_low, "high": a.ci_high, "level": 95.0, "n": 40},
    )


def test_d_z_is_explained_by_its_own_denominator_without_a_size_word() -> None:
    assert explain_d_z(1.5) == Message("explain.d_z", {"d": 1.5})
    assert "standaarddeviatie van de veranderingen" in TEXTS["explain.d_z"]
    assert "klein effect" not in TEXTS["explain.d_z"].lower()
    assert explain_d_z(nc("stats.few_pairs")).key == "stats.not_computable_because"


def test_no_explanation_overclaims() -> None:
    # p is not the chance that a result is luck; alpha does not show that items measure one thing
    texts = " ".join(TEXTS.values())
    assert "waarschijnlijk geen toeval" not in texts
    assert "meten hetzelfde" not in texts and "meten samen hetzelfde" not in texts


def test_every_rci_category_has_a_label_and_an_explanation() -> None:
    for cat in RciCategory:
        assert explain_rci(cat).key == f"explain.rci.{cat.value}"
        assert cat.label.key in TEXTS
    assert RciCategory.NOT_COMPUTABLE.label == Message("stats.not_computable")


# --------------------------------------------------------------------------- properties

SCORE = st.floats(min_value=0, max_value=100, allow_nan=False, allow_subnormal=False)
QUARTER = st.integers(0, 20).map(lambda i: i / 4)  # exact in binary: ties and zeros stay exact
MAYBE = st.one_of(
    st.none(),
    st.just(float("nan")),
    st.floats(min_value=-1e300, max_value=1e300, allow_nan=False, allow_infinity=False),
    st.integers(-5, 5),
    st.just(3.0),
)
PROP = settings(
    max_examples=80, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def _pairs(draw: st.DrawFn, elements: st.SearchStrategy[float], min_size: int = 3):
    n = draw(st.integers(min_size, 25))
    pre = draw(st.lists(elements, min_size=n, max_size=n))
    post = draw(st.lists(elements, min_size=n, max_size=n))
    return pre, post


@PROP
@given(_pairs(SCORE))
def test_property_paired_t_agrees_with_scipy(data: tuple[list[float], list[float]]) -> None:
    pre, post = data
    r = paired_change(pre, post)
    _assert_clean(r)
    if isinstance(r.t, NotComputable):
        assert np.ptp(np.round(np.subtract(post, pre), 10)) == 0
        return
    ref = _ref(sps.ttest_rel, post, pre)
    assert r.t == pytest.approx(ref.statistic, rel=1e-6)
    assert r.p_t == pytest.approx(ref.pvalue, rel=1e-6, abs=1e-12)
    ci = _ref(ref.confidence_interval)
    assert (r.ci_low, r.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-6, abs=1e-9)


@PROP
@given(_pairs(QUARTER, min_size=1))
def test_property_wilcoxon_agrees_with_scipy(data: tuple[list[float], list[float]]) -> None:
    pre, post = data
    r = paired_change(pre, post)
    _assert_clean(r)
    d = np.array(post) - np.array(pre)
    nonzero = d[d != 0]
    assert r.n_nonzero == nonzero.size
    if nonzero.size == 0:
        assert isinstance(r.p_wilcoxon, NotComputable)
    else:
        assert r.p_wilcoxon == pytest.approx(min(1.0, sps.wilcoxon(nonzero).pvalue))
        if nonzero.size == d.size:  # no zeros: identical to scipy on the raw pairs
            assert r.p_wilcoxon == pytest.approx(min(1.0, sps.wilcoxon(post, pre).pvalue))


@PROP
@given(_pairs(SCORE, min_size=2))
def test_property_d_z_has_sign_of_mean_change(data: tuple[list[float], list[float]]) -> None:
    pre, post = data
    r = paired_change(pre, post)
    if is_computable(r.d_z):
        assert np.sign(r.d_z) == np.sign(r.mean_diff)
        assert np.sign(r.t) == np.sign(r.mean_diff)
    if is_computable(r.d_av) and r.mean_diff != 0:
        assert np.sign(r.d_av) == np.sign(r.mean_diff)


@PROP
@given(
    st.lists(SCORE, min_size=2, max_size=25),
    st.lists(SCORE, min_size=2, max_size=25),
)
def test_property_welch_agrees_with_scipy(a: list[float], b: list[float]) -> None:
    r = between_cohorts(a, b)
    _assert_clean(r)
    if isinstance(r.t, NotComputable):
        return
    ref = _ref(sps.ttest_ind, a, b, equal_var=False)
    assert r.t == pytest.approx(ref.statistic, rel=1e-6, abs=1e-9)
    assert r.df == pytest.approx(ref.df, rel=1e-6)
    assert r.p == pytest.approx(ref.pvalue, rel=1e-6, abs=1e-12)


@PROP
@given(
    st.integers(0, 8).flatmap(
        lambda n: st.tuples(
            st.lists(MAYBE, min_size=n, max_size=n), st.lists(MAYBE, min_size=n, max_size=n)
        )
    )
)
def test_property_degenerate_inputs_never_nan_or_raise(
    data: tuple[list[float | None], list[float | None]],
) -> None:
    pre, post = data
    _assert_clean(paired_change(pre, post))
    _assert_clean(between_cohorts(pre, post))
    _assert_clean(describe(pre))
    _assert_clean(reliable_change(pre, post, sd_pre=1.0, reliability=0.8))
    _assert_clean(cronbach_alpha([[a, b] for a, b in zip(pre, post, strict=True)]))
    _assert_clean(cronbach_alpha([[a, b, a] for a, b in zip(pre, post, strict=True)]))
    pc = paired_change(pre, post)
    for message in (
        explain_p(pc.p_t),
        claims.explain_change(pc.ci_low, pc.ci_high),
        claims.explain_size(pc.g_av, pc.ci_low, pc.ci_high),
    ):
        assert all(math.isfinite(x) for x in _numbers(message))


def _numbers(message: Message) -> list[float]:
    """Every number among a message's parameters, nested messages included."""
    found: list[float] = []
    for value in message.params.values():
        if isinstance(value, Message):
            found.extend(_numbers(value))
        elif isinstance(value, int | float):
            found.append(float(value))
    return found


def test_results_are_frozen() -> None:
    r = paired_change([1, 2, 3], [2, 3, 5])
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.n = 5  # type: ignore[misc]
    assert isinstance(r, PairedChange)
    assert isinstance(between_cohorts([1, 2], [3, 4]), BetweenCohorts)
