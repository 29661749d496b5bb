"""Figures of the weekly pulse: a participant's own weeks, and a cohort's weekly trend.

Weeks are labelled by their Monday ("wk 11 · 9 mrt"); every text passes through plain().
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from babel.dates import format_date
from flask_babel import gettext as _

from assess.formatting import number, percent
from assess.reports.charts import (
    EXIT,
    INTAKE,
    Chart,
    Table,
    Trace,
    base_layout,
    figure,
    page_locale,
    plain,
    scatter,
)
from assess.reports.pulses import CohortWeek, OwnWeek, trend


def week_label(week: date, locale: str | None = None) -> str:
    """'wk 11 · 9 mrt' (ISO week number and its Monday)."""
    locale = locale or page_locale()
    return (
        _("wk %(n)s", n=week.isocalendar().week)
        + " · "
        + format_date(week, "d MMM", locale=locale).rstrip(".")
    )


def share_line(
    labels: Sequence[str], values: Sequence[float | None], name: str, colour: str, **extra: object
) -> Trace:
    """One pulse share (0-100 %) per week as a line; None leaves a gap (a missed or hidden
    week keeps its place on the axis)."""
    return scatter(
        x=labels,
        y=values,
        mode="lines+markers",
        name=plain(name),
        connectgaps=False,
        marker={"color": colour, "size": 9},
        line={"color": colour},
        hovertemplate="%{y:.0f}%<extra>" + plain(name) + "</extra>",
        **extra,
    )


def _share_axis() -> dict[str, object]:
    return {"range": [0, 100], "title": {"text": plain(_("% van je werktijd"))}, "fixedrange": True}


def day_marks(
    labels: Sequence[str], mondays: Sequence[date], marks: Sequence[tuple[date, str]]
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Course days (date, label) as dotted lines with their label, in the week they fall in;
    a day in a week that is not on the axis is left out."""
    shapes: list[dict[str, object]] = []
    notes: list[dict[str, object]] = []
    by_week = dict(zip(mondays, labels, strict=True))
    for day, text in marks:
        monday = day - timedelta(days=day.weekday())
        if monday in by_week:
            shapes.append(
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": by_week[monday],
                    "x1": by_week[monday],
                    "y0": 0,
                    "y1": 1,
                    "line": {"dash": "dot", "color": "#555555", "width": 1},
                }
            )
            notes.append(
                {
                    "x": by_week[monday],
                    "y": 1,
                    "xref": "x",
                    "yref": "paper",
                    "text": plain(text),
                    "showarrow": False,
                    "yanchor": "bottom",
                    "font": {"size": 12},
                }
            )
    return shapes, notes


def own_weeks(weeks: Sequence[OwnWeek], marks: Sequence[tuple[date, str]] = ()) -> Chart | None:
    """The participant's planned and incoming shares per week; a missed week is a gap; course
    days (`marks`) as dotted lines. None before any week was answered (nothing to draw)."""
    if not any(w.answered for w in weeks):
        return None
    locale = page_locale()
    labels = [plain(week_label(w.pulse.week, locale)) for w in weeks]
    traces: list[Trace] = []
    for name, values, colour in (
        (_("Gepland werk"), [w.planned for w in weeks], INTAKE),
        (_("Klachten en meldingen"), [w.incoming for w in weeks], EXIT),
    ):
        traces.append(share_line(labels, values, name, colour))
    shapes, notes = day_marks(labels, [w.pulse.week for w in weeks], marks)
    layout = base_layout(
        height=300,
        yaxis=_share_axis(),
        xaxis={"type": "category", "fixedrange": True},
        shapes=shapes,
        annotations=notes,
        margin={"l": 10, "r": 10, "t": 40, "b": 40},
    )
    rows: list[list[str | int | float]] = [
        [
            week_label(w.pulse.week, locale),
            number(w.planned, 0, locale) if w.answered else _("niet ingevuld"),
            number(w.incoming, 0, locale) if w.answered else "",
        ]
        for w in weeks
    ]
    header = [_("Week"), _("Gepland werk %"), _("Klachten en meldingen %")]
    return figure(traces, layout), Table(header, rows)


