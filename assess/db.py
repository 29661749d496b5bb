"""The database handle: Flask-SQLAlchemy's `db` and the models' declarative base.

Apart from assess/extensions.py so that the models, the write side and the read side reach
the database without importing the web-only extensions (login, CSRF, rate limits, Babel).
"""

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
