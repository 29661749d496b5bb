"""Figures from sums (assess.engine.stats.sums) agree with numpy, scipy and the engine's own
functions on the raw values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from assess.engine.stats import (
    NotComputable,
    Sums,
    alpha_from_sums,
    change_from_sums,
    cronbach_alpha,
    effect_from_sums,
    is_computable,
    paired_change,
)

SEEDS = range(20)


def scores(rng: np.random.Generator, n: int, spread: float = 15.0) -> np.ndarray:
    """n scores on 0-100, as the reports sum them."""
    return np.clip(rng.normal(55, spread, n), 0, 100)


@pytest.mark.parametrize("seed", SEEDS)
def test_mean_variance_and_sd_match_numpy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = scores(rng, int(rng.integers(2, 400)))
    sums = Sums.of(x.tolist())
    assert sums.n == x.size
    assert sums.mean == pytest.approx(np.mean(x), rel=1e-12)
    assert sums.variance == pytest.approx(np.var(x, ddof=1), rel=1e-9)
    assert sums.sd == pytest.approx(np.std(x, ddof=1), rel=1e-9)


@pytest.mark.parametrize("seed", SEEDS)
def test_sums_of_two_groups_add_up_to_the_sums_of_both(seed: int) -> None:
    rng = np.random.default_rng(seed)
    a, b = scores(rng, 30).tolist(), scores(rng, 7).tolist()
    both = Sums.of(a) + Sums.of(b)
    assert both.n == 37
    assert both.total == pytest.approx(sum(a + b))
    assert both.sd == pytest.approx(np.std(a + b, ddof=1), rel=1e-9)


def test_missing_values_are_not_counted() -> None:
    assert Sums.of([1.0, None, 3.0]) == Sums(2, 4.0, 10.0)


def test_sql_sums_over_no_values_are_empty() -> None:
    assert Sums.from_sql(0, None, None) == Sums()
    assert Sums.from_sql(None, None) == Sums()
    assert Sums().mean is None and Sums().sd is None


def test_without_squares_the_mean_is_known_and_the_spread_is_not() -> None:
    sums = Sums.from_sql(4, 10.0)
    assert sums.mean == 2.5
    assert sums.variance is None and sums.sd is None
    assert (sums + Sums(1, 1.0, 1.0)).squares is None


def test_one_value_has_a_mean_and_no_sd() -> None:
    assert Sums.of([42.0]).mean == 42.0
    assert Sums.of([42.0]).sd is None


@pytest.mark.parametrize("value", [8.333333333333329, 0.1, 66.66666666666667, 0.0, 100.0])
@pytest.mark.parametrize("n", [2, 5, 37, 2000])
def test_equal_values_have_no_spread_despite_rounding_noise(value: float, n: int) -> None:
    # The one-pass formula leaves a tiny numerator of noise here; it must read as no spread.
    assert Sums.of([value] * n).variance == 0.0


@pytest.mark.parametrize("seed", SEEDS)
def test_change_from_sums_matches_paired_change_and_scipy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 200))
    pre = scores(rng, n)
    post = np.clip(pre + rng.normal(5, 10, n), 0, 100)
    d = post - pre
    from_sums = change_from_sums(Sums.of(d.tolist()))
    engine = paired_change(pre.tolist(), post.tolist())
    low, high = sps.ttest_1samp(d, 0.0).confidence_interval(0.95)
    assert from_sums.n == n
    assert from_sums.mean_diff == pytest.approx(engine.mean_diff, rel=1e-9)
    assert from_sums.sd_diff == pytest.approx(engine.sd_diff, rel=1e-9)
    assert from_sums.ci_low == pytest.approx(low, rel=1e-9, abs=1e-9)
    assert from_sums.ci_high == pytest.approx(high, rel=1e-9, abs=1e-9)
    assert from_sums.ci_low == pytest.approx(engine.ci_low, rel=1e-9, abs=1e-9)
    assert from_sums.d_z == pytest.approx(np.mean(d) / np.std(d, ddof=1), rel=1e-9)
    assert from_sums.d_z == pytest.approx(engine.d_z, rel=1e-9)


@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.99])
def test_other_confidence_levels_match_scipy(confidence: float) -> None:
    d = scores(np.random.default_rng(7), 25, spread=5.0) - 50
    low, high = sps.ttest_1samp(d, 0.0).confidence_interval(confidence)
    found = change_from_sums(Sums.of(d.tolist()), confidence)
    assert (found.ci_low, found.ci_high) == (pytest.approx(low), pytest.approx(high))


def test_without_pairs_nothing_is_computable() -> None:
    found = change_from_sums(Sums())
    assert found.n == 0
    assert isinstance(found.mean_diff, NotComputable)
    assert not any(is_computable(v) for v in (found.sd_diff, found.ci_low, found.d_z))


def test_one_pair_has_a_mean_change_and_no_interval() -> None:
    found = change_from_sums(Sums.of([4.0]))
    assert found.mean_diff == 4.0
    assert isinstance(found.ci_low, NotComputable) and isinstance(found.d_z, NotComputable)


def test_equal_changes_have_a_mean_and_no_interval_as_in_paired_change() -> None:
    pre = [10.0, 20.0, 30.0, 40.0, 50.0]
    post = [p + 8.333333333333329 for p in pre]
    d = [b - a for a, b in zip(pre, post, strict=True)]
    found = change_from_sums(Sums.of(d))
    engine = paired_change(pre, post)
    assert found.mean_diff == pytest.approx(engine.mean_diff)
    assert found.sd_diff == 0.0
    for name in ("ci_low", "ci_high", "d_z"):
        assert isinstance(getattr(found, name), NotComputable)
        assert getattr(found, name).reason == getattr(engine, name).reason


def test_an_impossible_confidence_level_is_refused() -> None:
    with pytest.raises(ValueError):
        change_from_sums(Sums.of([1.0, 2.0]), 1.5)


def alpha_by_sums(matrix: np.ndarray) -> object:
    """Alpha from the sums a database would return over the complete rows of the matrix."""
    complete = matrix[~np.isnan(matrix).any(axis=1)]
    totals = complete.sum(axis=1)
    items = [Sums.of(column.tolist()) for column in complete.T]
    lowest = float(totals.min()) if totals.size else None
    highest = float(totals.max()) if totals.size else None
    return alpha_from_sums(items, Sums.of(totals.tolist()), lowest, highest)


@pytest.mark.parametrize("seed", SEEDS)
def test_alpha_from_sums_matches_cronbach_alpha(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(3, 300)), int(rng.integers(2, 9))
    trait = rng.normal(0, 1, (n, 1))
    matrix = np.clip(np.rint(3 + trait + rng.normal(0, 1, (n, k))), 1, 5)
    matrix[rng.random((n, k)) < 0.05] = np.nan
    expected = cronbach_alpha(np.where(np.isnan(matrix), None, matrix).tolist()).alpha
    found = alpha_by_sums(matrix)
    if is_computable(expected):
        assert found == pytest.approx(expected, rel=1e-9, abs=1e-12)
    else:
        assert isinstance(found, NotComputable) and found.reason == expected.reason


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(1, 5), min_size=3, max_size=3),
        min_size=1,
        max_size=6,
    )
)
def test_alpha_from_sums_gives_cronbach_alphas_verdicts_on_small_data(rows: list) -> None:
    expected = cronbach_alpha(rows).alpha
    found = alpha_by_sums(np.array(rows, dtype=float).reshape(-1, 3))
    if is_computable(expected):
        assert found == pytest.approx(expected, rel=1e-9, abs=1e-12)
    else:
        assert isinstance(found, NotComputable) and found.reason == expected.reason


def test_alpha_of_fewer_than_two_items_is_not_computable() -> None:
    found = alpha_from_sums([Sums.of([1.0, 2.0, 3.0])], Sums.of([1.0, 2.0, 3.0]), 1.0, 3.0)
    assert isinstance(found, NotComputable)
    assert found.reason == cronbach_alpha([[1], [2], [3]]).alpha.reason


def test_d_av_and_g_av_from_sums_equal_the_paired_figures() -> None:
    pre, post = [7, 9, 6, 8, 7, 9, 8, 8, 8, 7], [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]
    diff = [b - a for a, b in zip(pre, post, strict=True)]
    d_av, g_av = effect_from_sums(Sums.of(pre), Sums.of(post), Sums.of(diff))
    direct = paired_change(pre, post)
    assert d_av == pytest.approx(direct.d_av) and g_av == pytest.approx(direct.g_av)
    few = effect_from_sums(Sums.of([1]), Sums.of([2]), Sums.of([1]))
    assert not any(isinstance(v, float) for v in few)
