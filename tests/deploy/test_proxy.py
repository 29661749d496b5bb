"""HTTPS end to end: nginx terminates TLS (self-signed, 127.0.0.1) in front of gunicorn with
ASSESS_ENV=production, and Chromium logs in, fills a survey, saves it for later and submits,
all through https:// with CSRF's strict Referer check on."""

from __future__ import annotations

import subprocess

import pytest

from benchmarks.harness import (
    NGINX_PROXY_HEADERS,
    ROOT,
    Gunicorn,
    Nginx,
    free_port,
    self_signed_certificate,
)
from tests.browser.conftest import click_and_load
from tests.browser.test_participant_journey import answer_page
from tests.conftest import PASSWORD
from tests.deploy.conftest import production_env, seed

# gunicorn, cron lines and the worker run in processes of their own, on the real clock.
pytestmark = pytest.mark.real_clock


@pytest.fixture
def behind_tls(tmp_path, instance_folder, password_hash, nginx):
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


@pytest.mark.browser
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
    assert "Je antwoorden zijn ingediend" in page.inner_text("main")

    trainer.reload()
    assert "100" in trainer.inner_text("tbody")  # the intake's response rate, in %
    click_and_load(trainer, "text=Uitloggen")
    assert trainer.url.startswith(base + "/auth/login")


def test_the_documented_nginx_site_is_valid(tmp_path, nginx):
    """deploy/nginx/assess.conf as an operator installs it, with a certificate of our own."""
    cert, key = self_signed_certificate(tmp_path)
    site = (ROOT / "deploy" / "nginx" / "assess.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/zelfscan.example.nl/fullchain.pem", str(cert))
    site = site.replace("/etc/letsencrypt/live/zelfscan.example.nl/privkey.pem", str(key))
    site = site.replace("/etc/nginx/snippets/assess-proxy.conf", str(NGINX_PROXY_HEADERS))
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events {}\n"
        f"http {{ access_log off; include {tmp_path}/site.conf; }}\n"
    )
    checked = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
