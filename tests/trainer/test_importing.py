"""Pasting or uploading a list of participants: reading, the preview, and saving in one go."""

import io
import re

import pytest

from assess.db import db
from assess.models import AuditEvent, Organisation, Participant
from assess.survey import tokens
from assess.trainer import importing
from tests import factories as make

CLEAN = [
    ("Anouk de Vries", "anouk@delinde.nl", "Woonstichting De Linde"),
    ("Bram Jansen", "bram@delinde.nl", "Woonstichting De Linde"),
]


@pytest.mark.parametrize(
    "text",
    [
        "Anouk de Vries\tanouk@delinde.nl\tWoonstichting De Linde\nBram Jansen\tbram@delinde.nl\tWoonstichting De Linde\n",
        "naam;e-mail;corporatie\r\nAnouk de Vries;anouk@delinde.nl;Woonstichting De Linde\r\nBram Jansen;bram@delinde.nl;Woonstichting De Linde",
        "\ufeffName,Email,Organisation\nAnouk de Vries,anouk@delinde.nl,Woonstichting De Linde\nBram Jansen,bram@delinde.nl,Woonstichting De Linde\n",
        'E-mailadres,Naam,Corporatie\nanouk@delinde.nl,"Anouk de Vries",Woonstichting De Linde\nbram@delinde.nl,Bram Jansen,"Woonstichting De Linde"\n',
        "anouk@delinde.nl\tAnouk de Vries\tWoonstichting De Linde\n\n  \nbram@delinde.nl\tBram Jansen\tWoonstichting De Linde",
    ],
    ids=[
        "tabs-no-header",
        "semicolons-crlf",
        "bom-commas-english",
        "quoted-other-order",
        "email-first",
    ],
)
def test_lists_from_spreadsheets_are_read_whatever_the_delimiter_or_header(text):
    preview = importing.parse(text)
    assert [(r.name, r.email, r.organisation) for r in preview.rows] == CLEAN


def test_excel_quoting_keeps_commas_and_quotes_inside_a_cell():
    text = 'naam,email,corporatie\n"Jansen, Piet ""PJ""",piet@x.nl,"Wonen, Zorg & Co"\n'
    (row,) = importing.parse(text).rows
    assert (row.name, row.organisation) == ('Jansen, Piet "PJ"', "Wonen, Zorg & Co")


def test_a_semicolon_file_with_commas_in_quoted_names_is_not_taken_for_commas():
    text = '"Jansen, Piet";piet@x.nl;De Linde\n"Vries, Anouk";anouk@x.nl;De Linde\n'
    assert importing.parse(text).delimiter == ";"


@pytest.mark.parametrize(
    "data",
    [
        b"naam;email;corporatie\nJos\xe9 Mu\xf1oz;jose@x.nl;De Linde\n",
        "naam;email;corporatie\nJosé Muñoz;jose@x.nl;De Linde\n".encode("utf-8-sig"),
    ],
    ids=["windows-1252", "utf-8-bom"],
)
def test_uploaded_files_in_excel_encodings_are_decoded(data):
    (row,) = importing.parse(importing.decode(data)).rows
    assert row.name == "José Muñoz"


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "De lijst is leeg."),
        ("  \n\t\n", "De lijst is leeg."),
        ("naam;email;corporatie\n", "alleen een kopregel"),
        ("a;b@x.nl;c\n" * (importing.MAX_ROWS + 1), "hoogstens 2000"),
    ],
)
def test_unreadable_lists_get_one_dutch_message(text, message):
    with pytest.raises(importing.ListError, match=message):
        importing.parse(text)


@pytest.fixture
def cohort_id(app, trainer):
    with app.app_context():
        group = make.cohort(trainer)
        make.participant(group, "Al Binnen", "al@delinde.nl", code="ALBINNEN", link=False)
        db.session.commit()
        return group.id


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(model.id)))


PROBLEM_LIST = "\n".join(
    [
        "naam\te-mail\tcorporatie",
        "Anouk de Vries\tanouk@delinde.nl\tWoonstichting De Linde",
        "Bram Jansen\tbram@@delinde\tWoonstichting De Linde",
        "Chantal Bakker\tANOUK@delinde.nl\twoonstichting de linde",
        "Daan Visser\tal@delinde.nl\tWoonstichting De Linde",
        "\tesra@delinde.nl\tWoonstichting De Linde",
        "Fatima Smit\tfatima@baken.nl\tHet Baken",
        "Gerrit Meijer\t\tWoonstichting De Linde",
    ]
)


