"""Load and fault scenarios against a real gunicorn (slow: `pytest -m slow`).

Smaller runs of the scripts in benchmarks/; on PostgreSQL when DATABASE_URL says so."""

from __future__ import annotations

import pytest

from benchmarks import classroom_load, fault_database, fault_submit, load_submit
from benchmarks.harness import Checks

# gunicorn serves these in processes of its own, on the real clock.
pytestmark = [pytest.mark.slow, pytest.mark.real_clock]


def test_participants_submitting_at_once_lose_nothing(empty_database_url):
    outcome = load_submit.run(empty_database_url, participants=40, workers=3)
    assert outcome.errors == []
    assert outcome.lost == []
    assert outcome.most_per_person == 1
    assert outcome.submitted_in_db == len(outcome.succeeded) == 40
    assert outcome.unscored == 0


def test_a_class_submits_while_trainer_and_manager_reload_every_page(empty_database_url):
    """Course day 1 under gunicorn with 4 workers: nobody gets an error page, no answer is
    lost, and every read of personal data is on record exactly once."""
    outcome = classroom_load.run(empty_database_url, participants=30, workers=4)
    assert outcome.log.errors == []
    assert outcome.server_errors == 0
    assert outcome.succeeded == 30
    assert outcome.lost == []
    assert outcome.audit == []


def test_a_killed_worker_leaves_a_draft_and_the_retry_submits(empty_database_url):
    checks = Checks()
    fault_submit.killed_worker(empty_database_url, participants=2, checks=checks)
    assert checks.failed == []


def test_double_clicks_and_two_tabs_submit_exactly_once(empty_database_url):
    checks = Checks()
    fault_submit.double_submit(empty_database_url, participants=2, clicks=4, checks=checks)
    assert checks.failed == []


def test_database_outage_gives_the_dutch_503_and_heals_under_gunicorn(empty_database_url):
    checks = Checks()
    if empty_database_url.startswith("postgresql"):
        fault_database.postgres_outage(empty_database_url, checks)
    else:
        fault_database.sqlite_lock(empty_database_url, checks)
    assert checks.failed == []
