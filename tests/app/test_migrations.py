"""The migrations bring an empty database to exactly the schema of the models."""

import logging

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from assess import create_app
from assess.db import db


@pytest.fixture(autouse=True)
def logging_as_before():
    """Alembic's env.py runs logging.config.fileConfig, which disables every logger that exists
    (the app's included) and replaces the root handlers; later tests in the same worker that read
    the logs (tests/web/test_logs.py) need them back."""
    root = logging.getLogger()
    level, handlers = root.level, root.handlers[:]
    off = {name for name, logger in loggers() if logger.disabled}
    yield
    for name, logger in loggers():
        logger.disabled = name in off
    root.setLevel(level)
    root.handlers[:] = handlers


def loggers() -> list[tuple[str, logging.Logger]]:
    return [
        (name, logger)
        for name, logger in logging.Logger.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    ]


def test_upgrade_creates_the_schema_of_the_models(app_config, empty_database_url):
    app_config["DATABASE_URL"] = empty_database_url
    app = create_app(app_config)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        db.engine.dispose()
    assert diff == [], "models changed without a migration: run `flask --app assess db migrate`"


def test_cli_db_upgrade_on_an_empty_database(app_config, empty_database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", empty_database_url)
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    app = create_app()
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        tables = set(db.inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert {"participant", "response", "answer", "score", "audit_event"} <= tables
