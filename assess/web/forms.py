"""Forms shared by several blueprints."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice


class LanguageForm(FlaskForm):
    lang = SelectField(choices=[SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")])
    next = HiddenField()


class ConfirmForm(FlaskForm):
    """A submit-only form for POST buttons (logout, revoke, archive …): carries the CSRF token."""

    submit = SubmitField()
