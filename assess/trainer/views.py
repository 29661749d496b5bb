"""The trainer's workspace: cohorts, participants, links and response tracking.

The dashboards, comparison and exports are in report_views.py, on the same blueprint.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from assess import clock
from assess.db import db
from assess.models import Cohort, Role
from assess.reports import course_days, durations, tracking
from assess.survey import questionnaires, tokens
from assess.trainer import bp, cohorts, importing
from assess.trainer.forms import (
    CohortForm,
    ImportConfirmForm,
    ImportForm,
    MoveForm,
    ParticipantForm,
)
from assess.web import audit
from assess.web.access import role_required
from assess.web.forms import ConfirmForm, confirm_page
from assess.web.security import external_url, parse_id

STAFF = (Role.TRAINER, Role.ADMIN)


@bp.get("/")
@role_required(*STAFF)
def index():
    """The trainer's cohorts with their size and response rates."""
    archived = request.args.get("archief") == "1"
    found = cohorts.own_cohorts(include_archived=archived)
    return render_template(
        "trainer/index.html",
        cohorts=found,
        counts=cohorts.counts(c.id for c in found),
        archived=archived,
    )


def _cohort_form(cohort: Cohort | None = None) -> CohortForm:
    form = CohortForm()
    # The title and version people know the instrument by; the id stays the option's value.
    form.questionnaire_id.choices = [
        SelectChoice(q, questionnaires.name(q, with_version=True))
        for q in cohorts.questionnaire_choices()
    ]
    if request.method == "GET":
        if cohort is not None:
            cohorts.fill_form(form, cohort)
        else:
            cohorts.new_cohort_defaults(form)
    return form


@bp.route("/cohorten/nieuw", methods=["GET", "POST"])
@role_required(*STAFF)
def cohort_new():
    """Create a cohort with its measurement moments."""
    form = _cohort_form()
    if form.validate_on_submit():
        cohort = Cohort(trainer_id=current_user.id)
        cohorts.apply_form(form, cohort, new=True)
        db.session.add(cohort)
        db.session.flush()
        audit.record("create_cohort", "cohort", cohort.id)
        db.session.commit()
        flash(_("Het cohort is aangemaakt."), "success")
        return redirect(url_for("trainer.cohort", cohort_id=cohort.id))
    return render_template("trainer/cohort_form.html", form=form, cohort=None)


@bp.route("/cohorten/<int:cohort_id>/bewerken", methods=["GET", "POST"])
@role_required(*STAFF)
def cohort_edit(cohort_id: int):
    """Change a cohort's name, dates, questionnaire and moments."""
    cohort = cohorts.owned_cohort(cohort_id)
    form = _cohort_form(cohort)
    if form.validate_on_submit():
        if form.questionnaire_id.data != cohort.questionnaire_id and cohorts.has_responses(cohort):
            form.questionnaire_id.errors.append(
                _("Er zijn al antwoorden gegeven; de vragenlijst kan niet meer wisselen.")
            )
        else:
            cohorts.apply_form(form, cohort)
            audit.record("edit_cohort", "cohort", cohort.id)
            db.session.commit()
            flash(_("De wijzigingen zijn opgeslagen."), "success")
            return redirect(url_for("trainer.cohort", cohort_id=cohort.id))
    return render_template("trainer/cohort_form.html", form=form, cohort=cohort)


@bp.route("/cohorten/<int:cohort_id>/archiveren", methods=["GET", "POST"])
@role_required(*STAFF)
def cohort_archive(cohort_id: int):
    """Archive a cohort (after a question), or bring it back when it is archived."""
    cohort = cohorts.owned_cohort(cohort_id)
    if request.method == "GET":
        if cohort.archived:
            return redirect(url_for("trainer.cohort", cohort_id=cohort.id))
        return confirm_page(
            _("%(name)s archiveren?", name=cohort.name),
            _(
                "Een gearchiveerd cohort verdwijnt uit je lijst en uit de vergelijking. "
                "Er gaat niets verloren: je kunt het later terughalen uit het archief."
            ),
            _("Archiveren"),
            action=url_for("trainer.cohort_archive", cohort_id=cohort.id),
            back=url_for("trainer.cohort", cohort_id=cohort.id),
        )
    if ConfirmForm().validate_on_submit():
        cohort.archived = not cohort.archived
        audit.record(
            "archive_cohort" if cohort.archived else "unarchive_cohort", "cohort", cohort.id
        )
        db.session.commit()
        flash(
            _("Het cohort is gearchiveerd.")
            if cohort.archived
            else _("Het cohort is teruggehaald uit het archief."),
            "success",
        )
    return redirect(url_for("trainer.cohort", cohort_id=cohort.id))


