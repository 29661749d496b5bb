"""The cross-file check of a questionnaire that mirrors another (the beleidsscan)."""

from assess.engine.problems import Loc, Problem, problem_at
from assess.engine.questionnaire import Questionnaire
from assess.engine.raters import check_observed


def check_mirror(mirror: Questionnaire, target: Questionnaire) -> list[Problem]:
    """Problems in a questionnaire that mirrors `target` (same scale ids, mirrored items exist)."""
    problems: list[Problem] = []

    def report(loc: Loc, message: str) -> None:
        problems.append(problem_at(loc, message, mirror, {}))

    target_scores = set(target.scale_ids())
    for si, scale in enumerate(mirror.scales):
        if scale.id not in target_scores:
            report(
                ("scales", si, "id"),
                f"scale '{scale.id}' does not exist in the mirrored questionnaire '{target.id}'",
            )
        for ssi, sub in enumerate(scale.subscales):
            full = f"{scale.id}.{sub.id}"
            if scale.id in target_scores and full not in target_scores:
                report(
                    ("scales", si, "subscales", ssi, "id"),
                    f"sub-scale '{full}' does not exist in the mirrored questionnaire '{target.id}'",
                )
    # where every item is scored, to compare the mirror's placement with the target's
    target_place, mirror_place = _placement(target), _placement(mirror)
    for si, section in enumerate(mirror.sections):
        for ii, item in enumerate(section.items):
            if item.mirrors is None:
                continue
            loc: Loc = ("sections", si, "items", ii, "mirrors")
            original = target.items_by_id.get(item.mirrors)
            if original is None:
                report(loc, f"unknown item '{item.mirrors}' in '{target.id}'")
            elif original.type != item.type:
                report(
                    loc,
                    f"'{item.mirrors}' is a {original.type} item in '{target.id}' "
                    f"but this is a {item.type} item",
                )
            elif item.id in mirror_place and mirror_place[item.id] != target_place.get(
                item.mirrors
            ):
                report(
                    loc,
                    f"this item is scored in '{mirror_place[item.id]}' but "
                    f"'{item.mirrors}' is scored in "
                    f"'{target_place.get(item.mirrors, 'no scale')}' in "
                    f"'{target.id}'",
                )
    for loc, message in check_observed(mirror, target):
        report(loc, message)
    return problems


def _placement(q: Questionnaire) -> dict[str, str]:
    """Item id -> the "scale.subscale" that scores it."""
    return {
        item_id: f"{scale.id}.{sub.id}"
        for scale in q.scales
        for sub in scale.subscales
        for item_id in sub.items
    }
