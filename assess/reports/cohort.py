"""One cohort in depth, and cohorts side by side: the figures behind the trainer's dashboards.

Scores come from assess/reports/scores.py (aggregated and paired in SQL), statistics from the engine.
Only reliability needs the item answers: Cronbach's alpha is computed here from the answers,
reverse-keyed as the engine scores them, and the intake alpha feeds the Reliable Change Index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import get_locale
from sqlalchemy import ColumnElement, func, select

from assess.db import db
from assess.engine import stats
from assess.engine.definition import LikertItem, Questionnaire, SjtItem
from assess.engine.keying import keying
from assess.engine.messages import Message
from assess.models import Answer, Cohort, Participant, Response, Status
from assess.reports import scores as reports
from assess.survey.registry import Registry

ALPHA_FLAG = 0.70
MOMENTS = ("intake", "exit", "followup")


def lang() -> str:
    return str(get_locale() or "nl")


def scale_title(q: Questionnaire, scale_id: str) -> str:
    """The Dutch (or English) title of a scale or "scale.subscale"."""
    scale_part, _, sub_part = scale_id.partition(".")
    scale = q.scales_by_id.get(scale_part)
    if scale is None:
        return scale_id
    if not sub_part:
        return q.text(scale.title, lang())
    sub = next((s for s in scale.subscales if s.id == sub_part), None)
    return q.text(sub.title, lang()) if sub else scale_id


def main_scales(q: Questionnaire) -> list[str]:
    return [s.id for s in q.scales]


# --------------------------------------------------------------------------- reliability


def item_answers(group: ColumnElement[bool], q: Questionnaire) -> dict[str, dict[int, dict]]:
    """moment -> response id -> {item id: reverse-keyed value} of the group's Likert answers."""
    likert = {
        i.id: i
        for i in q.items_by_id.values()
        if isinstance(i, LikertItem) and not i.retrospective_of
    }
    rows = db.session.execute(
        select(Response.moment, Response.id, Answer.item_id, Answer.value)
        .join(Answer, Answer.response_id == Response.id)
        .join(Participant, Participant.id == Response.participant_id)
        .where(
            group,
            Response.status == Status.SUBMITTED,
            Response.questionnaire_id == q.id,
            Answer.item_id.in_(list(likert)),
            Answer.value.is_not(None),
        )
    )
    found: dict[str, dict[int, dict]] = defaultdict(lambda: defaultdict(dict))
    for moment, response_id, item_id, value in rows:
        found[moment][response_id][item_id] = keying(q, likert[item_id]).apply(value)
    return found


def alpha_of(answers: dict[int, dict], items: Sequence[str]) -> stats.Alpha:
    """Cronbach's alpha of these items over these responses (listwise)."""
    return stats.cronbach_alpha([[resp.get(i) for i in items] for resp in answers.values()])


@dataclass(frozen=True)
class AlphaRow:
    scale_id: str
    title: str
    moment: str
    alpha: stats.Alpha

    @property
    def flagged(self) -> bool:
        return stats.is_computable(self.alpha.alpha) and self.alpha.alpha < ALPHA_FLAG

    @property
    def explanation(self) -> Message:
        return stats.explain_alpha(self.alpha.alpha)


# --------------------------------------------------------------------------- per scale


@dataclass
class ScaleReport:
    scale_id: str
    title: str
    is_sub: bool
    intake: list[float]
    exit: list[float]
    then: list[float]
    change: stats.PairedChange
    reliability: stats.Alpha
    rci: stats.RciSummary
    rci_threshold: stats.Value
    slope: list[tuple[str, float, float]] = field(default_factory=list)

    @property
    def intake_desc(self) -> stats.Describe:
        return stats.describe(self.intake)

    @property
    def exit_desc(self) -> stats.Describe:
        return stats.describe(self.exit)

    @property
    def then_desc(self) -> stats.Describe:
        return stats.describe(self.then)

    def explain(self) -> dict[str, Message]:
        """One-line explanations of the figures; the template says them in the page's language."""
        c = self.change
        return {
            "ci": stats.explain_ci(c.ci_low, c.ci_high, c.confidence),
            "d_z": stats.explain_effect_size(c.d_z),
            "g_av": stats.explain_effect_size(c.g_av),
            "p_t": stats.explain_p(c.p_t),
            "p_wilcoxon": stats.explain_p(c.p_wilcoxon),
            "alpha": stats.explain_alpha(self.reliability.alpha),
        }


