"""How chart pages load (static/js/charts.js): a chart is drawn when it comes into view, the page
does not move when it appears, and without JavaScript every chart is its table."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assess import demo
from assess.db import db
from assess.models import Cohort
from tests.browser.conftest import assert_accessible, click_and_load, draw_charts

pytestmark = pytest.mark.browser

# The sum of the page's layout shifts so far that no input caused (CLS without its windows).
LAYOUT_SHIFT = """() => new Promise(resolve => {
    let total = 0;
    new PerformanceObserver(list => {
        for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
    }).observe({type: 'layout-shift', buffered: true});
    setTimeout(() => resolve(total), 200);
})"""


@pytest.fixture
def analysis(live_app, base_url) -> str:
    """The demo world; the address of the first demo cohort's analysis page."""
    with live_app.app_context():
        demo.load()
        cohort_id = db.session.scalars(db.select(Cohort.id).order_by(Cohort.id)).first()
        db.session.remove()
    return f"{base_url}/trainer/cohorten/{cohort_id}/analyse"


def sign_in(page, base_url) -> None:
    page.goto(f"{base_url}/auth/login")
    page.fill("#email", "trainer@example.nl")
    page.fill("#password", "demo-trainer-2026")
    click_and_load(page, "form:has(#password) [type=submit]")


def test_a_chart_far_below_is_drawn_only_when_the_reader_scrolls_to_it(page, base_url, analysis):
    sign_in(page, base_url)
    page.goto(analysis)
    charts = page.locator("[data-chart]")
    first, last = charts.first, charts.last
    draw_charts(page, f"#{first.get_attribute('id')}")
    screen = page.viewport_size["height"]
    assert last.bounding_box()["y"] > 3 * screen  # still far below what the reader sees
    # The charts near the screen are drawn one after another; the one far below is not.
    page.wait_for_timeout(500)
    expect(last).not_to_have_attribute("data-rendered", "true")
    assert page.locator("[data-chart][data-rendered=true]").count() < charts.count()
    # Its table is there, folded, for a screen reader.
    assert last.locator("xpath=..").locator("details.chart-table summary").is_visible()
    last.scroll_into_view_if_needed()
    expect(last).to_have_attribute("data-rendered", "true", timeout=20000)
    assert last.is_visible()


def test_drawing_the_charts_does_not_move_the_page(page, base_url, analysis):
    sign_in(page, base_url)
    page.goto(analysis)
    draw_charts(page)  # scrolls through the page, drawing every chart
    assert page.evaluate(LAYOUT_SHIFT) == 0
    assert_accessible(page)


def test_without_javascript_every_chart_on_the_analysis_is_a_table(browser, live_app, analysis):
    base_url = live_app.config["BASE_URL"]
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    try:
        sign_in(page, base_url)
        page.goto(analysis)
        # The reader unfolds the folded sections (a plain <details>: no script needed).
        for summary in page.locator("details.more > summary").all():
            summary.click()
        figures = page.locator("figure.chart-figure")
        assert figures.count() > 5
        for k in range(figures.count()):
            figure = figures.nth(k)
            assert not figure.locator(".chart").is_visible()  # no empty box
            assert figure.locator("table").is_visible()
    finally:
        context.close()
