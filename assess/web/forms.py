"""Forms shared by several blueprints."""

from __future__ import annotations

from datetime import date

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

# The dates a course can have. A date far outside them is a typing slip, and dates near the
# end of the calendar break the sums on them: a window closing on 9999-12-31 made every link of
# its cohort a 500 (the link's grace period ran past date.max), and a weekly pulse until then
# ran for seconds before failing the same way.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
DATE_RANGE_MESSAGE = _l("Kies een datum tussen 1-1-2000 en 31-12-2100.")
INVALID_DATE_MESSAGE = _l("Vul een bestaande datum in, bijvoorbeeld 9-3-2027.")


def date_in_range(day: date) -> bool:
    return EARLIEST_DATE <= day <= LATEST_DATE


class CourseDateField(DateField):
    """A date of a course (cohort, measurement window, pulse, course day): every form that
    takes a date uses this field, so none lets a date outside 2000–2100 through. The browser
    is told the range too; the check here is the one that counts."""

    def __init__(self, *args, **kwargs) -> None:
        render_kw = {"min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()}
        kwargs["render_kw"] = render_kw | (kwargs.get("render_kw") or {})
        # Dutch for what is no date at all (a five-digit year passes a browser's date input):
        # fields in a plain sub-form (the cohort's windows) get no translation from Flask-WTF.
        kwargs.setdefault("invalid_value_message", INVALID_DATE_MESSAGE)
        super().__init__(*args, **kwargs)

    def pre_validate(self, form) -> None:
        if isinstance(self.data, date) and not date_in_range(self.data):
            raise ValidationError(str(DATE_RANGE_MESSAGE))


class LanguageForm(FlaskForm):
    lang = SelectField(choices=[SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")])
    next = HiddenField()


class ConfirmForm(FlaskForm):
    """A submit-only form for POST buttons (logout, revoke, archive …): carries the CSRF token."""

    submit = SubmitField()


def csrf_checked() -> bool:
    """Whether Flask-WTF's CSRFProtect checked this request's token before the view ran
    (the app's default), so a view may read a post without a form's own check; or whether
    CSRF protection is off altogether, when a form would not check it either."""
    config = current_app.config
    return not config.get("WTF_CSRF_ENABLED", True) or config.get("WTF_CSRF_CHECK_DEFAULT", True)


def confirm_page(question: str, explanation: str, yes: str, *, action: str, back: str) -> str:
    """The one question before a step that cannot simply be undone (templates/confirm.html),
    without JavaScript: `yes` posts to `action` with the CSRF token, "Annuleren" goes `back`."""
    return render_template(
        "confirm.html",
        question=question,
        explanation=explanation,
        yes=yes,
        action=action,
        back=back,
        form=ConfirmForm(),
    )
