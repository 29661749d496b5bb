"""Figures of the manager's organisation report: trend over time, change vs sector, policy gap.

Hidden (suppressed) figures become gaps (None) in the chart and "< min" in the table, so no
chart point rests on fewer participants than the minimum. The figures come rounded from the
releases (organisation/publish.py); the chart data carries them as they are published.
"""

from __future__ import annotations

from flask_babel import gettext as _

from assess.engine import stats
from assess.engine.moments import Moment
from assess.formatting import number
from assess.reports.charts import (
    EXIT,
    INTAKE,
    PALETTE,
    SECTOR,
    Chart,
    Table,
    Trace,
    bar,
    base_layout,
    figure,
    plain,
    scatter,
)
from assess.reports.charts.pulse import share_line
from assess.reports.organisation import publish
from assess.reports.organisation.policy_gap import GapRow
from assess.reports.organisation.privacy import SUPPRESSED_SHORT
from assess.reports.organisation.pulse_trend import Week
from assess.reports.organisation.report import Change, ScaleRow
from assess.reports.organisation.trend import TrendPoint
from assess.survey.labels import moment_name, moment_title


def _num(value: stats.Value | None, locale: str) -> str:
    """A published mean (a whole number on 0-100, publish.py) as the table shows it."""
    return number(float(value), 0, locale) if stats.is_computable(value) else SUPPRESSED_SHORT


def measure_label(measure: str) -> str:
    return {
        "change": _("verandering (nameting min voormeting)"),
        Moment.INTAKE: moment_name(Moment.INTAKE),
        Moment.EXIT: moment_name(Moment.EXIT),
    }[measure]


def measure_axis_title(measure: str) -> str:
    """What the trend chart's y-axis shows: a change in points or a score."""
    if measure == "change":
        return _("verandering in punten (nameting min voormeting)")
    return _("score %(moment)s (0-100)", moment=moment_name(measure))


