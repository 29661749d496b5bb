"""Reading a list of participants pasted from a spreadsheet or uploaded as CSV, and checking it.

The list is parsed (delimiter detected, BOM stripped, Excel quoting understood, header optional),
every row is checked against the cohort (missing name, malformed or duplicate address, unknown
corporation), the trainer sees the preview, and only on confirmation are the valid rows saved, in
one transaction. The preview carries the raw text signed with the app's key; on confirmation
it is parsed and checked again, because the database may have changed in between.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select

from assess.db import db
from assess.models import Cohort, Participant
from assess.trainer import cohorts
from assess.trainer.forms import normalise_email
from assess.web.security import without_controls

MAX_ROWS = 2000
DELIMITERS = ("\t", ";", ",")
HEADERS = {
    "name": {"naam", "name", "volledigenaam", "deelnemer", "fullname"},
    # A name in parts, as HR exports often have it: joined into the name (see parse).
    "first": {"voornaam", "roepnaam", "firstname", "givenname"},
    "infix": {"tussenvoegsel", "tussenvoegsels", "voorvoegsel"},
    "last": {"achternaam", "familienaam", "lastname", "surname", "familyname"},
    "email": {"email", "emailadres", "mail", "mailadres", "emailaddress"},
    "organisation": {
        "corporatie",
        "organisatie",
        "organisation",
        "organization",
        "werkgever",
        "woningcorporatie",
        "employer",
    },
}


class ListError(ValueError):
    """The list as a whole cannot be read; the message is Dutch and meant for the trainer."""


@dataclass
class Row:
    line: int
    name: str
    email: str
    organisation: str
    problems: list[str] = field(default_factory=list)
    # Saved anyway, but worth a look: the address is already in another of one's cohorts.
    elsewhere: list[str] = field(default_factory=list)
    # Already in this cohort (a corrected list uploaded again): not a problem, not saved twice.
    present: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Preview:
    rows: list[Row]
    header: bool
    delimiter: str

    @property
    def valid(self) -> list[Row]:
        return [r for r in self.rows if r.ok and not r.present]

    @property
    def invalid(self) -> list[Row]:
        return [r for r in self.rows if not r.ok]

    @property
    def present(self) -> list[Row]:
        return [r for r in self.rows if r.ok and r.present]

    @property
    def ready(self) -> list[Row]:
        """Rows that will be saved as they stand."""
        return self.valid


# --------------------------------------------------------------------------- reading


def decode(data: bytes) -> str:
    """Uploaded bytes as text: UTF-8 (with or without BOM), else Windows-1252 as Excel writes."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _key(cell: str) -> str:
    return "".join(ch for ch in cell.lower() if ch.isalnum())


def detect_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the most of the first lines into two or more fields.

    Counting parsed fields (not raw characters) keeps a quoted "Jansen, Piet" from making a
    semicolon file look comma-separated. Ties go to tab, then semicolon, then comma.
    """
    sample = lines[:50]
    best, best_score = DELIMITERS[-1], -1
    for delimiter in DELIMITERS:
        widths = [len(row) for row in csv.reader(sample, delimiter=delimiter) if any(row)]
        score = sum(1 for w in widths if w >= 2) * 10 + sum(1 for w in widths if w == 3)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _columns(first: list[str]) -> dict[str, int] | None:
    """Column positions from a header row, or None when the first row is data."""
    found = {}
    for index, cell in enumerate(first):
        key = _key(cell)
        for column, names in HEADERS.items():
            if key in names and column not in found:
                found[column] = index
    if "name" not in found and ("first" in found or "last" in found):
        found["name"] = -1  # built from the parts
    return found if len(found) >= 2 else None


def _guess_columns(rows: list[list[str]]) -> dict[str, int]:
    """Without a header: the column with '@' in it is the address; the others keep their order."""
    width = max((len(r) for r in rows), default=0)
    at_counts = [sum(1 for r in rows if i < len(r) and "@" in r[i]) for i in range(width)]
    email_col = max(range(width), key=lambda i: at_counts[i]) if width else 1
    if width and at_counts[email_col] == 0:
        email_col = 1
    others = [i for i in range(max(width, 3)) if i != email_col]
    return {"name": others[0], "email": email_col, "organisation": others[1]}


def parse(text: str) -> Preview:
    """Split the text into rows of name, e-mail and corporation; ListError when unreadable."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # Removed, not refused: they are invisible, and a NUL would fail the save on PostgreSQL.
    text = without_controls(text)
    lines = text.split("\n")
    if not any(line.strip() for line in lines):
        raise ListError(_("De lijst is leeg. Plak of kies een lijst met deelnemers."))
    try:
        delimiter = detect_delimiter([line for line in lines if line.strip()])
        table = [
            (number, [cell.strip() for cell in row])
            for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1)
            if any(cell.strip() for cell in row)
        ]
    except csv.Error as exc:
        # Typically a quote that is never closed, which makes the rest of the file one
        # field longer than the csv module accepts (131,072 characters).
        raise ListError(
            _(
                "De lijst is niet als tabel te lezen: een cel is veel te lang. Staat er ergens"
                ' een aanhalingsteken (") dat niet wordt gesloten? Zet één deelnemer per regel:'
                " naam, e-mailadres, corporatie."
            )
        ) from exc
    header = _columns(table[0][1]) if table else None
    if header is not None:
        table = table[1:]
    if len(table) > MAX_ROWS:
        raise ListError(
            _("De lijst heeft %(n)d regels; er passen er hoogstens %(max)d in één keer.")
            % {"n": len(table), "max": MAX_ROWS}
        )
    if not table:
        raise ListError(_("De lijst heeft alleen een kopregel en geen deelnemers."))
    columns = header or _guess_columns([cells for _, cells in table])

    def cell(cells: list[str], column: str) -> str:
        index = columns.get(column)
        return cells[index] if index is not None and 0 <= index < len(cells) else ""

    def name(cells: list[str]) -> str:
        if columns.get("name", -1) >= 0:
            return cell(cells, "name")
        return " ".join(cell(cells, part) for part in ("first", "infix", "last"))

    rows = [
        Row(number, name(cells), cell(cells, "email"), cell(cells, "organisation"))
        for number, cells in table
    ]
    return Preview(rows, header is not None, delimiter)


