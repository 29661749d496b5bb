"""The words a figure earns (assess/engine/claims.py): each rule of its table, and the texts that
carry them claim no cause, no probability and no size the interval does not carry."""

from __future__ import annotations

import math

import pytest
from scipy import stats as sps

from assess.engine import claims
from assess.engine.claims import Direction
from assess.engine.messages import TEXTS, Message
from assess.engine.stats import NotComputable, between_cohorts, paired_change

FEW = NotComputable(Message("stats.few_pairs"))


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0.2, 0.8, Direction.UP),
        (-0.8, -0.2, Direction.DOWN),
        (-4.5, 17.0, Direction.UNCLEAR),
        (0.0, 3.0, Direction.UNCLEAR),  # touching zero does not exclude it
        (FEW, 3.0, Direction.NONE),
    ],
)
def test_a_direction_only_when_the_interval_excludes_zero(low, high, expected) -> None:
    assert claims.direction(low, high) is expected


def test_an_interval_that_includes_zero_earns_no_size_word() -> None:
    # the manager page's "−4,5 – 17,0 … 0,40 (klein effect)"
    assert claims.size_word(0.40, -4.5, 17.0) is None
    assert claims.size_word(0.40, FEW, 17.0) is None
    assert claims.size_word(FEW, 1.0, 17.0) is None


@pytest.mark.parametrize(
    ("g", "word"),
    [(0.1, "negligible"), (0.2, "small"), (-0.49, "small"), (0.5, "medium"), (0.95, "large")],
)
def test_an_interval_that_excludes_zero_earns_cohens_word(g: float, word: str) -> None:
    assert claims.size_word(g, 7.9, 21.9) == Message(f"claims.size.{word}")


def test_the_size_word_follows_the_shown_g() -> None:
    # 0.7951 shows as 0,80: the reader sees 0,80 and reads "groot"
    assert claims.size_word(0.7951, 1.0, 2.0) == Message("claims.size.large")


def test_a_size_is_explained_with_its_interval_or_with_why_it_gets_no_word() -> None:
    found = claims.explain_size(0.95, 7.9, 21.9)
    assert found.key == "claims.size.explain"
    assert found.params["word"] == Message("claims.size.large")
    assert (found.params["low"], found.params["high"]) == (7.9, 21.9)
    assert claims.explain_size(0.40, -4.5, 17.0).key == "claims.size.explain.includes_zero"
    assert claims.explain_size(0.40, FEW, FEW).key == "claims.size.explain.no_interval"
    assert claims.explain_size(FEW, 1.0, 2.0) == Message(
        "stats.not_computable_because", {"reason": Message("stats.few_pairs")}
    )


def test_the_difference_with_the_sector_combines_both_uncertainties_like_welch() -> None:
    # Two groups of change scores: the interval of their difference from each group's own
    # t-interval must be Welch's interval from the raw scores.
    own = [12.0, 20.0, 5.0, 18.0, 25.0, 9.0, 15.0, 22.0, 11.0, 13.0, 19.0, 11.0]
    sector = [8.0, 3.0, 12.0, 6.0, 10.0, 7.0, 9.0, 5.0, 14.0, 6.0, 8.0, 4.0, 11.0, 9.0, 7.0]
    a = paired_change([0.0] * len(own), own)
    b = paired_change([0.0] * len(sector), sector)
    mean, low, high = claims.difference((a.ci_low, a.ci_high, a.n), (b.ci_low, b.ci_high, b.n))
    welch = between_cohorts(own, sector)
    assert mean == pytest.approx(welch.mean_diff)
    assert low == pytest.approx(welch.ci_low) and high == pytest.approx(welch.ci_high)
    reference = sps.ttest_ind(own, sector, equal_var=False).confidence_interval(0.95)
    assert (low, high) == pytest.approx((reference.low, reference.high))


def test_the_sector_inside_the_own_interval_is_not_comparable() -> None:
    # The memo's old rule: 15 points (7.9-21.9, n 12) against the sector's 8 was "vergelijkbaar"
    # because 8 lies in the organisation's interval. The difference's interval is wide.
    _mean, low, high = claims.difference((7.9, 21.9, 12), (6.5, 9.5, 200))
    assert low < 0 < high
    assert claims.versus(low, high).key == "claims.sector.unknown"


