"""Mail texts: the default Dutch invitation and reminder per moment, placeholder checks, rendering.

A text uses placeholders like {naam}; `{{` and `}}` stand for a literal brace. We substitute
them ourselves instead of using str.format, whose attribute syntax ({naam.__class__}) would let
a trainer's text reach into Python objects.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from assess.engine.moments import Moment
from assess.reports import promises

# Only these values ever reach a mail: never answers, scores or anything else of the survey.
PLACEHOLDERS = {
    "naam": _l("de naam van de deelnemer"),
    "cohort": _l("de naam van het cohort"),
    "moment": _l("voormeting, nameting of follow-up"),
    "deadline": _l("de laatste dag om in te vullen"),
    "link": _l("de persoonlijke link (verplicht)"),
    "trainer": _l("jouw naam als trainer"),
    "duur": _l(
        "hoe lang het invullen duurt (gemeten, of geschat zolang te weinig mensen invulden)"
    ),
}
KINDS = ("invitation", "reminder")

_SIGNATURE = """Met vriendelijke groet,
{trainer}
Leergang Woonconsulent"""

_LINK_BLOCK = """Je persoonlijke link:
{link}

Deze link is alleen voor jou: stuur hem niet door. Je kunt tussendoor stoppen en later met \
dezelfde link verdergaan."""

_OPENINGS = {
    Moment.INTAKE: "Binnenkort begint {cohort}. Voor de start vragen we je de zelfscan in te vullen:"
    " de voormeting. Dat kost {duur}.",
    Moment.EXIT: "{cohort} zit erop. Vul nu de zelfscan nog een keer in: de nameting. Zo zie je wat"
    " er voor jou veranderd is. Dat kost {duur}.",
    Moment.FOLLOWUP: "Een tijd geleden rondde je {cohort} af. We zijn benieuwd hoe het nu gaat: vul"
    " de zelfscan een laatste keer in, de follow-up. Dat kost {duur}.",
}


def _join(*parts: str) -> str:
    return "\n\n".join(parts)


DEFAULT_SUBJECTS = {
    "invitation": "Zelfscan {cohort}: de {moment}",
    "reminder": "Herinnering: zelfscan {cohort}, de {moment}",
}
DEFAULT_BODIES = {
    ("invitation", moment): _join(
        "Beste {naam},",
        opening,
        _LINK_BLOCK,
        "Vul de zelfscan in uiterlijk {deadline}.",
        promises.MAIL_WHO_SEES_SURVEY,
        _SIGNATURE,
    )
    for moment, opening in _OPENINGS.items()
} | {
    ("reminder", moment): _join(
        "Beste {naam},",
        "Je hebt de {moment} van de zelfscan voor {cohort} nog niet afgerond. Dat kan nog tot en"
        " met {deadline}. Wat je al invulde, is bewaard.",
        _LINK_BLOCK,
        "Heb je de zelfscan net afgerond? Dan kun je dit bericht vergeten.",
        promises.MAIL_WHO_SEES_SURVEY,
        _SIGNATURE,
    )
    for moment in _OPENINGS
}

# The weekly pulse (assess/trainer/mail/pulses.py): one mail per week, only the default text.
DEFAULT_SUBJECTS["pulse"] = "Weekpuls {cohort}: hoe ging je week?"
DEFAULT_BODIES[("pulse", Moment.PULSE)] = _join(
    "Beste {naam},",
    "Tijd voor de weekpuls van {cohort}: vijf korte vragen over je afgelopen week. Dat kost"
    " minder dan een minuut. Daarna zie je hoe jouw weken tot nu toe gingen.",
    _LINK_BLOCK,
    "De weekpuls staat open tot en met {deadline}. Wil je deze mails niet meer? Dat zet je uit"
    " op je startpagina.",
    promises.MAIL_WHO_SEES_PULSE,
    _SIGNATURE,
)

# A placeholder, an escaped brace, or a lone brace (an error).
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}|[{}]")


class TemplateError(ValueError):
    """A text with a placeholder problem; str() is the Dutch message naming the placeholder."""


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: Markup


def defaults(kind: str, moment: str) -> tuple[str, str]:
    """The default (subject, body) for an invitation or reminder at a moment."""
    return DEFAULT_SUBJECTS[kind], DEFAULT_BODIES[(kind, Moment(moment))]


def check(text: str, require_link: bool = False) -> None:
    """Raise TemplateError on the first unknown, empty or unclosed placeholder."""
    allowed = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
    seen = set()
    for match in _TOKEN.finditer(text):
        token, name = match.group(0), match.group(1)
        if token in ("{{", "}}"):
            continue
        if token == "{":
            fragment = re.match(r"\{[^\s{}]*", text[match.start() :]).group(0)  # type: ignore[union-attr]  # starts with {
            raise TemplateError(
                _(
                    "De plaatshouder “%(fragment)s” is niet afgesloten: schrijf hem als"
                    " {%(name)s}. Bedoel je echt een accolade, typ dan {{.",
                    fragment=fragment,
                    name=fragment[1:] or "naam",
                )
            )
        if token == "}":
            line = text[: match.end()].rsplit("\n", 1)[-1]
            context = line[-20:].strip()
            raise TemplateError(
                _(
                    "Losse accolade in “%(context)s”: een plaatshouder begint met {, zoals {naam}."
                    " Bedoel je echt een accolade, typ dan }}.",
                    context=context,
                )
            )
        if not name.strip():
            raise TemplateError(_("Lege plaatshouder {}: zet er een naam tussen, zoals {naam}."))
        if name.strip() not in PLACEHOLDERS:
            raise TemplateError(
                _(
                    "Onbekende plaatshouder %(token)s. Je kunt deze gebruiken: %(allowed)s.",
                    token=token,
                    allowed=allowed,
                )
            )
        seen.add(name.strip())
    if require_link and "link" not in seen:
        raise TemplateError(
            _("De tekst mist de plaatshouder {link}: zonder link kan de deelnemer niet beginnen.")
        )


def substitute(text: str, values: Mapping[str, str], escape_html: bool = False) -> str:
    """Fill in the placeholders of a checked text; with escape_html, text and values are escaped."""
    check(text)
    out: list[str] = []
    last = 0
    for match in _TOKEN.finditer(text):
        literal = text[last : match.start()]
        out.append(str(escape(literal)) if escape_html else literal)
        token, name = match.group(0), match.group(1)
        if token in ("{{", "}}"):
            out.append(token[0])
        elif escape_html and name.strip() == "link":
            url = escape(values["link"])
            out.append(f'<a href="{url}">{url}</a>')
        else:
            value = values[name.strip()]
            out.append(str(escape(value)) if escape_html else value)
        last = match.end()
    tail = text[last:]
    out.append(str(escape(tail)) if escape_html else tail)
    return "".join(out)


def paragraphs(escaped: str) -> Markup:
    """Escaped text to HTML: blank lines separate <p>s, single line breaks become <br>."""
    blocks = re.split(r"\n\s*\n", escaped.replace("\r\n", "\n").strip())
    return Markup(
        "\n".join("<p>" + block.strip().replace("\n", "<br>\n") + "</p>" for block in blocks)
    )


def deadline_text(closes_on: date | None) -> str:
    """The deadline in Dutch words ("vrijdag 13 maart 2026"), whatever the page's language."""
    if closes_on is None:
        return "het einde van de meetperiode"
    return format_date(closes_on, "EEEE d MMMM y", locale="nl")


def render(subject: str, body: str, values: Mapping[str, str]) -> Rendered:
    """The subject (one line), the plain-text body and the HTML body of one mail."""
    line = " ".join(substitute(subject, values).split())
    text = substitute(body, values).replace("\r\n", "\n").strip() + "\n"
    html = paragraphs(substitute(body, values, escape_html=True))
    return Rendered(subject=line, text=text, html=html)
