"""One cohort in depth, and cohorts side by side: the figures behind the trainer's dashboards.

Scores come from assess/reports/scores.py, statistics from the engine. Scale scores were stored
by each response's own questionnaire version; the item-level figures (Cronbach's alpha, the
scenarios' option shares, the time allocation and their texts) read each response with that
version too, never with a newer one. Where a figure combines responses of several versions it
uses only what those versions share: alpha the items a scale has in each of them, a scenario or
time item only where its definition is the same (a changed one is shown per definition).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypedDict, TypeVar

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, select

from assess.db import db
from assess.engine import claims, stats
from assess.engine.definition import NumericItem, Questionnaire, SjtItem
from assess.engine.keying import Keying, keying
from assess.engine.messages import Message
from assess.engine.moments import Moment
from assess.models import Answer, Cohort, Participant, Response, Status
from assess.reports import scores
from assess.reports.organisation.alpha import likert_items, pooled_reliability
from assess.reports.versions import Shared, shared_pomp
from assess.survey.labels import scale_titles
from assess.survey.registry import Registry

ALPHA_FLAG = 0.70
# Alpha of a handful of people says nothing about the questionnaire: with 5 complete respondents
# Feldt's interval around 0.70 (k = 5) runs from -0.12 to 0.97, with 10 from 0.25 to 0.91.
# Below this many the cohort page shows no alpha, only why.
ALPHA_MIN_N = 10
MOMENTS = (Moment.INTAKE, Moment.EXIT, Moment.FOLLOWUP)
CHANGE_MOMENTS = (Moment.INTAKE, Moment.EXIT)

T = TypeVar("T")

# moment -> response id -> {item id: keyed answer}
ItemAnswers = dict[str, dict[int, dict[str, float]]]


def main_scales(q: Questionnaire) -> list[str]:
    return [s.id for s in q.scales]


# --------------------------------------------------------------------------- versions


@dataclass(frozen=True)
class Versions:
    """The versions of a cohort's questionnaire that its submitted responses were scored with."""

    by_number: dict[int, Questionnaire]
    at: dict[str, frozenset[int]]  # moment -> versions of its submitted responses

    @property
    def newest(self) -> Questionnaire:
        return self.by_number[max(self.by_number)]

    def newest_first(self, numbers: Iterable[int] | None = None) -> list[Questionnaire]:
        """The versions (all, or those numbered), newest first."""
        wanted = self.by_number if numbers is None else numbers
        return [self.by_number[v] for v in sorted(wanted, reverse=True)]


def response_versions(
    group: ColumnElement[bool], questionnaire_id: str, registry: Registry
) -> Versions:
    """Which versions the group's submitted responses were scored with, per moment; the newest
    installed version alone when nobody submitted yet.
    """
    rows = db.session.execute(
        select(Response.moment, Response.questionnaire_version)
        .join(Participant, Participant.id == Response.participant_id)
        .where(
            group,
            Response.status == Status.SUBMITTED,
            Response.questionnaire_id == questionnaire_id,
        )
        .distinct()
    ).all()
    at: dict[str, set[int]] = defaultdict(set)
    for moment, version in rows:
        at[moment].add(version)
    numbers = {v for found in at.values() for v in found}
    if not numbers:
        latest = registry.get(questionnaire_id)
        if latest is None:
            raise LookupError(f"questionnaire {questionnaire_id} is not installed")
        return Versions({latest.version: latest}, {})
    by_number = {}
    for version in numbers:
        q = registry.get(questionnaire_id, version)
        if q is None:
            raise LookupError(
                f"questionnaire {questionnaire_id} version {version} is not installed"
            )
        by_number[version] = q
    return Versions(by_number, {m: frozenset(v) for m, v in at.items()})


def shared_items(scale_id: str, versions: Sequence[Questionnaire]) -> list[str]:
    """The items of a scale in every one of these versions, in the order of the first."""
    found = [_items_of(q, scale_id) for q in versions]
    if not found:
        return []
    return [i for i in found[0] if all(i in items for items in found[1:])]


def _items_of(q: Questionnaire, scale_id: str) -> list[str]:
    try:
        return q.items_of(scale_id)
    except KeyError:
        return []


