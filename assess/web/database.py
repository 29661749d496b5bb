"""Database behaviour per backend: SQLite pragmas and write transactions, outage handling."""

from __future__ import annotations

import functools

from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from assess.db import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_STATEMENTS = ("SELECT", "BEGIN", "PRAGMA")


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
        if has_request_context():
            writes = request.method not in SAFE_METHODS and not g.get("reads_first")
        else:
            writes = True
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

    @event.listens_for(engine, "before_cursor_execute")
    def no_write_while_reading(_conn, _cursor, statement, _params, _context, _many):
        # A write inside the read phase of a `reads_first` view would upgrade a read
        # transaction to a write one, which WAL refuses at once when another request has
        # committed meanwhile. Fail loudly (in tests) instead of now and then in production.
        if (
            has_request_context()
            and g.get("reads_first")
            and not statement.lstrip()[:6].upper().startswith(READ_STATEMENTS)
        ):
            raise RuntimeError("a reads_first view wrote before start_writing()")


def reads_first(view):
    """A POST view that reads and validates before it writes: on SQLite its reading runs in a
    plain transaction, and the write lock is taken only at `start_writing()`.

    A survey page save spends most of its time reading the participant, building the form and
    validating; holding SQLite's single write lock for all of that made two workers take
    turns (benchmarks/survey_throughput.py). The view must call `start_writing()` before its
    first write (on SQLite a write before it is refused); there it commits the read
    transaction. Checks that guard a write (is the response still a draft?) must be made
    after `start_writing()`, on rows read again under the lock (`with_for_update`, which is
    the row lock PostgreSQL needs too).
    """

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        # GETs of the same view read in a plain transaction already; the flag is for writers.
        if request.method not in SAFE_METHODS:
            g.reads_first = True
        return view(*args, **kwargs)

    return wrapper


def start_writing() -> None:
    """End the read phase of a `reads_first` view; later statements run in a write transaction.

    Only SQLite needs the read transaction ended (its lock is taken at BEGIN); PostgreSQL
    locks rows as they are written, so there the read and the write share one transaction.
    """
    if g.pop("reads_first", False) and db.session.get_bind().dialect.name == "sqlite":
        db.session.commit()


def ping() -> tuple[bool, str]:
    """Whether the database answers, with a short reason when it does not."""
    try:
        db.session.execute(db.text("SELECT 1"))
        return True, "ok"
    except Exception as exc:  # any driver error means "down" to a health check
        db.session.rollback()
        return False, type(exc).__name__