def trend_figure(
    points: list[TrendPoint], titles: dict[str, str], measure: str, locale: str
) -> Chart:
    """One line per dimension over cohorts or half-years, the sector dashed beside it."""
    traces: list[Trace] = []
    x = [plain(p.group.label) for p in points]
    scale_ids = list(points[0].values) if points else []
    header = [_("Groep")]
    for i, sid in enumerate(scale_ids):
        colour = PALETTE[i % len(PALETTE)]
        own = [p.values[sid].get(measure) for p in points]
        ys = [c.value if c is not None and c.shown else None for c in own]
        traces.append(
            scatter(
                x=x, y=ys, name=plain(titles[sid]), mode="lines+markers", line={"color": colour}
            )
        )
        sector = [p.sector.get(sid, {}).get(measure) for p in points]
        traces.append(
            scatter(
                x=x,
                y=sector,
                name=plain(_("%(scale)s (sector)", scale=titles[sid])),
                mode="lines+markers",
                line={"color": colour, "dash": "dot"},
                marker={"symbol": "circle-open"},
            )
        )
        header += [titles[sid], _("%(scale)s (sector)", scale=titles[sid])]
    layout = base_layout(
        yaxis={
            "title": {"text": plain(measure_axis_title(measure))},
            "rangemode": "tozero" if measure != "change" else "normal",
        },
        xaxis={"type": "category"},
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
    return figure(traces, layout), Table(header, rows)


def change_figure(rows: list[ScaleRow], organisation: str, locale: str) -> Chart:
    """Mean change per dimension with its 95 % interval, the organisation next to the sector."""
    shown = [r for r in rows if r.change.shown]
    names = [plain(r.title) for r in shown]
    traces: list[Trace] = []
    traces.append(_change_bars(names, [r.change.value for r in shown], organisation, INTAKE))
    sectors = [r.sector for r in shown]
    if any(s is not None for s in sectors):
        traces.append(_change_bars(names, sectors, _("Sector"), SECTOR))
    layout = base_layout(
        barmode="group", yaxis={"title": {"text": plain(_("verandering (punten)"))}}
    )
    table_rows = [
        [
            r.title,
            _num(r.change.value.mean_diff if r.change.value else None, locale),
            _num(r.sector.mean_diff, locale) if r.sector else SUPPRESSED_SHORT,
        ]
        for r in shown
    ]
    return figure(traces, layout), Table([_("Thema"), organisation, _("Sector")], table_rows)


def _change_bars(names: list[str], changes: list[Change | None], name: str, colour: str) -> Trace:
    """One bar per dimension with its interval as error bars; a gap where there is no change."""
    values: list[float | None] = []
    plus: list[float | None] = []
    minus: list[float | None] = []
    for change in changes:
        mean = change.mean_diff if change else None
        low = change.ci_low if change else None
        high = change.ci_high if change else None
        if not stats.is_computable(mean):
            values.append(None)
            plus.append(None)
            minus.append(None)
            continue
        values.append(mean)
        # The bounds are published to one decimal; so are their distances to the mean.
        plus.append(publish.tenth(high - mean) if stats.is_computable(high) else None)
        minus.append(publish.tenth(mean - low) if stats.is_computable(low) else None)
    return bar(
        x=names,
        y=values,
        name=plain(name),
        marker={"color": colour},
        error_y={"type": "data", "array": plus, "arrayminus": minus, "visible": True},
    )


def policy_figure(rows: list[GapRow], locale: str) -> Chart:
    """Policy expectation vs consultants' intake and exit, per dimension (0-100)."""
    names = [plain(r.title) for r in rows]
    traces: list[Trace] = []
    traces.append(
        bar(
            x=names,
            y=[r.policy for r in rows],
            name=plain(_("Verwachting")),
            marker={"color": PALETTE[2]},
        )
    )
    has_seen = any(r.seen is not None for r in rows)
    if has_seen:
        traces.append(
            bar(
                x=names,
                y=[r.seen for r in rows],
                name=plain(_("Beeld van managers")),
                marker={"color": PALETTE[3]},
            )
        )
    traces.append(
        bar(
            x=names,
            y=[r.intake for r in rows],
            name=plain(moment_title(Moment.INTAKE)),
            marker={"color": INTAKE},
        )
    )
    traces.append(
        bar(
            x=names,
            y=[r.exit for r in rows],
            name=plain(moment_title(Moment.EXIT)),
            marker={"color": EXIT},
        )
    )
    layout = base_layout(
        barmode="group", yaxis={"title": {"text": plain(_("score 0-100"))}, "range": [0, 100]}
    )
    table = Table(
        [
            _("Thema"),
            _("Verwachting"),
            *([_("Beeld van managers")] if has_seen else []),
            moment_title(Moment.INTAKE),
            moment_title(Moment.EXIT),
        ],
        [
            [
                r.title,
                _num(r.policy, locale),
                *([_num(r.seen, locale)] if has_seen else []),
                _num(r.intake, locale),
                _num(r.exit, locale),
            ]
            for r in rows
        ],
    )
    return figure(traces, layout), table


def pulse_figure(weeks: list[Week], locale: str) -> Chart:
    """The mean planned share per course week; a hidden week keeps its place without a value."""
    labels = [plain(_("week %(n)d", n=w.index)) for w in weeks]
    values = [w.planned.value if w.planned.shown else None for w in weeks]
    name = _("Gepland werk: gemiddelde")
    traces: list[Trace] = []
    traces.append(share_line(labels, values, name, INTAKE))
    layout = base_layout(
        height=300,
        yaxis={
            "range": [0, 100],
            "title": {"text": plain(_("% van de werktijd"))},
            "fixedrange": True,
        },
        xaxis={"type": "category", "fixedrange": True},
    )
    rows: list[list[str | int | float]] = [
        [
            _("week %(n)d", n=w.index),
            str(w.planned.n) if w.planned.shown else SUPPRESSED_SHORT,
            _num(w.planned.value, locale) if w.planned.shown else SUPPRESSED_SHORT,
        ]
        for w in weeks
    ]
    header = [_("Week van de leergang"), _("Antwoorden"), _("Gepland werk: gemiddelde %")]
    return figure(traces, layout), Table(header, rows)
