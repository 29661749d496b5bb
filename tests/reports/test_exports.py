"""Exports: long and wide CSV/XLSX with a codebook, pseudonymised unless names are confirmed."""

import csv
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from assess.db import db
from assess.models import AuditEvent, Participant
from assess.reports import exports
from tests import factories as make


@pytest.mark.parametrize(
    "value, expected",
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+31 6 1234", "'+31 6 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Anouk de Vries", "Anouk de Vries"),
        ("a=b", "a=b"),
        (-3, -3),
        (4.5, 4.5),
        ("", ""),
        (None, None),
    ],
)
def test_safe_cell_neutralises_only_text_a_spreadsheet_would_run(value, expected):
    assert exports.safe_cell(value) == expected


@pytest.fixture
def cohort_id(app, trainer):
    with app.app_context():
        group = make.cohort(trainer)
        people = make.participants(group, 3)
        people[0].name = '=HYPERLINK("http://evil.example","klik")'
        for person in people[:2]:
            make.fill(person, "intake")
        make.fill(people[0], "exit")
        make.fill(people[2], "intake", submit=False, share=0.3)
        db.session.commit()
        return group.id


def download(client, cohort_id, **params):
    query = "&".join(f"{k}={v}" for k, v in {"download": 1, **params}.items())
    return client.get(f"/trainer/cohorten/{cohort_id}/export?{query}")


def read_csv(response) -> list[dict]:
    """The default CSV as a Dutch Excel reads it: BOM, ';' and decimal commas."""
    assert response.data.startswith("\ufeff".encode())
    rows = csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";")
    return list(rows)


def number(cell: str) -> float:
    """A decimal-comma number as a Dutch spreadsheet reads it."""
    assert "." not in cell
    return float(cell.replace(",", "."))


def test_wide_csv_has_one_row_per_participant_and_moment_without_names(app, client, cohort_id):
    response = download(client, cohort_id, vorm="breed", formaat="csv")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    rows = read_csv(response)
    assert [(r["code"], r["moment"]) for r in rows] == [
        ("T010000", "intake"),
        ("T010000", "exit"),
        ("T010001", "intake"),
    ]
    assert "naam" not in rows[0] and "email" not in rows[0]
    assert rows[0]["corporatie"] == "Woonstichting De Linde"
    assert rows[0]["tm_plan_1"] in {"1", "2", "3", "4", "5"}
    assert 0 <= number(rows[0]["score_tijdmanagement"]) <= 100
    assert number(rows[1]["score_toen_nee_zeggen_nee_collegas"]) >= 0
    assert "deelnemer000" not in response.data.decode()


def test_long_csv_has_one_row_per_item(app, client, cohort_id):
    rows = read_csv(download(client, cohort_id, vorm="lang", formaat="csv"))
    assert set(rows[0]) == {
        "code",
        "corporatie",
        "cohort",
        "moment",
        "ingeleverd_utc",
        "versie",
        "item",
        "waarde",
    }
    first = [r for r in rows if r["code"] == "T010000" and r["moment"] == "intake"]
    assert len(first) == len({r["item"] for r in first}) > 40
    assert {r["code"] for r in rows} == {"T010000", "T010001"}  # drafts are not exported


def test_xlsx_has_a_data_sheet_and_a_codebook(app, client, cohort_id):
    response = download(client, cohort_id, vorm="breed", formaat="xlsx")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Gegevens", "Codeboek"]
    header = [c.value for c in book["Gegevens"][1]]
    assert header[:5] == ["code", "corporatie", "cohort", "moment", "ingeleverd_utc"]
    codebook = {row[0].value: row for row in book["Codeboek"].iter_rows(min_row=2)}
    tm = codebook["tm_waan_4"]
    assert "1=" in tm[3].value and tm[5].value.startswith("tijdmanagement")
    assert {c.value for c in codebook["tm_plan_1_toen"]} & {"likert (terugblik)"}
    assert any(r[4].value == "ja" for r in codebook.values())  # reverse-keyed items are marked
    assert "score_tijdmanagement" in codebook


@pytest.mark.parametrize("vorm", ["lang", "breed"])
def test_xlsx_types_the_submission_moment_as_a_date_and_the_version_as_a_number(
    client, cohort_id, vorm
):
    """The walk-through found `ingeleverd_utc` and `versie` as text in the spreadsheet."""
    response = download(client, cohort_id, vorm=vorm, formaat="xlsx")
    sheet = load_workbook(io.BytesIO(response.data))["Gegevens"]
    header = [c.value for c in sheet[1]]
    row = sheet[2]
    submitted, version = row[header.index("ingeleverd_utc")], row[header.index("versie")]
    assert isinstance(submitted.value, datetime) and submitted.number_format == "yyyy-mm-dd hh:mm"
    assert isinstance(version.value, int) and not isinstance(version.value, bool)


