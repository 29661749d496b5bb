"""Reverse keying (assess.engine.keying): one rule for scoring, simulation and the reports."""

from __future__ import annotations

import pytest

from assess.engine import LikertItem, Questionnaire, score_response
from assess.engine.keying import Keying, keying


def likert(q: Questionnaire, item_id: str) -> LikertItem:
    item = q.items_by_id[item_id]
    assert isinstance(item, LikertItem)
    return item


def test_a_reverse_keyed_answer_is_mirrored_on_its_points(sample: Questionnaire) -> None:
    keyed = keying(sample, likert(sample, "a2"))
    assert keyed == Keying(reverse=True, low=1, high=5)
    assert [keyed.apply(v) for v in (1, 2, 3, 4, 5)] == [5, 4, 3, 2, 1]


def test_an_ordinary_answer_counts_as_given(sample: Questionnaire) -> None:
    keyed = keying(sample, likert(sample, "a1"))
    assert not keyed.reverse
    assert keyed.apply(2.0) == 2.0


def test_a_retrospective_item_is_keyed_as_the_item_it_looks_back_on(
    sample: Questionnaire,
) -> None:
    assert keying(sample, likert(sample, "a2_toen")).reverse
    assert not keying(sample, likert(sample, "a1_toen")).reverse


def test_scoring_counts_the_keyed_answers(sample: Questionnaire) -> None:
    answers = {"a1": 4, "a2": 2, "a3": 3, "a4": 5, "a5": 1}
    items = [likert(sample, i) for i in sample.items_of("tm")]
    keyed = [keying(sample, i).apply(answers[i.id]) * i.weight for i in items]
    score = score_response(sample, answers, "intake").get("tm")
    assert score is not None
    assert score.mean == pytest.approx(sum(keyed) / sum(i.weight for i in items))
