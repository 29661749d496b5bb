"""The sector's stored sums: reused while the data holds, recomputed as soon as it changes."""

from __future__ import annotations

from assess.db import db
from assess.models import Cohort, Participant, SectorSummary
from assess.reports.organisation import groups as org_groups
from assess.reports.organisation import sector as sector_summary
from assess.survey import questionnaires, responses
from tests import factories as make
from tests.reports.organisation import snapshot as snap

WORLD = {"Noord Wonen": [8, 6], "Zuid Wonen": [7, 5]}


def stored() -> list[str]:
    return list(db.session.scalars(db.select(SectorSummary.fingerprint)))


def report(app) -> dict:
    with app.test_request_context():
        return snap.snapshot()


def fresh_report(app) -> dict:
    """The report with the stored sums thrown away first, so all of it is computed anew."""
    with app.app_context():
        db.session.execute(db.delete(SectorSummary))
        db.session.commit()
    return report(app)


def test_the_sector_sums_are_stored_once_and_reused(app):
    with app.app_context():
        make.sector(WORLD)
    first = fresh_report(app)
    with app.app_context():
        marks = stored()
    assert len(marks) == 1
    assert snap.differences(first, report(app)) == []
    with app.app_context():
        assert stored() == marks


def test_new_pairs_deletions_and_moved_cohorts_count_at_once(app):
    # At once for the stored sector sums; a manager sees new pairs only in a release (five new
    # people in one cohort of one corporation, the minimum group size).
    with app.app_context():
        make.sector(WORLD)
        q = org_groups.instrument(questionnaires.registry())
        mark = sector_summary.fingerprint(q)
    before = report(app)
    with app.app_context():
        make.panel(make.organisation("Zuid Wonen"), make.shared_cohort("Cohort 1", None), 5, seed=7)
        db.session.commit()
        assert sector_summary.fingerprint(q) != mark
    after = report(app)
    assert snap.differences(before, after) != []
    assert snap.differences(fresh_report(app), after) == []
    with app.app_context():
        person = db.session.scalars(db.select(Participant).order_by(Participant.id)).first()
        db.session.delete(person)
        cohort = db.session.scalars(db.select(Cohort).order_by(Cohort.id)).first()
        cohort.start_date = cohort.start_date.replace(year=2030)
        db.session.commit()
    changed = report(app)
    assert snap.differences(fresh_report(app), changed) == []


def test_rescoring_clears_the_stored_sums(app):
    with app.app_context():
        make.sector(WORLD)
    report(app)
    with app.app_context():
        assert stored()
        responses.rescore()
        assert stored() == []
