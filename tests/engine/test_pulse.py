"""The weekly pulse in the engine: the file's rules, the calendar across weeks and summer
time, and the weekly figures."""

from datetime import UTC, date, datetime

import pytest
import yaml

from assess.engine import DefinitionError, load_questionnaire, parse_questionnaire, pulse
from assess.engine.duration import estimate_seconds
from tests.engine.conftest import QUESTIONNAIRES

# Depends on the date: CI runs it again on the hard days (.ci/run).
pytestmark = pytest.mark.calendar

INSTRUMENT = QUESTIONNAIRES / "leergang-woonconsulent.yaml"


def _data() -> dict:
    return yaml.safe_load(INSTRUMENT.read_text(encoding="utf-8"))


def test_the_instrument_has_a_pulse_under_one_minute() -> None:
    q = load_questionnaire(INSTRUMENT)
    assert q.item_ids_for("pulse") == [
        "puls_gepland",
        "puls_reactief",
        "puls_nee",
        "puls_nee_ging",
        "puls_afspraken",
        "puls_werkte",
    ]
    assert estimate_seconds(q, "pulse") <= 60
    # Every pulse text has its English second locale.
    for item_id in q.item_ids_for("pulse"):
        assert q.text(q.items_by_id[item_id].text, "en") != q.text(q.items_by_id[item_id].text)


def test_a_pulse_that_takes_longer_than_a_minute_is_refused() -> None:
    data = _data()
    pulse_section = next(s for s in data["sections"] if s["id"] == "weekpuls")
    pulse_section["intro"] = {"nl": " ".join(["woord"] * 60)}
    with pytest.raises(DefinitionError, match="under a minute"):
        parse_questionnaire(data)


def test_a_pulse_may_not_ask_a_scored_item() -> None:
    data = _data()
    data["moments"]["pulse"]["sections"] = ["weekpuls", "tijdmanagement"]
    with pytest.raises(DefinitionError, match="a pulse asks only unscored items"):
        parse_questionnaire(data)


def test_a_pulse_states_one_minute() -> None:
    data = _data()
    data["moments"]["pulse"]["minutes"] = 3
    with pytest.raises(DefinitionError, match="a pulse states 1 minute"):
        parse_questionnaire(data)


def test_weeks_between_first_and_last_day_on_the_weekday() -> None:
    # Course day 1 on Thursday 5 March 2026, exit on Wednesday 8 April; pulses on Fridays.
    found = pulse.weeks(date(2026, 3, 5), date(2026, 4, 8), weekday=4, days_open=3)
    assert [w.opens_on for w in found] == [
        date(2026, 3, 6),
        date(2026, 3, 13),
        date(2026, 3, 20),
        date(2026, 3, 27),
        date(2026, 4, 3),
    ]
    assert [w.week for w in found][0] == date(2026, 3, 2)
    # Three days open: Friday, Saturday, Sunday.
    assert found[0].closes_on == date(2026, 3, 8)


def test_a_weekday_before_the_first_day_skips_that_week() -> None:
    found = pulse.weeks(date(2026, 3, 5), date(2026, 3, 16), weekday=0, days_open=2)
    assert [w.opens_on for w in found] == [date(2026, 3, 9), date(2026, 3, 16)]


def test_weeks_across_the_year_end_are_seven_days_apart() -> None:
    found = pulse.weeks(date(2026, 12, 20), date(2027, 1, 20), weekday=1, days_open=7)
    gaps = {(b.opens_on - a.opens_on).days for a, b in zip(found, found[1:], strict=False)}
    assert gaps == {7}
    assert found[1].opens_on == date(2026, 12, 29)


def test_summer_time_does_not_shift_a_pulse() -> None:
    # Summer time starts on Sunday 29 March 2026 at 02:00 in Amsterdam; a Friday pulse open
    # for three days closes on the Sunday, and on Monday (local) it is closed.
    week = pulse.weeks(date(2026, 3, 27), date(2026, 3, 27), weekday=4, days_open=3)[0]
    assert week.closes_on == date(2026, 3, 29)
    # 21:59 UTC on Sunday is 23:59 summer time: still Sunday, still open.
    sunday_late = datetime(2026, 3, 29, 21, 59, tzinfo=UTC)
    assert pulse.state(week.opens_on, week.closes_on, pulse.local_today(sunday_late)) == "open"
    # 22:00 UTC is midnight in Amsterdam: Monday, closed (in winter time it would be 23:00).
    monday_midnight = datetime(2026, 3, 29, 22, 0, tzinfo=UTC)
    assert pulse.local_today(monday_midnight) == date(2026, 3, 30)
    assert pulse.state(week.opens_on, week.closes_on, date(2026, 3, 30)) == "closed"


def test_winter_time_returns_an_hour_later_in_utc() -> None:
    # Winter time from Sunday 25 October 2026: local midnight is 23:00 UTC again.
    assert pulse.local_today(datetime(2026, 10, 25, 22, 30, tzinfo=UTC)) == date(2026, 10, 25)
    assert pulse.local_today(datetime(2026, 10, 25, 23, 0, tzinfo=UTC)) == date(2026, 10, 26)
    assert pulse.local_today(datetime(2026, 10, 24, 22, 0, tzinfo=UTC)) == date(2026, 10, 25)


def test_a_pulse_opens_on_its_day_and_stays_closed_after() -> None:
    assert pulse.state(date(2026, 3, 6), date(2026, 3, 8), date(2026, 3, 5)) == "not_yet"
    assert pulse.state(date(2026, 3, 6), date(2026, 3, 8), date(2026, 3, 6)) == "open"
    assert pulse.state(date(2026, 3, 6), date(2026, 3, 8), date(2026, 3, 9)) == "closed"


def test_week_figure_median_and_quartiles() -> None:
    figure = pulse.week_figure([10, 20, 30, 40, 50], invited=10)
    assert (figure.n, figure.median, figure.q1, figure.q3) == (5, 30, 20, 40)
    assert figure.response_rate == 0.5
    assert pulse.week_figure([], invited=3).median is None


def test_mean_change_has_a_t_interval() -> None:
    change = pulse.mean_change([10, 20, 30])
    assert change is not None and change.mean == 20
    # sd 10, n 3: t(0.975, 2) = 4.303; half width 4.303 * 10 / sqrt(3) = 24.84
    assert change.low == pytest.approx(20 - 24.843, abs=0.01)
    assert change.high == pytest.approx(20 + 24.843, abs=0.01)
    assert pulse.mean_change([5]) == pulse.Change(1, 5, None, None)


def test_first_to_last_needs_two_pulses() -> None:
    assert pulse.first_to_last([(date(2026, 3, 6), 40)]) is None
    assert pulse.first_to_last([(date(2026, 3, 13), 60), (date(2026, 3, 6), 40)]) == 20
