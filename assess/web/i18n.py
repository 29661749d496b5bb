"""Languages: Dutch by default, English second; Dutch number and date formats in templates."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, session
from flask_babel import Babel, format_date, format_datetime

from assess import formatting


def select_locale() -> str:
    if not has_request_context():  # CLI and background work speak Dutch
        return "nl"
    chosen = session.get("lang")
    return str(chosen) if chosen in current_app.config["LANGUAGES"] else "nl"


def number(value, digits: int = 1) -> str:
    """A decimal in the page's locale (3,5 in Dutch), or a dash for a missing value."""
    return formatting.number(value, digits, select_locale())


def percent(value, digits: int = 0) -> str:
    return formatting.percent(value, digits, select_locale())


def init_app(app: Flask, babel: Babel) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters.update(
        number=number,
        percent=percent,
        date=lambda d, fmt="long": format_date(d, fmt) if d else "–",
        datetime=lambda d, fmt="medium": format_datetime(d, fmt) if d else "–",
    )
    app.jinja_env.globals["current_locale"] = select_locale
