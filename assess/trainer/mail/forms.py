"""Forms of the mail pages: the cohort's text, the send choice, the retry button."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from assess.models import Cohort, Participant
from assess.survey.labels import moment_title
from assess.trainer.mail import texts as mail_texts


def moment_choices(moments: list[str]) -> list[SelectChoice]:
    return [SelectChoice(m, moment_title(m)) for m in moments]


class MomentForm(FlaskForm):
    """The moment whose default text the edit page shows (a GET form: no token needed)."""

    moment = SelectField(_l("Standaardtekst voor"))


class TextForm(FlaskForm):
    subject = StringField(
        _l("Onderwerp"),
        validators=[DataRequired(_l("Vul een onderwerp in.")), Length(max=200)],
    )
    body = TextAreaField(
        _l("Tekst"),
        validators=[DataRequired(_l("Vul de tekst van de uitnodiging in.")), Length(max=5000)],
        render_kw={"rows": 18},
    )
    submit = SubmitField(_l("Tekst opslaan"))

    def validate_subject(self, field):
        try:
            mail_texts.check(field.data or "")
        except mail_texts.TemplateError as exc:
            raise ValidationError(str(exc)) from exc

    def validate_body(self, field):
        try:
            mail_texts.check(field.data or "", require_link=True)
        except mail_texts.TemplateError as exc:
            raise ValidationError(str(exc)) from exc


class SendForm(FlaskForm):
    moment = SelectField(_l("Moment"))
    recipients = RadioField(
        _l("Aan wie"),
        default="new",
        choices=[
            SelectChoice("new", _l("Alleen wie voor dit moment nog geen uitnodiging kreeg")),
            SelectChoice("all", _l("Alle deelnemers")),
            SelectChoice("one", _l("Eén deelnemer (kies hieronder)")),
        ],
    )
    participant = SelectField(_l("Deelnemer"), default="")
    preview = SubmitField(_l("Voorbeeld bekijken"))

    @classmethod
    def for_cohort(cls, cohort: Cohort, moments: list[str], people: list[Participant], **kw):
        form = cls(**kw)
        form.moment.choices = moment_choices(moments)
        form.participant.choices = [SelectChoice("", _l("— kies een deelnemer —"))] + [
            SelectChoice(str(p.id), f"{p.name} ({p.email})") for p in people
        ]
        return form

    def validate_participant(self, field):
        if self.recipients.data == "one" and not field.data:
            raise ValidationError(_l("Kies de deelnemer die je de uitnodiging wilt sturen."))

    @property
    def participant_id(self) -> int | None:
        return int(self.participant.data) if self.participant.data else None


class RetryForm(FlaskForm):
    moment = HiddenField()
    submit = SubmitField(_l("Opnieuw proberen"))
