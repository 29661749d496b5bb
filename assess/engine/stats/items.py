"""Item analysis of a scale: per item its spread, floor and ceiling, item-rest correlation and
alpha if it were deleted; correlations between scale scores; choice shares of scenario options.

The figures a questionnaire's owner reads to see which items work (Nunnally & Bernstein 1994,
Psychometric Theory, 3rd ed., ch. 8; the "Item-Total Statistics" of SPSS's RELIABILITY).
Everything is computed on keyed answers (reverse items already mirrored), so a high item-rest
correlation is good for every item and a negative one points at a keying or wording problem.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from assess.engine.messages import Message
from assess.engine.stats.common import (
    NotComputable,
    Number,
    Value,
    clean,
    finite,
    no_spread,
    quiet,
)
from assess.engine.stats.reliability import Alpha, cronbach_alpha

# An item whose floor or ceiling share is above this tells little about people at that end.
FLOOR_CEILING_FLAG = 0.15
# An item that correlates less than this with the rest of its scale barely belongs to it.
ITEM_REST_FLAG = 0.30


@dataclass(frozen=True, slots=True)
class ItemFigures:
    """One item of a scale. ``asked`` counts the responses that were shown the item, ``n`` those
    that answered it; mean, SD, floor and ceiling are over the answers; ``item_rest`` and
    ``alpha_if_deleted`` over the scale's complete responses (as its alpha, listwise).
    """

    item_id: str
    asked: int
    n: int
    missing: Value
    mean: Value
    sd: Value
    floor: Value
    ceiling: Value
    item_rest: Value
    alpha_if_deleted: Value

    @property
    def flagged(self) -> bool:
        """At floor or ceiling for many, or hardly related to the rest of its scale."""
        ends = (self.floor, self.ceiling)
        crowded = any(isinstance(v, float) and v > FLOOR_CEILING_FLAG for v in ends)
        weak = isinstance(self.item_rest, float) and self.item_rest < ITEM_REST_FLAG
        return crowded or weak


@dataclass(frozen=True, slots=True)
class ScaleAnalysis:
    """The items of one scale and its alpha (with Feldt's interval)."""

    scale_id: str
    items: list[ItemFigures]
    alpha: Alpha


def _share(count: int, of: int, why: str) -> Value:
    return count / of if of else NotComputable(Message(why))


def _pearson(x: np.ndarray, y: np.ndarray) -> Value:
    if x.size < 3:
        return NotComputable(Message("stats.few_respondents"))
    if no_spread(x) or no_spread(y):
        return NotComputable(Message("stats.no_spread"))
    return finite(float(np.corrcoef(x, y)[0, 1]))


@quiet
def analyse_scale(
    scale_id: str,
    item_ids: Sequence[str],
    matrix: Sequence[Sequence[Number]],
    low: float,
    high: float,
    confidence: float = 0.95,
) -> ScaleAnalysis:
    """Item figures and alpha of one scale.

    ``matrix``: one row per response that was shown the scale's items, one column per item in
    ``item_ids`` order, keyed answers on the points ``low``..``high``, None for a missing answer.
    Floor and ceiling are the shares of answers at ``low`` and ``high`` (keyed: the end that
    scores lowest and highest). The item-rest correlation is Pearson's r of the item with the
    sum of the other items of the scale (the "corrected item-total correlation"), and alpha if
    deleted is Cronbach's alpha of the other items; both on the responses that answered every
    item, the same rows the scale's alpha rests on.
    """
    rows = [clean(row) for row in matrix]
    k = len(item_ids)
    if any(len(r) != k for r in rows):
        raise ValueError(f"every row needs {k} answers")
    alpha = cronbach_alpha(rows, confidence)
    complete = np.array([r for r in rows if all(v is not None for v in r)], dtype=float)
    complete = complete.reshape(-1, k)
    asked = len(rows)
    figures = []
    for j, item_id in enumerate(item_ids):
        present = np.array([r[j] for r in rows if r[j] is not None], dtype=float)
        n = int(present.size)
        few = NotComputable(Message("stats.no_answers"))
        mean: Value = finite(float(present.mean())) if n else few
        sd: Value = (
            finite(float(present.std(ddof=1)))
            if n >= 2
            else NotComputable(Message("stats.few_values_for_sd"))
        )
        floor = _share(int(np.sum(np.isclose(present, low))), n, "stats.no_answers")
        ceiling = _share(int(np.sum(np.isclose(present, high))), n, "stats.no_answers")
        if k < 2:
            item_rest: Value = NotComputable(Message("stats.few_items"))
            without: Value = item_rest
        else:
            rest = np.delete(complete, j, axis=1)
            item_rest = _pearson(complete[:, j], rest.sum(axis=1))
            without = (
                cronbach_alpha(rest.tolist()).alpha
                if k > 2
                else NotComputable(Message("stats.few_items"))
            )
        figures.append(
            ItemFigures(
                item_id=item_id,
                asked=asked,
                n=n,
                missing=_share(asked - n, asked, "stats.no_answers"),
                mean=mean,
                sd=sd,
                floor=floor,
                ceiling=ceiling,
                item_rest=item_rest,
                alpha_if_deleted=without,
            )
        )
    return ScaleAnalysis(scale_id, figures, alpha)


@dataclass(frozen=True, slots=True)
class Correlation:
    """Pearson's r between two scale scores over the responses that have both."""

    a: str
    b: str
    r: Value
    n: int


@quiet
def scale_correlations(scores: Mapping[str, Sequence[Number]]) -> list[Correlation]:
    """Pearson's r of every pair of scales (in the mapping's order), pairwise complete.

    ``scores``: scale id -> one score per response, the same responses in the same order for
    every scale, None where a response has no score on it.
    """
    ids = list(scores)
    cleaned = {sid: clean(values) for sid, values in scores.items()}
    lengths = {len(v) for v in cleaned.values()}
    if len(lengths) > 1:
        raise ValueError(f"score lists differ in length: {sorted(lengths)}")
    out = []
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            both = [
                (x, y)
                for x, y in zip(cleaned[a], cleaned[b], strict=True)
                if x is not None and y is not None
            ]
            x = np.array([p[0] for p in both], dtype=float)
            y = np.array([p[1] for p in both], dtype=float)
            out.append(Correlation(a, b, _pearson(x, y), len(both)))
    return out


@dataclass(frozen=True, slots=True)
class OptionShare:
    """How often one scenario option was chosen, and whether the key calls it best."""

    value: str
    count: int
    share: Value
    best: bool


def option_shares(
    counts: Mapping[str, int], options: Sequence[str], best: Sequence[str]
) -> tuple[list[OptionShare], Value]:
    """Each option's share of the answers (in ``options`` order) and the share that chose a
    keyed best option; an answer that is no option still counts in the total.
    """
    total = sum(counts.values())
    shares = [
        OptionShare(
            o, counts.get(o, 0), _share(counts.get(o, 0), total, "stats.no_answers"), o in best
        )
        for o in options
    ]
    keyed = _share(sum(counts.get(o, 0) for o in best), total, "stats.no_answers")
    return shares, keyed
