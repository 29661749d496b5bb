"""Exports of submitted responses for SPSS, R or a spreadsheet: long and wide form, with a codebook.

Pseudonymised by default (code, corporation, cohort); names and e-mail addresses only when the
caller asks for them. Every cell goes through `safe_cell`, so text a participant or trainer typed
cannot become a spreadsheet formula (CSV/formula injection, OWASP).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeAlias

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet
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
from assess.engine.pulse import PULSE
from assess.models import (
    Answer,
    Cohort,
    Organisation,
    Participant,
    Response,
    Score,
    Status,
)
from assess.reports import pulses

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MOMENT_ORDER: dict[str, int] = {Moment.INTAKE: 0, Moment.EXIT: 1, Moment.FOLLOWUP: 2}
VARIANT_PREFIX = {"now": "score_", "then": "score_toen_", "sjt": "score_sjt_"}

Cell: TypeAlias = str | int | float | None  # one value of an exported row
Meta: TypeAlias = tuple[str, ...]  # code, corporation, cohort (name, e-mail), moment, submitted


# Where a spreadsheet may start a cell inside one CSV field: Dutch Excel splits a line on ";"
# whatever the file meant, others on ",", and a quoted field does not stop every importer.
CSV_CELL_STARTS = re.compile(r"(^|[;,])( *)(?=[=+\-@\t\r])")
# XLSX (XML 1.0) cannot hold most control characters; openpyxl refuses the whole workbook.
XLSX_REPLACEMENT = "\ufffd"


def safe_cell(value: Cell) -> Cell:
    """Numbers and dates stay as they are; text that a spreadsheet would run gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_csv_cell(value: Cell) -> Cell:
    """A CSV field whose every piece, at its start and after each ";" or ",", a spreadsheet
    reads as text: a ' goes before the formula trigger (e.g. `goed;'=cmd|...`)."""
    if isinstance(value, str):
        return CSV_CELL_STARTS.sub(r"\1\2'", value)
    return value


def xlsx_cell(value: Cell) -> Cell:
    """A value every XLSX writer puts in a cell: formula-safe, and with the control characters
    XLSX cannot hold shown as U+FFFD, so one odd character never breaks a whole export."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub(XLSX_REPLACEMENT, value)
    return safe_cell(value)


def append_row(sheet: Worksheet | WriteOnlyWorksheet, row: Iterable[object]) -> None:
    """Append one row to an XLSX sheet, every cell through xlsx_cell()."""
    sheet.append([xlsx_cell(v) if isinstance(v, str) else v for v in row])


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
            "versie",
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
            Response.questionnaire_version,
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
    rows = db.session.execute(query)
    for *person, moment, submitted_at, version, response_id, item_id, value, text in rows:
        meta: Meta = (*person, moment, _stamp(submitted_at), str(version))
        found.append((meta, response_id, item_id, _plain(value, text)))
    found.sort(
        key=lambda r: (r[0][2], r[0][0], MOMENT_ORDER.get(r[0][-3], 9), order.get(r[2], 10**6))
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
    """Header, then one row per participant and moment: every item, then every scale score.

    Items of an older version that the newest does not have get columns of their own after the
    newest version's items (answers are never dropped); the column "versie" says which version a
    row was answered and scored with."""
    # The weekly pulse's items have a sheet of their own (pulse_rows): no empty columns here.
    pulse_only = set(q.item_ids_for(PULSE)) if PULSE in q.moments else set()
    items = [i for i in q.items_by_id if i not in pulse_only]
    scores = score_columns(q)
    by_response: dict[int, tuple[Meta, dict[str, Cell]]] = {}
    older: dict[str, None] = {}
    for meta, response_id, item_id, value in _answer_rows(group, q, names):
        by_response.setdefault(response_id, (meta, {}))[1][item_id] = value
        if item_id not in q.items_by_id:
            older.setdefault(item_id)
    items += list(older)
    yield [*meta_columns(names), *items, *(c for c, _, _ in scores)]
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


def pulse_rows(
    group: ColumnElement[bool], q: Questionnaire, minimum: int, today: date
) -> Iterator[list[Cell]]:
    """The weekly pulse as group figures: header, then one row per cohort and week that has
    opened (the week as its Monday): invited, answered, and, for a week with at least
    `minimum` answers, per numeric item n, median and quartiles and per choice item how many
    chose each option. Never a row per person, never names or codes: the trainer sees the
    pulse as the group's (assess/reports/promises.py); free texts stay on the page."""
    items = [q.items_by_id[i] for i in q.item_ids_for(PULSE)] if PULSE in q.moments else []
    numeric = [i.id for i in items if isinstance(i, NumericItem)]
    choices = {i.id: [o.value for o in i.options] for i in items if isinstance(i, ChoiceItem)}
    header: list[Cell] = ["cohort", "week", "uitgenodigd", "ingevuld"]
    for item_id in numeric:
        header += [f"{item_id}_{m}" for m in ("n", "mediaan", "q1", "q3")]
    for item_id, options in choices.items():
        header += [f"{item_id}_{option}" for option in options]
    yield header
    own = select(Participant.cohort_id).where(group).distinct().scalar_subquery()
    found = db.session.execute(
        select(Cohort.id, Cohort.name)
        .where(Cohort.id.in_(own), Cohort.questionnaire_id == q.id)
        .order_by(Cohort.name, Cohort.id)
    ).all()
    for cohort_id, name in found:
        for week in pulses.cohort_weeks(cohort_id, minimum, today, numeric, choices):
            row: list[Cell] = [name, week.pulse.week.isoformat(), week.invited, week.answered]
            for item_id in numeric:
                f = week.figures.get(item_id)
                row += [f.n, _round(f.median), _round(f.q1), _round(f.q3)] if f else [""] * 4
            for item_id, options in choices.items():
                counts = week.counts.get(item_id)
                row += [counts[o] for o in options] if counts is not None else [""] * len(options)
            yield row


