"""Item analysis of one questionnaire version, for whoever owns the questionnaire (the admin).

People are the units: by default one moment (intake, or the questionnaire's first moment), where
the database holds at most one response per person, so Feldt's n is a number of people. All
moments together only on request (`pooled`), and the report then carries a warning: the same
people measured two or three times are not independent rows, and counting them as such lifts
alpha and narrows its interval (on the demo .84/.88/.86 pooled against .75/.82/.79 at intake).

Over the submitted responses to the version at that moment (or those of chosen cohorts):
per Likert item its mean, SD, floor and ceiling share, missing share, item-rest correlation and
alpha if deleted; per scale and sub-scale alpha with Feldt's interval; the correlations between
the main scales' stored scores; and per scenario how often each option was chosen next to the
key, and the scenarios' own reliability (alpha over the effectiveness of the chosen options, all
scenarios and per scale). The database fetches the answers, scores and option counts of exactly those
responses; the figures come from the engine (assess/engine/stats/items.py). A version is read
with its own definition only, so items of different versions never mix.

Like every group figure it keeps the minimum group: a selection of fewer than `minimum` people
gets no figures at all, and a scale or scenario answered by fewer people than that within a
larger selection is left out, so no selection shows one person's answers per item
(assess/reports/promises.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, distinct, func, select

from assess.db import db
from assess.engine import claims, stats
from assess.engine.definition import Questionnaire, SjtItem
from assess.engine.keying import keying
from assess.engine.messages import Message
from assess.formatting import figure, percent, say
from assess.models import Answer, Cohort, Participant, Response, Score, Status
from assess.reports.exports import Cell
from assess.reports.organisation.alpha import likert_items
from assess.survey.labels import scale_titles

# The moment an analysis shows when none is chosen: before the course, when nobody has been
# taught the answers yet.
DEFAULT_MOMENT = "intake"


@dataclass(frozen=True)
class ItemRow:
    figures: stats.ItemFigures
    text: str
    reverse: bool

    @property
    def check_key(self) -> bool:
        """Hint "controleer de sleutel": the item's item-rest r is below zero as shown."""
        return _negative(self.figures.item_rest)


@dataclass(frozen=True)
class ScaleBlock:
    scale_id: str
    title: str
    is_sub: bool
    alpha: stats.Alpha
    items: list[ItemRow]

    @property
    def explanation(self) -> object:
        return stats.explain_alpha(self.alpha)


@dataclass(frozen=True)
class OptionRow:
    label: str
    effectiveness: float
    share: stats.OptionShare


@dataclass(frozen=True)
class ScenarioBlock:
    item_id: str
    case: str
    n: int
    keyed: stats.Value  # share that chose a best option
    options: list[OptionRow]


@dataclass
class ItemAnalysis:
    questionnaire: Questionnaire
    cohorts: list[Cohort]
    moment: str | None  # None: all moments pooled
    responses: int  # submitted responses analysed
    per_moment: dict[str, int]
    people: int = 0  # distinct people behind those responses
    minimum: int = 0  # the smallest group whose figures are shown
    scales: list[ScaleBlock] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)
    correlations: list[stats.Correlation] = field(default_factory=list)
    scenarios: list[ScenarioBlock] = field(default_factory=list)
    # alpha of the scenarios: all together first, then per scale with two or more
    scenario_scales: list[ScaleBlock] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        """At least the minimum group answered: figures may be shown."""
        return self.people >= self.minimum

    @property
    def pooled(self) -> bool:
        return self.moment is None

    @property
    def warning(self) -> Message | None:
        """What a reader must know before reading alpha: only when moments are pooled."""
        if not self.pooled:
            return None
        return Message("items.pooled_moments", {"responses": self.responses, "people": self.people})


# Who gave a response: a participant, or (the beleidsscan) a manager's account, negated so the
# two kinds of id never count as one person.
WHO = func.coalesce(Response.participant_id, -Response.user_id)


