"""The mail pages in a real browser: choose, preview, queue, see the result arrive; accessible."""

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
        assert "1 mail in de wachtrij" in page.locator(".flashes").inner_text()
        table = page.locator("#moment-intake table")
        assert "in de wachtrij" in table.inner_text()
        assert "geen geldig e-mailadres" in table.inner_text()
        assert_accessible(page)
        assert inbox.messages == []
        live_app.test_cli_runner().invoke(args=["mail-worker", "--once"])
        # The page follows the outbox by itself: no reload.
        page.locator("#moment-intake .badge.ok").wait_for(timeout=20_000)
        assert "in de wachtrij" not in table.inner_text()
    assert len(inbox.messages) == 1
    page.goto(f"{base_url}/trainer/mail/{cohort}/tekst")
    page.fill("#body", "Hoi {voornaam}")
    click_and_load(page, "text=Tekst opslaan")
    assert "Onbekende plaatshouder {voornaam}." in page.locator(".errors").inner_text()
    assert_accessible(page)