def definitions(
    item_id: str, versions: Sequence[Questionnaire], kind: type[T]
) -> list[tuple[T, Questionnaire, frozenset[int]]]:
    """The distinct definitions of an item across versions (given newest first): each with the
    newest version that defines it so and every version that does.
    """
    found: list[tuple[T, Questionnaire, set[int]]] = []
    for q in versions:
        item = q.items_by_id.get(item_id)
        if not isinstance(item, kind):
            continue
        same = next((numbers for known, _q, numbers in found if known == item), None)
        if same is None:
            found.append((item, q, {q.version}))
        else:
            same.add(q.version)
    return [(item, q, frozenset(numbers)) for item, q, numbers in found]


def _ids(versions: Sequence[Questionnaire], wanted: Iterable[str] | None, kind: type) -> list[str]:
    """Item ids of this kind in any version (or among `wanted`), in the newest version's order."""
    seen: dict[str, None] = {}
    for q in versions:
        for item_id in wanted if wanted is not None else q.items_by_id:
            if isinstance(q.items_by_id.get(item_id), kind):
                seen.setdefault(item_id)
    return list(seen)


# --------------------------------------------------------------------------- reliability


def item_answers(
    group: ColumnElement[bool],
    q: Questionnaire,
    versions: dict[int, Questionnaire] | None = None,
) -> ItemAnswers:
    """moment -> response id -> {item id: keyed value} of the group's Likert answers to `q`,
    each keyed as the version its response was scored with (`versions` by number; by default
    the responses scored with `q` itself).
    """
    versions = versions or {q.version: q}
    keyings: dict[tuple[int, str], Keying] = {
        (number, item_id): keying(qv, item)
        for number, qv in versions.items()
        for item_id, item in likert_items(qv).items()
    }
    rows = db.session.execute(
        select(
            Response.moment,
            Response.id,
            Response.questionnaire_version,
            Answer.item_id,
            Answer.value,
        )
        .join(Answer, Answer.response_id == Response.id)
        .join(Participant, Participant.id == Response.participant_id)
        .where(
            group,
            Response.status == Status.SUBMITTED,
            Response.questionnaire_id == q.id,
            Response.questionnaire_version.in_(sorted(versions)),
            Answer.item_id.in_(sorted({item_id for _v, item_id in keyings})),
            Answer.value.is_not(None),
        )
    )
    found: ItemAnswers = defaultdict(lambda: defaultdict(dict))
    for moment, response_id, version, item_id, value in rows:
        rule = keyings.get((version, item_id))
        if rule is not None and value is not None:
            found[moment][response_id][item_id] = rule.apply(value)
    return found


def alpha_of(answers: dict[int, dict[str, float]], items: Sequence[str]) -> stats.Alpha:
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
        # on the alpha as shown, like its word (claims.shown)
        return stats.is_computable(self.alpha.alpha) and claims.shown(self.alpha.alpha) < ALPHA_FLAG

    @property
    def explanation(self) -> Message:
        return stats.explain_alpha(self.alpha)

    @property
    def state(self) -> str:
        """How the page may present this alpha: "shown" as a reliability; "few" (fewer than
        ALPHA_MIN_N complete respondents, too uncertain to mean anything); "negative" (below
        zero it is no reliability at all and cannot be interpreted); "not_computable"."""
        if self.alpha.n < ALPHA_MIN_N:
            return "few"
        if not stats.is_computable(self.alpha.alpha):
            return "not_computable"
        return "negative" if self.alpha.negative else "shown"

    @property
    def verdict(self) -> str:
        """George & Mallery's word for a shown alpha ("excellent" … "unacceptable"), the one
        its explanation uses."""
        return self.explanation.key.rsplit(".", 1)[-1]


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
    reliability: stats.Alpha  # this cohort's intake alpha
    pooled: stats.Alpha  # over every submitted intake of the version: the RCI's reliability
    version: int  # the version `pooled` is of
    rci: stats.RciSummary
    rci_threshold: stats.Value
    slope: list[tuple[str, float, float]] = field(default_factory=list)

    @property
    def rci_shown(self) -> bool:
        """Reliable-change counts only on a scale whose stated (pooled) alpha is at least .70."""
        return claims.reliable_enough(self.pooled.alpha)

    @property
    def direction(self) -> claims.Direction:
        """Up or down only when the change's interval excludes zero; "none" without pairs."""
        found = claims.direction(self.change.ci_low, self.change.ci_high)
        if found is claims.Direction.NONE and stats.is_computable(self.change.mean_diff):
            return claims.Direction.UNCLEAR  # a mean of too few pairs for an interval
        return found

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
            "ci": claims.explain_change(c.ci_low, c.ci_high, c.confidence),
            "d_z": stats.explain_d_z(c.d_z),
            "g_av": claims.explain_size(c.g_av, c.ci_low, c.ci_high, "g_av"),
            "p_t": stats.explain_p(c.p_t),
            "p_wilcoxon": stats.explain_p(c.p_wilcoxon),
            "alpha": stats.explain_alpha(self.reliability),
        }


