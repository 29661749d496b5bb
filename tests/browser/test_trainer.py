"""The trainer's workspace in a real browser: from a new cohort to charts, on a phone width."""

import random

import pytest
from playwright.sync_api import expect

from assess.db import db
from assess.engine import simulate_answers
from assess.models import Cohort, Participant
from assess.survey import questionnaires, responses
from tests import factories as make
from tests.browser.conftest import assert_accessible, click_and_load, draw_charts

pytestmark = pytest.mark.browser

LIST_WITH_A_BAD_ROW = "\n".join(
    [
        "naam\te-mail\tcorporatie",
        "Anouk de Vries\tanouk@delinde.nl\tWoonstichting De Linde",
        "Bram Jansen\tbram.delinde.nl\tWoonstichting De Linde",
        "Chantal Bakker\tchantal@delinde.nl\tWoonstichting De Linde",
        "Daan Visser\tdaan@hetbaken.nl\tHet Baken",
        "Esra Smit\tesra@hetbaken.nl\tHet Baken",
    ]
)


def submit_intake(app, email: str) -> None:
    """The participant fills in and submits the intake (the survey pages are built elsewhere)."""
    with app.app_context():
        person = db.session.execute(db.select(Participant).filter_by(email=email)).scalar_one()
        q = questionnaires.get(person.cohort.questionnaire_id)
        response = responses.get_or_create(q, "intake", participant_id=person.id)
        responses.save_answers(response, simulate_answers(q, "intake", random.Random(1), level=0.5))
        responses.submit(response)
        db.session.commit()


def charts_drawn(page) -> None:
    # Locator assertions, not wait_for_function: the CSP forbids evaluating strings.
    assert page.locator("[data-chart]").count() > 0
    draw_charts(page)


def test_trainer_goes_from_a_new_cohort_to_tracking_and_charts(page, base_url, live_app, make_user):
    trainer = make_user("trainer", "trainer@example.nl")
    with live_app.app_context():
        # Corporations are the admin's to create; the trainer picks from them.
        make.organisation("Woonstichting De Linde")
        make.organisation("Het Baken")
        db.session.commit()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page.goto(base_url + "/auth/login")
    page.fill("#email", "trainer@example.nl")
    page.fill("#password", "een-goed-wachtwoord")
    click_and_load(page, "text=Inloggen >> nth=-1")

    click_and_load(page, "text=Nieuw cohort")
    page.fill("#name", "Najaar 2026")
    page.fill("#start_date", "2026-09-01")
    page.fill("#end_date", "2026-08-01")
    click_and_load(page, "text=Opslaan")
    assert "De einddatum ligt vóór de startdatum." in page.locator(".errors").inner_text()
    assert page.input_value("#name") == "Najaar 2026"
    page.fill("#end_date", "2026-11-15")
    click_and_load(page, "text=Opslaan")
    assert "Het cohort is aangemaakt." in page.inner_text(".flashes")
    assert_accessible(page)

    click_and_load(page, "text=Lijst plakken of uploaden")
    page.fill("#text", LIST_WITH_A_BAD_ROW)
    click_and_load(page, "input[type=submit][value='Controleer de lijst']")
    assert "4 van de 5 regels zijn klaar om op te slaan." in page.inner_text("main")
    assert "Dit is geen geldig e-mailadres." in page.inner_text("tr.row-problem")
    assert_accessible(page)
    page.fill("#text", LIST_WITH_A_BAD_ROW.replace("bram.delinde.nl", "bram@delinde.nl"))
    click_and_load(page, "input[type=submit][value='Controleer de lijst']")
    assert "5 van de 5 regels zijn klaar om op te slaan." in page.inner_text("main")
    click_and_load(page, "text=Sla de geldige deelnemers op")
    assert "5 deelnemers toegevoegd." in page.inner_text(".flashes")

    card = page.locator("tr.participant", has_text="Anouk de Vries")
    card.locator("button.copy").click()
    expect(card.locator(".copy-status")).to_have_text("Gekopieerd")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == card.locator("input.link").input_value()
    assert copied.startswith(base_url + "/s/")
    assert_accessible(page)

    click_and_load(page, "nav.cohort-nav >> text=Respons")
    intake = page.locator("#moment-intake")
    assert intake.locator('[data-count="submitted"]').inner_text() == "0"
    assert "anouk@delinde.nl" in intake.locator("textarea").input_value()
    submit_intake(live_app, "anouk@delinde.nl")
    page.reload()
    assert intake.locator('[data-count="submitted"]').inner_text() == "1"
    assert intake.locator('tr[data-state="submitted"]').inner_text().startswith("Anouk de Vries")
    assert "anouk@delinde.nl" not in intake.locator("textarea").input_value()
    assert_accessible(page)

    click_and_load(page, "nav.cohort-nav >> text=Analyse")
    charts_drawn(page)
    assert "Anouk" not in page.inner_text("main")
    assert_accessible(page)

    with live_app.app_context():
        earlier = make.cohort(trainer, "Voorjaar 2026")
        db.session.commit()
        ids = [earlier.id] + db.session.scalars(
            db.select(Cohort.id).filter_by(name="Najaar 2026")
        ).all()
    page.goto(base_url + "/trainer/vergelijken")
    for cohort_id in ids:
        page.check(f'input[name=cohort][value="{cohort_id}"]')
    click_and_load(page, "button[type=submit]:has-text('Vergelijk')")
    charts_drawn(page)
    click_and_load(page, "table.sortable >> text=Deelnemers")
    assert "sort=n" in page.url
    assert_accessible(page)
