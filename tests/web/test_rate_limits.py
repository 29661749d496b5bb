"""Rate limits on the login (and later the link) endpoint: failures run into a 429, a forged
X-Forwarded-For gets no fresh bucket, and the limit holds across gunicorn workers."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assess import create_app
from assess.db import db
from assess.survey import tokens
from tests import factories as make
from tests.conftest import FAST_ARGON2, PASSWORD, close_app, fresh_app

ROOT = Path(__file__).resolve().parents[2]


POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgresql")


@pytest.fixture
def limited(app_config):
    app_config.update(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    return app_config


def fail_login(client, **headers):
    return client.post(
        "/auth/login", data={"email": "iemand@example.nl", "password": "fout"}, headers=headers
    )


def test_login_answers_429_in_dutch_after_repeated_failures(limited, app):
    client = app.test_client()
    assert [fail_login(client).status_code for _ in range(3)] == [200, 200, 200]
    refused = fail_login(client)
    assert refused.status_code == 429
    assert "Je hebt het te vaak geprobeerd" in refused.text


def test_successful_logins_do_not_use_up_the_limit(limited, app, auth, make_user):
    make_user("trainer", "trainer@example.nl")
    client = app.test_client()
    for _ in range(5):
        assert auth.login("trainer@example.nl").status_code == 302
    assert fail_login(client).status_code == 200


def test_a_forged_x_forwarded_for_gets_no_fresh_bucket(limited, app):
    """With no proxy configured (PROXY_FIX_X_FOR=0) the header is ignored entirely."""
    client = app.test_client()
    statuses = [
        fail_login(client, **{"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(5)
    ]
    assert statuses[-1] == 429


def test_behind_one_proxy_only_the_address_the_proxy_appended_counts(limited):
    limited["PROXY_FIX_X_FOR"] = 1
    app = create_app(limited)
    with app.app_context():
        db.create_all()
    client = app.test_client()
    # The client forges the left part; the proxy appends the address it really saw.
    statuses = [
        fail_login(client, **{"X-Forwarded-For": f"10.9.9.{n}, 198.51.100.7"}).status_code
        for n in range(5)
    ]
    assert statuses[-1] == 429
    # Another real client behind the same proxy has its own bucket.
    assert fail_login(client, **{"X-Forwarded-For": "198.51.100.8"}).status_code == 200


def spread_out(limited, **config):
    """An app behind one proxy, so each request can come from its own address."""
    limited.update(PROXY_FIX_X_FOR=1, **config)
    # An empty database on either backend: on PostgreSQL an earlier test's accounts remain.
    return fresh_app(limited, limited["DATABASE_URL"] if POSTGRES else None)


def try_login(client, address: str, password: str = "fout", email: str = "iemand@example.nl"):
    return client.post(
        "/auth/login",
        data={"email": email, "password": password},
        headers={"X-Forwarded-For": address},
    )


def test_wrong_passwords_from_other_addresses_do_not_lock_the_owner_out(limited, password_hash):
    app = spread_out(limited)
    with app.app_context():
        make.staff("trainer", "iemand@example.nl", password_hash)
        db.session.commit()
    client = app.test_client()
    statuses = [try_login(client, f"198.51.100.{n}").status_code for n in range(25)]
    assert statuses == [200] * 25
    # The owner, from their own address where nobody typed a wrong password, gets in.
    owner = try_login(client, "192.0.2.10", PASSWORD)
    assert owner.status_code == 302


def test_past_the_account_limit_each_guessing_address_has_to_wait_longer(limited, password_hash):
    app = spread_out(limited, LOGIN_ACCOUNT_RATE_LIMIT="4 per 10 minutes")
    with app.app_context():
        make.staff("trainer", "iemand@example.nl", password_hash)
        db.session.commit()
    client = app.test_client()
    for n in range(6):
        assert try_login(client, f"198.51.100.{n}").status_code == 200
    # The address that typed the 6th wrong password may not even try the right one yet.
    again = try_login(client, "198.51.100.5", PASSWORD)
    assert again.status_code == 429
    assert re.search(r"Probeer het over \d+ seconden? opnieuw", again.text)
    assert 'value="iemand@example.nl"' in again.text
    # Another account is not slowed down.
    assert try_login(client, "198.51.100.5", email="ander@example.nl").status_code == 200


def test_one_address_guessing_at_one_account_is_refused(limited):
    app = spread_out(limited, LOGIN_RATE_LIMIT="50 per minute")
    client = app.test_client()
    statuses = [try_login(client, "198.51.100.1").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert try_login(client, "198.51.100.1", email="ander@example.nl").status_code == 200
    assert try_login(client, "198.51.100.2").status_code == 200


def test_guessed_links_answer_429_and_a_forged_forwarded_for_does_not_help(link_limited, app):
    client = app.test_client()
    statuses = [
        client.get(f"/s/gok{n}", headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
        for n in range(4)
    ]
    assert statuses == [404, 404, 404, 429]
    assert "Je hebt het te vaak geprobeerd" in client.get("/s/nog-een").text


def test_a_whole_class_behind_one_address_can_open_their_links(link_limited, app, password_hash):
    with app.app_context():
        org = make.organisation("Woonstichting Klas")
        group = make.running_cohort(
            make.staff("trainer", "t@example.nl", password_hash), "Leergang Klas"
        )
        links = [
            tokens.current_token(
                make.respondent(group, org, f"Klas {n}", f"k{n}@example.nl", moments=(), seed=n)
            )
            for n in range(6)
        ]
        db.session.commit()
    assert [app.test_client().get(f"/s/{t}").status_code for t in links] == [302] * 6


# ----------------------------------------------------------------------- several workers

WSGI = """
import os
import re
import time
import signal
from flask import request
from assess import create_app

