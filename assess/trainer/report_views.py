"""The trainer's reports: one cohort in depth, cohorts side by side, exports, one participant."""

from __future__ import annotations

from datetime import date

from flask import Response, current_app, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from assess import clock
from assess.db import db
from assess.engine import pulse as engine_pulse
from assess.engine.moments import Moment
from assess.models import Cohort, Participant
from assess.reports import cohort as cohort_report
from assess.reports import course_days, exports, scores
from assess.reports import participant as participant_reports
from assess.reports.charts import cohort as charts
from assess.reports.raters import cohort as rater_cohort
from assess.reports.raters import releases as rater_releases
from assess.survey import questionnaires
from assess.survey.labels import scale_titles
from assess.survey.raters import invitations as rater_invitations
from assess.trainer import bp, cohorts
from assess.trainer.pulse_views import min_group
from assess.trainer.views import STAFF
from assess.web import audit, database
from assess.web.access import role_required
from assess.web.forms import DATE_RANGE_MESSAGE, date_in_range
from assess.web.i18n import select_locale
from assess.web.security import query_id

FORMS = ("lang", "breed", "codeboek", "weekpuls")
# "csv" opens into columns in a Dutch Excel (';', decimal comma, BOM); "csv-punt" is the
# comma/dot form that R and Python read without options.
FORMATS = {"xlsx": None, "csv": exports.SPREADSHEET, "csv-punt": exports.PLAIN}
SORTS = ("naam", "start", "n", "respons")


@bp.get("/cohorten/<int:cohort_id>/analyse")
@role_required(*STAFF)
def cohort_analysis(cohort_id: int):
    """One cohort in depth: distributions, change, reliable change, reliability, SJT, time."""
    cohort = cohorts.owned_cohort(cohort_id)
    report = cohort_report.build(cohort, questionnaires.registry(), select_locale())
    figures = {}
    for scale in report.main():
        group = [scale, *report.subs_of(scale.scale_id)]
        figures[f"dist-{scale.scale_id}"] = charts.distributions(group)
        figures[f"slope-{scale.scale_id}"] = charts.slope(scale)
    figures["change"] = charts.change_forest(report.scales)
    for scenario in report.sjt:
        figures[f"sjt-{scenario['id']}"] = charts.sjt(scenario)
    if report.time:
        figures["time"] = charts.time_allocation(report.time)
    raters = _raters(cohort)
    # The page shows each participant's change (by code): a read of individual results.
    audit.read("view_cohort_analysis", "cohort", cohort.id)
    return render_template(
        "trainer/analysis.html",
        raters=raters,
        min_group=_min_group(),
        cohort=cohort,
        report=report,
        figures=figures,
        has_pairs=any(s.change.n > 0 for s in report.main()),
        summary=[(s, s.direction.value) for s in report.main()],
        counts=cohorts.counts([cohort.id])[cohort.id],
        alpha_min_n=cohort_report.ALPHA_MIN_N,
        next_day_label=_next_day_label(cohort),
    )


def _min_group() -> int:
    return max(3, int(current_app.config["MIN_GROUP_SIZE"]))


def _raters(cohort: Cohort) -> list[rater_cohort.ScaleRow]:
    """Self against colleagues per scale, after releasing what is due (as the participants'
    own pages do), so the trainer need not wait for each participant to look."""
    moments = rater_invitations.moments_for(cohort)
    if not moments:
        return []
    registry = questionnaires.registry()
    with database.writing():
        for person in cohort.participants:
            rater_releases.release_due(person, moments, registry, clock.today())
    return rater_cohort.build(cohort, moments, registry, _min_group(), select_locale())


def _next_day_label(cohort: Cohort) -> str | None:
    """'lesdag 3, donderdag 11 februari' for the analysis' opening, when a day comes next."""
    day = course_days.next_day(course_days.days_of(cohort.id), clock.today())
    return course_days.long_label(day, select_locale()) if day else None


def _period() -> tuple[date | None, date | None, list[str]]:
    errors, found = [], []
    for key in ("van", "tot"):
        raw = request.args.get(key, "").strip()
        try:
            day = date.fromisoformat(raw) if raw else None
        except ValueError:
            errors.append(_("Dit is geen geldige datum: %(d)s", d=raw))
            day = None
        if day is not None and not date_in_range(day):
            errors.append(str(DATE_RANGE_MESSAGE))
            day = None
        found.append(day)
    start, end = found
    if start and end and end < start:
        errors.append(_("De einddatum van de periode ligt vóór de begindatum."))
    return start, end, errors


