"""Simulated answers: valid, deterministic and plausibly related to the latent level."""

import random
import statistics
from pathlib import Path

import numpy as np
import pytest

from assess.engine import (
    LikertItem,
    Questionnaire,
    load_questionnaire,
    score_response,
    simulate_answers,
    validate_answers,
)
from assess.engine.keying import keying
from assess.engine.simulate import FACTOR_R, simulate_person
from assess.engine.stats import cronbach_alpha, paired_change

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "questionnaires"


def _mean_pomp(
    q: Questionnaire, moment: str, level: float, growth: float = 0.0, variant: str = "now"
) -> float:
    """Mean POMP of scale `tm` over 200 simulated people at one level."""
    rng = random.Random(42)
    values = []
    for _ in range(200):
        answers = simulate_answers(q, moment, rng, level, growth)
        score = score_response(q, answers, moment).get("tm", variant)  # type: ignore[arg-type]
        if score is not None and score.pomp is not None:
            values.append(score.pomp)
    return statistics.fmean(values)


@pytest.mark.parametrize("moment", ["intake", "exit", "followup"])
@pytest.mark.parametrize("level", [0.0, 0.3, 0.7, 1.0])
def test_answers_are_valid(sample: Questionnaire, moment: str, level: float) -> None:
    rng = random.Random(7)
    for _ in range(25):
        answers = simulate_answers(sample, moment, rng, level, growth=0.2)
        assert set(answers) == set(sample.item_ids_for(moment))
        assert validate_answers(sample, answers, moment) == {}
        score_response(sample, answers, moment)  # never raises


def test_deterministic_for_a_seed(sample: Questionnaire) -> None:
    first = simulate_answers(sample, "exit", random.Random(1), 0.5, 0.1)
    assert first == simulate_answers(sample, "exit", random.Random(1), 0.5, 0.1)
    others = [simulate_answers(sample, "exit", random.Random(s), 0.5, 0.1) for s in range(2, 6)]
    assert any(o != first for o in others)


def test_higher_level_scores_higher(sample: Questionnaire) -> None:
    low, mid, high = (_mean_pomp(sample, "intake", lv) for lv in (0.2, 0.5, 0.8))
    assert low + 15 < mid < high - 15


def test_growth_shifts_exit_upward(sample: Questionnaire) -> None:
    intake = _mean_pomp(sample, "intake", 0.4)
    exit_ = _mean_pomp(sample, "exit", 0.4, growth=0.25)
    assert exit_ > intake + 15
    assert _mean_pomp(sample, "exit", 0.4) == pytest.approx(intake, abs=5)


def test_retrospective_is_a_bit_below_intake(sample: Questionnaire) -> None:
    intake = _mean_pomp(sample, "intake", 0.6)
    then = _mean_pomp(sample, "exit", 0.6, growth=0.2, variant="then")
    assert intake - 20 < then < intake


def test_reverse_keyed_items_are_answered_consistently(sample: Questionnaire) -> None:
    rng = random.Random(3)
    for level, expect in ((0.9, lambda v: v <= 2), (0.1, lambda v: v >= 4)):
        raw = [simulate_answers(sample, "intake", rng, level)["a2"] for _ in range(100)]
        assert sum(expect(v) for v in raw) >= 80  # a2 is reverse-keyed


def test_sjt_more_effective_with_higher_level(sample: Questionnaire) -> None:
    low, high = (_mean_pomp_sjt(sample, lv) for lv in (0.1, 0.9))
    assert high > low + 30


def _mean_pomp_sjt(q: Questionnaire, level: float) -> float:
    rng = random.Random(5)
    values = []
    for _ in range(200):
        score = score_response(q, simulate_answers(q, "intake", rng, level), "intake").get(
            "tm", "sjt"
        )
        assert score is not None and score.pomp is not None
        values.append(score.pomp)
    return statistics.fmean(values)


def test_time_allocation_is_plausible(sample: Questionnaire) -> None:
    rng = random.Random(11)
    for _ in range(200):
        answers = simulate_answers(sample, "intake", rng, rng.random())
        shares = [answers[i] for i in sample.time_allocation]
        assert all(isinstance(v, int) and v % 5 == 0 for v in shares)
        assert 0 < sum(shares) <= 100  # type: ignore[arg-type]


def test_optional_items_sometimes_blank_required_never(sample: Questionnaire) -> None:
    rng = random.Random(13)
    runs = [simulate_answers(sample, "intake", rng, 0.5) for _ in range(300)]
    blank_a5 = sum(r["a5"] is None for r in runs)  # optional Likert item
    blank_text = sum(r["reflectie"] is None for r in runs)  # optional text item
    assert 15 <= blank_a5 <= 90
    assert 60 <= blank_text <= 180
    required = [i for i in sample.item_ids_for("intake") if sample.items_by_id[i].required]
    assert all(r[i] is not None for r in runs for i in required)
    texts = {r["reflectie"] for r in runs if r["reflectie"]}
    assert len(texts) > 3 and all(len(t) <= 200 for t in texts)


