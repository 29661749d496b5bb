"""The weekly pulse for the participant: the week's questions on one page, their own weeks
afterwards, and switching the pulse mails off or on again."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from assess import clock, formatting
from assess.db import db
from assess.engine import pulse as engine_pulse
from assess.models import Pulse
from assess.participant import bp
from assess.participant.session import current_participant, questionnaire_for
from assess.reports import course_days
from assess.reports import pulses as pulse_figures
from assess.reports.charts import pulse as pulse_charts
from assess.survey import forms as survey_forms
from assess.survey import goals, pulses
from assess.web import database
from assess.web.forms import ConfirmForm
from assess.web.i18n import select_locale


@bp.app_template_filter("pulse_week")
def pulse_week(week) -> str:
    """A pulse week as people read it: 'wk 11 · 9 mrt'."""
    return pulse_charts.week_label(week, select_locale())


def _pulse_of(participant, pulse_id: int) -> Pulse:
    """A pulse of the participant's own cohort; 404 for any other."""
    found = db.session.get(Pulse, pulse_id)
    if found is None or found.cohort_id != participant.cohort_id:
        abort(404)
    return found


def _closed(pulse: Pulse, state: str):
    """The page saying this week's pulse cannot be answered (now); nothing is stored."""
    page = render_template("participant/pulse_closed.html", pulse=pulse, state=state)
    return make_response(page, 403)


def _total_problem(form) -> bool:
    """The planned and incoming shares together are at most 100 %; else a message at the
    first, with both values kept."""
    planned = form.field_for(form.q.items_by_id[engine_pulse.PLANNED])
    incoming = form.field_for(form.q.items_by_id[engine_pulse.INCOMING])
    a, b = getattr(planned, "answer", None), getattr(incoming, "answer", None)
    if planned.errors or incoming.errors or a is None or b is None or a + b <= 100:
        return False
    planned.errors = [
        *planned.errors,
        _(
            "Gepland werk en klachten en meldingen samen komen op %(n)s%%; dat kan hoogstens"
            " 100%% zijn.",
            n=formatting.plain(a + b, select_locale()),
        ),
    ]
    return True


@bp.route("/deelnemer/weekpuls/<int:pulse_id>", methods=["GET", "POST"])
@database.reads_first
def pulse(pulse_id: int):
    """This week's pulse: a few questions on one page, answered once."""
    participant = current_participant()
    week = _pulse_of(participant, pulse_id)
    if pulse_figures.has_answered(participant.id, week.id):
        flash(_("Je hebt de weekpuls van deze week al ingevuld."), "info")
        return redirect(url_for(".pulse_overview"))
    state = engine_pulse.state(week.opens_on, week.closes_on, clock.today())
    if state != "open":
        return _closed(week, state)
    q = questionnaire_for(participant.cohort)
    section = q.sections_for(engine_pulse.PULSE)[0]
    form = survey_forms.page_form(q, section, {}, lang=select_locale())
    own_goals = goals.active_goals(participant.id)
    given, goal_errors = _goal_levels(own_goals)
    if request.method == "POST":
        valid = form.validate_page(require=True)
        if valid and not _total_problem(form) and not goal_errors:
            database.start_writing()
            saved = pulses.answer(participant, week, q, form.answers())
            if saved is not None:
                for goal in own_goals:
                    if goal.id in given:
                        goals.rate_pulse(goal, week.id, given[goal.id])
            db.session.commit()
            if saved is not None:
                flash(_("Dank je wel! Je weekpuls is opgeslagen."), "success")
            return redirect(url_for(".pulse_overview"))
    return render_template(
        "participant/pulse.html",
        q=q,
        section=section,
        form=form,
        week=week,
        goals=own_goals,
        given=given,
        goal_errors=goal_errors,
    )


def _goal_levels(own_goals) -> tuple[dict[int, int], dict[int, str]]:
    """The level posted for each active goal (a goal left open is not rated this week), and
    a Dutch message for a value that is no level."""
    given: dict[int, int] = {}
    errors: dict[int, str] = {}
    if request.method != "POST":
        return given, errors
    for goal in own_goals:
        raw = request.form.get(f"doel-{goal.id}", "").strip()
        if not raw:
            continue
        if raw in {"-2", "-1", "0", "1", "2"}:
            given[goal.id] = int(raw)
        else:
            errors[goal.id] = _("Kies een van de vijf niveaus.")
    return given, errors


@bp.get("/deelnemer/weekpuls/overzicht")
def pulse_overview():
    """The participant's own weeks so far: a small chart, a table and one sentence."""
    participant = current_participant()
    weeks = pulse_figures.own_weeks(participant, clock.today())
    return render_template(
        "participant/pulse_overview.html",
        weeks=weeks,
        weeks_chart=pulse_charts.own_weeks(
            weeks, course_days.marks(course_days.days_of(participant.cohort_id))
        ),
        sentence=pulse_charts.own_trend_sentence(weeks),
        open_pulse=pulse_figures.open_pulse(participant, clock.today()),
    )


@bp.post("/deelnemer/weekpuls/mails")
def pulse_mails():
    """Stop the weekly pulse mails, or start them again."""
    participant = current_participant()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if request.form.get("action") == "resume":
        pulses.resume_mails(participant)
        message = _("Je krijgt de weekpuls weer per mail.")
    else:
        pulses.stop_mails(participant)
        message = _("Je krijgt geen mails meer over de weekpuls.")
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".home"))
