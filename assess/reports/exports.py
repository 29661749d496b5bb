"""Exports of submitted responses for SPSS, R or a spreadsheet: long and wide form, with a codebook.

Pseudonymised by default (code, corporation, cohort); names and e-mail addresses only when the
caller asks for them. Every cell goes through `safe_cell`, so text a participant or trainer typed
cannot become a spreadsheet formula (CSV/formula injection, OWASP).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import TypeAlias

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import ColumnElement, select

from assess.db import db
from assess.engine.definition import (
    ChoiceItem,
    Item,
    LikertItem,
    NumericItem,
    Questionnaire,
    SjtItem,
)
from assess.engine.moments import Moment
from assess.models import Answer, Cohort, Organisation, Participant, Response, Score, Status

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MOMENT_ORDER: dict[str, int] = {Moment.INTAKE: 0, Moment.EXIT: 1, Moment.FOLLOWUP: 2}
VARIANT_PREFIX = {"now": "score_", "then": "score_toen_", "sjt": "score_sjt_"}

Cell: TypeAlias = str | int | float | None  # one value of an exported row
Meta: TypeAlias = tuple[str, ...]  # code, corporation, cohort (name, e-mail), moment, submitted


def safe_cell(value: Cell) -> Cell:
    """Numbers and dates stay as they are; text that a spreadsheet would run gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _stamp(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


def _plain(value: float | None, text: str | None) -> Cell:
    if value is not None:
        return int(value) if float(value).is_integer() else value
    return text if text is not None else ""


def meta_columns(names: bool) -> list[str]:
    return (
        ["code", "corporatie", "cohort"]
        + (["naam", "email"] if names else [])
        + [
            "moment",
            "ingeleverd_utc",
        ]
    )


def _answer_rows(
    group: ColumnElement[bool], q: Questionnaire, names: bool
) -> list[tuple[Meta, int, str, Cell]]:
    """(meta tuple, response id, item id, value) of every submitted answer, in a stable order."""
    columns = [Participant.code, Organisation.name, Cohort.name]
    if names:
        columns += [Participant.name, Participant.email]
    query = (
        select(
            *columns,
            Response.moment,
            Response.submitted_at,
            Response.id,
            Answer.item_id,
            Answer.value,
            Answer.text,
        )
        .select_from(Participant)
        .join(Organisation, Organisation.id == Participant.organisation_id)
        .join(Cohort, Cohort.id == Participant.cohort_id)
        .join(Response, Response.participant_id == Participant.id)
        .join(Answer, Answer.response_id == Response.id)
        .where(group, Response.status == Status.SUBMITTED, Response.questionnaire_id == q.id)
    )
    order = {item_id: n for n, item_id in enumerate(q.items_by_id)}
    found: list[tuple[Meta, int, str, Cell]] = []
    for *person, moment, submitted_at, response_id, item_id, value, text in db.session.execute(
        query
    ):
        meta: Meta = (*person, moment, _stamp(submitted_at))
        found.append((meta, response_id, item_id, _plain(value, text)))
    found.sort(
        key=lambda r: (r[0][2], r[0][0], MOMENT_ORDER.get(r[0][-2], 9), order.get(r[2], 10**6))
    )
    return found


def long_rows(
    group: ColumnElement[bool], q: Questionnaire, names: bool = False
) -> Iterator[list[Cell]]:
    """Header, then one row per participant x moment x item."""
    yield [*meta_columns(names), "item", "waarde"]
    for meta, _response_id, item_id, value in _answer_rows(group, q, names):
        yield [*meta, item_id, value]


def score_columns(q: Questionnaire) -> list[tuple[str, str, str]]:
    """(column, scale id, variant) of every score the questionnaire can produce."""
    cols = [(VARIANT_PREFIX["now"] + s.replace(".", "_"), s, "now") for s in q.scale_ids()]
    if q.retrospective_items:
        cols += [(VARIANT_PREFIX["then"] + s.replace(".", "_"), s, "then") for s in q.scale_ids()]
    cols += [(VARIANT_PREFIX["sjt"] + s.id, s.id, "sjt") for s in q.scales if s.sjt]
    return cols


def wide_rows(
    group: ColumnElement[bool], q: Questionnaire, names: bool = False
) -> Iterator[list[Cell]]:
    """Header, then one row per participant and moment: every item, then every scale score."""
    items = list(q.items_by_id)
    scores = score_columns(q)
    yield [*meta_columns(names), *items, *(c for c, _, _ in scores)]
    by_response: dict[int, tuple[Meta, dict[str, Cell]]] = {}
    for meta, response_id, item_id, value in _answer_rows(group, q, names):
        by_response.setdefault(response_id, (meta, {}))[1][item_id] = value
    score_values: dict[int, dict[tuple[str, str], float | None]] = {}
    ids = list(by_response)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for rid, scale_id, variant, pomp in db.session.execute(
            select(Score.response_id, Score.scale_id, Score.variant, Score.pomp).where(
                Score.response_id.in_(chunk)
            )
        ):
            score_values.setdefault(rid, {})[(scale_id, variant)] = pomp
    for rid, (meta, answers) in by_response.items():
        values = score_values.get(rid, {})
        yield [
            *meta,
            *(answers.get(i, "") for i in items),
            *(_round(values.get((s, v))) for _, s, v in scores),
        ]


def _round(x: float | None) -> Cell:
    return "" if x is None else round(x, 4)


def codebook_rows(q: Questionnaire, names: bool = False) -> Iterator[list[Cell]]:
    """One row per column of the data: what it is, its answer scale and keying, its scales."""
    yield ["variabele", "soort", "tekst", "antwoorden", "omgekeerd", "schalen", "momenten"]
    meta = {
        "code": "Pseudoniem van de deelnemer (vast, ook over momenten heen)",
        "corporatie": "Corporatie (organisatie) van de deelnemer",
        "cohort": "Naam van het cohort",
        "naam": "Naam van de deelnemer",
        "email": "E-mailadres van de deelnemer",
        "moment": "intake = voormeting, exit = nameting, followup = follow-up",
        "ingeleverd_utc": "Moment van inleveren (UTC, JJJJ-MM-DD UU:MM)",
        "item": "Item-id (lange vorm); zie de rijen hieronder",
        "waarde": "Antwoord (lange vorm): getal bij schalen en aantallen, anders de code",
    }
    for column in meta_columns(names) + ["item", "waarde"]:
        yield [column, "gegevens", meta[column], "", "", "", ""]
    in_scales: dict[str, list[str]] = {}
    for scale_id in q.scale_ids():
        for item_id in q.items_of(scale_id):
            in_scales.setdefault(item_id, []).append(scale_id)
    moments: dict[str, list[str]] = {}
    for moment in q.moments:
        for item_id in q.item_ids_for(moment):
            moments.setdefault(item_id, []).append(moment)
    for item_id, item in q.items_by_id.items():
        source = (
            item.retrospective_of
            if isinstance(item, LikertItem) and item.retrospective_of
            else item_id
        )
        yield [
            item_id,
            item.type + (" (terugblik)" if source != item_id else ""),
            q.item_text(item),
            _answer_labels(q, item),
            ("ja" if item.reverse else "nee") if isinstance(item, LikertItem) else "",
            ", ".join(in_scales.get(source, [])),
            ", ".join(moments.get(item_id, [])),
        ]
    explain = {
        "now": "Schaalscore 0-100 (POMP): gemiddelde van de beantwoorde items, omgekeerde items teruggedraaid",
        "then": "Terugblik-score 0-100: hoe de deelnemer zichzelf bij de nameting voor de leergang inschat",
        "sjt": "Praktijksituaties 0-100: gemiddelde effectiviteit van de gekozen antwoorden volgens experts",
    }
    for column, scale_id, variant in score_columns(q):
        yield [column, "score", explain[variant], "0-100", "", scale_id, ""]


def _answer_labels(q: Questionnaire, item: Item) -> str:
    if isinstance(item, LikertItem):
        return "; ".join(f"{p.value}={q.text(p.label)}" for p in q.points_for(item))
    if isinstance(item, SjtItem):
        return "; ".join(
            f"{o.value}={q.text(o.label)} (effectiviteit {o.effectiveness:g})" for o in item.options
        )
    if isinstance(item, ChoiceItem):
        return "; ".join(f"{o.value}={q.text(o.label)}" for o in item.options)
    if isinstance(item, NumericItem):
        return f"{item.min:g}-{item.max:g}"
    return "vrije tekst"


# --------------------------------------------------------------------------- file formats


def to_csv(rows: Iterable[list[Cell]]) -> bytes:
    """Comma-separated UTF-8 with a header row, every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def xlsx_cell(value: Cell) -> Cell:
    """`safe_cell`, without the control characters an XLSX file cannot hold (openpyxl refuses
    them, which would turn a typed form feed into a failed export).
    """
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return safe_cell(value)


def to_xlsx(sheets: Mapping[str, Iterable[list[Cell]]]) -> bytes:
    """A workbook with one sheet per entry (e.g. data and codebook), every cell neutralised."""
    book = Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = book.create_sheet(ILLEGAL_CHARACTERS_RE.sub("", title)[:31])
        for row in rows:
            sheet.append([xlsx_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
