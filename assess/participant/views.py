"""The participant's side: personal link, survey and personal report."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from assess import clock
from assess.db import db
from assess.extensions import limiter
from assess.participant import bp, page_state, skeleton
from assess.participant.flow import (
    closed_page,
    fillable,
    moment_status,
    recalled_answers,
    review_pages,
    save_page,
    store_page,
    submit_moment,
)
from assess.participant.session import (
    MomentStatus,
    current_participant,
    end_idle_session,
    idle_session_ending,
    link_expired,
    link_problem,
    moments,
    next_opening,
    open_moment,
    opened_by_staff,
    questionnaire_for,
    start_session,
)
from assess.reports import course_days, durations, personal_data
from assess.reports import goals as goal_figures
from assess.reports import participant as participant_report
from assess.reports import pulses as pulse_figures
from assess.reports.charts import participant as charts
from assess.reports.charts import pulse as pulse_charts
from assess.survey import erasure, page_times, questionnaires, responses, tokens
from assess.survey import forms as survey_forms
from assess.web import audit, database
from assess.web.forms import ConfirmForm, csrf_checked
from assess.web.i18n import select_locale


@bp.app_template_global("personal_charts")
def personal_charts(report: participant_report.PersonalReport) -> dict:
    """The report's charts, so the partial template needs nothing but `report`."""
    return {"dimensions": charts.dimensions(report), "time": charts.time_allocation(report)}


@bp.app_template_global("page_shown_at")
def page_shown_at() -> str:
    return skeleton.shown_at()