def default_moment(q: Questionnaire) -> str:
    """The moment analysed when none is chosen: intake, else the questionnaire's first."""
    return DEFAULT_MOMENT if DEFAULT_MOMENT in q.moments else next(iter(q.moments))


def selected(
    q: Questionnaire, cohort_ids: Sequence[int] = (), moment: str | None = None
) -> Select[int, str]:
    """The submitted responses to this version: all, or those of these cohorts, or one moment."""
    query = select(Response.id, Response.moment).where(
        Response.questionnaire_id == q.id,
        Response.questionnaire_version == q.version,
        Response.status == Status.SUBMITTED,
    )
    if cohort_ids:
        query = query.join(Participant, Participant.id == Response.participant_id).where(
            Participant.cohort_id.in_(sorted(set(cohort_ids)))
        )
    if moment is not None:
        query = query.where(Response.moment == moment)
    return query


def build(
    q: Questionnaire,
    lang: str,
    cohort_ids: Sequence[int] = (),
    moment: str | None = None,
    pooled: bool = False,
    *,
    minimum: int,
) -> ItemAnalysis:
    """The item analysis of version `q` at one moment (default: `default_moment`), each person
    once; with `pooled` over every moment together (then `moment` must be None). No figures
    when fewer than `minimum` people gave them.
    """
    if pooled and moment is not None:
        raise ValueError("choose one moment or pool them all, not both")
    if not pooled and moment is None:
        moment = default_moment(q)
    chosen = selected(q, cohort_ids, moment)
    responses: dict[int, str] = {rid: m for rid, m in db.session.execute(chosen)}
    ids = chosen.with_only_columns(Response.id).scalar_subquery()
    owners = chosen.with_only_columns(WHO).subquery()
    people = db.session.scalar(select(func.count(func.distinct(owners.c[0])))) or 0
    cohorts = (
        list(
            db.session.scalars(
                select(Cohort).where(Cohort.id.in_(cohort_ids)).order_by(Cohort.name)
            )
        )
        if cohort_ids
        else []
    )
    per_moment: dict[str, int] = defaultdict(int)
    for m in responses.values():
        per_moment[m] += 1
    report = ItemAnalysis(q, cohorts, moment, len(responses), dict(per_moment), people, minimum)
    report.titles = scale_titles(q, lang)
    if not report.shown:
        return report
    person = {
        rid: who for rid, who in db.session.execute(chosen.with_only_columns(Response.id, WHO))
    }
    report.scales = _scales(q, lang, responses, ids, person, minimum)
    report.correlations = _correlations(q, responses, ids)
    report.scenarios = _scenarios(q, lang, ids, minimum)
    report.scenario_scales = _scenario_reliability(q, lang, responses, ids, person, minimum)
    return report


def _scales(
    q: Questionnaire,
    lang: str,
    responses: dict[int, str],
    ids: object,
    person: dict[int, int],
    minimum: int,
) -> list[ScaleBlock]:
    likert = likert_items(q)
    used = sorted({i for sid in q.scale_ids() for i in q.items_of(sid) if i in likert})
    answers: dict[int, dict[str, float]] = defaultdict(dict)
    if used and responses:
        rules = {i: keying(q, likert[i]) for i in used}
        rows = db.session.execute(
            select(Answer.response_id, Answer.item_id, Answer.value).where(
                Answer.response_id.in_(ids),  # type: ignore[arg-type]
                Answer.item_id.in_(used),
                Answer.value.is_not(None),
            )
        )
        for response_id, item_id, value in rows:
            if value is not None:
                answers[response_id][item_id] = rules[item_id].apply(value)
    shown = {m: set(q.item_ids_for(m)) for m in q.moments}
    titles = scale_titles(q, lang)
    blocks = []
    for sid in q.scale_ids():
        items = [i for i in q.items_of(sid) if i in likert]
        if not items:
            continue
        # The responses of the moments that ask every item of the scale.
        asked = [r for r, m in responses.items() if set(items) <= shown.get(m, set())]
        if len({person.get(r) for r in asked}) < minimum:
            continue  # a scale asked of too few people in this selection: not shown
        matrix = [[answers[r].get(i) for i in items] for r in asked]
        points = q.points_for(likert[items[0]])
        analysis = stats.analyse_scale(sid, items, matrix, points.min, points.max)
        blocks.append(
            ScaleBlock(
                sid,
                titles.get(sid, sid),
                "." in sid,
                analysis.alpha,
                [
                    ItemRow(f, q.item_text(likert[f.item_id], lang), likert[f.item_id].reverse)
                    for f in analysis.items
                ],
            )
        )
    return blocks


