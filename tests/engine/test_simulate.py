"""Simulated answers: valid, deterministic and plausibly related to the latent level."""

import random
import statistics
from pathlib import Path

import numpy as np
import pytest
from scipy import stats as scipy_stats

from assess.engine import (
    LikertItem,
    Questionnaire,
    load_questionnaire,
    score_response,
    simulate_answers,
    validate_answers,
)
from assess.engine.keying import keying
from assess.engine.simulate import (
    FACTOR_R,
    POPULATION_LEVEL,
    draw_participant,
    simulate_person,
)
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
# The population the demo and benchmarks/synthetic.py draw from must give the figures of the
# table in assess/engine/simulate.py (sources there), on a seeded cohort of 300 people.

INSTRUMENTS = [
    f for f in sorted(QUESTIONNAIRES.glob("*.yaml")) if "intake" in load_questionnaire(f).moments
]
CURRENT = QUESTIONNAIRES / "leergang-woonconsulent.yaml"
MOMENTS = ("intake", "exit", "followup")


def _population(q: Questionnaire, n: int = 300) -> dict[str, list[dict]]:
    """Per moment, the answers of n people drawn as the demo draws them (one make-up each)."""
    rng = random.Random(2026)
    out: dict[str, list[dict]] = {m: [] for m in MOMENTS}
    for _ in range(n):
        person = draw_participant(q, rng)
        for moment in MOMENTS:
            out[moment].append(simulate_answers(q, moment, rng, POPULATION_LEVEL, person=person))
    return out


def _keyed(q: Questionnaire, answers: list[dict], items: list[str]) -> list[list[float]]:
    rules = {i: keying(q, q.items_by_id[i]) for i in items}  # type: ignore[arg-type]
    return [[rules[i].apply(a[i]) if a[i] is not None else None for i in items] for a in answers]


def _scores(q: Questionnaire, answers: list[dict], moment: str, variant: str) -> dict:
    """Scale id -> the mean score of every person (NaN where there is none)."""
    out: dict[str, list[float]] = {s.id: [] for s in q.scales}
    for given in answers:
        sheet = score_response(q, given, moment)
        for s in q.scales:
            found = sheet.get(s.id, variant)  # type: ignore[arg-type]
            out[s.id].append(found.mean if found and found.mean is not None else np.nan)
    return {k: np.array(v) for k, v in out.items()}


@pytest.fixture(scope="module")
def current() -> tuple[Questionnaire, dict[str, list[dict]]]:
    q = load_questionnaire(CURRENT)
    return q, _population(q)


def test_simulated_alphas_lie_between_70_and_85_at_every_moment(current) -> None:
    q, answers = current
    for moment in MOMENTS:
        for scale in q.scales:
            alpha = cronbach_alpha(_keyed(q, answers[moment], scale.items)).alpha
            assert 0.70 <= alpha <= 0.85, (moment, scale.id, alpha)


def test_simulated_scales_correlate_30_to_50(current) -> None:
    q, answers = current
    for moment in MOMENTS:
        means = _scores(q, answers[moment], moment, "now")
        r = np.corrcoef([means[s.id] for s in q.scales])[np.triu_indices(len(q.scales), 1)]
        assert all(0.30 <= x <= 0.50 for x in r), (moment, r)


def test_scenarios_correlate_at_most_30_with_the_likert_score_of_their_scale(current) -> None:
    q, answers = current
    likert = _scores(q, answers["intake"], "intake", "now")
    scenarios = _scores(q, answers["intake"], "intake", "sjt")
    for scale in q.scales:
        if scale.sjt:
            r = np.corrcoef(likert[scale.id], scenarios[scale.id])[0, 1]
            # related, as judgement and self-description are, but far from the same thing
            assert 0.0 < r <= 0.30, (scale.id, r)


def test_self_ratings_sit_high_with_a_ceiling_and_a_left_skew(current) -> None:
    q, answers = current
    items = [i for s in q.scales for i in s.items]
    given = np.array(
        [v for row in _keyed(q, answers["intake"], items) for v in row if v is not None]
    )
    assert 3.4 <= given.mean() <= 4.0
    assert 0.10 <= float(np.mean(given == 5)) <= 0.30  # the ceiling
    assert float(np.mean(given == 1)) < 0.05
    assert scipy_stats.skew(given) < -0.2
    for scores in _scores(q, answers["intake"], "intake", "now").values():
        assert scipy_stats.skew(scores) < 0


def test_change_by_exit_is_small_to_moderate_and_the_follow_up_keeps_most(current) -> None:
    q, answers = current
    intake = _scores(q, answers["intake"], "intake", "now")
    exit_ = _scores(q, answers["exit"], "exit", "now")
    followup = _scores(q, answers["followup"], "followup", "now")
    for scale in q.scales:
        change = paired_change(list(intake[scale.id]), list(exit_[scale.id]))
        later = paired_change(list(intake[scale.id]), list(followup[scale.id]))
        assert 0.20 <= change.g_av <= 0.50, (scale.id, change.g_av)
        assert 0.0 < later.g_av < change.g_av
        # people who were higher at intake mostly stay higher (one make-up answers both times)
        assert np.corrcoef(intake[scale.id], exit_[scale.id])[0, 1] > 0.5


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
