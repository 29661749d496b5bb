"""Plausible simulated answers for demo data, load tests and benchmarks.

Two ways in. `simulate_answers(q, moment, rng, level, growth)` answers as one person around a
chosen level (tests that need "a high scorer"). `draw_participant(q, rng)` draws a person
from a population of housing consultants rating themselves, and is what the demo
(assess/demo.py) and the synthetic sector (benchmarks/synthetic.py) use, so that their figures
look like what real self-report data of a course gives, not like a textbook:

=======================================  ========================  ==============================
figure (on the shipped instrument)       target                    source
=======================================  ========================  ==============================
Cronbach's alpha of a main scale, at     .70-.85                   Peterson (1994), A meta-
every moment                                                       analysis of Cronbach's
                                                                   coefficient alpha, J. Consumer
                                                                   Research 21(2):381-391 (mean
                                                                   alpha of published scales .77)
correlation between two main scales      .30-.50                   related but distinct self-
                                                                   report scales; Bosco et al.
                                                                   (2015), Correlational effect
                                                                   size benchmarks, J. Applied
                                                                   Psychology 100(2):431-449
scenario (SJT) score with the Likert     <= .30                    McDaniel, Hartman, Whetzel &
score of the same scale                                            Grubb (2007), Situational
                                                                   judgment tests, response
                                                                   instructions, and validity,
                                                                   Personnel Psychology 60(1):
                                                                   63-91 (SJTs correlate modestly
                                                                   with self-descriptions);
                                                                   Catano, Brochu & Lamerson
                                                                   (2012), Int. J. Selection and
                                                                   Assessment 20(3):333-346 (SJT
                                                                   internal consistency is low)
self-ratings high, skewed to the left,   item mean ~3.6-3.9 of 5,  Harris & Schaubroeck (1988), A
with a ceiling                           answers at the top        meta-analysis of self-
                                         10-25 %, skew < 0         supervisor, self-peer and
                                                                   peer-supervisor ratings,
                                                                   Personnel Psychology 41(1):
                                                                   43-62 (self-ratings are
                                                                   lenient); Dunning, Heath &
                                                                   Suls (2004), Flawed self-
                                                                   assessment, Psychological
                                                                   Science in the Public Interest
                                                                   5(3):69-106
change intake -> exit, Hedges' g_av      .20-.50                   Taylor, Russ-Eft & Chan (2005),
                                                                   A meta-analytic review of
                                                                   behavior modeling training, J.
                                                                   Applied Psychology 90(4):692-
                                                                   709, and Blume, Ford, Baldwin
                                                                   & Huang (2010), Transfer of
                                                                   training: a meta-analytic
                                                                   review, J. Management 36(4):
                                                                   1065-1105 (changes in work
                                                                   behaviour after training are
                                                                   small to moderate)
=======================================  ========================  ==============================

tests/engine/test_simulate.py checks every row on a seeded simulation of 300 people.
"""

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

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

__all__ = [
    "FACTOR_R",
    "FREE_TEXTS",
    "Person",
    "draw_participant",
    "simulate_answers",
    "simulate_person",
]

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

# The measurement model, on a latent 0..1 line that maps linearly onto an item's points.
# Each person has one level per main scale; the three levels correlate FACTOR_R (people good at
# planning tend to be good at saying no, but not always). Each sub-scale adds a person's own
# deviation (so items of one sub-scale agree more than items of different ones), each item its
# own loading, difficulty and noise, and each person a tendency to agree (acquiescence) that
# pushes the raw answer up whatever the item's keying. Tuned so that on the shipped instrument
# the main scales' alphas land around .75-.85 and their correlations around .4-.6, as real
# self-report scales do; see tests/engine/test_simulate.py.
FACTOR_R = 0.55
_LEVEL_SD = 0.125  # spread of a person's scale levels around their general level
_SUB_SD = 0.075  # a person's deviation per sub-scale
_ITEM_NOISE = 0.2  # answer noise per item and moment (Person.noise)
_ACQUIESCENCE_SD = 0.03  # a person's tendency to agree, in latent units
_GROWTH_SD = 0.04  # how much a person's growth differs between scales
_LOADING = (0.75, 1.25)  # items differ in how strongly they follow the scale level
_DIFFICULTY_SD = 0.05  # and in how easily people agree with them


