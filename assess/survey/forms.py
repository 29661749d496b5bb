"""Survey pages built from a questionnaire: one WTForms form per section, and page navigation.

The engine decides the questions; this module only turns a section into a form (WTForms'
"dynamic form composition": subclass FlaskForm, add one field per item) and reads the posted
values back through the engine's `coerce_answer`, so the rules for what an answer may be live in
one place. The participant's survey and the manager's beleidsscan both use it:

- `page_form(q, section, answers, lang=..., require=...)` -> a `PageForm` bound to the request
  (POST) or filled with the stored answers (GET); `form.validate_page(require)`, then
  `form.answers()` -> the page's answers, or `form.error_items()` -> the items with errors.
- `pages(q, moment)`, `resume_page(q, moment, answers, current_page)`, `page_of_item(...)`.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict
from wtforms import Field, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation, ValidationError

from assess import formatting
from assess.engine.definition import (
    ChoiceItem,
    Item,
    LikertItem,
    NumericItem,
    Questionnaire,
    Section,
    SjtItem,
    TextItem,
)
from assess.engine.messages import Message
from assess.engine.scoring import (
    AnswerError,
    AnswerValue,
    coerce_answer,
    is_blank,
    time_total_problem,
)
from assess.formatting import say

REQUIRED_MESSAGE = _l("Beantwoord deze vraag om verder te gaan.")
PREFIX = "a_"


def field_name(item_id: str) -> str:
    """The form field (and POST key) of an item; prefixed so no item id can shadow a form method."""
    return PREFIX + item_id


class EngineAnswer:
    """Validate a field with the engine: the value must fit the item; required when asked."""

    def __init__(self, q: Questionnaire, item: Item, lang: str) -> None:
        self.q = q
        self.item = item
        self.lang = lang

    def __call__(self, form: PageForm, field: Field) -> None:
        field.answer = None
        answer, problem = item_answer(self.q, self.item, field.raw_data, form.stored, form.require)
        if isinstance(problem, Message):
            raise StopValidation(say(problem, self.lang))
        if problem is not None:
            raise ValidationError(problem)
        field.answer = answer


def item_answer(
    q: Questionnaire,
    item: Item,
    raw_data: list,
    stored: Mapping[str, AnswerValue],
    require: bool,
) -> tuple[AnswerValue, Message | LazyString | None]:
    """One item's posted values (WTForms' raw_data: [] when not posted) as its answer, or
    what is wrong: the engine's message, or REQUIRED_MESSAGE."""
    raw = raw_data[0] if raw_data else ""
    try:
        answer = coerce_answer(item, str(raw), q)
    except AnswerError as exc:
        return None, exc.message
    if answer is None and item.required and require:
        # A radio group that was not posted keeps the answer given earlier.
        if raw_data or is_blank(stored.get(item.id)):
            return None, REQUIRED_MESSAGE
    return answer, None


def posted_answers(
    q: Questionnaire,
    section: Section,
    formdata: MultiDict,
    stored: Mapping[str, AnswerValue],
    require: bool,
) -> dict[str, AnswerValue] | None:
    """A page's posted answers when all of them are valid: what `PageForm.validate_page`
    passes and `PageForm.answers` returns, without building the form. None when anything is
    wrong; the form then finds it and shows the messages.

    Building and validating the WTForms form was most of a page save's own time
    (benchmarks/survey_profile.py); a save with nothing wrong needs none of its rendering.
    """
    out: dict[str, AnswerValue] = {}
    for item in section.items:
        name = field_name(item.id)
        raw_data = formdata.getlist(name) if name in formdata else []
        answer, problem = item_answer(q, item, raw_data, stored, require)
        if problem is not None:
            return None
        if raw_data:
            out[item.id] = answer
    on_page = [i.id for i in section.items if i.id in q.time_allocation]
    if on_page and q.time_allocation_max is not None:
        combined = {**stored, **{k: out[k] for k in on_page if k in out}}
        if time_total_problem(q, on_page, combined) is not None:
            return None
    return out


