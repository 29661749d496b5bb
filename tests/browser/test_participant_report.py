"""The participant's report in Chromium: without JavaScript, on a 390 px phone and at 1280 px;
and the survey's small courtesies (no "Vorige" on page 1, focus on the error summary)."""

import pytest

from assess.db import db
from assess.survey import questionnaires
from tests import factories as make
from tests.browser.conftest import assert_accessible, click_and_load
from tests.browser.test_participant_journey import answer_page

pytestmark = pytest.mark.browser


@pytest.fixture(params=[False, True], ids=["exit", "followup"])
def signed_in(request, live_app, base_url):
    """A participant whose intake and exit scores are equal on every dimension (the exit
    repeats the intake's answers), and with a follow-up in the second run, signed in through
    their link; returns a function that opens the link in a page."""
    with live_app.app_context():
        group = make.cohort(windows=make.windows(intake="closed", exit="open"))
        pid, token = make.invited(group)
        given = make.fill(pid, "intake", seed=1)
        at_exit = set(questionnaires.get(group.questionnaire_id).item_ids_for("exit"))
        make.fill(pid, "exit", seed=2, extra={k: v for k, v in given.items() if k in at_exit})
        if request.param:
            make.fill(pid, "followup", seed=3)
        db.session.commit()

    def open_link(page):
        page.goto(base_url + f"/s/{token}")

    return open_link


def boxes_overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_without_javascript_each_chart_shows_its_table(browser, live_app, base_url, signed_in):
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    try:
        signed_in(page)
        page.goto(base_url + "/deelnemer/rapport")
        figures = page.locator("figure.chart-figure")
        assert figures.count() == 2
        for k in range(figures.count()):
            figure = figures.nth(k)
            assert not figure.locator(".chart").is_visible()  # no empty white box
            assert figure.locator("table").is_visible()
            assert figure.locator("tbody tr").count() >= 3
    finally:
        context.close()


def test_with_javascript_the_chart_draws_and_its_table_folds_away(page, base_url, signed_in):
    signed_in(page)
    page.goto(base_url + "/deelnemer/rapport")
    page.locator("#chart-dimensies[data-rendered]").wait_for()
    figure = page.locator("figure.chart-figure").first
    assert figure.locator(".chart").is_visible()
    assert not figure.locator("table").is_visible()
    assert figure.locator("summary", has_text="Toon als tabel").is_visible()


def test_progress_chart_on_a_phone_shows_equal_scores_apart_and_fits(page, base_url, signed_in):
    signed_in(page)
    page.goto(base_url + "/deelnemer/rapport")
    chart = page.locator("#chart-dimensies[data-rendered]")
    chart.wait_for()
    # Equal intake and exit scores: every marker (intake, terugblik, exit for three
    # dimensions) visible, none under another.
    markers = chart.locator(".scatterlayer .trace .points path.point")
    centres = set()
    for k in range(markers.count()):
        box = markers.nth(k).bounding_box()
        centres.add((round(box["x"] + box["width"] / 2), round(box["y"] + box["height"] / 2)))
    moments = page.locator("#chart-dimensies-data").evaluate(
        "el => JSON.parse(el.textContent).data.filter(t => t.mode === 'markers+text').length"
    )
    assert markers.count() == 3 * moments and len(centres) == 3 * moments
    # ... with their values written beside them.
    assert chart.locator(".scatterlayer .textpoint").count() == 3 * moments
    # The plot takes most of the phone's width, and the axis title does not touch the legend.
    plot = chart.locator(".nsewdrag").first.bounding_box()
    assert plot["width"] > 300
    title = chart.locator(".xtitle").bounding_box()
    legend = chart.locator(".legend").bounding_box()
    assert not boxes_overlap(title, legend)
    assert legend["y"] > title["y"]  # the legend below the axis title
    # The score tables fit without sideways scrolling, the last column on screen.
    for region in page.locator(".scale-report .table-scroll").all():
        assert region.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert_accessible(page)


def test_report_at_desktop_width_is_accessible_and_fits(browser, live_app, base_url, signed_in):
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        signed_in(page)
        page.goto(base_url + "/deelnemer/rapport")
        page.locator("#chart-dimensies[data-rendered]").wait_for()
        page.locator("#chart-dimensies").screenshot(path="/tmp/uxp-chart-1280.png")
        title = page.locator("#chart-dimensies .xtitle").bounding_box()
        legend = page.locator("#chart-dimensies .legend").bounding_box()
        assert not boxes_overlap(title, legend)
        for region in page.locator(".scale-report .table-scroll").all():
            assert region.evaluate("el => el.scrollWidth <= el.clientWidth")
        assert_accessible(page)
    finally:
        context.close()


def test_page_one_has_no_vorige_and_a_failed_volgende_focuses_the_error_summary(
    page, live_app, base_url
):
    with live_app.app_context():
        _pid, token = make.invited(make.cohort(windows=make.windows()))
    page.goto(base_url + f"/s/{token}")
    click_and_load(page, "text=Begin met invullen")
    assert "Pagina 1 van" in page.locator("main").inner_text()
    assert page.locator("button[value=prev]").count() == 0
    assert page.locator("button[value=next]").is_visible()
    answer_page(page)
    click_and_load(page, "button[value=next]")
    assert page.locator("button[value=prev]").is_visible()  # page 2 does have "Vorige"
    click_and_load(page, "button[value=next]")  # nothing answered
    summary = page.locator("#fouten")
    assert summary.is_visible()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'fouten'")
    assert_accessible(page)
