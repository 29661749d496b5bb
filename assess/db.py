"""The database handle: Flask-SQLAlchemy's `db` and the models' declarative base.

Apart from assess/extensions.py so that the models, the write side and the read side reach
the database without importing the web-only extensions (login, CSRF, rate limits, Babel).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, cast

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import CursorResult, Result
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)

# The models' base class. mypy cannot use the attribute `db.Model` as a base class, so it is
# shown the declarative base that db.Model extends (with Flask-SQLAlchemy's table-name and
# bind mixins, which add nothing the models' types depend on).
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model


def rowcount(result: Result[Any]) -> int:
    """The rows an UPDATE or DELETE changed.

    Session.execute is typed as returning a plain Result; for these statements it is the
    driver's CursorResult, which carries the count.
    """
    return cast("CursorResult[Any]", result).rowcount


# Whether the statements now being run belong to a write transaction begun for them (see the
# transaction rule in assess/web/database.py). A context variable rather than flask.g, so that
# the read side can open a short write of its own (a cache of sums) without reaching for the
# request.
_write_phase: ContextVar[bool] = ContextVar("assess_write_phase", default=False)


@contextmanager
def write_phase() -> Iterator[None]:
    """Run a short write transaction of its own inside a request that otherwise reads.

    Begin the transaction inside the block (`with write_phase(), db.engine.begin() as c:`): on
    SQLite it then takes the write lock when it begins and waits its turn instead of failing.
    """
    token = _write_phase.set(True)
    try:
        yield
    finally:
        _write_phase.reset(token)


def in_write_phase() -> bool:
    return _write_phase.get()


def end_reads() -> None:
    """Commit the session's transaction when it only read, before a `write_phase()` of its own.

    Outside a request (cron, the CLI) the session's transaction may hold SQLite's write lock,
    which the short write's own connection would wait for; inside a request its reads are done,
    and ending them also lets the reads that follow see what the short write stored. A session
    with pending changes is left alone: those belong to the caller.
    """
    if not (db.session.new or db.session.dirty or db.session.deleted):
        db.session.commit()
