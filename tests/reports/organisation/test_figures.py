"""The organisation report's figures stay exactly what they were when the snapshots were taken.

The snapshots in data/ beside this module were first taken with the straightforward version of
the report (one set of queries per group and per trend point) and checked against it; they
were taken again when the figures began to come from releases (rounded, the sector without
the own corporation, small cohorts not counted until they hold the minimum). Once more when the
trend's sector became the whole sector next to every point (sector_batch.py): only those
figures changed. The report must
still give the same numbers, the same hidden cells and the same memo, for every organisation,
group and trend. ASSESS_SAVE_SNAPSHOTS=1 takes them anew.
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
# A world that reaches every privacy rule: small cohorts that are never released, a sector
# shown (Noord: three others, none dominating), a sector hidden by dominance (Oost: Noord holds
# more than half of the others), empty cohorts, and periods of several cohorts.
FACTORY_WORLD = {
    "Noord Wonen": [8, 6, 2, 7, 0, 5],
    "Zuid Wonen": [5, 3, 6],
    "Oost Wonen": [9],
    "West Wonen": [4, 2],
    "Midden Wonen": [6, 5],
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
