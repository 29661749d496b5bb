"""The manager's organisation report: aggregated figures of their own corporation only."""

from __future__ import annotations

import pytest

from assess import demo
from assess.db import db
from assess.models import Organisation, Participant
from tests import factories as make

LINDE = "Woonstichting De Linde"
BAKEN = "Wooncorporatie Het Baken"


@pytest.fixture
def demo_world(app):
    with app.app_context():
        demo.load()
        names = db.session.execute(
            db.select(Participant.name, Participant.email, Participant.code)
        ).all()
    return names


def login_demo(auth, email="manager@delinde.example.nl", password="demo-linde-2026"):
    response = auth.login(email, password)
    assert response.status_code == 302


def test_manager_sees_their_organisations_report_with_benchmark(client, auth, demo_world):
    login_demo(auth)
    page = client.get("/manager/")
    assert page.status_code == 200
    text = page.text
    assert "Rapportage Woonstichting De Linde" in text
    assert "Verandering per thema" in text
    assert "Sector: verandering" in text
    assert "Tijdsbesteding" in text
    assert 'id="chart-change"' in text and 'id="chart-trend"' in text
    assert "verandering in punten (nameting min voormeting)" in text  # the trend's y-axis
    assert "score voormeting (0-100)" in client.get("/manager/?toon=voormeting").text
    assert "Samenvatting voor een memo" in text
    assert "Volgens hun eigen inschatting" in text and "uw consulenten" in text
    assert "Het Baken" not in text


def test_report_never_shows_a_name_email_or_code(client, auth, demo_world):
    login_demo(auth)
    pages = [
        client.get(u).text
        for u in ("/manager/", "/manager/?per=periode&toon=nameting", "/manager/beleid")
    ]
    for name, email, code in demo_world:
        for text in pages:
            assert name not in text
            assert email not in text
            assert code not in text


def test_manager_cannot_open_trainer_or_admin_pages(client, auth, demo_world):
    login_demo(auth)
    assert client.get("/trainer/").status_code == 403
    assert client.get("/beheer/").status_code == 403


@pytest.mark.parametrize("role", ["trainer", "admin"])
def test_other_staff_cannot_open_the_manager_report(client, auth, make_user, role):
    make_user(role, f"{role}@example.nl")
    auth.login(f"{role}@example.nl")
    assert client.get("/manager/").status_code == 403


def test_manager_without_organisation_is_refused_with_a_reason(client, auth, make_user):
    make_user("manager", "los@example.nl")
    auth.login("los@example.nl")
    response = client.get("/manager/")
    assert response.status_code == 403
    assert "nog niet aan een corporatie gekoppeld" in response.text


def test_manager_of_deactivated_organisation_is_refused(app, client, auth, make_user):
    make_user("manager", "weg@example.nl", organisation="Oud BV")
    with app.app_context():
        org = db.session.execute(db.select(Organisation).filter_by(name="Oud BV")).scalar_one()
        org.active = False
        db.session.commit()
    auth.login("weg@example.nl")
    for url in ("/manager/", "/manager/beleid", "/manager/beleidsscan", "/manager/rapportage.xlsx"):
        response = client.get(url)
        assert response.status_code == 403
        assert "gedeactiveerd" in response.text


def test_small_organisation_gets_a_friendly_explanation_instead_of_figures(
    app, client, auth, make_user
):
    with app.app_context():
        make.sector({"Klein Wonen": [4], "Groot Wonen": [9]})
    make_user("manager", "klein@example.nl", organisation="Klein Wonen")
    auth.login("klein@example.nl")
    text = client.get("/manager/").text
    assert "Nog geen cijfers" in text
    assert "minder dan 5" in text
    assert "Verandering per thema" not in text
    assert client.get("/manager/rapportage.xlsx").status_code == 302


def test_minimum_group_size_is_configurable(app_config, app, client, auth, make_user):
    # app_config was read when the app was made; change the live config instead
    app.config["MIN_GROUP_SIZE"] = 3
    with app.app_context():
        make.sector({"Klein Wonen": [4], "Groot Wonen": [9]})
    make_user("manager", "klein@example.nl", organisation="Klein Wonen")
    auth.login("klein@example.nl")
    text = client.get("/manager/").text
    assert "Verandering per thema" in text
    assert "minstens 3 deelnemers" in text


def test_a_small_cohort_is_not_offered_and_cannot_be_requested(app, client, auth, make_user):
    with app.app_context():
        orgs = make.sector({"Midden Wonen": [8, 2, 7]})
        small = db.session.execute(
            db.select(db.text("id FROM cohort WHERE name = 'Cohort 2'"))
        ).scalar_one()
    make_user("manager", "midden@example.nl", organisation="Midden Wonen")
    auth.login("midden@example.nl")
    text = client.get("/manager/").text
    assert "Cohort 2" not in text  # neither as a filter value nor as a trend point
    refused = client.get(f"/manager/?groep=cohort-{small}").text
    assert "Deze selectie is niet beschikbaar" in refused
    assert "Verandering per thema" not in refused
    assert orgs


def test_sector_is_hidden_when_other_organisations_are_too_few(app, client, auth, make_user):
    with app.app_context():
        make.sector({"Eigen Wonen": [8], "Ander Wonen": [3]})
    make_user("manager", "eigen@example.nl", organisation="Eigen Wonen")
    auth.login("eigen@example.nl")
    text = client.get("/manager/").text
    assert "Een sectorvergelijking is (nog) niet mogelijk" in text


def test_filters_keep_their_values_and_unknown_values_fall_back(client, auth, demo_world):
    login_demo(auth)
    text = client.get("/manager/?per=periode&toon=nameting").text
    assert '<option value="periode" selected>' in text
    assert '<option value="nameting" selected>' in text
    assert client.get("/manager/?per=<script>&toon=x").status_code == 200
