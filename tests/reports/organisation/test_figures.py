"""The organisation report's figures stay exactly what they were when it was made faster.

The snapshots in data/ beside this module were taken with the straightforward version of the report (one
set of queries per group and per trend point); the report must still give the same numbers,
the same hidden cells and the same memo, for every organisation, group and trend.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from assess import demo
from tests import factories as make
from tests.reports.organisation import snapshot as snap

DATA = Path(__file__).parent / "data"
# A world that reaches every privacy rule: a hidden block of small cohorts, a sector hidden
# for an organisation with too few others, empty cohorts, and periods of several cohorts.
FACTORY_WORLD = {
    "Noord Wonen": [8, 6, 2, 7, 0, 5],
    "Zuid Wonen": [5, 3, 6],
    "Oost Wonen": [9],
    "West Wonen": [4, 2],
}


def compare(app, name: str) -> None:
    with app.test_request_context():
        actual = snap.snapshot()
    path = DATA / f"org_report_{name}.json"
    if os.environ.get("ASSESS_SAVE_SNAPSHOTS"):
        snap.save(actual, path)
        pytest.skip(f"saved {path}")
    assert snap.differences(snap.load(path), actual) == []


def test_the_demo_worlds_report_gives_the_same_figures(app):
    with app.app_context():
        demo.load(today=date(2026, 3, 1))
    compare(app, "demo")


def test_a_world_at_the_privacy_edges_gives_the_same_figures(app):
    with app.app_context():
        make.sector(FACTORY_WORLD)
    compare(app, "factory")
