"""A participant's personal report: scores per scale and sub-scale at every submitted moment,
the retrospective "then", scenario results, time allocation and the action plan.

`build(participant, registry)` reads the stored scores and answers (submitted responses only) and the
questionnaire definition; it is used by the participant's own report and by the trainer, who
renders the same partial template (`templates/participant/_report.html`, needs only `report`).
The participant's own data as JSON ("download my data") is `participant_data.export`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from assess.db import db
from assess.engine.definition import Band, Questionnaire, SjtItem, TextItem
from assess.engine.moments import PARTICIPANT_MOMENTS, Moment
from assess.engine.scoring import STATUS_OK, AnswerValue, score_response
from assess.formatting import number
from assess.models import Participant, Response, Score, Status
from assess.reports.versions import Shared
from assess.survey.answers import stored_answers
from assess.survey.forms import answer_label
from assess.survey.labels import moment_title
from assess.survey.registry import Registry

# Report columns in reading order: the retrospective "then" sits before the exit's "now".
COLUMNS = (
    (Moment.INTAKE, Moment.INTAKE, "now"),
    ("then", Moment.EXIT, "then"),
    (Moment.EXIT, Moment.EXIT, "now"),
    (Moment.FOLLOWUP, Moment.FOLLOWUP, "now"),
)


@dataclass(frozen=True)
class Cell:
    """One score (0-100) of a scale at one moment, or why there is none."""

    pomp: float | None
    band: Band | None
    status: str
    n_answered: int
    n_items: int

    @property
    def ok(self) -> bool:
        return self.status == STATUS_OK and self.pomp is not None


@dataclass
class ScaleLine:
    id: str
    title: str
    description: str
    subscale: bool
    cells: dict[str, Cell] = field(default_factory=dict)
    sjt: dict[str, Cell] = field(default_factory=dict)


@dataclass
class ScaleReport:
    """A dimension: its own line, its sub-scales and the feedback for the latest band."""

    line: ScaleLine
    subscales: list[ScaleLine]
    latest_column: str | None
    band: Band | None
    feedback: str
    tips: list[str]
    change: str = ""  # in words, from the first moment to the latest: "van 32 (laag) naar 55 …"


@dataclass(frozen=True)
class Scenario:
    item_id: str
    title: str
    case: str
    question: str
    chosen: str | None
    chose_best: bool
    best: list[str]
    explanation: str


@dataclass
class MomentReport:
    moment: str
    title: str
    submitted_at: datetime | None
    scenarios: list[Scenario]
    time_allocation: list[tuple[str, float | None]]


@dataclass
class PersonalReport:
    participant_id: int
    name: str
    cohort: str
    organisation: str
    title: str
    columns: list[tuple[str, str]]  # (key, label) of the columns that have data
    scales: list[ScaleReport]
    moments: list[MomentReport]
    action_plan: str | None
    action_plan_result: str | None
    lang: str = "nl"
    # The scenarios' keyed answers and explanations are withheld until this moment (its title)
    # is submitted, so later moments are not answered from memory of the feedback; None = shown.
    keys_after: str | None = None
    # Set when the moments were answered with different versions: what the comparison rests on.
    version_note: str | None = None
    # What the participant wrote in the other open questions: (moment title, question, answer).
    writings: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.moments

    def moment(self, moment: str) -> MomentReport | None:
        return next((m for m in self.moments if m.moment == moment), None)

    def scenarios(self) -> list[tuple[Scenario, list[tuple[str, Scenario]]]]:
        """Each scenario of the latest moment, with the choice made at every moment."""
        if not self.moments:
            return []
        out = []
        for scenario in self.moments[-1].scenarios:
            choices = [
                (m.title, found)
                for m in self.moments
                for found in m.scenarios
                if found.item_id == scenario.item_id
            ]
            out.append((scenario, choices))
        return out

    @property
    def has_then(self) -> bool:
        return any(key == "then" for key, _label in self.columns)


def column_labels() -> dict[str, str]:
    return {
        Moment.INTAKE: moment_title(Moment.INTAKE),
        "then": _("Terugblik: vóór de leergang"),
        Moment.EXIT: moment_title(Moment.EXIT),
        Moment.FOLLOWUP: moment_title(Moment.FOLLOWUP),
    }


def _submitted(participant: Participant) -> list[Response]:
    found = db.session.scalars(
        select(Response).where(
            Response.participant_id == participant.id, Response.status == Status.SUBMITTED
        )
    ).all()
    order: dict[str, int] = {m: n for n, m in enumerate(PARTICIPANT_MOMENTS)}
    return sorted(found, key=lambda r: order.get(r.moment, 99))


def scores_of(response_ids: list[int]) -> dict[tuple[str, str, str], Score]:
    """(moment, scale_id, variant) -> stored score, for the given responses."""
    rows = db.session.execute(
        select(Response.moment, Score).join(Score.response).where(Response.id.in_(response_ids))
    )
    return {(moment, s.scale_id, s.variant): s for moment, s in rows}


def _cell(q: Questionnaire, score: Score) -> Cell:
    scale = q.scales_by_id.get(score.scale_id.partition(".")[0])
    band = next((b for b in scale.bands if b.id == score.band), None) if scale else None
    return Cell(score.pomp, band, score.status, score.n_answered, score.n_items)


def version_of(response: Response, registry: Registry) -> Questionnaire:
    """The exact questionnaire version a response was started (and scored) with."""
    q = registry.get(response.questionnaire_id, response.questionnaire_version)
    if q is None:
        raise LookupError(
            f"questionnaire {response.questionnaire_id} version"
            f" {response.questionnaire_version} is not installed"
        )
    return q


def build(participant: Participant, registry: Registry, lang: str = "nl") -> PersonalReport:
    """The report of everything the participant has submitted (empty when nothing yet)."""
    submitted = _submitted(participant)
    scores = scores_of([r.id for r in submitted])
    q = version_of(submitted[-1], registry) if submitted else None
    moments: list[MomentReport] = []
    answers_by_moment: dict[str, dict[str, AnswerValue]] = {}
    for response in submitted:
        rq = version_of(response, registry)
        answers = stored_answers(response.id, rq)
        answers_by_moment[response.moment] = answers
        moments.append(_moment_report(rq, response, answers, lang))

    versions = {r.questionnaire_version: version_of(r, registry) for r in submitted}
    own_scores = scores  # each moment on all items of its own version: the band feedback
    note = None
    if len(versions) > 1:
        # Moments answered with different versions: compare them on what the versions share.
        shared = Shared(tuple(versions[v] for v in sorted(versions, reverse=True)))
        scores = _shared_scores(shared, submitted, answers_by_moment, versions)
        moments = (
            [
                m if r.questionnaire_version == q.version else _without_time(m)
                for r, m in zip(submitted, moments, strict=True)
            ]
            if q
            else moments
        )
        note = _version_note(shared, q) if q else None

    labels = column_labels()
    columns = [
        (key, labels[key])
        for key, moment, variant in COLUMNS
        if any(k[0] == moment and k[2] == variant for k in scores)
    ]
    scale_reports = _scale_reports(q, scores, columns, lang, own_scores) if q else []

    plan, result = _action_plan(q, answers_by_moment) if q else (None, None)
    keys_after = _keys_withheld_until(q, submitted, lang) if q else None
    if keys_after is not None:
        moments = [_without_keys(m) for m in moments]
        # A scale's scenario score rests on two or three scenarios whose choices the report
        # shows: the score per moment would give the key away before the follow-up asks again.
        for report in scale_reports:
            for line in (report.line, *report.subscales):
                line.sjt.clear()
    writings = _writings(q, moments, answers_by_moment, lang) if q else []
    return PersonalReport(
        participant_id=participant.id,
        name=participant.name,
        cohort=participant.cohort.name,
        organisation=participant.organisation.name,
        title=q.text(q.title, lang) if q else "",
        columns=columns,
        scales=scale_reports,
        moments=moments,
        action_plan=plan,
        action_plan_result=result,
        lang=lang,
        writings=writings,
        keys_after=keys_after,
        version_note=note,
    )


@dataclass(frozen=True)
class _SharedScore:
    """A score computed on the shared items only, shaped like a stored Score for the cells."""

    scale_id: str
    variant: str
    pomp: float | None
    band: str | None
    status: str
    n_answered: int
    n_items: int


def _shared_scores(
    shared: Shared,
    submitted: list[Response],
    answers_by_moment: Mapping[str, Mapping[str, AnswerValue]],
    versions: Mapping[int, Questionnaire],
) -> dict[tuple[str, str, str], Score]:
    found: dict[tuple[str, str, str], Score] = {}
    for response in submitted:
        q = versions[response.questionnaire_version]
        sheet = shared.score(q, answers_by_moment[response.moment], response.moment)
        for s in sheet.scores:
            found[(response.moment, s.scale_id, s.variant)] = _SharedScore(  # type: ignore[assignment]
                s.scale_id, s.variant, s.pomp, s.band_id, s.status, s.n_answered, s.n_items
            )
    return found


def _without_time(moment: MomentReport) -> MomentReport:
    """A moment of an older version without its time allocation: its kinds of work differ."""
    return MomentReport(moment.moment, moment.title, moment.submitted_at, moment.scenarios, [])


def _version_note(shared: Shared, newest: Questionnaire) -> str:
    return _(
        "Je hebt de metingen ingevuld met verschillende versies van de vragenlijst (versie"
        " %(versions)s). In de nieuwste versie zijn vragen anders gesteld of vervangen. Daarom"
        " vergelijken we je scores tussen de metingen alleen op de uitspraken die in beide"
        " versies precies hetzelfde zijn: %(n)d van de %(total)d. Onderdelen zonder zulke"
        " uitspraken, en praktijksituaties en werkweek van de oudere versie, staan niet in de"
        " vergelijking.",
        versions=" en ".join(str(v) for v in shared.numbers),
        n=len(shared.likert),
        total=shared.n_items(newest),
    )


def _keys_withheld_until(q: Questionnaire, submitted: list[Response], lang: str) -> str | None:
    """The title of the moment after which the scenarios' key is shown, while it is not yet
    submitted; None when the key may be shown (or the version shows it right away)."""
    after = q.sjt_keys_after
    if after is None or any(r.moment == after for r in submitted):
        return None
    return q.text(q.moments[after].title, lang) if after in q.moments else None


def _without_keys(moment: MomentReport) -> MomentReport:
    hidden = [
        Scenario(s.item_id, s.title, s.case, s.question, s.chosen, False, [], "")
        for s in moment.scenarios
    ]
    return MomentReport(
        moment.moment, moment.title, moment.submitted_at, hidden, moment.time_allocation
    )


def _scale_reports(
    q: Questionnaire,
    scores: Mapping[tuple[str, str, str], Score],
    columns: list[tuple[str, str]],
    lang: str,
    own_scores: Mapping[tuple[str, str, str], Score] | None = None,
) -> list[ScaleReport]:
    """The scale sections; `own_scores` (stored, each moment on its own version) give the band
    feedback when `scores` are a comparison on shared items."""
    keys = [key for key, _label in columns]
    where = {key: (moment, variant) for key, moment, variant in COLUMNS}
    out = []
    for scale in q.scales:
        lines = [
            ScaleLine(scale.id, q.text(scale.title, lang), q.text(scale.description, lang), False)
        ]
        for sub in scale.subscales:
            lines.append(
                ScaleLine(
                    f"{scale.id}.{sub.id}",
                    q.text(sub.title, lang),
                    q.text(sub.description, lang),
                    True,
                )
            )
        for line in lines:
            for key in keys:
                moment, variant = where[key]
                if (score := scores.get((moment, line.id, variant))) is not None:
                    line.cells[key] = _cell(q, score)
                if variant == "now" and (sjt := scores.get((moment, line.id, "sjt"))):
                    line.sjt[key] = _cell(q, sjt)
        main = lines[0]
        latest = next((k for k in reversed(keys) if k != "then" and k in main.cells), None)
        # Feedback and tips follow the latest score, never an earlier moment's.
        band = main.cells[latest].band if latest and main.cells[latest].ok else None
        if own_scores is not None and latest is not None:
            moment, variant = where[latest]
            own = own_scores.get((moment, scale.id, variant))
            band = _cell(q, own).band if own is not None and own.status == STATUS_OK else None
        first = next((k for k in keys if k != "then" and k in main.cells), None)
        out.append(
            ScaleReport(
                line=main,
                subscales=lines[1:],
                latest_column=latest,
                band=band,
                feedback=q.text(band.feedback, lang) if band else "",
                tips=[q.text(t, lang) for t in band.tips] if band else [],
                change=_change(main, first, latest, dict(columns), lang),
            )
        )
    return out


def _band_word(cell: Cell, lang: str) -> str:
    return Questionnaire.text(cell.band.label, lang).lower() if cell.band else ""


def _change(
    line: ScaleLine, first: str | None, latest: str | None, labels: dict[str, str], lang: str
) -> str:
    """What changed between the first and the latest moment, in words:
    "Tijdmanagement: van 32 (laag) bij de voormeting naar 55 (gemiddeld) bij de nameting,
    23 punten hoger." Empty with a single moment or a score that could not be computed."""
    if first is None or latest is None or first == latest:
        return ""
    before, after = line.cells[first], line.cells[latest]
    if not (before.ok and after.ok) or before.pomp is None or after.pomp is None:
        return ""
    # Rounded first, so the difference adds up with the two numbers shown.
    a, b = round(before.pomp), round(after.pomp)

    def shown(value: int, cell: Cell) -> str:
        word = _band_word(cell, lang)
        return f"{number(value, 0, lang)} ({word})" if word else number(value, 0, lang)

    if b > a:
        how = ngettext("%(num)d punt hoger", "%(num)d punten hoger", b - a)
    elif b < a:
        how = ngettext("%(num)d punt lager", "%(num)d punten lager", a - b)
    else:
        how = _("gelijk gebleven")
    return _(
        "%(scale)s: van %(before)s bij de %(first)s naar %(after)s bij de %(latest)s, %(how)s.",
        scale=line.title,
        before=shown(a, before),
        first=labels[first].lower(),
        after=shown(b, after),
        latest=labels[latest].lower(),
        how=how,
    )


