"""What two or more versions of a questionnaire share, for comparisons across versions.

An item id means one text: a version that rewords an item, changes its answer scale or its keying
gives it a new id (questionnaires/FORMAT.md). So an item is shared when every version defines it
identically and scores it in the same sub-scale; an intake answered with version 1 and an exit
with version 2 are compared on those items only, each response scored again on them with the
rules of the scoring engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from assess.engine.definition import Questionnaire, Scale, SjtItem
from assess.engine.scoring import AnswerValue, ScoreSheet, score_response


def _placement(q: Questionnaire) -> dict[str, str]:
    return {i: f"{s.id}.{sub.id}" for s in q.scales for sub in s.subscales for i in sub.items}


def shared_likert(versions: Sequence[Questionnaire]) -> list[str]:
    """The scale items every version defines identically and scores in the same sub-scale,
    in the order of the first version."""
    first, rest = versions[0], versions[1:]
    places = [_placement(q) for q in versions]
    return [
        item_id
        for item_id, place in places[0].items()
        if all(
            q.items_by_id.get(item_id) == first.items_by_id[item_id] and p.get(item_id) == place
            for q, p in zip(rest, places[1:], strict=True)
        )
    ]


def shared_scenarios(versions: Sequence[Questionnaire]) -> list[str]:
    """The SJT scenarios every version defines identically (same options and key)."""
    first, rest = versions[0], versions[1:]
    return [
        item_id
        for item_id, item in first.items_by_id.items()
        if isinstance(item, SjtItem)
        and all(q.items_by_id.get(item_id) == item for q in rest)
        and all(q.sjt_scale_of(item_id) == first.sjt_scale_of(item_id) for q in rest)
    ]


@dataclass(frozen=True)
class Shared:
    """The common ground of several versions: their shared items, and each version cut down to
    them for scoring."""

    versions: tuple[Questionnaire, ...]

    @cached_property
    def likert(self) -> list[str]:
        return shared_likert(self.versions)

    @cached_property
    def scenarios(self) -> list[str]:
        return shared_scenarios(self.versions)

    @property
    def numbers(self) -> list[int]:
        return sorted({q.version for q in self.versions})

    def n_items(self, q: Questionnaire) -> int:
        """How many scale items a version has in all (to say "n of total" on screen)."""
        return sum(len(s.items) for s in q.scales)

    def cut(self, q: Questionnaire) -> Questionnaire:
        """Version `q` with its scales reduced to the shared items and scenarios."""
        keep, keep_sjt = set(self.likert), set(self.scenarios)
        scales = []
        for scale in q.scales:
            subscales = [
                sub.model_copy(update={"items": [i for i in sub.items if i in keep]})
                for sub in scale.subscales
            ]
            scales.append(
                Scale.model_construct(
                    **{
                        **dict(scale),
                        "subscales": [sub for sub in subscales if sub.items],
                        "sjt": [i for i in scale.sjt if i in keep_sjt],
                    }
                )
            )
        cut = q.model_copy(update={"scales": scales})
        for name in ("scales_by_id",):  # look-ups cached from the full version
            cut.__dict__.pop(name, None)
        return cut

    def score(
        self, q: Questionnaire, answers: Mapping[str, AnswerValue], moment: str
    ) -> ScoreSheet:
        """A response of version `q` scored on the shared items only."""
        return score_response(self.cut(q), answers, moment)


def shared_pomp(
    q: Questionnaire, scale_id: str, keyed: Mapping[str, float], shared: Sequence[str]
) -> float | None:
    """The 0-100 score of a scale (or "scale.subscale") on the shared items only, from answers
    already keyed (reverse-keyed items turned), as the engine scores: the weighted mean of the
    answered items when at least `min_answered_share` of them are answered; else None."""
    items = [i for i in q.items_of(scale_id) if i in set(shared)]
    points = q.scale_points(scale_id)
    if not items or points is None:
        return None
    answered = [i for i in items if i in keyed]
    if not answered or len(answered) < q.min_answered_share * len(items) - 1e-9:
        return None
    weights = {i: getattr(q.items_by_id[i], "weight", 1.0) for i in answered}
    mean = sum(weights[i] * keyed[i] for i in answered) / sum(weights.values())
    lo, hi = points
    return min(100.0, max(0.0, (mean - lo) / (hi - lo) * 100))