def test_preview_names_every_rows_problem_and_saves_nothing(app, client, cohort_id):
    page = client.post(
        f"/trainer/cohorten/{cohort_id}/deelnemers/lijst", data={"text": PROBLEM_LIST}
    ).text
    rows = re.findall(r"<tr class=\"row-(ok|problem|present)\">(.*?)</tr>", page, re.S)
    assert [kind for kind, _ in rows] == [
        "ok",
        "problem",
        "problem",
        "present",
        "problem",
        "problem",
        "problem",
    ]
    text = " ".join(body for _, body in rows)
    assert "Dit is geen geldig e-mailadres." in text
    assert "Dit e-mailadres staat al op regel 2 van de lijst." in text
    assert "Staat al in het cohort" in text
    assert "Naam ontbreekt." in text
    assert "E-mailadres ontbreekt." in text
    assert "Onbekende corporatie. Verbeter de naam, of vraag de beheerder" in text
    assert "1 van de 7 regels is klaar om op te slaan." in page
    assert "1 regel staat al in het cohort en wordt niet nog eens opgeslagen." in page
    assert count(app, Participant) == 1


def test_an_address_in_another_own_cohort_is_flagged_but_one_of_another_trainer_is_not(
    app, client, trainer, cohort_id, make_user
):
    other_trainer = make_user("trainer", "ander@example.nl")
    with app.app_context():
        make.participant(make.cohort(trainer, "Najaar 2025"), "Anouk", "anouk@delinde.nl")
        make.participant(make.cohort(other_trainer, "Van een ander"), "Bram", "bram@delinde.nl")
        db.session.commit()
    listing = "\n".join(
        [
            "Anouk de Vries\tanouk@delinde.nl\tWoonstichting De Linde",
            "Bram Jansen\tbram@delinde.nl\tWoonstichting De Linde",
        ]
    )
    page = client.post(
        f"/trainer/cohorten/{cohort_id}/deelnemers/lijst", data={"text": listing}
    ).text
    assert "Let op: dit e-mailadres staat ook in Najaar 2025." in page
    assert "Van een ander" not in page


def test_confirming_saves_the_valid_rows_and_creates_no_corporation(app, client, cohort_id):
    page = client.post(
        f"/trainer/cohorten/{cohort_id}/deelnemers/lijst", data={"text": PROBLEM_LIST}
    ).text
    assert 'name="create_organisations"' not in page
    signed = re.search(r'name="data" type="hidden" value="([^"]+)"', page).group(1)
    save = f"/trainer/cohorten/{cohort_id}/deelnemers/lijst/opslaan"
    response = client.post(save, data={"data": signed, "create_organisations": "y"})
    assert response.status_code == 302
    with app.app_context():
        anouk = db.session.execute(
            db.select(Participant).filter_by(email="anouk@delinde.nl")
        ).scalar_one()
        assert tokens.find(tokens.current_token(anouk)).id == anouk.id
        emails = set(db.session.scalars(db.select(Participant.email)))
        assert emails == {"al@delinde.nl", "anouk@delinde.nl"}
        assert db.session.scalar(db.select(db.func.count(Organisation.id))) == 1
        details = db.session.scalars(
            db.select(AuditEvent.detail).filter_by(action="import_participants")
        ).all()
        assert details == ['{"count": 1}']


def test_a_list_cannot_reattach_people_to_a_deactivated_corporation(app, client, cohort_id):
    with app.app_context():
        make.organisation("Het Oude Baken", active=False)
        db.session.commit()
    text = "Fatima Smit\tfatima@baken.nl\thet oude baken"
    page = client.post(f"/trainer/cohorten/{cohort_id}/deelnemers/lijst", data={"text": text})
    assert "Deze corporatie is niet meer actief." in page.text
    signed = re.search(r'name="data" type="hidden" value="([^"]+)"', page.text)
    if signed:
        client.post(
            f"/trainer/cohorten/{cohort_id}/deelnemers/lijst/opslaan",
            data={"data": signed.group(1)},
        )
    assert count(app, Participant) == 1


