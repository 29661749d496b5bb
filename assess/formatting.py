"""Numbers and the engine's messages in the reader's language, by Babel.

The one formatter for pages, charts and exports, and the one place where an engine `Message`
becomes text. The locale is an argument, so the read side, the CLI and background work use it
without a request; the templates' `number`, `percent`, `figure` and `say` filters
(assess/web/i18n.py) pass the page's locale.

`say(message, locale)` looks the message's Dutch source text (its msgid, see
assess/engine/messages.py) up in the compiled catalogue of `locale` (Dutch is the source, so
"nl" needs none), then fills in the parameters: numbers formatted here for that locale, at the
precision the placeholder asks for, and nested messages said in the same language.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from babel.numbers import format_decimal, format_percent, get_minus_sign_symbol
from babel.support import NullTranslations, Translations

from assess.engine.messages import Message
from assess.engine.stats import NOT_COMPUTABLE, is_computable

MISSING = "–"
TRANSLATIONS = Path(__file__).parent / "translations"

# a named python-format placeholder: %(name)s, %(name)d or %(name).2f
_PLACEHOLDER = re.compile(r"%\((\w+)\)(?:\.(\d+))?([sdf])")


def _pattern(digits: int) -> str:
    return "#,##0" + ("." + "0" * digits if digits else "")


def _unsigned_zero(text: str, locale: str) -> str:
    # -0.001 rounds to "-0,00": a minus on a zero reads as a (tiny) decline that is not there
    minus = get_minus_sign_symbol(locale)
    if text.startswith(minus) and not any(c in "123456789" for c in text):
        return text[len(minus) :]
    return text


def number(value: float | int | str | None, digits: int = 1, locale: str = "nl") -> str:
    """A decimal in the locale (3,5 in Dutch, 3.5 in English), or a dash for a missing value.

    A string passes through unchanged: the read side marks a hidden or impossible figure
    with a short text instead of a number.
    """
    if value is None:
        return MISSING
    if isinstance(value, str):
        return value
    return _unsigned_zero(format_decimal(value, format=_pattern(digits), locale=locale), locale)


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


def figure(value: object, digits: int = 2, locale: str = "nl") -> str:
    """A statistic in the locale: the number, or "niet te berekenen" when it is not one.

    For the engine's figures (``stats.Value``): a NotComputable, None or NaN all read as "not
    computable", never as a dash that could be taken for "no data yet".
    """
    if not is_computable(value):
        return say(NOT_COMPUTABLE, locale)
    return number(float(value), digits, locale)


def p_value(value: object, locale: str = "nl") -> str:
    """A p-value with three decimals, and "< 0,001" below that: never "0,000"."""
    if not is_computable(value):
        return say(NOT_COMPUTABLE, locale)
    if float(value) < 0.001:
        return "< " + number(0.001, 3, locale)
    return number(float(value), 3, locale)


@functools.cache
def _catalogue(locale: str) -> NullTranslations:
    # Translations.load falls back to NullTranslations (the msgid itself) for Dutch, which
    # has no catalogue because it is the source language
    return Translations.load(str(TRANSLATIONS), [locale])


def say(message: Message, locale: str = "nl") -> str:
    """The message as text in `locale`, its numbers formatted for that locale."""
    template = _catalogue(locale).gettext(message.source)
    values: dict[str, str] = {}

    def fill(match: re.Match[str]) -> str:
        name, digits, kind = match.groups()
        values[name] = _value(message.params[name], kind, digits, locale)
        return f"%({name})s"

    return _PLACEHOLDER.sub(fill, template) % values


def _value(value: object, kind: str, digits: str | None, locale: str) -> str:
    """One parameter as text, as its placeholder asks: %(x).2f, %(n)d or %(x)s."""
    if isinstance(value, Message):
        return say(value, locale)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if kind == "f":
        return number(value, int(digits) if digits is not None else 2, locale)
    if kind == "d":
        return str(int(value))
    # as short as it goes: 2,5 and 40, not 40,0
    return _unsigned_zero(format_decimal(value, locale=locale), locale)
