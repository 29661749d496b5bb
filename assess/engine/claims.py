"""Which words a figure earns: the one place that decides what a page, memo, chart or mail may
say about a statistic. It answers in message ids (assess/engine/messages.py); the edge says them
in the reader's language (`assess.formatting.say`, the `say` filter).

What the data are: consultants rate themselves before and after the course, one group, no
comparison group. So every sentence describes what changed in the participants' *own ratings*
("volgens hun eigen inschatting"); nothing here says what the course caused.

============================================  ==========================================  ======
figure and interval                           words it earns                              source
============================================  ==========================================  ======
mean change of one group, intake to exit      "volgens hun eigen inschatting … hoger /    [1]
(any interval)                                lager"; never "door de leergang", never
                                              "effect"
95 % interval of the change excludes 0        a direction (hoger / lager), with the       [2]
                                              interval beside it
95 % interval of the change includes 0        "geen duidelijke verandering"; no           [2]
                                              direction, no size word
g_av (change in SDs between people), the      a size word (verwaarloosbaar < .2 ≤ klein   [3][4]
change's 95 % interval excludes 0             < .5 ≤ middelgroot < .8 ≤ groot), only
                                              together with that interval
g_av, the interval includes 0                 the number only, no size word               [4]
organisation minus sector: the 95 % interval  above 0: "meer dan de sector"; below 0:     [5][6]
of the *difference* (Welch: both              "minder dan de sector"; inside ±MARGIN:
uncertainties)                                "vergelijkbaar"; otherwise "niet te
                                              zeggen". Never from whether one interval
                                              holds the other's point or overlaps it
any confidence interval                       "95%-betrouwbaarheidsinterval a tot b";     [7]
                                              never "ligt waarschijnlijk tussen"
p-value                                       what a difference this large would be if    [8]
                                              nothing changed; never "meer dan toeval"
reliable change (RCI) counts of a scale       shown only when the scale's stated alpha,   [9][10]
                                              as shown (two decimals), is ≥ .70, and
                                              that alpha is stated beside them
gap between a target (the policy) and the     "kleiner" / "groter" only when the change's [2]
consultants, intake vs exit                   interval excludes 0 towards / away from the
                                              target; otherwise "niet te zeggen"
scenario key                                  "volgens de ontwerpers van de leergang",    [11]
                                              never "experts"
============================================  ==========================================  ======

The equivalence margin is ``MARGIN`` = ±5 points on the 0-100 (POMP) scale: the organisation is
called "vergelijkbaar" with the sector only when the whole 95 % interval of the difference lies
within ±5 points. Five points is 5 % of the scale's range and about a third of the spread between
consultants on these scales; it is this project's choice, not a published norm, and pages that
say "vergelijkbaar" name it. With the 95 % (not the 90 %) interval the test is stricter than
Schuirmann's two one-sided tests at 5 %.

Labels are decided on the value as it is shown: an alpha of 0.6995 shows as "0,70" and is called
acceptable and counts as ≥ .70 (`shown`).

Sources:
[1] Shadish, Cook & Campbell (2002), Experimental and Quasi-Experimental Designs for Generalized
    Causal Inference, ch. 4: the one-group pretest-posttest design leaves history, maturation,
    testing and regression open; Howard (1980), Applied Psychological Measurement 4(1):93-106, on
    response shift in self-reports.
[2] Neyman (1937), Phil. Trans. R. Soc. A 236:333-380: a c % interval is built to contain the true
    value in c % of samples; one that excludes 0 is the two-sided test at 1 - c.
[3] Cohen (1988), Statistical Power Analysis for the Behavioral Sciences, 2nd ed.: .2/.5/.8.
[4] Lakens (2013), Frontiers in Psychology 4:863 (g_av, not d_z, for the words); Cumming (2014),
    "The new statistics", Psychological Science 25(1):7-29: an estimate goes with its interval.
[5] Welch (1947), Biometrika 34(1-2):28-35; Satterthwaite (1946), Biometrics Bulletin 2(6):110-114.
    Schenker & Gentleman (2001), The American Statistician 55(3):182-186: overlapping intervals
    are no test of a difference.
[6] Schuirmann (1987), J. Pharmacokinetics and Biopharmaceutics 15(6):657-680; Lakens (2017),
    Social Psychological and Personality Science 8(4):355-362: equivalence needs a stated margin.
[7] Morey, Hoekstra, Rouder, Lee & Wagenmakers (2016), Psychonomic Bulletin & Review 23:103-123:
    a confidence interval is no probability statement about this one interval.
[8] Wasserstein & Lazar (2016), The American Statistician 70(2):129-133.
[9] Jacobson & Truax (1991), J. Consulting and Clinical Psychology 59(1):12-19.
[10] Nunnally (1978), Psychometric Theory, 2nd ed.: .70 as the least reliability for research use.
[11] questionnaires/KEY.md: the key is the course designers' (trainers') own judgement.
"""

