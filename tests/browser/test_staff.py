"""Trainer, manager and admin pages in a real browser: the walk-through's findings (issue 17)."""

import pytest
from playwright.sync_api import expect

from assess.db import db
from assess.models import Cohort, User
from tests import factories as make
from tests.browser.conftest import assert_accessible, click_and_load, draw_charts

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
    # Only an admin creates corporations; this one exists already.
    make_user("manager", "manager@delinde.nl", organisation="De Linde")
    log_in(page, base_url, "trainer@example.nl")
    click_and_load(page, "text=Nieuw cohort")
    page.fill("#name", "Alleen een naam")
    click_and_load(page, "text=Opslaan")
    assert "Het cohort is aangemaakt." in page.inner_text(".flashes")

    click_and_load(page, "text=Deelnemer toevoegen")
    page.fill("#name", "Anouk de Vries")
    page.fill("#email", "anouk@delinde.nl")
    page.select_option("#organisation_id", label="De Linde")
    click_and_load(page, "main form button[type=submit], main form input[type=submit]")
    link = (
        page.locator("tr.participant", has_text="Anouk de Vries")
        .locator("input.link")
        .input_value()
    )

    participant = page.context.browser.new_context(locale="nl-NL").new_page()
    participant.goto(link)
    assert "De voormeting staat voor je klaar" in participant.inner_text("main")
    participant.goto(base_url + "/deelnemer/exit/pagina/1")
    assert "De nameting is nu niet open" in participant.inner_text("main")
    participant.goto(base_url + "/deelnemer/followup/pagina/1")
    assert "is nu niet open" in participant.inner_text("main")
    participant.context.close()


@pytest.fixture
def small_cohort(live_app, make_user):
    trainer = make_user("trainer", "trainer@example.nl")
    with live_app.app_context():
        cohort = make.cohort(trainer, "Najaar 2026", windows=make.windows())
        make.participants(cohort, 2)
        db.session.commit()
        return cohort.id


def test_revoking_a_link_reissuing_and_archiving_ask_first_also_without_javascript(
    browser, live_app, base_url, small_cohort
):
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, base_url, "trainer@example.nl")
    page.goto(base_url + f"/trainer/cohorten/{small_cohort}")
    card = page.locator("tr.participant").first
    link_before = card.locator("input.link").input_value()

    with page.expect_navigation():
        card.get_by_text("Link intrekken").click()
    assert page.locator("h1").inner_text().startswith("De link van ")
    # (axe needs JavaScript: the confirmation page is checked in the admin test below.)
    click_and_load(page, "text=Annuleren")
    assert page.locator("tr.participant").first.locator("input.link").input_value() == link_before

    with page.expect_navigation():
        page.locator("tr.participant").first.get_by_text("Link intrekken").click()
    click_and_load(page, "main button:has-text('Link intrekken')")
    assert "werkt niet meer" in page.inner_text(".flashes")
    assert "Geen werkende link" in page.locator("tr.participant").first.inner_text()

    with page.expect_navigation():
        page.locator("tr.participant").first.get_by_text("Nieuwe link").click()
    assert "een nieuwe link geven?" in page.locator("h1").inner_text()
    click_and_load(page, "main button:has-text('Nieuwe link maken')")
    assert page.locator("tr.participant").first.locator("input.link").count() == 1

    click_and_load(page, "main .actions >> text=Archiveren")
    assert page.locator("h1").inner_text() == "Najaar 2026 archiveren?"
    with live_app.app_context():
        assert db.session.get(Cohort, small_cohort).archived is False
    click_and_load(page, "main button:has-text('Archiveren')")
    assert "Het cohort is gearchiveerd." in page.inner_text(".flashes")
    context.close()


