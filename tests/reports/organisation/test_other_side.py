"""The other corporations' side of a report, summed per corporation: after a sector batch only
the parts of the corporations in it are summed anew, and the pages are those of a process that kept nothing."""

from __future__ import annotations

from assess.db import db
from assess.reports.organisation import report as org_report
from tests import factories as make
from tests.reports.organisation import snapshot as snap

WORLD = {"Noord Wonen": [6], "Oost Wonen": [6], "Zuid Wonen": [7], "West Wonen": [6]}


def every_report(app) -> dict:
    with app.test_request_context():
        return snap.snapshot()


def forget() -> None:
    org_report._PARTS.clear()
    org_report._OTHERS.clear()


def test_a_sector_batch_sums_only_its_own_corporations_parts_anew(app, monkeypatch):
    with app.app_context():
        make.sector(WORLD)
    forget()
    every_report(app)  # every part summed and kept
    summed: list[tuple[int, set[int]]] = []  # (0: a part of the others' side; 1: own side)
    side = org_report.side

    def counting(atoms, where):
        summed.append((where(atoms[0])[0], {a.organisation_id for a in atoms}))
        return side(atoms, where)

    monkeypatch.setattr(org_report, "side", counting)
    with app.app_context():
        oost = make.organisation("Oost Wonen")
        oost_id = oost.id
        make.panel(oost, make.shared_cohort("Cohort 1", None), 5, seed=90)
        db.session.commit()
    every_report(app)  # Oost's release alone: the sector waits, nothing of it is summed anew
    assert [orgs for kind, orgs in summed if kind == 0] == []
    batch = {oost_id}
    with app.app_context():
        for name, seed in (("Zuid Wonen", 91), ("West Wonen", 92)):
            org = make.organisation(name)
            batch.add(org.id)
            make.panel(org, make.shared_cohort("Cohort 1", None), 5, seed=seed)
        db.session.commit()
    kept = every_report(app)  # three corporations: one batch

    parts = [orgs for kind, orgs in summed if kind == 0]
    assert parts and all(len(orgs) == 1 and orgs <= batch for orgs in parts)
    assert set().union(*parts) == batch
    monkeypatch.setattr(org_report, "side", side)
    forget()
    assert snap.differences(every_report(app), kept) == []
