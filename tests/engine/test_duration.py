"""How long a moment takes: active time per page, capped; the measured median once enough
people submitted, else the file's estimate, said to be one."""

from __future__ import annotations

import pytest

from assess.engine import load_questionnaire
from assess.engine.duration import PAGE_IDLE_CAP_SECONDS, active_seconds, duration
from assess.formatting import say
from tests.engine.conftest import QUESTIONNAIRES


@pytest.fixture(scope="module")
def q():
    return load_questionnaire(QUESTIONNAIRES / "leergang-woonconsulent.yaml")


@pytest.mark.parametrize(
    ("shown", "saved", "expected"),
    [
        (1000.0, 1042.5, 42.5),  # render to save
        (1000.0, 1000.0 + 3 * 3600, PAGE_IDLE_CAP_SECONDS),  # left open over lunch: the cap
        (1000.0, 999.0, None),  # a stamp after the save is no showing
        (float("nan"), 1000.0, None),
    ],
)
def test_a_page_counts_its_active_time_up_to_the_idle_cap(shown, saved, expected):
    assert active_seconds(shown, saved) == expected


def test_below_the_minimum_group_the_estimate_is_told_and_called_one(q):
    told = duration(q, "exit", [300.0] * 4, min_group=5)
    assert not told.measured and told.minutes == q.minutes_for("exit") == 21
    assert say(told.message) == "ongeveer 21 minuten (schatting)"
    assert say(told.message, "en") == "about 21 minutes (an estimate)"


def test_from_the_minimum_group_on_the_median_is_told_rounded_up(q):
    # one person left pages open: the median does not move with them, a mean would
    seconds = [400.0, 430.0, 455.0, 470.0, 3000.0]
    told = duration(q, "exit", seconds, min_group=5)
    assert told.measured and told.people == 5
    assert told.minutes == 8  # median 455 s = 7.6 min, rounded up
    assert say(told.message).startswith("ongeveer 8 minuten (de helft van 5 deelnemers")


def test_responses_without_page_times_do_not_count(q):
    told = duration(q, "intake", [0.0, 0.0, 0.0, 0.0, 0.0, 120.0], min_group=5)
    assert not told.measured and told.people == 1
