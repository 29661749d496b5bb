"""Figures of the manager's organisation report: trend over time, change vs sector, policy gap.

Hidden (suppressed) figures become gaps (None) in the chart and "< min" in the table, so no
chart point rests on fewer participants than the minimum.
"""

from __future__ import annotations

import plotly.graph_objects as go
from flask_babel import gettext as _

from assess.engine import stats
from assess.formatting import number
from assess.reports.charts import EXIT, INTAKE, PALETTE, SECTOR, base_layout, to_json
from assess.reports.organisation.policy_gap import GapRow
from assess.reports.organisation.privacy import SUPPRESSED_SHORT
from assess.reports.organisation.report import ScaleRow
from assess.reports.organisation.trend import TrendPoint


def _num(value, locale: str) -> str:
    return number(float(value), 1, locale) if stats.is_computable(value) else SUPPRESSED_SHORT


def measure_label(measure: str) -> str:
    return {
        "change": _("verandering (nameting min voormeting)"),
        "intake": _("voormeting"),
        "exit": _("nameting"),
    }[measure]


def trend_figure(
    points: list[TrendPoint], titles: dict[str, str], measure: str, locale: str
) -> tuple[dict, dict]:
    """One line per dimension over cohorts or half-years, the sector dashed beside it."""
    fig = go.Figure()
    x = [p.group.label for p in points]
    scale_ids = list(points[0].values) if points else []
    header = [_("Groep")]
    for i, sid in enumerate(scale_ids):
        colour = PALETTE[i % len(PALETTE)]
        own = [p.values[sid].get(measure) for p in points]
        ys = [c.value if c is not None and c.shown else None for c in own]
        fig.add_trace(
            go.Scatter(x=x, y=ys, name=titles[sid], mode="lines+markers", line={"color": colour})
        )
        sector = [p.sector.get(sid, {}).get(measure) for p in points]
        fig.add_trace(
            go.Scatter(
                x=x,
                y=sector,
                name=_("%(scale)s (sector)", scale=titles[sid]),
                mode="lines+markers",
                line={"color": colour, "dash": "dot"},
                marker={"symbol": "circle-open"},
            )
        )
        header += [titles[sid], _("%(scale)s (sector)", scale=titles[sid])]
    fig.update_layout(
        base_layout(
            yaxis={
                "title": _("score 0-100"),
                "rangemode": "tozero" if measure != "change" else "normal",
            },
            xaxis={"type": "category"},
        )
    )
    rows = []
    for p in points:
        row = [f"{p.group.label} (n = {p.group.n})"]
        for sid in scale_ids:
            cell = p.values[sid].get(measure)
            row.append(
                _num(cell.value, locale) if cell is not None and cell.shown else SUPPRESSED_SHORT
            )
            row.append(_num(p.sector.get(sid, {}).get(measure), locale))
        rows.append(row)
    return to_json(fig), {"header": header, "rows": rows}


def change_figure(rows: list[ScaleRow], organisation: str, locale: str) -> tuple[dict, dict]:
    """Mean change per dimension with its 95 % interval, the organisation next to the sector."""
    shown = [r for r in rows if r.change.shown]
    fig = go.Figure()
    names = [r.title for r in shown]

    def bars(values, lows, highs, name, colour):
        plus = [
            h - v if stats.is_computable(h) else None for v, h in zip(values, highs, strict=True)
        ]
        minus = [
            v - lo if stats.is_computable(lo) else None for v, lo in zip(values, lows, strict=True)
        ]
        fig.add_trace(
            go.Bar(
                x=names,
                y=values,
                name=name,
                marker={"color": colour},
                error_y={"type": "data", "array": plus, "arrayminus": minus, "visible": True},
            )
        )

    own = [r.change.value for r in shown]
    bars(
        [c.mean_diff if stats.is_computable(c.mean_diff) else None for c in own],
        [c.ci_low for c in own],
        [c.ci_high for c in own],
        organisation,
        INTAKE,
    )
    sectors = [r.sector for r in shown]
    if any(s is not None for s in sectors):
        bars(
            [s.mean_diff if s and stats.is_computable(s.mean_diff) else None for s in sectors],
            [s.ci_low if s else None for s in sectors],
            [s.ci_high if s else None for s in sectors],
            _("Sector"),
            SECTOR,
        )
    fig.update_layout(base_layout(barmode="group", yaxis={"title": _("verandering (punten)")}))
    table_rows = [
        [
            r.title,
            _num(r.change.value.mean_diff, locale),
            _num(r.sector.mean_diff, locale) if r.sector else SUPPRESSED_SHORT,
        ]
        for r in shown
    ]
    return to_json(fig), {"header": [_("Thema"), organisation, _("Sector")], "rows": table_rows}


def policy_figure(rows: list[GapRow], locale: str) -> tuple[dict, dict]:
    """Policy expectation vs consultants' intake and exit, per dimension (0-100)."""
    names = [r.title for r in rows]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(x=names, y=[r.policy for r in rows], name=_("Beleid"), marker={"color": PALETTE[2]})
    )
    fig.add_trace(
        go.Bar(x=names, y=[r.intake for r in rows], name=_("Voormeting"), marker={"color": INTAKE})
    )
    fig.add_trace(
        go.Bar(x=names, y=[r.exit for r in rows], name=_("Nameting"), marker={"color": EXIT})
    )
    fig.update_layout(
        base_layout(barmode="group", yaxis={"title": _("score 0-100"), "range": [0, 100]})
    )
    table = {
        "header": [_("Thema"), _("Beleid"), _("Voormeting"), _("Nameting")],
        "rows": [
            [r.title, _num(r.policy, locale), _num(r.intake, locale), _num(r.exit, locale)]
            for r in rows
        ],
    }
    return to_json(fig), table
