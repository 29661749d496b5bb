"""Others' view of a participant: the rater form's rules, when colleagues' figures may be shown,
and the self–other gap.

A participant asks their manager (leidinggevende) and 3–8 colleagues or network partners to
rate the behaviour the self-scan asks about. The rater form is a questionnaire file of its own
(`audience: rater`, one moment `rater`, questionnaires/FORMAT.md "The rater form"): every item is
`observable`, worded in the third person, and mirrors the self-scan item it observes, so self
and others are scored on the same sub-scales and the same 1–5 item metric.

Two rules protect the colleagues (issue 29, DESIGN.md §9 "Raters"):

- colleagues are shown only as one aggregate, and only when at least MIN_COLLEAGUES of them
  rated the participant for that moment (a scale needs that many colleagues with a score);
- that aggregate is released once per moment and then frozen (`release_due`). A view that
  thresholds at display time and updates with every new rating lets the participant subtract
  the aggregate of 3 from the aggregate of 4 and read the fourth colleague's answer. Releasing
  only when no invited colleague can still answer (or the moment's window has closed) and never
  again afterwards leaves nothing to subtract within a moment; new colleague invitations for a
  released moment are refused. Different moments are rated by different people about different
  behaviour (before and after the course), so one moment's aggregate cannot be taken from
  another's to reveal a rater.

The manager's rating is shown as the manager's (the manager is told so before answering) and is
never averaged into the colleagues: Blik does both, so the colleagues' mean can be worked back.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assess.engine.items import LikertItem
from assess.engine.moments import Moment

if TYPE_CHECKING:
    from assess.engine.problems import Loc
    from assess.engine.questionnaire import Questionnaire

RATER = str(Moment.RATER)
# The participant's moments at which raters may be invited (the trainer adds exit per cohort).
RATED_MOMENTS = (str(Moment.INTAKE), str(Moment.FOLLOWUP))
OPTIONAL_MOMENTS = (str(Moment.EXIT),)
MANAGER = "manager"
COLLEAGUE = "colleague"
ROLES = (MANAGER, COLLEAGUE)
# Blik's minimum per rater category; below it nothing of the colleagues is shown.
MIN_COLLEAGUES = 3
MAX_COLLEAGUES = 8
# The self–other gap on the 1–5 item metric (self minus others). Atwater & Yammarino (1992,
# 1997) sort people into over-estimators, those in agreement and under-estimators by the
# difference between self and others' ratings; following Blik, a difference of at most half a
# scale point either way counts as agreement: half a point is the width of "sometimes" on a
# five-point frequency scale, below which a difference of two sources is not read as one.
GAP_THRESHOLD = 0.5


class Gap(enum.StrEnum):
    OVER = "over"  # self above others by more than the threshold: over-estimator
    AGREE = "agree"  # within the threshold either way
    UNDER = "under"  # self below others by more than the threshold: under-estimator


def classify_gap(
    self_mean: float | None, others_mean: float | None, threshold: float = GAP_THRESHOLD
) -> Gap | None:
    """Over-estimator, in agreement or under-estimator; None when either figure is missing.

    `others_mean` must be a shown figure (the manager's, or the colleagues' released aggregate):
    a gap computed from figures the participant may not see would leak them.
    """
    if self_mean is None or others_mean is None:
        return None
    if not (math.isfinite(self_mean) and math.isfinite(others_mean)) or threshold < 0:
        raise ValueError("classify_gap needs finite means and a threshold of at least 0")
    gap = self_mean - others_mean
    # A tiny tolerance, so 3.5 − 3.0 (0.5000000000000001 in binary) is still agreement.
    if gap > threshold + 1e-9:
        return Gap.OVER
    if gap < -threshold - 1e-9:
        return Gap.UNDER
    return Gap.AGREE


def release_due(completed: int, still_open: int, window_closed: bool, released: bool) -> bool:
    """Whether the colleagues' aggregate of one participant's moment is released now.

    Once, never again (`released`); only with at least MIN_COLLEAGUES ratings; and only when no
    invited colleague can still answer (`still_open` = 0: all answered, declined or expired) or
    the moment is over for raters (`window_closed`).
    """
    if released or completed < MIN_COLLEAGUES:
        return False
    return still_open == 0 or window_closed


@dataclass(frozen=True)
class Aggregate:
    """The colleagues' figure of one scale: how many had a score, and their mean."""

    n: int
    mean: float | None

    @property
    def shown(self) -> bool:
        return self.n >= MIN_COLLEAGUES and self.mean is not None


