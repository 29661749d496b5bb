"""The trainer's forms: cohort, moment windows, one participant, a pasted list, moving someone."""

from __future__ import annotations

from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from assess import clock
from assess.engine import course_days
from assess.engine.moments import Moment
from assess.survey.labels import lazy_title
from assess.web.forms import CourseDateField
from assess.web.i18n import say
from assess.web.security import one_line


def normalise_email(raw: str) -> str:
    """The address as stored: validated syntax (no DNS look-up), lower case; ValueError if bad."""
    try:
        found = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from exc
    return found.normalized.lower()


class WindowForm(Form):
    """One measurement moment: on or off, and the days it is open."""

    enabled = BooleanField(_l("Open voor deelnemers"), default=True)
    opens_on = CourseDateField(_l("Open vanaf"), validators=[Optional()])
    closes_on = CourseDateField(_l("Open tot en met"), validators=[Optional()])

    def validate_closes_on(self, field) -> None:
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError(_l("De sluitdatum ligt vóór de openingsdatum."))


class CohortForm(FlaskForm):
    parsed_days: list = []  # the course days read from the field, once it validated

    name = StringField(
        _l("Naam van het cohort"),
        validators=[DataRequired(_l("Geef het cohort een naam.")), Length(max=200)],
    )
    start_date = CourseDateField(_l("Startdatum"), validators=[Optional()])
    end_date = CourseDateField(_l("Einddatum"), validators=[Optional()])
    questionnaire_id = SelectField(_l("Vragenlijst"))
    course_days = TextAreaField(
        _l("Lesdagen"),
        validators=[Optional(), Length(max=4000)],
        render_kw={"rows": course_days.DEFAULT_COUNT, "spellcheck": "false"},
    )
    intake = FormField(WindowForm, label=lazy_title(Moment.INTAKE))
    exit = FormField(WindowForm, label=lazy_title(Moment.EXIT))
    followup = FormField(WindowForm, label=lazy_title(Moment.FOLLOWUP))
    raters_enabled = BooleanField(
        _l(
            "Deelnemers vragen hun leidinggevende en collega's om hun oordeel (voormeting en follow-up)"
        )
    )
    raters_at_exit = BooleanField(_l("Ook bij de nameting"))
    submit = SubmitField(_l("Opslaan"))

    def validate_end_date(self, field) -> None:
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("De einddatum ligt vóór de startdatum."))

    def validate_course_days(self, field) -> None:
        # Read here so the view gets dates and a wrong line comes back with the whole list
        # as it was typed.
        parsed = course_days.parse_days(field.data or "", clock.today())
        if not parsed.ok:
            said = [say(p) for p in parsed.problems]
            field.errors.extend(said[:-1])
            raise ValidationError(said[-1])
        self.parsed_days = parsed.days

    def windows(self):
        return {Moment.INTAKE: self.intake, Moment.EXIT: self.exit, Moment.FOLLOWUP: self.followup}


class ParticipantForm(FlaskForm):
    # One line without control characters, as a name from an imported list.
    name = StringField(
        _l("Naam"),
        validators=[DataRequired(_l("Vul de naam in.")), Length(max=200)],
        filters=[one_line],
    )
    email = EmailField(
        _l("E-mailadres"),
        validators=[DataRequired(_l("Vul het e-mailadres in.")), Length(max=254)],
    )
    # The view checks the chosen id against the active organisations. Only an admin creates
    # organisations (on the admin pages, audited), so the trainer picks one.
    organisation_id = SelectField(
        _l("Corporatie"),
        validators=[DataRequired(_l("Kies een corporatie uit de lijst."))],
        validate_choice=False,
    )
    submit = SubmitField(_l("Deelnemer toevoegen"))

    def validate_email(self, field) -> None:
        try:
            field.data = normalise_email(field.data or "")
        except ValueError as exc:
            raise ValidationError(_l("Dit is geen geldig e-mailadres.")) from exc


class ImportForm(FlaskForm):
    text = TextAreaField(
        _l("Plak de lijst"),
        validators=[Optional(), Length(max=400_000)],
    )
    upload = FileField(_l("Of kies een CSV-bestand"))
    submit = SubmitField(_l("Controleer de lijst"))


class ImportConfirmForm(FlaskForm):
    data = HiddenField()
    submit = SubmitField(_l("Sla de geldige deelnemers op"))


class MoveForm(FlaskForm):
    # Choices are checked in the view (ownership, questionnaire), with a Dutch reason.
    target = SelectField(
        _l("Naar cohort"), validators=[DataRequired(_l("Kies een cohort."))], validate_choice=False
    )
    submit = SubmitField(_l("Verplaats deelnemer"))


MAX_SPAN = timedelta(days=2 * 366)

WEEKDAYS = [
    SelectChoice(n, label)
    for n, label in enumerate(
        (
            _l("maandag"),
            _l("dinsdag"),
            _l("woensdag"),
            _l("donderdag"),
            _l("vrijdag"),
            _l("zaterdag"),
            _l("zondag"),
        )
    )
]


class PulseScheduleForm(FlaskForm):
    """A cohort's weekly pulse: on or off, the weekday, the first and last day, days open."""

    enabled = BooleanField(_l("Weekpuls aan"), default=True)
    weekday = SelectField(
        _l("Op welke dag gaat de weekpuls open?"), choices=WEEKDAYS, coerce=int, default=4
    )
    first_day = CourseDateField(
        _l("Eerste dag (bijvoorbeeld lesdag 1)"),
        validators=[DataRequired(_l("Vul de eerste dag in, bijvoorbeeld 9-3-2026."))],
    )
    last_day = CourseDateField(
        _l("Laatste dag (bijvoorbeeld de nameting)"),
        validators=[DataRequired(_l("Vul de laatste dag in, bijvoorbeeld 29-5-2026."))],
    )
    days_open = IntegerField(
        _l("Aantal dagen open"),
        default=3,
        validators=[
            InputRequired(_l("Vul het aantal dagen in: 1 tot en met 7.")),
            NumberRange(1, 7, _l("Een weekpuls staat 1 tot en met 7 dagen open.")),
        ],
    )
    submit = SubmitField(_l("Opslaan"))

    def validate_last_day(self, field) -> None:
        if field.data and self.first_day.data and field.data < self.first_day.data:
            raise ValidationError(_l("De laatste dag ligt vóór de eerste dag."))
        # A course with its follow-up fits in a year; a schedule of decades is a typing slip
        # that would write a pulse row per week.
        if field.data and self.first_day.data and field.data > self.first_day.data + MAX_SPAN:
            raise ValidationError(_l("Een weekpuls loopt hoogstens twee jaar."))


class GoalDayForm(FlaskForm):
    """On which course day participants write their goals (the choices are set by the view)."""

    goals_day = SelectField(
        _l("Op welke lesdag schrijven deelnemers hun doelen?"), coerce=int, validate_choice=False
    )
    submit = SubmitField(_l("Opslaan"))

    def validate_goals_day(self, field) -> None:
        if field.data not in [choice.value for choice in field.choices]:
            raise ValidationError(_l("Kies een lesdag uit de lijst."))
