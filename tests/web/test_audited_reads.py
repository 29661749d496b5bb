"""Every read of personal data by staff leaves exactly one audit row: the cohort page (names,
e-mail addresses, links), response tracking, a participant's link with their report and data,
and the manager's report pages."""

from __future__ import annotations

import pytest

from assess import demo
from assess.db import db
from assess.models import AuditEvent
from tests import factories as make


def events(app, action: str) -> list[tuple]:
    with app.app_context():
        return [
            (e.actor_type, e.actor_id, e.target_type, e.target_id)
            for e in db.session.scalars(db.select(AuditEvent).filter_by(action=action))
        ]


@pytest.fixture
def world(app, trainer):
    """A cohort of the signed-in trainer with one participant who submitted the intake."""
    with app.app_context():
        cohort = make.cohort(trainer, windows=make.windows())
        pid, token = make.invited(cohort)
        make.fill(pid, "intake")
        db.session.commit()
        return {"trainer": trainer, "cohort": cohort.id, "participant": pid, "token": token}


@pytest.mark.parametrize(
    "path, action",
    [
        ("/trainer/cohorten/{cohort}", "view_cohort"),
        ("/trainer/cohorten/{cohort}/respons", "view_response_tracking"),
    ],
)
def test_trainer_pages_with_names_are_audited_once_per_opening(app, client, world, path, action):
    url = path.format(**world)
    assert client.get(url).status_code == 200
    assert events(app, action) == [("user", world["trainer"], "cohort", world["cohort"])]
    client.get(url)
    assert len(events(app, action)) == 2


def test_staff_opening_a_participants_link_is_audited_with_each_read(app, client, world):
    pid, staff = world["participant"], world["trainer"]
    assert client.get(f"/s/{world['token']}").status_code == 302
    assert events(app, "participant_link_opened") == [("user", staff, "participant", pid)]
    assert client.get("/deelnemer/rapport").status_code == 200
    assert events(app, "view_participant_report") == [("user", staff, "participant", pid)]
    assert client.get("/deelnemer/mijn-gegevens.json").status_code == 200
    assert events(app, "participant_data_exported") == [("user", staff, "participant", pid)]


def test_a_participant_reading_their_own_report_leaves_no_staff_trace(app, world):
    participant = app.test_client()
    participant.get(f"/s/{world['token']}")
    participant.get("/deelnemer/rapport")
    participant.get("/deelnemer/mijn-gegevens.json")
    for action in (
        "participant_link_opened",
        "view_participant_report",
        "participant_data_exported",
    ):
        assert events(app, action) == []


@pytest.mark.parametrize(
    "path, action",
    [("/manager/", "org_report_viewed"), ("/manager/beleid", "policy_gap_viewed")],
)
def test_manager_report_views_are_audited_once(app, client, auth, path, action):
    with app.app_context():
        demo.load()
    auth.login("manager@delinde.example.nl", "demo-linde-2026")
    assert client.get(path).status_code == 200
    found = events(app, action)
    assert len(found) == 1 and found[0][0] == "user" and found[0][2] == "organisation"


def test_the_cohort_comparison_is_audited_with_the_cohorts_it_shows(app, client, world):
    with app.app_context():
        other = make.cohort(world["trainer"], "Najaar 2026").id
        db.session.commit()
    page = client.get(f"/trainer/vergelijken?cohort={world['cohort']}&cohort={other}")
    assert page.status_code == 200
    assert events(app, "view_cohort_comparison") == [("user", world["trainer"], "cohorts", None)]
    with app.app_context():
        detail = db.session.scalar(
            db.select(AuditEvent.detail).filter_by(action="view_cohort_comparison")
        )
    ids = sorted([world["cohort"], other])
    assert f'"compared": {ids}' in detail
    client.get("/trainer/vergelijken")
    assert len(events(app, "view_cohort_comparison")) == 2
