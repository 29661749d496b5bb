"""AVG rights handled by an admin: a participant's data as a download, and complete erasure.

The views live on the admin blueprint (/beheer/deelnemers/…); assess/admin/__init__.py imports this
module so they register.
"""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from assess.admin import bp, wipe
from assess.db import db
from assess.models import Cohort, ErasureRequest, MailLog, Organisation, Participant, Role
from assess.models import Response as SurveyResponse
from assess.reports import personal_data
from assess.survey import erasure, questionnaires
from assess.web import audit
from assess.web.access import role_required
from assess.web.forms import ConfirmForm


@bp.get("/deelnemers/<int:participant_id>/wissen")
@role_required(Role.ADMIN)
def participant_erase_confirm(participant_id: int):
    """What erasing this participant removes, with the button that does it."""
    person = db.get_or_404(Participant, participant_id)
    counts = {
        "responses": db.session.scalar(
            select(func.count()).where(SurveyResponse.participant_id == person.id)
        ),
        "mails": db.session.scalar(select(func.count()).where(MailLog.participant_id == person.id)),
    }
    return render_template(
        "admin/participant_erase.html",
        person=person,
        counts=counts,
        form=ConfirmForm(),
        erasure_request=erasure.pending_request(person.id),
    )


@bp.post("/deelnemers/<int:participant_id>/wissen")
@role_required(Role.ADMIN)
def participant_erase(participant_id: int):
    """Erase the participant and everything linked to them (AVG art. 17)."""
    person = db.get_or_404(Participant, participant_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("admin.participant_erase_confirm", participant_id=person.id))
    cohort_id = person.cohort_id
    requested = erasure.pending_request(person.id) is not None
    counts = erasure.erase(person)
    audit.record(
        erasure.ERASED,
        "participant",
        participant_id,
        {"rows": counts, "on_request": requested},
    )
    db.session.commit()
    if wipe.finish():
        flash(_("De deelnemer en alle bijbehorende gegevens zijn gewist."), "success")
    else:
        flash(not_finished_yet(), "warning")
    if requested:
        return redirect(url_for("admin.erasure_requests"))
    return redirect(url_for("trainer.cohort", cohort_id=cohort_id))


def not_finished_yet() -> str:
    return _(
        "De deelnemer is uit de app gewist, maar het wissen is nog bezig: de databasebestanden"
        " bevatten de gegevens nog tot ze zijn opgeschoond. Dat wordt elke minuut opnieuw"
        " geprobeerd; zie Wisverzoeken."
    )


@bp.post("/wisverzoeken/afronden")
@role_required(Role.ADMIN)
def erasure_finish():
    """Try again now to clean the database files of erasures that are still going on."""
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("admin.erasure_requests"))
    if wipe.finish():
        flash(
            _(
                "Het wissen is afgerond: de databasebestanden bevatten niets meer van gewiste deelnemers."
            ),
            "success",
        )
    else:
        flash(not_finished_yet(), "warning")
    return redirect(url_for("admin.erasure_requests"))


@bp.get("/wisverzoeken")
@role_required(Role.ADMIN)
def erasure_requests():
    """Participants who asked to have their data erased, oldest request first."""
    rows = db.session.execute(
        select(ErasureRequest.requested_at, Participant, Cohort.name, Organisation.name)
        .join(Participant, Participant.id == ErasureRequest.participant_id)
        .join(Cohort, Cohort.id == Participant.cohort_id)
        .join(Organisation, Organisation.id == Participant.organisation_id)
        .order_by(ErasureRequest.requested_at, ErasureRequest.id)
    ).all()
    if rows:
        # Names and e-mail addresses of participants: a read of personal data.
        audit.read("view_erasure_requests", detail={"count": len(rows)})
    return render_template(
        "admin/erasure_requests.html", rows=rows, unfinished=wipe.pending(), form=ConfirmForm()
    )


@bp.get("/deelnemers/<int:participant_id>/gegevens.json")
@role_required(Role.ADMIN)
def participant_data(participant_id: int):
    """Everything stored about a participant as JSON, for a request made by mail or phone."""
    person = db.get_or_404(Participant, participant_id)
    body = personal_data.export_json(person, questionnaires.registry())
    audit.read("participant_data_exported", "participant", person.id)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="gegevens-{person.code}.json"',
            "Cache-Control": "no-store",
        },
    )