class SjtOption(TypedDict):
    value: str
    label: str
    effectiveness: float
    best: bool
    share: dict[str, float | None]  # moment -> share of those who answered the scenario
    n: dict[str, int]


class SjtScenario(TypedDict):
    id: str  # the item id; with "-v<version>" when its definition changed between versions
    case: str
    scale: str | None
    totals: dict[str, int]
    options: list[SjtOption]


class TimeShift(TypedDict):
    id: str
    label: str
    intake: tuple[float | None, int]  # (mean %, n)
    exit: tuple[float | None, int]


@dataclass
class CohortReport:
    cohort: Cohort
    questionnaire: Questionnaire  # the newest version the cohort's responses were scored with
    scales: list[ScaleReport]
    alphas: list[AlphaRow]
    sjt: list[SjtScenario]
    time: list[TimeShift]
    # Set when the responses were answered with several versions: what the comparison rests on.
    version_note: str | None = None

    def main(self) -> list[ScaleReport]:
        return [s for s in self.scales if not s.is_sub]

    def subs_of(self, scale_id: str) -> list[ScaleReport]:
        return [s for s in self.scales if s.scale_id.startswith(scale_id + ".")]

    def alpha_table(self) -> list[tuple[str, str, dict[str, AlphaRow]]]:
        """(scale id, title, moment -> alpha) per scale in the questionnaire's order: the
        moments side by side, so the table stays short."""
        rows: dict[str, tuple[str, str, dict[str, AlphaRow]]] = {}
        for a in self.alphas:
            rows.setdefault(a.scale_id, (a.scale_id, a.title, {}))[2][a.moment] = a
        return list(rows.values())


def _by_series(rows: Iterable[scores.ScoreRow]) -> dict[tuple[str, str, str], list[float]]:
    """The scores of every (moment, variant, scale), each list in the rows' order: one pass
    over the rows instead of one per scale and series."""
    found: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for r in rows:
        if r.pomp is not None:
            found[(r.moment, r.variant, r.scale_id)].append(r.pomp)
    return found


def build(cohort: Cohort, registry: Registry, lang: str) -> CohortReport:
    """Everything the one-cohort page shows, computed once."""
    group = Participant.cohort_id == cohort.id
    versions = response_versions(group, cohort.questionnaire_id, registry)
    q = versions.newest
    titles = scale_titles(q, lang)
    rows = scores.group_scores(group, moments=CHANGE_MOMENTS)
    paired = scores.pair_up(rows)
    codes = dict(db.session.execute(select(Participant.id, Participant.code).where(group)).all())
    answers = item_answers(group, q, versions.by_number)
    note = None
    if len(versions.by_number) > 1:
        # Several versions: intake and exit scores are compared on the shared items only.
        shared = Shared(tuple(versions.newest_first()))
        rows = _on_shared_items(group, rows, answers, q, shared)
        paired = scores.pair_up(rows)
        note = _versions_note(shared, q)

    alphas_seen: dict[tuple[str, str], stats.Alpha] = {}

    def alpha_at(moment: str, scale_id: str) -> stats.Alpha:
        # asked twice for each intake alpha (the scale's row and the reliability table)
        if (moment, scale_id) not in alphas_seen:
            shown = versions.newest_first(versions.at.get(moment, {q.version}))
            found = alpha_of(answers.get(moment, {}), shared_items(scale_id, shown))
            alphas_seen[(moment, scale_id)] = found
        return alphas_seen[(moment, scale_id)]

    # The RCI's reliability: alpha over every submitted intake of the version the cohort's
    # intakes were (mostly newest) given in, not the alpha of this one small cohort.
    rci_version = versions.newest_first(versions.at.get(Moment.INTAKE, {q.version}))[0]
    pooled = pooled_reliability(rci_version)
    series = _by_series(rows)
    scales = []
    for scale_id in q.scale_ids():
        intake = list(series[(Moment.INTAKE, "now", scale_id)])
        pairs = paired.get(scale_id, scores.Pairs([], [], []))
        reliability = alpha_at(Moment.INTAKE, scale_id)
        stated = pooled.get(scale_id) or stats.alpha_with_interval(
            stats.NotComputable(Message("stats.no_reliability")), 0, 0
        )
        # RCI uses the SD of every intake score (not only the paired ones) and the pooled alpha.
        sd_pre = stats.describe(intake).sd
        rci = stats.reliable_change(pairs.pre, pairs.post, sd_pre, stated.alpha)
        scales.append(
            ScaleReport(
                scale_id=scale_id,
                title=titles.get(scale_id, scale_id),
                is_sub="." in scale_id,
                intake=intake,
                exit=list(series[(Moment.EXIT, "now", scale_id)]),
                then=list(series[(Moment.EXIT, "then", scale_id)]),
                change=stats.paired_change(pairs.pre, pairs.post),
                reliability=reliability,
                pooled=stated,
                version=rci_version.version,
                rci=stats.rci_summary(rci),
                rci_threshold=stats.reliable_change_threshold(sd_pre, stated.alpha),
                slope=[
                    (codes.get(pid, "?"), a, b)
                    for pid, a, b in zip(pairs.participant_ids, pairs.pre, pairs.post, strict=True)
                ],
            )
        )
    alphas = [
        AlphaRow(scale_id, titles.get(scale_id, scale_id), moment, alpha_at(moment, scale_id))
        for moment in MOMENTS
        if moment in answers
        for scale_id in q.scale_ids()
    ]
    return CohortReport(
        cohort,
        q,
        scales,
        alphas,
        sjt_distribution(group, versions, lang),
        time_shift(group, versions, lang),
        note,
    )