def _sorted_table(rows: list[dict], key: str, descending: bool) -> list[dict]:
    present = [r for r in rows if r["sort"].get(key) is not None]
    missing = [r for r in rows if r["sort"].get(key) is None]
    present.sort(key=lambda r: r["sort"][key], reverse=descending)
    return present + missing


@bp.get("/vergelijken")
@role_required(*STAFF)
def compare():
    """Cohorts side by side: change per scale with intervals, and a sortable table of all."""
    start, end, errors = _period()
    # Archived cohorts stay out unless asked for: they are done, and crowd the table.
    archived = request.args.get("archief") == "1"
    available = [
        c
        for c in cohorts.own_cohorts(include_archived=archived)
        if (not start or (c.start_date and c.start_date >= start))
        and (not end or (c.start_date and c.start_date <= end))
    ]
    wanted = set(request.args.getlist("cohort", type=query_id))
    selected = [c for c in available if c.id in wanted]
    comparison, figure = None, None
    if wanted and len(selected) < 2:
        errors.append(_("Kies minstens twee cohorten om te vergelijken."))
    elif len({c.questionnaire_id for c in selected}) > 1:
        errors.append(
            _("Deze cohorten gebruiken verschillende vragenlijsten en zijn niet te vergelijken.")
        )
    elif selected:
        comparison = cohort_report.compare(selected, questionnaires.registry(), select_locale())
        figure = charts.comparison_forest(comparison)

    q = questionnaires.get(available[0].questionnaire_id) if available else None
    scale_ids = cohort_report.main_scales(q) if q else []
    count = cohorts.counts(c.id for c in available)
    change = scores.paired_change_by_cohort(Participant.cohort_id.in_([c.id for c in available]))
    rows = []
    for c in available:
        n = count[c.id]
        per_scale = {s: change.get((c.id, s), (0, None)) for s in scale_ids}
        rows.append(
            {
                "cohort": c,
                "n": n.participants,
                "rate": n.rate(Moment.EXIT),
                "change": per_scale,
                "sort": {
                    "naam": c.name.lower(),
                    "start": c.start_date,
                    "n": n.participants,
                    "respons": n.rate(Moment.EXIT),
                    **{s: per_scale[s][1] for s in scale_ids},
                },
            }
        )
    if available:
        # The table (and a comparison) shows each cohort's change, of one person when a cohort
        # has one pair: a read of participants' results, on record with what was shown.
        audit.read(
            "view_cohort_comparison",
            "cohorts",
            None,
            {
                "cohorts": sorted(c.id for c in available),
                "compared": sorted(c.id for c in selected),
            },
        )
    sort = request.args.get("sort", "start")
    sort = sort if sort in SORTS or sort in scale_ids else "start"
    descending = request.args.get("richting", "desc" if sort == "start" else "asc") == "desc"
    return render_template(
        "trainer/compare.html",
        available=available,
        selected=selected,
        wanted=wanted,
        comparison=comparison,
        figure=figure,
        errors=errors,
        start=start,
        end=end,
        table=_sorted_table(rows, sort, descending),
        scale_ids=scale_ids,
        titles=scale_titles(q, select_locale()) if q else {},
        sort=sort,
        descending=descending,
        archived=archived,
    )


# --------------------------------------------------------------------------- exports


def _export_choice() -> tuple[dict, list[str]]:
    choice = {
        "vorm": request.args.get("vorm", "breed"),
        "formaat": request.args.get("formaat", "xlsx"),
        "namen": request.args.get("namen") == "1",
        "bevestig": request.args.get("bevestig") == "1",
    }
    errors = []
    if choice["vorm"] not in FORMS:
        errors.append(_("Kies de lange vorm, de brede vorm of het codeboek."))
    if choice["formaat"] not in FORMATS:
        errors.append(_("Kies CSV of Excel (XLSX)."))
    if choice["namen"] and not choice["bevestig"]:
        errors.append(
            _(
                "Bevestig dat je namen en e-mailadressen nodig hebt, of laat ze weg (gepseudonimiseerd)."
            )
        )
    return choice, errors