@pytest.mark.parametrize(
    ("low", "high", "key"),
    [
        (1.2, 9.0, "claims.sector.more"),
        (-9.0, -0.4, "claims.sector.less"),
        (-3.0, 4.5, "claims.sector.comparable"),  # inside ±5
        (-5.0, 5.0, "claims.sector.comparable"),
        (-2.0, 6.0, "claims.sector.unknown"),  # holds 0 but reaches past the margin
        (-12.0, 11.0, "claims.sector.unknown"),
        (FEW, 3.0, "claims.sector.unknown"),
    ],
)
def test_more_less_comparable_or_not_to_say_from_the_differences_interval(low, high, key) -> None:
    assert claims.versus(low, high).key == key


def test_the_margin_is_stated_where_comparable_is_said() -> None:
    assert claims.MARGIN == 5.0
    assert "%(margin)s" in TEXTS["claims.sector.comparable"]
    assert claims.versus(-1.0, 1.0).params["margin"] == 5.0


def test_a_difference_needs_two_intervals_of_at_least_two_people() -> None:
    assert all(not isinstance(x, float) for x in claims.difference((1.0, 2.0, 1), (1.0, 2.0, 9)))
    assert all(not isinstance(x, float) for x in claims.difference((FEW, 2.0, 9), (1.0, 2.0, 9)))


@pytest.mark.parametrize(
    ("alpha", "shown"),
    [(0.84, True), (0.70, True), (0.6995, True), (0.6949, False), (0.54, False), (0.49, False)],
)
def test_reliable_change_only_with_a_stated_alpha_of_at_least_point_seventy(alpha, shown) -> None:
    assert claims.reliable_enough(alpha) is shown


def test_no_alpha_no_reliable_change() -> None:
    assert not claims.reliable_enough(None)
    assert not claims.reliable_enough(NotComputable(Message("stats.no_reliability")))
    assert not claims.reliable_enough(math.nan)


@pytest.mark.parametrize(
    ("target", "intake", "exit_", "low", "high", "key"),
    [
        (80, 60, 70, 4.0, 16.0, "claims.gap.smaller"),  # moved towards the policy, interval > 0
        (80, 60, 70, -2.0, 16.0, "claims.gap.unknown"),  # "ja, kleiner" from point estimates
        (80, 60, 55, -9.0, -1.0, "claims.gap.larger"),
        (40, 60, 50, -16.0, -4.0, "claims.gap.smaller"),
        (62, 60, 75, 10.0, 20.0, "claims.gap.unknown"),  # passed the target by more
        (80, 60, 70, FEW, FEW, "claims.gap.unknown"),
    ],
)
def test_the_gap_to_the_policy_is_smaller_only_when_the_interval_says_so(
    target, intake, exit_, low, high, key
) -> None:
    found = claims.gap_change(target, intake, exit_, low, high)
    assert found is not None and found.key == key


def test_no_gap_verdict_without_the_figures() -> None:
    assert claims.gap_change(None, 60, 70, 1.0, 2.0) is None
    assert claims.gap_change(80, 60, None, 1.0, 2.0) is None


def test_one_group_change_is_told_as_the_participants_own_rating() -> None:
    up = claims.explain_change(2.0, 9.0)
    assert up == Message("claims.ci.change.up", {"low": 2.0, "high": 9.0, "level": 95.0})
    assert claims.explain_change(-9.0, -2.0).key == "claims.ci.change.down"
    assert claims.explain_change(-2.0, 9.0).key == "claims.ci.change.unclear"
    for key in ("claims.ci.change.up", "claims.ci.change.down", "claims.ci.change.unclear"):
        assert "eigen inschatting" in TEXTS[key]
    assert claims.explain_difference(-2.0, 9.0).key == "claims.ci.difference.unclear"


FORBIDDEN_IN_TEXTS = (
    "effect",
    "waarschijnlijk",
    "toeval is",
    "meer dan toeval",
    "door de leergang",
    "experts",
)


def test_no_engine_text_claims_a_cause_an_effect_or_a_probability_for_an_interval() -> None:
    found = [
        (key, word)
        for key, text in TEXTS.items()
        for word in FORBIDDEN_IN_TEXTS
        if word in text.lower() and not _allowed(key, word, text)
    ]
    assert found == []


def _allowed(key: str, word: str, text: str) -> bool:
    # "p is niet de kans dat het verschil toeval is" says what p is *not*
    return key == "explain.p.significant" and word == "toeval is" and "niet de kans" in text