@bp.app_template_filter("breakable")
def breakable(text: str, longest: int = 10) -> str:
    """Long words with a soft hyphen in the middle, so a phone's narrow table column can break
    "netwerkpartners" (Chromium has no Dutch hyphenation dictionary for `hyphens: auto`)."""
    return " ".join(
        word[: len(word) // 2] + "\u00ad" + word[len(word) // 2 :] if len(word) > longest else word
        for word in str(text).split(" ")
    )


def link_failed(response) -> bool:
    """Only unknown or expired links count: a class behind one address opens theirs at once."""
    return response.status_code >= 400


@bp.get("/s/<token>")
@limiter.limit(lambda: current_app.config["LINK_RATE_LIMIT"], deduct_when=link_failed)
def enter(token: str):
    """Exchange a personal link for a session, so the token leaves the address bar."""
    participant = tokens.find(token)
    if participant is None:
        link_problem("unknown", 404)
    if link_expired(participant, clock.today()):
        link_problem("expired", 410)
    staff_id = current_user.id if current_user.is_authenticated else None
    if staff_id is not None:
        # Staff who open a participant's link see their answers: a read of personal data.
        audit.read("participant_link_opened", "participant", participant.id)
    start_session(participant, staff_id)
    return redirect(url_for(".home"))


@bp.get("/deelnemer/")
def home():
    """The welcome page: the course, the open moment, privacy, and the report when there is one."""
    participant = current_participant()
    q = questionnaire_for(participant.cohort)
    statuses = moments(participant, q, clock.today(), select_locale())
    current = open_moment(statuses)
    resume = None
    duration = None
    if current:
        version = responses.questionnaire_of(current.response) if current.response else q
        # the same figure as the invitation mail (reports/durations.py)
        duration = durations.moment_duration(
            version, current.moment, current_app.config["MIN_GROUP_SIZE"]
        )
    if current and current.response:
        resume = survey_forms.resume_page(
            responses.questionnaire_of(current.response),
            current.moment,
            responses.answers_of(current.response),
            current.response.current_page,
        )
    days = course_days.days_of(participant.cohort_id)
    next_day = course_days.next_day(days, clock.today())
    return render_template(
        "participant/home.html",
        goals_open=goal_figures.goals_open(participant.cohort, clock.today()),
        own_goals=goal_figures.own_goals(participant.id),
        days=days,
        next_day=next_day,
        next_day_label=course_days.long_label(next_day, select_locale(), with_year=True)
        if next_day
        else None,
        participant=participant,
        q=q,
        statuses=statuses,
        current=current,
        duration=duration,
        resume=resume,
        upcoming=next_opening(statuses, clock.today()),
        has_report=any(m.submitted for m in statuses),
        erasure_request=erasure.pending_request(participant.id),
        pulse=pulse_figures.open_pulse(participant, clock.today()),
        pulse_weeks=pulse_figures.cohort_pulses(participant.cohort_id),
        pulse_mails_stopped=pulse_figures.mails_stopped(participant.id),
        pulse_form=ConfirmForm(),
    )


@bp.get("/deelnemer/<moment>/")
def start(moment: str):
    """Continue a moment where the participant left off (first page with a required gap)."""
    participant, q, status = fillable(moment)
    if status.response is None:
        return redirect(url_for(".page", moment=moment, n=1))
    n = survey_forms.resume_page(
        q, moment, responses.answers_of(status.response), status.response.current_page
    )
    if n is None:
        return redirect(url_for(".review", moment=moment))
    return redirect(url_for(".page", moment=moment, n=n))


@bp.route("/deelnemer/<moment>/pagina/<int:n>", methods=["GET", "POST"])
@database.reads_first
def page(moment: str, n: int):
    """One survey page: shows the stored answers; POST saves them and moves on or back."""
    # The common case in one query; the general path decides everything else as before.
    found = page_state.open_page(moment)
    status: MomentStatus | page_state.OpenStatus
    if found is not None:
        participant_id, q, status, stored = (
            found.participant_id,
            found.q,
            found.status,
            found.stored,
        )
    else:
        participant, q, general = fillable(moment)
        participant_id, status = participant.id, general
        stored = responses.answers_of(general.response) if general.response else {}
    sections = survey_forms.pages(q, moment)
    if not 1 <= n <= len(sections):
        abort(404)
    lang = select_locale()
    if request.method == "GET":
        html = skeleton.page(q, sections[n - 1], status, n, len(sections), stored, lang)
        if html is not None:
            return html
    action = request.form.get("action")
    shown = request.form.get(page_times.FIELD)
    action = action if action in ("prev", "later") else "next"
    target = max(1, min({"prev": n - 1, "later": n}.get(action, n + 1), len(sections)))
    if request.method == "POST" and not idle_session_ending() and csrf_checked():
        answers = survey_forms.posted_answers(
            q, sections[n - 1], request.form, stored, require=action == "next"
        )
        if answers is not None:
            # Nothing wrong: store and move on without building the form. Otherwise the form
            # below finds the same problems and shows them.
            store_page(participant_id, q, status, answers, target, shown=(n, shown))
            return after_save(moment, n, len(sections), action)
    form = survey_forms.page_form(q, sections[n - 1], stored, lang=lang)
    if request.method == "POST" and idle_session_ending():
        # Keep what was typed (a draft, required items not insisted on), then say why the
        # session ended instead of showing the answers again.
        saved = save_page(participant_id, q, status, form, n, "later")
        end_idle_session()
        page = render_template("participant/link_problem.html", problem="idle", saved=saved)
        return page, 403
    if request.method == "POST" and save_page(
        participant_id, q, status, form, target, action, shown=(n, shown)
    ):
        return after_save(moment, n, len(sections), action)
    # 200 with the messages next to the items, as browsers expect for a re-shown form.
    return render_template(
        "participant/page.html",
        q=q,
        status=status,
        section=sections[n - 1],
        form=form,
        n=n,
        total=len(sections),
        recalled=recalled_answers(participant_id, sections[n - 1]),
    )


def after_save(moment: str, n: int, total: int, action: str):
    """Where a saved page goes: the next page, the previous one, the review, or home."""
    if action == "later":
        flash(
            _("Je antwoorden zijn bewaard. Open je link om later verder te gaan."),
            "success",
        )
        return redirect(url_for(".home"))
    if action == "prev":
        return redirect(url_for(".page", moment=moment, n=n - 1) if n > 1 else url_for(".home"))
    if n == total:
        return redirect(url_for(".review", moment=moment))
    return redirect(url_for(".page", moment=moment, n=n + 1))


@bp.post("/deelnemer/<moment>/pagina/<int:n>/autosave")
@database.reads_first
def autosave(moment: str, n: int):
    """Save a page's answers as they are given (JavaScript); 204, or 200 with the messages."""
    participant, q, status = fillable(moment, api=True)
    sections = survey_forms.pages(q, moment)
    if not 1 <= n <= len(sections):
        abort(404)
    stored = responses.answers_of(status.response) if status.response else {}
    form = survey_forms.page_form(q, sections[n - 1], stored, lang=select_locale())
    saved = save_page(participant.id, q, status, form, n, "autosave")
    if idle_session_ending():
        end_idle_session()
    if saved:
        return "", 204
    errors = {item.id: form.field_for(item).errors[0] for item in form.error_items()}
    # Not 422: the invalid value is the person's, not a broken request; the page shows it
    # properly when they press a button.
    return {"errors": errors}, 200


@bp.get("/deelnemer/<moment>/controle")
def review(moment: str):
    """All answers by page, with "wijzig" links, before the final submit."""
    participant, q, status = fillable(moment)
    stored = responses.answers_of(status.response) if status.response else {}
    pages, missing = review_pages(q, moment, stored, select_locale())
    return render_template(
        "participant/review.html",
        q=q,
        status=status,
        pages=pages,
        missing=missing,
        form=ConfirmForm(),
    )


@bp.post("/deelnemer/<moment>/indienen")
def submit(moment: str):
    """Submit the moment once; a second click or tab lands on the "al ingediend" page."""
    participant = current_participant()
    status = moment_status(participant, moment)
    if status.submitted:
        return redirect(url_for(".submitted", moment=moment))
    if status.state != "open":
        return closed_page(status)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    outcome = submit_moment(participant, status)
    if outcome == "missing":
        flash(_("Er zijn nog vragen die je moet beantwoorden voordat je kunt indienen."), "error")
        return redirect(url_for(".review", moment=moment))
    if outcome == "submitted":
        flash(_("Dank je wel! Je antwoorden zijn ingediend."), "success")
    return redirect(url_for(".submitted", moment=moment))


@bp.get("/deelnemer/<moment>/ingediend")
def submitted(moment: str):
    """The "al ingediend" page: the moment is done and can no longer change."""
    participant = current_participant()
    status = moment_status(participant, moment)
    if not status.submitted:
        return redirect(url_for(".home"))
    return render_template("participant/submitted.html", status=status)


@bp.get("/deelnemer/rapport")
def report():
    """The personal report of every submitted moment."""
    participant = current_participant()
    data = participant_report.build(participant, questionnaires.registry(), select_locale())
    if data.empty:
        flash(_("Je rapport komt beschikbaar zodra je een meting hebt ingediend."), "info")
        return redirect(url_for(".home"))
    if opened_by_staff():
        audit.read("view_participant_report", "participant", participant.id)
    weeks = pulse_figures.own_weeks(participant, clock.today())
    return render_template(
        "participant/report.html",
        report=data,
        pulse_chart=pulse_charts.own_weeks(
            weeks, course_days.marks(course_days.days_of(participant.cohort_id))
        ),
        pulse_sentence=pulse_charts.own_trend_sentence(weeks),
        raters_on=participant.cohort.raters_enabled,
    )


@bp.get("/deelnemer/mijn-gegevens.json")
def download():
    """The participant's own data as a JSON file."""
    participant = current_participant()
    body = personal_data.export_json(participant, questionnaires.registry())
    if opened_by_staff():
        audit.read("participant_data_exported", "participant", participant.id)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="mijn-gegevens-zelfscan.json"'},
    )


@bp.route("/deelnemer/wissen", methods=["GET", "POST"])
def erasure_request():
    """Ask for all of one's data to be erased (AVG art. 17); the admin carries it out."""
    participant = current_participant()
    form = ConfirmForm()
    pending = erasure.pending_request(participant.id)
    if pending is None and form.validate_on_submit():
        try:
            erasure.request_erasure(participant)
            audit.record("erasure_requested", "participant", participant.id)
            db.session.commit()
        except IntegrityError:
            # The same request from a second tab or a double click: it is there already.
            db.session.rollback()
        flash(
            _("Je verzoek is ontvangen. De beheerder wist je gegevens binnen een maand."), "success"
        )
        return redirect(url_for(".erasure_request"))
    return render_template("participant/erasure.html", form=form, pending=pending)