def own_trend_sentence(weeks: Sequence[OwnWeek]) -> str | None:
    """One true sentence about the participant's planned share, first answered week to last;
    None with fewer than two answered weeks (then there is no trend to speak of)."""
    found = trend(list(weeks))
    if found is None:
        return None
    direction, first, last, first_week, last_week = found
    locale = page_locale()
    values = {
        "first": number(first, 0, locale),
        "last": number(last, 0, locale),
        "from": week_label(first_week, locale),
        "to": week_label(last_week, locale),
    }
    if direction == "up":
        return _(
            "Je deel gepland werk ging van %(first)s%% (%(from)s) naar %(last)s%% (%(to)s).",
            **values,
        )
    if direction == "down":
        return _(
            "Je deel gepland werk ging van %(first)s%% (%(from)s) terug naar %(last)s%% (%(to)s).",
            **values,
        )
    return _("Je deel gepland werk was in %(to)s even groot als in %(from)s: %(last)s%%.", **values)


def _hidden_because(answered: int, minimum: int | None) -> str:
    """Why a week shows no figure: said in the cell, not as a bare "verborgen"."""
    if answered == 0:
        return _("geen antwoorden")
    if minimum is None:
        return _("te weinig antwoorden")
    return _("minder dan %(n)s antwoorden", n=minimum)


def cohort_trend(
    weeks: Sequence[CohortWeek], marks: Sequence[tuple[date, str]] = (), minimum: int | None = None
) -> Chart:
    """Median and spread (first to third quartile) of the planned share per shown week, the
    response rate in the table; hidden weeks keep their place on the axis without a value.
    `marks` are course days (date, label), drawn as dotted lines in their week; `minimum` is
    the group size below which a week is hidden, named in the table as the reason."""
    locale = page_locale()
    labels = [plain(week_label(w.pulse.week, locale)) for w in weeks]
    medians = [w.planned.median if w.shown and w.planned else None for w in weeks]
    upper = [
        (w.planned.q3 - w.planned.median)
        if w.shown and w.planned and w.planned.q3 is not None and w.planned.median is not None
        else None
        for w in weeks
    ]
    lower = [
        (w.planned.median - w.planned.q1)
        if w.shown and w.planned and w.planned.q1 is not None and w.planned.median is not None
        else None
        for w in weeks
    ]
    traces: list[Trace] = []
    name = _("Gepland werk: mediaan en middelste helft")
    traces.append(
        share_line(
            labels,
            medians,
            name,
            INTAKE,
            error_y={"type": "data", "array": upper, "arrayminus": lower, "color": INTAKE},
        )
    )
    shapes, notes = day_marks(labels, [w.pulse.week for w in weeks], marks)
    layout = base_layout(
        height=340,
        yaxis=_share_axis(),
        xaxis={"type": "category", "fixedrange": True},
        shapes=shapes,
        annotations=notes,
        margin={"l": 10, "r": 10, "t": 40, "b": 40},
    )
    rows: list[list[str | int | float]] = []
    for w in weeks:
        spread = w.planned if w.shown else None
        rows.append(
            [
                week_label(w.pulse.week, locale),
                f"{w.answered} / {w.invited}",
                percent(w.response_rate, 0, locale) if w.response_rate is not None else "",
                number(spread.median, 0, locale)
                if spread and spread.median is not None
                else _hidden_because(w.answered, minimum),
                f"{number(spread.q1, 0, locale)}–{number(spread.q3, 0, locale)}"
                if spread and spread.q1 is not None
                else "",
                number(w.incoming.median, 0, locale)
                if w.shown and w.incoming and w.incoming.median is not None
                else "",
            ]
        )
    header = [
        _("Week"),
        _("Ingevuld"),
        _("Respons"),
        _("Gepland werk: mediaan %"),
        _("Middelste helft (Q1–Q3)"),
        _("Klachten en meldingen: mediaan %"),
    ]
    return figure(traces, layout), Table(header, rows)
