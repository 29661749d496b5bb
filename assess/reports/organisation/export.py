"""The organisation report as an XLSX workbook: aggregated figures only, formula-safe text.

No names, e-mail addresses, codes or per-participant rows ever go in. The figures are the
released ones, rounded as published (organisation/publish.py). Suppressed cells read "< min";
every text cell that a spreadsheet could read as a formula gets a leading apostrophe.
"""

from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO

from flask_babel import gettext as _
from openpyxl import Workbook

from assess.engine import claims, stats
from assess.engine.moments import Moment
from assess.reports.exports import append_row
from assess.reports.organisation.privacy import SUPPRESSED_SHORT, Cell
from assess.reports.organisation.report import OrgReport
from assess.reports.organisation.trend import TrendPoint
from assess.survey.labels import moment_title


def _figure(value: object) -> float | str:
    return round(float(value), 2) if stats.is_computable(value) else SUPPRESSED_SHORT


def _cell(cell: Cell[object], attribute: str | None = None) -> float | str:
    if not cell.shown:
        return SUPPRESSED_SHORT
    value = getattr(cell.value, attribute) if attribute else cell.value
    return _figure(value)


def workbook(
    organisation: str,
    report: OrgReport,
    points: list[TrendPoint],
    memo: str,
    reliability: Mapping[str, stats.Value] | None = None,
) -> bytes:
    """The workbook; `reliability` is the alpha per scale the reliable-change shares rest on:
    a share is left out (and says why) unless that alpha is at least .70 (claims.py)."""
    reliability = reliability or {}
    wb = Workbook()
    sheet = wb.active
    sheet.title = _("Thema's")
    append_row(sheet, [_("Organisatie"), organisation])
    append_row(sheet, [_("Groep"), report.group.label])
    append_row(sheet, [_("Deelnemers met voor- en nameting"), report.group.n])
    append_row(sheet, [_("Minimale groepsgrootte"), report.minimum])
    # The release's date, not today's: between releases the workbook stays the same.
    updated = report.updated.date().isoformat() if report.updated else ""
    append_row(sheet, [_("Cijfers bijgewerkt op"), updated])
    append_row(sheet, [])
    append_row(
        sheet,
        [
            _("Thema"),
            moment_title(Moment.INTAKE),
            moment_title(Moment.EXIT),
            _("Verandering"),
            _("95%-interval laag"),
            _("95%-interval hoog"),
            _("Gestandaardiseerde verandering (g_av, Hedges met correctie van Lakens 2013)"),
            _("d_z (verandering / SD van de veranderingen)"),
            _("Aandeel betrouwbaar vooruit"),
            _("Alfa waarop betrouwbaar vooruit rust"),
            _("Sector voormeting"),
            _("Sector nameting"),
            _("Sector verandering"),
            _("Sector aandeel betrouwbaar vooruit"),
        ],
    )
    for row in report.rows:
        s = row.sector
        alpha = reliability.get(row.scale_id)
        reliable = claims.reliable_enough(alpha)
        not_shown = _("niet getoond: alfa onder 0,70")
        append_row(
            sheet,
            [
                row.title,
                _cell(row.change, "mean_pre"),
                _cell(row.change, "mean_post"),
                _cell(row.change, "mean_diff"),
                _cell(row.change, "ci_low"),
                _cell(row.change, "ci_high"),
                _cell(row.change, "g_av"),
                _cell(row.change, "d_z"),
                _cell(row.improved) if reliable else not_shown,
                _figure(alpha),
                _figure(s.mean_pre) if s else SUPPRESSED_SHORT,
                _figure(s.mean_post) if s else SUPPRESSED_SHORT,
                _figure(s.mean_diff) if s else SUPPRESSED_SHORT,
                (_figure(s.share_improved) if reliable else not_shown) if s else SUPPRESSED_SHORT,
            ],
        )
    time = wb.create_sheet(_("Tijdsbesteding"))
    append_row(
        time,
        [
            _("Soort werk"),
            _("Voormeting %"),
            _("Nameting %"),
            _("Sector voormeting %"),
            _("Sector nameting %"),
        ],
    )
    for time_row in report.time_rows:
        append_row(
            time,
            [
                time_row.title,
                _cell(time_row.intake),
                _cell(time_row.exit),
                _figure(time_row.sector_intake),
                _figure(time_row.sector_exit),
            ],
        )
    trend = wb.create_sheet(_("Verloop"))
    append_row(
        trend,
        [
            _("Groep"),
            _("Deelnemers"),
            _("Thema"),
            moment_title(Moment.INTAKE),
            moment_title(Moment.EXIT),
            _("Verandering"),
        ],
    )
    titles = {row.scale_id: row.title for row in report.rows}
    for point in points:
        for sid, measures in point.values.items():
            append_row(
                trend,
                [point.group.label, point.group.n, titles.get(sid, sid)]
                + [
                    _cell(measures[m]) if m in measures else SUPPRESSED_SHORT
                    for m in (Moment.INTAKE, Moment.EXIT, "change")
                ],
            )
    if memo:
        notes = wb.create_sheet(_("Samenvatting"))
        append_row(notes, [memo])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
