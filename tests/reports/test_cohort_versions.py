"""The cohort report reads every response with the questionnaire version it was scored with.

Version 2 of the instrument (installed next to version 1) turns a reverse-keyed item around,
adds an item to its sub-scale, re-keys a scenario and rewords a time-allocation question.
Answers given in version 1 must keep version 1's keying, key and words in the trainer's report.
"""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from assess.db import db
from assess.engine.stats import cronbach_alpha
from assess.models import Cohort
from assess.reports import cohort as cohort_report
from assess.survey import questionnaires, responses
from tests import factories as make

# version 1 as shipped: these tests name its items
SOURCE = Path(__file__).resolve().parents[2] / "questionnaires" / f"{make.INSTRUMENT}.v1.yaml"
PLANNING = "tijdmanagement.planning"
SCENARIO = "sjt_vuilniszakken"
NEW_LABEL = "Nieuwe tekst: je vraagt de huismeester en belt de bewoners terug."
NEW_TIME_TEXT = "Reageren op klachten en meldingen (nieuwe vraag)."


def _item(data: dict[str, Any], item_id: str) -> dict[str, Any]:
    return next(i for s in data["sections"] for i in s["items"] if i["id"] == item_id)


def two_versions(folder: Path) -> Path:
    """The instrument as version 1 and a version 2 that changes what the report reads."""
    folder.mkdir()
    v1 = yaml.safe_load(SOURCE.read_text())
    v2 = copy.deepcopy(v1)
    v2["version"] = v1["version"] + 1
    _item(v2, "tm_plan_3")["reverse"] = False
    new = copy.deepcopy(_item(v2, "tm_plan_1"))
    new["id"] = "tm_plan_5"
    section = next(s for s in v2["sections"] if s["id"] == "tijdmanagement")
    section["items"].append(new)
    scale = next(s for s in v2["scales"] if s["id"] == "tijdmanagement")
    next(sub for sub in scale["subscales"] if sub["id"] == "planning")["items"].append("tm_plan_5")
    options = {o["value"]: o for o in _item(v2, SCENARIO)["options"]}
    options["a"]["effectiveness"], options["c"]["effectiveness"] = 4, 2
    options["c"]["label"]["nl"] = NEW_LABEL
    _item(v2, "tijd_klachten")["text"]["nl"] = NEW_TIME_TEXT
    for data in (v1, v2):
        path = folder / f"{data['id']}-v{data['version']}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return folder