@pytest.mark.parametrize("tamper", ["flip", "other-cohort", "empty"])
def test_a_tampered_preview_is_refused_and_saves_nothing(app, client, trainer, cohort_id, tamper):
    row = "A\ta@b.nl\tWoonstichting De Linde"
    target = cohort_id
    if tamper == "other-cohort":
        with app.app_context():
            target = make.cohort(trainer, "Ander").id
            db.session.commit()
    with app.test_request_context():
        signed = importing._serializer().dumps({"cohort": target, "text": row})
    if tamper == "flip":
        signed = signed[:-4] + ("AAAA" if not signed.endswith("AAAA") else "BBBB")
    elif tamper == "empty":
        signed = ""
    response = client.post(
        f"/trainer/cohorten/{cohort_id}/deelnemers/lijst/opslaan",
        data={"data": signed},
        follow_redirects=True,
    )
    assert (
        "Plak de lijst opnieuw" in response.text or "Controleer de lijst opnieuw" in response.text
    )
    assert count(app, Participant) == 1


def test_a_thousand_rows_upload_as_csv_and_save_in_one_transaction(app, client, cohort_id):
    lines = ["naam;email;corporatie"] + [
        f'"Deelnemer, {i:04d}";persoon{i:04d}@delinde.nl;Woonstichting De Linde'
        for i in range(1000)
    ]
    upload = ("\ufeff" + "\r\n".join(lines)).encode("utf-8")
    page = client.post(
        f"/trainer/cohorten/{cohort_id}/deelnemers/lijst",
        data={"upload": (io.BytesIO(upload), "deelnemers.csv")},
        content_type="multipart/form-data",
    ).text
    assert "1000 van de 1000 regels zijn klaar om op te slaan." in page
    signed = re.search(r'name="data" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        f"/trainer/cohorten/{cohort_id}/deelnemers/lijst/opslaan",
        data={"data": signed},
        follow_redirects=True,
    )
    assert "1000 deelnemers toegevoegd." in response.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Participant.id))) == 1001
        codes = db.session.scalars(db.select(Participant.code)).all()
        assert len(set(codes)) == 1001
        assert (
            db.session.scalar(
                db.select(db.func.count(Participant.id)).where(Participant.token_hash.is_not(None))
            )
            == 1000
        )


def test_a_database_conflict_while_saving_leaves_nothing_half_saved(
    app, client, cohort_id, monkeypatch
):
    from assess.trainer import cohorts

    page = client.post(
        f"/trainer/cohorten/{cohort_id}/deelnemers/lijst",
        data={"text": "A\ta1@x.nl\tWoonstichting De Linde\nB\tb1@x.nl\tWoonstichting De Linde"},
    ).text
    signed = re.search(r'name="data" type="hidden" value="([^"]+)"', page).group(1)
    real = cohorts.new_codes
    # Two rows with the same code: the database's unique constraint refuses the second.
    monkeypatch.setattr(cohorts, "new_codes", lambda n: [real(1)[0]] * n)
    response = client.post(
        f"/trainer/cohorten/{cohort_id}/deelnemers/lijst/opslaan",
        data={"data": signed},
        follow_redirects=True,
    )
    assert "er is niets opgeslagen" in response.text
    assert count(app, Participant) == 1


def test_an_empty_paste_keeps_the_form_with_a_message(client, cohort_id):
    page = client.post(f"/trainer/cohorten/{cohort_id}/deelnemers/lijst", data={"text": " "}).text
    assert "De lijst is leeg." in page


# An Excel cell with an opening quote that is never closed: the rest of the file is one field.
RUNAWAY_QUOTE = 'naam;email;corporatie\n"Jansen, Piet;piet@x.nl;De Linde\n' + "a;b@x.nl;c\n" * 15000


def test_a_field_longer_than_the_csv_module_allows_gets_a_dutch_message():
    with pytest.raises(importing.ListError, match="niet als tabel te lezen"):
        importing.parse(RUNAWAY_QUOTE)


