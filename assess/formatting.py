"""Numbers in the reader's language, by Babel: the one formatter for pages, charts and exports.

The locale is an argument, so the read side formats without a request; the templates' `number`
and `percent` filters (assess/web/i18n.py) pass the page's locale.
"""

from __future__ import annotations

from babel.numbers import format_decimal, format_percent

MISSING = "–"


def _pattern(digits: int) -> str:
    return "#,##0" + ("." + "0" * digits if digits else "")


def number(value: float | int | str | None, digits: int = 1, locale: str = "nl") -> str:
    """A decimal in the locale (3,5 in Dutch, 3.5 in English), or a dash for a missing value.

    A string passes through unchanged: the read side marks a hidden or impossible figure
    with a short text instead of a number.
    """
    if value is None:
        return MISSING
    if isinstance(value, str):
        return value
    return format_decimal(value, format=_pattern(digits), locale=locale)


def percent(value: float | None, digits: int = 0, locale: str = "nl") -> str:
    """A share (0.25) as a percentage in the locale ("25 %"), or a dash for a missing value."""
    if value is None:
        return MISSING
    return format_percent(value, format=_pattern(digits) + " %", locale=locale)


def plain(value: float | int, locale: str = "nl") -> str:
    """A number as a person would type it: no grouping, only the decimals it has (12,5).

    For values that go back into a form field, which the engine's answer rules read again.
    """
    return format_decimal(value, format="0.######", locale=locale)
