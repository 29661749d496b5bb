"""GAS T-scores (Kiresuk & Sherman 1968, ρ = .3): the formula against worked examples, and
the input checks that refuse a score rather than guess one."""

import math

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from assess.engine import DefinitionError, gas, load_questionnaire, parse_questionnaire
from tests.engine.conftest import QUESTIONNAIRES


def test_one_goal_at_the_expected_level_is_fifty() -> None:
    assert gas.t_score([0]) == 50


def test_one_goal_is_fifty_plus_ten_per_level() -> None:
    # With one goal the denominator is √((1 − ρ)·w² + ρ·w²) = w, so T = 50 + 10·x.
    assert [gas.t_score([x]) for x in gas.LEVELS] == pytest.approx([30, 40, 50, 60, 70])


def test_three_equal_goals_one_step_below_expected() -> None:
    # By hand: Σwx = −3; (1 − .3)·3 + .3·3² = 2.1 + 2.7 = 4.8; T = 50 − 30/√4.8 = 36.307.
    assert gas.t_score([-1, -1, -1]) == pytest.approx(36.3069, abs=1e-4)
    assert gas.t_score([-1, -1, -1]) == pytest.approx(50 - 30 / math.sqrt(4.8))


def test_the_weighted_example_of_gasr_comes_out_at_fifty_five() -> None:
    # gasr's calc_tscore example (levels −2, 0, −1, 2, 0, 1; weights 3, 5, 1, 4, 2, 6), by
    # hand: Σwx = −6 + 0 − 1 + 8 + 0 + 6 = 7; Σw² = 91; (Σw)² = 21² = 441;
    # .7·91 + .3·441 = 63.7 + 132.3 = 196 = 14²; T = 50 + 10·7/14 = 55.
    assert gas.t_score([-2, 0, -1, 2, 0, 1], [3, 5, 1, 4, 2, 6]) == pytest.approx(55)


def test_with_rho_zero_the_goals_count_as_independent() -> None:
    # ρ = 0: T = 50 + 10·Σx/√n; two goals at +1 give 50 + 20/√2.
    assert gas.t_score([1, 1], rho=0) == pytest.approx(50 + 20 / math.sqrt(2))


@pytest.mark.parametrize(
    ("levels", "weights", "rho", "says"),
    [
        ([], None, 0.3, "at least one goal"),
        ([0, None], None, 0.3, "goal 2 has no level"),
        ([3], None, 0.3, "levels are -2, -1, 0, 1, 2"),
        ([0.5], None, 0.3, "levels are -2, -1, 0, 1, 2"),
        ([True], None, 0.3, "levels are -2, -1, 0, 1, 2"),
        ([0, 1], [1], 0.3, "2 levels but 1 weights"),
        ([0], [0], 0.3, "weights are above 0"),
        ([0], [float("nan")], 0.3, "weights are above 0"),
        ([0], None, 1.0, "rho must be at least 0 and below 1"),
        ([0], None, -0.1, "rho must be at least 0 and below 1"),
    ],
)
def test_input_that_gives_no_score_is_refused(levels, weights, rho, says) -> None:
    with pytest.raises(gas.GASInputError, match=says):
        gas.t_score(levels, weights, rho)


@given(st.lists(st.sampled_from(gas.LEVELS), min_size=1, max_size=3))
def test_t_is_fifty_exactly_when_the_levels_balance_and_symmetric_around_it(levels) -> None:
    t = gas.t_score(levels)
    mirrored = gas.t_score([-x for x in levels])
    assert t - 50 == pytest.approx(50 - mirrored)
    assert (abs(t - 50) < 1e-9) == (sum(levels) == 0)


def test_a_group_has_its_mean_t_with_an_interval_and_the_share_of_goals_met() -> None:
    found = gas.group([40.0, 50.0, 60.0], [-1, 0, 0, 1, 2, -2])
    assert found is not None
    assert found.n == 3 and found.mean == pytest.approx(50)
    # sd = 10, t(.975, 2) = 4.3027; half-width 4.3027·10/√3 = 24.842.
    assert found.low == pytest.approx(50 - 24.842, abs=1e-3)
    assert found.high == pytest.approx(50 + 24.842, abs=1e-3)
    assert found.share_expected_or_better == pytest.approx(4 / 6)
    assert gas.group([], []) is None
    one = gas.group([55.0], [1])
    assert one is not None and one.low is None and one.high is None


def test_the_instrument_has_goal_examples_for_every_theme() -> None:
    q = load_questionnaire(QUESTIONNAIRES / "leergang-woonconsulent.yaml")
    assert {e.theme for e in q.goal_examples} == {"tijdmanagement", "nee_zeggen", "netwerkaanpak"}
    assert all(q.text(e.if_then).startswith("Als ") for e in q.goal_examples)


def test_a_goal_example_on_an_unknown_theme_is_refused() -> None:
    data = yaml.safe_load((QUESTIONNAIRES / "leergang-woonconsulent.yaml").read_text("utf-8"))
    data["goal_examples"][0]["theme"] = "tijdmanagment"
    with pytest.raises(DefinitionError, match="unknown scale 'tijdmanagment'"):
        parse_questionnaire(data)