def _correlations(
    q: Questionnaire, responses: dict[int, str], ids: object
) -> list[stats.Correlation]:
    main = [s.id for s in q.scales]
    found: dict[int, dict[str, float]] = defaultdict(dict)
    if responses:
        rows = db.session.execute(
            select(Score.response_id, Score.scale_id, Score.pomp).where(
                Score.response_id.in_(ids),  # type: ignore[arg-type]
                Score.variant == "now",
                Score.scale_id.in_(main),
                Score.pomp.is_not(None),
            )
        )
        for response_id, scale_id, pomp in rows:
            if pomp is not None:
                found[response_id][scale_id] = pomp
    order = sorted(responses)
    return stats.scale_correlations({sid: [found[r].get(sid) for r in order] for sid in main})


def _scenarios(q: Questionnaire, lang: str, ids: object, minimum: int) -> list[ScenarioBlock]:
    sjt = {i: item for i, item in q.items_by_id.items() if isinstance(item, SjtItem)}
    if not sjt:
        return []
    # A scenario chosen by fewer people than the minimum group is left out.
    people: dict[str, int] = {
        item_id: n
        for item_id, n in db.session.execute(
            select(Answer.item_id, func.count(distinct(WHO)))
            .join(Response, Response.id == Answer.response_id)
            .where(
                Answer.response_id.in_(ids),  # type: ignore[arg-type]
                Answer.item_id.in_(sorted(sjt)),
                Answer.text.is_not(None),
            )
            .group_by(Answer.item_id)
        )
    }
    sjt = {i: item for i, item in sjt.items() if people.get(i, 0) >= minimum}
    if not sjt:
        return []
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    rows = db.session.execute(
        select(Answer.item_id, Answer.text, func.count())
        .where(
            Answer.response_id.in_(ids),  # type: ignore[arg-type]
            Answer.item_id.in_(sorted(sjt)),
            Answer.text.is_not(None),
        )
        .group_by(Answer.item_id, Answer.text)
    )
    for item_id, choice, n in rows:
        if choice is not None:
            counts[item_id][choice] = n
    out = []
    for item_id, item in sjt.items():
        shares, keyed = stats.option_shares(
            counts[item_id], [o.value for o in item.options], list(item.best)
        )
        labels = {o.value: (q.text(o.label, lang), o.effectiveness) for o in item.options}
        out.append(
            ScenarioBlock(
                item_id,
                q.text(item.case, lang),
                sum(counts[item_id].values()),
                keyed,
                [OptionRow(labels[s.value][0], labels[s.value][1], s) for s in shares],
            )
        )
    return out


