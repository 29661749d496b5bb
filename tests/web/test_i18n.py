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
from assess.engine import claims, stats
from assess.engine.messages import TEXTS, Message
from assess.formatting import figure, say
from assess.models import Participant
from assess.survey import tokens
from tests import factories as make

CATALOGUE = Path(__file__).resolve().parents[2] / "assess" / "translations" / "en" / "LC_MESSAGES"


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
        _, token = make.invited(make.cohort(windows=make.windows()))
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


def test_every_engine_message_is_in_the_english_catalogue():
    translated = {m.id: m.string for m in english_catalogue() if m.id and not m.fuzzy}
    assert [text for text in TEXTS.values() if not translated.get(text)] == []


def test_an_explanation_reads_in_dutch_with_a_comma_and_in_english_with_a_point():
    alpha = stats.explain_alpha(stats.alpha_with_interval(0.934, 120, 11))
    assert say(alpha, "nl").startswith(
        "Betrouwbaarheid uitstekend (alfa = 0,93, 95%-interval 0,92 tot 0,95, n = 120): de "
    )
    assert say(alpha, "en").startswith(
        "Excellent reliability (alpha = 0.93, 95% interval 0.92 to 0.95, n = 120): the answers"
    )
    p = stats.explain_p(0.0004)
    assert say(p, "nl").startswith("p < 0,001: als er in werkelijkheid gemiddeld niets")
    assert "(significant bij 5 %)" in say(p, "nl") and "toeval" not in say(p, "nl").split(".")[0]
    assert say(p, "en").startswith("p < 0.001: a difference at least this large would rarely")
    assert say(stats.explain_p(0.21), "en").startswith("p = 0.210: a difference of this size")


def test_a_not_computable_figure_says_why_in_the_readers_language():
    empty = stats.paired_change([], [])
    assert say(claims.explain_size(empty.d_z, empty.ci_low, empty.ci_high), "nl") == (
        "niet te berekenen: geen volledige paren (voormeting én nameting)"
    )
    assert say(claims.explain_size(empty.d_z, empty.ci_low, empty.ci_high), "en") == (
        "not computable: no complete pairs (intake and exit)"
    )
    assert figure(empty.d_z, 2, "nl") == "niet te berekenen"
    assert figure(None, 2, "en") == "not computable"


def test_a_figure_is_formatted_for_the_locale_and_a_rounded_zero_has_no_minus():
    assert figure(0.456, 2, "nl") == "0,46" and figure(0.456, 2, "en") == "0.46"
    assert figure(-0.001, 2, "nl") == "0,00" and figure(-0.6, 1, "en") == "-0.6"


def test_an_answer_message_shows_its_bounds_as_short_numbers_in_the_locale():
    message = Message("answer.number_range", {"min": 0.0, "max": 2.5})
    assert say(message, "nl") == "Vul een getal in van 0 tot en met 2,5."
    assert say(message, "en") == "Enter a number from 0 to 2.5."
    too_long = Message("answer.too_long", {"max": 2000, "length": 2001})
    assert say(too_long, "nl") == "Je antwoord is te lang: maximaal 2000 tekens (nu 2001)."


def test_a_participant_who_enters_a_number_out_of_range_is_told_so_in_english(app, client):
    with app.app_context():
        _, token = make.invited(make.cohort(windows=make.windows()))
    assert client.get(f"/s/{token}").status_code in (302, 303)
    switch(client, "en")
    response = client.post("/deelnemer/intake/pagina/2/autosave", data={"a_tijd_reactief": "150"})
    assert response.json["errors"]["tijd_reactief"] == "Enter a number from 0 to 100."
