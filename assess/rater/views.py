"""The rater's pages: who asked and why, the form, declining, and erasing one's own rating.

The link stays in the address (there is no session to swap it for, and a rater comes once);
the Referrer-Policy keeps it out of Referer headers and the logs mask /r/<token>. Only failed
link look-ups count against the rate limit, as for participants.
"""

from __future__ import annotations

from flask import abort, current_app, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _

from assess import clock
from assess.db import db
from assess.engine import raters as rules
from assess.extensions import limiter
from assess.models import RaterInvitation
from assess.rater import bp
from assess.rater.forms import rating_form
from assess.survey import questionnaires
from assess.survey.raters import invitations, tokens
from assess.web.forms import ConfirmForm
from assess.web.i18n import select_locale


def link_failed(response) -> bool:
    return response.status_code >= 400


def _invitation(token: str) -> tuple[RaterInvitation | None, str | None]:
    found = tokens.find(token)
    return found, invitations.validity(found, clock.today())


def _form_questionnaire(invitation: RaterInvitation):
    """The rater form that mirrors the participant's instrument: its newest version."""
    cohort = invitation.participant.cohort
    forms = [
        q for q in questionnaires.registry().latest("rater") if q.mirrors == cohort.questionnaire_id
    ]
    if not forms:
        abort(404)
    return forms[0]


def _problem(reason: str, invitation: RaterInvitation | None):
    """A page that says why the link opens no form; 404 unknown, 410 expired, 200 otherwise."""
    status = {invitations.UNKNOWN: 404, invitations.EXPIRED: 410}.get(reason, 200)
    erase = ConfirmForm() if reason == invitations.COMPLETED else None
    page = render_template(
        "rater/closed.html", reason=reason, invitation=invitation, erase_form=erase
    )
    return make_response(page, status)


@bp.route("/r/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LINK_RATE_LIMIT"], deduct_when=link_failed)
def rate(token: str):
    """Who asked and why, then the observable items; a rating is stored once."""
    invitation, reason = _invitation(token)
    if reason is not None:
        return _problem(reason, invitation)
    assert invitation is not None
    q = _form_questionnaire(invitation)
    lang = select_locale()
    form = rating_form(q, lang)
    if form.validate_on_submit():
        today, now = clock.today(), clock.now()
        if not invitations.submit(invitation, q, form.answers(), now, today):
            db.session.rollback()
            return _problem(
                invitations.validity(invitation, today) or invitations.COMPLETED, invitation
            )
        db.session.commit()
        return render_template("rater/thanks.html", invitation=invitation, erase_form=ConfirmForm())
    page = render_template(
        "rater/rate.html",
        invitation=invitation,
        participant=invitation.participant,
        q=q,
        form=form,
        lang=lang,
        decline_form=ConfirmForm(prefix="decline"),
        manager=invitation.role == rules.MANAGER,
    )
    # 200 with the messages next to the items, as the survey pages do.
    return make_response(page, 200)


@bp.post("/r/<token>/weigeren")
@limiter.limit(lambda: current_app.config["LINK_RATE_LIMIT"], deduct_when=link_failed)
def decline(token: str):
    """The rater says no; nothing about them is kept but that."""
    invitation, reason = _invitation(token)
    if reason is not None:
        return _problem(reason, invitation)
    assert invitation is not None
    if not ConfirmForm(prefix="decline").validate_on_submit():
        abort(400)
    invitations.decline(invitation, clock.now(), clock.today())
    db.session.commit()
    return _problem(invitations.DECLINED, invitation)


@bp.post("/r/<token>/wissen")
@limiter.limit(lambda: current_app.config["LINK_RATE_LIMIT"], deduct_when=link_failed)
def erase(token: str):
    """The rater erases their own rating (while the link lasts)."""
    invitation, reason = _invitation(token)
    if reason != invitations.COMPLETED or invitation is None:
        return _problem(reason or invitations.UNKNOWN, invitation)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    invitations.erase_own(invitation)
    db.session.commit()
    flash(_("Je beoordeling is gewist."))
    return redirect(url_for(".rate", token=token))
