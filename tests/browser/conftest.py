"""Real headless Chromium (Debian's, driven by Playwright; the `browser` fixture lives in
tests/conftest.py, shared with tests/deploy) against the app on a live server."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import close_app, fresh_app


@pytest.fixture
def live_app(app_config, database_url):
    """The app with CSRF on (as in production), served on a free loopback port."""
    app_config["WTF_CSRF_ENABLED"] = True
    app = fresh_app(app_config, database_url)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app
    server.shutdown()
    thread.join(5)
    close_app(app)


@pytest.fixture
def base_url(live_app) -> str:
    return live_app.config["BASE_URL"]


@pytest.fixture
def page(browser, live_app):
    """A fresh browser context per test; console errors (CSP violations too) fail the test."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    yield page
    context.close()
    assert not errors, f"browser console errors: {errors}"


def assert_accessible(page) -> None:
    """axe-core finds no serious or critical violations on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, "\n".join(bad)


def click_and_load(page, selector: str) -> None:
    """Click something that loads a new page and wait until that page has fully loaded.

    A plain click returns once the next document has started loading, so counting or
    reading elements straight after it can see a half-parsed page (seen under CI load).
    """
    with page.expect_navigation():
        page.click(selector)


def draw_charts(page, selector: str = "[data-chart]", timeout: float = 20000) -> None:
    """Unfold and scroll to each chart as a reader would and wait until it is drawn:
    charts.js draws a chart only when it comes near the screen."""
    from playwright.sync_api import expect

    charts = page.locator(selector)
    expect(charts.first).to_be_attached(timeout=timeout)
    for k in range(charts.count()):
        chart = charts.nth(k)
        # A chart in a folded section is drawn when the reader unfolds it.
        # Clicked, as a reader does, so the unfolding counts as their own layout change.
        folded = chart.locator("xpath=ancestor::details[not(@open)]")
        for j in range(folded.count()):
            folded.nth(j).locator("xpath=./summary").click()
        chart.scroll_into_view_if_needed()
        expect(chart).to_have_attribute("data-rendered", "true", timeout=timeout)
