"""Cross-checks of one definition: the references and consistency the schema cannot see."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from assess.engine.items import (
    ChoiceItem,
    Item,
    LikertItem,
    NumericItem,
    Option,
    SjtItem,
    SjtOption,
    TextItem,
)
from assess.engine.problems import Loc, format_loc, suggest
from assess.engine.pulse import check as check_pulse
from assess.engine.raters import check as check_rater_form
from assess.engine.scale_checks import check_scales

if TYPE_CHECKING:
    from assess.engine.questionnaire import Questionnaire


def cross_check(q: Questionnaire) -> list[tuple[Loc, str]]:
    """Every reference and consistency problem the schema alone cannot catch."""
    out: list[tuple[Loc, str]] = []
    by_id: dict[str, Item] = {}
    for section in q.sections:
        for item in section.items:
            by_id.setdefault(item.id, item)

    def kind(item_id: str) -> str:
        return f"'{item_id}' is a {by_id[item_id].type} item"

    # point sets
    for key, ps in q.point_sets.items():
        seen_values: set[int] = set()
        for k, point in enumerate(ps):
            if point.value in seen_values:
                out.append((("point_sets", key, k, "value"), f"duplicate value {point.value}"))
            seen_values.add(point.value)

    # sections and items
    seen_sections: dict[str, int] = {}
    seen_items: dict[str, Loc] = {}
    retro_seen: dict[str, str] = {}
    perception_seen: dict[str, str] = {}
    for si, section in enumerate(q.sections):
        if section.id in seen_sections:
            out.append(
                (
                    ("sections", si, "id"),
                    f"duplicate section id '{section.id}' "
                    f"(also sections[{seen_sections[section.id]}])",
                )
            )
        seen_sections.setdefault(section.id, si)
        for ii, item in enumerate(section.items):
            loc: Loc = ("sections", si, "items", ii)
            if item.id in seen_items:
                out.append(
                    (
                        (*loc, "id"),
                        f"duplicate item id '{item.id}' "
                        f"(first at {format_loc(seen_items[item.id], q)})",
                    )
                )
            seen_items.setdefault(item.id, loc)
            if isinstance(item, ChoiceItem | SjtItem):
                values: set[str] = set()
                options: Sequence[Option | SjtOption] = item.options
                for k, option in enumerate(options):
                    if option.value in values:
                        out.append(
                            ((*loc, "options", k, "value"), f"duplicate option '{option.value}'")
                        )
                    values.add(option.value)
            if item.mirrors is not None and q.mirrors is None:
                out.append(
                    (
                        (*loc, "mirrors"),
                        "only a questionnaire with a top-level 'mirrors' can have mirroring items",
                    )
                )
            if item.perception_of is not None:
                out.extend(_check_perception(item, loc, by_id, perception_seen))
            if isinstance(item, LikertItem):
                out.extend(_check_likert(q, item, loc, section.retrospective, by_id, retro_seen))
            elif isinstance(item, TextItem) and item.recall is not None:
                if item.recall == item.id:
                    out.append(((*loc, "recall"), "an item cannot recall itself"))
                elif item.recall not in by_id:
                    out.append(((*loc, "recall"), f"unknown item '{item.recall}'"))
                elif not isinstance(by_id[item.recall], TextItem):
                    out.append(((*loc, "recall"), f"{kind(item.recall)}; recall needs a text item"))
            elif isinstance(item, SjtItem):
                if q.sjt_effectiveness is None:
                    out.append(
                        (loc, "an SJT item needs the top-level sjt_effectiveness: [min, max]")
                    )
                else:
                    lo, hi = q.sjt_effectiveness
                    for k, option in enumerate(item.options):
                        if not lo <= option.effectiveness <= hi:
                            out.append(
                                (
                                    (*loc, "options", k, "effectiveness"),
                                    f"effectiveness {option.effectiveness:g} is outside "
                                    f"sjt_effectiveness [{lo:g}, {hi:g}]",
                                )
                            )

    if q.mirrors is not None and q.mirrors == q.id:
        out.append((("mirrors",), "a questionnaire cannot mirror itself"))

    out.extend(check_scales(q, by_id))

    # time allocation
    seen_ta: set[str] = set()
    for k, item_id in enumerate(q.time_allocation):
        loc = ("time_allocation", k)
        if item_id in seen_ta:
            out.append((loc, f"'{item_id}' is listed twice"))
        elif item_id not in by_id:
            out.append((loc, f"unknown item '{item_id}'"))
        elif not isinstance(by_id[item_id], NumericItem):
            out.append((loc, f"{kind(item_id)}; time_allocation needs numeric items"))
        seen_ta.add(item_id)

    if q.time_allocation_max is not None and not q.time_allocation:
        out.append((("time_allocation_max",), "time_allocation_max needs a time_allocation list"))
    if q.sjt_keys_after is not None and q.sjt_keys_after not in q.moments:
        known = ", ".join(q.moments)
        out.append((("sjt_keys_after",), f"unknown moment '{q.sjt_keys_after}' (moments: {known})"))
    if q.mirrors_version is not None and q.mirrors is None:
        out.append((("mirrors_version",), "mirrors_version needs a top-level 'mirrors'"))

    # a duration per moment: all of them or none (then the file's `minutes` holds for each)
    timed = [moment for moment, m in q.moments.items() if m.minutes is not None]
    if timed and len(timed) < len(q.moments):
        for moment, m in q.moments.items():
            if m.minutes is None:
                out.append((("moments", moment), "give every moment its minutes, or none"))

    # moments
    for moment, m in q.moments.items():
        seen_m: set[str] = set()
        for k, sid in enumerate(m.sections):
            loc = ("moments", moment, "sections", k)
            if sid in seen_m:
                out.append((loc, f"section '{sid}' is shown twice"))
            elif sid not in seen_sections:
                known = ", ".join(seen_sections)
                out.append(
                    (
                        loc,
                        f"unknown section '{sid}'{suggest(sid, seen_sections)} (sections: {known})",
                    )
                )
            seen_m.add(sid)
    scale_ids = [s.id for s in q.scales]
    for k, example in enumerate(q.goal_examples):
        if example.theme not in scale_ids:
            out.append(
                (
                    ("goal_examples", k, "theme"),
                    f"unknown scale '{example.theme}'{suggest(example.theme, scale_ids)}"
                    " (a goal's theme is a scale)",
                )
            )
    out.extend(check_pulse(q))
    out.extend(check_rater_form(q))
    return out


def _check_likert(
    q: Questionnaire,
    item: LikertItem,
    loc: Loc,
    in_retrospective: bool,
    by_id: Mapping[str, Item],
    retro_seen: dict[str, str],
) -> list[tuple[Loc, str]]:
    """Point-set reference, text and retrospective links of one Likert item."""
    out: list[tuple[Loc, str]] = []
    if item.points not in q.point_sets:
        known = ", ".join(q.point_sets) or "none defined"
        out.append(
            (
                (*loc, "points"),
                f"unknown point set '{item.points}'{suggest(item.points, q.point_sets)}"
                f" (point_sets: {known})",
            )
        )
    if item.text is None and item.retrospective_of is None:
        out.append(((*loc, "text"), "missing text (only a retrospective item may omit it)"))
    original_id = item.retrospective_of
    if original_id is None:
        if in_retrospective:
            out.append(
                (loc, "a Likert item in a retrospective section needs retrospective_of: <item id>")
            )
        return out
    if not in_retrospective:
        out.append(
            (
                (*loc, "retrospective_of"),
                "an item with retrospective_of belongs in a section with retrospective: true",
            )
        )
    original = by_id.get(original_id)
    if original_id == item.id:
        out.append(((*loc, "retrospective_of"), "an item cannot be its own retrospective"))
    elif original is None:
        out.append(((*loc, "retrospective_of"), f"unknown item '{original_id}'"))
    elif not isinstance(original, LikertItem):
        out.append(
            (
                (*loc, "retrospective_of"),
                f"'{original_id}' is a {original.type} item; retrospective_of needs a Likert item",
            )
        )
    elif original.retrospective_of is not None:
        out.append(
            (
                (*loc, "retrospective_of"),
                f"'{original_id}' is itself retrospective; name the original item",
            )
        )
    else:
        if original_id in retro_seen:
            out.append(
                (
                    (*loc, "retrospective_of"),
                    f"'{original_id}' already has a retrospective item '{retro_seen[original_id]}'",
                )
            )
        retro_seen.setdefault(original_id, item.id)
        if item.points in q.point_sets and original.points in q.point_sets:
            mine, theirs = q.point_sets[item.points], q.point_sets[original.points]
            if mine.values != theirs.values:
                out.append(
                    (
                        (*loc, "points"),
                        f"point set '{item.points}' differs from '{original.points}' "
                        f"of the original item '{original_id}'",
                    )
                )
        # reverse keying and weight come from the original; a differing copy is a mistake
        for field in ("reverse", "weight"):
            if field in item.model_fields_set and getattr(item, field) != getattr(original, field):
                out.append(
                    (
                        (*loc, field),
                        f"{field} is taken from the original item '{original_id}' "
                        f"({getattr(original, field)}); leave it out",
                    )
                )
    return out


def _check_perception(
    item: Item,
    loc: Loc,
    by_id: Mapping[str, Item],
    seen: dict[str, str],
) -> list[tuple[Loc, str]]:
    """A perception item asks a norm item again: same type and mirror; a Likert one also the
    same points and keying, with its own text."""
    out: list[tuple[Loc, str]] = []
    where: Loc = (*loc, "perception_of")
    original_id = item.perception_of
    assert original_id is not None
    original = by_id.get(original_id)
    if isinstance(item, LikertItem) and item.retrospective_of is not None:
        out.append((where, "an item cannot be both retrospective and a perception item"))
    elif original_id == item.id:
        out.append((where, "an item cannot be its own perception item"))
    elif original is None:
        out.append((where, f"unknown item '{original_id}'{suggest(original_id, by_id)}"))
    elif original.type != item.type:
        out.append((where, f"'{original_id}' is a {original.type} item, this a {item.type} item"))
    elif original.perception_of is not None or (
        isinstance(original, LikertItem) and original.retrospective_of is not None
    ):
        out.append((where, f"'{original_id}' is itself derived; name the norm item"))
    else:
        if original_id in seen:
            out.append(
                (where, f"'{original_id}' already has a perception item '{seen[original_id]}'")
            )
        seen.setdefault(original_id, item.id)
        if item.mirrors != original.mirrors:
            out.append(
                ((*loc, "mirrors"), f"mirror the same item as '{original_id}' ({original.mirrors})")
            )
        if isinstance(item, LikertItem) and isinstance(original, LikertItem):
            if item.text is None:
                out.append(((*loc, "text"), "a perception item needs its own text"))
            if item.points != original.points:
                out.append(
                    ((*loc, "points"), f"use the points of '{original_id}' ({original.points})")
                )
            if item.reverse != original.reverse or item.weight != original.weight:
                out.append(
                    (
                        loc,
                        f"reverse and weight must be those of '{original_id}' "
                        f"(reverse: {original.reverse}, weight: {original.weight:g})",
                    )
                )
    return out
