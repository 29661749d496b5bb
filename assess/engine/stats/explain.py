"""One-line Dutch explanations of the figures, for non-statisticians."""

from __future__ import annotations

from assess.engine.stats.common import NOT_COMPUTABLE_TEXT, NotComputable, Value, fmt, is_computable
from assess.engine.stats.reliability import RciCategory


def _nc_text(value: object) -> str | None:
    if isinstance(value, NotComputable):
        return f"{NOT_COMPUTABLE_TEXT}: {value.reason}"
    if not is_computable(value):
        return f"{NOT_COMPUTABLE_TEXT}: geen waarde"
    return None


def effect_size_label(d: Value) -> str:
    """Short label for a standardized effect size by Cohen's conventions.

    |d| < 0.2 verwaarloosbaar, < 0.5 klein, < 0.8 middelgroot, otherwise groot (Cohen 1988,
    Statistical Power Analysis for the Behavioral Sciences, 2nd ed.).
    """
    if not is_computable(d):
        return NOT_COMPUTABLE_TEXT
    size = abs(float(d))
    if size < 0.2:
        return "verwaarloosbaar effect"
    if size < 0.5:
        return "klein effect"
    if size < 0.8:
        return "middelgroot effect"
    return "groot effect"


def explain_effect_size(d: Value) -> str:
    """One Dutch line on an effect size (d_z, g_av, g) for non-statisticians.

    The size label follows Cohen (1988), see :func:`effect_size_label`. The sentence is about size
    only: the sign's meaning (a rise, or cohort a changing more) is for the caller to phrase.
    """
    nc = _nc_text(d)
    if nc:
        return nc
    label = effect_size_label(d)
    return (
        f"{label[0].upper()}{label[1:]} (d = {fmt(d)}): het verschil is {fmt(abs(d))} keer de "
        "gebruikelijke spreiding tussen deelnemers (vuistregel: 0,2 klein, 0,5 middelgroot, "
        "0,8 groot)."
    )


def _p_text(p: float) -> str:
    return "p < 0,001" if p < 0.001 else f"p = {fmt(p, 3)}"


def explain_p(p: Value, alpha: float = 0.05) -> str:
    """One Dutch line on a two-sided p-value (significance level ``alpha``, default 5 %).

    p is the probability of a difference at least this large if, in reality, there were no change
    (Fisher's significance test; see Wasserstein & Lazar 2016, "The ASA statement on p-values",
    The American Statistician 70(2):129-133, for what p does not mean).
    """
    nc = _nc_text(p)
    if nc:
        return nc
    pv = float(p)
    if pv < alpha:
        return (
            f"{_p_text(pv)}: zo'n verschil is onwaarschijnlijk als er in werkelijkheid niets "
            f"verandert, dus waarschijnlijk geen toeval (significant bij {fmt(alpha * 100, 0)} %)."
        )
    return (
        f"{_p_text(pv)}: het verschil kan goed op toeval berusten (niet significant); "
        "dat bewijst niet dat er geen effect is."
    )


def explain_ci(lo: Value, hi: Value, confidence: float = 0.95) -> str:
    """One Dutch line on a confidence interval of a (mean) change.

    A c-% interval (Neyman 1937, Phil. Trans. R. Soc. A 236:333-380) is built so that in c % of
    samples it contains the true value; read it as the plausible range of the true mean change.
    """
    for v in (lo, hi):
        nc = _nc_text(v)
        if nc:
            return nc
    lo_f, hi_f = float(lo), float(hi)
    pct = fmt(confidence * 100, 0)
    head = (
        "De werkelijke gemiddelde verandering ligt waarschijnlijk tussen "
        f"{fmt(lo_f)} en {fmt(hi_f)} ({pct}%-betrouwbaarheidsinterval)"
    )
    if lo_f > 0:
        return f"{head}; het hele interval ligt boven nul: een stijging."
    if hi_f < 0:
        return f"{head}; het hele interval ligt onder nul: een daling."
    return f"{head}; nul valt erbinnen, dus een verandering is niet aangetoond."


def explain_alpha(alpha: Value) -> str:
    """One Dutch line on Cronbach's alpha, with George & Mallery's (2003) rules of thumb.

    >= 0.9 uitstekend, >= 0.8 goed, >= 0.7 acceptabel, >= 0.6 twijfelachtig, >= 0.5 zwak,
    otherwise onvoldoende (George, D. & Mallery, P. (2003), SPSS for Windows Step by Step, 4th ed.).
    """
    nc = _nc_text(alpha)
    if nc:
        return nc
    a = float(alpha)
    for bound, word in ((0.9, "uitstekend"), (0.8, "goed"), (0.7, "acceptabel")):
        if a >= bound:
            return (
                f"Betrouwbaarheid {word} (alfa = {fmt(a)}): de vragen van deze schaal meten "
                "samen hetzelfde."
            )
    word = "twijfelachtig" if a >= 0.6 else ("zwak" if a >= 0.5 else "onvoldoende")
    return (
        f"Betrouwbaarheid {word} (alfa = {fmt(a)}): de vragen hangen weinig samen; "
        "lees de schaalscore met voorzichtigheid."
    )


def explain_rci(category: RciCategory) -> str:
    """One Dutch line on a participant's RCI category (Jacobson & Truax 1991)."""
    return {
        RciCategory.IMPROVED: "Betrouwbaar vooruitgegaan: de verbetering is groter dan wat "
        "meetonnauwkeurigheid kan verklaren.",
        RciCategory.UNCHANGED: "Geen betrouwbare verandering: het verschil valt binnen de "
        "meetonnauwkeurigheid van de vragenlijst.",
        RciCategory.DECLINED: "Betrouwbaar achteruitgegaan: de daling is groter dan wat "
        "meetonnauwkeurigheid kan verklaren.",
        RciCategory.NOT_COMPUTABLE: f"{NOT_COMPUTABLE_TEXT}: intake, eindmeting of "
        "betrouwbaarheid ontbreekt.",
    }[category]
