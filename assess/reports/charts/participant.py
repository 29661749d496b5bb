"""The personal report's charts: scores per dimension across moments, and the working week.

Each builder returns a Chart (the figure as a JSON-ready dict and its Table) for the `chart()`
macro, or None when there is nothing to draw.
"""

from __future__ import annotations

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
    Trace,
    bar,
    base_layout,
    figure,
    plain,
    scatter,
)
from assess.reports.participant import Cell, PersonalReport

COLOURS = {Moment.INTAKE: INTAKE, "then": THEN, Moment.EXIT: EXIT, Moment.FOLLOWUP: FOLLOWUP}
SYMBOLS = {
    Moment.INTAKE: "circle",
    "then": "circle-open",
    Moment.EXIT: "diamond",
    Moment.FOLLOWUP: "square",
}


# Vertical distance between the moments of one dimension, in rows: equal scores at two moments
# sit one above the other instead of hiding each other. The moments sit a little below the
# row's middle, leaving its top for the dimension's name (on a phone a low score's marker
# would otherwise touch it).
MOMENT_OFFSET = 0.2
BELOW_NAME = 0.1
ROW_PX = 130  # height of one dimension's row: room for its name and up to four moments


def dimensions(report: PersonalReport) -> Chart | None:
    """Every moment's 0-100 score per dimension, each moment on its own line within the
    dimension's row, with its value written next to the marker and the moments joined by a
    thin line. Dimension names sit above their row (not beside the axis), so on a 390 px phone
    the plot keeps the full width; the legend sits below the axis title."""
    if not report.scales or not report.columns:
        return None
    n = len(report.scales)
    keys = [key for key, _label in report.columns]
    # Row 0 at the top; within a row the first moment on top.
    centre = {k: (len(keys) - 1) / 2 - j for j, k in enumerate(keys)}

    def y(row: int, key: str) -> float:
        return round(n - 1 - row - BELOW_NAME + MOMENT_OFFSET * centre[key], 3)

    traces: list[Trace] = []
    for row, scale in enumerate(report.scales):
        path = [
            (round(cell.pomp, 1), y(row, key))
            for key in keys
            if (cell := scale.line.cells.get(key)) and cell.ok and cell.pomp is not None
        ]
        if len(path) > 1:
            traces.append(
                scatter(
                    x=[p[0] for p in path],
                    y=[p[1] for p in path],
                    mode="lines",
                    line={"color": "#c9d1dc", "width": 3},
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
    for key, label in report.columns:
        xs, ys, texts, names = [], [], [], []
        for row, scale in enumerate(report.scales):
            cell = scale.line.cells.get(key)
            if cell and cell.ok and cell.pomp is not None:
                xs.append(round(cell.pomp, 1))
                ys.append(y(row, key))
                texts.append(number(cell.pomp, 0, report.lang))
                names.append(plain(scale.line.title))
        traces.append(
            scatter(
                x=xs,
                y=ys,
                name=plain(label),
                mode="markers+text",
                text=texts,
                # The value beside its marker, on the side with room.
                textposition=["middle left" if x > 85 else "middle right" for x in xs],
                textfont={"size": 13, "color": "#1c2430"},
                customdata=names,
                marker={
                    "size": 13,
                    "color": COLOURS[key],
                    "symbol": SYMBOLS[key],
                    "line": {"width": 2, "color": COLOURS[key]},
                },
                hovertemplate="%{customdata}: %{x:.0f}<extra>" + plain(label) + "</extra>",
            )
        )
    names_above = [
        {
            "x": 0,
            "xref": "paper",
            "xanchor": "left",
            "y": n - 1 - row + 0.5,
            "yanchor": "top",
            "text": plain(scale.line.title),
            "showarrow": False,
            "font": {"size": 14, "weight": "bold"},
        }
        for row, scale in enumerate(report.scales)
    ]
    plot_px = ROW_PX * n
    bottom = 140  # tick labels, the axis title, then the legend (two lines on a phone)
    layout = base_layout(
        height=plot_px + bottom + 10,
        xaxis={
            "range": [-2, 102],
            "title": {"text": plain(_("Score (0–100)")), "standoff": 8},
            "dtick": 20,
            "zeroline": False,
        },
        yaxis={
            "range": [-0.5, n - 0.5],
            "showticklabels": False,
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
        },
        annotations=names_above,
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": -70 / plot_px,
            "yanchor": "top",
        },
        margin={"l": 10, "r": 10, "t": 10, "b": bottom},
    )
    header = [_("Dimensie")] + [label for _key, label in report.columns]
    rows = [
        [scale.line.title]
        + [_cell_text(scale.line.cells.get(key), report.lang) for key, _l in report.columns]
        for scale in report.scales
    ]
    return figure(traces, layout), Table(header, rows)


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
    traces: list[Trace] = []
    for n, moment in enumerate(moments):
        colour = COLOURS.get(moment.moment, PALETTE[n % len(PALETTE)])
        traces.append(
            bar(
                x=[v for _l, v in moment.time_allocation],
                y=[plain(label) for label, _v in moment.time_allocation],
                name=plain(moment.title),
                orientation="h",
                marker={"color": colour},
                hovertemplate="%{y}: %{x:.0f}%<extra>" + plain(moment.title) + "</extra>",
            )
        )
    layout = base_layout(
        barmode="group",
        height=140 + 60 * len(labels) * max(1, len(moments)) // 2,
        xaxis={
            "range": [0, 100],
            "title": {"text": plain(_("% van je werkweek"))},
            "ticksuffix": "%",
        },
        yaxis={"categoryorder": "array", "categoryarray": list(reversed(labels))},
        margin={"l": 190, "r": 15, "t": 20, "b": 40},
    )
    header = [_("Soort werk")] + [m.title for m in moments]
    rows = []
    for k, (label, _v) in enumerate(moments[0].time_allocation):
        row = [label]
        for moment in moments:
            value = moment.time_allocation[k][1] if k < len(moment.time_allocation) else None
            row.append("–" if value is None else f"{number(value, 0, report.lang)} %")
        rows.append(row)
    return figure(traces, layout), Table(header, rows)
