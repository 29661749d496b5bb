"""Answer validation and scoring: scale means, POMP, bands, SJT and time allocation."""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Literal, NamedTuple, TypeGuard

from assess.engine.definition import (
    Band,
    ChoiceItem,
    Item,
    LikertItem,
    Locale,
    NumericItem,
    Questionnaire,
    SjtItem,
    TextItem,
)
from assess.engine.keying import reverse_key
from assess.engine.messages import Message

__all__ = [
    "SCORE_KINDS",
    "SCORE_VARIANTS",
    "STATUS_INSUFFICIENT",
    "STATUS_OK",
    "AnswerError",
    "AnswerValue",
    "ScaleScore",
    "ScoreRow",
    "ScoreSheet",
    "SjtResult",
    "Status",
    "Variant",
    "coerce_answer",
    "is_blank",
    "missing_required",
    "pomp",
    "reverse_key",
    "score_response",
    "time_total_problem",
    "time_total_problems",
    "validate_answer",
    "validate_answers",
]

AnswerValue = int | float | str | None

# A score row is keyed (scale_id, variant): "now" = self-rating at this moment, "then" = the
# retrospective self-rating of how one was before the course, "seen" = a manager's perception of
# how the consultants work now (the beleidsscan's perception items), "sjt" = scenario effectiveness.
Variant = Literal["now", "then", "seen", "sjt"]
SCORE_VARIANTS: tuple[Variant, ...] = ("now", "then", "seen", "sjt")
SCORE_KINDS = SCORE_VARIANTS  # alias: "kind" and "variant" mean the same here

Status = Literal["ok", "insufficient"]
STATUS_OK: Status = "ok"
STATUS_INSUFFICIENT: Status = "insufficient"

# Float noise (e.g. 39.99999999999999) must not move a score across a band boundary.
_DECIMALS = 10


class AnswerError(ValueError):
    """An answer that does not fit its item; scoring refuses rather than guess.

    ``message`` says what is wrong with ``item_id``; ``errors`` holds every item's message when
    a whole response was checked.
    """

    def __init__(
        self, item_id: str, message: Message, errors: Mapping[str, Message] | None = None
    ) -> None:
        self.item_id = item_id
        self.message = message
        self.errors: dict[str, Message] = dict(errors) if errors else {item_id: message}
        super().__init__(f"{item_id}: {message.key}")


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class ScaleScore:
    """One score of a scale or sub-scale (`scale` or `scale.subscale`) in one variant."""

    scale_id: str
    variant: Variant
    mean: float | None
    pomp: float | None
    band: Band | None
    n_answered: int
    n_items: int
    status: Status

    @property
    def band_id(self) -> str | None:
        """The band's id, for storage."""
        return self.band.id if self.band is not None else None

    @property
    def ok(self) -> bool:
        """True when enough items were answered to report the score."""
        return self.status == STATUS_OK


@dataclass(frozen=True, slots=True)
class SjtResult:
    """The outcome of one scenario shown at the moment (answered or not)."""

    item_id: str
    scale_id: str | None
    chosen: str | None
    effectiveness: float | None
    best: tuple[str, ...]
    explanation: Mapping[Locale, str] | None

    @property
    def chose_best(self) -> bool:
        """True when the chosen option is (one of) the experts' most effective."""
        return self.chosen is not None and self.chosen in self.best


class ScoreRow(NamedTuple):
    """A flat record to persist: one row per (scale_id, variant)."""

    scale_id: str
    variant: Variant
    mean: float | None
    pomp: float | None
    band_id: str | None
    n_answered: int
    n_items: int
    status: Status


@dataclass(frozen=True, slots=True)
class ScoreSheet:
    """All scores of one response at one moment."""

    questionnaire_id: str
    version: int
    moment: str
    scores: tuple[ScaleScore, ...]
    scenarios: tuple[SjtResult, ...]
    time_allocation: tuple[tuple[str, float | None], ...]

    def rows(self) -> list[ScoreRow]:
        """Flat records (scale_id, variant, mean, pomp, band_id, n_answered, n_items, status)."""
        return [
            ScoreRow(
                s.scale_id, s.variant, s.mean, s.pomp, s.band_id, s.n_answered, s.n_items, s.status
            )
            for s in self.scores
        ]

    def get(self, scale_id: str, variant: Variant = "now") -> ScaleScore | None:
        """The score of a scale (or "scale.subscale") in a variant, if computed."""
        return next(
            (s for s in self.scores if s.scale_id == scale_id and s.variant == variant), None
        )


