"""The item analysis of a questionnaire version (version 1, whose items these answers fit): the database's answers, keyed, give the
engine's figures; cohorts and moments narrow the responses; the scenarios' shares."""

from __future__ import annotations

import numpy as np
import pytest

from assess.db import db
from assess.engine import stats
from assess.models import Response
from assess.reports import item_analysis
from assess.reports.cohort import AlphaRow
from assess.survey import questionnaires, responses
from tests import factories as make

WAAN = ["tm_waan_1", "tm_waan_2", "tm_waan_3"]  # tm_waan_1 is reverse-keyed
ANSWERS = {
    "tm_waan_1": [5, 4, 2, 1, 3],
    "tm_waan_2": [1, 2, 4, 5, 3],
    "tm_waan_3": [1, 3, 4, 5, None],
}
CHOICES = ["c", "c", "a", "b", "c"]
MIN = 5  # the minimum group size


@pytest.fixture
def world(app):
    """Two cohorts: five intakes with known answers in the first, one in the second."""
    with app.app_context():
        q = questionnaires.get(make.INSTRUMENT, 1)
        first, second = make.cohort(name="Eerste"), make.cohort(name="Tweede")
        for n, person in enumerate(make.participants(first, 5)):
            response = responses.get_or_create(q, "intake", participant_id=person.id)
            given = {k: v[n] for k, v in ANSWERS.items()}
            responses.save_answers(response, {**given, "sjt_vuilniszakken": CHOICES[n]})
            responses.submit(response)
        make.fill(make.participants(second, 1, start=50)[0], "intake", version=1)
        db.session.commit()
        return first.id, second.id


def test_item_figures_are_the_engines_on_the_keyed_answers(app, world):
    first, _second = world
    with app.app_context():
        q = questionnaires.get(make.INSTRUMENT, 1)
        report = item_analysis.build(q, "nl", [first], minimum=MIN)
    assert report.responses == 5 and report.per_moment == {"intake": 5}
    block = next(b for b in report.scales if b.scale_id == "tijdmanagement.waan_van_de_dag")
    keyed = np.array(
        [[6 - a, b, c] for a, b, c in zip(*ANSWERS.values(), strict=True) if c is not None],
        dtype=float,
    )
    one, two, three = (row.figures for row in block.items)
    assert [r.figures.item_id for r in block.items] == WAAN and block.items[0].reverse
    # the fifth person skipped tm_waan_3: missing there, left out of alpha and item-rest
    assert three.missing == pytest.approx(0.2) and three.n == 4 and block.alpha.n == 4
    assert one.mean == pytest.approx(np.mean([6 - v for v in ANSWERS["tm_waan_1"]]))
    assert two.item_rest == pytest.approx(np.corrcoef(keyed[:, 1], keyed[:, 0] + keyed[:, 2])[0, 1])
    k = 2
    rest = keyed[:, [0, 2]]
    alpha = k / (k - 1) * (1 - rest.var(axis=0, ddof=1).sum() / rest.sum(axis=1).var(ddof=1))
    assert two.alpha_if_deleted == pytest.approx(alpha)
    assert one.floor == pytest.approx(0.2) and one.ceiling == pytest.approx(0.2)  # keyed 1 and 5
    assert block.alpha.ci_low < block.alpha.alpha < block.alpha.ci_high


def test_scenario_choices_against_the_key(app, world):
    first, _second = world
    with app.app_context():
        report = item_analysis.build(
            questionnaires.get(make.INSTRUMENT, 1), "nl", [first], minimum=MIN
        )
    scenario = next(s for s in report.scenarios if s.item_id == "sjt_vuilniszakken")
    counts = {o.share.value: o.share.count for o in scenario.options}
    assert counts == {"a": 1, "b": 1, "c": 3, "d": 0} and scenario.n == 5
    assert scenario.keyed == pytest.approx(0.6)  # c is the key
    assert [o.share.best for o in scenario.options] == [False, False, True, False]


