"""plotly figures for the pages, as JSON-ready dicts drawn by static/js/charts.js.

One module per audience (participant, cohort, organisation, pulse) builds its figures from
engine or report results; this module holds what they share: the look, Dutch number
separators, the figure as plain JSON data (no plotly.js in the page template, no inline
script) and the table that goes with every figure.

Figures are built as the plain dicts plotly.js reads (its figure reference), not through
plotly's Python graph objects: those validate every attribute and deep-copy plotly's 7 KB
default template into every figure, which took a third of the trainer's analysis page
(14 figures). The part of that template our traces use is TEMPLATE below, so the charts are
drawn as before.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeAlias

from flask_babel import get_locale

# Colour-blind safe (Okabe-Ito) with enough contrast on white.
INTAKE = "#0072B2"
EXIT = "#D55E00"
THEN = "#7a7a7a"
FOLLOWUP = "#009E73"
SECTOR = "#999999"
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]

Figure: TypeAlias = dict[str, object]  # a plotly figure as plain JSON
Trace: TypeAlias = dict[str, object]  # one trace of it: {"type": "bar", "x": [...], ...}

# The parts of plotly's default template ("plotly", plotly.py 5-6) that apply to the cartesian
# bar, box and scatter charts drawn here: the figures looked like this when plotly.py built
# them, and keep looking so. Gridlines are white on the white plot area, so they do not show.
_AXIS: dict[str, object] = {
    "automargin": True,
    "gridcolor": "white",
    "linecolor": "white",
    "ticks": "",
    "title": {"standoff": 15},
    "zerolinecolor": "white",
    "zerolinewidth": 2,
}
_PATTERN = {"fillmode": "overlay", "size": 10, "solidity": 0.2}
TEMPLATE: dict[str, object] = {
    "data": {
        "bar": [
            {
                "error_x": {"color": "#2a3f5f"},
                "error_y": {"color": "#2a3f5f"},
                "marker": {"line": {"color": "#E5ECF6", "width": 0.5}, "pattern": _PATTERN},
                "type": "bar",
            }
        ],
        "scatter": [{"fillpattern": _PATTERN, "type": "scatter"}],
    },
    "layout": {
        "annotationdefaults": {"arrowcolor": "#2a3f5f", "arrowhead": 0, "arrowwidth": 1},
        "autotypenumbers": "strict",
        "colorway": [
            "#636efa",
            "#EF553B",
            "#00cc96",
            "#ab63fa",
            "#FFA15A",
            "#19d3f3",
            "#FF6692",
            "#B6E880",
            "#FF97FF",
            "#FECB52",
        ],
        "font": {"color": "#2a3f5f"},
        "hoverlabel": {"align": "left"},
        "hovermode": "closest",
        "paper_bgcolor": "white",
        "plot_bgcolor": "#E5ECF6",
        "shapedefaults": {"line": {"color": "#2a3f5f"}},
        "title": {"x": 0.05},
        "xaxis": _AXIS,
        "yaxis": _AXIS,
    },
}


@dataclass(frozen=True)
class Table:
    """The figure's data as a table: the alternative for screen readers and printing."""

    header: Sequence[str]
    rows: Sequence[Sequence[str | int | float]]


Chart: TypeAlias = tuple[Figure, Table]  # what the `chart()` macro draws


def plain(value: str) -> str:
    """A text for a figure, shown as typed: plotly reads `<a href>`, `<b>`, `<br>` and
    `%{...}` in names, labels and hover texts as markup, so a cohort or organisation called
    `<a href=...>` would become a live link. Every text that goes into a figure passes here;
    plotly turns the entities back into the characters when it draws."""
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("%", "&#37;")
    )


def page_locale() -> str:
    """The language of the page the figures are drawn for."""
    return str(get_locale() or "nl")


def base_layout(**overrides: object) -> dict[str, object]:
    """A calm, readable layout that fits a phone; Dutch decimal comma where the page is Dutch."""
    layout: dict[str, object] = {
        "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 14},
        "margin": {"l": 10, "r": 10, "t": 30, "b": 40},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "legend": {"orientation": "h", "y": -0.2},
        "separators": ",." if page_locale() == "nl" else ".,",
        "hoverlabel": {"namelength": -1},
    }
    layout.update(overrides)
    return layout


def wrap_label(text: str, width: int = 24) -> str:
    """An axis label broken into lines of about `width` characters (plotly does not wrap),
    so long labels leave room for the bars on a phone. Escaped first (see plain())."""
    lines: list[str] = []
    for word in plain(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def scatter(**attributes: object) -> Trace:
    """A scatter trace (lines, markers, text) with plotly.js's attribute names."""
    return {"type": "scatter", **attributes}


def bar(**attributes: object) -> Trace:
    return {"type": "bar", **attributes}


def box(**attributes: object) -> Trace:
    return {"type": "box", **attributes}


def figure(traces: Sequence[Trace], layout: Mapping[str, object]) -> Figure:
    """The figure as plain JSON data (numbers, strings, lists, dicts), safe for the `tojson`
    filter in a template, with our TEMPLATE."""
    return {
        "data": [_json_value(trace) for trace in traces],
        "layout": _json_value({**layout, "template": TEMPLATE}),
    }


def _json_value(value: object) -> object:
    """`value` as strict JSON takes it: numpy numbers as Python numbers, and NaN or infinity
    as null (a gap), as plotly.py wrote them; JSON has no NaN and the browser would refuse the
    whole figure. Anything else (a NotComputable that slipped through) is a bug, not a chart."""
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, Mapping):
        return {str(key): _json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    raise TypeError(f"not chart data: {value!r}")
