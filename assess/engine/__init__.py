"""The pure questionnaire engine: definitions, validation, scoring and simulated answers.

Public API (no Flask, no database):

- `load_questionnaire(path) -> Questionnaire`, `load_directory(path) -> list[Questionnaire]`,
  `parse_questionnaire(data, file)`, `json_schema()`; problems raise `DefinitionError`
  (`.file`, `.problems: list[Problem]`, one `FILE: PATH: MESSAGE` line each).
- `Questionnaire` look-ups: `items_by_id`, `sections_for(moment)`, `item_ids_for(moment)`,
  `text(t, lang)`, `item_text(item, lang)`, `scale_ids()`, `items_of(scale_id)`,
  `points_for(item)`, `scale_points(scale_id)`.
- `validate_answers(q, answers, moment) -> {item_id: Message}`, `missing_required(...)`,
  `coerce_answer(item, raw, q=None)` for form input (raises `AnswerError` with a `Message`).
- `Message` (`messages.py`): what the engine tells a reader, an id with parameters; the edge
  (`assess.formatting.say`) says it in the reader's language. Statistics live in `stats`.
- `score_response(q, answers, moment) -> ScoreSheet` (`.rows()` to persist, keyed by
  `(scale_id, variant)` with variant in `SCORE_VARIANTS` = now | then | seen | sjt); invalid answers
  raise `AnswerError`.
- `simulate_answers(q, moment, rng, level, growth=0.0)` for demo data and benchmarks.
"""

from assess.engine.definition import (
    Band,
    ChoiceItem,
    DefinitionError,
    Item,
    LikertItem,
    Moment,
    NumericItem,
    Option,
    Point,
    PointSet,
    Problem,
    Questionnaire,
    Scale,
    Section,
    SjtItem,
    SjtOption,
    Subscale,
    TextItem,
    json_schema,
    load_directory,
    load_questionnaire,
    parse_questionnaire,
    text,
)
from assess.engine.scoring import (
    SCORE_KINDS,
    SCORE_VARIANTS,
    STATUS_INSUFFICIENT,
    STATUS_OK,
    AnswerError,
    AnswerValue,
    ScaleScore,
    ScoreRow,
    ScoreSheet,
    SjtResult,
    Variant,
    coerce_answer,
    missing_required,
    score_response,
    validate_answers,
)
from assess.engine.simulate import simulate_answers

__all__ = [
    "SCORE_KINDS",
    "SCORE_VARIANTS",
    "STATUS_INSUFFICIENT",
    "STATUS_OK",
    "AnswerError",
    "AnswerValue",
    "Band",
    "ChoiceItem",
    "DefinitionError",
    "Item",
    "LikertItem",
    "Moment",
    "NumericItem",
    "Option",
    "Point",
    "PointSet",
    "Problem",
    "Questionnaire",
    "Scale",
    "ScaleScore",
    "ScoreRow",
    "ScoreSheet",
    "Section",
    "SjtItem",
    "SjtOption",
    "SjtResult",
    "Subscale",
    "TextItem",
    "Variant",
    "coerce_answer",
    "json_schema",
    "load_directory",
    "load_questionnaire",
    "missing_required",
    "parse_questionnaire",
    "score_response",
    "simulate_answers",
    "text",
    "validate_answers",
]