def _moment_report(
    q: Questionnaire, response: Response, answers: Mapping[str, AnswerValue], lang: str
) -> MomentReport:
    sheet = score_response(q, answers, response.moment)
    scenarios = []
    for result in sheet.scenarios:
        item = q.items_by_id[result.item_id]
        assert isinstance(item, SjtItem)
        scenarios.append(
            Scenario(
                item_id=item.id,
                title=_scenario_title(q, item, lang),
                case=q.text(item.case, lang),
                question=q.text(item.text, lang),
                chosen=answer_label(q, item, result.chosen, lang) if result.chosen else None,
                chose_best=result.chose_best,
                best=[answer_label(q, item, value, lang) for value in result.best],
                explanation=explanation_in_words(q, item, lang),
            )
        )
    time = [(short_label(q.item_text(q.items_by_id[i], lang)), v) for i, v in sheet.time_allocation]
    title = q.text(q.moments[response.moment].title, lang)
    return MomentReport(response.moment, title, response.submitted_at, scenarios, time)


def option_names(labels: Mapping[str, str]) -> dict[str, str]:
    """Each option's shortest recognisable name: its first words, as many as it takes to tell
    it from the others (at least six), with "…" when cut short."""
    words = {value: label.split() for value, label in labels.items()}
    names = {}
    for value, own in words.items():
        k = min(6, len(own))
        while k < len(own) and any(w[:k] == own[:k] for v, w in words.items() if v != value):
            k += 1
        name = " ".join(own[:k])
        names[value] = name if k == len(own) else name.rstrip(",.:;") + "…"
    return names