# --------------------------------------------------------------------------- helpers


def pomp(mean: float, lo: float, hi: float) -> float:
    """Percent of maximum possible: (mean - lo) / (hi - lo) * 100, clamped to [0, 100]."""
    value = (mean - lo) / (hi - lo) * 100
    return min(100.0, max(0.0, round(value, _DECIMALS)))


def is_blank(value: object) -> bool:
    """True for an unanswered value: None or a string of only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


# --------------------------------------------------------------------------- validation

MSG_UNKNOWN = Message("answer.unknown_item")
MSG_INVALID = Message("answer.invalid")
MSG_CHOOSE = Message("answer.choose")
MSG_NUMBER = Message("answer.number")


def validate_answer(item: Item, value: object) -> Message | None:
    """What is wrong with a value that does not fit the item, or None when it fits."""
    if is_blank(value):
        return None
    if isinstance(item, LikertItem):
        return _check_likert(item, value)
    if isinstance(item, ChoiceItem | SjtItem):
        if not isinstance(value, str):
            return MSG_INVALID
        return None if any(o.value == value for o in item.options) else MSG_CHOOSE
    if isinstance(item, NumericItem):
        return _check_numeric(item, value)
    if isinstance(item, TextItem):
        if not isinstance(value, str):
            return MSG_INVALID
        if len(value) > item.max_length:
            return Message("answer.too_long", {"max": item.max_length, "length": len(value)})
        return None
    return MSG_INVALID  # pragma: no cover - the union is exhaustive


# Likert values are checked against the point set by validate_answers (it needs the
# questionnaire); here only the type.
def _check_likert(item: LikertItem, value: object) -> Message | None:
    if not _is_number(value) or not float(value).is_integer():
        return MSG_CHOOSE
    return None


def _check_numeric(item: NumericItem, value: object) -> Message | None:
    if not _is_number(value) or not math.isfinite(value):
        return MSG_NUMBER
    number = float(value)
    if not item.min <= number <= item.max:
        return Message("answer.number_range", {"min": item.min, "max": item.max})
    if item.step is not None:
        steps = (number - item.min) / item.step
        if abs(steps - round(steps)) > 1e-9:
            return Message("answer.number_step", {"step": item.step})
    return None


def validate_answers(
    q: Questionnaire, answers: Mapping[str, object], moment: str
) -> dict[str, Message]:
    """item_id -> what is wrong, for every answer that does not fit; {} when all fit."""
    shown = set(q.item_ids_for(moment))
    errors: dict[str, Message] = {}
    for item_id, value in answers.items():
        if item_id not in shown:
            errors[item_id] = MSG_UNKNOWN
            continue
        item = q.items_by_id[item_id]
        message = validate_answer(item, value)
        # validate_answer has checked that a Likert value is a whole number
        if message is None and isinstance(item, LikertItem) and _is_number(value):
            if int(value) not in q.points_for(item).values:
                message = MSG_CHOOSE
        if message is not None:
            errors[item_id] = message
    for item_id, message in time_total_problems(q, answers, moment).items():
        errors.setdefault(item_id, message)
    return errors


def time_total_problems(
    q: Questionnaire, answers: Mapping[str, object], moment: str | None = None
) -> dict[str, Message]:
    """Time-allocation shares that cannot all be true at once: per section (a page asks one
    week), the first item -> why, when the page's shares add up to more than
    `time_allocation_max`. Only the sections of `moment` when one is given."""
    if q.time_allocation_max is None:
        return {}
    sections = q.sections_for(moment) if moment is not None else q.sections
    found: dict[str, Message] = {}
    for section in sections:
        ids = [i.id for i in section.items if i.id in q.time_allocation]
        if ids and (message := time_total_problem(q, ids, answers)) is not None:
            found[ids[0]] = message
    return found


def time_total_problem(
    q: Questionnaire, item_ids: Sequence[str], answers: Mapping[str, object]
) -> Message | None:
    """Why these time-allocation shares cannot all be true at once (their sum above
    `time_allocation_max`), or None."""
    if q.time_allocation_max is None:
        return None
    total = math.fsum(float(v) for i in item_ids if _is_number(v := answers.get(i)))
    if total <= q.time_allocation_max + 1e-9:
        return None
    return Message(
        "answer.time_total", {"total": f"{total:g}", "max": f"{q.time_allocation_max:g}"}
    )


def missing_required(q: Questionnaire, answers: Mapping[str, object], moment: str) -> list[str]:
    """The ids of required items shown at the moment that have no answer, in order."""
    return [
        item_id
        for item_id in q.item_ids_for(moment)
        if q.items_by_id[item_id].required and is_blank(answers.get(item_id))
    ]


def coerce_answer(item: Item, raw: str, q: Questionnaire | None = None) -> AnswerValue:
    """Form input -> answer value; AnswerError (a ValueError) saying why if it does not fit.

    Pass `q` to also check a Likert value against the item's point set.
    """
    if isinstance(item, TextItem):
        # browsers send CRLF; count and store one character per line break
        value = raw.replace("\r\n", "\n").replace("\r", "\n")
        if not value.strip():
            return None
    else:
        value = raw.strip()
        if not value:
            return None
    result: AnswerValue
    if isinstance(item, LikertItem):
        try:
            result = int(value)
        except ValueError:
            raise AnswerError(item.id, MSG_CHOOSE) from None
    elif isinstance(item, NumericItem):
        result = _parse_number(value)
        if result is None:
            raise AnswerError(item.id, MSG_NUMBER)
    else:
        result = value
    message = validate_answer(item, result)
    if message is None and isinstance(item, LikertItem) and q is not None:
        if result not in q.points_for(item).values:
            message = MSG_CHOOSE
    if message is not None:
        raise AnswerError(item.id, message)
    return result


def _parse_number(text: str) -> int | float | None:
    """Parse a Dutch or English number: '12', '12,5', '12.5'; None when it is not one."""
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() and "." not in cleaned else number


# --------------------------------------------------------------------------- scoring


@lru_cache(maxsize=4096)
def _enough(n_answered: int, n_items: int, share: float) -> bool:
    # exact rational comparison: 0.7 * 10 is 7.000000000000001 in floats; cached because
    # Fraction is slow and rescoring every response asks the same few questions again
    if n_items == 0:
        return False
    return Fraction(n_answered, n_items) >= Fraction(share).limit_denominator(10**6)


def _likert_score(
    q: Questionnaire,
    scale_id: str,
    variant: Variant,
    pairs: Sequence[tuple[LikertItem, str]],
    answers: Mapping[str, object],
    lo: int,
    hi: int,
    bands: Iterable[Band],
) -> ScaleScore:
    """Weighted mean of the answered, reverse-keyed items; `pairs` = (keying item, answer id)."""
    total = 0.0
    weights = 0.0
    answered = 0
    for keyed, answer_id in pairs:
        raw = answers.get(answer_id)
        if is_blank(raw):
            continue
        if not _is_number(raw):
            continue  # validate_answers has refused anything else
        value = float(raw)
        if keyed.reverse:
            value = reverse_key(value, lo, hi)
        total += keyed.weight * value
        weights += keyed.weight
        answered += 1
    n_items = len(pairs)
    if not _enough(answered, n_items, q.min_answered_share):
        return ScaleScore(
            scale_id, variant, None, None, None, answered, n_items, STATUS_INSUFFICIENT
        )
    raw_mean = total / weights
    mean = round(raw_mean, _DECIMALS)
    score = pomp(raw_mean, lo, hi)
    band = _band(bands, score)
    return ScaleScore(scale_id, variant, mean, score, band, answered, n_items, STATUS_OK)


def _band(bands: Iterable[Band], score: float) -> Band | None:
    ordered = sorted(bands, key=lambda b: b.from_)
    for n, band in enumerate(ordered):
        if band.from_ <= score < band.to or (n == len(ordered) - 1 and score == band.to):
            return band
    return None


def score_response(q: Questionnaire, answers: Mapping[str, object], moment: str) -> ScoreSheet:
    """Score one response at one moment; raises AnswerError for any answer that does not fit."""
    order = q.item_ids_for(moment)
    errors = validate_answers(q, answers, moment)
    if errors:
        first = next((i for i in order if i in errors), next(iter(errors)))
        raise AnswerError(first, errors[first], errors)
    shown = set(order)
    retro = {orig: item for orig, item in q.retrospective_items.items() if item.id in shown}
    seen = {orig: item for orig, item in q.perception_items.items() if item.id in shown}

    scores: list[ScaleScore] = []
    for scale in q.scales:
        points = q.scale_points(scale.id)
        groups = [(scale.id, scale.items)] + [
            (f"{scale.id}.{sub.id}", sub.items) for sub in scale.subscales
        ]
        if points is not None:
            lo, hi = points
            variants: tuple[tuple[Variant, Mapping[str, LikertItem]], ...] = (
                ("now", {}),
                ("then", retro),
                ("seen", seen),
            )
            for variant, derived in variants:
                for score_id, item_ids in groups:
                    pairs = _pairs(q, item_ids, shown, derived, variant)
                    if pairs:
                        scores.append(
                            _likert_score(q, score_id, variant, pairs, answers, lo, hi, scale.bands)
                        )
        scenarios = [i for i in scale.sjt if i in shown]
        if scenarios:
            scores.append(_sjt_score(q, scale.id, scenarios, answers))

    results = tuple(
        _sjt_result(q, item, answers)
        for item_id in order
        if isinstance(item := q.items_by_id[item_id], SjtItem)
    )
    allocation = tuple(
        (item_id, _number(answers.get(item_id)))
        for item_id in q.time_allocation
        if item_id in shown
    )
    return ScoreSheet(q.id, q.version, moment, tuple(scores), results, allocation)


def _pairs(
    q: Questionnaire,
    item_ids: Sequence[str],
    shown: set[str],
    derived: Mapping[str, LikertItem],
    variant: str,
) -> list[tuple[LikertItem, str]]:
    """(item that carries keying and weight, id whose answer counts) for one variant; `derived`
    maps a scale item to the retrospective ("then") or perception ("seen") item that repeats it.
    """
    pairs: list[tuple[LikertItem, str]] = []
    for item_id in item_ids:
        item = q.items_by_id[item_id]
        assert isinstance(item, LikertItem)  # guaranteed by the definition's cross-checks
        if variant == "now" and item_id in shown:
            pairs.append((item, item_id))
        elif variant != "now" and item_id in derived:
            # the derived item inherits the original's reverse keying and weight
            pairs.append((item, derived[item_id].id))
    return pairs


def _sjt_score(
    q: Questionnaire, scale_id: str, scenarios: Sequence[str], answers: Mapping[str, object]
) -> ScaleScore:
    """Mean effectiveness of the chosen options, also on 0-100 via q.sjt_effectiveness."""
    assert q.sjt_effectiveness is not None  # guaranteed when SJT items exist
    lo, hi = q.sjt_effectiveness
    values: list[float] = []
    for item_id in scenarios:
        item = q.items_by_id[item_id]
        assert isinstance(item, SjtItem)
        chosen = answers.get(item_id)
        if isinstance(chosen, str) and (option := item.option(chosen)) is not None:
            values.append(option.effectiveness)
    n_items = len(scenarios)
    if not _enough(len(values), n_items, q.min_answered_share):
        return ScaleScore(
            scale_id, "sjt", None, None, None, len(values), n_items, STATUS_INSUFFICIENT
        )
    raw_mean = math.fsum(values) / len(values)
    # bands describe the self-rating; an SJT score gets no band text
    return ScaleScore(
        scale_id,
        "sjt",
        round(raw_mean, _DECIMALS),
        pomp(raw_mean, lo, hi),
        None,
        len(values),
        n_items,
        STATUS_OK,
    )


def _sjt_result(q: Questionnaire, item: SjtItem, answers: Mapping[str, object]) -> SjtResult:
    chosen = answers.get(item.id)
    option = item.option(chosen) if isinstance(chosen, str) else None
    return SjtResult(
        item_id=item.id,
        scale_id=q.sjt_scale_of(item.id),
        chosen=option.value if option else None,
        effectiveness=option.effectiveness if option else None,
        best=item.best,
        explanation=item.explanation,
    )


def _number(value: object) -> float | None:
    return float(value) if _is_number(value) else None
