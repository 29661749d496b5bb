"""A scenario's key must not be guessable from words alone: two word-overlap guessers, and when
their hits are more than chance explains."""

from __future__ import annotations

from typing import Any

import pytest

from assess.engine import load_questionnaire, parse_questionnaire
from assess.engine.sjt_guessing import content_words, guess_keys
from tests.engine.conftest import QUESTIONNAIRES, sample_data


def _with_scenarios(options: list[list[tuple[str, float]]]) -> Any:
    """The sample questionnaire with these scenarios (label, effectiveness) on scale tm."""
    data = sample_data()
    section = next(s for s in data["sections"] if s["id"] == "tm")
    section["items"] = [i for i in section["items"] if i["type"] != "sjt"]
    ids = []
    for n, choices in enumerate(options):
        ids.append(f"sj{n}")
        section["items"].append(
            {
                "id": f"sj{n}",
                "type": "sjt",
                "case": {"nl": f"Situatie {n}."},
                "text": {"nl": "Wat doe je?"},
                "options": [
                    {"value": "abcd"[k], "label": {"nl": label}, "effectiveness": eff}
                    for k, (label, eff) in enumerate(choices)
                ],
            }
        )
    data["scales"][0]["sjt"] = ids
    return parse_questionnaire(data, "scenarios.yaml")


OTHERS = [("Je belt de bewoner terug", 2), ("Je stuurt een brief", 1), ("Je wacht af", 3)]


def by_name(q) -> dict[str, Any]:
    return {g.guesser: g for g in guess_keys(q)}


def test_a_key_that_echoes_the_tips_is_found_more_often_than_chance():
    # the sample's tip is "Plan elke ochtend."
    echoing = _with_scenarios([[("Je plant elke ochtend een vast uur", 4), *OTHERS]] * 6)
    echo = by_name(echoing)["echo"]
    assert echo.hits == 6 and echo.chance == pytest.approx(1.5) and echo.suspicious
    assert echo.hit_items == tuple(f"sj{n}" for n in range(6))


def test_the_same_words_on_a_wrong_option_are_no_hint():
    fair = _with_scenarios([[("Je plant elke ochtend een vast uur", 1), ("Je wacht af", 4),
                             ("Je belt de bewoner terug", 2), ("Je stuurt een brief", 3)]] * 6)  # fmt: skip
    assert not any(g.suspicious for g in guess_keys(fair))


def test_a_middle_option_that_is_the_key_minus_its_concrete_part_gives_the_key_away():
    scenario = [
        ("Je laat de huismeester opruimen en plant dinsdag een gesprek met bewoners", 4),
        ("Je laat de huismeester opruimen", 3),
        ("Je zegt dat afval niet jouw taak is", 1),
        ("Je ruimt het zelf op", 2),
    ]
    cover = by_name(_with_scenarios([scenario] * 6))["cover"]
    assert cover.hits == 6 and cover.suspicious


def test_ties_are_a_fair_draw_and_few_scenarios_are_never_suspicious():
    blind = _with_scenarios([[("Aap", 4), ("Noot", 1), ("Mies", 2), ("Boom", 3)]] * 2)
    for guess in guess_keys(blind):
        assert guess.hits == pytest.approx(guess.chance) and not guess.suspicious


def test_the_shipped_scenarios_give_their_key_away_to_a_word_guesser():
    """The finding of issue 27, kept as a fact until version 3 replaces these scenarios."""
    v1 = by_name(load_questionnaire(QUESTIONNAIRES / "leergang-woonconsulent.v1.yaml"))
    v2 = by_name(load_questionnaire(QUESTIONNAIRES / "leergang-woonconsulent.yaml"))
    assert v1["echo"].hits == 6 and v1["cover"].suspicious
    assert v2["echo"].suspicious and v2["echo"].hits >= 4


def test_content_words_drop_short_and_function_words():
    assert content_words("Je plant deze week een gesprek met de bewoners.") == {
        "plant",
        "week",
        "gesprek",
        "bewoners",
    }
