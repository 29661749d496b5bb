"""Figures for the trainer: one cohort in depth, and cohorts side by side.

Each function returns a Chart (the figure as a JSON-ready dict and its Table) for the `chart()`
macro.
Participants appear only by their pseudonym code, never by name.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from assess.engine import stats
from assess.engine.moments import Moment
from assess.formatting import figure as figure_text
from assess.reports.charts import (
    EXIT,
    INTAKE,
    PALETTE,
    THEN,
    Chart,
    Table,
    Trace,
    bar,
    base_layout,
    box,
    figure,
    page_locale,
    plain,
    scatter,
    wrap_label,
)
from assess.reports.cohort import Comparison, ScaleReport, SjtScenario, TimeShift
from assess.survey.labels import moment_title


def _f(value: stats.Value | None, decimals: int = 1) -> str:
    return figure_text(value, decimals, page_locale())


def _wrap(text: str, width: int = 14) -> str:
    """Break a long label over lines, so the plot keeps its width on a phone; each line
    passes through plain(), so only our own <br> is markup."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(plain(line) for line in lines)


def _pomp_axis(**extra: object) -> dict[str, object]:
    return {
        "range": [-2, 102],
        "title": {"text": plain(_("score (0–100)"))},
        "zeroline": False,
        **extra,
    }


def distributions(scales: Sequence[ScaleReport]) -> Chart:
    """Box plots with every participant as a dot: intake, retrospective 'then' and exit."""
    traces = []
    series = (
        (moment_title(Moment.INTAKE), Moment.INTAKE, INTAKE),
        (_("Terugblik (toen)"), "then", THEN),
        (moment_title(Moment.EXIT), Moment.EXIT, EXIT),
    )
    for label, attr, colour in series:
        xs, ys = [], []
        for s in scales:
            values = getattr(s, attr)
            ys.extend([_wrap(s.title)] * len(values))
            xs.extend(values)
        # Horizontal, so long Dutch scale names stay readable on a phone.
        traces.append(
            box(
                x=xs,
                y=ys,
                orientation="h",
                name=plain(label),
                marker={"color": colour, "size": 5},
                line={"color": colour},
                boxpoints="all",
                jitter=0.4,
                pointpos=0,
                hoverinfo="x+name",
            )
        )
    layout = base_layout(
        boxmode="group",
        height=140 + 120 * len(scales),
        xaxis=_pomp_axis(),
        yaxis={"automargin": True, "autorange": "reversed"},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        margin={"l": 10, "r": 10, "t": 40, "b": 50},
    )
    header = [
        _("Schaal"),
        _("Voormeting n"),
        _("Voormeting gem."),
        _("Toen gem."),
        _("Nameting n"),
        _("Nameting gem."),
    ]
    rows: list[list[str | int | float]] = [
        [
            s.title,
            s.intake_desc.n,
            _f(s.intake_desc.mean),
            _f(s.then_desc.mean),
            s.exit_desc.n,
            _f(s.exit_desc.mean),
        ]
        for s in scales
    ]
    return figure(traces, layout), Table(header, rows)


def slope(scale: ScaleReport) -> Chart:
    """Every participant's line from intake to exit (by code), with the mean in bold."""
    xs: list[str | None] = []
    ys: list[float | None] = []
    text: list[str | None] = []
    before, after = plain(moment_title(Moment.INTAKE)), plain(moment_title(Moment.EXIT))
    for code, a, b in scale.slope:
        xs.extend([before, after, None])
        ys.extend([a, b, None])
        text.extend([plain(code), plain(code), None])
    traces = [
        scatter(
            x=xs,
            y=ys,
            text=text,
            mode="lines+markers",
            name=plain(_("Deelnemer (code)")),
            line={"color": "rgba(0,114,178,0.45)", "width": 1.5},
            marker={"size": 6, "color": INTAKE},
            hovertemplate="%{text}: %{y:.1f}<extra></extra>",
            connectgaps=False,
        )
    ]
    change = scale.change
    if stats.is_computable(change.mean_pre) and stats.is_computable(change.mean_post):
        traces.append(
            scatter(
                x=[before, after],
                y=[change.mean_pre, change.mean_post],
                mode="lines+markers",
                name=plain(_("Gemiddelde")),
                line={"color": EXIT, "width": 4},
                marker={"size": 10, "color": EXIT},
            )
        )
    rows: list[list[str | int | float]] = [
        [code, _f(a), _f(b), _f(b - a)] for code, a, b in scale.slope
    ]
    return figure(traces, base_layout(height=360, yaxis=_pomp_axis())), Table(
        [_("Code"), moment_title(Moment.INTAKE), moment_title(Moment.EXIT), _("Verandering")], rows
    )


