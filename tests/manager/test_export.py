"""The take-away: XLSX of aggregated figures, formula-safe, audited; the memo paragraph; print."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from assess import demo
from assess.db import db
from assess.models import AuditEvent, Participant
from assess.reports.exports import safe_cell
from tests import factories as make


@pytest.fixture
def linde(app, client, auth):
    with app.app_context():
        demo.load()
    auth.login("manager@delinde.example.nl", "demo-linde-2026")
    return client


def cells(data: bytes) -> list[object]:
    wb = load_workbook(BytesIO(data))
    return [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]


def test_export_is_an_audited_xlsx_attachment_of_aggregates_only(app, linde):
    response = linde.get("/manager/rapportage.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    values = cells(response.data)
    assert "Woonstichting De Linde" in values
    assert "Tijdmanagement" in values
    with app.app_context():
        people = db.session.execute(
            db.select(Participant.name, Participant.email, Participant.code)
        )
        personal = {v for row in people for v in row}
        events = db.session.scalars(db.select(AuditEvent.action)).all()
    assert not personal & {v for v in values if isinstance(v, str)}
    assert "org_report_exported" in events


def test_the_verloop_sheet_names_themes_by_their_title(linde):
    wb = load_workbook(BytesIO(linde.get("/manager/rapportage.xlsx").data))
    themes = {row[2] for row in wb["Verloop"].iter_rows(min_row=2, values_only=True)}
    assert "Nee zeggen" in themes
    assert not any("_" in str(t) for t in themes)


def test_suppressed_export_cells_say_less_than_minimum(app, client, auth, make_user):
    with app.app_context():
        make.sector({"Eigen Wonen": [8], "Ander Wonen": [3]})
    make_user("manager", "m@example.nl", organisation="Eigen Wonen")
    auth.login("m@example.nl")
    response = client.get("/manager/rapportage.xlsx?groep=alle")
    assert response.status_code == 200
    values = cells(response.data)
    # only 3 participants outside Eigen Wonen: the sector cells are suppressed
    assert values.count("< min") >= 12


@pytest.mark.parametrize(
    "text, safe",
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+31", "'+31"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Gewoon", "Gewoon"),
        (12.5, 12.5),
        (-3.0, -3.0),
    ],
)
def test_text_cells_are_neutralised_against_formula_injection(text, safe):
    assert safe_cell(text) == safe


def test_organisation_name_that_looks_like_a_formula_is_neutralised(app, client, auth, make_user):
    with app.app_context():
        make.sector({"=cmd|' /C calc'!A0": [6], "Ander Wonen": [6]})
    make_user("manager", "m@example.nl", organisation="=cmd|' /C calc'!A0")
    auth.login("m@example.nl")
    values = cells(client.get("/manager/rapportage.xlsx").data)
    assert "'=cmd|' /C calc'!A0" in values


def test_a_control_character_in_the_organisation_name_does_not_break_the_xlsx(
    app, client, auth, make_user
):
    with app.app_context():
        make.sector({"Eigen\x01 Wonen": [6], "Ander Wonen": [6]})
    make_user("manager", "m@example.nl", organisation="Eigen\x01 Wonen")
    auth.login("m@example.nl")
    response = client.get("/manager/rapportage.xlsx")
    assert response.status_code == 200
    assert "Eigen\ufffd Wonen" in cells(response.data)


def test_memo_states_direction_interval_size_and_number(linde):
    text = linde.get("/manager/").text
    assert "Volgens hun eigen inschatting hebben uw consulenten na de leergang meer grip" in text
    assert "95%-betrouwbaarheidsinterval" in text and "deelnemers" in text


def test_memo_is_absent_when_figures_are_suppressed(app, client, auth, make_user):
    with app.app_context():
        make.sector({"Klein Wonen": [3], "Ander Wonen": [8]})
    make_user("manager", "k@example.nl", organisation="Klein Wonen")
    auth.login("k@example.nl")
    assert "Samenvatting voor een memo" not in client.get("/manager/").text


def test_memo_says_no_clear_change_when_the_interval_holds_zero(app, client, auth, make_user):
    with app.app_context():
        org = make.organisation("Vlak Wonen")
        make.panel(org, make.shared_cohort("Vlak", date(2025, 2, 1)), 8, growth=0.0)
        db.session.commit()
    make_user("manager", "v@example.nl", organisation="Vlak Wonen")
    auth.login("v@example.nl")
    text = client.get("/manager/").text
    assert "geen duidelijke verandering" in text


def test_report_page_links_the_print_stylesheet(linde):
    text = linde.get("/manager/").text
    assert 'media="print"' in text
    assert "data-print" in text


def test_the_export_shows_reliable_change_only_on_an_alpha_of_point_seventy_and_states_it(linde):
    wb = load_workbook(BytesIO(linde.get("/manager/rapportage.xlsx").data))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "Thema")
    assert not any("Effect" in str(h) for h in header)
    share = header.index("Aandeel betrouwbaar vooruit")
    alpha = header.index("Alfa waarop betrouwbaar vooruit rust")
    body = rows[rows.index(header) + 1 :]
    assert body
    for row in body:
        if isinstance(row[alpha], float) and row[alpha] < 0.695:
            assert row[share] == "niet getoond: alfa onder 0,70"
    assert any(isinstance(r[share], float) and r[alpha] >= 0.70 for r in body)