def explanation_in_words(q: Questionnaire, item: SjtItem, lang: str) -> str:
    """The expert explanation with the options named by their text.

    Explanations refer to options by their value ("Experts vinden c het meest effectief", "Zelf
    opruimen (a)"), a letter the survey never shows. A single-letter value standing alone is
    replaced by the option's quoted name. In English a lone "a" is the article, so there only
    "(a)" and an "a" opening a sentence count.
    """
    text = q.text(item.explanation, lang)
    letters = {
        o.value: q.text(o.label, lang) for o in item.options if re.fullmatch(r"[a-z]", str(o.value))
    }
    if not text or not letters:
        return text
    names = option_names(letters)
    pattern = re.compile(r"(?<![\w'’‘-])([" + "".join(letters) + r"])(?![\w'’-])")

    def name(match: re.Match[str]) -> str:
        letter, start = match.group(1), match.start()
        if lang == "en" and letter == "a":
            before = text[:start].rstrip()
            parenthesised = before.endswith("(") and text[match.end() : match.end() + 1] == ")"
            if not (parenthesised or not before or before[-1] in ".!?"):
                return letter
        return f"‘{names[letter]}’"

    return pattern.sub(name, text)


def _writings(
    q: Questionnaire,
    moments: list[MomentReport],
    answers_by_moment: Mapping[str, Mapping[str, AnswerValue]],
    lang: str,
) -> list[tuple[str, str, str]]:
    """The open answers the report does not already show as the action plan ("Wat heb je in de
    leergang geleerd?"), per moment: (moment title, question, answer)."""
    plan_items = {
        ref
        for item in q.items_by_id.values()
        if isinstance(item, TextItem) and item.recall
        for ref in (item.id, item.recall)
    }
    out = []
    for moment in moments:
        answers = answers_by_moment.get(moment.moment, {})
        for item in q.items_by_id.values():
            written = _written(answers.get(item.id))
            if isinstance(item, TextItem) and item.id not in plan_items and written:
                out.append((moment.title, q.item_text(item, lang), written))
    return out


def _scenario_title(q: Questionnaire, item: SjtItem, lang: str) -> str:
    """A scenario's first sentence, as a heading."""
    case = q.text(item.case, lang)
    first = case.split(". ")[0]
    return first if len(first) <= 90 else first[:87].rstrip() + "…"


def short_label(text: str) -> str:
    """The part of a question before its colon: 'Klachten en meldingen afhandelen'."""
    head = text.split(":")[0].strip()
    return head if len(head) <= 60 else head[:57].rstrip() + "…"


def _action_plan(
    q: Questionnaire, answers_by_moment: Mapping[str, Mapping[str, AnswerValue]]
) -> tuple[str | None, str | None]:
    """The plan written at exit (the text item a follow-up item recalls) and what became of it."""
    for item in q.items_by_id.values():
        if not isinstance(item, TextItem) or not item.recall:
            continue
        plan = _written(answers_by_moment.get(Moment.EXIT, {}).get(item.recall))
        result = _written(answers_by_moment.get(Moment.FOLLOWUP, {}).get(item.id))
        if plan or result:
            return plan, result
    return None, None


def _written(answer: AnswerValue) -> str | None:
    """The text of a free-text answer; None when nothing was written."""
    return answer if isinstance(answer, str) and answer else None
