"""The item level of a definition: field types, texts, answer scales, the item types, sections."""

from collections.abc import Iterator, Mapping
from typing import Annotated, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    StringConstraints,
    model_validator,
)

ID_PATTERN = r"^[a-z0-9_]+$"
QUESTIONNAIRE_ID_PATTERN = r"^[a-z0-9-]+$"
KEY_PATTERN = r"^[A-Za-z0-9_-]+$"
PATTERN_HELP = {
    ID_PATTERN: "use only lower-case letters, digits and _",
    QUESTIONNAIRE_ID_PATTERN: "use only lower-case letters, digits and -",
    KEY_PATTERN: "use only letters, digits, _ and -",
}

Ident = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
QuestionnaireId = Annotated[str, StringConstraints(pattern=QUESTIONNAIRE_ID_PATTERN)]
Key = Annotated[str, StringConstraints(pattern=KEY_PATTERN)]
Locale = Literal["nl", "en"]
LOCALES: tuple[Locale, ...] = ("nl", "en")
ItemType = Literal["likert", "choice", "numeric", "sjt", "text"]
ITEM_TYPES: tuple[str, ...] = ("likert", "choice", "numeric", "sjt", "text")


def _check_text(value: dict[str, str]) -> dict[str, str]:
    """Require the Dutch text (the fallback for every locale) and no empty strings."""
    if "nl" not in value:
        raise ValueError("a text needs a Dutch version: add an 'nl' key")
    for locale, string in value.items():
        if not string.strip():
            raise ValueError(f"the '{locale}' text is empty")
    return value


Text = Annotated[dict[Locale, str], AfterValidator(_check_text)]


def text(t: Mapping[Locale, str] | None, lang: str = "nl") -> str:
    """The text in `lang`, falling back to Dutch; '' for a missing text."""
    if not t:
        return ""
    for locale in LOCALES:
        if locale == lang and t.get(locale):
            return t[locale]
    return t.get("nl") or ""


class DefinitionModel(BaseModel):
    # strict: no silent "1" -> 1 or yes -> True coercions; authors get told instead.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# --------------------------------------------------------------------------- answer scales


class Point(DefinitionModel):
    """One labelled point of a Likert answer scale."""

    value: int
    label: Text


class PointSet(RootModel[Annotated[list[Point], Field(min_length=2)]]):
    """A named Likert answer scale: its points in display order."""

    model_config = ConfigDict(frozen=True, strict=True)

    # BaseModel iterates (field, value) pairs; a point set iterates its points, as a list does
    def __iter__(self) -> Iterator[Point]:  # type: ignore[override]
        return iter(self.root)

    def __len__(self) -> int:
        return len(self.root)

    @property
    def values(self) -> list[int]:
        """The point values in display order."""
        return [p.value for p in self.root]

    @property
    def min(self) -> int:
        """The lowest point value."""
        return min(self.values)

    @property
    def max(self) -> int:
        """The highest point value."""
        return max(self.values)


class Option(DefinitionModel):
    """One option of a single-choice item."""

    value: Key
    label: Text


class SjtOption(DefinitionModel):
    """One option of a situational-judgement scenario, keyed by experts."""

    value: Key
    label: Text
    effectiveness: float


# --------------------------------------------------------------------------- items


class _ItemBase(DefinitionModel):
    id: Ident
    required: bool = True
    # beleidsscan: the item of the mirrored questionnaire this one mirrors
    mirrors: Ident | None = None
    # beleidsscan: the norm item this one asks again as "how the consultants work now" (the
    # manager's perception); a Likert one is scored as the variant "seen", keyed as that item
    perception_of: Ident | None = None
    # rater form (audience: rater): behaviour a manager or colleague can see at work, asked in
    # the third person; such an item mirrors the self-scan item it observes
    observable: bool = False


class LikertItem(_ItemBase):
    """A statement answered on a labelled point scale."""

    type: Literal["likert"]
    text: Text | None = None  # may be omitted on a retrospective item
    points: Key
    reverse: bool = False
    weight: float = Field(default=1.0, gt=0)
    retrospective_of: Ident | None = None


class ChoiceItem(_ItemBase):
    """A single-choice question (not scored)."""

    type: Literal["choice"]
    text: Text
    options: list[Option] = Field(min_length=2)


class NumericItem(_ItemBase):
    """A number within bounds, e.g. a percentage of the working week."""

    type: Literal["numeric"]
    text: Text
    min: float
    max: float
    step: float | None = Field(default=None, gt=0)
    unit: Text | None = None

    @model_validator(mode="after")
    def _bounds(self) -> Self:
        if not self.min < self.max:
            raise ValueError(f"min ({self.min:g}) must be below max ({self.max:g})")
        return self


class SjtItem(_ItemBase):
    """A situational-judgement scenario: a case, a question and expert-keyed options."""

    type: Literal["sjt"]
    case: Text
    text: Text
    options: list[SjtOption] = Field(min_length=2)
    explanation: Text | None = None

    @property
    def best(self) -> tuple[str, ...]:
        """The option value(s) with the highest effectiveness."""
        top = max(o.effectiveness for o in self.options)
        return tuple(o.value for o in self.options if o.effectiveness == top)

    def option(self, value: str) -> SjtOption | None:
        """The option with this value, if any."""
        return next((o for o in self.options if o.value == value), None)


class TextItem(_ItemBase):
    """Free text (reflection, action plan); never scored."""

    type: Literal["text"]
    text: Text
    max_length: int = Field(default=2000, ge=1)
    recall: Ident | None = None


Item = Annotated[
    LikertItem | ChoiceItem | NumericItem | SjtItem | TextItem, Field(discriminator="type")
]


class Section(DefinitionModel):
    """One survey page."""

    id: Ident
    title: Text
    intro: Text | None = None
    retrospective: bool = False
    items: list[Item] = Field(min_length=1)
