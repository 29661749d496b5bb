"""HTTPS end to end: nginx terminates TLS (self-signed, 127.0.0.1) in front of gunicorn with
ASSESS_ENV=production, and Chromium logs in, fills a survey, saves it for later and submits,
all through https:// with CSRF's strict Referer check on."""

from __future__ import annotations

import http.client
import os
import re
import ssl
import subprocess
from pathlib import Path

import pytest

from benchmarks.harness import (
    NGINX_PROXY_HEADERS,
    ROOT,
    Gunicorn,
    Nginx,
    free_port,
    self_signed_certificate,
    wait_for_port,
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


def documented_site(folder: Path, http_port: int = 80, https_port: int = 443) -> Path:
    """nginx.conf holding deploy/nginx/assess.conf as an operator installs it, with a
    certificate of our own, its logs in `folder` and its listeners on 127.0.0.1 at the ports."""
    cert, key = self_signed_certificate(folder)
    site = (ROOT / "deploy" / "nginx" / "assess.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/zelfscan.example.nl/fullchain.pem", str(cert))
    site = site.replace("/etc/letsencrypt/live/zelfscan.example.nl/privkey.pem", str(key))
    site = site.replace("/etc/nginx/snippets/assess-proxy.conf", str(NGINX_PROXY_HEADERS))
    site = site.replace("/var/log/nginx/", f"{folder}/")
    site = re.sub(r"^\s*listen \[::\]:.*$", "", site, flags=re.M)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = site.replace("listen 443 ", f"listen 127.0.0.1:{https_port} ")
    # Nothing listens upstream (a port just found free), whatever else runs on this machine.
    site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{free_port()};")
    (folder / "site.conf").write_text(site)
    # As root, nginx's worker would switch to "nobody", who cannot read a private temp dir.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "".join(
        f"{kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    temp += f"uwsgi_temp_path {folder}/uwsgi;scgi_temp_path {folder}/scgi;"
    conf = folder / "nginx.conf"
    conf.write_text(
        f"{user}pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        "events {}\n"
        f"http {{ access_log off; {temp} include {folder}/site.conf; }}\n"
    )
    return conf


def test_the_documented_nginx_site_is_valid(tmp_path, nginx):
    conf = documented_site(tmp_path)
    checked = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr


def test_the_documented_nginx_site_does_not_tell_its_version(tmp_path, nginx):
    """server_tokens off: nginx's own answers (the redirect to https, a 502 while the app is
    down) say "nginx", not which version, so no one learns which known holes to try."""
    http_port, https_port = free_port(), free_port()
    conf = documented_site(tmp_path, http_port, https_port)
    process = subprocess.Popen(
        [nginx, "-g", "daemon off;", "-p", str(tmp_path), "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for_port(https_port, timeout=15)
        answers = []
        plain = http.client.HTTPConnection("127.0.0.1", http_port, timeout=10)
        plain.request("GET", "/", headers={"Host": "zelfscan.example.nl"})
        answers.append(plain.getresponse())
        secure = http.client.HTTPSConnection(
            "127.0.0.1", https_port, timeout=10, context=ssl._create_unverified_context()
        )
        secure.request("GET", "/healthz", headers={"Host": "zelfscan.example.nl"})
        answers.append(secure.getresponse())
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert [a.status for a in answers] == [301, 502]  # no app behind it
    for answer in answers:
        assert answer.getheader("Server") == "nginx"
        assert "nginx/" not in answer.read().decode()
