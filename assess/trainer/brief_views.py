"""The brief for the next course day: one page (one A4 when printed) with where the group
stands, the pulse weeks since the last course day, the goals, and what to talk about.

It only gathers figures the other pages already show, under the same rules: scale changes in
the analysis' words, pulse weeks and their texts only where the minimum group answered, goal
figures only from the minimum group size, texts without names.
"""

from __future__ import annotations

from flask import render_template

from assess import clock
from assess.engine import course_days as engine_days
from assess.reports import cohort as cohort_report
from assess.reports import course_days
from assess.reports import goals as goal_figures
from assess.reports import pulses as pulse_figures
from assess.survey import questionnaires
from assess.trainer import bp, cohorts
from assess.trainer.pulse_views import min_group
from assess.trainer.views import STAFF
from assess.web import audit
from assess.web.access import role_required
from assess.web.i18n import select_locale


@bp.get("/cohorten/<int:cohort_id>/voor-de-lesdag")
@role_required(*STAFF)
def cohort_brief(cohort_id: int):
    """One printable page to prepare the next course day."""
    cohort = cohorts.owned_cohort(cohort_id)
    today = clock.today()
    days = course_days.days_of(cohort.id)
    upcoming = course_days.next_day(days, today)
    last = engine_days.previous_day([d.date for d in days], today)
    since = last[1] if last else None
    weeks = [
        w
        for w in pulse_figures.cohort_weeks(cohort.id, min_group(), today)
        if since is None or w.pulse.opens_on > since
    ]
    report = cohort_report.build(cohort, questionnaires.registry(), select_locale())
    # Free texts of the weeks, without names, but written by participants.
    if any(w.shown and w.worked for w in weeks):
        audit.read("view_course_brief", "cohort", cohort.id)
    return render_template(
        "trainer/brief.html",
        cohort=cohort,
        upcoming_label=course_days.long_label(upcoming, select_locale(), with_year=True)
        if upcoming
        else None,
        last_label=course_days.long_label(course_days.Day(*last), select_locale())
        if last
        else None,
        summary=[(s, s.direction.value) for s in report.main()],
        counts=cohorts.counts([cohort.id])[cohort.id],
        weeks=weeks,
        worked=sorted(text for w in weeks if w.shown for text in w.worked),
        goals=goal_figures.cohort_goals(cohort.id, min_group()),
        min_group=min_group(),
    )
