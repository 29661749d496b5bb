"""E-mail invitations and reminders: the trainer's mail pages per cohort and the reminder command."""

from __future__ import annotations

from datetime import date

import click
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from assess import clock
from assess.db import db, write_phase
from assess.models import Cohort, Role
from assess.trainer.cohorts import owned_cohort
from assess.trainer.mail import bp, outbox, reminders
from assess.trainer.mail import pulses as pulse_mail
from assess.trainer.mail import raters as rater_mail
from assess.trainer.mail import sending as mail
from assess.trainer.mail import status as mail_status
from assess.trainer.mail import texts as mail_texts
from assess.trainer.mail.forms import (
    MomentForm,
    RetryForm,
    SendForm,
    TextForm,
    moment_choices,
)
from assess.web import audit
from assess.web.access import role_required
from assess.web.forms import ConfirmForm


@bp.get("/<int:cohort_id>")
@role_required(Role.TRAINER, Role.ADMIN)
def cohort(cohort_id: int):
    """What was sent to whom per moment, with the failures and a retry button."""
    cohort = owned_cohort(cohort_id)
    attempts = mail_status.latest_attempts(cohort)
    moments = mail_status.moments_of(cohort)
    return render_template(
        "mail/cohort.html",
        cohort=cohort,
        configured=mail.configured(),
        moments=moments,
        people=mail_status.participants_of(cohort),
        attempts=attempts,
        summary=mail_status.per_moment(attempts, moments),
    )


@bp.route("/<int:cohort_id>/tekst", methods=["GET", "POST"])
@role_required(Role.TRAINER, Role.ADMIN)
def edit_text(cohort_id: int):
    """Edit the cohort's invitation text, starting from the default for a moment."""
    cohort = owned_cohort(cohort_id)
    moments = mail_status.moments_of(cohort)
    chooser = MomentForm(request.args, meta={"csrf": False})
    chooser.moment.choices = moment_choices(moments)
    moment = chooser.moment.data if chooser.moment.data in moments else moments[0]
    chooser.moment.data = moment
    subject, body = mail.text_for(cohort, "invitation", moment)
    form = TextForm(data={"subject": subject, "body": body})
    if form.validate_on_submit():
        defaults = [mail_texts.defaults("invitation", m) for m in moments]
        # The unchanged default stays "no own text", so every moment keeps its own default.
        own = (form.subject.data, form.body.data) not in defaults
        cohort.mail_subject = form.subject.data if own else None
        cohort.mail_body = form.body.data if own else None
        audit.record("mail.text_saved", "cohort", cohort.id, {"own_text": own})
        db.session.commit()
        flash(_("De tekst van de uitnodiging is opgeslagen."), "success")
        return redirect(url_for(".cohort", cohort_id=cohort.id))
    return render_template(
        "mail/text.html",
        cohort=cohort,
        chooser=chooser,
        form=form,
        reset_form=ConfirmForm(),
        placeholders=mail_texts.PLACEHOLDERS,
        configured=mail.configured(),  # the shared nav warns when it is False
    )


@bp.post("/<int:cohort_id>/tekst/standaard")
@role_required(Role.TRAINER, Role.ADMIN)
def reset_text(cohort_id: int):
    """Go back to the default invitation text."""
    cohort = owned_cohort(cohort_id)
    if ConfirmForm().validate_on_submit():
        cohort.mail_subject = cohort.mail_body = None
        audit.record("mail.text_reset", "cohort", cohort.id)
        db.session.commit()
        flash(_("Dit cohort gebruikt weer de standaardtekst."), "success")
    return redirect(url_for(".cohort", cohort_id=cohort.id))


@bp.get("/<int:cohort_id>/versturen")
@role_required(Role.TRAINER, Role.ADMIN)
def compose(cohort_id: int):
    """Choose moment and recipients; with a choice made, preview the mail before sending."""
    cohort = owned_cohort(cohort_id)
    moments, people = mail_status.moments_of(cohort), mail_status.participants_of(cohort)
    form = SendForm.for_cohort(
        cohort, moments, people, formdata=request.args or None, meta={"csrf": False}
    )
    chosen = bool(request.args) and form.validate()
    context = {}
    if chosen:
        ids = mail_status.recipient_ids(
            cohort, form.moment.data, form.recipients.data, form.participant_id
        )
        by_id = {p.id: p for p in people}
        chosen_people = [by_id[i] for i in ids]
        asked = mail.erasing([p.id for p in chosen_people])
        blocked = [
            (p, reason)
            for p in chosen_people
            if (reason := mail.blocked_reason(p, asked_erasure=p.id in asked))
        ]
        # The count and the example are of those who will really get the mail.
        unreachable = {p.id for p, _reason in blocked}
        recipients = [p for p in chosen_people if p.id not in unreachable]
        first = recipients[0] if recipients else None
        try:
            preview = mail.preview(cohort, "invitation", form.moment.data, first)
        except mail_texts.TemplateError as exc:
            flash(_("De tekst van de uitnodiging klopt niet: %(reason)s", reason=str(exc)), "error")
            return redirect(url_for(".edit_text", cohort_id=cohort.id))
        context = {
            "recipients": recipients,
            "blocked": blocked,
            "preview": preview,
            "window": cohort.window(form.moment.data),
        }
    return render_template(
        "mail/compose.html",
        cohort=cohort,
        form=form,
        chosen=chosen,
        configured=mail.configured(),
        today=mail_status.today(),
        **context,
    )