def _scenario_reliability(
    q: Questionnaire,
    lang: str,
    responses: dict[int, str],
    ids: object,
    person: dict[int, int],
    minimum: int,
) -> list[ScaleBlock]:
    """Alpha over the effectiveness of the chosen options: all scenarios, then per scale.

    A scenario score is a scale score like any other; whether its scenarios hang together is
    read the same way (the responses that were shown every scenario of the block, listwise).
    """
    sjt = {i: item for i, item in q.items_by_id.items() if isinstance(item, SjtItem)}
    if not sjt or q.sjt_effectiveness is None or not responses:
        return []
    chosen: dict[int, dict[str, float]] = defaultdict(dict)
    rows = db.session.execute(
        select(Answer.response_id, Answer.item_id, Answer.text).where(
            Answer.response_id.in_(ids),  # type: ignore[arg-type]
            Answer.item_id.in_(sorted(sjt)),
            Answer.text.is_not(None),
        )
    )
    for response_id, item_id, value in rows:
        option = sjt[item_id].option(value) if value is not None else None
        if option is not None:
            chosen[response_id][item_id] = option.effectiveness
    low, high = q.sjt_effectiveness
    shown = {m: set(q.item_ids_for(m)) for m in q.moments}
    titles = scale_titles(q, lang)
    groups = [("sjt", "", [i for s in q.scales for i in s.sjt])]
    groups += [(f"sjt.{s.id}", titles.get(s.id, s.id), list(s.sjt)) for s in q.scales]
    blocks = []
    for block_id, title, items in groups:
        if len(items) < 2:
            continue
        asked = [r for r, m in responses.items() if set(items) <= shown.get(m, set())]
        if len({person.get(r) for r in asked}) < minimum:
            continue  # scenarios shown to too few people in this selection: not shown
        matrix = [[chosen[r].get(i) for i in items] for r in asked]
        analysis = stats.analyse_scale(block_id, items, matrix, low, high)
        blocks.append(
            ScaleBlock(
                block_id,
                title,
                block_id != "sjt",
                analysis.alpha,
                [ItemRow(f, q.text(sjt[f.item_id].case, lang), False) for f in analysis.items],
            )
        )
    return blocks


# --------------------------------------------------------------------------- export


def _num(value: object, digits: int = 3) -> Cell:
    return round(float(value), digits) if stats.is_computable(value) else None


def item_sheet(report: ItemAnalysis) -> list[list[Cell]]:
    """One row per item of every scale and sub-scale, with the scale's alpha beside it."""
    rows: list[list[Cell]] = [
        [
            "schaal",
            "item",
            "tekst",
            "omgekeerd",
            "gevraagd",
            "n",
            "ontbrekend",
            "gemiddelde",
            "sd",
            "bodem",
            "plafond",
            "item_rest_r",
            "alfa_zonder_item",
        ]
    ]
    for block in report.scales:
        for row in block.items:
            f = row.figures
            rows.append(
                [
                    block.scale_id,
                    f.item_id,
                    row.text,
                    int(row.reverse),
                    f.asked,
                    f.n,
                    _num(f.missing),
                    _num(f.mean),
                    _num(f.sd),
                    _num(f.floor),
                    _num(f.ceiling),
                    _num(f.item_rest),
                    _num(f.alpha_if_deleted),
                ]
            )
    return rows


def about_sheet(report: ItemAnalysis, locale: str = "nl") -> list[list[Cell]]:
    """What was analysed: version, moment (or all pooled, with the warning), people, cohorts."""
    q = report.questionnaire
    rows: list[list[Cell]] = [
        ["vragenlijst", q.id],
        ["versie", q.version],
        ["meetmoment", report.moment or "alle meetmomenten samen"],
        ["metingen", report.responses],
        ["mensen", report.people],
        ["cohorten", ", ".join(c.name for c in report.cohorts) or "alle"],
    ]
    if report.warning is not None:
        rows.append(["waarschuwing", say(report.warning, locale)])
    return rows


def scale_sheet(report: ItemAnalysis) -> list[list[Cell]]:
    rows: list[list[Cell]] = [
        ["schaal", "titel", "k", "n", "n_weggelaten", "alfa", "ci_laag", "ci_hoog"]
    ]
    for block in report.scales + report.scenario_scales:
        a = block.alpha
        rows.append(
            [
                block.scale_id,
                block.title,
                a.k,
                a.n,
                a.n_dropped,
                _num(a.alpha),
                _num(a.ci_low),
                _num(a.ci_high),
            ]
        )
    rows.append([])
    rows.append(["schaal_a", "schaal_b", "r", "n"])
    for c in report.correlations:
        rows.append([c.a, c.b, _num(c.r), c.n])
    return rows