# --------------------------------------------------------------------------- checking


def check(preview: Preview, cohort: Cohort) -> Preview:
    """Mark every row's problems against the list itself and the cohort in the database."""
    known = cohorts.organisations_by_name()
    in_cohort = set(
        db.session.scalars(
            select(func.lower(Participant.email)).where(Participant.cohort_id == cohort.id)
        )
    )
    # Only the trainer's own other cohorts: another trainer's participants stay unseen.
    other_cohorts: dict[str, list[str]] = {}
    for email, name in db.session.execute(
        select(func.lower(Participant.email), Cohort.name)
        .join(Cohort, Cohort.id == Participant.cohort_id)
        .where(cohorts.own_filter(), Cohort.id != cohort.id)
        .order_by(Cohort.name)
    ):
        other_cohorts.setdefault(email, []).append(name)
    first_line: dict[str, int] = {}
    for row in preview.rows:
        row.problems.clear()
        row.elsewhere = []
        row.present = False
        row.name = " ".join(row.name.split())
        row.organisation = " ".join(row.organisation.split())
        if not row.name:
            row.problems.append(_("Naam ontbreekt."))
        elif len(row.name) > 200:
            row.problems.append(_("De naam is te lang (hoogstens 200 tekens)."))
        if not row.email:
            row.problems.append(_("E-mailadres ontbreekt."))
        else:
            try:
                row.email = normalise_email(row.email)
            except ValueError:
                row.problems.append(_("Dit is geen geldig e-mailadres."))
            else:
                if row.email in first_line:
                    row.problems.append(
                        _("Dit e-mailadres staat al op regel %(line)d van de lijst.")
                        % {"line": first_line[row.email]}
                    )
                elif row.email in in_cohort:
                    row.present = True
                else:
                    row.elsewhere = other_cohorts.get(row.email, [])
                first_line.setdefault(row.email, row.line)
        org = known.get(row.organisation.lower())
        if not row.organisation:
            row.problems.append(_("Corporatie ontbreekt."))
        elif org is None:
            if meant := _meant(row.organisation, known):
                row.problems.append(
                    _("Onbekende corporatie. Bedoel je %(name)s? Verbeter de naam in de lijst.")
                    % {"name": " of ".join(f"“{o.name}”" for o in meant)}
                )
            else:
                row.problems.append(
                    _(
                        "Onbekende corporatie. Verbeter de naam, of vraag de beheerder om de"
                        " corporatie aan te maken."
                    )
                )
        elif not org.active:
            row.problems.append(
                _("Deze corporatie is niet meer actief. Vraag zo nodig de beheerder.")
            )
        else:
            row.organisation = org.name
    return preview


def _meant(typed: str, known: dict) -> list:
    """The active corporations whose name holds the typed one as whole words ("Het Baken" →
    "Wooncorporatie Het Baken"); at most three, none for a typed name of under 3 letters."""
    words = typed.lower().split()
    if len("".join(words)) < 3:
        return []
    found = []
    for key, org in sorted(known.items()):
        names = key.split()
        if org.active and any(
            names[i : i + len(words)] == words for i in range(len(names) - len(words) + 1)
        ):
            found.append(org)
    return found[:3]


# --------------------------------------------------------------------------- signing and saving


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="participant-import")


def sign(cohort: Cohort, text: str) -> str:
    """The raw list, bound to this cohort and signed, to travel in the preview's hidden field."""
    return _serializer().dumps({"cohort": cohort.id, "text": text})


def unsign(cohort: Cohort, token: str) -> str:
    """The raw list back from the hidden field; ListError when tampered with or for another cohort."""
    try:
        data = _serializer().loads(token or "")
    except BadSignature as exc:
        raise ListError(
            _("De gecontroleerde lijst is niet meer geldig. Plak de lijst opnieuw.")
        ) from exc
    if not isinstance(data, dict) or data.get("cohort") != cohort.id:
        raise ListError(
            _("De gecontroleerde lijst hoort bij een ander cohort. Plak de lijst opnieuw.")
        )
    return str(data.get("text", ""))


def save(preview: Preview, cohort: Cohort) -> list[Participant]:
    """Add every valid row (each of an existing, active corporation); the caller commits once."""
    known = cohorts.organisations_by_name()
    people = [(row.name, row.email, known[row.organisation.lower()]) for row in preview.valid]
    return cohorts.add_participants(cohort, people)
