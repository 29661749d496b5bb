"""plotly figures for the pages, as JSON-ready dicts drawn by static/js/charts.js.

One module per audience (participant, cohort, organisation) builds its figures from engine or
report results; this module holds what they share: the look, Dutch number separators, the
conversion to plain JSON (no plotly.js in the page template, no inline script) and the table
that goes with every figure.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias

import plotly.graph_objects as go
from flask_babel import get_locale

# Colour-blind safe (Okabe-Ito) with enough contrast on white.
INTAKE = "#0072B2"
EXIT = "#D55E00"
THEN = "#7a7a7a"
FOLLOWUP = "#009E73"
SECTOR = "#999999"
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]

Figure: TypeAlias = dict[str, object]  # a plotly figure as plain JSON


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


def to_json(fig: go.Figure) -> Figure:
    """A plain dict (numbers, strings, lists) safe for the `tojson` filter in a template."""
    plain: Figure = json.loads(fig.to_json())
    return plain
