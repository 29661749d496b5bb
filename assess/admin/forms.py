"""Forms of the admin pages: organisations, staff accounts, password reset, audit filter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from assess.db import db
from assess.models import Organisation, Role, User
from assess.web.passwords import password_problem
from assess.web.security import parse_id

ROLE_LABELS = {
    Role.ADMIN: _l("Beheerder"),
    Role.TRAINER: _l("Trainer"),
    Role.MANAGER: _l("Manager van een corporatie"),
}


def organisation_choices() -> list[SelectChoice]:
    orgs = db.session.scalars(db.select(Organisation).order_by(Organisation.name)).all()
    return [SelectChoice("", _l("— geen —"))] + [
        SelectChoice(str(o.id), o.name + ("" if o.active else f" ({_l('gedeactiveerd')})"))
        for o in orgs
    ]


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Naam van de corporatie"),
        validators=[
            DataRequired(_l("Vul een naam in.")),
            Length(max=200, message=_l("Hoogstens 200 tekens.")),
        ],
    )
    submit = SubmitField(_l("Opslaan"))

    def __init__(self, *args, current_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_id = current_id

    def validate_name(self, field) -> None:
        field.data = (field.data or "").strip()
        found = db.session.execute(
            db.select(Organisation.id).filter(func_lower(Organisation.name) == field.data.lower())
        ).scalar_one_or_none()
        if found is not None and found != self.current_id:
            raise ValidationError(_l("Er is al een corporatie met deze naam."))


def func_lower(column):
    return db.func.lower(column)


class AccountForm(FlaskForm):
    """Role and organisation of an account (used to create one and to edit one)."""

    name = StringField(
        _l("Naam"), validators=[DataRequired(_l("Vul een naam in.")), Length(max=200)]
    )
    role = SelectField(
        _l("Rol"), choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()]
    )
    organisation = SelectField(_l("Corporatie"), choices=[])
    submit = SubmitField(_l("Opslaan"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation.choices = organisation_choices()

    def validate_organisation(self, field) -> None:
        if self.role.data == Role.MANAGER and not field.data:
            raise ValidationError(_l("Een manager hoort bij een corporatie: kies er een."))
        # Not an id at all (a forged post) is as unknown as an id without a row.
        org_id = parse_id(field.data)
        if field.data and (org_id is None or db.session.get(Organisation, org_id) is None):
            raise ValidationError(_l("Kies een corporatie uit de lijst."))


class NewAccountForm(AccountForm):
    email = EmailField(
        _l("E-mailadres"),
        validators=[
            DataRequired(_l("Vul een e-mailadres in.")),
            Email(_l("Dit is geen geldig e-mailadres."), check_deliverability=False),
            Length(max=254),
        ],
    )
    password = PasswordField(
        _l("Wachtwoord (leeg laten om er een te laten maken)"), validators=[Optional()]
    )
    submit = SubmitField(_l("Account aanmaken"))

    def validate_email(self, field) -> None:
        field.data = (field.data or "").strip().lower()
        if db.session.execute(db.select(User.id).filter_by(email=field.data)).first():
            raise ValidationError(_l("Er is al een account met dit e-mailadres."))

    def validate_password(self, field) -> None:
        if field.data:
            problem = password_problem(field.data, self.email.data or "")
            if problem:
                raise ValidationError(problem)


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Nieuw wachtwoord (leeg laten om er een te laten maken)"), validators=[Optional()]
    )
    submit = SubmitField(_l("Wachtwoord opnieuw instellen"))

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def validate_password(self, field) -> None:
        if field.data:
            problem = password_problem(field.data, self.email)
            if problem:
                raise ValidationError(problem)