@bp.post("/<int:cohort_id>/versturen")
@role_required(Role.TRAINER, Role.ADMIN)
def send(cohort_id: int):
    """Queue the invitation for the chosen recipients; the mail worker sends it."""
    cohort = owned_cohort(cohort_id)
    moments, people = mail_status.moments_of(cohort), mail_status.participants_of(cohort)
    form = SendForm.for_cohort(cohort, moments, people)
    if not form.validate_on_submit():
        flash(_("Kies opnieuw het moment en de ontvangers."), "error")
        return redirect(url_for(".compose", cohort_id=cohort.id))
    ids = mail_status.recipient_ids(
        cohort, form.moment.data, form.recipients.data, form.participant_id
    )
    return _deliver(cohort, form.moment.data, ids)


@bp.post("/<int:cohort_id>/opnieuw")
@role_required(Role.TRAINER, Role.ADMIN)
def retry(cohort_id: int):
    """Queue the invitations of a moment again, only for those whose last attempt failed."""
    cohort = owned_cohort(cohort_id)
    form = RetryForm()
    if not form.validate_on_submit() or form.moment.data not in mail_status.moments_of(cohort):
        abort(400)
    return _deliver(cohort, form.moment.data, mail_status.failed_ids(cohort, form.moment.data))


def _deliver(cohort: Cohort, moment: str, ids: list[int]):
    """Queue the invitations and return at once; the mail worker sends them."""
    if not mail.configured():
        flash(_("E-mail is niet ingesteld: er is niets verstuurd."), "error")
        return redirect(url_for(".cohort", cohort_id=cohort.id))
    try:
        outcome = outbox.queue(
            cohort, moment, "invitation", ids, mail_status.today(), mail.link_base()
        )
    except mail_texts.TemplateError as exc:
        flash(_("De tekst van de uitnodiging klopt niet: %(reason)s", reason=str(exc)), "error")
        return redirect(url_for(".edit_text", cohort_id=cohort.id))
    # The action keeps its name, so the trail reads the same before and after the outbox.
    audit.record(
        "mail.invitations_sent",
        "cohort",
        cohort.id,
        {"moment": moment, "queued": len(outcome.queued), "failed": len(outcome.failed)},
    )
    db.session.commit()
    _flash_outcome(outcome)
    return redirect(url_for(".cohort", cohort_id=cohort.id, _anchor=f"moment-{moment}"))


def _flash_outcome(outcome: outbox.Outcome) -> None:
    if outcome.queued:
        n = len(outcome.queued)
        flash(
            ngettext(
                "%(num)d mail in de wachtrij: de uitnodiging gaat zo de deur uit.",
                "%(num)d mails in de wachtrij: de uitnodigingen gaan zo de deur uit.",
                n,
            ),
            "success",
        )
    if outcome.failed:
        n = len(outcome.failed)
        flash(
            ngettext(
                "%(num)d uitnodiging niet verstuurd; de reden staat hieronder bij de deelnemer.",
                "%(num)d uitnodigingen niet verstuurd; de reden staat hieronder per deelnemer.",
                n,
            ),
            "error",
        )
    if outcome.skipped:
        flash(
            _(
                "Vandaag al verstuurd, dus niet nog een keer: %(names)s.",
                names=", ".join(outcome.skipped),
            ),
            "info",
        )
    if outcome.waiting:
        flash(
            _(
                "Staat al in de wachtrij, dus niet nog een keer: %(names)s.",
                names=", ".join(outcome.waiting),
            ),
            "info",
        )
    if not (outcome.queued or outcome.failed or outcome.skipped or outcome.waiting):
        flash(_("Er was niemand om een uitnodiging naar te sturen."), "info")


@bp.cli.command("send-reminders")
@click.option("--dry-run", is_flag=True, help="List who would get a reminder; send nothing.")
@click.option(
    "--today",
    "on",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Act as if it is this day.",
)
def send_reminders(dry_run: bool, on):
    """Queue reminders for open moments at REMINDER_DAYS before the deadline (meant for cron).

    The mail worker sends them: run `flask --app assess mail-worker --once` after this, or
    keep `flask --app assess mail-worker` running.
    """
    day: date = on.date() if on else mail_status.today()
    _queue_from_cron(_reminders_and_rater_reminders, day, dry_run, "no reminders sent")


def _reminders_and_rater_reminders(day: date, dry_run: bool = False):
    """The participants' reminders, then the one reminder to raters who have not answered."""
    report = reminders.run(day, dry_run=dry_run)
    rater_report = rater_mail.run(day, dry_run=dry_run)
    report.lines += rater_report.lines
    report.queued += rater_report.queued
    report.summary = f"{report.summary} {rater_report.summary}"
    return report


def _queue_from_cron(job, day: date, dry_run: bool, refused: str) -> None:
    """Run a cron job that queues personal mails (`job(day, dry_run=…)` returns a report with
    lines, a summary and failed), print its report, exit 1 when something failed."""
    if not dry_run and not mail.configured():
        raise click.ClickException(f"SMTP_HOST is not set: {refused}")
    base = current_app.config.get("BASE_URL") or "http://127.0.0.1:5000"
    # The request context only builds the links; the job writes like any CLI job (short
    # transactions that take the write lock when they begin), not like a GET.
    with write_phase(), current_app.test_request_context(base_url=base):
        report = job(day, dry_run=dry_run)
    for line in report.lines:
        click.echo(line)
    click.echo(report.summary)
    if report.failed:
        raise SystemExit(1)


@bp.cli.command("send-pulses")
@click.option("--dry-run", is_flag=True, help="List who would get a pulse mail; send nothing.")
@click.option(
    "--today",
    "on",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Act as if it is this day (Europe/Amsterdam).",
)
def send_pulses(dry_run: bool, on):
    """Queue one mail per participant for each weekly pulse open today (meant for cron).

    Idempotent: a second run queues nothing new. The mail worker sends them.
    """
    day: date = on.date() if on else clock.today()
    _queue_from_cron(pulse_mail.run, day, dry_run, "no pulse mails sent")