@dataclass
class CohortReport:
    cohort: Cohort
    questionnaire: Questionnaire
    scales: list[ScaleReport]
    alphas: list[AlphaRow]
    sjt: list[dict]
    time: list[dict]

    def main(self) -> list[ScaleReport]:
        return [s for s in self.scales if not s.is_sub]

    def subs_of(self, scale_id: str) -> list[ScaleReport]:
        return [s for s in self.scales if s.scale_id.startswith(scale_id + ".")]


def _values(rows, moment: str, variant: str, scale_id: str) -> list[float]:
    return [
        r.pomp
        for r in rows
        if r.moment == moment
        and r.variant == variant
        and r.scale_id == scale_id
        and r.pomp is not None
    ]


def build(cohort: Cohort, registry: Registry) -> CohortReport:
    """Everything the one-cohort page shows, computed once."""
    q = registry.get(cohort.questionnaire_id)
    group = Participant.cohort_id == cohort.id
    rows = reports.group_scores(group, moments=("intake", "exit"))
    paired = reports.pair_up(rows)
    codes = dict(db.session.execute(select(Participant.id, Participant.code).where(group)).all())
    answers = item_answers(group, q)
    scales = []
    for scale_id in q.scale_ids():
        items = q.items_of(scale_id)
        intake = _values(rows, "intake", "now", scale_id)
        pairs = paired.get(scale_id, reports.Pairs([], [], []))
        reliability = alpha_of(answers.get("intake", {}), items)
        # RCI uses the SD of every intake score (not only the paired ones) and the intake alpha.
        sd_pre = stats.describe(intake).sd
        rci = stats.reliable_change(pairs.pre, pairs.post, sd_pre, reliability.alpha)
        scales.append(
            ScaleReport(
                scale_id=scale_id,
                title=scale_title(q, scale_id),
                is_sub="." in scale_id,
                intake=intake,
                exit=_values(rows, "exit", "now", scale_id),
                then=_values(rows, "exit", "then", scale_id),
                change=stats.paired_change(pairs.pre, pairs.post),
                reliability=reliability,
                rci=stats.rci_summary(rci),
                rci_threshold=stats.reliable_change_threshold(sd_pre, reliability.alpha),
                slope=[
                    (codes.get(pid, "?"), a, b)
                    for pid, a, b in zip(pairs.participant_ids, pairs.pre, pairs.post, strict=True)
                ],
            )
        )
    alphas = [
        AlphaRow(
            scale_id,
            scale_title(q, scale_id),
            moment,
            alpha_of(answers[moment], q.items_of(scale_id)),
        )
        for moment in MOMENTS
        if moment in answers
        for scale_id in q.scale_ids()
    ]
    return CohortReport(cohort, q, scales, alphas, sjt_distribution(group, q), time_shift(group, q))


# --------------------------------------------------------------------------- SJT and time


