"""A manager or colleague rates a participant on a phone, with and without JavaScript, and
the pages pass axe; the participant's page of others' view passes axe too (issue 29)."""

import pytest

from assess import clock
from assess.db import db
from assess.engine import raters as rules
from assess.models import Participant
from assess.survey import questionnaires
from assess.survey import tokens as participant_tokens
from assess.survey.raters import invitations, tokens
from tests import factories as make
from tests.browser.conftest import assert_accessible, click_and_load

pytestmark = pytest.mark.browser


@pytest.fixture
def asked(live_app, base_url):
    """Anouk's intake with a manager and three colleagues asked; returns their links."""
    with live_app.test_request_context(method="POST"):
        cohort = make.cohort(windows=make.windows(), raters_enabled=True)
        person = make.participant(cohort)
        make.fill(person, "intake", level=0.5)
        links = {}
        for role, key in [
            (rules.MANAGER, "manager"),
            *[(rules.COLLEAGUE, f"c{k}") for k in range(3)],
        ]:
            inv = invitations.invite(
                person, "intake", role, f"{key}@corp.example.nl", clock.today()
            )
            links[key] = base_url + f"/r/{tokens.current_token(inv)}"
        links["participant"] = base_url + f"/s/{participant_tokens.current_token(person)}"
        db.session.commit()
        links["id"] = person.id
    return links


def answer_all(page, option: int = 3) -> None:
    groups = page.locator("fieldset.item")
    for k in range(groups.count()):
        labels = groups.nth(k).locator("ul.choices label")
        labels.nth(min(option, labels.count() - 1)).click()


def test_a_colleague_rates_on_a_phone_and_the_pages_pass_axe(page, asked):
    page.goto(asked["c0"])
    assert "Anouk de Vries volgt de Leergang Woonconsulent" in page.locator("main").inner_text()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    answer_all(page)
    page.locator("fieldset.item").last.locator("text=Kan ik niet beoordelen").click()
    click_and_load(page, "button.primary")
    assert "Je beoordeling is verstuurd" in page.locator("main").inner_text()
    assert_accessible(page)


def test_a_manager_rates_without_javascript_and_keeps_what_was_chosen(browser, asked):
    context = browser.new_context(
        java_script_enabled=False, locale="nl-NL", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    try:
        page.goto(asked["manager"])
        assert "Je vult dit in als leidinggevende" in page.locator("main").inner_text()
        groups = page.locator("fieldset.item")
        groups.first.locator("ul.choices label").nth(4).click()  # one answer, the rest open
        click_and_load(page, "button.primary")
        text = page.locator("main").inner_text()
        assert "Nog niet alles is beantwoord" in text
        assert page.locator("fieldset.item").first.locator("input").nth(4).is_checked()
        answer_all(page, 1)
        click_and_load(page, "button.primary")
        assert "Je beoordeling is verstuurd" in page.locator("main").inner_text()
    finally:
        context.close()


def test_the_participant_sees_others_view_and_the_page_passes_axe(page, live_app, asked):
    with live_app.test_request_context(method="POST"):
        form = next(q for q in questionnaires.registry().latest("rater"))
        for key in ("manager", "c0", "c1", "c2"):
            inv = tokens.find(asked[key].rpartition("/")[2])
            answers = dict.fromkeys(form.item_ids_for("rater"), 4)
            invitations.submit(inv, form, answers, clock.now(), clock.today())
        db.session.commit()
        assert db.session.get(Participant, asked["id"]) is not None
    page.goto(asked["participant"])
    click_and_load(page, "text=Hoe zien anderen je werken?")
    text = page.locator("main").inner_text()
    assert "Leidinggevende" in text and "(n = 3)" in text
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
