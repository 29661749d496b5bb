"""A short Dutch paragraph for a board memo, generated from the organisation report's figures.

Every word in it is earned by a figure through assess/engine/claims.py: the consultants' change
is told as what changed in their own ratings ("volgens hun eigen inschatting"), never as what the
course caused; a direction only when the change's 95 % interval excludes zero, always with that
interval; a size word only then, from g_av; reliable change only on a scale whose stated alpha is
at least .70; "meer/minder dan de sector" only from the 95 % interval of the difference
(organisation minus sector, both uncertainties), "vergelijkbaar" only inside the stated margin,
otherwise "niet te zeggen". Suppressed figures say nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from assess.engine import claims, stats
from assess.formatting import number, say
from assess.reports.organisation.report import Change, OrgReport, ScaleRow

# What a higher (or lower) self-rating on each dimension means in plain words; other scales get
# a neutral sentence. Said after "volgens hun eigen inschatting".
RISE = {
    "tijdmanagement": _l("hebben uw consulenten na de leergang meer grip op hun tijd dan ervoor"),
    "nee_zeggen": _l("zeggen uw consulenten na de leergang vaker nee dan ervoor"),
    "netwerkaanpak": _l(
        "werken uw consulenten na de leergang meer samen met bewoners en netwerkpartners dan ervoor"
    ),
}
FALL = {
    "tijdmanagement": _l("hebben uw consulenten na de leergang minder grip op hun tijd dan ervoor"),
    "nee_zeggen": _l("zeggen uw consulenten na de leergang minder vaak nee dan ervoor"),
    "netwerkaanpak": _l(
        "werken uw consulenten na de leergang minder samen met bewoners en netwerkpartners dan"
        " ervoor"
    ),
}


def sentence(
    row: ScaleRow, locale: str, reliability: Mapping[str, stats.Value] | None = None
) -> str | None:
    """The memo's sentence on one scale; `reliability` is the alpha per scale the reliable-change
    share rests on (no share without an alpha of at least .70)."""
    change = row.change.value
    if not row.change.shown or change is None:
        return None
    mean, low, high = change.mean_diff, change.ci_low, change.ci_high
    if not (stats.is_computable(mean) and stats.is_computable(low) and stats.is_computable(high)):
        return None
    n = change.n
    interval = _(
        "95%%-betrouwbaarheidsinterval %(low)s tot %(high)s",
        low=number(low, 1, locale),
        high=number(high, 1, locale),
    )
    moved = claims.direction(low, high)
    if moved is claims.Direction.UNCLEAR:
        text = _(
            "Op %(scale)s is in de eigen inschatting van uw consulenten geen duidelijke"
            " verandering te zien (gemiddeld %(points)s punten op een schaal van 0 tot 100,"
            " %(interval)s; %(n)d deelnemers).",
            scale=row.title.lower(),
            points=number(mean, 0, locale),
            interval=interval,
            n=n,
        )
    else:
        up = moved is claims.Direction.UP
        words = (RISE if up else FALL).get(row.scale_id)
        if words:
            text = _(
                "Volgens hun eigen inschatting %(words)s: gemiddeld %(points)s punten op een"
                " schaal van 0 tot 100 (%(interval)s; %(n)d deelnemers).",
                words=words,
                points=number(abs(mean), 0, locale),
                interval=interval,
                n=n,
            )
        else:
            text = _(
                "Volgens hun eigen inschatting scoren uw consulenten op %(scale)s na de leergang"
                " %(points)s punten %(direction)s dan ervoor (%(interval)s; %(n)d deelnemers).",
                scale=row.title.lower(),
                direction=_("hoger") if up else _("lager"),
                points=number(abs(mean), 0, locale),
                interval=interval,
                n=n,
            )
        word = claims.size_word(change.g_av, low, high)
        if word is not None and stats.is_computable(change.g_av):
            text += " " + _(
                "Gemeten in de spreiding tussen deelnemers is die verandering %(word)s"
                " (g_av = %(g)s).",
                word=say(word, locale),
                g=number(change.g_av, 2, locale),
            )
    alpha = (reliability or {}).get(row.scale_id)
    if (
        row.improved.shown
        and stats.is_computable(row.improved.value)
        and claims.reliable_enough(alpha)
        and stats.is_computable(alpha)
    ):
        text += " " + _(
            "Bij %(share)s %% van hen is de vooruitgang groter dan de meetonzekerheid (de"
            " betrouwbaarheid van de schaal, alfa, is %(alpha)s).",
            share=number(100 * row.improved.value, 0, locale),
            alpha=number(alpha, 2, locale),
        )
    if row.sector is not None:
        text += " " + versus_sector(change, row.sector, locale)
    return text


def versus_sector(own: Change, sector: Change, locale: str) -> str:
    """The organisation's change against the sector's, from the 95 % interval of their
    difference (claims.difference, claims.versus); names the margin, since "vergelijkbaar"
    needs the whole interval inside it, and says "niet te zeggen" otherwise."""
    diff, low, high = claims.difference(
        (own.ci_low, own.ci_high, own.n), (sector.ci_low, sector.ci_high, sector.n)
    )
    if not (stats.is_computable(diff) and stats.is_computable(low) and stats.is_computable(high)):
        return _("Een vergelijking met de sector is hier niet te maken.")
    return _(
        "Vergeleken met de sector: %(verdict)s (verschil %(diff)s punten,"
        " 95%%-betrouwbaarheidsinterval %(low)s tot %(high)s; vergelijkbaar noemen we het alleen"
        " als het hele interval binnen %(margin)s punten van nul ligt).",
        verdict=say(claims.versus(low, high), locale),
        diff=number(diff, 1, locale),
        low=number(low, 1, locale),
        high=number(high, 1, locale),
        margin=number(claims.MARGIN, 0, locale),
    )


def summary(
    report: OrgReport, locale: str, reliability: Mapping[str, stats.Value] | None = None
) -> str:
    """The memo paragraph in `locale`'s numbers, or an empty string when no figure may be shown."""
    parts = [s for s in (sentence(row, locale, reliability) for row in report.main_rows) if s]
    return " ".join(parts)