class PageForm(FlaskForm):
    """One survey page. Fields are added per item by `page_form`; `items` keeps their order."""

    q: Questionnaire
    section: Section
    items: tuple[Item, ...] = ()
    lang: str = "nl"

    def __init__(self, *args, stored: Mapping[str, AnswerValue] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stored = dict(stored or {})
        self.require = True

    def field_for(self, item: Item) -> Field:
        return self[field_name(item.id)]

    def validate_page(self, require: bool) -> bool:
        """Check every posted value; `require` also blocks on unanswered required items."""
        self.require = require
        valid = self.validate()
        return self._time_total_fits() and valid

    def _time_total_fits(self) -> bool:
        """The page's time-allocation shares (with any stored on other pages) add up to at
        most the questionnaire's maximum; else a message at the first one, input kept."""
        on_page = [i for i in self.items if i.id in self.q.time_allocation]
        if not on_page or self.q.time_allocation_max is None:
            return True
        fields = [self.field_for(i) for i in on_page]
        if any(f.errors for f in fields):
            return True  # a value that is not a valid number is reported on its own
        combined: dict[str, object] = dict(self.stored)
        for item, f in zip(on_page, fields, strict=True):
            if f.raw_data:
                combined[item.id] = getattr(f, "answer", None)
        message = time_total_problem(self.q, [i.id for i in on_page], combined)
        if message is None:
            return True
        fields[0].errors = [*fields[0].errors, say(message, self.lang)]
        return False

    def answers(self) -> dict[str, AnswerValue]:
        """The page's valid answers after validation (None = cleared). Not-posted radios skipped.

        Items whose field was not in the POST at all are left out, so a partial post (an old
        tab, a forged request) never erases an answer given earlier.
        """
        out: dict[str, AnswerValue] = {}
        for item in self.items:
            field = self.field_for(item)
            if field.raw_data and not field.errors:
                out[item.id] = getattr(field, "answer", None)
        return out

    def error_items(self) -> list[Item]:
        return [item for item in self.items if self.field_for(item).errors]


def display(item: Item, value: AnswerValue, lang: str) -> str | None:
    """A stored answer as the form shows it: '12,5' in Dutch, the option key for choices."""
    if value is None:
        return None
    if isinstance(item, NumericItem) and isinstance(value, float):
        return formatting.plain(value, lang)
    return str(value)


def _field(q: Questionnaire, item: Item, lang: str) -> Field:
    label = q.item_text(item, lang)
    validators = [EngineAnswer(q, item, lang)]
    if isinstance(item, LikertItem):
        choices = [SelectChoice(str(p.value), q.text(p.label, lang)) for p in q.points_for(item)]
        return RadioField(label, choices=choices, validators=validators, validate_choice=False)
    if isinstance(item, ChoiceItem | SjtItem):
        choices = [SelectChoice(o.value, q.text(o.label, lang)) for o in item.options]
        return RadioField(label, choices=choices, validators=validators, validate_choice=False)
    if isinstance(item, NumericItem):
        return StringField(
            label,
            validators=validators,
            render_kw={"inputmode": "decimal", "autocomplete": "off", "class": "numeric"},
        )
    assert isinstance(item, TextItem)
    return TextAreaField(
        label, validators=validators, render_kw={"maxlength": item.max_length, "rows": 6}
    )


OPTION_HTML = (
    '<li><label for="{id}"><input{checked} id="{id}" name="{name}"{required} type="radio"'
    ' value="{value}"> <span>{label}</span></label></li>'
)


def radio_options(field: RadioField, required: bool) -> Markup:
    """The <li> options of a radio group, as WTForms' RadioField would render them.

    Written here instead of iterating the field in the template: WTForms builds a sub-field
    per option, and that with Jinja's loop over it was most of a survey page's time
    (benchmarks/survey_throughput.py). Every value is escaped before it goes in (ids, name, option
    values and the questionnaire's labels); the ids are WTForms' own ("<field id>-<index>").
    str.format, not Markup.format: the latter is several times slower.
    """
    name = escape(field.name)
    mark = " required" if required else ""
    return Markup(
        "\n".join(
            OPTION_HTML.format(
                id=escape(f"{field.id}-{index}"),
                checked=" checked" if choice.value == field.data else "",
                name=name,
                required=mark,
                value=escape(choice.value),
                label=escape(choice.label),
            )
            for index, choice in enumerate(field.choices)
        )
    )


# Form classes per (questionnaire object, section, language). A class depends on nothing
# else, and building one (a class, a field per item, WTForms' scan of its attributes) was a
# fifth of a survey page's time. Read-only once built, so sharing it between requests
# keeps no user state in the process. Each entry holds its questionnaire, so the id() in
# the key cannot be reused while the entry exists.
_FORM_CLASSES: dict[tuple[int, str, str], tuple[Questionnaire, type[PageForm]]] = {}
_FORM_CLASSES_MAX = 512


def _form_class(q: Questionnaire, section: Section, lang: str) -> type[PageForm]:
    key = (id(q), section.id, lang)
    cached = _FORM_CLASSES.get(key)
    if cached is not None and cached[0] is q:
        return cached[1]

    class SectionForm(PageForm):
        pass

    SectionForm.q = q
    SectionForm.section = section
    SectionForm.items = tuple(section.items)
    SectionForm.lang = lang
    for item in section.items:
        setattr(SectionForm, field_name(item.id), _field(q, item, lang))
    if len(_FORM_CLASSES) >= _FORM_CLASSES_MAX:
        _FORM_CLASSES.clear()
    _FORM_CLASSES[key] = (q, SectionForm)
    return SectionForm


def page_form(
    q: Questionnaire,
    section: Section,
    stored: Mapping[str, AnswerValue] | None = None,
    *,
    lang: str = "nl",
    **form_kwargs,
) -> PageForm:
    """The form of one section: bound to the POST when there is one, else showing `stored`."""
    stored = stored or {}
    SectionForm = _form_class(q, section, lang)
    data = {
        field_name(item.id): display(item, stored.get(item.id), lang)
        for item in section.items
        if item.id in stored
    }
    return SectionForm(data=data, stored=stored, **form_kwargs)


# --------------------------------------------------------------------------- navigation


def pages(q: Questionnaire, moment: str) -> list[Section]:
    """The survey pages of a moment, in order (page n in URLs is index n - 1)."""
    return q.sections_for(moment)


def missing_on_page(section: Section, answers: Mapping[str, AnswerValue]) -> list[str]:
    return [i.id for i in section.items if i.required and is_blank(answers.get(i.id))]


def resume_page(
    q: Questionnaire, moment: str, answers: Mapping[str, AnswerValue], current_page: int = 0
) -> int | None:
    """The 1-based page to continue on: the first with an unanswered required item, else the
    page last seen when it is further on; None when every page is complete (go to review)."""
    sections = pages(q, moment)
    for n, section in enumerate(sections, start=1):
        if missing_on_page(section, answers):
            return n
    if 0 < current_page <= len(sections):
        return current_page
    return None


def page_of_item(q: Questionnaire, moment: str, item_id: str) -> int | None:
    for n, section in enumerate(pages(q, moment), start=1):
        if any(i.id == item_id for i in section.items):
            return n
    return None


def answer_label(q: Questionnaire, item: Item, value: AnswerValue, lang: str = "nl") -> str:
    """An answer as a person reads it back: the option's label, the number with its unit."""
    if is_blank(value):
        return ""
    if isinstance(item, LikertItem):
        point = next((p for p in q.points_for(item) if p.value == value), None)
        return q.text(point.label, lang) if point else str(value)
    if isinstance(item, ChoiceItem | SjtItem):
        option = next((o for o in item.options if o.value == value), None)
        return q.text(option.label, lang) if option else str(value)
    if isinstance(item, NumericItem):
        unit = q.text(item.unit, lang) if item.unit else ""
        shown = display(item, value, lang) or ""
        return f"{shown} {unit}".strip()
    return str(value)
