"""Others' view: the self–other gap, the colleagues' release rule and the rater form's rules."""

import copy
from typing import Any

import pytest
import yaml

from assess.engine.definition import (
    DefinitionError,
    check_mirror,
    load_directory,
    parse_questionnaire,
)
from assess.engine.raters import (
    GAP_THRESHOLD,
    MIN_COLLEAGUES,
    Gap,
    aggregate,
    classify_gap,
    release_due,
)
from assess.engine.scoring import score_response
from tests.engine.conftest import QUESTIONNAIRES

RATER_FILE = QUESTIONNAIRES / "anderen-over-woonconsulent.yaml"


@pytest.mark.parametrize(
    ("self_mean", "others", "expected"),
    [
        (4.0, 3.0, Gap.OVER),
        (3.51, 3.0, Gap.OVER),
        (3.5, 3.0, Gap.AGREE),  # exactly the threshold is still agreement
        (3.0, 3.0, Gap.AGREE),
        (2.5, 3.0, Gap.AGREE),
        (2.49, 3.0, Gap.UNDER),
        (1.0, 5.0, Gap.UNDER),
        (None, 3.0, None),
        (3.0, None, None),
    ],
)
def test_the_gap_is_classified_with_half_a_point_of_agreement(self_mean, others, expected) -> None:
    assert GAP_THRESHOLD == 0.5
    assert classify_gap(self_mean, others) == expected


def test_a_gap_needs_finite_figures() -> None:
    with pytest.raises(ValueError):
        classify_gap(float("nan"), 3.0)


@pytest.mark.parametrize(
    ("completed", "still_open", "closed", "released", "due"),
    [
        (2, 0, True, False, False),  # never below three colleagues
        (3, 0, False, False, True),  # everyone invited has answered or declined
        (3, 1, False, False, False),  # a fourth may still answer: wait, or 3 then 4 leaks
        (3, 1, True, False, True),  # the window closed: whoever did not answer, will not
        (8, 0, True, True, False),  # released once, frozen for good
    ],
)
def test_colleagues_are_released_once_with_at_least_three(
    completed, still_open, closed, released, due
) -> None:
    assert release_due(completed, still_open, closed, released) is due


def test_an_aggregate_holds_no_mean_below_three_colleagues() -> None:
    assert aggregate([4.0, 2.0]).mean is None
    assert not aggregate([4.0, 2.0, None, None]).shown
    three = aggregate([4.0, 2.0, 3.0, None])
    assert three.n == MIN_COLLEAGUES and three.mean == pytest.approx(3.0) and three.shown


# --------------------------------------------------------------------------- the rater form


def _rater_data() -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(RATER_FILE.read_text(encoding="utf-8")))


def test_the_shipped_rater_form_mirrors_the_self_scan_item_for_item() -> None:
    loaded = {(q.id, q.version): q for q in load_directory(QUESTIONNAIRES)}
    form = loaded["anderen-over-woonconsulent", 1]
    target = loaded["leergang-woonconsulent", 2]
    assert form.audience == "rater" and list(form.moments) == ["rater"]
    assert check_mirror(form, target) == []
    for item_id in form.item_ids_for("rater"):
        item = form.items_by_id[item_id]
        assert item.observable and item.mirrors in target.items_by_id
        assert form.item_text(item).startswith(("Deze woonconsulent", "Bij ", "Als "))
        assert "woonconsulent" in form.item_text(item)


def test_cannot_judge_answers_are_left_out_of_a_rater_score() -> None:
    form = parse_questionnaire(_rater_data())
    answers: dict[str, object] = {"o_tm_plan_1": 5, "o_tm_waan_2": 5, "o_tm_struc_2": 5}
    score = score_response(form, answers, "rater").get("tijdmanagement")
    assert score is not None and score.mean == 5.0 and score.n_answered == 3
    too_few = score_response(form, {"o_tm_plan_1": 5}, "rater").get("tijdmanagement")
    assert too_few is not None and too_few.mean is None


def _problems(data: dict[str, Any]) -> str:
    with pytest.raises(DefinitionError) as caught:
        parse_questionnaire(data)
    return str(caught.value)


def test_every_item_of_a_rater_form_is_observable() -> None:
    data = _rater_data()
    data["sections"][0]["items"][0]["observable"] = False
    assert "every item of a rater form is observable" in _problems(data)


def test_an_observable_item_names_what_it_observes() -> None:
    data = _rater_data()
    del data["sections"][0]["items"][0]["mirrors"]
    assert "names the self-scan item it observes" in _problems(data)


def test_observable_items_belong_to_rater_forms_only() -> None:
    data = _rater_data()
    data["audience"] = "participant"
    data["moments"] = {"intake": data["moments"]["rater"]}
    assert "only a rater form" in _problems(data)


def test_a_rater_form_has_only_the_rater_moment() -> None:
    data = _rater_data()
    data["moments"]["intake"] = data["moments"]["rater"]
    assert "one moment, 'rater'" in _problems(data)


def test_an_observed_item_keeps_the_keying_of_its_self_item() -> None:
    loaded = {(q.id, q.version): q for q in load_directory(QUESTIONNAIRES)}
    data = _rater_data()
    data["sections"][0]["items"][1]["reverse"] = False  # o_tm_plan_8 observes a reversed item
    problems = check_mirror(parse_questionnaire(data), loaded["leergang-woonconsulent", 2])
    assert [p.message for p in problems] == ["reverse keying and weight must match 'tm_plan_8'"]