def _round(x: float | None) -> Cell:
    return "" if x is None else round(x, 4)


def codebook_rows(
    q: Questionnaire, names: bool = False, older: Iterable[Questionnaire] = ()
) -> Iterator[list[Cell]]:
    """One row per column of the data: what it is, its answer scale and keying, its scales;
    then the items of `older` versions that the newest does not have, marked with their version."""
    yield ["variabele", "soort", "tekst", "antwoorden", "omgekeerd", "schalen", "momenten"]
    meta = {
        "code": "Pseudoniem van de deelnemer (vast, ook over momenten heen)",
        "corporatie": "Corporatie (organisatie) van de deelnemer",
        "cohort": "Naam van het cohort",
        "naam": "Naam van de deelnemer",
        "email": "E-mailadres van de deelnemer",
        "moment": "intake = voormeting, exit = nameting, followup = follow-up",
        "ingeleverd_utc": "Moment van inleveren (UTC, JJJJ-MM-DD UU:MM)",
        "versie": "Versie van de vragenlijst waarmee de meting is ingevuld en gescoord",
        "item": "Item-id (lange vorm); zie de rijen hieronder",
        "waarde": "Antwoord (lange vorm): getal bij schalen en aantallen, anders de code",
    }
    for column in meta_columns(names) + ["item", "waarde"]:
        yield [column, "gegevens", meta[column], "", "", "", ""]
    yield from _item_rows(q, set())
    seen = set(q.items_by_id)
    for old in sorted(older, key=lambda o: -o.version):
        yield from _item_rows(old, seen, f" (versie {old.version})")
        seen |= set(old.items_by_id)
    explain = {
        "now": "Schaalscore 0-100 (POMP): gemiddelde van de beantwoorde items, omgekeerde items teruggedraaid",
        "then": "Terugblik-score 0-100: hoe de deelnemer zichzelf bij de nameting voor de leergang inschat",
        "sjt": "Praktijksituaties 0-100: gemiddelde effectiviteit van de gekozen antwoorden volgens de trainers van de leergang",
    }
    for column, scale_id, variant in score_columns(q):
        yield [column, "score", explain[variant], "0-100", "", scale_id, ""]