def test_an_admin_is_asked_before_deactivating_an_account(page, base_url, live_app, make_user):
    make_user("admin", "beheer@example.nl")
    target = make_user("trainer", "t@example.nl")
    log_in(page, base_url, "beheer@example.nl")
    page.goto(base_url + f"/beheer/accounts/{target}")
    click_and_load(page, "text=Account deactiveren")
    assert page.locator("h1").inner_text() == "t@example.nl deactiveren?"
    assert_accessible(page)
    with live_app.app_context():
        assert db.session.get(User, target).active is True
    click_and_load(page, "main button:has-text('Account deactiveren')")
    assert "is gedeactiveerd" in page.inner_text(".flashes")
    with live_app.app_context():
        assert db.session.get(User, target).active is False


def charts_drawn(page) -> None:
    draw_charts(page)


def inside(inner: dict, outer: dict) -> bool:
    return (
        inner["x"] >= outer["x"] - 1
        and inner["y"] >= outer["y"] - 1
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 1
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 1
    )


def overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.mark.parametrize("width", [390, 1280])
def test_analysis_opens_with_a_summary_names_no_ids_and_draws_readable_charts(
    page, base_url, live_app, make_user, width
):
    trainer = make_user("trainer", "trainer@example.nl")
    with live_app.app_context():
        cohort_id = make.filled_cohort(trainer, n=8).id
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, base_url, "trainer@example.nl")
    page.goto(base_url + f"/trainer/cohorten/{cohort_id}/analyse")
    charts_drawn(page)
    main = page.inner_text("main")
    summary = page.locator("section.summary")
    assert "Voor de volgende lesdag" in summary.inner_text()
    assert "Tijdmanagement" in summary.inner_text()
    assert summary.locator("nav a[href='#betrouwbaarheid']").count() == 1
    assert "sjt_" not in main and "leergang-woonconsulent" not in main
    assert "0,000" not in main
    # Sub-scales sit indented under their scale in the forest plot.
    ticks = page.locator("#chart-change .ytick text").all_text_contents()
    assert any(t.startswith("\u2003↳") for t in ticks) and any(
        not t.startswith("\u2003") for t in ticks
    )
    # The working-week chart: bars get room and the axis title is inside the chart.
    chart = page.locator("#chart-time").bounding_box()
    plot = page.locator("#chart-time .nsewdrag").first.bounding_box()
    assert plot["width"] > 0.45 * chart["width"]
    assert inside(page.locator("#chart-time .xtitle").bounding_box(), chart)
    # Its long wrapped labels keep apart.
    ticks = page.locator("#chart-time .ytick")
    boxes = [ticks.nth(i).bounding_box() for i in range(ticks.count())]
    assert len(boxes) == 3
    assert not any(overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    assert_accessible(page)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_analysis_page_is_short_with_its_long_sections_folded_and_prints_them_all(
    page, base_url, live_app, make_user, width
):
    trainer = make_user("trainer", "trainer@example.nl")
    with live_app.app_context():
        cohort_id = make.filled_cohort(trainer, n=12).id
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, base_url, "trainer@example.nl")
    page.goto(base_url + f"/trainer/cohorten/{cohort_id}/analyse")
    draw_charts(page, "main [data-chart]:not(details.more [data-chart])")  # the unfolded ones
    # Unfolded this page was over 20,000 px on a phone (the alpha table alone 15,000).
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < (8000 if width == 390 else 6500), height
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    folded = page.locator("main details.more")
    assert folded.count() >= 3 * 2 + 1 + 6  # per scale two, alpha, six situations
    assert page.locator("main details.more[open]").count() == 0
    # The summary comes first, before any chart.
    summary = page.locator("section.summary").bounding_box()
    assert summary["y"] < page.locator(".chart-figure").first.bounding_box()["y"]
    # A folded chart opens at the width of its box.
    slope = page.locator("section.scale details.more", has_text="Elke deelnemer").first
    slope.locator("> summary").click()
    assert slope.locator(".chart").bounding_box()["width"] > 0.8 * slope.bounding_box()["width"]
    alpha = page.locator("#betrouwbaarheid ~ details.more").first
    alpha.locator("> summary").click()
    expect(alpha.locator("table.alpha")).to_be_visible()
    assert_accessible(page)
    # Printed, every folded section is on paper.
    page.locator("#betrouwbaarheid ~ details.more > summary").first.click()
    page.emulate_media(media="print")
    expect(page.locator("table.alpha")).to_be_visible()
    expect(page.locator("section.scale table.stats").first).to_be_visible()
    assert_accessible(page)