app = create_app({config!r})

@app.get("/test-busy")
def busy():
    time.sleep(1.0)
    return "bezig"

@app.after_request
def worker_pid(response):
    response.headers["X-Worker"] = str(os.getpid())
    return response
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def post(url: str, data: dict) -> tuple[int, str]:
    body = urllib.parse.urlencode(data).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=10) as r:
            return r.status, r.headers["X-Worker"]
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["X-Worker"]


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture(scope="module")
def gunicorn_app(tmp_path_factory, database_url):
    """The app under gunicorn with two workers and Redis storage for the limits."""
    tmp_path = tmp_path_factory.mktemp("gunicorn")
    if not redis_up():
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"security-test-{uuid.uuid4().hex[:8]}"
    config = {
        "SECRET_KEY": "gunicorn-test-secret-key-0123456789abcdef",
        "DATABASE_URL": database_url or f"sqlite:///{tmp_path / 'live.db'}",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
        "RATELIMIT_KEY_PREFIX": prefix,
        "LOGIN_RATE_LIMIT": "4 per minute",
        "BASE_URL": "http://zelfscan.test",
        **FAST_ARGON2,
    }
    close_app(fresh_app(config, database_url))
    (tmp_path / "live_wsgi.py").write_text(textwrap.dedent(WSGI.format(config=config)))
    port = free_port()
    log = tmp_path / "gunicorn.log"
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}:{ROOT}"}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers=2",
                f"--bind=127.0.0.1:{port}",
                "--access-logfile=-",
                "live_wsgi:app",
            ],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if get(base + "/healthz") == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail(f"gunicorn did not start:\n{log.read_text()}")
        yield base, log
    finally:
        proc.send_signal(signal.SIGINT)  # quick shutdown; TERM would wait for the workers
        proc.wait(10)
        import redis

        client = redis.Redis.from_url("redis://127.0.0.1:6379")
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)


def test_the_login_limit_holds_across_gunicorn_workers(gunicorn_app):
    base, _log = gunicorn_app
    url, data = base + "/auth/login", {"email": "x@example.nl", "password": "fout"}
    first = [post(url, data) for _ in range(6)]
    assert [status for status, _ in first] == [200] * 4 + [429] * 2
    # Now every worker must refuse, also one that has not answered a single failure yet:
    # with a per-process count it would still say 200. Keeping one worker busy sends the
    # next attempt to the other.
    refused_by, later = {w for s, w in first if s == 429}, []
    with ThreadPoolExecutor(max_workers=1) as pool:
        for _ in range(20):
            occupied = pool.submit(get, base + "/test-busy")
            time.sleep(0.3)
            status, worker = post(url, data)
            occupied.result()
            later.append(status)
            refused_by.add(worker)
            if len(refused_by) >= 2:
                break
    assert set(later) == {429}, later
    assert len(refused_by) >= 2, "the requests never reached a second worker"


def test_the_access_log_does_not_show_link_tokens(gunicorn_app):
    base, log = gunicorn_app
    token = "GeheimToken" + uuid.uuid4().hex
    get(f"{base}/s/{token}")
    get(f"{base}/auth/login?next=/s/{token}")
    time.sleep(0.3)
    text = log.read_text()
    assert "/s/[token]" in text
    assert token not in text