def _download(group, q, stem: str, choice: dict, target: tuple[str, int | None]) -> Response:
    vorm, formaat = choice["vorm"], choice["formaat"]
    # The pulse is exported as group figures only: no names to add (reports/promises.py).
    names = choice["namen"] and vorm != "weekpuls"
    # the items of older versions too: their answers are exported under their own ids
    older = [
        found for v in range(1, q.version) if (found := questionnaires.get(q.id, v)) is not None
    ]

    def weeks(group, q, _names):
        return exports.pulse_rows(group, q, min_group(), clock.today())

    makers = {"lang": exports.long_rows, "breed": exports.wide_rows, "weekpuls": weeks}
    dialect = FORMATS[formaat]
    if dialect is not None:
        rows = (
            exports.codebook_rows(q, names, older)
            if vorm == "codeboek"
            else makers[vorm](group, q, names)
        )
        body, mimetype = exports.to_csv(rows, dialect), "text/csv; charset=utf-8"
    else:
        sheets = {} if vorm == "codeboek" else {"Gegevens": makers[vorm](group, q, names)}
        if vorm in ("lang", "breed") and engine_pulse.PULSE in q.moments:
            pulse_weeks = list(weeks(group, q, names))
            if len(pulse_weeks) > 1:  # a header alone: no pulse ran, so no empty sheet
                sheets["Weekpuls"] = iter(pulse_weeks)
        sheets["Codeboek"] = exports.codebook_rows(q, names, older)
        body = exports.to_xlsx(sheets)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    audit.read(
        "export_responses", target[0], target[1], {"form": vorm, "format": formaat, "names": names}
    )
    extension = "xlsx" if dialect is None else "csv"
    filename = f"{stem}-{vorm}{'-met-namen' if names else ''}.{extension}"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/cohorten/<int:cohort_id>/export")
@role_required(*STAFF)
def cohort_export(cohort_id: int):
    """Choose and download the responses of one cohort (CSV or XLSX)."""
    cohort = cohorts.owned_cohort(cohort_id)
    choice, errors = _export_choice()
    if request.args.get("download") and not errors:
        q = questionnaires.get(cohort.questionnaire_id)
        return _download(
            Participant.cohort_id == cohort.id,
            q,
            f"cohort-{cohort.id}",
            choice,
            ("cohort", cohort.id),
        )
    return render_template(
        "trainer/export.html",
        cohort=cohort,
        choice=choice,
        errors=errors if request.args.get("download") else [],
        questionnaire_ids=[],
    )


@bp.get("/export")
@role_required(*STAFF)
def all_export():
    """Choose and download the responses of all own cohorts with one questionnaire."""
    choice, errors = _export_choice()
    ids = cohorts.questionnaire_choices()
    qid = request.args.get("vragenlijst", ids[0] if ids else "")
    if qid not in ids:
        errors.append(_("Kies een vragenlijst."))
    has_cohorts = db.session.scalar(select(Cohort.id).where(cohorts.own_filter()).limit(1))
    if has_cohorts is None:
        # A file with only a header row would look like a broken export.
        return render_template(
            "trainer/export.html", cohort=None, choice=choice, errors=[], no_cohorts=True
        )
    if request.args.get("download") and not errors:
        own = select(Cohort.id).where(cohorts.own_filter(), Cohort.questionnaire_id == qid)
        group = Participant.cohort_id.in_(own)
        return _download(group, questionnaires.get(qid), "alle-cohorten", choice, ("cohorts", None))
    return render_template(
        "trainer/export.html",
        cohort=None,
        choice=choice,
        errors=errors if request.args.get("download") else [],
        questionnaire_ids=ids,
        questionnaire_id=qid,
    )


# --------------------------------------------------------------------------- one participant


@bp.get("/cohorten/<int:cohort_id>/deelnemers/<int:participant_id>/rapport")
@role_required(*STAFF)
def participant_report(cohort_id: int, participant_id: int):
    """One participant's personal report, as they see it; every opening is logged."""
    cohort = cohorts.owned_cohort(cohort_id)
    person = cohorts.owned_participant(cohort, participant_id)
    report = participant_reports.build(person, questionnaires.registry(), select_locale())
    audit.read("view_participant_report", "participant", person.id)
    return render_template(
        "trainer/participant_report.html", cohort=cohort, participant=person, report=report
    )
