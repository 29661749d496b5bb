"""The beleidsscan and the policy vs work floor view."""

from __future__ import annotations

import re

import pytest

from assess.db import db
from assess.models import AuditEvent, Response, Score
from assess.survey import questionnaires
from assess.survey.forms import field_name
from tests import factories as make


def full_answers(app, value: str = "4", pct: str = "30") -> dict[str, str]:
    with app.app_context():
        q = questionnaires.get("beleidsscan")
        data = {}
        for item_id in q.item_ids_for("policy"):
            data[field_name(item_id)] = pct if q.items_by_id[item_id].type == "numeric" else value
        return data


@pytest.fixture
def manager(app, client, auth, make_user):
    with app.app_context():
        make.sector({"Eigen Wonen": [6, 6], "Ander Wonen": [7]})
    user_id = make_user("manager", "m@example.nl", organisation="Eigen Wonen")
    auth.login("m@example.nl")
    return user_id


def test_beleidsscan_page_shows_the_questions_as_radio_groups(client, manager):
    text = client.get("/manager/beleidsscan").text
    assert "Beleidsscan Leergang Woonconsulent" in text
    assert 'type="radio"' in text
    assert "Helemaal eens" in text


def test_policy_view_invites_to_fill_the_scan_first(client, manager):
    text = client.get("/manager/beleid").text
    assert "Vul de beleidsscan in" in text
    assert "nog geen ingevulde beleidsscan" in text


def test_filling_the_beleidsscan_shows_policy_next_to_the_work_floor(app, client, manager):
    response = client.post("/manager/beleidsscan", data=full_answers(app))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/manager/beleid")
    text = client.get("/manager/beleid").text
    assert "Uw beleidsscan is ingediend op" in text
    assert "Per thema" in text
    assert "De uitspraken met de grootste normafstand" in text
    assert "Normafstand kleiner geworden?" in text
    assert "ja, kleiner" not in text or "95%-betrouwbaarheidsinterval" in text
    # version 2: the norm gap and the perception gap side by side
    assert "Normafstand vooraf" in text and "Beeldafstand vooraf" in text
    assert "twee blikken op dezelfde praktijk" in text
    assert 'id="chart-policy"' in text
    assert "Beleid: 1 manager." in text and "manager(s)" not in text
    with app.app_context():
        r = db.session.execute(db.select(Response).filter_by(user_id=manager)).scalar_one()
        assert r.status == "submitted" and r.moment == "policy"
        assert db.session.scalars(db.select(Score).filter_by(response_id=r.id)).first()
        assert "policy_scan_submitted" in db.session.scalars(db.select(AuditEvent.action)).all()


def test_missing_and_wrong_answers_get_dutch_messages_and_keep_what_was_typed(app, client, manager):
    data = full_answers(app)
    data["a_norm_tm_plan_1"] = ""
    data["a_norm_tijd_reactief"] = "150"
    text = client.post("/manager/beleidsscan", data=data).text
    assert "2 vragen hebben nog aandacht nodig" in text
    assert "Beantwoord deze vraag om verder te gaan." in text
    assert "Vul een getal in van 0 tot en met 100." in text
    assert 'value="150"' in text
    assert re.search(r'<input checked id="a_norm_tm_plan_5-3"[^>]*value="4"', text)
    with app.app_context():
        assert db.session.execute(db.select(Response).filter_by(user_id=manager)).first() is None


def test_a_manager_can_revise_the_beleidsscan(app, client, manager):
    client.post("/manager/beleidsscan", data=full_answers(app, "2"))
    page = client.get("/manager/beleidsscan").text
    assert "U hebt de beleidsscan ingediend op" in page
    assert client.post("/manager/beleidsscan", data=full_answers(app, "5")).status_code == 302
    with app.app_context():
        r = db.session.execute(db.select(Response).filter_by(user_id=manager)).scalar_one()
        assert r.status == "submitted"
        pomp = db.session.execute(
            db.select(Score.pomp).filter_by(response_id=r.id, scale_id="nee_zeggen", variant="now")
        ).scalar_one()
    # all 5s with reverse-keyed items in the scale: not the 2s of the first version
    assert pomp != pytest.approx(25.0)


def test_policy_view_is_hidden_when_consultants_are_too_few(app, client, auth, make_user):
    with app.app_context():
        make.sector({"Klein Wonen": [4], "Ander Wonen": [7]})
    user_id = make_user("manager", "k@example.nl", organisation="Klein Wonen")
    with app.app_context():
        make.policy_scan(user_id)
        db.session.commit()
    auth.login("k@example.nl")
    text = client.get("/manager/beleid").text
    assert "tonen we de vergelijking pas vanaf 5 deelnemers" in text
    assert "Per thema" not in text


def test_one_managers_scan_is_enough_and_only_their_own_organisation_counts(
    app, client, auth, make_user, manager
):
    other = make_user("manager", "ander@example.nl", organisation="Ander Wonen")
    with app.app_context():
        make.policy_scan(other, level=0.1)
        db.session.commit()
    assert "nog geen ingevulde beleidsscan" in client.get("/manager/beleid").text


def test_beleidsscan_time_shares_above_100_on_one_page_are_refused(app, client, manager):
    """The expected week and the week as seen are two pages, each capped at 100% on its own."""
    data = full_answers(app, pct="40")  # 3 x 40 = 120 on each of the two pages
    text = client.post("/manager/beleidsscan", data=data).text
    assert "2 vragen hebben nog aandacht nodig" in text  # the first share of each page
    assert "Samen komen deze percentages op 120%, en dat mag hoogstens 100% zijn." in text
    assert 'value="40"' in text
    with app.app_context():
        assert db.session.execute(db.select(Response).filter_by(user_id=manager)).first() is None


def test_norm_and_perception_are_scored_apart(app, client, manager):
    """Expecting 'always' (5) while seeing 'sometimes' (3): the norm and the perception score of
    a scale differ, and both reach the policy page."""
    data = full_answers(app, value="5")
    with app.app_context():
        q = questionnaires.get("beleidsscan")
        for item in q.items_by_id.values():
            if item.perception_of and item.type == "likert":
                data[field_name(item.id)] = "3"
    assert client.post("/manager/beleidsscan", data=data).status_code == 302
    with app.app_context():
        r = db.session.execute(db.select(Response).filter_by(user_id=manager)).scalar_one()
        scores = {
            (s.scale_id, s.variant): s.pomp
            for s in db.session.scalars(db.select(Score).filter_by(response_id=r.id))
        }
    # planning has one reverse-keyed item among five: norm (4 x 100 + 0) / 5, seen all 50
    assert scores["tijdmanagement.planning", "now"] == pytest.approx(80.0)
    assert scores["tijdmanagement.planning", "seen"] == pytest.approx(50.0)