@pytest.fixture
def app_config(app_config: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    app_config["QUESTIONNAIRE_DIR"] = str(two_versions(tmp_path / "questionnaires"))
    return app_config


@pytest.fixture
def trainer(make_user: Any) -> int:
    return int(make_user("trainer", "trainer@example.nl"))


def fill(cohort: Cohort, versions: dict[str, list[int]]) -> None:
    """One participant per entry of the lists: their intake and exit in the given versions."""
    n = len(versions["intake"])
    for k, person in enumerate(make.participants(cohort, n)):
        for moment in ("intake", "exit"):
            rng = random.Random(k)
            level = rng.uniform(0.2, 0.8)
            make.fill(person, moment, rng=rng, level=level, growth=0.1, version=versions[moment][k])
    db.session.commit()


def keyed_matrix(cohort: Cohort, moment: str, items: list[str]) -> list[list[float | None]]:
    """The answers to `items`, reverse-keyed by hand as each response's own version says."""
    rows = []
    for person in cohort.participants:
        response = next(r for r in person.responses if r.moment == moment)
        q = questionnaires.get(response.questionnaire_id, response.questionnaire_version)
        assert q is not None
        given = responses.answers_of(response)
        row: list[float | None] = []
        for item_id in items:
            item = q.items_by_id[item_id]
            value = given.get(item_id)
            assert value is None or isinstance(value, int | float)
            reverse = getattr(item, "reverse", False)
            row.append(None if value is None else (6 - value if reverse else float(value)))
        rows.append(row)
    return rows


def test_answers_given_in_an_older_version_keep_its_keying_key_and_words(app, trainer):
    with app.test_request_context(method="POST"):  # the test writes its data, as a POST would
        cohort = make.cohort(trainer)
        fill(cohort, {"intake": [1] * 8, "exit": [1] * 8})
        report = cohort_report.build(cohort, questionnaires.registry(), "nl")

        assert report.questionnaire.version == 1
        planning = next(a for a in report.alphas if (a.scale_id, a.moment) == (PLANNING, "intake"))
        items = ["tm_plan_1", "tm_plan_2", "tm_plan_3", "tm_plan_4"]
        expected = cronbach_alpha(keyed_matrix(cohort, "intake", items))
        assert (planning.alpha.k, planning.alpha.n) == (4, 8)
        assert planning.alpha.alpha == pytest.approx(expected.alpha)

        scenario = next(s for s in report.sjt if s["id"] == SCENARIO)
        best = [o["value"] for o in scenario["options"] if o["best"]]
        assert best == ["c"]
        assert NEW_LABEL not in [o["label"] for o in scenario["options"]]
        assert scenario["totals"] == {"intake": 8, "exit": 8}
        assert NEW_TIME_TEXT not in [t["label"] for t in report.time]


def test_figures_over_two_versions_use_what_the_versions_share(app, trainer):
    with app.test_request_context(method="POST"):  # the test writes its data, as a POST would
        cohort = make.cohort(trainer)
        fill(cohort, {"intake": [1, 2] * 4, "exit": [2] * 8})
        report = cohort_report.build(cohort, questionnaires.registry(), "nl")

        assert report.questionnaire.version == 2
        # Alpha at intake rests on the four items both versions have, over all eight people,
        # each answer keyed as its own version says (tm_plan_3 is reversed in version 1 only).
        planning = next(a for a in report.alphas if (a.scale_id, a.moment) == (PLANNING, "intake"))
        items = ["tm_plan_1", "tm_plan_2", "tm_plan_3", "tm_plan_4"]
        expected = cronbach_alpha(keyed_matrix(cohort, "intake", items))
        assert (planning.alpha.k, planning.alpha.n) == (4, 8)
        assert planning.alpha.alpha == pytest.approx(expected.alpha)
        # At exit everyone answered version 2: its five items.
        at_exit = next(a for a in report.alphas if (a.scale_id, a.moment) == (PLANNING, "exit"))
        assert (at_exit.alpha.k, at_exit.alpha.n) == (5, 8)

        # The scenario was re-keyed: each definition is shown with the answers given to it.
        shown = {s["id"]: s for s in report.sjt if s["id"].startswith(SCENARIO)}
        assert set(shown) == {f"{SCENARIO}-v1", f"{SCENARIO}-v2"}
        assert shown[f"{SCENARIO}-v1"]["totals"] == {"intake": 4, "exit": 0}
        assert shown[f"{SCENARIO}-v2"]["totals"] == {"intake": 4, "exit": 8}
        assert [o["value"] for o in shown[f"{SCENARIO}-v2"]["options"] if o["best"]] == ["a"]
        # Unchanged scenarios combine the answers of both versions.
        other = next(s for s in report.sjt if s["id"] == "sjt_volle_inbox")
        assert other["totals"] == {"intake": 8, "exit": 8}


def test_change_over_two_versions_rests_on_the_shared_items_and_says_so(app, trainer):
    """Intake in version 1 for half the group, exit in version 2 for all: every intake and exit
    score of the change figures is computed again on the items both versions define identically
    (here all but tm_plan_3, whose keying changed, and the new tm_plan_5), and the page says so."""
    with app.test_request_context(method="POST"):
        cohort = make.cohort(trainer)
        fill(cohort, {"intake": [1, 2] * 4, "exit": [2] * 8})
        report = cohort_report.build(cohort, questionnaires.registry(), "nl")
        assert report.version_note is not None
        assert "verschillende versies van de vragenlijst (versie 1 en 2)" in report.version_note
        assert "precies hetzelfde zijn: 33 van de 35" in report.version_note

        planning = next(s for s in report.scales if s.scale_id == PLANNING)
        shared = ["tm_plan_1", "tm_plan_2", "tm_plan_4"]
        by_hand = sorted(
            (sum(row) / len(row) - 1) / 4 * 100 for row in keyed_matrix(cohort, "intake", shared)
        )
        assert sorted(planning.intake) == pytest.approx(by_hand)
        assert len(planning.slope) == 8  # everyone paired, on the shared items


def test_one_version_gets_no_version_note(app, trainer):
    with app.test_request_context(method="POST"):
        cohort = make.cohort(trainer)
        fill(cohort, {"intake": [2] * 3, "exit": [2] * 3})
        assert cohort_report.build(cohort, questionnaires.registry(), "nl").version_note is None
