"""The course as it runs, in Chromium: a participant writes a goal on a phone and rates it in
the weekly pulse; the trainer's brief for the next course day prints on one A4 page."""

import re
from datetime import UTC, date, datetime

import pytest

from assess import clock
from assess.db import db
from tests import factories as make
from tests.browser.conftest import assert_accessible, click_and_load
from tests.browser.test_staff import log_in

pytestmark = pytest.mark.browser

NOW = datetime(2027, 2, 12, 9, 0, tzinfo=UTC)  # Friday after course day 3


@pytest.fixture
def course(live_app, make_user, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    trainer = make_user("trainer", "trainer@example.nl")
    with live_app.app_context():
        group = make.course_days_of(make.cohort(trainer, "Voorjaar 2027"))
        week = make.pulse_week(group, date(2027, 2, 12))
        people = make.participants(group, 6)
        for n, person in enumerate(people):
            make.pulse_answer(person, week, worked=f"Eerst de wijkschouw, dan de mail ({n})")
            make.goal(person, f"Doel {n}", levels=[(week.id, (-1, 0, 1)[n % 3])])
        _, token = make.invited(group)
        db.session.commit()
        return {"cohort": group.id, "pulse": week.id, "token": token}


def test_a_participant_writes_a_goal_on_a_phone_and_rates_it_in_the_pulse(page, base_url, course):
    page.goto(f"{base_url}/s/{course['token']}")
    assert "Volgende lesdag: lesdag 4, donderdag 25 februari 2027" in page.inner_text("main")
    click_and_load(page, "text=Naar je doelen")
    click_and_load(page, "text=Schrijf een doel")
    assert_accessible(page)
    page.select_option("#theme", "nee_zeggen")
    page.fill("#text", "Ik zeg vaker nee tegen klusjes van collega's.")
    page.fill("#if_then", "Ik kijk eerst in mijn planning.")  # no "als … dan": refused
    for name, text in (
        ("level_minus2", "Nooit."),
        ("level_minus1", "Eén keer per maand."),
        ("level_0", "Eén keer per week."),
        ("level_plus1", "Twee keer per week."),
        ("level_plus2", "Altijd als het niet bij mijn rol hoort."),
    ):
        page.fill(f"#{name}", text)
    click_and_load(page, "text=Doel opslaan")
    assert "met ‘als’ en ‘dan’" in page.inner_text("main")
    assert page.input_value("#level_0") == "Eén keer per week."  # what was typed is kept
    page.fill("#if_then", "Als een collega iets vraagt, dan kijk ik eerst in mijn planning.")
    click_and_load(page, "text=Doel opslaan")
    assert "Je doel is opgeslagen." in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.goto(f"{base_url}/deelnemer/weekpuls/{course['pulse']}")
    assert_accessible(page)
    page.fill("#a_puls_gepland", "40")
    page.fill("#a_puls_reactief", "30")
    page.locator("input[name^='doel-'][value='1']").check()
    for item in page.locator("fieldset.item-likert, fieldset.item-choice").all():
        radios = item.locator("input[type=radio]")
        if not item.locator("input:checked").count():
            radios.first.check()
    for field in page.locator("input[type=number]").all():
        if not field.input_value():
            field.fill("1")
    click_and_load(page, "button.primary")
    page.goto(f"{base_url}/deelnemer/doelen")
    assert "+1 — Twee keer per week." in page.inner_text("main")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_brief_for_the_next_course_day_prints_on_one_a4(page, base_url, course, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, base_url, "trainer@example.nl")
    page.goto(f"{base_url}/trainer/cohorten/{course['cohort']}/voor-de-lesdag")
    main = page.inner_text("main")
    assert "Voor lesdag 4, donderdag 25 februari 2027" in main
    assert "Eerst de wijkschouw, dan de mail (3)" in main
    assert "gemiddelde doelscore (GAS T-score) is 50,0" in main
    assert_accessible(page)
    pdf = page.pdf(format="A4", print_background=False)
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    assert len(pages) == 1
