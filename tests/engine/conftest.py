"""Small questionnaire definitions for the engine tests (no Flask app needed)."""

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from assess.engine import Questionnaire, load_questionnaire, parse_questionnaire

REPO = Path(__file__).resolve().parents[2]
QUESTIONNAIRES = REPO / "questionnaires"


def _likert(item_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": item_id,
        "type": "likert",
        "text": {"nl": f"Stelling {item_id}"},
        "points": "eens5",
        **extra,
    }


def _points(labels: list[str]) -> list[dict[str, Any]]:
    return [{"value": n, "label": {"nl": label}} for n, label in enumerate(labels, start=1)]


SAMPLE: dict[str, Any] = {
    "id": "demo",
    "version": 1,
    "title": {"nl": "Demo-scan", "en": "Demo scan"},
    "intro": {"nl": "Welkom."},
    "minutes": 10,
    "min_answered_share": 0.8,
    "point_sets": {
        "eens5": _points(["Helemaal oneens", "Oneens", "Neutraal", "Eens", "Helemaal eens"]),
        "vaak5": _points(["Nooit", "Zelden", "Soms", "Vaak", "Altijd"]),
    },
    "sjt_effectiveness": [1, 4],
    "sections": [
        {
            "id": "over_jou",
            "title": {"nl": "Over jou"},
            "items": [
                {
                    "id": "functie",
                    "type": "choice",
                    "text": {"nl": "Je functie"},
                    "required": False,
                    "options": [
                        {"value": "consulent", "label": {"nl": "Woonconsulent"}},
                        {"value": "anders", "label": {"nl": "Anders"}},
                    ],
                },
            ],
        },
        {
            "id": "tm",
            "title": {"nl": "Tijdmanagement"},
            "items": [
                _likert("a1"),
                _likert("a2", reverse=True),
                _likert("a3", weight=2.0),
                _likert("a4"),
                _likert("a5", required=False),
                {
                    "id": "sj1",
                    "type": "sjt",
                    "case": {"nl": "Vuilniszakken bij de flat."},
                    "text": {"nl": "Wat doe je?"},
                    "options": [
                        {"value": "a", "label": {"nl": "Zelf opruimen"}, "effectiveness": 1},
                        {"value": "b", "label": {"nl": "Bewoners aanspreken"}, "effectiveness": 4},
                        {"value": "c", "label": {"nl": "Brief sturen"}, "effectiveness": 2},
                    ],
                    "explanation": {"nl": "Experts kiezen b."},
                },
                {
                    "id": "sj2",
                    "type": "sjt",
                    "case": {"nl": "De vijfde keer bellen."},
                    "text": {"nl": "Wat doe je?"},
                    "options": [
                        {"value": "a", "label": {"nl": "Direct langsgaan"}, "effectiveness": 2},
                        {"value": "b", "label": {"nl": "Afspraak maken"}, "effectiveness": 4},
                        {"value": "c", "label": {"nl": "Doorverwijzen"}, "effectiveness": 4},
                    ],
                },
                {
                    "id": "t_klacht",
                    "type": "numeric",
                    "text": {"nl": "% klachten"},
                    "min": 0,
                    "max": 100,
                    "step": 5,
                    "unit": {"nl": "%"},
                },
                {
                    "id": "t_plan",
                    "type": "numeric",
                    "text": {"nl": "% gepland werk"},
                    "min": 0,
                    "max": 100,
                    "step": 5,
                    "unit": {"nl": "%"},
                },
                {
                    "id": "uren",
                    "type": "numeric",
                    "text": {"nl": "Uren per week"},
                    "min": 0,
                    "max": 40,
                    "required": False,
                },
                {
                    "id": "reflectie",
                    "type": "text",
                    "text": {"nl": "Wat neem je mee?"},
                    "max_length": 200,
                    "required": False,
                },
            ],
        },
        {
            "id": "toen",
            "title": {"nl": "Zoals je was vóór de leergang"},
            "retrospective": True,
            "items": [
                {
                    "id": f"a{n}_toen",
                    "type": "likert",
                    "retrospective_of": f"a{n}",
                    "points": "eens5",
                }
                for n in range(1, 6)
            ],
        },
        {
            "id": "terug",
            "title": {"nl": "Terugblik"},
            "items": [
                {
                    "id": "terugblik",
                    "type": "text",
                    "text": {"nl": "Hoe ging het?"},
                    "recall": "reflectie",
                },
            ],
        },
    ],
    "scales": [
        {
            "id": "tm",
            "title": {"nl": "Tijdmanagement"},
            "points": [1, 5],
            "sjt": ["sj1", "sj2"],
            "bands": [
                {
                    "id": "laag",
                    "from": 0,
                    "to": 40,
                    "label": {"nl": "laag"},
                    "feedback": {"nl": "Daar valt winst te halen."},
                    "tips": [{"nl": "Plan elke ochtend."}],
                },
                {"id": "gemiddeld", "from": 40, "to": 70, "label": {"nl": "gemiddeld"}},
                {"id": "hoog", "from": 70, "to": 100, "label": {"nl": "hoog"}},
            ],
            "subscales": [
                {"id": "plan", "title": {"nl": "Planning"}, "items": ["a1", "a2", "a3"]},
                {"id": "grens", "title": {"nl": "Grenzen"}, "items": ["a4", "a5"]},
            ],
        }
    ],
    "time_allocation": ["t_klacht", "t_plan"],
    "moments": {
        "intake": {"title": {"nl": "Voormeting"}, "sections": ["over_jou", "tm"]},
        "exit": {"title": {"nl": "Nameting"}, "sections": ["tm", "toen"]},
        "followup": {"title": {"nl": "Follow-up"}, "sections": ["tm", "terug"]},
    },
}