def _forest_trace(
    name: str,
    titles: list[str],
    changes: Sequence[stats.PairedChange],
    colour: str,
) -> Trace:
    xs: list[float | None] = []
    lo: list[float] = []
    hi: list[float] = []
    for c in changes:
        mean, low, high = c.mean_diff, c.ci_low, c.ci_high
        xs.append(mean if stats.is_computable(mean) else None)
        if stats.is_computable(mean) and stats.is_computable(low) and stats.is_computable(high):
            lo.append(mean - low)
            hi.append(high - mean)
        else:
            lo.append(0)
            hi.append(0)
    return scatter(
        x=xs,
        y=titles,
        name=plain(name),
        mode="markers",
        orientation="h",
        marker={"size": 10, "color": colour},
        error_x={
            "type": "data",
            "symmetric": False,
            "array": hi,
            "arrayminus": lo,
            "color": colour,
        },
        hovertemplate="%{y}: %{x:.1f}<extra>" + plain(name) + "</extra>",
    )


# An interval from fewer pairs than this does not set the axis: it would squash the others.
FOREST_MIN_PAIRS = 5


def _forest_range(changes: Sequence[stats.PairedChange]) -> list[float] | None:
    """The x-axis range that shows the intervals of the groups with enough pairs, or None when
    no interval has to be cut off (plotly's own range is then fine)."""

    def ends(c: stats.PairedChange) -> list[float]:
        return [float(v) for v in (c.ci_low, c.ci_high, c.mean_diff) if stats.is_computable(v)]

    solid = [v for c in changes if c.n >= FOREST_MIN_PAIRS for v in ends(c)]
    every = [v for c in changes for v in ends(c)]
    if not solid or not every or (min(every) >= min(solid) and max(every) <= max(solid)):
        return None
    pad = max(2.0, (max(solid) - min(solid)) * 0.1)
    return [min(min(solid), 0.0) - pad, max(max(solid), 0.0) + pad]


def _forest_layout(n_rows: int, changes: Sequence[stats.PairedChange] = ()) -> dict[str, object]:
    xaxis: dict[str, object] = {
        "title": {"text": plain(_("verandering in punten (0 = geen verandering)"))},
        "zeroline": True,
        "zerolinewidth": 2,
        "zerolinecolor": "#444",
    }
    annotations = []
    clipped = _forest_range(changes)
    if clipped is not None:
        xaxis["range"] = clipped
        annotations.append(
            {
                "text": _(
                    "Intervallen van groepjes kleiner dan %(n)s lopen door buiten de grafiek.",
                    n=FOREST_MIN_PAIRS,
                ),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 1.0,
                "yanchor": "bottom",
                "xanchor": "left",
                "showarrow": False,
                "font": {"size": 12},
            }
        )
    return base_layout(
        height=150 + 52 * n_rows,
        scattermode="group",
        xaxis=xaxis,
        yaxis={"autorange": "reversed", "automargin": True},
        # The legend above the plot, so it never covers the axis title below it.
        legend={"orientation": "h", "x": 0, "y": 1.08 if annotations else 1.0, "yanchor": "bottom"},
        annotations=annotations,
        margin={"l": 10, "r": 10, "t": 70, "b": 60},
    )


def change_forest(scales: Sequence[ScaleReport]) -> Chart:
    """Mean change per scale and sub-scale with its 95 % interval (one cohort)."""
    # Sub-scales indented under their scale, the scales in bold: not twelve equal rows.
    titles = [
        "\u2003↳ " + _wrap(s.title, 22).replace("<br>", "<br>\u2003\u2003")
        if s.is_sub
        else "<b>" + _wrap(s.title) + "</b>"
        for s in scales
    ]
    changes = [s.change for s in scales]
    traces = [_forest_trace(_("Verandering"), titles, changes, INTAKE)]
    rows: list[list[str | int | float]] = [
        [
            s.title,
            s.change.n,
            _f(s.change.mean_diff),
            f"{_f(s.change.ci_low)} – {_f(s.change.ci_high)}",
        ]
        for s in scales
    ]
    return figure(traces, _forest_layout(len(scales), changes)), Table(
        [_("Schaal"), "n", _("Verandering"), _("95%-interval")], rows
    )


