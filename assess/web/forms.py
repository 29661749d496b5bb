"""Forms shared by several blueprints."""

from __future__ import annotations

from flask import current_app, render_template
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice


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
