"""The participant asks their manager and colleagues for their view, and sees what came back:
per scale self, manager and colleagues side by side (issue 29)."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, Optional

from assess import clock
from assess.db import db
from assess.engine import raters as rules
from assess.participant import bp
from assess.participant.session import current_participant
from assess.reports.raters import participant as rater_report
from assess.reports.raters import releases
from assess.survey import questionnaires
from assess.survey.raters import invitations
from assess.web import database
from assess.web.i18n import select_locale


class InviteForm(FlaskForm):
    manager = StringField(validators=[Optional(), Length(max=254)])
    colleagues = TextAreaField(validators=[Optional(), Length(max=4000)])


def _address(raw: str) -> str | None:
    try:
        return validate_email(raw, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def _open_moment(participant) -> str | None:
    """The rated moment whose window is open today: raters are invited for that one."""
    today = clock.today()
    for moment in invitations.moments_for(participant.cohort):
        window = participant.cohort.window(moment)
        if window is not None and window.state(today) == "open":
            return moment
    return None


def _check(form: InviteForm, participant, moment: str) -> tuple[str | None, list[str]]:
    """The manager's and colleagues' addresses, or messages on the fields (what was typed stays)."""
    taken = invitations.open_addresses(participant.id, moment)
    taken.add(participant.email.lower())
    has_manager = any(
        i.role == rules.MANAGER for i in invitations.invitations_of(participant.id, moment)
    )
    manager = None
    if form.manager.data and form.manager.data.strip():
        if has_manager:
            form.manager.errors.append(_("Je hebt voor dit moment al een leidinggevende gevraagd."))
        else:
            manager = _address(form.manager.data.strip())
            if manager is None:
                form.manager.errors.append(_("Dit is geen geldig e-mailadres."))
            elif manager.lower() in taken:
                form.manager.errors.append(_("Dit adres heb je al gevraagd (of het is je eigen)."))
    lines = [line.strip() for line in (form.colleagues.data or "").splitlines() if line.strip()]
    colleagues: list[str] = []
    if lines and invitations.released(participant.id, moment):
        form.colleagues.errors.append(
            _(
                "Het oordeel van je collega's voor dit moment is al zichtbaar; er kan niemand meer bij."
            )
        )
        return manager, []
    for line in lines:
        address = _address(line)
        if address is None:
            form.colleagues.errors.append(_("Geen geldig e-mailadres: %(a)s", a=line))
        elif address.lower() in taken or address.lower() == (manager or "").lower():
            form.colleagues.errors.append(_("Dubbel of al gevraagd: %(a)s", a=line))
        else:
            taken.add(address.lower())
            colleagues.append(address)
    total = invitations.colleague_count(participant.id, moment) + len(colleagues)
    if lines and not form.colleagues.errors:
        if total < rules.MIN_COLLEAGUES:
            form.colleagues.errors.append(
                _(
                    "Vraag minstens %(n)s collega's: hun oordeel is alleen samen zichtbaar.",
                    n=rules.MIN_COLLEAGUES,
                )
            )
        elif total > rules.MAX_COLLEAGUES:
            form.colleagues.errors.append(
                _("Je kunt hoogstens %(n)s collega's vragen.", n=rules.MAX_COLLEAGUES)
            )
    if not manager and not lines and not form.manager.errors:
        form.colleagues.errors.append(_("Vul minstens één e-mailadres in."))
    return manager, colleagues


@bp.route("/deelnemer/beoordelaars", methods=["GET", "POST"])
@database.reads_first
def raters():
    """Invite a manager and 3–8 colleagues for the open moment; see what others' view shows."""
    participant = current_participant()
    moments = invitations.moments_for(participant.cohort)
    if not moments:
        abort(404)
    moment = _open_moment(participant)
    form = InviteForm()
    if request.method == "POST" and moment is None:
        abort(400)  # the page offers no form then: a stale tab or a forged post
    if moment is not None and form.validate_on_submit():
        manager, colleagues = _check(form, participant, moment)
        if not form.manager.errors and not form.colleagues.errors:
            database.start_writing()
            today, now = clock.today(), clock.now()
            asked = [(rules.MANAGER, manager)] if manager else []
            asked += [(rules.COLLEAGUE, c) for c in colleagues]
            for role, address in asked:
                invitation = invitations.invite(participant, moment, role, address, today)
                invitations.queue_mail(invitation, invitations.INVITATION_MAIL, today, now)
            db.session.commit()
            flash(_("De uitnodigingen gaan per mail naar %(n)s persoon/personen.", n=len(asked)))
            return redirect(url_for(".raters"))
    registry = questionnaires.registry()
    with database.writing():
        releases.release_due(participant, moments, registry, clock.today())
    views = rater_report.build(participant, moments, registry, select_locale())
    return render_template(
        "participant/raters.html",
        participant=participant,
        moment=moment,
        form=form,
        views=views,
        invited={m: invitations.invitations_of(participant.id, m) for m in moments},
        min_colleagues=rules.MIN_COLLEAGUES,
        max_colleagues=rules.MAX_COLLEAGUES,
        threshold=rules.GAP_THRESHOLD,
        gap_words={
            rules.Gap.OVER: _("zelf hoger"),
            rules.Gap.AGREE: _("ongeveer gelijk"),
            rules.Gap.UNDER: _("zelf lager"),
        },
    )