def comparison_forest(comparison: Comparison) -> Chart:
    """Change per scale for each chosen cohort, side by side with intervals."""
    titles = [_wrap(comparison.titles[s]) for s in comparison.scale_ids]
    table_titles = [comparison.titles[s] for s in comparison.scale_ids]
    empty = stats.paired_change([], [])
    traces = []
    rows: list[list[str | int | float]] = []
    for index, cohort in enumerate(comparison.cohorts):
        changes = [comparison.changes[cohort.id].get(s, empty) for s in comparison.scale_ids]
        traces.append(_forest_trace(cohort.name, titles, changes, PALETTE[index % len(PALETTE)]))
        for title, c in zip(table_titles, changes, strict=True):
            rows.append(
                [title, cohort.name, c.n, _f(c.mean_diff), f"{_f(c.ci_low)} – {_f(c.ci_high)}"]
            )
    every = [c for cid in comparison.changes for c in comparison.changes[cid].values()]
    layout = _forest_layout(len(titles) * max(1, (len(comparison.cohorts) + 1) // 2), every)
    header = [_("Schaal"), _("Cohort"), "n", _("Verandering"), _("95%-interval")]
    return figure(traces, layout), Table(header, rows)


def sjt(scenario: SjtScenario) -> Chart:
    """Share of participants choosing each option at intake and exit; the experts' best marked."""
    # The options by their words (the survey never showed letters), wrapped, bars sideways.
    labels = [wrap_label(o["label"] + (" ★" if o["best"] else ""), 28) for o in scenario["options"]]
    traces: list[Trace] = []
    for label, moment, colour in (
        (moment_title(Moment.INTAKE), Moment.INTAKE, INTAKE),
        (moment_title(Moment.EXIT), Moment.EXIT, EXIT),
    ):
        traces.append(
            bar(
                y=labels,
                x=[(o["share"][moment] or 0) * 100 for o in scenario["options"]],
                name=plain(label),
                orientation="h",
                marker={"color": colour},
                hovertemplate="%{x:.0f}%<extra>" + plain(label) + "</extra>",
            )
        )
    layout = base_layout(
        barmode="group",
        height=140 + 75 * len(labels),
        margin={"l": 10, "r": 10, "t": 30, "b": 60},
        xaxis={"range": [0, 100], "title": {"text": plain(_("% van de deelnemers"))}},
        yaxis={"automargin": True, "autorange": "reversed"},
        legend={"orientation": "h", "y": -0.15, "yanchor": "top"},
    )
    rows: list[list[str | int | float]] = [
        [
            o["value"] + (" ★" if o["best"] else ""),
            o["label"],
            o["effectiveness"],
            o["n"][Moment.INTAKE],
            o["n"][Moment.EXIT],
        ]
        for o in scenario["options"]
    ]
    header = [
        _("Antwoord"),
        _("Omschrijving"),
        _("Effectiviteit (volgens de trainers)"),
        moment_title(Moment.INTAKE),
        moment_title(Moment.EXIT),
    ]
    return figure(traces, layout), Table(header, rows)


def time_allocation(items: Sequence[TimeShift]) -> Chart:
    """Mean share of the working week per kind of work, intake next to exit."""
    traces: list[Trace] = []
    labels = [wrap_label(i["label"], 16) for i in items]
    for label, means, colour in (
        (moment_title(Moment.INTAKE), [i["intake"][0] for i in items], INTAKE),
        (moment_title(Moment.EXIT), [i["exit"][0] for i in items], EXIT),
    ):
        traces.append(
            bar(
                y=labels,
                x=means,
                name=plain(label),
                orientation="h",
                marker={"color": colour},
                hovertemplate="%{x:.0f}%<extra>" + plain(label) + "</extra>",
            )
        )
    layout = base_layout(
        barmode="group",
        # Each row as tall as its wrapped label (about 15 px a line at 12 px type), so the
        # long labels of version 2 do not run into each other on a phone.
        height=160 + sum(max(70, 15 * (label.count("<br>") + 1) + 25) for label in labels),
        margin={"l": 10, "r": 10, "t": 30, "b": 70},
        xaxis={
            "title": {
                "text": plain(_("% van de werkweek")),
                "standoff": 8,
                "font": {"size": 13},
            },
            "range": [0, 100],
            "automargin": True,
        },
        yaxis={"automargin": True, "autorange": "reversed", "tickfont": {"size": 12}},
        legend={"orientation": "h", "y": -0.12, "yanchor": "top"},
    )
    rows: list[list[str | int | float]] = [
        [
            i["label"],
            _f(i["intake"][0]),
            i["intake"][1],
            _f(i["exit"][0]),
            i["exit"][1],
        ]
        for i in items
    ]
    header = [_("Soort werk"), _("Voormeting %"), "n", _("Nameting %"), "n"]
    return figure(traces, layout), Table(header, rows)
