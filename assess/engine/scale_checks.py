"""Cross-checks of a definition's scales: sub-scale items, SJT lists and bands."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from assess.engine.items import Item, LikertItem, SjtItem
from assess.engine.problems import Loc, format_loc, suggest

if TYPE_CHECKING:
    from assess.engine.questionnaire import Questionnaire, Scale


def check_scales(q: Questionnaire, by_id: Mapping[str, Item]) -> list[tuple[Loc, str]]:
    """Scale, sub-scale, SJT and band consistency."""
    out: list[tuple[Loc, str]] = []
    scale_ids: set[str] = set()
    placed: dict[str, Loc] = {}  # item id -> where it is first scored
    for si, scale in enumerate(q.scales):
        sloc: Loc = ("scales", si)
        if scale.id in scale_ids:
            out.append(((*sloc, "id"), f"duplicate scale id '{scale.id}'"))
        scale_ids.add(scale.id)
        if not scale.subscales and not scale.sjt:
            out.append((sloc, "a scale needs subscales, sjt scenarios or both"))

        ranges: dict[tuple[int, int], str] = {}
        sub_ids: set[str] = set()
        for ssi, sub in enumerate(scale.subscales):
            subloc: Loc = (*sloc, "subscales", ssi)
            if sub.id in sub_ids:
                out.append(((*subloc, "id"), f"duplicate sub-scale id '{sub.id}'"))
            sub_ids.add(sub.id)
            for k, item_id in enumerate(sub.items):
                iloc: Loc = (*subloc, "items", k)
                item = by_id.get(item_id)
                if item is None:
                    out.append((iloc, f"unknown item '{item_id}'{suggest(item_id, by_id)}"))
                    continue
                if item_id in placed:
                    out.append(
                        (iloc, f"'{item_id}' is already scored in {format_loc(placed[item_id], q)}")
                    )
                    continue
                placed[item_id] = iloc
                if not isinstance(item, LikertItem):
                    hint = (
                        " (SJT scenarios go in the scale's sjt list)" if item.type == "sjt" else ""
                    )
                    out.append(
                        (
                            iloc,
                            f"'{item_id}' is a {item.type} item; only Likert items are scored "
                            f"in a sub-scale{hint}",
                        )
                    )
                    continue
                if item.retrospective_of is not None:
                    out.append(
                        (
                            iloc,
                            f"'{item_id}' is retrospective; list the original "
                            f"'{item.retrospective_of}' (the 'then' score is derived from it)",
                        )
                    )
                    continue
                if item.points not in q.point_sets:
                    continue  # reported at the item
                ps = q.point_sets[item.points]
                if scale.points is None:
                    if item.reverse:
                        out.append(
                            (
                                iloc,
                                f"'{item_id}' is reverse-keyed, so scale '{scale.id}' needs "
                                f"points: [min, max]",
                            )
                        )
                    ranges.setdefault((ps.min, ps.max), item_id)
                elif (ps.min, ps.max) != (scale.points[0], scale.points[1]):
                    out.append(
                        (
                            iloc,
                            f"'{item_id}' uses point set '{item.points}' ({ps.min}-{ps.max}) "
                            f"but the scale's points are [{scale.points[0]}, {scale.points[1]}]",
                        )
                    )
        if len(ranges) > 1:
            desc = ", ".join(f"'{i}' {lo}-{hi}" for (lo, hi), i in ranges.items())
            out.append(
                (
                    sloc,
                    f"items use different point ranges ({desc}); give the scale points: "
                    f"[min, max] and use one range",
                )
            )

        for k, item_id in enumerate(scale.sjt):
            iloc = (*sloc, "sjt", k)
            item = by_id.get(item_id)
            if item is None:
                out.append((iloc, f"unknown item '{item_id}'{suggest(item_id, by_id)}"))
            elif item_id in placed:
                out.append(
                    (iloc, f"'{item_id}' is already scored in {format_loc(placed[item_id], q)}")
                )
            elif not isinstance(item, SjtItem):
                out.append((iloc, f"'{item_id}' is a {item.type} item; sjt lists SJT items"))
            placed.setdefault(item_id, iloc)

        out.extend(_check_bands(scale, sloc))
    return out


def _check_bands(scale: Scale, sloc: Loc) -> list[tuple[Loc, str]]:
    """Bands must tile 0-100 exactly: no overlap, no gap."""
    out: list[tuple[Loc, str]] = []
    if not scale.bands:
        return out
    ids: set[str] = set()
    for k, band in enumerate(scale.bands):
        if band.id in ids:
            out.append(((*sloc, "bands", k, "id"), f"duplicate band id '{band.id}'"))
        ids.add(band.id)
        if not band.from_ < band.to:
            out.append(
                (
                    (*sloc, "bands", k),
                    f"band '{band.id}': from ({band.from_:g}) must be below to ({band.to:g})",
                )
            )
    order = sorted(range(len(scale.bands)), key=lambda k: (scale.bands[k].from_, scale.bands[k].to))
    first, last = scale.bands[order[0]], scale.bands[order[-1]]
    if first.from_ != 0:
        out.append(((*sloc, "bands"), f"gap: no band covers 0-{first.from_:g}"))
    for a, b in zip(order, order[1:], strict=False):
        prev, cur = scale.bands[a], scale.bands[b]
        if cur.from_ < prev.to:
            out.append(
                (
                    (*sloc, "bands", b),
                    f"band '{cur.id}' ({cur.from_:g}-{cur.to:g}) overlaps band "
                    f"'{prev.id}' ({prev.from_:g}-{prev.to:g})",
                )
            )
        elif cur.from_ > prev.to:
            out.append(
                (
                    (*sloc, "bands", b),
                    f"gap: no band covers {prev.to:g}-{cur.from_:g} (between "
                    f"'{prev.id}' and '{cur.id}')",
                )
            )
    top = max(b.to for b in scale.bands)
    if last.to != 100 and top != 100:
        out.append(((*sloc, "bands"), f"gap: no band covers {top:g}-100"))
    return out
