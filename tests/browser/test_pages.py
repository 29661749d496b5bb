"""The base layout in a real browser: login page, language switch, accessibility."""

import pytest

from tests.browser.conftest import assert_accessible, click_and_load

pytestmark = pytest.mark.browser


def test_login_page_is_accessible_and_dutch(page, base_url):
    page.goto(base_url + "/auth/login")
    assert page.locator("h1").inner_text() == "Inloggen"
    assert_accessible(page)


def test_wrong_password_shows_message_next_to_field(page, base_url, make_user):
    make_user("trainer", "trainer@example.nl")
    page.goto(base_url + "/auth/login")
    page.fill("#email", "trainer@example.nl")
    page.fill("#password", "fout-fout-fout")
    click_and_load(page, "text=Inloggen >> nth=-1")
    assert "horen niet bij elkaar" in page.locator(".errors").inner_text()
    assert page.input_value("#email") == "trainer@example.nl"