@dataclass(frozen=True)
class Person:
    """One simulated person's latent make-up, the same at every moment they answer.

    ``levels``: main scale id -> level (0..1) at intake; ``growth``: main scale id -> change by
    exit; ``subs``: sub-scale id ("scale.sub") -> the person's deviation there; ``agree``: the
    acquiescence shift of every raw Likert answer.
    """

    levels: dict[str, float]
    growth: dict[str, float]
    subs: dict[str, float]
    agree: float = 0.0
    # main scale id -> the level the person's scenario choices follow; empty: the scale level
    judgement: dict[str, float] = field(default_factory=dict)
    noise: float = 0.2  # answer noise per item and moment (latent units)


def _correlated(k: int, r: float, rng: random.Random) -> list[float]:
    """k standard normal draws with pairwise correlation r (one shared and one own part each)."""
    shared = rng.gauss(0.0, 1.0)
    return [math.sqrt(r) * shared + math.sqrt(1.0 - r) * rng.gauss(0.0, 1.0) for _ in range(k)]


def simulate_person(
    q: Questionnaire,
    rng: random.Random,
    level: float,
    growth: float = 0.0,
    factor_r: float = FACTOR_R,
) -> Person:
    """A person whose scale levels scatter around `level`, correlated `factor_r` between scales,
    with `growth` (give or take) on each scale by exit.
    """
    scales = list(q.scales)
    factors = _correlated(len(scales), factor_r, rng)
    levels = {s.id: level + _LEVEL_SD * f for s, f in zip(scales, factors, strict=True)}
    growths = {s.id: growth + rng.gauss(0.0, _GROWTH_SD) for s in scales}
    subs = {f"{s.id}.{sub.id}": rng.gauss(0.0, _SUB_SD) for s in scales for sub in s.subscales}
    return Person(levels, growths, subs, rng.gauss(0.0, _ACQUIESCENCE_SD))


# The population `draw_participant` draws from (see the module's table for the targets).
POPULATION_LEVEL = 0.66  # latent mean of a scale: self-ratings sit well above the midpoint
POPULATION_SD = 0.15  # spread of one scale level between people
# The spread is a mirrored gamma of this shape (skew -2/sqrt(shape)): most people rate
# themselves high, a longer tail rates itself low.
POPULATION_SHAPE = 4.0
SCALE_R = 0.5  # latent correlation between a person's levels on two scales
SJT_R = 0.25  # latent correlation of scenario judgement with the scale's level
POPULATION_NOISE = 0.25  # answer noise per item and moment
GROWTH_MEAN = 0.05  # mean latent change by exit (follow-up keeps 80 %)
GROWTH_SPREAD = 0.035  # how much people's change differs, per scale
# Who started lower gains more: room at the top and regression to the mean. Without it the
# exit's spread (and so its alpha) grows with every person's own change.
CATCH_UP = 0.1


def _skewed(rng: random.Random) -> float:
    """A draw with mean 0, SD 1 and skew -2/sqrt(POPULATION_SHAPE) (a mirrored gamma)."""
    k = POPULATION_SHAPE
    return (k - rng.gammavariate(k, 1.0)) / math.sqrt(k)


