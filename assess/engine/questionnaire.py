"""The questionnaire level of a definition: scales, bands, moments and the look-ups."""

from collections.abc import Mapping
from functools import cached_property
from typing import Literal, Self

from pydantic import ConfigDict, Field, ValidationInfo, field_validator, model_validator

from assess.engine.checks import cross_check
from assess.engine.items import (
    DefinitionModel,
    Ident,
    Item,
    Key,
    LikertItem,
    Locale,
    PointSet,
    QuestionnaireId,
    Section,
    Text,
    text,
)
from assess.engine.problems import DefinitionError, problem_at


class Band(DefinitionModel):
    """A POMP range with its feedback; `from` inclusive, `to` exclusive (the last inclusive)."""

    model_config = ConfigDict(populate_by_name=True)

    id: Ident
    from_: float = Field(alias="from", ge=0, le=100)
    to: float = Field(ge=0, le=100)
    label: Text
    feedback: Text | None = None
    tips: list[Text] = []


class Subscale(DefinitionModel):
    """A named group of Likert items within a scale."""

    id: Ident
    title: Text
    description: Text | None = None
    items: list[Ident] = Field(min_length=1)


class Scale(DefinitionModel):
    """A dimension: its sub-scales' Likert items, its SJT scenarios and its bands."""

    id: Ident
    title: Text
    description: Text | None = None
    points: list[int] | None = Field(default=None, min_length=2, max_length=2)
    sjt: list[Ident] = []
    bands: list[Band] = []
    subscales: list[Subscale] = []

    @field_validator("points")
    @classmethod
    def _ordered(cls, value: list[int] | None) -> list[int] | None:
        if value is not None and not value[0] < value[1]:
            raise ValueError("points must be [min, max] with min < max")
        return value

    @property
    def items(self) -> list[str]:
        """The union of the sub-scales' items, in order."""
        return [i for sub in self.subscales for i in sub.items]

    def band_for(self, pomp: float) -> Band | None:
        """The band containing this 0-100 score."""
        ordered = sorted(self.bands, key=lambda b: b.from_)
        for n, band in enumerate(ordered):
            last = n == len(ordered) - 1
            if band.from_ <= pomp < band.to or (last and pomp == band.to):
                return band
        return None


class Moment(DefinitionModel):
    """A measurement moment and the sections it shows, in order."""

    title: Text
    sections: list[Ident] = Field(min_length=1)
    # estimated time to fill in this moment; overrides the file's `minutes`
    minutes: int | None = Field(default=None, ge=1)


class GoalExample(DefinitionModel):
    """An example of a course goal (Goal Attainment Scaling) shown to participants when they
    write their own: a theme (a scale id), the goal, an if-then plan and its expected level."""

    theme: Ident
    text: Text
    if_then: Text
    expected: Text


# --------------------------------------------------------------------------- questionnaire


