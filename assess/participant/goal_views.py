"""The participant's goals: writing one to three with an if-then plan, changing them (the
history is kept), and where they stand with their GAS T-score."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from assess import clock
from assess.db import db
from assess.models import Goal
from assess.participant import bp
from assess.participant.goal_forms import LEVEL_FIELDS, GoalForm
from assess.participant.session import current_participant, questionnaire_for
from assess.reports import course_days
from assess.reports import goals as goal_figures
from assess.survey import goals
from assess.survey.labels import scale_titles
from assess.web import database
from assess.web.i18n import select_locale


def _form(q, goal: Goal | None = None) -> GoalForm:
    form = GoalForm(obj=goal)
    form.theme.choices = [SelectChoice("", _("— kies een thema —"))] + [
        SelectChoice(scale, title) for scale, title in _themes(q).items()
    ]
    return form


def _themes(q) -> dict[str, str]:
    """The three dimensions of the course, in the questionnaire's words."""
    titles = scale_titles(q, select_locale())
    return {s.id: titles.get(s.id, s.id) for s in q.scales if "." not in s.id}


def _own_goal(participant, goal_id: int) -> Goal:
    found = db.session.get(Goal, goal_id)
    if found is None or found.participant_id != participant.id or not found.active:
        abort(404)
    return found


def _given(form: GoalForm) -> goals.GoalInput:
    return goals.GoalInput(
        theme=form.theme.data or "",
        text=form.text.data or "",
        if_then=form.if_then.data or "",
        levels=form.levels(),
        shared_with_trainer=bool(form.shared_with_trainer.data),
    )


def _page(q, form, goal=None):
    return render_template(
        "participant/goal_form.html",
        form=form,
        goal=goal,
        examples=q.goal_examples,
        themes=_themes(q),
        level_fields=LEVEL_FIELDS,
        q=q,
    )


@bp.get("/deelnemer/doelen")
def goals_page():
    """The participant's goals, where they stand, and the T-score once every goal has a level."""
    participant = current_participant()
    q = questionnaire_for(participant.cohort)
    own = goal_figures.own_goals(participant.id)
    day = goal_figures.goal_day(participant.cohort)
    return render_template(
        "participant/goals.html",
        goals=own,
        t_score=goal_figures.t_score(own),
        themes=_themes(q),
        open=goal_figures.goals_open(participant.cohort, clock.today()),
        goal_day_label=course_days.long_label(day, select_locale(), with_year=True)
        if day
        else None,
        room=goals.room_for_another(participant.id),
    )


@bp.route("/deelnemer/doelen/nieuw", methods=["GET", "POST"])
@database.reads_first
def goal_new():
    """Write a new goal (at most three at a time), from the goal day on."""
    participant = current_participant()
    q = questionnaire_for(participant.cohort)
    if not goal_figures.goals_open(participant.cohort, clock.today()):
        flash(_("Je schrijft je doelen op de lesdag die je trainer daarvoor kiest."), "info")
        return redirect(url_for(".goals_page"))
    if not goals.room_for_another(participant.id):
        flash(
            _("Je hebt al drie doelen. Pas een doel aan in plaats van er een bij te maken."), "info"
        )
        return redirect(url_for(".goals_page"))
    form = _form(q)
    if form.validate_on_submit():
        if form.theme.data not in _themes(q):
            form.theme.errors.append(_("Kies een thema."))
        else:
            database.start_writing()
            if not goals.room_for_another(participant.id):  # another tab added one meanwhile
                db.session.rollback()
                return redirect(url_for(".goals_page"))
            goals.add(participant, _given(form))
            db.session.commit()
            flash(_("Je doel is opgeslagen."), "success")
            return redirect(url_for(".goals_page"))
    return _page(q, form)


@bp.route("/deelnemer/doelen/<int:goal_id>", methods=["GET", "POST"])
@database.reads_first
def goal_edit(goal_id: int):
    """Change a goal; what it said before is kept."""
    participant = current_participant()
    q = questionnaire_for(participant.cohort)
    goal = _own_goal(participant, goal_id)
    form = _form(q, goal)
    if form.validate_on_submit():
        if form.theme.data not in _themes(q):
            form.theme.errors.append(_("Kies een thema."))
        else:
            database.start_writing()
            goal = _own_goal(participant, goal_id)
            changed = goals.revise(goal, _given(form))
            db.session.commit()
            flash(
                _("Je doel is bijgesteld; de vorige versie is bewaard.")
                if changed
                else _("Er is niets veranderd."),
                "success",
            )
            return redirect(url_for(".goals_page"))
    return _page(q, form, goal)
