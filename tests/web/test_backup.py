"""`flask backup`: a consistent copy of a running SQLite database, restored and checked;
pg_dump and pg_restore for PostgreSQL."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time

import pytest
from sqlalchemy import func, select

from assess import create_app
from assess.db import db
from assess.models import Answer, Participant, Response
from tests import factories as make
from tests.web.sqlite_writer import SqliteWriter


@pytest.fixture
def sqlite_app(app_config, tmp_path):
    """An app on its own SQLite file, whatever backend the rest of the suite uses."""
    app = create_app({**app_config, "DATABASE_URL": f"sqlite:///{tmp_path / 'live.db'}"})
    with app.app_context():
        db.create_all()
        make.open_cohort(5, submitted=5)
    yield app
    with app.app_context():
        db.engine.dispose()


def test_backup_of_a_database_being_written_is_consistent_and_restores(
    sqlite_app, app_config, tmp_path
):
    live = tmp_path / "live.db"
    with sqlite_app.app_context():
        participant = db.session.scalars(select(Participant)).first()
        writer = SqliteWriter(str(live), participant.cohort_id, participant.organisation_id)
    writer.start()
    while writer.committed < 20:  # the copy starts while writes are under way
        time.sleep(0.01)
    result = sqlite_app.test_cli_runner().invoke(args=["backup", str(tmp_path / "copy.db")])
    during = writer.committed
    writer.stop()

    assert writer.error is None
    assert result.exit_code == 0, result.output
    assert "Backup written to" in result.output
    assert writer.committed > during or writer.committed == writer.limit  # it kept writing

    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()
    # Restore: the app runs on the copy as it would after `cp copy.db live.db`.
    restored = create_app({**app_config, "DATABASE_URL": f"sqlite:///{tmp_path / 'copy.db'}"})
    with restored.app_context():
        drafts = db.session.scalar(select(func.count()).where(Response.status == "draft"))
        answers_of_drafts = db.session.scalar(
            select(func.count(Answer.id)).join(Response).where(Response.status == "draft")
        )
        submitted = db.session.scalar(select(func.count()).where(Response.status == "submitted"))
        db.engine.dispose()
    # Every writer transaction is in the copy whole or not at all, and the earlier data is there.
    assert 20 <= drafts <= writer.committed
    assert answers_of_drafts == drafts * SqliteWriter.ANSWERS_PER_RESPONSE
    assert submitted == 5


def test_backup_refuses_to_overwrite_without_force(sqlite_app, tmp_path):
    target = tmp_path / "copy.db"
    target.write_text("keep me")
    runner = sqlite_app.test_cli_runner()

    refused = runner.invoke(args=["backup", str(target)])
    assert refused.exit_code == 1 and "--force" in refused.output
    assert target.read_text() == "keep me"

    assert runner.invoke(args=["backup", "--force", str(target)]).exit_code == 0
    assert sqlite3.connect(target).execute("SELECT count(*) FROM response").fetchone()[0] == 5


def test_backup_on_postgresql_points_to_pg_dump(app_config):
    app_config["DATABASE_URL"] = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    result = create_app(app_config).test_cli_runner().invoke(args=["backup", "x.dump"])
    assert result.exit_code == 1
    assert "pg_dump" in result.output and "pg_restore" in result.output


POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgresql")


@pytest.mark.skipif(not POSTGRES or not shutil.which("pg_dump"), reason="needs PostgreSQL")
def test_pg_dump_restores_into_another_database_with_the_same_counts(app, tmp_path):
    from benchmarks.restore_check import restore_check

    with app.app_context():
        make.open_cohort(6, submitted=4)
        url = db.engine.url.render_as_string(hide_password=False)
        db.session.remove()
        db.engine.dispose()
    report = restore_check(url, tmp_path / "assess.dump")
    assert report.live == report.restored
    assert report.live["response"] == 4 and report.live["answer"] > 0