def test_codebook_csv_downloads_on_its_own(client, cohort_id):
    rows = read_csv(download(client, cohort_id, vorm="codeboek", formaat="csv"))
    assert rows[0]["variabele"] == "code"
    assert any(
        r["variabele"] == "sjt_vuilniszakken_2" and "effectiviteit" in r["antwoorden"] for r in rows
    )


def test_names_need_a_confirmation(app, client, cohort_id):
    response = download(client, cohort_id, vorm="breed", formaat="csv", namen=1)
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Bevestig dat je namen en e-mailadressen nodig hebt" in response.text
    with app.app_context():
        assert not db.session.scalars(
            db.select(AuditEvent).filter_by(action="export_responses")
        ).all()


@pytest.mark.parametrize("formaat", ["csv", "xlsx"])
def test_confirmed_names_are_exported_neutralised_and_audited(app, client, cohort_id, formaat):
    response = download(client, cohort_id, vorm="breed", formaat=formaat, namen=1, bevestig=1)
    if formaat == "csv":
        rows = read_csv(response)
        names = [r["naam"] for r in rows]
    else:
        sheet = load_workbook(io.BytesIO(response.data))["Gegevens"]
        header = [c.value for c in sheet[1]]
        names = [row[header.index("naam")].value for row in sheet.iter_rows(min_row=2)]
        assert all(row[header.index("naam")].data_type == "s" for row in sheet.iter_rows(min_row=2))
    assert names[0] == '\'=HYPERLINK("http://evil.example","klik")'
    assert "Deelnemer 001" in names
    with app.app_context():
        event = db.session.execute(
            db.select(AuditEvent).filter_by(action="export_responses")
        ).scalar_one()
        assert event.target_id == cohort_id and '"names": true' in event.detail


@pytest.mark.parametrize("params", [{"vorm": "raar"}, {"formaat": "pdf"}])
def test_unknown_choices_get_a_dutch_message(client, cohort_id, params):
    response = download(client, cohort_id, **params)
    assert response.status_code == 200 and "error-summary" in response.text


def test_export_across_cohorts_holds_only_own_cohorts(app, client, make_user, trainer, cohort_id):
    other = make_user("trainer", "ander@example.nl")
    with app.app_context():
        group = make.cohort(trainer, "Tweede")
        make.fill(make.participants(group, 1, start=50)[0], "intake")
        foreign = make.cohort(other, "Van een ander")
        make.fill(make.participants(foreign, 1, start=90)[0], "intake")
        db.session.commit()
    response = client.get("/trainer/export?download=1&vorm=breed&formaat=csv")
    rows = read_csv(response)
    assert {r["cohort"] for r in rows} == {"Voorjaar 2026", "Tweede"}
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Participant.id))) == 5


SPLIT_FORMULA = "goed;=cmd|' /C calc'!A0"


@pytest.fixture
def hostile_cohort_id(app, trainer):
    """A cohort where one text answer hides a formula after a ";" and a name holds a control
    character, as typed or pasted by a participant."""
    with app.app_context():
        group = make.cohort(trainer, "Najaar\x01 2026")
        people = make.participants(group, 2)
        people[0].name = "Anouk\x01 de Vries"
        make.fill(people[0], "intake")
        make.fill(people[0], "exit", extra={"geleerd": SPLIT_FORMULA})
        make.fill(people[1], "intake", extra={"tm_plan_1": 3})
        db.session.commit()
        return group.id


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_quotes_every_field_and_no_piece_a_spreadsheet_splits_off_is_a_formula(
    client, hostile_cohort_id, delimiter
):
    response = download(client, hostile_cohort_id, vorm="lang", formaat="csv")
    text = response.data.decode("utf-8-sig")
    assert all(line.startswith('"') for line in text.splitlines() if line)
    assert "goed;'=cmd|' /C calc'!A0" in text
    # Dutch Excel splits on ";", whatever the file meant.
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        for cell in row:
            assert not cell.strip('"').startswith(("=", "+", "-", "@", "\t", "\r")), cell


