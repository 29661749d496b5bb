"""Trainer, manager and admin pages in a real browser: the walk-through's findings (issue 17)."""

import pytest

from tests.browser.conftest import assert_accessible, click_and_load

pytestmark = pytest.mark.browser

PASSWORD = "een-goed-wachtwoord"


def log_in(page, base_url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(base_url + "/auth/login")
    page.fill("#email", email)
    page.fill("#password", password)
    click_and_load(page, "text=Inloggen >> nth=-1")


def test_a_cohort_made_with_only_a_name_opens_the_intake_and_not_the_exit(
    page, base_url, make_user
):
    make_user("trainer", "trainer@example.nl")
    log_in(page, base_url, "trainer@example.nl")
    click_and_load(page, "text=Nieuw cohort")
    page.fill("#name", "Alleen een naam")
    click_and_load(page, "text=Opslaan")
    assert "Het cohort is aangemaakt." in page.inner_text(".flashes")

    click_and_load(page, "text=Deelnemer toevoegen")
    page.fill("#name", "Anouk de Vries")
    page.fill("#email", "anouk@delinde.nl")
    page.fill("#new_organisation", "De Linde")
    click_and_load(page, "main form button[type=submit], main form input[type=submit]")
    link = page.locator("li.card", has_text="Anouk de Vries").locator("input.link").input_value()

    participant = page.context.browser.new_context(locale="nl-NL").new_page()
    participant.goto(link)
    assert "De voormeting staat voor je klaar" in participant.inner_text("main")
    participant.goto(base_url + "/deelnemer/exit/pagina/1")
    assert "De nameting is nu niet open" in participant.inner_text("main")
    participant.goto(base_url + "/deelnemer/followup/pagina/1")
    assert "is nu niet open" in participant.inner_text("main")
    participant.context.close()