class Questionnaire(DefinitionModel):
    """One instrument, as in questionnaires/FORMAT.md."""

    id: QuestionnaireId
    version: int = Field(ge=1)
    title: Text
    intro: Text | None = None
    minutes: int | None = Field(default=None, ge=1)  # one figure for every moment (version 1)
    min_answered_share: float = Field(default=0.8, gt=0, le=1)
    audience: Literal["participant", "manager", "rater"] = "participant"
    mirrors: QuestionnaireId | None = None
    # the version of `mirrors` this file mirrors; default its newest installed version
    mirrors_version: int | None = Field(default=None, ge=1)
    point_sets: dict[Key, PointSet] = {}
    sjt_effectiveness: list[float] | None = Field(default=None, min_length=2, max_length=2)
    sections: list[Section] = Field(min_length=1)
    scales: list[Scale] = []
    time_allocation: list[Ident] = []
    # the time-allocation shares may add up to at most this (e.g. 100 %); None = no limit
    time_allocation_max: float | None = Field(default=None, gt=0)
    # the moment after whose submission the personal report shows the scenarios' expert answers
    # and explanations; None = right away (version 1)
    sjt_keys_after: Ident | None = None
    moments: dict[Ident, Moment] = Field(min_length=1)
    # examples of goals with if-then plans, per theme, for the goals page (optional)
    goal_examples: list[GoalExample] = []

    @field_validator("sjt_effectiveness")
    @classmethod
    def _range(cls, value: list[float] | None) -> list[float] | None:
        if value is not None and not value[0] < value[1]:
            raise ValueError("sjt_effectiveness must be [min, max] with min < max")
        return value

    @model_validator(mode="after")
    def _cross_checks(self, info: ValidationInfo) -> Self:
        found = cross_check(self)
        if found:
            context = info.context or {}
            root = context.get("data", self)
            lines = context.get("lines", {})
            raise DefinitionError(
                context.get("file", "<data>"),
                [problem_at(loc, message, root, lines) for loc, message in found],
            )
        return self

    # -- look-ups -------------------------------------------------------------

    @cached_property
    def items_by_id(self) -> dict[str, Item]:
        """Every item of the file by id."""
        return {item.id: item for section in self.sections for item in section.items}

    @cached_property
    def sections_by_id(self) -> dict[str, Section]:
        """Every section by id."""
        return {section.id: section for section in self.sections}

    @cached_property
    def scales_by_id(self) -> dict[str, Scale]:
        """Every scale by id (sub-scales are not included)."""
        return {scale.id: scale for scale in self.scales}

    @cached_property
    def retrospective_items(self) -> dict[str, LikertItem]:
        """Original item id -> the retrospective ("then") item that repeats it."""
        return {
            item.retrospective_of: item
            for item in self.items_by_id.values()
            if isinstance(item, LikertItem) and item.retrospective_of
        }

    @cached_property
    def perception_items(self) -> dict[str, LikertItem]:
        """Norm item id -> the perception ("seen") item that asks it again (the beleidsscan)."""
        return {
            item.perception_of: item
            for item in self.items_by_id.values()
            if isinstance(item, LikertItem) and item.perception_of
        }

    def minutes_for(self, moment: str) -> int | None:
        """The estimated minutes to fill in a moment: its own figure, else the file's."""
        found = self.moments.get(moment)
        return found.minutes if found and found.minutes else self.minutes

    @cached_property
    def _moment_items(self) -> dict[str, tuple[str, ...]]:
        return {
            moment: tuple(item.id for sid in m.sections for item in self.sections_by_id[sid].items)
            for moment, m in self.moments.items()
        }

    def sections_for(self, moment: str) -> list[Section]:
        """The sections a moment shows, in order; KeyError for an unknown moment."""
        if moment not in self.moments:
            raise KeyError(f"unknown moment {moment!r} in questionnaire {self.id}")
        return [self.sections_by_id[sid] for sid in self.moments[moment].sections]

    def item_ids_for(self, moment: str) -> list[str]:
        """The ids of the items a moment shows, in order."""
        if moment not in self.moments:
            raise KeyError(f"unknown moment {moment!r} in questionnaire {self.id}")
        return list(self._moment_items[moment])

    @staticmethod
    def text(t: Mapping[Locale, str] | None, lang: str = "nl") -> str:
        """The text in `lang`, falling back to Dutch."""
        return text(t, lang)

    def item_text(self, item: Item, lang: str = "nl") -> str:
        """The item's question; a retrospective item without text shows its original's."""
        if isinstance(item, LikertItem) and item.text is None and item.retrospective_of:
            return self.item_text(self.items_by_id[item.retrospective_of], lang)
        return text(item.text, lang)

    def scale_ids(self) -> list[str]:
        """Every score id: "scale" and "scale.subscale", in file order."""
        ids: list[str] = []
        for scale in self.scales:
            ids.append(scale.id)
            ids.extend(f"{scale.id}.{sub.id}" for sub in scale.subscales)
        return ids

    def items_of(self, scale_id: str) -> list[str]:
        """The Likert item ids of a scale or of a "scale.subscale"; KeyError if unknown."""
        scale_part, _, sub_part = scale_id.partition(".")
        scale = self.scales_by_id.get(scale_part)
        if scale is None:
            raise KeyError(f"unknown scale {scale_id!r}")
        if not sub_part:
            return scale.items
        for sub in scale.subscales:
            if sub.id == sub_part:
                return list(sub.items)
        raise KeyError(f"unknown scale {scale_id!r}")

    def points_for(self, item: LikertItem | str) -> PointSet:
        """The point set of a Likert item (or item id)."""
        found = self.items_by_id[item] if isinstance(item, str) else item
        if not isinstance(found, LikertItem):
            raise TypeError(f"item {found.id!r} is a {found.type} item, not a Likert item")
        return self.point_sets[found.points]

    def scale_points(self, scale_id: str) -> tuple[int, int] | None:
        """A scale's fixed [min, max]: its `points`, else its items' common range."""
        scale = self.scales_by_id[scale_id.partition(".")[0]]
        if scale.points is not None:
            return scale.points[0], scale.points[1]
        for item_id in scale.items:
            ps = self.points_for(item_id)
            return ps.min, ps.max
        return None

    def sjt_scale_of(self, item_id: str) -> str | None:
        """The scale whose `sjt` list contains this scenario."""
        return next((s.id for s in self.scales if item_id in s.sjt), None)