def test_an_upload_with_a_runaway_quote_keeps_the_form_with_a_message(client, cohort_id):
    response = client.post(
        f"/trainer/cohorten/{cohort_id}/deelnemers/lijst",
        data={"upload": (io.BytesIO(RUNAWAY_QUOTE.encode()), "deelnemers.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "aanhalingsteken" in response.text
    assert 'name="upload"' in response.text


def test_an_upload_over_the_size_limit_gets_a_dutch_page(client, cohort_id):
    big = b"a;b@x.nl;c\n" * 300_000  # 3.3 MB
    response = client.post(
        f"/trainer/cohorten/{cohort_id}/deelnemers/lijst",
        data={"upload": (io.BytesIO(big), "groot.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "Wat je verstuurde is te groot" in response.text


def test_nul_and_control_characters_in_an_upload_are_removed_before_saving(app, client, cohort_id):
    """A NUL byte was a 500 on PostgreSQL; other control characters reached mail headers."""
    lines = [
        "naam;e-mail;corporatie",
        "Anouk\x00 de Vries;anouk@delinde.nl;Woonstichting De Linde",
        "Bram\x1b Jansen\x7f\x85;bram@delinde.nl;Woonstichting De Linde",
    ]
    upload = "\r\n".join(lines).encode("utf-8")
    page = client.post(
        f"/trainer/cohorten/{cohort_id}/deelnemers/lijst",
        data={"upload": (io.BytesIO(upload), "deelnemers.csv")},
    )
    assert page.status_code == 200
    assert "2 van de 2 regels zijn klaar om op te slaan." in page.text
    signed = re.search(r'name="data" type="hidden" value="([^"]+)"', page.text).group(1)
    save = f"/trainer/cohorten/{cohort_id}/deelnemers/lijst/opslaan"
    assert client.post(save, data={"data": signed}).status_code == 302
    with app.app_context():
        stored = db.session.execute(
            db.select(Participant.name, Participant.email).order_by(Participant.id)
        ).all()
    assert [tuple(row) for row in stored[1:]] == [
        ("Anouk de Vries", "anouk@delinde.nl"),
        ("Bram Jansen", "bram@delinde.nl"),
    ]


def test_parsing_keeps_tabs_and_line_breaks_and_drops_other_control_characters():
    text = "Anouk\x00 de Vries\tanouk@\x01delinde.nl\x00\tDe Linde\x1b\r\nBram\x0c\tb@x.nl\tY\x9b"
    preview = importing.parse(text)
    assert [(r.name, r.email, r.organisation) for r in preview.rows] == [
        ("Anouk de Vries", "anouk@delinde.nl", "De Linde"),
        ("Bram", "b@x.nl", "Y"),
    ]


def test_the_corrected_full_list_again_marks_who_is_in_the_cohort_and_adds_only_the_new(
    app, client, cohort_id
):
    """The walk-through uploaded its corrected list again: the people already imported were red."""
    listing = "\n".join(
        [
            "naam;e-mail;corporatie",
            "Al Binnen;al@delinde.nl;Woonstichting De Linde",
            "Zoë Nieuw;zoe@delinde.nl;Woonstichting De Linde",
            "Jérôme van 't Hof;jerome@delinde.nl;Woonstichting De Linde",
        ]
    )
    page = client.post(
        f"/trainer/cohorten/{cohort_id}/deelnemers/lijst", data={"text": listing}
    ).text
    kinds = re.findall(r'<tr class="row-(ok|problem|present)">', page)
    assert kinds == ["present", "ok", "ok"]
    assert "2 van de 3 regels zijn klaar om op te slaan." in page
    assert "1 regel staat al in het cohort" in page
    assert '<ul class="errors">' not in page
    signed = re.search(r'name="data" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        f"/trainer/cohorten/{cohort_id}/deelnemers/lijst/opslaan", data={"data": signed}
    )
    flashed = client.get(response.headers["Location"]).text
    assert "2 deelnemers toegevoegd. 1 deelnemer stond al in het cohort." in flashed
    assert count(app, Participant) == 3


def test_a_list_with_first_and_last_name_columns_joins_them_into_the_name(client, cohort_id):
    listing = "\n".join(
        [
            "Voornaam;Tussenvoegsel;Achternaam;E-mail;Corporatie",
            "Anaïs;de;Vries-Öztürk;anais@delinde.nl;Woonstichting De Linde",
            "Ünal;;Yilmaz;unal@delinde.nl;Woonstichting De Linde",
        ]
    )
    page = client.post(
        f"/trainer/cohorten/{cohort_id}/deelnemers/lijst", data={"text": listing}
    ).text
    assert "Naam ontbreekt" not in page
    assert "<td>Anaïs de Vries-Öztürk</td>" in page
    assert "<td>Ünal Yilmaz</td>" in page
    assert "2 van de 2 regels zijn klaar om op te slaan." in page


def test_a_short_corporation_name_suggests_the_known_one_that_contains_it(app, client, cohort_id):
    with app.app_context():
        make.organisation("Wooncorporatie Het Baken")
        db.session.commit()
    listing = "Fatima Smit;fatima@baken.nl;Het Baken\nGerrit Meijer;gerrit@x.nl;Baken Oost"
    page = client.post(
        f"/trainer/cohorten/{cohort_id}/deelnemers/lijst", data={"text": listing}
    ).text
    assert "Onbekende corporatie. Bedoel je “Wooncorporatie Het Baken”?" in page
    assert page.count("Bedoel je") == 1  # "Baken Oost" is not in any known name
