"""Security logging: the events that matter are logged with UTC timestamps, and tokens,
passwords and answers never reach a log line."""

from __future__ import annotations

import io
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from assess import create_app
from assess.db import db
from assess.models import Organisation, Participant
from assess.survey import forms as survey_forms
from assess.survey import questionnaires, tokens
from assess.web.logs import FORMAT, RedactTokens, UTCFormatter
from benchmarks.harness import free_port, wait_for_port
from tests import factories as make
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]

WRONG_PASSWORD = "Verkeerd-Wachtwoord-4711"
UTC_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (INFO|WARNING|ERROR) assess\.")


def test_log_lines_carry_a_utc_iso_timestamp(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    record = logging.LogRecord("assess.security", logging.INFO, __file__, 1, "hallo", None, None)
    record.created, record.msecs = 0.0, 5.0
    assert (
        UTCFormatter(FORMAT).format(record)
        == "1970-01-01T00:00:00.005Z INFO assess.security: hallo"
    )


@pytest.mark.parametrize(
    "message",
    [
        '127.0.0.1 - - "GET /s/Ab-c_D9xyz HTTP/1.1" 302 -',
        "unhandled error on /s/Ab-c_D9xyz",
        "GET /auth/login?next=/s/Ab-c_D9xyz",
        "mail link=https://zelfscan.test/s/Ab-c_D9xyz?token=Ab-c_D9xyz",
    ],
)
def test_tokens_are_blanked_in_request_lines(message):
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, "%s", (message,), None)
    RedactTokens().filter(record)
    assert "Ab-c_D9xyz" not in record.getMessage()
    assert "[token]" in record.getMessage()


def test_database_errors_in_logs_hide_the_values(app, client, caplog):
    @app.post("/test-duplicate")
    def duplicate():
        db.session.add_all([Organisation(name="Geheim-4711"), Organisation(name="Geheim-4711")])
        db.session.commit()

    caplog.set_level(logging.DEBUG)
    response = client.post("/test-duplicate")
    assert response.status_code == 500
    assert "database error on /test-duplicate: " in caplog.text
    assert "Geheim-4711" not in caplog.text


def test_unexpected_errors_in_logs_name_the_kind_and_place_but_not_the_message(app, client, caplog):
    @app.get("/test-crash")
    def crash():
        typed = "lot@example.nl: " + "Geheim-" + "4711"  # the raise line (logged) quotes no value
        raise ValueError(f"antwoord van {typed}")

    caplog.set_level(logging.DEBUG)
    response = client.get("/test-crash")
    assert response.status_code == 500
    assert "unhandled error on /test-crash: ValueError" in caplog.text
    assert "in crash" in caplog.text  # the traceback still says where
    assert "Geheim-4711" not in caplog.text and "lot@example.nl" not in caplog.text


@pytest.fixture
def world(app, password_hash):
    """A trainer, a participant with a live link and a recognisable free-text answer."""
    with app.app_context():
        org = make.organisation("Woonstichting Log")
        trainer = make.staff("trainer", "trainer@example.nl", password_hash)
        make.staff("admin", "beheer@example.nl", password_hash)
        person = make.respondent(
            make.running_cohort(trainer, "Leergang Log"),
            org,
            "Lot Logmans",
            "lot@example.nl",
            moments=("intake",),
            drafts=("exit",),
            seed=3,
        )
        token = tokens.current_token(person)
        q = questionnaires.get(make.INSTRUMENT)
        sections = survey_forms.pages(q, "exit")
        plan_page = next(
            n for n, s in enumerate(sections, 1) if any(i.id == "actieplan" for i in s.items)
        )
        db.session.commit()
        return {"token": token, "participant": person.id, "plan_page": plan_page}


SECRET_ANSWER = "Zeer-Geheim-Antwoord-over-mijn-buurman-8812"


