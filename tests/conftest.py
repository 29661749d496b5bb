"""Shared fixtures: an app on a fresh database per test (SQLite by default, PostgreSQL when
DATABASE_URL says so), clients with and without CSRF, staff accounts and a login helper.

The data the tests need comes from one place, tests/factories/; README.md here explains the
layout of the suite."""

from __future__ import annotations

import os
import pkgutil
import re
from datetime import datetime
from importlib import import_module

import plotly.graph_objects as go
import pytest
import time_machine
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from assess import clock, create_app
from assess.db import db
from assess.reports import charts
from assess.web.passwords import hash_password
from tests import factories as make

PASSWORD = "een-goed-wachtwoord"

# The suite's day: a Wednesday morning in Amsterdam, unless ASSESS_TEST_NOW names another
# moment (CI runs the calendar-marked tests on a Monday, a Sunday, both DST change days, New
# Year's Eve and a leap day). The real date never reaches a test.
DEFAULT_TEST_NOW = "2027-01-13T10:00"


def suite_now() -> datetime:
    when = datetime.fromisoformat(os.environ.get("ASSESS_TEST_NOW") or DEFAULT_TEST_NOW)
    return when if when.tzinfo else when.replace(tzinfo=clock.ZONE)


def pytest_configure(config) -> None:
    """Move the clock before collection, so dates computed at import (TODAY = clock.today())
    are the suite's day too. The clock ticks on from there: time-outs and sleeps still work."""
    traveller = time_machine.travel(suite_now(), tick=True)
    traveller.start()
    config.stash[CLOCK] = traveller


def pytest_unconfigure(config) -> None:
    traveller = config.stash.get(CLOCK, None)
    if traveller is not None:
        traveller.stop()


CLOCK = pytest.StashKey[time_machine.travel]()


@pytest.fixture(autouse=True)
def real_clock_for_other_processes(request):
    """A test marked real_clock starts the app in processes of their own (the mail worker,
    gunicorn), which this process's clock cannot reach: it runs on the real clock, so what it
    writes is due for them too. Such a test must not depend on which day it is."""
    if request.node.get_closest_marker("real_clock") is None:
        yield
        return
    traveller = request.config.stash[CLOCK]
    traveller.stop()
    try:
        yield
    finally:
        traveller.start()


# Hashing is slow on purpose; tests use the cheapest argon2id settings and hash once.
FAST_ARGON2 = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024, "ARGON2_PARALLELISM": 1}


def postgres_url(worker: str) -> str | None:
    """A database per xdist worker on the PostgreSQL server named by DATABASE_URL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        return None
    base = make_url(url)
    name = f"{base.database}_{worker}"
    # The maintenance database always exists, so the base name need not.
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists.first():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(autouse=True, scope="session")
def figures_plotly_accepts():
    """Every figure a test builds is checked by plotly.py's validator (plotly.js's schema for
    the bundled version, tests/web/test_assets.py): the charts are plain dicts, and plotly.js
    silently ignores an attribute it does not know, so a misspelt one would just not draw."""
    build = charts.figure

    def checked(*args, **kwargs):
        fig = build(*args, **kwargs)
        go.Figure(fig)  # ValueError naming the attribute plotly does not know
        return fig

    modules = [
        import_module(f"{charts.__name__}.{info.name}")
        for info in pkgutil.iter_modules(charts.__path__)
    ]
    users = [module for module in modules if getattr(module, "figure", None) is build]
    assert users, "no chart module builds its figures with charts.figure"
    for module in users:
        module.figure = checked  # type: ignore[attr-defined]
    yield
    for module in users:
        module.figure = build  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id) -> str | None:
    url = postgres_url(worker_id)
    if url:
        # Start every run from an empty schema: a previous run may have used older models.
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x" * 40, **FAST_ARGON2})
        with app.app_context():
            db.drop_all()
            db.create_all()
            db.engine.dispose()
    return url


# A production configuration that passes every start-up check (assess/config.py) and that the
# test client can use: a random key, the https address, rate limits on. The client calls
# itself "localhost".
PRODUCTION = {
    "ENV_NAME": "production",
    "SECRET_KEY": "234d8bf976b18064e2de8eeda13e73c57858e8e88b00d2f1f76ead6679a8a2bc",
    "BASE_URL": "https://zelfscan.test",
    "TRUSTED_HOSTS": "zelfscan.test,localhost",
    "RATELIMIT_ENABLED": True,
}


def base_config(tmp_path, database_url) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-only-for-the-test-suite-0123456789",
        "DATABASE_URL": database_url or f"sqlite:///{tmp_path / 'test.db'}",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "BASE_URL": "http://zelfscan.test",
        **FAST_ARGON2,
    }


@pytest.fixture
def empty_database_url(tmp_path, worker_id):
    """An empty database of the suite's backend (SQLite file or a scratch PostgreSQL database)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    base = make_url(url).set(drivername="postgresql+psycopg")
    name = f"{base.database}_empty_{worker_id}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def app_config(tmp_path, database_url) -> dict:
    """Override entries in a test (before the app fixture runs) to change the configuration."""
    return base_config(tmp_path, database_url)


def fresh_app(config: dict, database_url: str | None):
    """An app on an empty database: tables truncated (PostgreSQL) or created (SQLite file)."""
    app = create_app(config)
    with app.app_context():
        if database_url:
            truncate_all()
        else:
            db.create_all()
    return app


def close_app(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(app_config, database_url):
    app = fresh_app(app_config, database_url)
    yield app
    close_app(app)


def truncate_all() -> None:
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def link_limited(app_config):
    """Personal links limited to three tries a minute (set before the app fixture runs)."""
    app_config.update(RATELIMIT_ENABLED=True, LINK_RATE_LIMIT="3 per minute")
    return app_config


@pytest.fixture
def csrf_app(app_config, database_url):
    """An app with CSRF protection on, as in production."""
    app_config["WTF_CSRF_ENABLED"] = True
    app = fresh_app(app_config, database_url)
    yield app
    close_app(app)


@pytest.fixture(scope="session")
def password_hash() -> str:
    from flask import Flask

    app = Flask(__name__)
    app.config.update(FAST_ARGON2)
    with app.app_context():
        return hash_password(PASSWORD)


@pytest.fixture
def make_user(app, password_hash):
    """Create a staff account: make_user("trainer"), make_user("manager", organisation="X")."""

    def make_one(role: str, email: str | None = None, organisation: str | None = None, **extra):
        with app.app_context():
            user = make.staff(
                role,
                email or f"{role}@example.nl",
                password_hash,
                name=extra.pop("name", role.title()),
                org=make.organisation(organisation) if organisation else None,
                **extra,
            )
            db.session.commit()
            return user.id

    return make_one


CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(page: str) -> str:
    """The CSRF token of the first form on a page."""
    found = CSRF_FIELD.search(page)
    assert found, "no CSRF token on the page"
    return found.group(1)


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = PASSWORD, **kwargs):
        return self._client.post(
            "/auth/login", data={"email": email, "password": password, **kwargs}
        )

    def logout(self):
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def trainer(make_user, auth):
    """A trainer, signed in on `client`; returns the user id."""
    uid = make_user("trainer", "trainer@example.nl")
    auth.login("trainer@example.nl")
    return uid


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, one per test process: tests/browser and
    tests/deploy share it (Playwright's sync API runs one instance per process)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
