"""The mail pages in a real browser: choose, preview, send, see the result; accessible."""

import pytest

from assess.db import db
from tests import factories as make
from tests.browser.conftest import assert_accessible, click_and_load
from tests.mail_server import smtp_server

pytestmark = pytest.mark.browser


def test_trainer_previews_sends_and_sees_the_result(page, base_url, live_app, make_user):
    trainer = make_user("trainer", "trainer@example.nl", name="Trainer Demo")
    with live_app.app_context():
        cohort = make.mail_cohort(trainer)
        make.participant(cohort, "Anouk de Vries", "anouk@delinde.example.nl")
        make.participant(cohort, "Bram Jansen", "bram.delinde.example.nl")
        db.session.commit()
    page.goto(base_url + "/auth/login")
    page.fill("#email", "trainer@example.nl")
    page.fill("#password", "een-goed-wachtwoord")
    click_and_load(page, "text=Inloggen >> nth=-1")
    with smtp_server(live_app) as inbox:
        page.goto(f"{base_url}/trainer/mail/{cohort}/versturen")
        page.check("text=Alle deelnemers")
        click_and_load(page, "text=Voorbeeld bekijken")
        assert "Deze uitnodiging gaat naar 1 deelnemer." in page.content()  # Bram: no address
        assert_accessible(page)
        click_and_load(page, "text=Verstuur naar 1 deelnemer")
        assert "1 uitnodiging verstuurd." in page.locator(".flashes").inner_text()
        assert "geen geldig e-mailadres" in page.locator("#moment-intake table").inner_text()
        assert_accessible(page)
    assert len(inbox.messages) == 1
    page.goto(f"{base_url}/trainer/mail/{cohort}/tekst")
    page.fill("#body", "Hoi {voornaam}")
    click_and_load(page, "text=Tekst opslaan")
    assert "Onbekende plaatshouder {voornaam}." in page.locator(".errors").inner_text()
    assert_accessible(page)