def test_a_full_flow_logs_events_in_utc_without_secrets(app, client, world, caplog):
    caplog.set_level(logging.DEBUG)
    stream = io.StringIO()

    def login(password):
        data = {"email": "trainer@example.nl", "password": password}
        client.post("/auth/login", data=data, errors_stream=stream)

    login(WRONG_PASSWORD)
    login(PASSWORD)
    client.get("/beheer/", errors_stream=stream)  # a trainer is denied the admin pages
    client.post("/auth/logout", errors_stream=stream)
    client.get(f"/s/{world['token']}", errors_stream=stream)
    # A wrong guess at a link, the way an attacker would try one.
    client.get(f"/s/{world['token'][:-2]}xx", errors_stream=stream)
    # The participant writes a recognisable secret in their action plan, and a wrong page.
    client.post(
        f"/deelnemer/exit/pagina/{world['plan_page']}",
        data={survey_forms.field_name("actieplan"): SECRET_ANSWER, "action": "later"},
        errors_stream=stream,
    )
    client.post(
        "/deelnemer/exit/pagina/999",
        data={survey_forms.field_name("actieplan"): SECRET_ANSWER},
        errors_stream=stream,
    )
    with app.app_context():
        person = db.session.get(Participant, world["participant"])
        plans = [a.text for r in person.responses for a in r.answers if a.item_id == "actieplan"]
    assert SECRET_ANSWER in plans, "the answer was not saved, so the scan proves nothing"

    lines = stream.getvalue().splitlines()
    assert lines and all(UTC_LINE.match(line) for line in lines), lines
    text = stream.getvalue() + caplog.text
    assert "login failed" in text
    assert "login actor=user" in text
    assert "authorization denied" in text
    for secret in (world["token"], WRONG_PASSWORD, PASSWORD, SECRET_ANSWER):
        assert secret not in text


def test_request_lines_of_the_development_server_hide_the_token(app, world, caplog):
    caplog.set_level(logging.INFO)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/s/{world['token']}")
        except urllib.error.HTTPError:
            pass
    finally:
        server.shutdown()
        thread.join(5)
    assert "/s/[token]" in caplog.text
    assert world["token"] not in caplog.text


LOGGERS = ("assess", "assess.security", "assess.audit", "assess.errors", "werkzeug")


def test_loggers_still_work_after_a_migration(empty_database_url, app_config, caplog):
    # Alembic's template env.py calls fileConfig(), which disabled every existing logger.
    from flask_migrate import upgrade

    app_config.update(DATABASE_URL=empty_database_url, WTF_CSRF_ENABLED=True)
    app = create_app(app_config)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    assert [name for name in LOGGERS if logging.getLogger(name).disabled] == []
    caplog.set_level(logging.INFO)
    assert app.test_client().post("/auth/login").status_code == 400
    assert "csrf rejected endpoint=auth.login" in caplog.text


@pytest.mark.real_clock  # run.py is a process of its own
def test_run_py_logs_requests_after_migrating_with_the_token_masked(tmp_path):
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "PORT": str(port),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.db'}",
        "SECRET_KEY": "run-py-log-test-key-0123456789abcdef",
    }
    log = tmp_path / "stderr.log"
    with open(log, "wb") as err:
        server = subprocess.Popen(
            [sys.executable, "run.py"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
        )
        try:
            wait_for_port(port, timeout=60)
            base = f"http://127.0.0.1:{port}"
            with pytest.raises(urllib.error.HTTPError) as unknown:
                urllib.request.urlopen(f"{base}/s/Geheim-link-4711")
            assert unknown.value.code == 404
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(urllib.request.Request(f"{base}/auth/login", data=b"x=1"))
            assert refused.value.code == 400
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(15)
    written = log.read_text()
    assert '"GET /s/[token] HTTP/1.1" 404' in written
    assert '"POST /auth/login HTTP/1.1" 400' in written
    assert "WARNING assess.errors: csrf rejected endpoint=auth.login" in written
    assert "Geheim-link-4711" not in written