def test_level_is_clamped(sample: Questionnaire) -> None:
    answers = simulate_answers(sample, "exit", random.Random(0), 1.5, growth=1.0)
    assert validate_answers(sample, answers, "exit") == {}
    likert = [v for k, v in answers.items() if isinstance(sample.items_by_id[k], LikertItem) and v]
    assert likert


@pytest.mark.parametrize("file", sorted(QUESTIONNAIRES.glob("*.yaml")), ids=lambda p: p.name)
def test_simulated_answers_fit_shipped_questionnaires(file: Path) -> None:
    q = load_questionnaire(file)
    rng = random.Random(17)
    for moment in q.moments:
        for level in (0.1, 0.5, 0.9):
            answers = simulate_answers(q, moment, rng, level, growth=0.2)
            assert validate_answers(q, answers, moment) == {}
            sheet = score_response(q, answers, moment)
            # the weekly pulse asks no scored item
            assert sheet.rows() or moment == "pulse"


# --------------------------------------------------------------------------- realistic structure

INSTRUMENTS = [
    f for f in sorted(QUESTIONNAIRES.glob("*.yaml")) if "intake" in load_questionnaire(f).moments
]


def _demo_like(q: Questionnaire, *moments: str, n: int = 300) -> list[list[dict]]:
    """Per moment, the answers of n people drawn as the demo draws them (one make-up each)."""
    rng = random.Random(2026)
    out: list[list[dict]] = [[] for _ in moments]
    for _ in range(n):
        level, growth = rng.gauss(0.5, 0.04), rng.gauss(0.12, 0.08)
        person = simulate_person(q, rng, level, growth)
        for found, moment in zip(out, moments, strict=True):
            found.append(simulate_answers(q, moment, rng, level, growth, person=person))
    return out


def _keyed(q: Questionnaire, answers: list[dict], items: list[str]) -> list[list[float]]:
    rules = {i: keying(q, q.items_by_id[i]) for i in items}  # type: ignore[arg-type]
    return [[rules[i].apply(a[i]) if a[i] is not None else None for i in items] for a in answers]


@pytest.mark.parametrize("file", INSTRUMENTS, ids=lambda p: p.name)
def test_simulated_scales_are_as_reliable_and_distinct_as_real_ones(file: Path) -> None:
    q = load_questionnaire(file)
    (answers,) = _demo_like(q, "intake")
    means = []
    for scale in q.scales:
        matrix = _keyed(q, answers, scale.items)
        alpha = cronbach_alpha(matrix).alpha
        assert 0.70 <= alpha <= 0.88, (scale.id, alpha)
        means.append([statistics.fmean(v for v in row if v is not None) for row in matrix])
    r = np.corrcoef(means)[np.triu_indices(len(means), 1)]
    # the factors correlate FACTOR_R; measurement error pulls the scale scores below it
    assert all(0.35 <= x <= 0.65 for x in r), r


@pytest.mark.parametrize("file", INSTRUMENTS, ids=lambda p: p.name)
def test_one_person_changes_plausibly_from_intake_to_exit(file: Path) -> None:
    q = load_questionnaire(file)
    scale = q.scales[0]
    intake, exit_ = _demo_like(q, "intake", "exit")
    before, after = _keyed(q, intake, scale.items), _keyed(q, exit_, scale.items)
    pre = [statistics.fmean(row) for row in before]  # type: ignore[arg-type]
    post = [statistics.fmean(row) for row in after]  # type: ignore[arg-type]
    change = paired_change(pre, post)
    # about half a point on a five-point scale, d_av between .5 and 1.5, and people who were
    # higher at intake mostly stay higher (the same make-up answers both times)
    assert 0.2 < change.mean_diff < 0.8
    assert 0.5 < change.d_av < 1.5
    assert np.corrcoef(pre, post)[0, 1] > 0.4


def test_a_person_keeps_one_make_up_and_levels_differ_per_scale(sample: Questionnaire) -> None:
    person = simulate_person(sample, random.Random(4), 0.5, 0.1)
    assert set(person.levels) == {s.id for s in sample.scales}
    again = simulate_answers(sample, "exit", random.Random(9), 0.5, 0.1, person=person)
    assert again == simulate_answers(sample, "exit", random.Random(9), 0.5, 0.1, person=person)


def test_factor_correlation_is_what_was_asked() -> None:
    rng = random.Random(8)
    q = load_questionnaire(INSTRUMENTS[0])
    levels = [simulate_person(q, rng, 0.5).levels for _ in range(3000)]
    ids = [s.id for s in q.scales]
    r = np.corrcoef([[lv[i] for lv in levels] for i in ids])[0, 1]
    assert r == pytest.approx(FACTOR_R, abs=0.05)
