"""The participant's goal form: a theme, the goal, an if-then plan and five levels."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

LEVEL_FIELDS = {
    -2: "level_minus2",
    -1: "level_minus1",
    0: "level_0",
    1: "level_plus1",
    2: "level_plus2",
}
MAX_TEXT = 500
MAX_LEVEL = 300


def _level(label, message):
    return TextAreaField(
        label,
        validators=[DataRequired(message), Length(max=MAX_LEVEL)],
        render_kw={"rows": 2, "maxlength": MAX_LEVEL},
    )


class GoalForm(FlaskForm):
    # The choices are the questionnaire's three scales, set and checked by the view (with a
    # Dutch message, not WTForms' English one).
    theme = SelectField(
        _l("Thema"), validators=[DataRequired(_l("Kies een thema."))], validate_choice=False
    )
    text = TextAreaField(
        _l("Mijn doel"),
        validators=[DataRequired(_l("Schrijf je doel op.")), Length(max=MAX_TEXT)],
        render_kw={"rows": 2, "maxlength": MAX_TEXT},
    )
    if_then = TextAreaField(
        _l("Mijn als-dan-plan"),
        validators=[DataRequired(_l("Schrijf je plan op: Als …, dan …")), Length(max=MAX_TEXT)],
        render_kw={"rows": 2, "maxlength": MAX_TEXT},
    )
    level_minus2 = _level(_l("−2: veel minder dan verwacht"), _l("Beschrijf niveau −2."))
    level_minus1 = _level(_l("−1: iets minder dan verwacht"), _l("Beschrijf niveau −1."))
    level_0 = _level(_l("0: wat je verwacht te bereiken"), _l("Beschrijf niveau 0."))
    level_plus1 = _level(_l("+1: iets meer dan verwacht"), _l("Beschrijf niveau +1."))
    level_plus2 = _level(_l("+2: veel meer dan verwacht"), _l("Beschrijf niveau +2."))
    shared_with_trainer = BooleanField(_l("Mijn trainer mag dit doel lezen"))
    submit = SubmitField(_l("Doel opslaan"))

    def validate_if_then(self, field) -> None:
        # An implementation intention names a situation and a response: "als" … "dan".
        words = set(re.findall(r"\w+", (field.data or "").lower()))
        if not {"als", "dan"} <= words and not {"if", "then"} <= words:
            raise ValidationError(
                _l("Schrijf je plan als ‘Als [situatie], dan [wat je doet]’, met ‘als’ en ‘dan’.")
            )

    def levels(self) -> dict[int, str]:
        return {level: getattr(self, name).data or "" for level, name in LEVEL_FIELDS.items()}
