"""Plausible simulated answers for demo data, load tests and benchmarks."""

import math
import random
from collections.abc import Sequence

from assess.engine.definition import (
    ChoiceItem,
    LikertItem,
    NumericItem,
    PointSet,
    Questionnaire,
    SjtItem,
    TextItem,
)
from assess.engine.keying import Keying, keying
from assess.engine.moments import Moment
from assess.engine.scoring import AnswerValue

__all__ = ["FREE_TEXTS", "simulate_answers"]

FREE_TEXTS: tuple[str, ...] = (
    "Ik wil vaker nee zeggen tegen klussen die niet bij mij horen.",
    "Elke maandag plan ik mijn week en houd ik tijd vrij voor overleg.",
    "Meer samenwerken met het wijkteam en de gemeente.",
    "Bewoners zelf laten meedenken over een oplossing.",
    "Niet meer direct reageren op elke klacht die binnenkomt.",
    "Ik merk dat ik beter mijn grenzen aangeef bij collega's.",
    "Het netwerkoverleg sla ik niet meer over.",
    "Minder zelf oplossen, meer bewoners aan elkaar verbinden.",
    "Eerst navragen wat er echt speelt voordat ik actie onderneem.",
    "Afspraken met partners vastleggen en opvolgen.",
)

# chance that an optional (required: false) item is left blank
_BLANK_OPTIONAL = 0.15
_BLANK_OPTIONAL_TEXT = 0.4
# how far below the intake level people place their "before the course" self
_RETRO_DROP = 0.08


def _clamp(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return min(hi, max(lo, x))


def _nearest(points: PointSet, target: float) -> int:
    """The point value closest to `target` (ties go to the lower value)."""
    return min(points.values, key=lambda v: (abs(v - target), v))


def _likert(points: PointSet, latent: float, keyed: Keying) -> int:
    """The answer of someone at `latent` (0..1); a reverse item is answered mirrored."""
    lo, hi = points.min, points.max
    return _nearest(points, keyed.apply(lo + _clamp(latent) * (hi - lo)))


def _moment_level(level: float, growth: float, moment: str) -> float:
    # exit shows the full growth; a follow-up keeps most of it
    if moment == Moment.EXIT:
        return level + growth
    if moment == Moment.FOLLOWUP:
        return level + 0.8 * growth
    return level


def _round_to(value: float, item: NumericItem) -> float | int:
    """Snap to the item's step (or whole numbers) within its bounds."""
    step = item.step if item.step is not None else 1.0
    snapped = item.min + round((value - item.min) / step) * step
    snapped = min(item.max, max(item.min, snapped))
    # keep whole numbers as int so stored answers look like what a person types
    return int(snapped) if float(snapped).is_integer() else round(snapped, 6)


def _allocation(items: Sequence[NumericItem], rng: random.Random) -> dict[str, float | int]:
    """Percentages of a working week: random shares of a total of 60-95, never above 100."""
    if not items:
        return {}
    shares = [rng.gammavariate(2.0, 1.0) for _ in items]
    total = rng.uniform(60.0, 95.0)
    out = {
        item.id: _round_to(share * total / sum(shares), item)
        for item, share in zip(items, shares, strict=True)
    }
    # rounding up can push the sum past 100: take steps off the largest share
    for _ in range(100):
        if sum(out.values()) <= 100:
            break
        item = max(items, key=lambda i: out[i.id])
        out[item.id] = _round_to(out[item.id] - (item.step or 1.0), item)
    return out


def simulate_answers(
    q: Questionnaire, moment: str, rng: random.Random, level: float, growth: float = 0.0
) -> dict[str, AnswerValue]:
    """Answers for every item shown at `moment` by a person at latent `level` (0..1)."""
    now = _clamp(_moment_level(level, growth, moment))
    then = _clamp(level - _RETRO_DROP)
    # a person is not equally good at everything: one offset per scale, shared by its items
    offsets = {scale.id: rng.gauss(0.0, 0.08) for scale in q.scales}
    scale_of = {item_id: scale.id for scale in q.scales for item_id in scale.items}
    scale_of.update({item_id: scale.id for scale in q.scales for item_id in scale.sjt})

    shown = q.item_ids_for(moment)
    # one working week per page (the beleidsscan asks the expected and the observed week)
    allocation: dict[str, float | int] = {}
    for section in q.sections_for(moment):
        allocation_items = [
            item
            for item in section.items
            if item.id in q.time_allocation and isinstance(item, NumericItem)
        ]
        allocation.update(_allocation(allocation_items, rng))

    answers: dict[str, AnswerValue] = {}
    for item_id in shown:
        item = q.items_by_id[item_id]
        optional = not item.required
        if isinstance(item, TextItem):
            if optional and rng.random() < _BLANK_OPTIONAL_TEXT:
                answers[item_id] = None
            else:
                answers[item_id] = rng.choice(FREE_TEXTS)[: item.max_length]
            continue
        if optional and rng.random() < _BLANK_OPTIONAL:
            answers[item_id] = None
            continue
        if isinstance(item, LikertItem):
            # A retrospective item belongs to the scale of the item it looks back on.
            scored = item.retrospective_of or item_id
            base = then if item.retrospective_of is not None else now
            offset = offsets.get(scale_of.get(scored, ""), 0.0)
            latent = base + offset + rng.gauss(0.0, 0.12)
            answers[item_id] = _likert(q.points_for(item), latent, keying(q, item))
        elif isinstance(item, SjtItem):
            offset = offsets.get(scale_of.get(item_id, ""), 0.0)
            answers[item_id] = _sjt_choice(q, item, now + offset, rng)
        elif isinstance(item, NumericItem):
            if item_id in allocation:
                answers[item_id] = allocation[item_id]
            else:
                share = _clamp(rng.gauss(0.4, 0.2))
                answers[item_id] = _round_to(item.min + share * (item.max - item.min), item)
        elif isinstance(item, ChoiceItem):
            answers[item_id] = rng.choice(item.options).value
    return answers


def _sjt_choice(q: Questionnaire, item: SjtItem, level: float, rng: random.Random) -> str:
    """Pick an option: the higher the level, the likelier the effective ones."""
    lo, hi = q.sjt_effectiveness or (0.0, 1.0)
    # level 0.5 chooses at random; 1 strongly prefers effective options, 0 the ineffective ones
    sharpness = 6.0 * (2.0 * _clamp(level) - 1.0)
    weights = [math.exp(sharpness * (o.effectiveness - lo) / (hi - lo)) for o in item.options]
    return rng.choices(item.options, weights=weights, k=1)[0].value
