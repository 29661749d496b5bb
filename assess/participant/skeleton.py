"""Survey pages from a skeleton: the page rendered once per questionnaire version, page,
language and moment title, with only the person's answers and the CSRF token filled in per
request.

Rendering the template (macros per item, a radio option per answer point, a translation per
label) was the largest part of a survey page's time (benchmarks/survey_profile.py), and all of
it is the same for everyone who sees that page. The skeleton is the real template's output,
rendered with markers where the per-request values go: the CSRF token, the value of each
number and text field, and the place of `checked` in each radio option. Filling it gives the
same bytes the template gives (tests/participant/test_skeleton.py compares them page by page).

A page that shows anything more goes through the template as before: messages (flash or
field errors), a staff member's navigation, answers recalled from an earlier moment, a query
string in the address. Skeletons are derived from the code and the questionnaire files
alone, hold nobody's data and never change while the app runs, so keeping them in the
process keeps no user state there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from flask import current_app, g, render_template, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import escape

from assess import clock
from assess.engine.definition import ChoiceItem, LikertItem, Questionnaire, Section, SjtItem
from assess.engine.scoring import AnswerValue
from assess.survey import forms as survey_forms

MARK = "\x00"  # never in a page: not in the templates, and posted values have it replaced
CSRF_SLOT = "T"
SLOT = re.compile(MARK + "([^" + MARK + "]*)" + MARK)
# A radio option as forms.OPTION_HTML writes it, without `checked`; the slot goes where
# `checked` would.
RADIO = re.compile(
    r'<input(?= id="[^"]*" name="([^"]*)"(?: required)? type="radio" value="([^"]*)">)'
)
SHOWN_SLOT = "S"  # the moment the page was shown (assess/survey/page_times.py)
CACHE_KEY = "assess.page_skeletons"
CACHE_MAX = 512


def shown_at() -> str:
    """This request's page stamp (seconds since the epoch), the same wherever the request
    renders it, so the skeleton's page and the template's are the same bytes."""
    if "page_shown_at" not in g:
        g.page_shown_at = f"{clock.timestamp():.3f}"
    value: str = g.page_shown_at
    return value


def _radio_slot(name: str, escaped_value: str) -> str:
    return f"R{name}\x01{escaped_value}"


def _value_slot(name: str) -> str:
    return f"V{name}"


def _is_radio(item) -> bool:
    return isinstance(item, LikertItem | ChoiceItem | SjtItem)


class Skeleton:
    """The page's HTML split at its slots: parts[1], parts[3] … are slot names."""

    def __init__(self, q: Questionnaire, parts: list[str]) -> None:
        self.q = q  # keeps id(q) in the cache key from being reused while this lives
        self.parts = parts

    def fill(self, values: Mapping[str, str]) -> str:
        parts = self.parts.copy()
        for i in range(1, len(parts), 2):
            parts[i] = values.get(parts[i], "")
        return "".join(parts)


def usable() -> bool:
    """Whether this request's page can come from a skeleton (see the module's docstring);
    whether the page recalls earlier answers is known to its skeleton."""
    return not (
        request.method != "GET"
        or request.query_string
        or "_flashes" in session
        or current_app.jinja_env.auto_reload
        or current_user.is_authenticated
    )


def page(
    q: Questionnaire,
    section: Section,
    status,
    n: int,
    total: int,
    stored: Mapping[str, AnswerValue],
    lang: str,
) -> str | None:
    """The survey page for these answers from its skeleton; None when the template must do it."""
    if not usable():
        return None
    key = (id(q), status.moment, n, total, lang, status.title, request.script_root, request.path)
    cache = current_app.extensions.setdefault(CACHE_KEY, {})
    skeleton = cache.get(key)
    if skeleton is None or skeleton.q is not q:
        skeleton = _build(q, section, status, n, total, lang)
        if len(cache) >= CACHE_MAX:
            cache.clear()
        cache[key] = skeleton
    if not skeleton.parts:
        return None  # recalled answers, or the page did not come out as expected
    values = {CSRF_SLOT: generate_csrf(), SHOWN_SLOT: shown_at()}
    for item in section.items:
        shown = survey_forms.display(item, stored.get(item.id), lang)
        if shown is None:
            continue
        name = survey_forms.field_name(item.id)
        if _is_radio(item):
            values[_radio_slot(name, str(escape(shown)))] = " checked"
        else:
            values[_value_slot(name)] = str(escape(shown))
    return skeleton.fill(values)


def _build(q: Questionnaire, section: Section, status, n: int, total: int, lang: str) -> Skeleton:
    """Render the page with markers in its slots and split it there; no parts for a page
    that recalls earlier answers (the template shows them)."""
    if any(getattr(item, "recall", None) for item in section.items):
        return Skeleton(q, [])
    markers = {
        item.id: MARK + _value_slot(survey_forms.field_name(item.id)) + MARK
        for item in section.items
        if not _is_radio(item)
    }
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    earlier = g.pop(field, None)
    earlier_stamp = g.pop("page_shown_at", None)
    # Flask-WTF takes the token from g when it is there: every place the page shows it
    # (the form, the language switch) gets the marker. The page stamp likewise.
    setattr(g, field, MARK + CSRF_SLOT + MARK)
    g.page_shown_at = MARK + SHOWN_SLOT + MARK
    try:
        form = survey_forms.page_form(q, section, markers, lang=lang)
        html = render_template(
            "participant/page.html",
            q=q,
            status=status,
            section=section,
            form=form,
            n=n,
            total=total,
            recalled={},
        )
    finally:
        g.pop(field, None)
        g.pop("page_shown_at", None)
        if earlier is not None:
            setattr(g, field, earlier)
        if earlier_stamp is not None:
            g.page_shown_at = earlier_stamp
    html = RADIO.sub(lambda m: "<input" + MARK + _radio_slot(m[1], m[2]) + MARK, html)
    parts = SLOT.split(html)
    slots = parts[1::2]
    radios = 0
    for item in section.items:
        if isinstance(item, LikertItem):
            radios += len(q.points_for(item))
        elif isinstance(item, ChoiceItem | SjtItem):
            radios += len(item.options)
    expected = {_value_slot(survey_forms.field_name(i)) for i in markers}
    found_values = [s for s in slots if s.startswith("V")]
    if (
        sum(s.startswith("R") for s in slots) != radios
        or sorted(found_values) != sorted(expected)
        or CSRF_SLOT not in slots
        or slots.count(SHOWN_SLOT) != 1
        or len(slots) != radios + len(expected) + slots.count(CSRF_SLOT) + 1
    ):
        return Skeleton(q, [])
    return Skeleton(q, parts)
