"""axe-core over the main pages of every role on the demo data, on screen and in print
(issue 17): no serious or critical violations, the admin's audit log and accounts included."""

import pytest

from assess import demo
from assess.db import db
from assess.models import Participant, User
from assess.survey import tokens
from tests import factories as make
from tests.browser.conftest import assert_accessible, click_and_load

pytestmark = pytest.mark.browser

MEDIA = ("screen", "print")


@pytest.fixture
def demo_world(live_app):
    """The demo's world; returns the link of a participant with a submitted intake and exit."""
    with live_app.test_request_context(method="POST"):
        summary = demo.load()
        done = next(
            p for p in summary.participants if p.cohort.name.startswith("Leergang voorjaar")
        )
        token = tokens.current_token(done) or tokens.issue(db.session.get(Participant, done.id))
        # Something for the audit log to show: links used and reports read.
        trainer = db.session.execute(
            db.select(User).filter_by(email="trainer@example.nl")
        ).scalar_one()
        for person in summary.participants[:6]:
            make.audit_trail(person, trainer)
        db.session.commit()
        cohort_id = done.cohort_id
        db.session.remove()
    return {"token": token, "cohort": cohort_id}


def log_in(page, base_url: str, email: str, password: str) -> None:
    page.goto(base_url + "/auth/login")
    page.fill("#email", email)
    page.fill("#password", password)
    click_and_load(page, "text=Inloggen >> nth=-1")


def check(page, url: str) -> None:
    """axe on one page, on screen and as printed."""
    page.goto(url)
    page.wait_for_load_state("load")
    for media in MEDIA:
        page.emulate_media(media=media)
        try:
            assert_accessible(page)
        except AssertionError as exc:
            raise AssertionError(f"{url} ({media}):\n{exc}") from None
    page.emulate_media(media="screen")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_admins_pages_audit_log_and_accounts_included_pass_axe(
    page, base_url, demo_world, width
):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, base_url, "beheer@example.nl", "demo-beheer-2026")
    for path in ("/beheer/", "/beheer/audit", "/beheer/accounts", "/beheer/organisaties"):
        check(page, base_url + path)
        if path == "/beheer/audit":  # the log holds the demo's logins and reads
            assert page.locator("main table tr").count() > 10
    page.goto(base_url + "/beheer/accounts")
    click_and_load(page, "main table a >> nth=0")
    check(page, page.url)
    # The item analysis: no sideways scrolling of the page, the item tables folded.
    check(page, base_url + "/beheer/itemanalyse")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("main details.more").count() >= 12
    assert page.locator("main details.more[open]").count() == 0


def test_the_trainers_main_pages_pass_axe_on_screen_and_in_print(page, base_url, demo_world):
    log_in(page, base_url, "trainer@example.nl", "demo-trainer-2026")
    cohort = f"/trainer/cohorten/{demo_world['cohort']}"
    for path in (
        "/trainer/",
        cohort,
        cohort + "/respons",
        cohort + "/analyse",
        "/trainer/vergelijken",
    ):
        check(page, base_url + path)


def test_the_managers_main_pages_pass_axe_on_screen_and_in_print(page, base_url, demo_world):
    log_in(page, base_url, "manager@delinde.example.nl", "demo-linde-2026")
    for path in ("/manager/", "/manager/beleid", "/manager/beleidsscan"):
        check(page, base_url + path)


def test_the_participants_main_pages_pass_axe_on_screen_and_in_print(page, base_url, demo_world):
    page.goto(base_url + f"/s/{demo_world['token']}")
    assert page.locator("h1").inner_text().startswith("Welkom")
    for path in ("/deelnemer/", "/deelnemer/rapport"):
        check(page, base_url + path)