def test_a_cohort_with_only_intakes_gets_an_empty_state_not_uncomputable_cells(
    page, base_url, live_app, make_user
):
    trainer = make_user("trainer", "trainer@example.nl")
    with live_app.app_context():
        cohort = make.cohort(trainer, "Net begonnen")
        for person in make.participants(cohort, 4):
            make.fill(person, "intake")
        db.session.commit()
        cohort_id = cohort.id
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base_url, "trainer@example.nl")
    page.goto(base_url + f"/trainer/cohorten/{cohort_id}/analyse")
    charts_drawn(page)
    main = page.inner_text("main")
    assert "nog niemand met zowel een voormeting als een nameting" in main
    assert "niet te berekenen (niet te berekenen" not in main
    assert "groter dan niet te berekenen" not in main
    assert "intake én eindmeting" not in main
    assert page.locator("#chart-change").count() == 0
    assert_accessible(page)


def test_compare_keeps_archived_cohorts_out_and_a_tiny_cohort_from_squashing_the_others(
    page, base_url, live_app, make_user
):
    trainer = make_user("trainer", "trainer@example.nl")
    with live_app.app_context():
        big = make.filled_cohort(trainer, n=10, name="Groot").id
        tiny = make.filled_cohort(trainer, n=2, name="Klein", seed=1).id
        old = make.filled_cohort(trainer, n=3, name="Oud archief", seed=2)
        old.archived = True
        db.session.commit()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base_url, "trainer@example.nl")
    page.goto(base_url + f"/trainer/vergelijken?cohort={big}&cohort={tiny}")
    charts_drawn(page)
    assert "Oud archief" not in page.inner_text("main")
    chart = page.locator("#chart-compare")
    assert "lopen door buiten de grafiek" in chart.locator(".annotation").first.text_content()
    legend = chart.locator(".legend").bounding_box()
    title = chart.locator(".xtitle").bounding_box()
    assert not overlap(legend, title)
    assert_accessible(page)
    page.check("input[name=archief]")
    click_and_load(page, "button[type=submit]:has-text('Vergelijk')")
    assert "Oud archief" in page.inner_text("main")


@pytest.mark.parametrize("width", [390, 1280])
def test_fifteen_participants_fit_a_compact_page_and_long_addresses_wrap(
    page, base_url, live_app, make_user, width
):
    trainer = make_user("trainer", "trainer@example.nl")
    with live_app.app_context():
        cohort = make.cohort(trainer, "Vol cohort", windows=make.windows())
        make.participants(cohort, 14)
        make.participant(
            cohort,
            "Lang Adres",
            "annemarie.van.der.heijden-bosman@woonstichting-de-linde.example.nl",
        )
        db.session.commit()
        cohort_id = cohort.id
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, base_url, "trainer@example.nl")
    page.goto(base_url + f"/trainer/cohorten/{cohort_id}")
    assert page.locator("tr.participant").count() == 15
    assert page.locator("main li.card").count() == 0  # no bulleted cards
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < (2600 if width == 1280 else 9000), height
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)


def test_the_managers_table_fits_1280_px_and_an_a4_column(page, base_url, live_app):
    from assess import demo

    with live_app.app_context():
        demo.load()
        db.session.remove()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base_url, "manager@delinde.example.nl", "demo-linde-2026")
    table = page.locator("table.report-table").first
    scroller = page.locator(".table-scroll:has(table.report-table)").first
    widths = scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert widths[0] <= widths[1], widths
    # A4 with 14 mm margins leaves a column of about 182 mm = 688 CSS pixels.
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 688, "height": 1000})
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 688, box
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(page)