@bp.get("/cohorten/<int:cohort_id>")
@role_required(*STAFF)
def cohort(cohort_id: int):
    """One cohort: its moments, participants and their personal links."""
    cohort = cohorts.owned_cohort(cohort_id)
    people = sorted(cohort.participants, key=lambda p: (p.name.lower(), p.id))
    links = {}
    for p in people:
        token = tokens.current_token(p)
        links[p.id] = external_url("participant.enter", token=token) if token else None
    # Names, e-mail addresses and the links that open each participant's answers.
    audit.read("view_cohort", "cohort", cohort.id)
    return render_template(
        "trainer/cohort.html",
        cohort=cohort,
        participants=people,
        links=links,
        windows=cohorts.window_states(cohort),
        counts=cohorts.counts([cohort.id])[cohort.id],
        confirm=ConfirmForm(),
        days=course_days.days_of(cohort.id),
        next_day=course_days.next_day(course_days.days_of(cohort.id), clock.today()),
    )


@bp.get("/cohorten/<int:cohort_id>/respons")
@role_required(*STAFF)
def cohort_tracking(cohort_id: int):
    """Who has not started, who is busy and who has submitted, per moment."""
    cohort = cohorts.owned_cohort(cohort_id)
    moments = tracking.cohort_tracking(cohort, questionnaires.registry())
    # Who has (not) answered, by name: personal data too.
    audit.read("view_response_tracking", "cohort", cohort.id)
    q = questionnaires.get(cohort.questionnaire_id)
    minimum = current_app.config["MIN_GROUP_SIZE"]
    times = durations.per_moment(q, minimum) if q is not None else []
    return render_template(
        "trainer/tracking.html",
        cohort=cohort,
        moments=moments,
        times=times,
        minimum=minimum,
        durations_cap=durations.CAP_MINUTES,
    )


# --------------------------------------------------------------------------- participants


@bp.route("/cohorten/<int:cohort_id>/deelnemers/nieuw", methods=["GET", "POST"])
@role_required(*STAFF)
def participant_new(cohort_id: int):
    """Add one participant to the cohort."""
    cohort = cohorts.owned_cohort(cohort_id)
    form = ParticipantForm()
    orgs = cohorts.organisations()
    form.organisation_id.choices = [SelectChoice("", _("— kies een corporatie —"))] + [
        SelectChoice(str(o.id), o.name) for o in orgs
    ]
    if form.validate_on_submit():
        # Only active organisations are offered, so a deactivated one cannot be re-attached.
        chosen = next((o for o in orgs if str(o.id) == form.organisation_id.data), None)
        if cohorts.email_in_cohort(cohort, form.email.data):
            form.email.errors.append(_("Dit e-mailadres staat al in dit cohort."))
        elif chosen is None:
            form.organisation_id.errors.append(_("Kies een corporatie uit de lijst."))
        else:
            (person,) = cohorts.add_participants(
                cohort, [(" ".join(form.name.data.split()), form.email.data, chosen)]
            )
            audit.record("add_participant", "participant", person.id)
            db.session.commit()
            flash(_("%(name)s is toegevoegd.", name=person.name), "success")
            return redirect(url_for("trainer.cohort", cohort_id=cohort.id))
    return render_template("trainer/participant_form.html", form=form, cohort=cohort)


@bp.route("/cohorten/<int:cohort_id>/deelnemers/lijst", methods=["GET", "POST"])
@role_required(*STAFF)
def participant_list(cohort_id: int):
    """Paste or upload a list; a POST shows the preview with every row's problems."""
    cohort = cohorts.owned_cohort(cohort_id)
    form = ImportForm()
    if form.validate_on_submit():
        upload = request.files.get(form.upload.name)
        text = importing.decode(upload.read()) if upload and upload.filename else ""
        text = text or form.text.data or ""
        try:
            preview = importing.check(importing.parse(text), cohort)
        except importing.ListError as exc:
            form.text.errors.append(str(exc))
        else:
            form.text.data = text
            confirm = ImportConfirmForm(formdata=None)
            confirm.data.data = importing.sign(cohort, text)
            return render_template(
                "trainer/import_preview.html",
                cohort=cohort,
                preview=preview,
                form=form,
                confirm=confirm,
            )
    return render_template("trainer/import.html", form=form, cohort=cohort)


@bp.post("/cohorten/<int:cohort_id>/deelnemers/lijst/opslaan")
@role_required(*STAFF)
def participant_list_save(cohort_id: int):
    """Check the previewed list again and save all valid rows in one transaction."""
    cohort = cohorts.owned_cohort(cohort_id)
    confirm = ImportConfirmForm()
    if not confirm.validate_on_submit():
        flash(_("Het opslaan is niet gelukt. Controleer de lijst opnieuw."), "error")
        return redirect(url_for("trainer.participant_list", cohort_id=cohort.id))
    try:
        text = importing.unsign(cohort, confirm.data.data)
        preview = importing.check(importing.parse(text), cohort)
    except importing.ListError as exc:
        flash(str(exc), "error")
        return redirect(url_for("trainer.participant_list", cohort_id=cohort.id))
    if not preview.valid:
        flash(_("Er staat geen enkele geldige regel in de lijst; er is niets opgeslagen."), "error")
        return redirect(url_for("trainer.participant_list", cohort_id=cohort.id))
    try:
        added = importing.save(preview, cohort)
        audit.record("import_participants", "cohort", cohort.id, {"count": len(added)})
        db.session.commit()
    except IntegrityError:
        # Someone added one of these addresses in the meantime: nothing is saved.
        db.session.rollback()
        flash(
            _(
                "De lijst is intussen veranderd in het cohort; er is niets opgeslagen. Controleer de lijst opnieuw."
            ),
            "error",
        )
        return redirect(url_for("trainer.participant_list", cohort_id=cohort.id))
    skipped = len(preview.invalid)
    message = ngettext(
        "%(num)d deelnemer toegevoegd.", "%(num)d deelnemers toegevoegd.", len(added)
    )
    if skipped:
        message += " " + ngettext(
            "%(num)d regel met een probleem is overgeslagen.",
            "%(num)d regels met een probleem zijn overgeslagen.",
            skipped,
        )
    if preview.present:
        message += " " + ngettext(
            "%(num)d deelnemer stond al in het cohort.",
            "%(num)d deelnemers stonden al in het cohort.",
            len(preview.present),
        )
    flash(message, "success")
    return redirect(url_for("trainer.cohort", cohort_id=cohort.id))


