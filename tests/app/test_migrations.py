"""The migrations bring an empty database to exactly the schema of the models."""

import logging
import os

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


BEFORE_AUTOINCREMENT = "c3d9a1f0e2b7"
ROWS = """
insert into organisation(id, name, active, created_at) values (1, 'O', 1, '2026-01-01');
insert into user(id, email, name, password_hash, role, active, session_version,
    must_change_password, created_at) values (1, 't@x.nl', 'T', 'h', 'trainer', 1, 1, 0, '2026-01-01');
insert into cohort(id, name, trainer_id, questionnaire_id, archived, created_at)
    values (1, 'C', 1, 'q', 0, '2026-01-01');
insert into participant(id, cohort_id, organisation_id, name, email, code, created_at)
    values (1, 1, 1, 'A', 'a@x.nl', 'C1', '2026-01-01'), (2, 1, 1, 'B', 'b@x.nl', 'C2', '2026-01-01');
insert into response(id, participant_id, moment, status, questionnaire_id, questionnaire_version,
    current_page, started_at, updated_at) values (1, 2, 'intake', 'draft', 'q', 1, 0, '2026-01-01', '2026-01-01');
insert into answer(response_id, item_id, value) values (1, 'i', 3);
insert into mail_log(participant_id, moment, kind, sent_at, day, ok)
    values (2, 'intake', 'invitation', '2026-01-01', '2026-01-01', 1);
"""


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgresql"),
    reason="SQLite rebuilds tables; PostgreSQL's sequences never reused an id",
)
def test_the_autoincrement_migration_keeps_every_row_and_never_reuses_an_id(app_config, tmp_path):
    """The tables whose ids the audit trail names are rebuilt with AUTOINCREMENT: without
    foreign keys switched off the rebuild would cascade-delete every response and answer."""
    path = tmp_path / "old.db"
    app_config["DATABASE_URL"] = f"sqlite:///{path}"
    app = create_app(app_config)
    with app.app_context():
        upgrade(revision=BEFORE_AUTOINCREMENT)
        with db.engine.begin() as conn:
            for statement in ROWS.split(";"):
                if statement.strip():
                    conn.exec_driver_sql(statement)
        upgrade()
        with db.engine.begin() as conn:

            def count(table: str) -> int:
                return conn.exec_driver_sql(f"select count(*) from {table}").scalar()

            assert [count(t) for t in ("participant", "response", "answer", "mail_log")] == [
                2,
                1,
                1,
                1,
            ]
            for table in ("organisation", "user", "cohort", "participant", "response"):
                sql = conn.exec_driver_sql(
                    "select sql from sqlite_master where name = ?", (table,)
                ).scalar()
                assert "AUTOINCREMENT" in sql, table
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            # Foreign keys are on again: deleting the highest participant cascades.
            conn.exec_driver_sql("delete from participant where id = 2")
            assert [count(t) for t in ("response", "answer", "mail_log")] == [0, 0, 0]
            conn.exec_driver_sql(
                "insert into participant(cohort_id, organisation_id, name, email, code, created_at)"
                " values (1, 1, 'N', 'n@x.nl', 'C3', '2026-01-02')"
            )
            assert conn.exec_driver_sql("select max(id) from participant").scalar() == 3
        db.engine.dispose()