def aggregate(means: Iterable[float | None]) -> Aggregate:
    """The mean of the colleagues' scale means (each colleague weighs one), missing ones left out;
    no mean below MIN_COLLEAGUES, so not even the release holds a figure of one or two."""
    found = [m for m in means if m is not None]
    if len(found) < MIN_COLLEAGUES:
        return Aggregate(len(found), None)
    return Aggregate(len(found), math.fsum(found) / len(found))


# --------------------------------------------------------------------------- the file's rules


def check(q: Questionnaire) -> list[tuple[Loc, str]]:
    """A rater form has one moment `rater`, only observable Likert items that mirror a self-scan
    item, and mirrors a participant questionnaire; `observable` belongs to rater forms only."""
    out: list[tuple[Loc, str]] = []
    rater_form = q.audience == "rater"
    for si, section in enumerate(q.sections):
        for ii, item in enumerate(section.items):
            loc: Loc = ("sections", si, "items", ii)
            if not rater_form:
                if item.observable:
                    out.append(
                        (
                            (*loc, "observable"),
                            "only a rater form (audience: rater) has observable items",
                        )
                    )
                continue
            if not isinstance(item, LikertItem):
                out.append(((*loc, "type"), "a rater form asks only Likert items"))
            elif not item.observable:
                out.append(((*loc, "observable"), "every item of a rater form is observable: true"))
            elif item.mirrors is None:
                out.append(
                    ((*loc, "mirrors"), "an observable item names the self-scan item it observes")
                )
    if rater_form:
        if q.mirrors is None:
            out.append((("mirrors",), "a rater form mirrors the participant questionnaire"))
        if set(q.moments) != {RATER}:
            out.append((("moments",), f"a rater form has one moment, '{RATER}'"))
    elif RATER in q.moments:
        out.append(
            (("moments", RATER), "only a rater form (audience: rater) has the moment 'rater'")
        )
    return out


def check_observed(rater_form: Questionnaire, target: Questionnaire) -> list[tuple[Loc, str]]:
    """Each observable item is scored as the self-scan item it observes: the same answer points,
    keying and weight, so self and others share one metric."""
    out: list[tuple[Loc, str]] = []
    if rater_form.audience != "rater":
        return out
    for si, section in enumerate(rater_form.sections):
        for ii, item in enumerate(section.items):
            original = target.items_by_id.get(item.mirrors or "")
            if not isinstance(item, LikertItem) or not isinstance(original, LikertItem):
                continue  # reported by check() or check_mirror()
            loc: Loc = ("sections", si, "items", ii)
            ours = rater_form.point_sets[item.points].values
            theirs = target.point_sets[original.points].values
            if ours != theirs:
                out.append(
                    (
                        (*loc, "points"),
                        f"'{original.id}' is answered on {theirs}, this item on {ours}",
                    )
                )
            if item.reverse != original.reverse or item.weight != original.weight:
                out.append(
                    ((*loc, "reverse"), f"reverse keying and weight must match '{original.id}'")
                )
    return out


def correlation(pairs: Sequence[tuple[float, float]]) -> float | None:
    """Pearson's r of self against others over people (validity evidence: self-ratings agree
    with supervisors' at about r = .22, Heidemeier & Moser 2009); None below three pairs or
    when either side does not vary."""
    if len(pairs) < 3:
        return None
    xs, ys = [p[0] for p in pairs], [p[1] for p in pairs]
    mx, my = math.fsum(xs) / len(xs), math.fsum(ys) / len(ys)
    sxy = math.fsum((x - mx) * (y - my) for x, y in pairs)
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    syy = math.fsum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)