def test_all_cohorts_by_default_and_a_moment_narrows(app, world):
    with app.app_context():
        q = questionnaires.get(make.INSTRUMENT, 1)
        everyone = item_analysis.build(q, "nl", minimum=MIN)
        exits = item_analysis.build(q, "nl", moment="exit", minimum=MIN)
    assert everyone.responses == 6 and exits.responses == 0
    assert all(not isinstance(b.alpha.alpha, float) for b in exits.scales)
    # the correlations rest on the stored scale scores of the responses that have both
    assert {(c.a, c.b) for c in everyone.correlations} == {
        ("tijdmanagement", "nee_zeggen"),
        ("tijdmanagement", "netwerkaanpak"),
        ("nee_zeggen", "netwerkaanpak"),
    }


def test_the_text_table_uses_dutch_numbers(app, world):
    with app.app_context():
        report = item_analysis.build(
            questionnaires.get(make.INSTRUMENT, 1), "nl", [world[0]], minimum=MIN
        )
    text = item_analysis.as_text(report)
    assert "tijdmanagement.waan_van_de_dag" in text and "tm_waan_2" in text
    assert "95%-interval" in text and "sjt_vuilniszakken" in text
    assert "," in text.split("tijdmanagement.waan_van_de_dag")[1].splitlines()[0]


@pytest.fixture
def measured_twice(app):
    """Twelve people who filled intake and exit of the current version (simulated answers)."""
    with app.app_context():
        cohort_id = make.filled_cohort(make.staff("trainer", "it@example.nl").id, n=12).id
        db.session.commit()
        return cohort_id


def test_one_moment_by_default_so_each_person_counts_once(app, measured_twice):
    with app.app_context():
        q = questionnaires.get(make.INSTRUMENT)
        report = item_analysis.build(q, "nl", [measured_twice], minimum=MIN)
    assert report.moment == "intake" and not report.pooled and report.warning is None
    assert report.responses == report.people == 12 and report.per_moment == {"intake": 12}
    # Feldt's n is a number of people, never more than there are
    assert all(b.alpha.n <= 12 for b in report.scales + report.scenario_scales)
    assert "elke persoon telt één keer" in item_analysis.as_text(report)


def test_pooling_moments_is_asked_for_and_warned_about(app, measured_twice):
    with app.app_context():
        q = questionnaires.get(make.INSTRUMENT)
        pooled = item_analysis.build(q, "nl", [measured_twice], pooled=True, minimum=MIN)
        with pytest.raises(ValueError):
            item_analysis.build(q, "nl", moment="exit", pooled=True, minimum=MIN)
    assert pooled.pooled and pooled.responses == 24 and pooled.people == 12
    assert pooled.per_moment == {"intake": 12, "exit": 12}
    main = next(b for b in pooled.scales if b.scale_id == "tijdmanagement")
    assert main.alpha.n == 24  # the rows are measurements, not people: hence the warning
    assert pooled.warning is not None
    assert pooled.warning.params == {"responses": 24, "people": 12}
    text = item_analysis.as_text(pooled)
    assert "LET OP: Alle meetmomenten samen: 24 metingen van 12 mensen" in text
    about = dict((row[0], row[1]) for row in item_analysis.about_sheet(pooled))
    assert about["meetmoment"] == "alle meetmomenten samen" and about["mensen"] == 12
    assert "telt meer dan eens mee" in str(about["waarschuwing"])