def _link_question(cohort: Cohort, person, action: str):
    """The page that asks before a link stops working (no JavaScript needed)."""
    if action == "revoke":
        question = _("De link van %(name)s intrekken?", name=person.name)
        explanation = _(
            "%(name)s kan de vragenlijst en het eigen rapport dan niet meer openen. "
            "Antwoorden blijven bewaard; met een nieuwe link kan %(name)s weer verder.",
            name=person.name,
        )
        yes = _("Link intrekken")
    else:
        question = _("%(name)s een nieuwe link geven?", name=person.name)
        explanation = _(
            "De oude link werkt daarna niet meer; stuur %(name)s de nieuwe. "
            "Antwoorden blijven bewaard.",
            name=person.name,
        )
        yes = _("Nieuwe link maken")
    endpoint = "trainer.link_revoke" if action == "revoke" else "trainer.link_reissue"
    return confirm_page(
        question,
        explanation,
        yes,
        action=url_for(endpoint, cohort_id=cohort.id, participant_id=person.id),
        back=url_for("trainer.cohort", cohort_id=cohort.id, _anchor=f"p{person.id}"),
    )


def _link_action(cohort_id: int, participant_id: int, action: str):
    cohort = cohorts.owned_cohort(cohort_id)
    person = cohorts.owned_participant(cohort, participant_id)
    if request.method == "GET":
        return _link_question(cohort, person, action)
    if ConfirmForm().validate_on_submit():
        if action == "revoke":
            tokens.revoke(person)
            flash(_("De link van %(name)s werkt niet meer.", name=person.name), "success")
        else:
            tokens.issue(person)
            flash(
                _("%(name)s heeft een nieuwe link; de oude werkt niet meer.", name=person.name),
                "success",
            )
        audit.record(f"{action}_link", "participant", person.id)
        db.session.commit()
    return redirect(url_for("trainer.cohort", cohort_id=cohort.id, _anchor=f"p{person.id}"))


@bp.route(
    "/cohorten/<int:cohort_id>/deelnemers/<int:participant_id>/intrekken", methods=["GET", "POST"]
)
@role_required(*STAFF)
def link_revoke(cohort_id: int, participant_id: int):
    """Stop a participant's personal link from working."""
    return _link_action(cohort_id, participant_id, "revoke")


@bp.route(
    "/cohorten/<int:cohort_id>/deelnemers/<int:participant_id>/nieuwe-link",
    methods=["GET", "POST"],
)
@role_required(*STAFF)
def link_reissue(cohort_id: int, participant_id: int):
    """Give a participant a new personal link (the old one stops working)."""
    return _link_action(cohort_id, participant_id, "reissue")


@bp.route(
    "/cohorten/<int:cohort_id>/deelnemers/<int:participant_id>/verplaatsen",
    methods=["GET", "POST"],
)
@role_required(*STAFF)
def participant_move(cohort_id: int, participant_id: int):
    """Move a participant, with their answers, to another own cohort."""
    cohort = cohorts.owned_cohort(cohort_id)
    person = cohorts.owned_participant(cohort, participant_id)
    form = MoveForm()
    targets = cohorts.move_targets(person)
    form.target.choices = [SelectChoice(str(c.id), c.name) for c in targets]
    if form.validate_on_submit():
        target_id = parse_id(form.target.data)
        if target_id is None:
            abort(404)
        target = cohorts.owned_cohort(target_id)
        problem = cohorts.move_problem(person, target)
        if problem:
            form.target.errors.append(problem)
        else:
            person.cohort = target
            audit.record(
                "move_participant", "participant", person.id, {"from": cohort.id, "to": target.id}
            )
            db.session.commit()
            flash(
                _("%(name)s is verplaatst naar %(cohort)s.", name=person.name, cohort=target.name),
                "success",
            )
            return redirect(url_for("trainer.cohort", cohort_id=target.id))
    return render_template(
        "trainer/move.html", form=form, cohort=cohort, participant=person, targets=targets
    )