def _on_shared_items(
    group: ColumnElement[bool],
    rows: list[scores.ScoreRow],
    answers: ItemAnswers,
    q: Questionnaire,
    shared: Shared,
) -> list[scores.ScoreRow]:
    """The rows with every intake and exit self-rating ("now") scored again on the items all
    versions share (from the keyed answers); other rows as stored."""
    owner: dict[int, int] = {
        response_id: participant_id
        for response_id, participant_id in db.session.execute(
            select(Response.id, Response.participant_id)
            .join(Participant, Participant.id == Response.participant_id)
            .where(group, Response.status == Status.SUBMITTED)
        )
        if participant_id is not None
    }
    out = [r for r in rows if not (r.variant == "now" and r.moment in CHANGE_MOMENTS)]
    for moment in CHANGE_MOMENTS:
        for response_id, keyed in answers.get(moment, {}).items():
            for scale_id in q.scale_ids():
                out.append(
                    scores.ScoreRow(
                        owner[response_id],
                        moment,
                        scale_id,
                        "now",
                        shared_pomp(q, scale_id, keyed, shared.likert),
                    )
                )
    return out


def _versions_note(shared: Shared, q: Questionnaire) -> str:
    return _(
        "De antwoorden van dit cohort zijn gegeven met verschillende versies van de vragenlijst"
        " (versie %(versions)s). Voor- en nameting vergelijken we daarom alleen op de uitspraken"
        " die in alle versies precies hetzelfde zijn: %(n)d van de %(total)d. Onderdelen zonder"
        " zulke uitspraken krijgen geen vergelijking; praktijksituaties en werkweek staan per"
        " versie.",
        versions=" en ".join(str(v) for v in shared.numbers),
        n=len(shared.likert),
        total=shared.n_items(q),
    )


# --------------------------------------------------------------------------- SJT and time