def test_scenario_reliability_is_alpha_over_the_chosen_effectiveness(app, measured_twice):
    with app.app_context():
        q = questionnaires.get(make.INSTRUMENT)
        report = item_analysis.build(q, "nl", [measured_twice], minimum=MIN)
        ids = list(db.session.scalars(item_analysis.selected(q, [measured_twice], "intake")))
        sjt = [i for s in q.scales for i in s.sjt]
        rows = []
        for rid in ids:
            chosen = {a.item_id: a.text for a in db.session.get(Response, rid).answers}
            rows.append([q.items_by_id[i].option(chosen[i]).effectiveness for i in sjt])
    everything = report.scenario_scales[0]
    assert everything.scale_id == "sjt" and not everything.is_sub
    assert everything.alpha.k == len(sjt) and everything.alpha.n == 12
    m = np.array(rows, dtype=float)
    k = m.shape[1]
    expected = k / (k - 1) * (1 - m.var(axis=0, ddof=1).sum() / m.sum(axis=1).var(ddof=1))
    assert everything.alpha.alpha == pytest.approx(expected)
    per_scale = {b.scale_id for b in report.scenario_scales[1:]}
    assert per_scale == {f"sjt.{s.id}" for s in q.scales if len(s.sjt) >= 2}
    assert any(row[0] == "sjt" for row in item_analysis.scale_sheet(report))


def _figures(item_rest: float) -> stats.ItemFigures:
    return stats.ItemFigures("nz_x", 40, 40, 0.0, 3.1, 0.9, 0.05, 0.1, item_rest, 0.8)


@pytest.mark.parametrize(
    ("item_rest", "hint"), [(-0.04, True), (-0.006, True), (-0.004, False), (0.12, False)]
)
def test_an_item_running_against_its_scale_gets_a_check_the_key_hint(item_rest, hint):
    # -0,004 shows as 0,00 (no minus): no hint the reader could not see the reason for
    assert item_analysis.ItemRow(_figures(item_rest), "tekst", False).check_key is hint


@pytest.mark.parametrize(("alpha", "word"), [(0.6995, "acceptable"), (0.6949, "questionable")])
def test_the_alpha_label_goes_with_the_shown_value(alpha, word):
    # 0.6995 shows as "0,70", and "acceptabel vanaf 0,70" is the rule the page states
    a = stats.alpha_with_interval(alpha, 140, 8)
    block = item_analysis.ScaleBlock("tijdmanagement", "Tijdmanagement", False, a, [])
    assert block.explanation.key == f"explain.alpha.{word}"  # type: ignore[attr-defined]


def test_the_cohort_alpha_table_flags_and_words_on_the_shown_value():
    shown_as_070 = AlphaRow(
        "tm", "Tijdmanagement", "intake", stats.alpha_with_interval(0.6995, 30, 8)
    )
    assert shown_as_070.verdict == "acceptable" and not shown_as_070.flagged
    below = AlphaRow("tm", "Tijdmanagement", "intake", stats.alpha_with_interval(0.6949, 30, 8))
    assert below.verdict == "questionable" and below.flagged


def test_a_cohort_with_one_respondent_shows_no_figures_at_all(app, world):
    _first, second = world
    with app.app_context():
        report = item_analysis.build(
            questionnaires.get(make.INSTRUMENT, 1), "nl", [second], minimum=MIN
        )
    assert report.responses == 1 and report.people == 1 and not report.shown
    assert report.scales == [] and report.scenarios == [] and report.correlations == []
    text = item_analysis.as_text(report)
    assert "geen cijfers onder de minimale groep van 5" in text and "tm_waan" not in text


def test_the_minimum_counts_people_not_responses(app, trainer):
    """Three people with an intake and an exit, pooled: six responses, still three people."""
    with app.app_context():
        cohort = make.cohort(trainer, name="Drie")
        for person in make.participants(cohort, 3, start=70):
            make.fill(person, "intake", version=1)
            make.fill(person, "exit", version=1)
        db.session.commit()
        q = questionnaires.get(make.INSTRUMENT, 1)
        small = item_analysis.build(q, "nl", [cohort.id], pooled=True, minimum=MIN)
        enough = item_analysis.build(q, "nl", [cohort.id], pooled=True, minimum=3)
    assert small.responses == 6 and small.people == 3 and not small.shown
    assert small.scales == [] and small.scenarios == []
    assert enough.shown and enough.scales and enough.scenarios
