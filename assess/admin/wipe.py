"""Finishing an erasure in the database files: an erasure is done when the files hold nothing
of the person, not when the DELETE is committed.

Each erasure adds an `ErasureCleanup` row in its own transaction (assess/survey/erasure.py);
`finish()` runs after the commit and removes the rows once the files are clean:

- SQLite: deleted rows are zeroed in place (`PRAGMA secure_delete`, database.configure_sqlite),
  but the -wal still holds the pages as they were, and the database file keeps its old pages
  until a checkpoint copies the new ones in. `PRAGMA wal_checkpoint(TRUNCATE)` does both and
  empties the -wal, but only when no reader still uses an older snapshot; its first result
  column says whether it got there. It waits ERASURE_CHECKPOINT_SECONDS for readers (not the
  15 s busy timeout: the admin's request should not hang) and otherwise leaves the row, so the
  admin reads "nog bezig" and the next try (the `finish-erasures` cron job, the admin's button,
  the next erasure) finishes it.
- PostgreSQL: VACUUM of the tables an erasure touches, so the deleted rows' space is pruned
  and reused. VACUUM cannot run in a transaction: it gets an autocommit connection. What it
  cannot promise (bytes of pruned rows until the page is rewritten, the server's WAL segments
  until they are recycled, backups) the privacy text says.
"""

from __future__ import annotations

import logging

import click
from flask import Blueprint, current_app
from sqlalchemy import delete, func, select, update

from assess.db import db
from assess.models import ErasureCleanup
from assess.survey.erasure import personal_tables
from assess.web import sqlite_files

log = logging.getLogger("assess.erasure")

bp = Blueprint("wipe", __name__, cli_group=None)


def pending() -> list[ErasureCleanup]:
    """Erasures whose traces may still be in the files, oldest first."""
    return list(db.session.scalars(select(ErasureCleanup).order_by(ErasureCleanup.id)))


def finish() -> bool:
    """Clean the files of every erasure committed so far; True when none is left pending.

    Call after the erasure is committed. Rows added by an erasure that commits while this runs
    are left for the next try: only those up to the highest id seen before the cleanup go.
    """
    last = db.session.scalar(select(func.max(ErasureCleanup.id)))
    db.session.commit()  # the cleanup must not run inside the caller's transaction
    if last is None:
        return True
    error = clean_files()
    if error is None:
        db.session.execute(delete(ErasureCleanup).where(ErasureCleanup.id <= last))
    else:
        log.warning("erasure: database files not clean yet: %s", error)
        db.session.execute(
            update(ErasureCleanup)
            .where(ErasureCleanup.id <= last)
            .values(attempts=ErasureCleanup.attempts + 1, last_error=error)
        )
    db.session.commit()
    return error is None and not pending()


def clean_files() -> str | None:
    """Make the database files hold no deleted row; None when done, else why not."""
    engine = db.engine
    if engine.dialect.name == "sqlite":
        return _checkpoint() if sqlite_files.database_path(engine) is not None else None
    return _vacuum()


def _checkpoint() -> str | None:
    wait_ms = int(float(current_app.config["ERASURE_CHECKPOINT_SECONDS"]) * 1000)
    # A raw connection in autocommit: a checkpoint cannot run inside a transaction.
    raw = db.engine.raw_connection()
    try:
        sqlite = raw.driver_connection
        assert sqlite is not None
        sqlite.execute(f"PRAGMA busy_timeout={wait_ms}")
        try:
            busy, wal_frames, copied = sqlite.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            sqlite.execute("PRAGMA busy_timeout=15000")  # as database.configure_sqlite sets
    finally:
        raw.close()
    if busy:
        return (
            f"a reader still uses an older snapshot: {copied} of {wal_frames} WAL frames"
            " copied, the WAL not truncated"
        )
    return None


def _vacuum() -> str | None:
    try:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in personal_tables():
                conn.exec_driver_sql(f'VACUUM "{table}"')
    except Exception as exc:  # any failure leaves the row for the next try, with its reason
        return f"VACUUM failed: {type(exc).__name__}"
    return None


@bp.cli.command("finish-erasures")
def finish_erasures() -> None:
    """Finish erasures in the database files (checkpoint the SQLite WAL, VACUUM PostgreSQL);
    for cron, every minute. Exits 1 while an erasure is still not out of the files."""
    if finish():
        click.echo("Erasures: the database files hold nothing of erased participants.")
        return
    rows = pending()
    click.echo(
        f"Erasures: {len(rows)} not finished in the database files yet"
        f" ({rows[0].last_error if rows else 'unknown'}); try again later."
    )
    raise SystemExit(1)
