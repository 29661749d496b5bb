"""The database handle: Flask-SQLAlchemy's `db` and the models' declarative base.

Apart from assess/extensions.py so that the models, the write side and the read side reach
the database without importing the web-only extensions (login, CSRF, rate limits, Babel).
"""

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
