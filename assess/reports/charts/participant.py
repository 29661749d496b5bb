"""The personal report's charts: scores per dimension across moments, and the working week.

Each builder returns a Chart (the figure as a JSON-ready dict and its Table) for the `chart()`
macro, or None when there is nothing to draw.
"""

from __future__ import annotations

import plotly.graph_objects as go
from flask_babel import gettext as _

from assess.engine.moments import Moment
from assess.formatting import number
from assess.reports.charts import (
    EXIT,
    FOLLOWUP,
    INTAKE,
    PALETTE,
    THEN,
    Chart,
    Table,
    base_layout,
    plain,
    to_json,
)
from assess.reports.participant import Cell, PersonalReport

COLOURS = {Moment.INTAKE: INTAKE, "then": THEN, Moment.EXIT: EXIT, Moment.FOLLOWUP: FOLLOWUP}
SYMBOLS = {
    Moment.INTAKE: "circle",
    "then": "circle-open",
    Moment.EXIT: "diamond",
    Moment.FOLLOWUP: "square",
}


def dimensions(report: PersonalReport) -> Chart | None:
    """A dumbbell per dimension: every moment's 0-100 score on one line, joined by a bar."""
    if not report.scales or not report.columns:
        return None
    names = [plain(s.line.title) for s in report.scales]
    fig = go.Figure()
    for scale in report.scales:
        values = [c.pomp for c in scale.line.cells.values() if c.ok and c.pomp is not None]
        if len(values) > 1:
            fig.add_trace(
                go.Scatter(
                    x=[min(values), max(values)],
                    y=[plain(scale.line.title)] * 2,
                    mode="lines",
                    line={"color": "#c9d1dc", "width": 6},
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
    for key, label in report.columns:
        xs, ys = [], []
        for scale in report.scales:
            cell = scale.line.cells.get(key)
            if cell and cell.ok and cell.pomp is not None:
                xs.append(round(cell.pomp, 1))
                ys.append(plain(scale.line.title))
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                name=plain(label),
                mode="markers",
                marker={
                    "size": 14,
                    "color": COLOURS[key],
                    "symbol": SYMBOLS[key],
                    "line": {"width": 2, "color": COLOURS[key]},
                },
                hovertemplate="%{y}: %{x:.0f}<extra>" + plain(label) + "</extra>",
            )
        )
    fig.update_layout(
        base_layout(
            height=120 + 70 * len(names),
            xaxis={"range": [0, 100], "title": plain(_("Score (0–100)")), "dtick": 20},
            yaxis={"categoryorder": "array", "categoryarray": list(reversed(names))},
            margin={"l": 130, "r": 15, "t": 20, "b": 40},
        )
    )
    header = [_("Dimensie")] + [label for _key, label in report.columns]
    rows = [
        [scale.line.title]
        + [_cell_text(scale.line.cells.get(key), report.lang) for key, _l in report.columns]
        for scale in report.scales
    ]
    return to_json(fig), Table(header, rows)


def _cell_text(cell: Cell | None, locale: str) -> str:
    if cell is None:
        return "–"
    if not cell.ok or cell.pomp is None:
        return _("onvoldoende ingevuld")
    return number(cell.pomp, 0, locale)


def time_allocation(report: PersonalReport) -> Chart | None:
    """Share of the working week per kind of work, one bar group per moment."""
    moments = [m for m in report.moments if any(v is not None for _l, v in m.time_allocation)]
    if not moments:
        return None
    labels = [plain(label) for label, _v in moments[0].time_allocation]
    fig = go.Figure()
    for n, moment in enumerate(moments):
        colour = COLOURS.get(moment.moment, PALETTE[n % len(PALETTE)])
        fig.add_trace(
            go.Bar(
                x=[v for _l, v in moment.time_allocation],
                y=[plain(label) for label, _v in moment.time_allocation],
                name=plain(moment.title),
                orientation="h",
                marker={"color": colour},
                hovertemplate="%{y}: %{x:.0f}%<extra>" + plain(moment.title) + "</extra>",
            )
        )
    fig.update_layout(
        base_layout(
            barmode="group",
            height=140 + 60 * len(labels) * max(1, len(moments)) // 2,
            xaxis={"range": [0, 100], "title": plain(_("% van je werkweek")), "ticksuffix": "%"},
            yaxis={"categoryorder": "array", "categoryarray": list(reversed(labels))},
            margin={"l": 190, "r": 15, "t": 20, "b": 40},
        )
    )
    header = [_("Soort werk")] + [m.title for m in moments]
    rows = []
    for k, (label, _v) in enumerate(moments[0].time_allocation):
        row = [label]
        for moment in moments:
            value = moment.time_allocation[k][1] if k < len(moment.time_allocation) else None
            row.append("–" if value is None else f"{number(value, 0, report.lang)} %")
        rows.append(row)
    return to_json(fig), Table(header, rows)
