"""Questionnaire definitions (questionnaires/FORMAT.md) under one name.

The parts live in modules of their own: `items` and `questionnaire` (the schema models),
`checks`, `scale_checks` and `mirrors` (the cross-checks), `problems` (where a problem is and
how it reads) and `loading` (YAML, folders, JSON Schema). Import from here or from those.
"""

from assess.engine.items import (
    ID_PATTERN,
    ITEM_TYPES,
    KEY_PATTERN,
    QUESTIONNAIRE_ID_PATTERN,
    ChoiceItem,
    Ident,
    Item,
    ItemType,
    Key,
    LikertItem,
    Locale,
    NumericItem,
    Option,
    Point,
    PointSet,
    QuestionnaireId,
    Section,
    SjtItem,
    SjtOption,
    Text,
    TextItem,
    text,
)
from assess.engine.loading import (
    json_schema,
    load_directory,
    load_questionnaire,
    parse_questionnaire,
)
from assess.engine.mirrors import check_mirror
from assess.engine.problems import DefinitionError, Loc, Problem
from assess.engine.questionnaire import Band, Moment, Questionnaire, Scale, Subscale

__all__ = [
    "ID_PATTERN",
    "ITEM_TYPES",
    "KEY_PATTERN",
    "QUESTIONNAIRE_ID_PATTERN",
    "Band",
    "ChoiceItem",
    "DefinitionError",
    "Ident",
    "Item",
    "ItemType",
    "Key",
    "LikertItem",
    "Loc",
    "Locale",
    "Moment",
    "NumericItem",
    "Option",
    "Point",
    "PointSet",
    "Problem",
    "Questionnaire",
    "QuestionnaireId",
    "Scale",
    "Section",
    "SjtItem",
    "SjtOption",
    "Subscale",
    "Text",
    "TextItem",
    "check_mirror",
    "json_schema",
    "load_directory",
    "load_questionnaire",
    "parse_questionnaire",
    "text",
]
