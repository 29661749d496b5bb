"""A short Dutch paragraph for a board memo, generated from the organisation report's figures.

It states only what the figures carry: the direction of the change, the size of the effect in
words (Cohen's conventions from the engine, applied to g_av, the change in units of the spread
between people, never to d_z), whether the 95 % interval excludes zero, the number of
participants, and the share who improved reliably. It calls the organisation's change more or
less than the sector's only when its 95 % interval excludes the sector's mean change; otherwise
the two are comparable. Suppressed figures say nothing.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from assess.engine import stats
from assess.formatting import number
from assess.reports.organisation.report import OrgReport, ScaleRow

# What a rise on each dimension means in plain words; other scales get a neutral sentence.
RISE = {
    "tijdmanagement": _l("hebben na de leergang meer grip op hun tijd"),
    "nee_zeggen": _l("zeggen na de leergang vaker nee"),
    "netwerkaanpak": _l("werken na de leergang meer samen met bewoners en netwerkpartners"),
}
FALL = {
    "tijdmanagement": _l("ervaren na de leergang minder grip op hun tijd"),
    "nee_zeggen": _l("zeggen na de leergang minder vaak nee"),
    "netwerkaanpak": _l("werken na de leergang minder samen met bewoners en netwerkpartners"),
}
# By the engine's effect-size label (Cohen's conventions), as it reads before "effect".
EFFECT_WORDS = {
    "effect.negligible": _l("een verwaarloosbaar"),
    "effect.small": _l("een klein"),
    "effect.medium": _l("een middelgroot"),
    "effect.large": _l("een groot"),
}


def sentence(row: ScaleRow, locale: str) -> str | None:
    change = row.change.value
    if not row.change.shown or change is None:
        return None
    mean, low, high = change.mean_diff, change.ci_low, change.ci_high
    if not (stats.is_computable(mean) and stats.is_computable(low) and stats.is_computable(high)):
        return None
    n = change.n
    if low <= 0 <= high:
        return _(
            "Op %(scale)s is geen duidelijke verandering te zien (%(n)d deelnemers).",
            scale=row.title.lower(),
            n=n,
        )
    up = mean > 0
    words = (RISE if up else FALL).get(row.scale_id)
    size = EFFECT_WORDS.get(stats.effect_size_label(change.g_av).key, "een")
    if words:
        text = _(
            "Uw consulenten %(words)s: %(size)s effect (%(n)d deelnemers, gemiddeld %(points)s punten op een schaal van 0 tot 100).",
            words=words,
            size=size,
            n=n,
            points=number(abs(mean), 0, locale),
        )
    else:
        text = _(
            "De score op %(scale)s %(direction)s met %(points)s punten: %(size)s effect (%(n)d deelnemers).",
            scale=row.title.lower(),
            direction=_("steeg") if up else _("daalde"),
            points=number(abs(mean), 0, locale),
            size=size,
            n=n,
        )
    if row.improved.shown and stats.is_computable(row.improved.value):
        text += " " + _(
            "Bij %(share)s %% van hen is de vooruitgang groter dan de meetonzekerheid.",
            share=number(100 * row.improved.value, 0, locale),
        )
    if row.sector is not None and stats.is_computable(row.sector.mean_diff):
        text += " " + versus_sector(low, high, row.sector.mean_diff)
    return text


def versus_sector(low: float, high: float, sector: float) -> str:
    """More or less than the sector only when the interval of the own change excludes the
    sector's mean change; otherwise the difference may be chance, and they are comparable.
    """
    if low > sector:
        return _("Dat is meer vooruitgang dan gemiddeld in de sector.")
    if high < sector:
        return _("Dat is minder vooruitgang dan gemiddeld in de sector.")
    return _("Dat is vergelijkbaar met de sector.")


def summary(report: OrgReport, locale: str) -> str:
    """The memo paragraph in `locale`'s numbers, or an empty string when no figure may be shown."""
    parts = [s for s in (sentence(row, locale) for row in report.main_rows) if s]
    return " ".join(parts)