def draw_participant(q: Questionnaire, rng: random.Random) -> Person:
    """A housing consultant from the population above: scale levels correlated SCALE_R,
    skewed and high; scenario judgement correlated SJT_R with each scale level; a small
    change by exit that is larger for who started lower. Answer with
    ``simulate_answers(q, moment, rng, POPULATION_LEVEL, person=person)``.
    """
    scales = list(q.scales)
    shared = _skewed(rng)
    # who changes on one scale tends to change on the others too
    shared_growth = rng.gauss(0.0, 1.0)
    levels, judgement, growth = {}, {}, {}
    for scale in scales:
        z = math.sqrt(SCALE_R) * shared + math.sqrt(1.0 - SCALE_R) * _skewed(rng)
        level = POPULATION_LEVEL + POPULATION_SD * z
        levels[scale.id] = level
        judged = SJT_R * z + math.sqrt(1.0 - SJT_R**2) * rng.gauss(0.0, 1.0)
        own = rng.gauss(0.0, 1.0)
        judgement[scale.id] = POPULATION_LEVEL + POPULATION_SD * judged
        growth[scale.id] = (
            GROWTH_MEAN
            + GROWTH_SPREAD * (math.sqrt(SCALE_R) * shared_growth + math.sqrt(1 - SCALE_R) * own)
            - CATCH_UP * (level - POPULATION_LEVEL)
        )
    person = simulate_person(q, rng, POPULATION_LEVEL, GROWTH_MEAN)
    return replace(
        person,
        levels=levels,
        growth=growth,
        judgement=judgement,
        noise=POPULATION_NOISE,
    )


def _item_traits(item_id: str) -> tuple[float, float]:
    """(loading, difficulty) of an item: fixed per item id, the same for everyone."""
    own = random.Random(f"item:{item_id}")
    return own.uniform(*_LOADING), own.gauss(0.0, _DIFFICULTY_SD)


def _clamp(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return min(hi, max(lo, x))


def _nearest(points: PointSet, target: float) -> int:
    """The point value closest to `target` (ties go to the lower value)."""
    return min(points.values, key=lambda v: (abs(v - target), v))


def _likert(points: PointSet, latent: float, keyed: Keying, agree: float = 0.0) -> int:
    """The answer of someone at `latent` (0..1); a reverse item is answered mirrored, and a
    tendency to agree (`agree`, latent units) moves the raw answer up either way.
    """
    lo, hi = points.min, points.max
    raw = keyed.apply(lo + _clamp(latent) * (hi - lo)) + agree * (hi - lo)
    return _nearest(points, raw)


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
    q: Questionnaire,
    moment: str,
    rng: random.Random,
    level: float,
    growth: float = 0.0,
    person: Person | None = None,
) -> dict[str, AnswerValue]:
    """Answers for every item shown at `moment` by a person at general level `level` (0..1).

    Pass the same `person` (from :func:`simulate_person`) for each moment of one participant,
    so intake, exit and follow-up come from one make-up; without it a person around `level`
    and `growth` is drawn for this call alone.
    """
    if person is None:
        person = simulate_person(q, rng, level, growth)
    scale_of = {item_id: scale.id for scale in q.scales for item_id in scale.items}
    scale_of.update({item_id: scale.id for scale in q.scales for item_id in scale.sjt})
    sub_of = {
        item_id: f"{scale.id}.{sub.id}"
        for scale in q.scales
        for sub in scale.subscales
        for item_id in sub.items
    }

    def now(scale_id: str) -> float:
        base = person.levels.get(scale_id, level)
        return _moment_level(base, person.growth.get(scale_id, growth), moment)

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
            # A retrospective item belongs to the scale of the item it looks back on and is
            # answered from the intake level, a little lower.
            scored = item.retrospective_of or item_id
            scale_id = scale_of.get(scored, "")
            base = (
                person.levels.get(scale_id, level) - _RETRO_DROP
                if item.retrospective_of is not None
                else now(scale_id)
            )
            loading, difficulty = _item_traits(scored)
            latent = (
                0.5
                + loading * (base + person.subs.get(sub_of.get(scored, ""), 0.0) - 0.5)
                + difficulty
                + rng.gauss(0.0, person.noise)
            )
            answers[item_id] = _likert(q.points_for(item), latent, keying(q, item), person.agree)
        elif isinstance(item, SjtItem):
            scale_id = scale_of.get(item_id, "")
            judged = person.judgement.get(scale_id)
            sjt_level = (
                now(scale_id)
                if judged is None
                else _moment_level(judged, person.growth.get(scale_id, growth), moment)
            )
            answers[item_id] = _sjt_choice(q, item, sjt_level, rng)
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
