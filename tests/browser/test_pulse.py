"""The weekly pulse on a 390 px phone in Chromium, with and without JavaScript: from the home
page to the answers and the participant's own weeks."""

from datetime import timedelta

import pytest

from assess import clock
from assess.db import db
from assess.models import Participant
from tests import factories as make
from tests.browser.conftest import assert_accessible, click_and_load, draw_charts

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def link(live_app, base_url):
    """A participant whose cohort has last week's pulse (answered) and this week's (open)."""
    today = clock.today()
    with live_app.app_context():
        group = make.cohort(windows=make.windows(intake="closed"))
        pid, token = make.invited(group)
        last = make.pulse_week(group, today - timedelta(days=7))
        make.pulse_week(group, today, days_open=3)
        make.pulse_answer(db.session.get(Participant, pid), last, planned=30)
        db.session.commit()
    return base_url + f"/s/{token}"


def fill_pulse(page) -> None:
    page.fill("input[name=a_puls_gepland]", "45")
    page.fill("input[name=a_puls_reactief]", "35")
    page.check("input[name=a_puls_nee][value='2_3']")
    page.check("input[name=a_puls_nee_ging][value=wisselend]")
    page.check("input[name=a_puls_afspraken][value='1']")
    page.fill("[name=a_puls_werkte]", "Om 9 uur de telefoon doorgeschakeld <b>en</b> gepland")


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page is {width} px wide on a {PHONE['width']} px phone"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_pulse_on_a_phone(browser, link, javascript) -> None:
    context = browser.new_context(java_script_enabled=javascript, locale="nl-NL", viewport=PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        page.goto(link)
        assert page.get_by_role("heading", name="De weekpuls staat voor je klaar").is_visible()
        click_and_load(page, "text=Vul de weekpuls in")
        assert page.get_by_role("heading", name="Je afgelopen week").is_visible()
        no_sideways_scroll(page)
        if javascript:
            assert_accessible(page)
        # Too much time in total: the message sits at the item and everything typed stays.
        fill_pulse(page)
        page.fill("input[name=a_puls_gepland]", "80")
        click_and_load(page, "button:has-text('Versturen')")
        assert "dat kan hoogstens 100% zijn" in page.inner_text("#a_puls_gepland-error")
        assert page.input_value("[name=a_puls_werkte]").startswith("Om 9 uur")
        page.fill("input[name=a_puls_gepland]", "45")
        click_and_load(page, "button:has-text('Versturen')")
        assert page.get_by_text("Je weekpuls is opgeslagen").is_visible()
        assert page.get_by_text("Je deel gepland werk ging van 30%").is_visible()
        # The table is there for screen readers and print; open without JavaScript.
        table = page.locator("details.chart-table table")
        assert "45" in table.text_content()
        chart = page.locator("#weekpuls")
        if javascript:
            chart.wait_for(state="visible")
            page.wait_for_selector("#weekpuls .main-svg")
            assert chart.bounding_box()["width"] <= PHONE["width"]
            assert_accessible(page)
        else:
            assert chart.is_hidden() and table.is_visible()
        no_sideways_scroll(page)
    finally:
        context.close()
    assert not errors, f"browser console errors: {errors}"


def test_the_trainers_week_view_on_a_phone(page, base_url, live_app, make_user) -> None:
    """Switch the pulse on, then read a week with answers: no sideways scroll, accessible,
    the chart drawn."""
    trainer = make_user("trainer", "trainer@example.nl")
    today = clock.today()
    with live_app.app_context():
        group = make.cohort(trainer, "Voorjaar 2026", start_date=today - timedelta(days=14))
        people = make.participants(group, 6)
        week = make.pulse_week(group, today - timedelta(days=7))
        for n, person in enumerate(people):
            make.pulse_answer(person, week, planned=20 + 10 * n, worked=f"Iets dat werkte {n}")
        db.session.commit()
        cohort_id = group.id
    page.goto(base_url + "/auth/login")
    page.fill("#email", "trainer@example.nl")
    page.fill("#password", "een-goed-wachtwoord")
    click_and_load(page, "text=Inloggen >> nth=-1")
    page.goto(base_url + f"/trainer/cohorten/{cohort_id}/weekpuls")
    page.fill("#first_day", (today + timedelta(days=1)).isoformat())
    page.fill("#last_day", (today + timedelta(days=30)).isoformat())
    page.fill("#days_open", "12")
    click_and_load(page, "text=Opslaan")
    assert "1 tot en met 7 dagen" in page.inner_text("#days_open-error, .errors")
    page.fill("#days_open", "3")
    click_and_load(page, "text=Opslaan")
    assert "De weekpuls staat aan." in page.inner_text(".flashes")
    draw_charts(page, "#chart-weekpuls")
    assert "Iets dat werkte 3" in page.inner_text("ul.quotes")
    no_sideways_scroll(page)
    assert_accessible(page)
