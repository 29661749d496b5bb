"""HTTPS end to end: nginx terminates TLS (self-signed, 127.0.0.1) in front of gunicorn with
ASSESS_ENV=production, and Chromium logs in, fills a survey, saves it for later and submits,
all through https:// with CSRF's strict Referer check on."""

from __future__ import annotations

import pytest

from benchmarks.harness import Gunicorn, Nginx, free_port
from tests.browser.conftest import click_and_load
from tests.browser.test_participant_journey import answer_page
from tests.conftest import PASSWORD
from tests.deploy.conftest import production_env, seed

pytestmark = pytest.mark.browser


@pytest.fixture
def behind_tls(tmp_path, instance_folder, password_hash):
    """(https base URL, the personal-link token): one gunicorn behind nginx, on SQLite."""
    database_url = f"sqlite:///{tmp_path / 'assess.db'}"
    (token,) = seed(database_url, 1, password_hash)
    port = free_port()
    env = production_env(port, database_url, instance_folder())
    with (
        Gunicorn(env, workers=1, log=tmp_path / "gunicorn.log") as server,
        Nginx(tmp_path / "nginx", [server.port], port) as proxy,
    ):
        yield proxy.url, token


def log_in(page, base: str) -> None:
    page.goto(base + "/auth/login")
    page.fill("#email", "t@example.nl")
    page.fill("#password", PASSWORD)
    click_and_load(page, "text=Inloggen >> nth=-1")


def test_login_survey_and_save_for_later_work_through_https(context_https, behind_tls):
    base, token = behind_tls
    trainer = context_https().new_page()
    log_in(trainer, base)
    assert trainer.url == base + "/trainer/"
    assert "Uitloggen" in trainer.inner_text("header")
    assert "100" not in trainer.inner_text("tbody")

    page = context_https().new_page()
    page.goto(f"{base}/s/{token}")
    assert page.url == base + "/deelnemer/"
    click_and_load(page, "text=Begin met invullen")
    answer_page(page)
    click_and_load(page, "button[value=next]")
    answer_page(page)
    click_and_load(page, "text=Opslaan en later verder")
    assert "Je antwoorden zijn bewaard" in page.inner_text("main")

    page.goto(f"{base}/s/{token}")
    click_and_load(page, "text=Verder met invullen")
    assert page.url == base + "/deelnemer/intake/pagina/3"
    while "/pagina/" in page.url:
        answer_page(page)
        click_and_load(page, "button[value=next]")
    click_and_load(page, "text=Antwoorden indienen")
    assert "al ingediend" in page.inner_text("main")

    trainer.reload()
    assert "100" in trainer.inner_text("tbody")  # the intake's response rate, in %
    click_and_load(trainer, "text=Uitloggen")
    assert trainer.url.startswith(base + "/auth/login")