def sjt_distribution(
    group: ColumnElement[bool], versions: Versions, lang: str
) -> list[SjtScenario]:
    """Per scenario: each option's share at intake and exit, next to the key (the course designers' judgement, questionnaires/KEY.md), in the
    words and with the key of the version the answers were given in.
    """
    newest_first = versions.newest_first()
    item_ids = _ids(newest_first, None, SjtItem)
    q_id = versions.newest.id
    # item id -> version -> moment -> option -> count
    counts: dict[str, dict[int, dict[str, dict[str, int]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(dict))
    )
    rows = db.session.execute(
        select(
            Answer.item_id,
            Response.questionnaire_version,
            Response.moment,
            Answer.text,
            func.count(),
        )
        .join(Response, Response.id == Answer.response_id)
        .join(Participant, Participant.id == Response.participant_id)
        .where(
            group,
            Response.status == Status.SUBMITTED,
            Response.questionnaire_id == q_id,
            Response.questionnaire_version.in_(sorted(versions.by_number)),
            Response.moment.in_(CHANGE_MOMENTS),
            Answer.item_id.in_(item_ids),
        )
        .group_by(Answer.item_id, Response.questionnaire_version, Response.moment, Answer.text)
    )
    for item_id, version, moment, choice, n in rows:
        if choice is not None:
            counts[item_id][version][moment][choice] = n
    result: list[SjtScenario] = []
    for item_id in item_ids:
        found = definitions(item_id, newest_first, SjtItem)
        for item, q, numbers in found:
            per: dict[str, dict[str, int]] = {m: defaultdict(int) for m in CHANGE_MOMENTS}
            for version in numbers:
                for moment, chosen in counts[item_id][version].items():
                    for choice, n in chosen.items():
                        per[moment][choice] += n
            totals: dict[str, int] = {m: sum(per[m].values()) for m in CHANGE_MOMENTS}
            options: list[SjtOption] = [
                {
                    "value": o.value,
                    "label": q.text(o.label, lang),
                    "effectiveness": o.effectiveness,
                    "best": o.value in item.best,
                    "share": {
                        m: (per[m].get(o.value, 0) / totals[m]) if totals[m] else None
                        for m in CHANGE_MOMENTS
                    },
                    "n": {m: per[m].get(o.value, 0) for m in CHANGE_MOMENTS},
                }
                for o in item.options
            ]
            result.append(
                {
                    "id": item.id if len(found) == 1 else f"{item.id}-v{q.version}",
                    "case": q.text(item.case, lang),
                    "scale": q.sjt_scale_of(item.id),
                    "totals": totals,
                    "options": options,
                }
            )
    return result


def time_shift(group: ColumnElement[bool], versions: Versions, lang: str) -> list[TimeShift]:
    """Mean share of the week per time-allocation item at intake and exit, summed in SQL per
    version and labelled as the version that asked it.
    """
    newest_first = versions.newest_first()
    wanted = [i for q in newest_first for i in q.time_allocation]
    item_ids = _ids(newest_first, wanted, NumericItem)
    if not item_ids:
        return []
    rows = db.session.execute(
        select(
            Answer.item_id,
            Response.questionnaire_version,
            Response.moment,
            func.count(Answer.value),
            func.sum(Answer.value),
        )
        .join(Response, Response.id == Answer.response_id)
        .join(Participant, Participant.id == Response.participant_id)
        .where(
            group,
            Response.status == Status.SUBMITTED,
            Response.questionnaire_id == versions.newest.id,
            Response.questionnaire_version.in_(sorted(versions.by_number)),
            Response.moment.in_(CHANGE_MOMENTS),
            Answer.item_id.in_(item_ids),
        )
        .group_by(Answer.item_id, Response.questionnaire_version, Response.moment)
    )
    found = {
        (item_id, version, moment): stats.Sums.from_sql(n, total)
        for item_id, version, moment, n, total in rows
    }
    result: list[TimeShift] = []
    for item_id in item_ids:
        defined = definitions(item_id, newest_first, NumericItem)
        for item, q, numbers in defined:
            if item_id not in q.time_allocation:
                continue
            sums = {
                m: sum((found.get((item_id, v, m), stats.Sums()) for v in numbers), stats.Sums())
                for m in CHANGE_MOMENTS
            }
            result.append(
                {
                    "id": item_id if len(defined) == 1 else f"{item_id}-v{q.version}",
                    "label": q.item_text(item, lang),
                    "intake": (sums[Moment.INTAKE].mean, sums[Moment.INTAKE].n),
                    "exit": (sums[Moment.EXIT].mean, sums[Moment.EXIT].n),
                }
            )
    return result


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
            "ci": claims.explain_difference(b.ci_low, b.ci_high, b.confidence),
            "g": claims.explain_size(b.g, b.ci_low, b.ci_high, "g"),
            "p": stats.explain_p(b.p),
        }


def compare(selected: Sequence[Cohort], registry: Registry, lang: str) -> Comparison:
    """Change per scale for each cohort; Welch's comparison of the changes when there are two."""
    q = registry.get(selected[0].questionnaire_id)
    # The main scales only: sub-scales belong to the one-cohort page, and side by side they
    # would make a chart of dozens of rows.
    scale_ids = main_scales(q) if q else []
    changes: dict[int, dict[str, stats.PairedChange]] = {}
    diffs: dict[int, dict[str, list[float]]] = {}
    for cohort in selected:
        rows = scores.group_scores(
            Participant.cohort_id == cohort.id, variants=("now",), scale_ids=scale_ids
        )
        pairs = scores.pair_up(rows)
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
    titles = scale_titles(q, lang) if q else {}
    return Comparison(list(selected), scale_ids, titles, changes, between)
