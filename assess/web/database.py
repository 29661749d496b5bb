"""Database behaviour per backend: SQLite pragmas and write transactions, outage handling."""

from __future__ import annotations

import functools
import select
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError, OperationalError

from assess.db import db, in_write_phase, write_phase

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Statements that change no data: reads, transaction control, and session settings
# (`SET LOCAL jit = off` before a big report query on PostgreSQL).
READ_STATEMENTS = frozenset(
    {"SELECT", "WITH", "BEGIN", "PRAGMA", "EXPLAIN", "SET", "SHOW", "SAVEPOINT", "RELEASE"}
)


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", no_write_while_reading)
    if engine.dialect.name == "sqlite":
        configure_sqlite(engine)
    else:
        check_idle_connections(engine)


# A pooled connection idle longer than this is checked before use (see check_idle_connections).
PING_AFTER_IDLE_SECONDS = 10.0


def check_idle_connections(engine: Engine) -> None:
    """Check a pooled PostgreSQL connection before a request uses it, when it may be dead.

    SQLAlchemy's `pool_pre_ping` sends a SELECT 1 before every request: a round trip that
    cost a survey page a fifth of its throughput on PostgreSQL (benchmarks/survey_throughput.py).
    Instead a connection is pinged, and replaced when dead, only when
    - the server wrote to it while it sat idle: on a healthy idle connection nothing arrives,
      while a restarted or terminated backend closes it (the socket reads as at its end); this
      look costs no round trip;
    - or it has been idle for over PING_AFTER_IDLE_SECONDS, for a network cut that closed
      nothing.
    A connection that breaks otherwise fails the request using it (the Dutch 503 page, nothing
    half stored), and SQLAlchemy then replaces every connection of the pool made before it.
    """

    @event.listens_for(engine, "connect")
    def fresh(_dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def back(_dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def check(dbapi_connection, record, _proxy) -> None:
        idle = time.monotonic() - record.info.get("idle_since", 0.0)
        if idle <= PING_AFTER_IDLE_SECONDS and not server_wrote(dbapi_connection):
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            # The pool discards this connection and hands out a new one.
            raise DisconnectionError("connection lost while idle in the pool") from error


def server_wrote(dbapi_connection) -> bool:
    """Whether an idle connection's socket has something to read (or is closed)."""
    try:
        poller = select.poll()
        poller.register(dbapi_connection.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
        return bool(poller.poll(0))
    except Exception:
        return True  # no socket to look at: let the ping decide


# The one rule for transactions in a request (issue 13):
#
#   A request reads in a read transaction and writes only in a write transaction that took
#   the write lock when it began.
#
# A POST is a write transaction from its first statement (BEGIN IMMEDIATE on SQLite), unless
# the view is `reads_first`: then it reads first and calls `start_writing()` before its first
# write. A GET only reads; a GET that must write (the audit row of a read) does so in its own
# short transaction, `with writing():`, after its reads. Outside a request (CLI jobs) every
# transaction is a write transaction; such jobs keep them short.
#
# Why: SQLite in WAL mode refuses at once to upgrade a read transaction to a write one when
# another connection committed after it began (SQLITE_BUSY_SNAPSHOT; the busy timeout does not
# apply), which a class submitting while the trainer reloads triggers constantly. A transaction
# that begins with the lock just queues. PostgreSQL needs none of this, but the rule is checked
# on both so that a view that breaks it fails in every test run, not now and then in production.


def may_write() -> bool:
    """Whether the transaction the current request (or job) is in, or begins next, may write."""
    if not has_request_context():
        return True
    if g.get("writing") or in_write_phase():
        return True
    return request.method not in SAFE_METHODS and not g.get("reads_first")


def no_write_while_reading(_conn, _cursor, statement, _params, _context, _many) -> None:
    # Fail loudly on every backend: on SQLite such a write fails only when another request
    # happened to commit in between, which tests on a quiet database never see.
    first = statement.split(None, 1)[0].upper() if statement.strip() else ""
    if first not in READ_STATEMENTS and not may_write():
        raise RuntimeError(
            f"{request.method} {request.path} wrote in its read phase:"
            " use `with database.writing():` (GET) or `start_writing()` (reads_first POST)"
        )


def configure_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout, foreign keys, and BEGIN IMMEDIATE for every write transaction.

    pysqlite's own transaction handling starts transactions lazily and late, so two
    writers can both read and then deadlock on the upgrade to a write lock, which the
    busy timeout cannot resolve. Taking the write lock up front (BEGIN IMMEDIATE) for
    transactions that may write makes concurrent writers queue instead of fail.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA secure_delete=ON")  # erased rows are zeroed, see sqlite_files
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        # Straight to the driver: SQLAlchemy's execution path (events, the read-phase guard,
        # result handling) was a tenth of a survey page's database time, and BEGIN needs none
        # of it.
        statement = "BEGIN IMMEDIATE" if may_write() else "BEGIN"
        try:
            connection.connection.driver_connection.execute(statement)
        except sqlite3.OperationalError as exc:
            # The driver's own error skips SQLAlchemy's wrapping, so the Dutch 503 page
            # (web/errors.py handles DBAPIError) would become a bare 500 when the database
            # stays locked past the busy timeout.
            raise OperationalError(statement, None, exc) from exc


def reads_first(view):
    """A POST view that reads and validates before it writes: on SQLite its reading runs in a
    plain transaction, and the write lock is taken only at `start_writing()`.

    A survey page save spends most of its time reading the participant, building the form and
    validating; holding SQLite's single write lock for all of that made two workers take
    turns (benchmarks/survey_throughput.py). The view must call `start_writing()` before its
    first write (a write before it is refused on every backend); on SQLite that commits the
    read transaction. Checks that guard a write (is the response still a draft?) must be made
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
    if not may_write():
        _end_read_transaction()
        g.writing = True


@contextmanager
def writing() -> Iterator[None]:
    """A short write transaction after a request's reads, committed on leaving the block.

    For a GET that must record something (the audit row of a read). The reads before it are
    committed first on SQLite (a read transaction cannot become a write one there), so the
    block begins with the write lock and waits its turn instead of failing. After the block
    the request is back in its read phase: rendering the page holds no lock.
    """
    _end_read_transaction()
    with write_phase():
        try:
            yield
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise


def _end_read_transaction() -> None:
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.commit()


def ping() -> tuple[bool, str]:
    """Whether the database answers, with a short reason when it does not."""
    try:
        db.session.execute(db.text("SELECT 1"))
        return True, "ok"
    except Exception as exc:  # any driver error means "down" to a health check
        db.session.rollback()
        return False, type(exc).__name__
