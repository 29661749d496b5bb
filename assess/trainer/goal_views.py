"""The trainer's view of a cohort's goals: the day they are written, the group's GAS figures
(only for a group of at least the minimum size) and the goals participants shared."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from assess.db import db
from assess.engine import course_days as engine_days
from assess.reports import course_days
from assess.reports import goals as goal_figures
from assess.survey import questionnaires
from assess.survey.labels import scale_titles
from assess.trainer import bp, cohorts
from assess.trainer.forms import GoalDayForm
from assess.trainer.pulse_views import min_group
from assess.trainer.views import STAFF
from assess.web import audit
from assess.web.access import role_required
from assess.web.i18n import select_locale


@bp.route("/cohorten/<int:cohort_id>/doelen", methods=["GET", "POST"])
@role_required(*STAFF)
def cohort_goals(cohort_id: int):
    """The goal day, the group's goal figures and the goals shared with the trainer."""
    cohort = cohorts.owned_cohort(cohort_id)
    days = course_days.days_of(cohort.id)
    form = GoalDayForm(obj=cohort if request.method == "GET" else None)
    count = max(len(days), engine_days.DEFAULT_COUNT)
    labels = {d.number: course_days.long_label(d, select_locale()) for d in days}
    form.goals_day.choices = [
        SelectChoice(n, labels.get(n, _("lesdag %(n)s", n=n))) for n in range(1, count + 1)
    ]
    if form.validate_on_submit():
        cohort.goals_day = int(form.goals_day.data)
        audit.record("edit_goals_day", "cohort", cohort.id)
        db.session.commit()
        flash(_("De wijzigingen zijn opgeslagen."), "success")
        return redirect(url_for("trainer.cohort_goals", cohort_id=cohort.id))
    shared = goal_figures.shared_goals(cohort.id)
    if shared:
        # Goals are the participants' own words, shown by name because they shared them.
        audit.read("view_shared_goals", "cohort", cohort.id)
    q = questionnaires.registry().get(cohort.questionnaire_id)
    return render_template(
        "trainer/goals.html",
        cohort=cohort,
        form=form,
        figures=goal_figures.cohort_goals(cohort.id, min_group()),
        shared=shared,
        themes=scale_titles(q, select_locale()) if q else {},
    )
