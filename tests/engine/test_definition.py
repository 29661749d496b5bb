"""Questionnaire definitions: the models, their look-ups and the checks that reject broken files."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assess.engine import (
    DefinitionError,
    LikertItem,
    Questionnaire,
    json_schema,
    load_questionnaire,
    parse_questionnaire,
    text,
)
from assess.engine.definition import ITEM_TYPES
from tests.engine.conftest import Mutator, delete_at, set_at, write_yaml


def _items(d: dict[str, Any], section: int = 1) -> list[dict[str, Any]]:
    return d["sections"][section]["items"]


def _scale(d: dict[str, Any]) -> dict[str, Any]:
    return d["scales"][0]


# --------------------------------------------------------------------------- valid files


def test_sample_loads_with_lookups(load: Callable[..., Questionnaire], data: dict) -> None:
    q = load(data)
    assert q.id == "demo" and q.version == 1
    assert q.scale_ids() == ["tm", "tm.plan", "tm.grens"]
    assert q.items_of("tm") == ["a1", "a2", "a3", "a4", "a5"]
    assert q.items_of("tm.grens") == ["a4", "a5"]
    assert [s.id for s in q.sections_for("exit")] == ["tm", "toen"]
    assert q.item_ids_for("intake")[:3] == ["functie", "a1", "a2"]
    assert "a1_toen" in q.item_ids_for("exit") and "a1_toen" not in q.item_ids_for("intake")
    assert q.points_for("a1").values == [1, 2, 3, 4, 5]
    assert q.scale_points("tm.plan") == (1, 5)
    assert q.retrospective_items["a2"].id == "a2_toen"
    assert q.sjt_scale_of("sj2") == "tm"
    assert isinstance(q.items_by_id["a2"], LikertItem) and q.items_by_id["a2"].reverse


def test_retrospective_item_shows_original_text(sample: Questionnaire) -> None:
    assert sample.item_text(sample.items_by_id["a1_toen"]) == "Stelling a1"


def test_text_falls_back_to_dutch(sample: Questionnaire) -> None:
    assert sample.text(sample.title, "en") == "Demo scan"
    assert sample.text(sample.intro, "en") == "Welkom."
    assert text({"nl": "Hallo"}, "de") == "Hallo"
    assert text(None) == ""


def test_unknown_moment_is_a_key_error(sample: Questionnaire) -> None:
    with pytest.raises(KeyError, match="policy"):
        sample.item_ids_for("policy")


def test_band_lookup_edges(sample: Questionnaire) -> None:
    scale = sample.scales_by_id["tm"]
    assert scale.band_for(0).id == "laag"
    assert scale.band_for(39.99).id == "laag"
    assert scale.band_for(40).id == "gemiddeld"
    assert scale.band_for(100).id == "hoog"


def test_bands_may_be_listed_in_any_order(data: dict) -> None:
    _scale(data)["bands"].reverse()
    q = parse_questionnaire(data)
    assert q.scales[0].band_for(100).id == "hoog"


def test_scale_without_points_takes_its_items_range(data: dict) -> None:
    del _scale(data)["points"]
    _items(data)[1]["reverse"] = False
    q = parse_questionnaire(data)
    assert q.scale_points("tm") == (1, 5)


def test_models_are_frozen(sample: Questionnaire) -> None:
    with pytest.raises(ValueError):
        sample.version = 2  # type: ignore[misc]


def test_json_schema_describes_the_format() -> None:
    schema = json_schema()
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"id", "version", "sections", "scales", "moments"} <= set(schema["properties"])
    dumped = json.dumps(schema)
    for kind in ITEM_TYPES:
        assert f'"{kind}"' in dumped
    assert '"from"' in dumped and '"from_"' not in dumped


# --------------------------------------------------------------------------- broken files


def _second_scale(items: list[str], sjt: list[str] | None = None) -> Mutator:
    def mutate(d: dict[str, Any]) -> None:
        d["scales"].append(
            {
                "id": "nee",
                "title": {"nl": "Nee zeggen"},
                "points": [1, 5],
                "sjt": sjt or [],
                "subscales": (
                    [{"id": "grenzen", "title": {"nl": "Grenzen"}, "items": items}] if items else []
                ),
            }
        )

    return mutate


def _add_point_set_7(d: dict[str, Any]) -> None:
    d["point_sets"]["eens7"] = [{"value": n, "label": {"nl": str(n)}} for n in range(1, 8)]
    _items(d)[0]["points"] = "eens7"


def _retro_reverse_differs(d: dict[str, Any]) -> None:
    d["sections"][2]["items"][1]["reverse"] = False


BROKEN: list[tuple[str, Mutator, str, str]] = [
    # (case id, mutation, expected path, expected message fragment)
    (
        "unknown item in scale",
        lambda d: _scale(d)["subscales"][0]["items"].append("a9"),
        "scales.tm.subscales.plan.items[3]",
        "unknown item 'a9'",
    ),
    (
        "duplicate item id",
        set_at("sections.1.items.1.id", "a1"),
        "sections[1].items[1].id",
        "duplicate item id 'a1' (first at sections[1].items[0])",
    ),
    (
        "duplicate section id",
        set_at("sections.3.id", "toen"),
        "sections[3].id",
        "duplicate section id 'toen'",
    ),
    (
        "duplicate scale id",
        lambda d: d["scales"].append(dict(_scale(d), subscales=[], sjt=[])),
        "scales.tm.id",
        "duplicate scale id 'tm'",
    ),
    (
        "duplicate option",
        set_at("sections.1.items.5.options.2.value", "a"),
        "sections[1].items[5].options[2].value",
        "duplicate option 'a'",
    ),
    (
        "duplicate sub-scale id",
        set_at("scales.0.subscales.1.id", "plan"),
        "scales.tm.subscales.plan.id",
        "duplicate sub-scale id 'plan'",
    ),
    (
        "reverse item on scale without points",
        delete_at("scales.0.points"),
        "scales.tm.subscales.plan.items[1]",
        "'a2' is reverse-keyed, so scale 'tm' needs points: [min, max]",
    ),
    (
        "point set range differs from scale points",
        _add_point_set_7,
        "scales.tm.subscales.plan.items[0]",
        "'a1' uses point set 'eens7' (1-7) but the scale's points are [1, 5]",
    ),
    (
        "bands overlap",
        set_at("scales.0.bands.1.from", 30),
        "scales.tm.bands.gemiddeld",
        "band 'gemiddeld' (30-70) overlaps band 'laag' (0-40)",
    ),
    (
        "bands leave a gap",
        set_at("scales.0.bands.1.from", 45),
        "scales.tm.bands.gemiddeld",
        "gap: no band covers 40-45",
    ),
    (
        "bands do not reach 100",
        set_at("scales.0.bands.2.to", 90),
        "scales.tm.bands",
        "gap: no band covers 90-100",
    ),
    (
        "bands do not start at 0",
        set_at("scales.0.bands.0.from", 10),
        "scales.tm.bands",
        "gap: no band covers 0-10",
    ),
    (
        "band out of range",
        set_at("scales.0.bands.2.to", 120),
        "scales.tm.bands.hoog.to",
        "less than or equal to 100",
    ),
    (
        "moment shows unknown section",
        set_at("moments.exit.sections", ["tm", "toen_"]),
        "moments.exit.sections[1]",
        "unknown section 'toen_'; did you mean 'toen'?",
    ),
    (
        "retrospective_of unknown item",
        set_at("sections.2.items.0.retrospective_of", "a7"),
        "sections[2].items[0].retrospective_of",
        "unknown item 'a7'",
    ),
    (
        "retrospective_of names a non-Likert item",
        set_at("sections.2.items.0.retrospective_of", "t_klacht"),
        "sections[2].items[0].retrospective_of",
        "'t_klacht' is a numeric item; retrospective_of needs a Likert item",
    ),
    (
        "retrospective item outside a retrospective section",
        set_at("sections.2.retrospective", False),
        "sections[2].items[0].retrospective_of",
        "belongs in a section with retrospective: true",
    ),
    (
        "retrospective item with a different reverse keying",
        _retro_reverse_differs,
        "sections[2].items[1].reverse",
        "reverse is taken from the original item 'a2' (True); leave it out",
    ),
    (
        "Likert item in a retrospective section without retrospective_of",
        delete_at("sections.2.items.0.retrospective_of"),
        "sections[2].items[0]",
        "needs retrospective_of",
    ),
    (
        "recall unknown item",
        set_at("sections.3.items.0.recall", "reflektie"),
        "sections[3].items[0].recall",
        "unknown item 'reflektie'",
    ),
    (
        "recall names a non-text item",
        set_at("sections.3.items.0.recall", "a1"),
        "sections[3].items[0].recall",
        "'a1' is a likert item; recall needs a text item",
    ),
    (
        "item mirrors without a mirrored questionnaire",
        set_at("sections.1.items.0.mirrors", "a1"),
        "sections[1].items[0].mirrors",
        "only a questionnaire with a top-level 'mirrors'",
    ),
    (
        "sjt names a non-SJT item",
        set_at("scales.0.sjt", ["sj1", "t_klacht"]),
        "scales.tm.sjt[1]",
        "'t_klacht' is a numeric item; sjt lists SJT items",
    ),
    (
        "sjt names an unknown item",
        set_at("scales.0.sjt", ["sj1", "sj3"]),
        "scales.tm.sjt[1]",
        "unknown item 'sj3'",
    ),
    (
        "SJT item in a sub-scale",
        set_at("scales.0.subscales.1.items", ["a4", "sj1"]),
        "scales.tm.subscales.grens.items[1]",
        "'sj1' is a sjt item; only Likert items are scored in a sub-scale",
    ),
    (
        "retrospective item in a sub-scale",
        set_at("scales.0.subscales.1.items", ["a4", "a5", "a1_toen"]),
        "scales.tm.subscales.grens.items[2]",
        "'a1_toen' is retrospective; list the original 'a1'",
    ),
    (
        "time_allocation names a Likert item",
        set_at("time_allocation", ["t_klacht", "a1"]),
        "time_allocation[1]",
        "'a1' is a likert item; time_allocation needs numeric items",
    ),
    (
        "time_allocation names an unknown item",
        set_at("time_allocation", ["t_klacht", "t_netwerk"]),
        "time_allocation[1]",
        "unknown item 't_netwerk'",
    ),
    (
        "unknown point set",
        set_at("sections.1.items.0.points", "eens6"),
        "sections[1].items[0].points",
        "unknown point set 'eens6'; did you mean 'eens5'?",
    ),
    (
        "item in two scales",
        _second_scale(["a4"]),
        "scales.nee.subscales.grenzen.items[0]",
        "'a4' is already scored in scales.tm.subscales.grens.items[0]",
    ),
    (
        "scenario in two scales",
        _second_scale([], sjt=["sj1"]),
        "scales.nee.sjt[0]",
        "'sj1' is already scored in scales.tm.sjt[0]",
    ),
    (
        "SJT effectiveness out of range",
        set_at("sections.1.items.5.options.1.effectiveness", 5),
        "sections[1].items[5].options[1].effectiveness",
        "effectiveness 5 is outside sjt_effectiveness [1, 4]",
    ),
    (
        "SJT without sjt_effectiveness",
        delete_at("sjt_effectiveness"),
        "sections[1].items[5]",
        "needs the top-level sjt_effectiveness",
    ),
    (
        "duplicate point value",
        set_at("point_sets.vaak5.4.value", 4),
        "point_sets.vaak5[4].value",
        "duplicate value 4",
    ),
    # schema errors
    (
        "unknown field with suggestion",
        set_at("sections.1.items.1.revers", True),
        "sections[1].items[1].revers",
        "unknown field 'revers'; did you mean 'reverse'?",
    ),
    (
        "unknown top-level field",
        set_at("moment", {}),
        "moment",
        "unknown field 'moment'; did you mean 'moments'?",
    ),
    (
        "missing required field",
        delete_at("sections.1.items.7.text"),
        "sections[1].items[7].text",
        "missing required field 'text'",
    ),
    (
        "unknown item type",
        set_at("sections.1.items.0.type", "likret"),
        "sections[1].items[0]",
        "unknown item type 'likret'; use one of likert, choice, numeric, sjt, text",
    ),
    (
        "missing item type",
        delete_at("sections.1.items.0.type"),
        "sections[1].items[0]",
        "missing field 'type'",
    ),
    (
        "text without Dutch",
        set_at("title", {"en": "Demo"}),
        "title",
        "a text needs a Dutch version: add an 'nl' key",
    ),
    (
        "unknown language",
        set_at("title", {"nl": "Demo", "de": "Demo"}),
        "title.de",
        "unknown language 'de'; use nl or en",
    ),
    (
        "YAML boolean where a string is expected",
        set_at("sections.0.items.0.options.1.value", False),
        "sections[0].items[0].options[1].value",
        "YAML read False as a bool; put it in quotes",
    ),
    (
        "string where a number is expected",
        set_at("sections.1.items.7.max", "100"),
        "sections[1].items[7].max",
        "Input should be a valid number, got '100'",
    ),
    (
        "numeric min not below max",
        set_at("sections.1.items.7.min", 100),
        "sections[1].items[7]",
        "min (100) must be below max (100)",
    ),
    (
        "invalid item id",
        set_at("sections.1.items.0.id", "A-1"),
        "sections[1].items[0].id",
        "'A-1' is not a valid id: use only lower-case letters, digits and _",
    ),
    (
        "invalid questionnaire id",
        set_at("id", "Demo"),
        "id",
        "'Demo' is not a valid id: use only lower-case letters, digits and -",
    ),
    (
        "share above 1",
        set_at("min_answered_share", 80),
        "min_answered_share",
        "less than or equal to 1",
    ),
    (
        "scale points reversed",
        set_at("scales.0.points", [5, 1]),
        "scales.tm.points",
        "points must be [min, max] with min < max",
    ),
    (
        "point set with one point",
        set_at("point_sets.vaak5", [{"value": 1, "label": {"nl": "Nooit"}}]),
        "point_sets.vaak5",
        "at least 2 items",
    ),
    (
        "audience unknown",
        set_at("audience", "managers"),
        "audience",
        "'participant', 'manager' or 'rater'",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "path", "message"),
    [pytest.param(m, p, msg, id=case) for case, m, p, msg in BROKEN],
)
def test_broken_definition_names_file_path_and_problem(
    tmp_path: Path, data: dict, mutate: Mutator, path: str, message: str
) -> None:
    mutate(data)
    file = write_yaml(tmp_path / "broken.yaml", data)
    with pytest.raises(DefinitionError) as caught:
        load_questionnaire(file)
    error = caught.value
    assert error.file == str(file)
    matching = [p for p in error.problems if p.path == path and message in p.message]
    assert matching, f"no problem at {path!r} with {message!r} in:\n{error}"
    assert f"{file}: {path}: " in str(error)
    assert matching[0].line is not None  # every problem points at a line in the file


def test_every_problem_is_one_line(tmp_path: Path, data: dict) -> None:
    set_at("sections.1.items.0.points", "eens6")(data)
    set_at("moments.exit.sections", ["tm", "weg"])(data)
    _scale(data)["subscales"][0]["items"].append("a9")
    file = write_yaml(tmp_path / "q.yaml", data)
    with pytest.raises(DefinitionError) as caught:
        load_questionnaire(file)
    lines = str(caught.value).splitlines()
    assert len(lines) == len(caught.value.problems) == 3
    assert all(line.startswith(f"{file}: ") for line in lines)


def test_model_validate_runs_the_cross_checks(data: dict) -> None:
    set_at("time_allocation", ["a1"])(data)
    with pytest.raises(DefinitionError, match=r"<data>: time_allocation\[0\]: 'a1' is a likert"):
        Questionnaire.model_validate(data)
