"""One participant in real headless Chromium: the link, the intake (closing the page halfway and
resuming), submit and the report; then the exit and the report with both moments."""

from datetime import timedelta

import pytest

from assess import clock
from assess.db import db
from assess.models import Cohort
from tests import factories as make
from tests.browser.conftest import assert_accessible, click_and_load

pytestmark = pytest.mark.browser


@pytest.fixture
def link(live_app, base_url):
    with live_app.app_context():
        cohort = make.cohort(windows=make.windows())
        _pid, token = make.invited(cohort)
        cohort_id = cohort.id
    return base_url + f"/s/{token}", cohort_id


def answer_page(page, option: int = 2) -> None:
    """Answer every item on the current survey page."""
    groups = page.locator("fieldset.item")
    for k in range(groups.count()):
        labels = groups.nth(k).locator("ul.choices label")
        labels.nth(min(option, labels.count() - 1)).click()
    numbers = page.locator("input.numeric")
    for k in range(numbers.count()):
        numbers.nth(k).fill("20")
    texts = page.locator("textarea")
    for k in range(texts.count()):
        texts.nth(k).fill("Elke maandag een blok plannen en het wijkteam vaker bellen.")


def finish_moment(page, pages: int) -> None:
    while "/pagina/" in page.url:
        answer_page(page)
        click_and_load(page, "button[value=next]")
    assert page.url.endswith("/controle")
    assert page.locator("h1").inner_text() == "Controleer je antwoorden"
    assert page.locator("h2").count() == pages
    assert_accessible(page)
    click_and_load(page, "text=Antwoorden indienen")
    done = page.locator("main").inner_text()
    assert "Dank je wel!" in done and "al ingediend" not in done
    assert_accessible(page)


def test_participant_fills_intake_resumes_submits_and_reads_report_then_exit(page, live_app, link):
    url, cohort_id = link
    page.goto(url)
    assert page.url.endswith("/deelnemer/")
    assert "De voormeting staat voor je klaar" in page.locator("main").inner_text()
    assert_accessible(page)

    click_and_load(page, "text=Begin met invullen")
    assert "Pagina 1 van 7" in page.locator("main").inner_text()
    assert_accessible(page)
    for _ in range(2):
        answer_page(page)
        click_and_load(page, "button[value=next]")
    # page 3: a missing answer is named next to the item, the given ones are kept
    page.locator("fieldset.item").first.locator("label").nth(3).click()
    click_and_load(page, "button[value=next]")
    # Page 3 of version 2 holds 13 required statements: 12 left open.
    assert page.locator(".item-error").count() == 12
    assert page.locator("fieldset.item").first.locator("input").nth(3).is_checked()
    assert_accessible(page)
    # autosave: one more answer, then the browser is closed without pressing a button
    page.locator("fieldset.item").nth(1).locator("label").nth(1).click()
    page.locator(".autosave-status", has_text="opgeslagen").wait_for()
    context, errors = page.context, page.console_errors
    page.close()

    page = context.new_page()
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    assert "Verder met invullen" in page.locator("main").inner_text()
    click_and_load(page, "text=Verder met invullen")
    assert page.url.endswith("/deelnemer/intake/pagina/3")
    assert page.locator("fieldset.item").first.locator("input").nth(3).is_checked()
    assert page.locator("fieldset.item").nth(1).locator("input").nth(1).is_checked()
    finish_moment(page, 7)

    click_and_load(page, "text=Bekijk je persoonlijke rapport")
    page.locator("#chart-dimensies[data-rendered]").wait_for()
    assert "Tijdmanagement" in page.locator("main").inner_text()
    assert_accessible(page)

    with live_app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        cohort.window("intake").closes_on = clock.today() - timedelta(days=1)
        cohort.window("intake").opens_on = clock.today() - timedelta(days=5)
        cohort.window("exit").opens_on = clock.today()
        db.session.commit()
    page.goto(url)
    assert "De nameting staat voor je klaar" in page.locator("main").inner_text()
    click_and_load(page, "text=Begin met invullen")
    finish_moment(page, 10)
    click_and_load(page, "text=Bekijk je persoonlijke rapport")
    page.locator("#chart-dimensies[data-rendered]").wait_for()
    text = page.locator("main").inner_text()
    assert "Wat betekent de terugblik?" in text
    assert "Jouw keuze (nameting):" in text
    assert_accessible(page)


def test_survey_page_works_without_javascript(browser, live_app, link):
    url, _cohort_id = link
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    try:
        page.goto(url)
        click_and_load(page, "text=Begin met invullen")
        answer_page(page)
        click_and_load(page, "button[value=next]")
        assert page.url.endswith("/deelnemer/intake/pagina/2")
        click_and_load(page, "button[value=prev]")
        assert page.locator("fieldset.item").first.locator("input").nth(2).is_checked()
        click_and_load(page, "text=Opslaan en later verder")
        assert "Je antwoorden zijn bewaard" in page.locator("main").inner_text()
    finally:
        context.close()
