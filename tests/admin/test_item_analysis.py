"""The admin's item analysis: the page, its workbook, bad choices, and the command line."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from assess.db import db
from assess.models import AuditEvent
from assess.reports import exports
from tests import factories as make


@pytest.fixture
def admin(app, make_user, auth, trainer):
    with app.app_context():
        cid = make.filled_cohort(trainer, n=12).id
    make_user("admin", "beheer@example.nl")
    auth.login("beheer@example.nl")
    return cid


def test_the_admin_sees_alpha_with_its_interval_items_and_scenarios(client, admin):
    page = client.get("/beheer/itemanalyse").text
    assert "Itemanalyse" in page and "12 ingeleverde antwoorden van 12 mensen" in page
    assert "95%-interval" in page and "Item-rest r" in page and "Alfa zonder item" in page
    assert "tm_waan_6" in page and "(omgekeerd)" in page
    assert "Samenhang tussen de schalen" in page and "koos de sleutel" in page
    assert "Betrouwbaarheid van de praktijksituaties" in page and "Alle praktijksituaties" in page
    one = client.get(f"/beheer/itemanalyse?cohort={admin}&moment=exit").text
    assert "12 ingeleverde antwoorden" in one and "Voorjaar 2026" in one


def test_one_moment_by_default_and_pooling_only_when_asked_with_a_warning(client, admin):
    page = client.get("/beheer/itemanalyse").text
    assert '<option value="intake" selected>' in page and "Let op" not in page
    assert "Eén meetmoment: elke persoon telt één keer." in page
    pooled = client.get("/beheer/itemanalyse?moment=alle").text
    assert "24 ingeleverde antwoorden van 12 mensen" in pooled
    assert 'role="alert"><strong>Let op' in pooled
    assert "Alle meetmomenten samen: 24 metingen van 12 mensen" in pooled
    client.post("/taal", data={"lang": "en", "next": "/beheer/itemanalyse"})
    english = client.get("/beheer/itemanalyse?moment=alle").text
    assert "All moments together: 24 measurements of 12 people" in english
    client.post("/taal", data={"lang": "nl", "next": "/beheer/itemanalyse"})
    book = load_workbook(BytesIO(client.get("/beheer/itemanalyse.xlsx?moment=alle").data))
    about = {row[0]: row[1] for row in book["Toelichting"].iter_rows(values_only=True)}
    assert about["mensen"] == 12 and about["metingen"] == 24
    assert "telt meer dan eens mee" in about["waarschuwing"]
    single = load_workbook(BytesIO(client.get("/beheer/itemanalyse.xlsx").data))
    assert "waarschuwing" not in {r[0] for r in single["Toelichting"].iter_rows(values_only=True)}


def test_the_workbook_has_items_scales_and_scenarios(client, admin):
    response = client.get(f"/beheer/itemanalyse.xlsx?cohort={admin}")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.data))
    assert book.sheetnames == ["Toelichting", "Items", "Schalen", "Praktijksituaties"]
    items = list(book["Items"].iter_rows(values_only=True))
    assert items[0][:3] == ("schaal", "item", "tekst")
    assert any(row[1] == "tm_waan_6" and row[3] == 1 for row in items)
    scales = list(book["Schalen"].iter_rows(values_only=True))
    assert scales[0] == ("schaal", "titel", "k", "n", "n_weggelaten", "alfa", "ci_laag", "ci_hoog")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("versie=abc", "Kies een versie uit de lijst."),
        ("versie=99", "Kies een versie uit de lijst."),
        ("vragenlijst=<b>x</b>", "Kies een vragenlijst uit de lijst."),
        ("cohort=999", "Een gekozen cohort bestaat niet (meer)."),
        ("cohort=x", "Kies cohorten uit de lijst."),
        ("moment=later", "Kies een meetmoment uit de lijst."),
    ],
)
def test_a_bad_choice_says_so_in_dutch(client, admin, query, message):
    page = client.get(f"/beheer/itemanalyse?{query}")
    assert page.status_code == 200 and message in page.text
    assert "<b>x</b>" not in page.text
    assert client.get(f"/beheer/itemanalyse.xlsx?{query}").status_code == 400


def test_workbook_cells_replace_control_characters_and_neutralise_formulas():
    data = exports.to_xlsx({"Blad\x0b": [["a\x0cb", "=1+1", 3]]})
    sheet = load_workbook(BytesIO(data)).worksheets[0]
    assert sheet.title == "Blad"
    assert list(sheet.iter_rows(values_only=True)) == [("a\ufffdb", "'=1+1", 3)]


def test_the_command_prints_the_tables(app, admin):
    result = app.test_cli_runner().invoke(
        args=["questionnaire", "analyse", "--cohort", str(admin), "--moment", "intake"]
    )
    assert result.exit_code == 0, result.output
    assert "12 ingeleverde antwoorden" in result.output
    assert "Schalen" in result.output and "item-rest" in result.output
    default = app.test_cli_runner().invoke(args=["questionnaire", "analyse"])
    assert "12 ingeleverde antwoorden van 12 mensen" in default.output
    assert "LET OP" not in default.output
    pooled = app.test_cli_runner().invoke(args=["questionnaire", "analyse", "--pool-moments"])
    assert pooled.exit_code == 0, pooled.output
    assert "LET OP: Alle meetmomenten samen: 24 metingen van 12 mensen" in pooled.output
    both = app.test_cli_runner().invoke(
        args=["questionnaire", "analyse", "--pool-moments", "--moment", "exit"]
    )
    assert both.exit_code != 0
    bad = app.test_cli_runner().invoke(args=["questionnaire", "analyse", "--cohort", "999"])
    assert bad.exit_code != 0 and "no cohort 999" in bad.output


@pytest.fixture
def lone(app, admin, trainer):
    """A second cohort in which one person submitted an intake."""
    with app.app_context():
        cohort = make.cohort(trainer, name="Alleen")
        person = make.participants(cohort, 1, start=90)[0]
        make.fill(person, "intake")
        db.session.commit()
        return cohort.id


def test_a_cohort_with_one_respondent_shows_a_message_not_their_answers(client, lone):
    page = client.get(f"/beheer/itemanalyse?cohort={lone}").text
    assert "Deze keuze heeft 1 deelnemer met ingeleverde antwoorden" in page
    assert "vanaf 5 deelnemers" in page
    assert "tm_waan_6" not in page and "Item-rest r" not in page and "koos de sleutel" not in page
    assert "itemanalyse.xlsx" not in page
    response = client.get(f"/beheer/itemanalyse.xlsx?cohort={lone}")
    assert response.status_code == 400 and response.mimetype == "text/plain"
    assert "vanaf 5 deelnemers" in response.text and b"PK" not in response.data[:2]


def test_a_moment_with_too_few_people_is_hidden_within_a_large_cohort(client, admin):
    # Twelve people, but nobody has a follow-up: nothing per item for that moment either.
    page = client.get(f"/beheer/itemanalyse?cohort={admin}&moment=followup").text
    assert "Deze keuze heeft 0 deelnemers" in page and "tm_waan_6" not in page


def test_every_item_analysis_read_is_audited_with_its_selection(app, client, admin, lone):
    client.get(f"/beheer/itemanalyse?cohort={admin}&moment=intake")
    client.get(f"/beheer/itemanalyse.xlsx?cohort={admin}")
    client.get(f"/beheer/itemanalyse?cohort={lone}")
    client.get("/beheer/itemanalyse?versie=abc")  # a bad choice reads nothing
    with app.app_context():
        found = [
            (e.target_type, e.detail)
            for e in db.session.scalars(
                db.select(AuditEvent).filter_by(action="view_item_analysis").order_by(AuditEvent.id)
            )
        ]
    assert len(found) == 3
    assert all(t == "questionnaire" for t, _ in found)
    assert f'"cohorts": [{admin}]' in found[0][1] and '"moment": "intake"' in found[0][1]
    assert '"form": "xlsx"' in found[1][1] and '"shown": false' in found[2][1]
