"""Database behaviour per backend: SQLite pragmas and write transactions, outage handling."""

from __future__ import annotations

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        configure_sqlite(engine)


def configure_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout, foreign keys, and BEGIN IMMEDIATE for everything that may write.

    pysqlite's own transaction handling starts transactions lazily and late, so two
    writers can both read and then deadlock on the upgrade to a write lock, which the
    busy timeout cannot resolve. Taking the write lock up front (BEGIN IMMEDIATE) for
    state-changing requests makes concurrent submits queue instead of fail.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        # Outside a request (flask rescore, reminders, purge, demo) the work is a writer too.
        # A deferred transaction there that reads and then writes fails at once with "database
        # is locked" when a request has committed meanwhile (WAL's BUSY_SNAPSHOT: the busy
        # timeout does not apply to that upgrade), so it also takes the lock up front.
        writes = request.method not in SAFE_METHODS if has_request_context() else True
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def ping() -> tuple[bool, str]:
    """Whether the database answers, with a short reason when it does not."""
    try:
        db.session.execute(db.text("SELECT 1"))
        return True, "ok"
    except Exception as exc:  # any driver error means "down" to a health check
        db.session.rollback()
        return False, type(exc).__name__
