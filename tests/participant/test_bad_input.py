"""Bad input on the participant's side: a Dutch message or a 4xx, never a 500, never an answer
lost or written to the wrong response."""

import pytest

from assess.db import db
from assess.models import Response
from assess.survey import responses
from tests import factories as make


@pytest.fixture
def person(app, client):
    with app.app_context():
        pid, token = make.invited(make.cohort(windows=make.windows()))
    client.get(f"/s/{token}")
    # One answer already given, which no bad post may lose.
    client.post("/deelnemer/intake/pagina/3", data={"a_tm_plan_5": "4", "action": "later"})
    return pid


def answers(app, pid):
    with app.app_context():
        response = db.session.execute(
            db.select(Response).filter_by(participant_id=pid, moment="intake")
        ).scalar_one()
        return responses.answers_of(response)


@pytest.mark.parametrize(
    "page, data, message",
    [
        (3, {"a_tm_plan_1": "6"}, "Kies een van de antwoorden."),
        (3, {"a_tm_plan_1": "vier"}, "Kies een van de antwoorden."),
        (3, {"a_tm_plan_1": "4.5"}, "Kies een van de antwoorden."),
        (1, {"a_ervaring": "20_jaar"}, "Kies een van de antwoorden."),
        (6, {"a_sjt_vuilniszakken_2": "z"}, "Kies een van de antwoorden."),
        (2, {"a_tijd_reactief": "150"}, "Vul een getal in van 0 tot en met 100."),
        (2, {"a_tijd_reactief": "12,5"}, "Vul een getal in met stappen van 5."),
        (2, {"a_tijd_reactief": "veel"}, "Vul een getal in."),
        (2, {"a_tijd_reactief": "1e309"}, "Vul een getal in."),
    ],
)
def test_value_outside_the_item_is_refused_next_to_it_and_nothing_is_lost(
    app, client, person, page, data, message
):
    for action in ("next", "prev"):
        response = client.post(f"/deelnemer/intake/pagina/{page}", data={**data, "action": action})
        assert response.status_code == 200
        assert message in response.text
        assert answers(app, person) == {"tm_plan_5": 4}


@pytest.mark.parametrize(
    "data",
    [
        {"a_onbekend": "3"},
        {"a_nz_bew_1": "3"},  # an item of another page
        {"a_tm_plan_1_toen": "3"},  # an item of another moment
        {"tm_plan_1": "3"},  # without the field prefix
        {"a_tm_plan_5": ["4", "1"]},  # the same item twice
    ],
)
def test_forged_item_ids_are_ignored_and_change_nothing_else(app, client, person, data):
    response = client.post("/deelnemer/intake/pagina/3", data={**data, "action": "later"})
    assert response.status_code == 302
    assert answers(app, person) == {"tm_plan_5": 4}


@pytest.mark.parametrize(
    "url",
    [
        "/deelnemer/intake/pagina/0",
        "/deelnemer/intake/pagina/8",
        "/deelnemer/intake/pagina/999999999999",
        "/deelnemer/intake/pagina/-1",
        "/deelnemer/intake/pagina/abc",
        "/deelnemer/policy/pagina/1",
        "/deelnemer/onbekend/pagina/1",
        "/deelnemer/onbekend/controle",
    ],
)
def test_tampered_page_numbers_and_moments_give_a_404(app, client, person, url):
    assert client.get(url).status_code == 404
    response = client.post(url, data={"a_tm_plan_1": "1", "action": "next"})
    assert response.status_code in (404, 405)
    assert "Pagina niet gevonden" in response.text or "Niet toegestaan" in response.text
    assert answers(app, person) == {"tm_plan_5": 4}


def test_unknown_action_counts_as_next(client, person):
    response = client.post("/deelnemer/intake/pagina/3", data={"action": "hack"})
    assert response.status_code == 200
    assert "Beantwoord deze vraag om verder te gaan." in response.text


def test_ten_thousand_characters_of_free_text_are_refused_and_kept(app, client):
    with app.app_context():
        pid, token = make.invited(make.cohort(windows=make.windows(intake="closed", exit="open")))
    client.get(f"/s/{token}")
    text = "Mijn plan. " * 910  # 10,010 characters
    response = client.post(
        "/deelnemer/exit/pagina/10", data={"a_actieplan": text, "action": "later"}
    )
    assert response.status_code == 200
    assert "Je antwoord is te lang: maximaal 2000 tekens" in response.text
    assert text.strip() in response.text
    assert 'maxlength="2000"' in response.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Response)) == 0


def test_free_text_with_markup_is_stored_as_text_and_shown_escaped(app, client):
    with app.app_context():
        make.invited(
            make.cohort(windows=make.windows(intake="closed", exit="open")), "x@example.nl"
        )
        _pid, token = make.invited(
            make.cohort(name="B", windows=make.windows(intake="closed", exit="open"))
        )
    client.get(f"/s/{token}")
    text = "<script>alert(1)</script> & meer"
    client.post("/deelnemer/exit/pagina/10", data={"a_actieplan": text, "action": "later"})
    review = client.get("/deelnemer/exit/controle")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; meer" in review.text
    assert "<script>alert(1)" not in review.text


def test_a_link_of_another_participant_writes_only_to_that_participant(app, client, person):
    with app.app_context():
        other, token = make.invited(
            make.cohort(name="Ander cohort", windows=make.windows()), "ander@example.nl"
        )
    client.get(f"/s/{token}")
    client.post("/deelnemer/intake/pagina/3", data={"a_tm_plan_1": "2", "action": "later"})
    assert answers(app, person) == {"tm_plan_5": 4}
    assert answers(app, other) == {"tm_plan_1": 2}


def test_forged_session_for_another_participant_is_refused(app, client, person):
    with app.app_context():
        other, _token = make.invited(
            make.cohort(name="Ander cohort", windows=make.windows()), "ander@example.nl"
        )
    with client.session_transaction() as session:
        session["participant"] = {"id": other, "fp": "0" * 16}
    response = client.post("/deelnemer/intake/pagina/3", data={"a_tm_plan_1": "2"})
    assert response.status_code == 403
    assert "Open je persoonlijke link" in response.text


def test_session_without_fingerprint_or_with_rubbish_is_refused(client, person):
    for value in ({"id": "x"}, "rubbish", {"id": None, "fp": None}, [1, 2]):
        with client.session_transaction() as session:
            session["participant"] = value
        assert client.get("/deelnemer/").status_code == 403


def test_time_shares_above_100_get_a_dutch_message_and_keep_what_was_typed(app, client, person):
    """Version 2 caps the three kinds of work at 100% together: the page says so at the first
    share, shows the typed numbers again and stores none of them."""
    data = {"a_tijd_reactief": "60", "a_tijd_eigen": "35", "a_tijd_samen": "25", "action": "next"}
    response = client.post("/deelnemer/intake/pagina/2", data=data)
    assert response.status_code == 200
    assert "Samen komen deze percentages op 120%, en dat mag hoogstens 100% zijn." in response.text
    for value in ("60", "35", "25"):
        assert f'value="{value}"' in response.text
    assert answers(app, person) == {"tm_plan_5": 4}
    # within 100 the same page saves and moves on
    data["a_tijd_samen"] = "5"
    response = client.post("/deelnemer/intake/pagina/2", data=data)
    assert response.status_code == 302
    assert answers(app, person) == {
        "tm_plan_5": 4,
        "tijd_reactief": 60,
        "tijd_eigen": 35,
        "tijd_samen": 5,
    }
