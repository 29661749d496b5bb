"""English as a second language: every page speaks it after the switch, and the catalogue is
complete and compiled."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from assess import demo
from assess.db import db
from assess.models import Participant
from assess.survey import tokens
from tests import participant_factories as pf

CATALOGUE = Path(__file__).parent.parent / "assess" / "translations" / "en" / "LC_MESSAGES"


def switch(client, lang: str, back_to: str = "/") -> None:
    response = client.post("/taal", data={"lang": lang, "next": back_to})
    assert response.status_code == 302


@pytest.fixture
def demo_world(app):
    with app.app_context():
        demo.load()


def test_the_login_page_is_english_after_switching_and_dutch_again_after_switching_back(client):
    switch(client, "en")
    page = client.get("/auth/login").text
    assert 'lang="en"' in page
    assert "Log in" in page and "Password" in page and "Email address" in page
    assert "Wachtwoord" not in page

    switch(client, "nl")
    page = client.get("/auth/login").text
    assert 'lang="nl"' in page
    assert "Inloggen" in page and "Wachtwoord" in page
    assert "Password" not in page


def test_a_participant_sees_their_welcome_and_survey_pages_in_english(app, client):
    with app.app_context():
        _, token = pf.make_participant(pf.make_cohort())
    assert client.get(f"/s/{token}").status_code in (302, 303)
    switch(client, "en")

    home = client.get("/deelnemer/").text
    assert 'lang="en"' in home
    assert "Welcome, Anouk de Vries" in home
    assert "The intake survey is ready for you" in home or "Start filling in" in home
    assert "Who sees what?" in home

    survey = client.get("/deelnemer/intake/pagina/1").text
    assert 'lang="en"' in survey
    assert "Save and continue later" in survey and "Next" in survey
    assert "Opslaan en later verder" not in survey

    switch(client, "nl")
    home = client.get("/deelnemer/").text
    assert 'lang="nl"' in home and "Welkom, Anouk de Vries" in home


def test_a_demo_participant_logged_in_by_link_sees_english(app, client, demo_world):
    with app.app_context():
        person = db.session.execute(db.select(Participant).order_by(Participant.id)).scalar()
        token, name = tokens.current_token(person), person.name
    assert client.get(f"/s/{token}").status_code in (302, 303)
    switch(client, "en")
    home = client.get("/deelnemer/").text
    assert f"Welcome, {name}" in home and "Who sees what?" in home


def test_a_trainer_page_is_english_after_switching(client, auth, demo_world):
    assert auth.login("trainer@example.nl", "demo-trainer-2026").status_code == 302
    switch(client, "en")
    page = client.get("/trainer/").text
    assert 'lang="en"' in page
    assert "Cohorts" in page and "Export (all cohorts)" in page and "Log out" in page
    assert "Uitloggen" not in page

    switch(client, "nl")
    page = client.get("/trainer/").text
    assert 'lang="nl"' in page and "Uitloggen" in page


def test_a_manager_report_is_english_after_switching(client, auth, demo_world):
    assert auth.login("manager@delinde.example.nl", "demo-linde-2026").status_code == 302
    switch(client, "en")
    page = client.get("/manager/").text
    assert 'lang="en"' in page
    assert "Report Woonstichting De Linde" in page
    assert "Change per theme" in page and "Sector: change" in page
    assert "Verandering per thema" not in page

    switch(client, "nl")
    page = client.get("/manager/").text
    assert 'lang="nl"' in page and "Verandering per thema" in page


def english_catalogue():
    with open(CATALOGUE / "messages.po", "rb") as fh:
        return read_po(fh)


def test_every_message_has_an_english_translation():
    untranslated = [
        m.id
        for m in english_catalogue()
        if m.id and (not m.string or (m.pluralizable and not all(m.string)))
    ]
    assert untranslated == []


def test_the_committed_mo_file_matches_the_po_file():
    # Compile the .po in memory and compare messages: a stale .mo means someone forgot
    # `pybabel compile -d assess/translations` after editing the .po.
    compiled = BytesIO()
    write_mo(compiled, english_catalogue())
    compiled.seek(0)
    with open(CATALOGUE / "messages.mo", "rb") as fh:
        committed = read_mo(fh)

    def messages(catalogue):
        return {m.id if isinstance(m.id, str) else tuple(m.id): m.string for m in catalogue if m.id}

    assert messages(read_mo(compiled)) == messages(committed)
