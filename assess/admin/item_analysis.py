"""The item analysis of a questionnaire version: a page and its XLSX, for the admin."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Response, current_app, render_template, request
from flask_babel import gettext as _

from assess.admin import bp
from assess.db import db
from assess.engine.definition import Questionnaire
from assess.models import Cohort, Role
from assess.reports import durations, exports, promises
from assess.reports import item_analysis as analysis
from assess.survey import questionnaires
from assess.web import audit
from assess.web.access import role_required
from assess.web.i18n import select_locale
from assess.web.security import query_id

# The moment value that pools every moment (only on explicit request; the page then warns).
POOLED = "alle"


@dataclass
class Choice:
    """What the admin asked for, as typed, and what it names."""

    questionnaire_id: str
    version: str
    cohorts: list[str]
    moment: str  # a moment id, or POOLED
    q: Questionnaire | None = None
    cohort_ids: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def versions_of(questionnaire_id: str) -> list[int]:
    registry = questionnaires.registry()
    newest = registry.get(questionnaire_id)
    if newest is None:
        return []
    return [v for v in range(1, newest.version + 1) if registry.get(questionnaire_id, v)]


def read_choice() -> Choice:
    """The questionnaire, version, cohorts and moment from the query string, checked."""
    registry = questionnaires.registry()
    # the participants' instrument first: that is what an item analysis is mostly for
    latest = registry.latest("participant") + registry.latest("manager") or registry.latest()
    args = request.args
    choice = Choice(
        questionnaire_id=args.get("vragenlijst", latest[0].id if latest else ""),
        version=args.get("versie", ""),
        cohorts=args.getlist("cohort"),
        moment=args.get("moment", ""),
    )
    newest = registry.get(choice.questionnaire_id)
    if newest is None:
        choice.errors.append(_("Kies een vragenlijst uit de lijst."))
        return choice
    version = newest.version
    if choice.version:
        if not choice.version.isdigit() or registry.get(newest.id, int(choice.version)) is None:
            choice.errors.append(_("Kies een versie uit de lijst."))
            return choice
        version = int(choice.version)
    choice.version = str(version)
    choice.q = registry.get(newest.id, version)
    if choice.q is not None and not choice.moment:
        choice.moment = analysis.default_moment(choice.q)
    if choice.q is not None and choice.moment != POOLED and choice.moment not in choice.q.moments:
        choice.errors.append(_("Kies een meetmoment uit de lijst."))
    try:
        wanted = {query_id(c) for c in choice.cohorts}
    except ValueError:
        choice.errors.append(_("Kies cohorten uit de lijst."))
    else:
        found = set(db.session.scalars(db.select(Cohort.id).where(Cohort.id.in_(wanted))))
        if wanted - found:
            choice.errors.append(_("Een gekozen cohort bestaat niet (meer)."))
        choice.cohort_ids = sorted(found)
    return choice


def build(choice: Choice, form: str) -> analysis.ItemAnalysis:
    """The analysis the (valid) choice asks for, its read on record: figures of participants'
    answers for any selection, so which selection was read (and in what form) is in the audit
    trail."""
    assert choice.q is not None
    pooled = choice.moment == POOLED
    report = analysis.build(
        choice.q,
        select_locale(),
        choice.cohort_ids,
        None if pooled else choice.moment,
        pooled=pooled,
        minimum=int(current_app.config["MIN_GROUP_SIZE"]),
    )
    audit.read(
        "view_item_analysis",
        "questionnaire",
        None,
        {
            "questionnaire": choice.q.id,
            "version": choice.q.version,
            "cohorts": choice.cohort_ids,
            "moment": choice.moment,
            "form": form,
            "shown": report.shown,
        },
    )
    return report


@bp.get("/itemanalyse")
@role_required(Role.ADMIN)
def item_analysis():
    """Per item, scale and scenario of one questionnaire version: how the instrument works."""
    choice = read_choice()
    report = None
    minimum = current_app.config["MIN_GROUP_SIZE"]
    times: list[durations.MomentTimes] = []
    if not choice.errors and choice.q is not None:
        report = build(choice, "page")
        times = durations.per_moment(choice.q, minimum)
    cohorts = db.session.scalars(db.select(Cohort).order_by(Cohort.name)).all()
    return render_template(
        "admin/item_analysis.html",
        choice=choice,
        report=report,
        questionnaires=questionnaires.registry().latest(),
        versions=versions_of(choice.questionnaire_id),
        cohorts=cohorts,
        pooled=POOLED,
        times=times,
        minimum=minimum,
        durations_cap=durations.CAP_MINUTES,
        too_small=promises.item_analysis_too_small(report.people, report.minimum)
        if report is not None and not report.shown
        else None,
    )


@bp.get("/itemanalyse.xlsx")
@role_required(Role.ADMIN)
def item_analysis_xlsx():
    """The item analysis as a workbook: items, scales with correlations, scenarios."""
    choice = read_choice()
    if choice.errors or choice.q is None:
        return Response(" ".join(choice.errors), status=400, mimetype="text/plain")
    report = build(choice, "xlsx")
    if not report.shown:
        message = promises.item_analysis_too_small(report.people, report.minimum)
        return Response(message, status=400, mimetype="text/plain")
    body = exports.to_xlsx(
        {
            _("Toelichting"): analysis.about_sheet(report, select_locale()),
            _("Items"): analysis.item_sheet(report),
            _("Schalen"): analysis.scale_sheet(report),
            _("Praktijksituaties"): analysis.scenario_sheet(report),
        }
    )
    response = Response(
        body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"itemanalyse-{choice.q.id}-v{choice.q.version}.xlsx"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