def sample_data() -> dict[str, Any]:
    """A fresh, mutable copy of the sample definition."""
    return copy.deepcopy(SAMPLE)


Mutator = Callable[[dict[str, Any]], None]
"""An edit of a definition dict, to break it in one place."""


def _parent(d: dict[str, Any], path: str) -> tuple[Any, str | int]:
    """The container holding the last step of a dotted path, and that step (ints index lists)."""
    keys: list[str | int] = [int(k) if k.isdigit() else k for k in path.split(".")]
    node: Any = d
    for key in keys[:-1]:
        node = node[key]
    return node, keys[-1]


def set_at(path: str, value: object) -> Mutator:
    """A mutator that sets a value at a dotted path."""

    def mutate(d: dict[str, Any]) -> None:
        node, key = _parent(d, path)
        node[key] = value

    return mutate


def delete_at(path: str) -> Mutator:
    """A mutator that removes the key or element at a dotted path."""

    def mutate(d: dict[str, Any]) -> None:
        node, key = _parent(d, path)
        del node[key]

    return mutate


def write_yaml(path: Path, data: object) -> Path:
    """Dump data as block-style YAML (so line numbers are meaningful)."""
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def data() -> dict[str, Any]:
    """A fresh copy of the sample definition as a dict."""
    return sample_data()


@pytest.fixture(scope="session")
def sample() -> Questionnaire:
    """The sample definition, validated."""
    return parse_questionnaire(sample_data(), "sample.yaml")


@pytest.fixture
def load(tmp_path: Path) -> Callable[[dict[str, Any]], Questionnaire]:
    """Write a definition to a YAML file in tmp_path and load it."""

    def _load(definition: dict[str, Any], name: str = "q.yaml") -> Questionnaire:
        return load_questionnaire(write_yaml(tmp_path / name, definition))

    return _load


@pytest.fixture(scope="session")
def make_data() -> Callable[[], dict[str, Any]]:
    """A factory of fresh sample definitions (session-scoped, so Hypothesis tests can use it)."""
    return sample_data
