"""One-line explanations of the figures for non-statisticians, as messages the edge translates.

Which words a change, an interval or a size may earn is decided in assess/engine/claims.py; the
explanations here (d_z, p, alpha, RCI) carry no claim of their own about cause or size.
"""

from __future__ import annotations

from assess.engine.messages import Message
from assess.engine.stats.common import NotComputable, Value, is_computable
from assess.engine.stats.reliability import Alpha, RciCategory

_NO_VALUE = Message("stats.no_value")


def _not_computable(value: object) -> Message:
    """ "niet te berekenen: <why>" for a figure that is not a number."""
    reason = value.reason if isinstance(value, NotComputable) else _NO_VALUE
    return Message("stats.not_computable_because", {"reason": reason})


def explain_d_z(d_z: Value) -> Message:
    """One line on Cohen's d_z, without a size word; param ``d``.

    d_z = mean(D) / SD(D) divides by the SD of the change scores, not by the spread between
    people, so it grows as intake and exit correlate and Cohen's "small/medium/large" do not
    apply to it (Lakens 2013, Frontiers in Psychology 4:863); it says how consistently people
    changed, and is the t statistic divided by sqrt(n).
    """
    if not is_computable(d_z):
        return _not_computable(d_z)
    return Message("explain.d_z", {"d": float(d_z)})


def explain_p(p: Value, alpha: float = 0.05) -> Message:
    """One line on a two-sided p-value (significance level ``alpha``, default 5 %).

    p is the probability of a difference at least this large if, in reality, there were no change
    (Fisher's significance test; see Wasserstein & Lazar 2016, "The ASA statement on p-values",
    The American Statistician 70(2):129-133, for what p does not mean). Params: ``p`` (a nested
    message, "p < 0,001" or "p = 0,034") and, when significant, ``level`` (alpha in percent).
    """
    if not is_computable(p):
        return _not_computable(p)
    pv = float(p)
    shown = Message("explain.p.below") if pv < 0.001 else Message("explain.p.equals", {"p": pv})
    if pv < alpha:
        return Message("explain.p.significant", {"p": shown, "level": alpha * 100})
    return Message("explain.p.not_significant", {"p": shown})


def explain_alpha(alpha: Alpha) -> Message:
    """One line on Cronbach's alpha with its interval, by George & Mallery's (2003) rules of thumb.

    >= 0.9 uitstekend, >= 0.8 goed, >= 0.7 acceptabel, >= 0.6 twijfelachtig, >= 0.5 zwak,
    otherwise onvoldoende (George, D. & Mallery, P. (2003), SPSS for Windows Step by Step, 4th ed.);
    below zero its own sentence: a negative alpha mostly points at a mis-keyed item. Alpha says
    how much of the scale score is not noise, given that its items go together; it does not show
    that the items measure one thing (Sijtsma 2009, "On the use, the misuse, and the very limited
    usefulness of Cronbach's alpha", Psychometrika 74(1):107-120). Params ``alpha``, ``low``,
    ``high`` (Feldt's interval), ``level`` (its confidence in %) and ``n`` (after listwise
    deletion).
    """
    if not is_computable(alpha.alpha):
        return _not_computable(alpha.alpha)
    a = float(alpha.alpha)
    params = {
        "alpha": a,
        "low": alpha.ci_low,
        "high": alpha.ci_high,
        "level": alpha.confidence * 100,
        "n": alpha.n,
    }
    if not (is_computable(alpha.ci_low) and is_computable(alpha.ci_high)):
        return _not_computable(alpha.ci_low)
    if a < 0:
        return Message("explain.alpha.negative", params)
    bounds = (
        (0.9, "excellent"),
        (0.8, "good"),
        (0.7, "acceptable"),
        (0.6, "questionable"),
        (0.5, "poor"),
    )
    # The word goes with the alpha as shown (two decimals): 0.6995 shows as 0,70 and is
    # acceptable, whatever digits the page hides.
    word = next((word for bound, word in bounds if round(a, 2) >= bound), "unacceptable")
    return Message(f"explain.alpha.{word}", params)


def explain_rci(category: RciCategory) -> Message:
    """One line on a participant's RCI category (Jacobson & Truax 1991)."""
    return Message(f"explain.rci.{category.value}")
