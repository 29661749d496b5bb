"""Item analysis: item-rest correlations, alpha if deleted, floor and ceiling, scale
correlations and scenario shares, against hand-computed and numpy figures."""

from __future__ import annotations

import numpy as np
import pytest

from assess.engine.messages import Message
from assess.engine.stats import (
    NotComputable,
    analyse_scale,
    cronbach_alpha,
    option_shares,
    scale_correlations,
)

# five people, three items on 1..5, already keyed; the fifth person skipped item c
ROWS = [[1, 2, 2], [2, 2, 3], [3, 4, 3], [4, 4, 4], [5, 5, None]]


def test_item_figures_by_hand_and_by_numpy() -> None:
    s = analyse_scale("tm", ["a", "b", "c"], ROWS, 1, 5)
    a, b, c = s.items
    # item a: answers 1..5, mean 3, SD sqrt(2.5), one at the floor and one at the ceiling
    assert (a.asked, a.n, a.mean) == (5, 5, 3.0)
    assert a.sd == pytest.approx(np.sqrt(2.5))
    assert a.floor == pytest.approx(0.2) and a.ceiling == pytest.approx(0.2)
    assert a.missing == 0.0 and c.missing == pytest.approx(0.2) and c.n == 4
    # item-rest and alpha-if-deleted on the four complete rows (listwise, as the alpha)
    complete = np.array(ROWS[:4], dtype=float)
    rest_a = complete[:, 1] + complete[:, 2]
    assert a.item_rest == pytest.approx(np.corrcoef(complete[:, 0], rest_a)[0, 1])
    assert a.alpha_if_deleted == pytest.approx(cronbach_alpha(complete[:, 1:].tolist()).alpha)
    # hand: items b, c over the complete rows: [2,2,4,4] and [2,3,3,4]; variances 4/3 and 2/3,
    # totals 4, 5, 7, 8 variance 10/3: alpha = 2 * (1 - 2 / (10/3)) = 0.8
    assert a.alpha_if_deleted == pytest.approx(0.8)
    assert s.alpha.n == 4 and s.alpha.n_dropped == 1
    assert b.ceiling == pytest.approx(0.2) and b.floor == 0.0


def test_a_reversed_item_shows_a_negative_item_rest_correlation_and_is_flagged() -> None:
    rows = [[1, 1, 5], [2, 2, 4], [3, 3, 3], [4, 5, 2], [5, 4, 1], [3, 3, 3]]
    s = analyse_scale("x", ["a", "b", "c"], rows, 1, 5)
    assert s.items[2].item_rest < 0 and s.items[2].flagged
    # dropping the mis-keyed item raises alpha from negative to high
    assert s.alpha.negative and s.items[2].alpha_if_deleted > 0.8


def test_degenerate_scales_say_why() -> None:
    two = analyse_scale("x", ["a", "b"], [[1, 2], [2, 3], [3, 5]], 1, 5)
    assert two.items[0].alpha_if_deleted == NotComputable(Message("stats.few_items"))
    assert two.items[0].item_rest == pytest.approx(np.corrcoef([1, 2, 3], [2, 3, 5])[0, 1])
    empty = analyse_scale("x", ["a", "b", "c"], [], 1, 5)
    assert isinstance(empty.items[0].mean, NotComputable) and empty.items[0].asked == 0
    flat = analyse_scale("x", ["a", "b", "c"], [[3, 1, 2], [3, 2, 3], [3, 4, 4]], 1, 5)
    assert flat.items[0].item_rest == NotComputable(Message("stats.no_spread"))
    with pytest.raises(ValueError):
        analyse_scale("x", ["a", "b"], [[1, 2, 3]], 1, 5)


def test_scale_correlations_pairwise_complete() -> None:
    scores = {
        "tm": [10.0, 20.0, 30.0, 40.0, None],
        "nz": [12.0, 18.0, 35.0, 39.0, 50.0],
        "na": [40.0, 30.0, 20.0, 10.0, 0.0],
    }
    tm_nz, tm_na, nz_na = scale_correlations(scores)
    assert (tm_nz.a, tm_nz.b, tm_nz.n) == ("tm", "nz", 4)
    assert tm_nz.r == pytest.approx(np.corrcoef([10, 20, 30, 40], [12, 18, 35, 39])[0, 1])
    assert tm_na.r == pytest.approx(-1.0)
    assert nz_na.n == 5
    few = scale_correlations({"a": [1, 2], "b": [2, 1]})
    assert few[0].r == NotComputable(Message("stats.few_respondents"))


def test_option_shares_against_the_key() -> None:
    shares, keyed = option_shares({"a": 6, "b": 3, "c": 1}, ["a", "b", "c", "d"], ["b"])
    assert [(o.value, o.count, o.best) for o in shares] == [
        ("a", 6, False),
        ("b", 3, True),
        ("c", 1, False),
        ("d", 0, False),
    ]
    assert shares[0].share == pytest.approx(0.6) and keyed == pytest.approx(0.3)
    none, nobody = option_shares({}, ["a"], ["a"])
    assert isinstance(none[0].share, NotComputable) and isinstance(nobody, NotComputable)