from __future__ import annotations

import math
from enum import StrEnum

from assess.engine.messages import Message
from assess.engine.stats.common import NotComputable, Value, is_computable, t_critical

CONFIDENCE = 0.95
MARGIN = 5.0  # POMP points: the equivalence margin for "vergelijkbaar met de sector"
MIN_RELIABILITY = 0.70  # the least (shown) alpha for reliable-change counts
SHOWN_DIGITS = 2  # how many decimals alphas and effect sizes are shown with

# Cohen's (1988) bounds for |g|, as the last part of a message id.
_SIZES = ((0.8, "large"), (0.5, "medium"), (0.2, "small"))


class Direction(StrEnum):
    """What a change's interval carries: a rise, a fall, neither, or no figure at all."""

    UP = "up"
    DOWN = "down"
    UNCLEAR = "unclear"  # the interval holds zero
    NONE = "none"  # no interval (no pairs, too few, no spread)


def shown(value: float, digits: int = SHOWN_DIGITS) -> float:
    """The value as the page shows it; labels are decided on this, never on hidden digits."""
    return round(float(value), digits)


def direction(low: Value | None, high: Value | None) -> Direction:
    """Up only when the whole interval lies above 0, down only when below [2]."""
    if not (is_computable(low) and is_computable(high)):
        return Direction.NONE
    if low > 0:
        return Direction.UP
    if high < 0:
        return Direction.DOWN
    return Direction.UNCLEAR


def size_word(g: Value | None, low: Value | None, high: Value | None) -> Message | None:
    """Cohen's word for |g| (verwaarloosbaar, klein, middelgroot, groot), or None when the
    interval of the change it standardises includes 0 or a figure is missing [3][4]. Whoever
    shows the word shows that interval with it.
    """
    if not is_computable(g) or direction(low, high) not in (Direction.UP, Direction.DOWN):
        return None
    size = abs(shown(g))
    word = next((word for bound, word in _SIZES if size >= bound), "negligible")
    return Message(f"claims.size.{word}")


def explain_size(
    g: Value | None, low: Value | None, high: Value | None, symbol: str = "g_av"
) -> Message:
    """One line on a standardised change or difference: its size word with the interval it
    rests on, or why it gets none. Params ``symbol``, ``g``, ``size`` (|g|), ``low``, ``high``.
    """
    if not is_computable(g):
        return _not_computable(g)
    value = float(g)
    params: dict[str, object] = {"symbol": symbol, "g": value, "size": abs(value)}
    word = size_word(g, low, high)
    if word is None:
        if not (is_computable(low) and is_computable(high)):
            return Message("claims.size.explain.no_interval", params)
        return Message("claims.size.explain.includes_zero", {**params, "low": low, "high": high})
    return Message("claims.size.explain", {**params, "word": word, "low": low, "high": high})


def explain_change(low: Value, high: Value, confidence: float = CONFIDENCE) -> Message:
    """One line on the interval of one group's mean change in their own ratings [1][2][7];
    params ``low``, ``high``, ``level``."""
    return _explain_interval("change", low, high, confidence)


def explain_difference(low: Value, high: Value, confidence: float = CONFIDENCE) -> Message:
    """One line on the interval of a difference between two groups' changes [2][7]."""
    return _explain_interval("difference", low, high, confidence)


