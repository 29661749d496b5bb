"""A manager in real headless Chromium: report with charts and benchmark, beleidsscan, policy view."""

from __future__ import annotations

import pytest

from assess import demo
from assess.db import db
from assess.survey import questionnaires
from tests.browser.conftest import assert_accessible, click_and_load, draw_charts

pytestmark = pytest.mark.browser


@pytest.fixture
def world(live_app):
    with live_app.app_context():
        demo.load()
        q = questionnaires.get("beleidsscan")
        items = [(i, q.items_by_id[i].type) for i in q.item_ids_for("policy")]
        db.session.remove()
    return items


def log_in(page, base_url, email, password):
    page.goto(f"{base_url}/auth/login")
    page.fill("#email", email)
    page.fill("#password", password)
    click_and_load(page, "button[type=submit], input[type=submit]")
    page.wait_for_url(f"{base_url}/manager/")


def test_manager_sees_report_fills_beleidsscan_and_sees_policy_vs_work_floor(page, base_url, world):
    log_in(page, base_url, "manager@delinde.example.nl", "demo-linde-2026")
    assert page.locator("h1").inner_text() == "Rapportage Woonstichting De Linde"
    draw_charts(page, "#chart-change")
    draw_charts(page, "#chart-trend")
    assert page.get_by_text("Sector: verandering").count() == 1
    assert (
        "Volgens hun eigen inschatting hebben uw consulenten" in page.locator(".memo").inner_text()
    )
    assert_accessible(page)

    page.select_option("#per", "periode")
    click_and_load(page, "form.filters button[type=submit]")
    draw_charts(page, "#chart-trend")

    click_and_load(page, "text=Beleidsscan")
    page.wait_for_url(f"{base_url}/manager/beleidsscan")
    assert_accessible(page)
    for item_id, kind in world:
        if kind == "numeric":
            page.fill(f"#a_{item_id}", "30")
        else:
            page.check(f"#a_{item_id}-4")
    click_and_load(page, "#submit")
    page.wait_for_url(f"{base_url}/manager/beleid")
    assert "Uw beleidsscan is opgeslagen" in page.content()
    assert page.get_by_role("heading", name="Per thema").count() == 1
    draw_charts(page, "#chart-policy")
    assert_accessible(page)


def test_manager_of_another_corporation_sees_none_of_it(page, base_url, world):
    log_in(page, base_url, "manager@hetbaken.example.nl", "demo-baken-2026")
    assert page.locator("h1").inner_text() == "Rapportage Wooncorporatie Het Baken"
    assert "De Linde" not in page.content()
    page.goto(f"{base_url}/manager/beleid")
    assert "De Linde" not in page.content()
