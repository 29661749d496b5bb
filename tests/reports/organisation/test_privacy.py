"""The minimum-group-size rules: no offered group, and no difference of offered groups, is small."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from assess.manager.pages import minimum_group_size
from assess.reports.organisation import privacy


def groups_for(sizes: list[int], periods: list[int]) -> dict[str, frozenset[int]]:
    """All, each cohort, and each period (a union of cohorts), as the report builds them."""
    groups = {"all": frozenset(range(len(sizes)))}
    for p in sorted(set(periods)):
        groups[f"p{p}"] = frozenset(i for i, q in enumerate(periods) if q == p)
    for i in range(len(sizes)):
        groups[f"c{i}"] = frozenset({i})
    return groups


def people(members: frozenset[int], sizes: list[int]) -> int:
    return sum(sizes[i] for i in members)


cohorts = st.lists(st.integers(min_value=0, max_value=14), min_size=1, max_size=7)


@settings(max_examples=150, deadline=None)
@given(cohorts, st.data(), st.integers(min_value=3, max_value=7))
def test_no_shown_pair_of_groups_differs_by_fewer_than_the_minimum(sizes, data, minimum):
    periods = data.draw(st.lists(st.integers(0, 3), min_size=len(sizes), max_size=len(sizes)))
    groups = groups_for(sizes, periods)
    atoms = dict(enumerate(sizes))
    shown = privacy.offered_groups(atoms, groups, minimum)
    for key, n in shown.items():
        assert n >= minimum
        assert n == people(groups[key], sizes)
    for a, b in combinations(shown, 2):
        for x, y in ((a, b), (b, a)):
            rest = people(groups[x] - groups[y], sizes)
            assert rest == 0 or rest >= minimum, (sizes, periods, x, y)


@settings(max_examples=150, deadline=None)
@given(cohorts, st.data(), st.integers(min_value=3, max_value=7))
def test_subtracting_several_shown_groups_isolates_nobody(sizes, data, minimum):
    periods = data.draw(st.lists(st.integers(0, 3), min_size=len(sizes), max_size=len(sizes)))
    groups = groups_for(sizes, periods)
    shown = privacy.offered_groups(dict(enumerate(sizes)), groups, minimum)
    keys = list(shown)
    for whole in keys:
        parts = [k for k in keys if k != whole and groups[k] <= groups[whole]]
        for r in range(1, min(len(parts), 3) + 1):
            for chosen in combinations(parts, r):
                union = frozenset().union(*(groups[k] for k in chosen))
                rest = people(groups[whole] - union, sizes)
                assert rest == 0 or rest >= minimum


@settings(max_examples=100, deadline=None)
@given(cohorts, st.integers(min_value=3, max_value=7))
def test_every_offered_filtered_group_leaves_a_complement_of_zero_or_at_least_the_minimum(
    sizes, minimum
):
    groups = groups_for(sizes, [0] * len(sizes))
    total = sum(sizes)
    for n in privacy.offered_groups(dict(enumerate(sizes)), groups, minimum).values():
        assert privacy.complement_ok(n, total, minimum)


def test_an_organisation_below_the_minimum_offers_nothing():
    assert privacy.offered_groups({1: 4}, {"all": frozenset({1})}, 5) == {}


def test_two_big_cohorts_are_each_offered():
    groups = {"all": frozenset({1, 2}), "c1": frozenset({1}), "c2": frozenset({2})}
    assert privacy.offered_groups({1: 8, 2: 6}, groups, 5) == {"all": 14, "c1": 8, "c2": 6}


def test_a_small_cohort_pulls_the_smallest_big_one_into_hiding():
    # all - c1 would be cohort 3 alone (2 people): cohort 2 (6) is hidden with it.
    groups = {"all": frozenset({1, 2, 3}), **{f"c{i}": frozenset({i}) for i in (1, 2, 3)}}
    assert privacy.offered_groups({1: 9, 2: 6, 3: 2}, groups, 5) == {"all": 17, "c1": 9}


def test_cell_rule():
    assert privacy.cell_ok(5, 5, 5)
    assert not privacy.cell_ok(4, 4, 5)
    assert not privacy.cell_ok(9, 11, 5)  # 2 lack the score: differencing with the group


def test_the_sector_needs_three_other_corporations_none_dominating():
    assert privacy.sector_ok([6, 7, 8], 5)
    assert not privacy.sector_ok([20, 30], 5)  # two others: each is "sector minus the other"
    assert not privacy.sector_ok([6, 7, 0], 5)  # a corporation without released people
    assert not privacy.sector_ok([5, 5, 11], 5)  # one supplies more than half
    assert privacy.sector_ok([5, 5, 10], 5)  # exactly half is allowed


def test_a_hidden_cell_says_why_in_dutch(app):
    with app.test_request_context():
        cell = privacy.guard(42.0, 3, 3, 5)
        assert not cell.shown and cell.value is None
        assert cell.hidden_reason == (
            "minder dan 5 deelnemers: niet getoond om herleidbaarheid te voorkomen"
        )
        assert privacy.guard(42.0, 6, 6, 5).value == 42.0


def test_the_minimum_is_never_below_three(app):
    app.config["MIN_GROUP_SIZE"] = 1
    with app.app_context():
        assert minimum_group_size() == 3
