"""The rater form, built at run time from the rater questionnaire: one radio group per
observable item, its points plus "kan ik niet beoordelen"."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired

from assess.engine import raters as rules
from assess.engine.definition import LikertItem, Questionnaire, text

CANNOT_JUDGE = "nvt"


class RatingForm(FlaskForm):
    """Subclassed per questionnaire; `field_for(item)` finds an item's field for the macros."""

    q: Questionnaire

    def field_for(self, item: LikertItem) -> RadioField:
        return self[item.id]

    def answers(self) -> dict[str, int | None]:
        """Item id → point, None for "kan ik niet beoordelen"."""
        out: dict[str, int | None] = {}
        for item_id in self.q.item_ids_for(rules.RATER):
            value = self[item_id].data
            out[item_id] = None if value == CANNOT_JUDGE else int(value)
        return out


def rating_form(q: Questionnaire, lang: str, formdata=None) -> RatingForm:
    class Form(RatingForm):
        pass

    Form.q = q
    required = InputRequired(message=_l("Kies een antwoord, of 'kan ik niet beoordelen'."))
    for item_id in q.item_ids_for(rules.RATER):
        item = q.items_by_id[item_id]
        assert isinstance(item, LikertItem)  # the engine allows only Likert items here
        choices = [SelectChoice(str(p.value), text(p.label, lang)) for p in q.points_for(item)]
        choices.append(SelectChoice(CANNOT_JUDGE, _("Kan ik niet beoordelen")))
        # A forged value gets the same Dutch message as a missing one, never WTForms' English.
        known = AnyOf([c.value for c in choices], message=required.message)
        field = RadioField(choices=choices, validators=[required, known], validate_choice=False)
        setattr(Form, item_id, field)
    return Form(formdata=formdata) if formdata is not None else Form()