@pytest.mark.parametrize(
    "value, expected",
    [
        (SPLIT_FORMULA, "goed;'=cmd|' /C calc'!A0"),
        ("a,+1", "a,'+1"),
        ("a; -2", "a; '-2"),
        ("=1", "'=1"),
        ("ja, nee; misschien", "ja, nee; misschien"),
        (-2, -2),
    ],
)
def test_csv_cells_are_neutralised_after_every_separator(value, expected):
    assert exports.safe_csv_cell(value) == expected


@pytest.mark.parametrize("vorm", ["lang", "breed"])
def test_a_control_character_in_an_answer_or_name_does_not_break_the_xlsx(
    client, hostile_cohort_id, vorm
):
    response = download(client, hostile_cohort_id, vorm=vorm, formaat="xlsx", namen=1, bevestig=1)
    assert response.status_code == 200
    values = {
        c.value
        for row in load_workbook(io.BytesIO(response.data))["Gegevens"].iter_rows()
        for c in row
    }
    assert "Anouk\ufffd de Vries" in values
    assert "Najaar\ufffd 2026" in values


def test_a_version_1_response_is_exported_with_its_own_items_and_version(app, client, trainer):
    """An intake answered with version 1 keeps its answers (under version 1's item ids) next to
    a version-2 intake, each row saying its version; the codebook explains both."""
    with app.app_context():
        group = make.cohort(trainer)
        old, new = make.participants(group, 2)
        given = make.fill(old, "intake", version=1)
        make.fill(new, "intake")
        db.session.commit()
        cohort_id = group.id
    rows = read_csv(download(client, cohort_id, vorm="breed", formaat="csv"))
    by_version = {r["versie"]: r for r in rows}
    assert set(by_version) == {"1", "2"}
    assert by_version["1"]["tijd_klachten"] == str(given["tijd_klachten"])
    assert by_version["1"]["tijd_reactief"] == ""
    assert by_version["2"]["tijd_reactief"] != "" and by_version["2"]["tijd_klachten"] == ""
    codebook = read_csv(download(client, cohort_id, vorm="codeboek", formaat="csv"))
    kinds = {r["variabele"]: r["soort"] for r in codebook}
    assert kinds["tijd_klachten"] == "numeric (versie 1)"
    assert kinds["tijd_reactief"] == "numeric"
    assert kinds["tm_plan_1"] == "likert"  # the same item in both versions: listed once


def test_default_csv_opens_in_columns_in_a_dutch_spreadsheet(client, cohort_id):
    response = download(client, cohort_id, vorm="breed", formaat="csv")
    text = response.data.decode("utf-8")
    assert text.startswith('\ufeff"code";"corporatie";"cohort";"moment";')
    scores = [r["score_tijdmanagement"] for r in read_csv(response)]
    assert any("," in s for s in scores)  # decimal comma
    assert response.headers["Content-Disposition"].endswith('.csv"')


def test_the_comma_dot_csv_for_r_and_python(client, cohort_id):
    response = download(client, cohort_id, vorm="breed", formaat="csv-punt")
    assert response.status_code == 200
    assert response.data.startswith(b'"code","corporatie","cohort","moment",')
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8"))))
    assert 0 <= float(rows[0]["score_tijdmanagement"]) <= 100
    assert response.headers["Content-Disposition"].endswith('-breed.csv"')


def test_the_export_page_offers_both_csv_forms_with_excel_first(client, cohort_id):
    page = client.get(f"/trainer/cohorten/{cohort_id}/export").text
    assert page.index('value="csv"') < page.index('value="csv-punt"')
    assert "CSV voor Excel" in page and "CSV voor R, Python" in page


def test_to_csv_keeps_one_writer_for_both_dialects():
    rows = [["code", "score", "tekst"], ["T1", 55.25, "=1+1; ok"], ["T2", 3, ""]]
    dutch = exports.to_csv(rows).decode("utf-8-sig")
    assert dutch == '"code";"score";"tekst"\r\n"T1";"55,25";"\'=1+1; ok"\r\n"T2";"3";""\r\n'
    plain = exports.to_csv(rows, exports.PLAIN).decode("utf-8")
    assert plain == '"code","score","tekst"\r\n"T1","55.25","\'=1+1; ok"\r\n"T2","3",""\r\n'


def test_a_trainer_without_cohorts_gets_a_message_not_an_empty_file(client, make_user, auth):
    make_user("trainer", "nieuw@example.nl")
    auth.login("nieuw@example.nl")
    response = client.get("/trainer/export?download=1&vorm=breed&formaat=csv")
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Je hebt nog geen cohorten" in response.text
    assert "Downloaden" not in response.text
