"""Managers: aggregated, privacy-safe reports of their own organisation and the beleidsscan."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assess.db import db
from assess.manager import bp, pages, policy_scan
from assess.models import Role
from assess.reports.organisation import export as org_export
from assess.web import audit
from assess.web.access import managed_organisation, role_required


@bp.context_processor
def figures():
    return {"figure": pages.figure, "size": pages.size, "reliable": pages.reliable}


@bp.get("/")
@role_required(Role.MANAGER)
def index():
    """The manager's organisation report, next to the sector."""
    organisation = managed_organisation()
    page = pages.build(organisation, request.args)
    audit.read("org_report_viewed", "organisation", organisation.id, {"group": page.group_key})
    return render_template("manager/index.html", page=page)


@bp.get("/rapportage.xlsx")
@role_required(Role.MANAGER)
def export():
    """The report's aggregated figures as an XLSX download."""
    organisation = managed_organisation()
    page = pages.build(organisation, request.args)
    if page.report is None:
        flash(page.refused, "warning")
        return redirect(url_for("manager.index"))
    data = org_export.workbook(
        organisation.name, page.report, page.trend, page.memo, page.reliability
    )
    audit.read("org_report_exported", "organisation", organisation.id, {"group": page.group_key})
    response = make_response(data)
    response.headers["Content-Type"] = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response.headers["Content-Disposition"] = 'attachment; filename="rapportage-leergang.xlsx"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/beleid")
@role_required(Role.MANAGER)
def policy():
    """Policy vs work floor: the beleidsscan next to the consultants' intake and exit."""
    organisation = managed_organisation()
    page = pages.build_gap(organisation)
    mine = policy_scan.own_response(current_user.id)
    audit.read("policy_gap_viewed", "organisation", organisation.id)
    return render_template("manager/policy.html", page=page, mine=mine)


@bp.route("/beleidsscan", methods=["GET", "POST"])
@role_required(Role.MANAGER)
def policy_scan_form():
    """Fill in (or revise) the beleidsscan."""
    managed_organisation()
    q = policy_scan.questionnaire()
    response = policy_scan.own_response(current_user.id)
    form = policy_scan.ScanForm(q, response)
    if form.validate_on_submit():
        policy_scan.save(q, current_user.id, form)
        audit.record("policy_scan_submitted", "user", current_user.id)
        db.session.commit()
        flash(_("Dank u wel. Uw beleidsscan is opgeslagen."), "success")
        return redirect(url_for("manager.policy"))
    return render_template("manager/policy_scan.html", form=form, q=q, response=response)
