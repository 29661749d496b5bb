"""The memo's sentences: what changed in the consultants' own ratings, with its interval; a size
word only when that interval excludes zero; the sector compared by the interval of the
difference; reliable change only on a scale with a stated alpha of at least .70."""

from __future__ import annotations

import pytest
from flask import session

from assess.reports.organisation.memo import sentence
from assess.reports.organisation.privacy import Cell
from assess.reports.organisation.report import Change, ScaleRow


def change(mean: float, low: float, high: float, d_z: float, g_av: float, n: int = 12) -> Change:
    return Change(n, 40.0, 40.0 + mean, mean, low, high, d_z, 0.5, g_av)


def row(own: Change, sector: Change | None = None, scale: str = "tijdmanagement") -> ScaleRow:
    return ScaleRow(scale, "Tijdmanagement", False, Cell(own, own.n), Cell(0.5, own.n), sector)


def say(r: ScaleRow, locale: str = "nl", reliability=None) -> str:
    text = sentence(r, locale, reliability)
    assert text is not None
    return text


def test_the_issues_memo_sentence_no_longer_states_a_caused_large_effect(app):
    # "Uw consulenten hebben na de leergang meer grip op hun tijd: een groot effect (12 …)"
    with app.test_request_context():
        text = say(row(change(15.0, 7.9, 21.9, 1.3, 0.95)))
    assert text.startswith("Volgens hun eigen inschatting hebben uw consulenten na de leergang")
    assert "effect" not in text and "door de leergang" not in text
    assert "95%-betrouwbaarheidsinterval 7,9 tot 21,9" in text
    assert "is die verandering groot (g_av = 0,95)" in text


def test_no_size_word_and_no_direction_when_the_interval_includes_zero(app):
    with app.test_request_context():
        text = say(row(change(6.0, -4.5, 17.0, 0.3, 0.40)))
    assert "geen duidelijke verandering" in text and "-4,5 tot 17,0" in text
    for word in ("klein", "middelgroot", "groot", "meer grip"):
        assert word not in text


def test_the_size_word_comes_from_g_av_not_from_d_z(app):
    # a consistent change (d_z 1.6, "groot") that is small against the spread between people
    with app.test_request_context():
        text = say(row(change(4.0, 2.0, 6.0, d_z=1.6, g_av=0.3)))
    assert "is die verandering klein" in text and "groot" not in text


def test_the_sector_in_the_own_interval_is_not_called_comparable(app):
    # 15 points (7,9-21,9) against the sector's 8: the old memo said "vergelijkbaar"
    sector = change(8.0, 6.5, 9.5, 0.6, 0.5, n=200)
    with app.test_request_context():
        text = say(row(change(15.0, 7.9, 21.9, 1.3, 0.95), sector))
    assert "vergelijkbaar met de sector" not in text
    assert "niet te zeggen of het meer of minder is dan in de sector" in text
    assert "binnen 5 punten van nul" in text


@pytest.mark.parametrize(
    ("own", "sector", "says"),
    [
        ((20.0, 17.0, 23.0), (8.0, 7.0, 9.0), "meer verandering dan in de sector"),
        ((2.0, 0.5, 3.5), (12.0, 11.0, 13.0), "minder verandering dan in de sector"),
        ((8.0, 6.0, 10.0), (8.0, 7.0, 9.0), "vergelijkbaar met de sector (binnen 5 punten)"),
    ],
)
def test_more_less_or_comparable_comes_from_the_interval_of_the_difference(app, own, sector, says):
    with app.test_request_context():
        text = say(row(change(*own, 1.0, 0.6, n=40), change(*sector, 1.0, 0.6, n=300)))
    assert says in text


def test_reliable_change_is_said_only_with_a_stated_alpha_of_at_least_point_seventy(app):
    r = row(change(15.0, 7.9, 21.9, 1.3, 0.95))
    with app.test_request_context():
        assert "meetonzekerheid" not in say(r)
        assert "meetonzekerheid" not in say(r, reliability={"tijdmanagement": 0.54})
        shown = say(r, reliability={"tijdmanagement": 0.84})
    assert "Bij 50 % van hen" in shown and "alfa, is 0,84" in shown


def test_the_memo_reads_in_english_without_effect_or_chance(app):
    sector = change(8.0, 6.5, 9.5, 0.6, 0.5, n=200)
    with app.test_request_context():
        session["lang"] = "en"
        text = say(row(change(15.0, 7.9, 21.9, 1.3, 0.95), sector), "en")
    assert text.startswith("By their own rating, your consultants have more control")
    assert "effect" not in text.lower() and "comparable to the sector" not in text
    assert "95% confidence interval 7.9 to 21.9" in text
