"""The organisation report as an XLSX workbook: aggregated figures only, formula-safe text.

No names, e-mail addresses, codes or per-participant rows ever go in. Suppressed cells read
"< min"; every text cell that a spreadsheet could read as a formula gets a leading apostrophe.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

from flask_babel import gettext as _
from openpyxl import Workbook

from assess.engine import stats
from assess.engine.moments import Moment
from assess.reports.exports import safe_cell
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


def workbook(organisation: str, report: OrgReport, points: list[TrendPoint], memo: str) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = _("Thema's")
    sheet.append([_("Organisatie"), organisation])
    sheet.append([_("Groep"), report.group.label])
    sheet.append([_("Deelnemers met voor- en nameting"), report.group.n])
    sheet.append([_("Minimale groepsgrootte"), report.minimum])
    sheet.append([_("Gemaakt op"), date.today().isoformat()])
    sheet.append([])
    sheet.append(
        [
            _("Thema"),
            moment_title(Moment.INTAKE),
            moment_title(Moment.EXIT),
            _("Verandering"),
            _("95%-interval laag"),
            _("95%-interval hoog"),
            _("Effectgrootte (d_z)"),
            _("Aandeel betrouwbaar vooruit"),
            _("Sector voormeting"),
            _("Sector nameting"),
            _("Sector verandering"),
            _("Sector aandeel betrouwbaar vooruit"),
        ]
    )
    for row in report.rows:
        s = row.sector
        sheet.append(
            [
                row.title,
                _cell(row.change, "mean_pre"),
                _cell(row.change, "mean_post"),
                _cell(row.change, "mean_diff"),
                _cell(row.change, "ci_low"),
                _cell(row.change, "ci_high"),
                _cell(row.change, "d_z"),
                _cell(row.improved),
                _figure(s.mean_pre) if s else SUPPRESSED_SHORT,
                _figure(s.mean_post) if s else SUPPRESSED_SHORT,
                _figure(s.mean_diff) if s else SUPPRESSED_SHORT,
                _figure(s.share_improved) if s else SUPPRESSED_SHORT,
            ]
        )
    time = wb.create_sheet(_("Tijdsbesteding"))
    time.append(
        [
            _("Soort werk"),
            _("Voormeting %"),
            _("Nameting %"),
            _("Sector voormeting %"),
            _("Sector nameting %"),
        ]
    )
    for time_row in report.time_rows:
        time.append(
            [
                time_row.title,
                _cell(time_row.intake),
                _cell(time_row.exit),
                _figure(time_row.sector_intake),
                _figure(time_row.sector_exit),
            ]
        )
    trend = wb.create_sheet(_("Verloop"))
    trend.append(
        [
            _("Groep"),
            _("Deelnemers"),
            _("Thema"),
            moment_title(Moment.INTAKE),
            moment_title(Moment.EXIT),
            _("Verandering"),
        ]
    )
    titles = {row.scale_id: row.title for row in report.rows}
    for point in points:
        for sid, measures in point.values.items():
            trend.append(
                [point.group.label, point.group.n, titles.get(sid, sid)]
                + [
                    _cell(measures[m]) if m in measures else SUPPRESSED_SHORT
                    for m in (Moment.INTAKE, Moment.EXIT, "change")
                ]
            )
    if memo:
        notes = wb.create_sheet(_("Samenvatting"))
        notes.append([memo])
    for ws in wb.worksheets:
        for cells in ws.iter_rows():
            for c in cells:
                c.value = safe_cell(c.value)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