def scenario_sheet(report: ItemAnalysis) -> list[list[Cell]]:
    rows: list[list[Cell]] = [
        ["situatie", "optie", "tekst", "effectiviteit", "sleutel", "aantal", "aandeel"]
    ]
    for s in report.scenarios:
        for o in s.options:
            rows.append(
                [
                    s.item_id,
                    o.share.value,
                    o.label,
                    o.effectiveness,
                    int(o.share.best),
                    o.share.count,
                    _num(o.share.share),
                ]
            )
    return rows


# --------------------------------------------------------------------------- text


def _table(rows: list[list[str]]) -> list[str]:
    """Columns padded to their widest cell; the first left-aligned, the others right."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]


def _negative(r: stats.Value) -> bool:
    """An item-rest correlation below zero as shown (two decimals): the item runs against the
    rest of its scale, mostly a reverse-keyed item that is not (or twice) reversed."""
    return stats.is_computable(r) and claims.shown(r) < 0


def as_text(report: ItemAnalysis, locale: str = "nl") -> str:
    """The analysis as plain-text tables for a terminal, numbers in `locale`."""

    def fig(value: object, digits: int = 2) -> str:
        return figure(value, digits, locale) if stats.is_computable(value) else "–"

    def pct(value: object) -> str:
        return percent(value, 0, locale) if isinstance(value, float | int) else "–"

    q = report.questionnaire
    moments = ", ".join(f"{m} {n}" for m, n in sorted(report.per_moment.items()))
    lines = [
        f"{q.id} versie {q.version}: {report.responses} ingeleverde antwoorden"
        f" van {report.people} mensen ({moments or report.moment})"
    ]
    if report.cohorts:
        lines.append("cohorten: " + ", ".join(c.name for c in report.cohorts))
    if not report.shown:
        lines.append(
            f"{report.people} deelnemers: geen cijfers onder de minimale groep van"
            f" {report.minimum} (MIN_GROUP_SIZE)."
        )
        return "\n".join(lines)
    if report.warning is not None:
        lines += ["", "LET OP: " + say(report.warning, locale)]
    else:
        lines.append(f"meetmoment {report.moment}: elke persoon telt één keer")
    lines += ["", "Schalen (praktijksituaties: sjt)"]
    rows = [["schaal", "k", "n", "alfa", "95%-interval"]]
    for b in report.scales + report.scenario_scales:
        a = b.alpha
        flag = " negatief: sleutel?" if a.negative else ""
        rows.append(
            [
                b.scale_id,
                str(a.k),
                str(a.n),
                fig(a.alpha) + flag,
                f"{fig(a.ci_low)} – {fig(a.ci_high)}",
            ]
        )
    lines += _table(rows)
    lines += ["", "Correlaties tussen schalen (r, n)"]
    lines += _table(
        [["schaal", "schaal", "r", "n"]]
        + [[c.a, c.b, fig(c.r), str(c.n)] for c in report.correlations]
    )
    lines += ["", "Items (omgekeerde al omgedraaid; * = bodem/plafond > 15 % of item-rest < 0,30)"]
    rows = [["item", "n", "ontbr.", "gem.", "sd", "bodem", "plafond", "item-rest", "alfa zonder"]]
    for b in report.scales:
        if b.is_sub:
            continue
        for row in b.items:
            f = row.figures
            rows.append(
                [
                    ("* " if f.flagged else "  ") + f.item_id,
                    str(f.n),
                    pct(f.missing),
                    fig(f.mean),
                    fig(f.sd),
                    pct(f.floor),
                    pct(f.ceiling),
                    fig(f.item_rest) + (" sleutel?" if _negative(f.item_rest) else ""),
                    fig(f.alpha_if_deleted),
                ]
            )
    lines += _table(rows)
    if report.scenarios:
        lines += ["", "Praktijksituaties (* = sleutel)"]
        rows = [["situatie", "optie", "aantal", "aandeel"]]
        for s in report.scenarios:
            for o in s.options:
                mark = "*" if o.share.best else " "
                rows.append(
                    [s.item_id, f"{mark}{o.share.value}", str(o.share.count), pct(o.share.share)]
                )
        lines += _table(rows)
    return "\n".join(lines)
