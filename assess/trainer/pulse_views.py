"""The trainer's weekly pulse of one cohort: switching it on, the weekly trend, the week's
"wat werkte" answers without names, and the change across the course."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from assess import clock
from assess.db import db
from assess.engine import pulse as engine_pulse
from assess.reports import cohort as cohort_report
from assess.reports import course_days
from assess.reports import pulses as pulse_figures
from assess.reports.charts import pulse as pulse_charts
from assess.survey import pulses, questionnaires
from assess.trainer import bp, cohorts
from assess.trainer.forms import PulseScheduleForm
from assess.trainer.views import STAFF
from assess.web import audit
from assess.web.access import role_required
from assess.web.i18n import select_locale
from assess.web.security import query_id

# The dimension the planned share of the pulse belongs to (questionnaires: scale id).
TIME_SCALE = "tijdmanagement"


def min_group() -> int:
    """The same floor as every other group figure (at least 3, whatever is configured)."""
    return max(3, int(current_app.config["MIN_GROUP_SIZE"]))


@bp.route("/cohorten/<int:cohort_id>/weekpuls", methods=["GET", "POST"])
@role_required(*STAFF)
def cohort_pulse(cohort_id: int):
    """The cohort's weekly pulse: its schedule, the weekly trend and the week's answers."""
    cohort = cohorts.owned_cohort(cohort_id)
    q = questionnaires.registry().get(cohort.questionnaire_id)
    has_pulse = q is not None and engine_pulse.PULSE in q.moments
    schedule = pulses.schedule_of(cohort.id)
    form = PulseScheduleForm(obj=schedule if request.method == "GET" else None)
    if request.method == "GET" and schedule is None:
        form.first_day.data = cohort.start_date
        form.last_day.data = cohort.end_date
    today = clock.today()
    if has_pulse and form.validate_on_submit():
        given = pulses.ScheduleInput(
            bool(form.enabled.data),
            int(form.weekday.data),
            form.first_day.data,
            form.last_day.data,
            int(form.days_open.data),
        )
        if not engine_pulse.weeks(given.first_day, given.last_day, given.weekday, given.days_open):
            form.weekday.errors = [
                *form.weekday.errors,
                _("Tussen de eerste en de laatste dag valt deze weekdag niet."),
            ]
        else:
            pulses.save_schedule(cohort, given, today)
            audit.record("edit_pulse_schedule", "cohort", cohort.id)
            db.session.commit()
            flash(
                _("De weekpuls staat aan.") if given.enabled else _("De weekpuls staat uit."),
                "success",
            )
            return redirect(url_for("trainer.cohort_pulse", cohort_id=cohort.id))
    weeks = pulse_figures.cohort_weeks(cohort.id, min_group(), today)
    shown = [w for w in weeks if w.shown]
    chosen = request.args.get("week", type=query_id)
    week = next((w for w in shown if w.pulse.id == chosen), shown[-1] if shown else None)
    # The course days on the axis; a cohort without them still has its first and last day.
    marks = course_days.marks(course_days.days_of(cohort.id)) or [
        (day, label)
        for day, label in (
            (cohort.start_date, _("lesdag 1")),
            (cohort.end_date, _("laatste lesdag")),
        )
        if day is not None
    ]
    analysis = None
    if weeks:
        report = cohort_report.build(cohort, questionnaires.registry(), select_locale())
        time_scale = next((s for s in report.main() if s.scale_id == TIME_SCALE), None)
        analysis = {
            "planned": pulse_figures.planned_change(cohort.id, min_group()),
            "scale": time_scale,
        }
    if week is not None:
        # Free texts of the week, without names, but written by participants.
        audit.read("view_pulse_answers", "cohort", cohort.id)
    return render_template(
        "trainer/pulse.html",
        cohort=cohort,
        form=form,
        has_pulse=has_pulse,
        schedule=schedule,
        weeks=weeks,
        shown=shown,
        week=week,
        min_group=min_group(),
        trend=pulse_charts.cohort_trend(weeks, marks, min_group()) if weeks else None,
        analysis=analysis,
        upcoming=[p for p in pulse_figures.cohort_pulses(cohort.id) if p.opens_on > today],
        mails=pulse_figures.mail_counts(cohort.id, weeks[-1].pulse.opens_on) if weeks else {},
    )