def _item_rows(q: Questionnaire, skip: set[str], mark: str = "") -> Iterator[list[Cell]]:
    in_scales: dict[str, list[str]] = {}
    for scale_id in q.scale_ids():
        for item_id in q.items_of(scale_id):
            in_scales.setdefault(item_id, []).append(scale_id)
    moments: dict[str, list[str]] = {}
    for moment in q.moments:
        for item_id in q.item_ids_for(moment):
            moments.setdefault(item_id, []).append(moment)
    for item_id, item in q.items_by_id.items():
        if item_id in skip:
            continue
        source = (
            item.retrospective_of
            if isinstance(item, LikertItem) and item.retrospective_of
            else item_id
        )
        yield [
            item_id,
            item.type + (" (terugblik)" if source != item_id else "") + mark,
            q.item_text(item),
            _answer_labels(q, item),
            ("ja" if item.reverse else "nee") if isinstance(item, LikertItem) else "",
            ", ".join(in_scales.get(source, [])),
            ", ".join(moments.get(item_id, [])),
        ]


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


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file separates its fields and writes decimals."""

    delimiter: str
    decimal: str
    bom: bool  # a UTF-8 byte-order mark: how Excel recognises UTF-8 (else it reads ANSI)


# What a Dutch Excel or LibreOffice opens into columns on a double-click: the list separator of a
# Dutch Windows is ';' because ',' is its decimal sign.
SPREADSHEET = CsvDialect(delimiter=";", decimal=",", bom=True)
# What R's read.csv() and pandas' read_csv() read without options.
PLAIN = CsvDialect(delimiter=",", decimal=".", bom=False)


def _decimal(value: Cell, dialect: CsvDialect) -> Cell:
    if isinstance(value, float) and dialect.decimal != ".":
        return repr(value).replace(".", dialect.decimal)
    return value


def to_csv(rows: Iterable[list[Cell]], dialect: CsvDialect = SPREADSHEET) -> bytes:
    """UTF-8 with a header row in the given dialect (default: a Dutch spreadsheet's), every field
    quoted and neutralised first, then written with the dialect's decimal sign."""
    out = io.StringIO()
    writer = csv.writer(
        out, delimiter=dialect.delimiter, lineterminator="\r\n", quoting=csv.QUOTE_ALL
    )
    for row in rows:
        writer.writerow([_decimal(safe_csv_cell(v), dialect) for v in row])
    return ("\ufeff" if dialect.bom else "").encode("utf-8") + out.getvalue().encode("utf-8")


# Columns kept as text in CSV (one format for every spreadsheet) that a workbook types, so that
# a spreadsheet sorts and filters them as moments and numbers.
XLSX_TYPED = {"ingeleverd_utc", "versie"}


def _xlsx_typed(sheet: WriteOnlyWorksheet, column: str, value: Cell) -> object:
    if not isinstance(value, str) or not value:
        return value
    if column == "versie":
        return int(value) if value.isdigit() else value
    try:
        # Naive on purpose: a workbook cell has no time zone; the column name says UTC.
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    cell = WriteOnlyCell(sheet, value=moment)
    cell.number_format = "yyyy-mm-dd hh:mm"
    return cell


def to_xlsx(sheets: Mapping[str, Iterable[list[Cell]]]) -> bytes:
    """A workbook with one sheet per entry (e.g. data and codebook), every cell neutralised."""
    book = Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = book.create_sheet(ILLEGAL_CHARACTERS_RE.sub("", title)[:31])
        typed: dict[int, str] = {}
        for number, row in enumerate(rows):
            if number == 0:  # the header: which columns hold a moment or a version
                typed = {i: str(v) for i, v in enumerate(row) if v in XLSX_TYPED}
                append_row(sheet, row)
                continue
            append_row(
                sheet,
                [_xlsx_typed(sheet, typed[i], v) if i in typed else v for i, v in enumerate(row)],
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
