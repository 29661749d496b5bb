"""Languages: Dutch by default, English second; numbers, dates and the engine's messages in the
page's language.

`say(message)` is where a page turns an engine `Message` into text: `assess.formatting.say`
with the page's locale. Templates use the filters: `{{ explanation|say }}`,
`{{ change.d_z|figure(2) }}` (a statistic, or "niet te berekenen"), `{{ x|number(1) }}`.
"""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, session
from flask_babel import Babel, format_date, format_datetime

from assess import formatting
from assess.engine.messages import Message


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


def figure(value: object, digits: int = 2) -> str:
    """A statistic in the page's locale, or "niet te berekenen" when it is not a number."""
    return formatting.figure(value, digits, select_locale())


def p_value(value: object) -> str:
    """A p-value in the page's locale: "< 0,001" rather than "0,000"."""
    return formatting.p_value(value, select_locale())


def say(message: Message) -> str:
    """An engine message in the page's language."""
    return formatting.say(message, select_locale())


def init_app(app: Flask, babel: Babel) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters.update(
        number=number,
        percent=percent,
        figure=figure,
        p_value=p_value,
        say=say,
        date=lambda d, fmt="long": format_date(d, fmt) if d else "–",
        datetime=lambda d, fmt="medium": format_datetime(d, fmt) if d else "–",
    )
    app.jinja_env.globals["current_locale"] = select_locale