def sjt_distribution(group: ColumnElement[bool], q: Questionnaire) -> list[dict]:
    """Per scenario: each option's share at intake and exit, next to the experts' key."""
    sjt = [i for i in q.items_by_id.values() if isinstance(i, SjtItem)]
    counts: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    rows = db.session.execute(
        select(Answer.item_id, Response.moment, Answer.text, func.count())
        .join(Response, Response.id == Answer.response_id)
        .join(Participant, Participant.id == Response.participant_id)
        .where(
            group,
            Response.status == Status.SUBMITTED,
            Response.moment.in_(("intake", "exit")),
            Answer.item_id.in_([i.id for i in sjt]),
        )
        .group_by(Answer.item_id, Response.moment, Answer.text)
    )
    for item_id, moment, choice, n in rows:
        counts[item_id][moment][choice] = n
    result = []
    for item in sjt:
        per = counts.get(item.id, {})
        totals = {m: sum(per.get(m, {}).values()) for m in ("intake", "exit")}
        options = [
            {
                "value": o.value,
                "label": q.text(o.label, lang()),
                "effectiveness": o.effectiveness,
                "best": o.value in item.best,
                "share": {
                    m: (per.get(m, {}).get(o.value, 0) / totals[m]) if totals[m] else None
                    for m in ("intake", "exit")
                },
                "n": {m: per.get(m, {}).get(o.value, 0) for m in ("intake", "exit")},
            }
            for o in item.options
        ]
        result.append(
            {
                "id": item.id,
                "case": q.text(item.case, lang()),
                "scale": q.sjt_scale_of(item.id),
                "totals": totals,
                "options": options,
            }
        )
    return result


def time_shift(group: ColumnElement[bool], q: Questionnaire) -> list[dict]:
    """Mean share of the week per time-allocation item at intake and exit (SQL averages)."""
    if not q.time_allocation:
        return []
    rows = db.session.execute(
        select(Answer.item_id, Response.moment, func.avg(Answer.value), func.count(Answer.value))
        .join(Response, Response.id == Answer.response_id)
        .join(Participant, Participant.id == Response.participant_id)
        .where(
            group,
            Response.status == Status.SUBMITTED,
            Response.moment.in_(("intake", "exit")),
            Answer.item_id.in_(q.time_allocation),
        )
        .group_by(Answer.item_id, Response.moment)
    )
    found = {(item_id, moment): (mean, n) for item_id, moment, mean, n in rows}
    return [
        {
            "id": item_id,
            "label": q.item_text(q.items_by_id[item_id], lang()),
            "intake": found.get((item_id, "intake"), (None, 0)),
            "exit": found.get((item_id, "exit"), (None, 0)),
        }
        for item_id in q.time_allocation
    ]


# --------------------------------------------------------------------------- side by side


@dataclass
class Comparison:
    cohorts: list[Cohort]
    scale_ids: list[str]
    titles: dict[str, str]
    changes: dict[int, dict[str, stats.PairedChange]]
    between: dict[str, stats.BetweenCohorts]

    def explain_between(self, scale_id: str) -> dict[str, Message]:
        b = self.between[scale_id]
        return {
            "ci": stats.explain_ci(b.ci_low, b.ci_high, b.confidence),
            "g": stats.explain_effect_size(b.g),
            "p": stats.explain_p(b.p),
        }


def compare(selected: Sequence[Cohort], registry: Registry) -> Comparison:
    """Change per scale for each cohort; Welch's comparison of the changes when there are two."""
    q = registry.get(selected[0].questionnaire_id)
    # The main scales only: sub-scales belong to the one-cohort page, and side by side they
    # would make a chart of dozens of rows.
    scale_ids = main_scales(q) if q else []
    changes: dict[int, dict[str, stats.PairedChange]] = {}
    diffs: dict[int, dict[str, list[float]]] = {}
    for cohort in selected:
        rows = reports.group_scores(
            Participant.cohort_id == cohort.id, variants=("now",), scale_ids=scale_ids
        )
        pairs = reports.pair_up(rows)
        changes[cohort.id] = {s: stats.paired_change(p.pre, p.post) for s, p in pairs.items()}
        diffs[cohort.id] = {
            s: [b - a for a, b in zip(p.pre, p.post, strict=True)] for s, p in pairs.items()
        }
    between = {}
    if len(selected) == 2:
        a, b = (c.id for c in selected)
        between = {
            s: stats.between_cohorts(diffs[a].get(s, []), diffs[b].get(s, [])) for s in scale_ids
        }
    titles = {s: scale_title(q, s) for s in scale_ids} if q else {}
    return Comparison(list(selected), scale_ids, titles, changes, between)