def _explain_interval(kind: str, low: Value, high: Value, confidence: float) -> Message:
    if not is_computable(low):
        return _not_computable(low)
    if not is_computable(high):
        return _not_computable(high)
    params = {"low": float(low), "high": float(high), "level": confidence * 100}
    return Message(f"claims.ci.{kind}.{direction(low, high).value}", params)


def difference(
    own: tuple[Value, Value, int],
    other: tuple[Value, Value, int],
    confidence: float = CONFIDENCE,
) -> tuple[Value, Value, Value]:
    """(mean, low, high) of own minus other, from each side's t-interval (low, high, n) [5].

    Each side's standard error is its interval's half-width over t_{n-1}; the difference's
    standard error combines both, sqrt(se_a² + se_b²), with Welch-Satterthwaite's df. The means
    are the intervals' midpoints (published intervals carry one decimal more than the means).
    Not computable when a side has no interval or fewer than two people.
    """
    missing = NotComputable(Message("stats.not_computable"))
    (low_a, high_a, n_a), (low_b, high_b, n_b) = own, other
    if n_a < 2 or n_b < 2:
        return missing, missing, missing
    if not (
        is_computable(low_a)
        and is_computable(high_a)
        and is_computable(low_b)
        and is_computable(high_b)
    ):
        return missing, missing, missing
    se_a = (high_a - low_a) / 2 / t_critical(confidence, n_a - 1)
    se_b = (high_b - low_b) / 2 / t_critical(confidence, n_b - 1)
    va, vb = se_a * se_a, se_b * se_b
    mean = (low_a + high_a) / 2 - (low_b + high_b) / 2
    if va + vb == 0:
        return mean, mean, mean
    df = (va + vb) ** 2 / (va * va / (n_a - 1) + vb * vb / (n_b - 1))
    half = t_critical(confidence, df) * math.sqrt(va + vb)
    return mean, mean - half, mean + half


def versus(low: Value, high: Value, margin: float = MARGIN) -> Message:
    """More, less, comparable or not to say, from the interval of the difference [5][6].
    Param ``margin`` (points) for the sentences that name it."""
    if not (is_computable(low) and is_computable(high)):
        return Message("claims.sector.unknown", {"margin": margin})
    if low > 0:
        return Message("claims.sector.more", {"margin": margin})
    if high < 0:
        return Message("claims.sector.less", {"margin": margin})
    if -margin <= low and high <= margin:
        return Message("claims.sector.comparable", {"margin": margin})
    return Message("claims.sector.unknown", {"margin": margin})


def reliable_enough(alpha: Value | None) -> bool:
    """Whether reliable-change counts may be shown on a scale with this stated alpha [9][10]."""
    return is_computable(alpha) and shown(alpha) >= MIN_RELIABILITY


def gap_change(
    target: float | None,
    intake: float | None,
    exit_: float | None,
    low: Value | None,
    high: Value | None,
) -> Message | None:
    """Did the consultants' distance to a target (the policy's expectation) shrink from intake to
    exit? "kleiner" only when the change's interval excludes 0 towards the target and the exit
    does not pass it by more than it started from; "groter" only when the interval excludes 0
    away from it; otherwise "niet te zeggen" [2]. None without the figures.
    """
    if target is None or intake is None or exit_ is None:
        return None
    moved = direction(low, high)
    if moved is Direction.NONE:
        return Message("claims.gap.unknown")
    towards = Direction.UP if target > intake else Direction.DOWN if target < intake else None
    if moved is Direction.UNCLEAR or towards is None:
        return Message("claims.gap.unknown")
    if moved is towards:
        closer = abs(target - exit_) < abs(target - intake)
        return Message("claims.gap.smaller" if closer else "claims.gap.unknown")
    return Message("claims.gap.larger")


def _not_computable(value: object) -> Message:
    reason = value.reason if isinstance(value, NotComputable) else Message("stats.no_value")
    return Message("stats.not_computable_because", {"reason": reason})
