"""The app's one clock: every "now" and "today" is read here.

Dates are the course's dates, in Europe/Amsterdam: a cron job on a UTC server at 23:30 is
already on tomorrow's pulse. Nothing else calls ``datetime.now()``, ``date.today()`` or
``time.time()`` (ruff's DTZ rules and tests/app/test_clock.py hold the app to it), so a test
fixes the date it means by moving this clock (time-machine) and never depends on the real day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Europe/Amsterdam")


def now() -> datetime:
    """The current moment, timezone-aware in UTC (what the database stores)."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date where the course runs."""
    return now().astimezone(ZONE).date()


def timestamp() -> float:
    """Seconds since the epoch, for signed session stamps and idle time-outs."""
    return now().timestamp()
