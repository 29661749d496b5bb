"""One clock: the app reads now and today only through assess.clock, in Amsterdam's dates,
and the suite runs on the day it names, never the real one."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import time_machine

from assess import clock
from tests.conftest import suite_now

ASSESS = Path(__file__).resolve().parents[2] / "assess"
REAL_CLOCK = re.compile(r"\b(date\.today|datetime\.(now|utcnow|today)|time\.time)\(")


def test_the_suite_runs_on_its_own_day_not_the_real_one() -> None:
    assert clock.today() == suite_now().date()


def test_today_is_amsterdams_date_when_utc_is_still_yesterday() -> None:
    with time_machine.travel(datetime(2027, 12, 31, 23, 30, tzinfo=UTC), tick=False):
        assert clock.today() == date(2028, 1, 1)
    with time_machine.travel(datetime(2027, 3, 27, 23, 30, tzinfo=UTC), tick=False):
        assert clock.today() == date(2027, 3, 28)  # 01:30 CET, half an hour before DST


def test_now_is_aware_utc() -> None:
    assert clock.now().tzinfo is UTC


def test_nothing_in_the_app_reads_the_real_clock_but_the_clock_module() -> None:
    offenders = [
        f"{path.relative_to(ASSESS.parent)}:{number}"
        for path in ASSESS.rglob("*.py")
        if path.name != "clock.py" and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if REAL_CLOCK.search(line)
    ]
    assert offenders == []
