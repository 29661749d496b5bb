"""The signed-rank test's exhaustive p-value for small samples with ties equals scipy's."""

import numpy as np
import pytest
from scipy import stats as sps

from assess.engine.stats import paired_change
from assess.engine.stats.paired import wilcoxon_p

# Differences of POMP scores on short subscales: few distinct values, so many ties.
STEPS = np.array([-15, -10, -5, -2.5, 2.5, 5, 10, 15, 20], dtype=float)


@pytest.mark.parametrize("seed", range(12))
def test_exhaustive_p_with_ties_equals_scipy_permutation_p(seed):
    rng = np.random.default_rng(seed)
    d = rng.choice(STEPS, size=int(rng.integers(2, 11)))
    expected = min(1.0, float(sps.wilcoxon(d, zero_method="wilcox", correction=False).pvalue))
    assert wilcoxon_p(d) == pytest.approx(expected, abs=1e-12)


def test_thirteen_tied_differences_use_all_8192_sign_flips():
    d = np.array([5, 5, 10, -5, 15, 5, 10, 10, -10, 5, 20, 5, 15], dtype=float)
    # 2 * 72 / 8192: scipy's exhaustive permutation result for this sample.
    assert wilcoxon_p(d) == pytest.approx(0.017578125)


def test_a_cohort_with_tied_changes_gets_the_exhaustive_p():
    pre = [50, 50, 40, 60, 55, 45, 50, 35, 65, 50]
    post = [55, 55, 50, 55, 70, 50, 60, 45, 55, 70]
    d = np.array(post, dtype=float) - np.array(pre, dtype=float)
    expected = float(sps.wilcoxon(d, zero_method="wilcox", correction=False).pvalue)
    assert paired_change(pre, post).p_wilcoxon == pytest.approx(expected)
