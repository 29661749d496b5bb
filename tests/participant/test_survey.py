"""Filling in a moment: pages, validation next to the item, saving on every move, resuming,
the review page and a submit that happens exactly once."""

import random
import re
import threading

import pytest
from markupsafe import escape
from sqlalchemy import event as sqlalchemy_event

from assess.db import db
from assess.engine.simulate import simulate_answers
from assess.models import Answer, Response, Score, Status
from assess.survey import questionnaires, responses
from tests import factories as make
from tests.conftest import csrf_token

# Depends on the date: CI runs it again on the hard days (.ci/run).
pytestmark = pytest.mark.calendar


@pytest.fixture
def q(app):
    with app.app_context():
        return questionnaires.get(make.INSTRUMENT)


@pytest.fixture
def answers(q):
    return simulate_answers(q, "intake", random.Random(7), level=0.5)


@pytest.fixture
def person(app, client):
    with app.app_context():
        pid, token = make.invited(make.cohort(windows=make.windows(exit="open")))
    client.get(f"/s/{token}")
    return pid


def stored(app, pid, moment="intake"):
    with app.app_context():
        response = db.session.execute(
            db.select(Response).filter_by(participant_id=pid, moment=moment)
        ).scalar_one_or_none()
        return (responses.answers_of(response), response.status) if response else ({}, None)


def page_data(q, moment: str, n: int, answers: dict) -> dict:
    """Form data for survey page n with the given answers (only items on that page)."""
    section = q.sections_for(moment)[n - 1]
    return {
        f"a_{item.id}": str(answers[item.id])
        for item in section.items
        if answers.get(item.id) is not None
    }


def fill_all(client, q, answers, moment="intake"):
    for n in range(1, len(q.sections_for(moment)) + 1):
        response = client.post(
            f"/deelnemer/{moment}/pagina/{n}",
            data={**page_data(q, moment, n, answers), "action": "next"},
        )
        assert response.status_code == 302, response.text


def test_first_page_shows_progress_and_every_item_of_the_section(client, person):
    page = client.get("/deelnemer/intake/pagina/1")
    assert page.status_code == 200
    assert "Pagina 1 van 7" in page.text
    assert "<legend>Hoe lang werk je al als woonconsulent" in page.text
    assert "(niet verplicht)" in page.text
    assert 'data-autosave="/deelnemer/intake/pagina/1/autosave"' in page.text


def test_survey_page_loads_no_chart_library_and_only_the_autosave_script(client, person):
    page = client.get("/deelnemer/intake/pagina/3")
    scripts = re.findall(r"<script[^>]*>", page.text)
    assert scripts == ['<script src="/static/js/autosave.js" defer>']
    assert "plotly" not in page.text


def test_numeric_page_shows_unit_bounds_and_the_step_it_will_ask_for(client, person):
    page = client.get("/deelnemer/intake/pagina/2")
    # The walk-through typed 57,5 and was told "stappen van 5" that the hint never mentioned.
    assert "Een getal van 0 tot en met 100 (%), in stappen van 5." in page.text
    assert 'inputmode="decimal"' in page.text


def test_sjt_page_shows_the_case_with_the_question(client, person):
    page = client.get("/deelnemer/intake/pagina/6")
    assert "Het is maandagochtend" in page.text
    assert 'aria-describedby="a_sjt_vuilniszakken_2-case"' in page.text


def test_next_with_missing_required_items_keeps_given_answers_and_says_what_is_missing(
    app, client, person
):
    response = client.post(
        "/deelnemer/intake/pagina/3", data={"a_tm_plan_1": "4", "action": "next"}
    )
    assert response.status_code == 200
    assert "Beantwoord deze vraag om verder te gaan." in response.text
    assert 'id="a_tm_plan_1-3" name="a_tm_plan_1" required type="radio" value="4"' in (
        response.text.replace("checked ", "")
    )
    assert re.search(r'<input checked id="a_tm_plan_1-3"', response.text)
    assert stored(app, person)[0] == {}


def test_previous_saves_without_requiring_answers(app, client, person):
    response = client.post(
        "/deelnemer/intake/pagina/3", data={"a_tm_plan_1": "4", "action": "prev"}
    )
    assert response.status_code == 302
    assert response.location == "/deelnemer/intake/pagina/2"
    assert stored(app, person)[0] == {"tm_plan_1": 4}


def test_save_and_continue_later_goes_home_with_message(app, client, person):
    response = client.post(
        "/deelnemer/intake/pagina/2",
        data={"a_tijd_reactief": "15", "action": "later"},
        follow_redirects=True,
    )
    assert "Je antwoorden zijn bewaard" in response.text
    assert stored(app, person)[0] == {"tijd_reactief": 15}
    assert 'value="15"' in client.get("/deelnemer/intake/pagina/2").text


def test_closing_the_browser_and_opening_the_link_resumes_on_first_unanswered_page(
    app, client, q, answers
):
    with app.app_context():
        pid, token = make.invited(make.cohort(windows=make.windows()))
    client.get(f"/s/{token}")
    for n in (1, 2, 3):
        client.post(
            f"/deelnemer/intake/pagina/{n}",
            data={**page_data(q, "intake", n, answers), "action": "next"},
        )
    other_device = app.test_client()
    other_device.get(f"/s/{token}")
    home = other_device.get("/deelnemer/")
    assert "Verder met invullen" in home.text
    resume = other_device.get("/deelnemer/intake/")
    assert resume.location == "/deelnemer/intake/pagina/4"
    page3 = other_device.get("/deelnemer/intake/pagina/3").text
    assert page3.count("checked") == len(q.sections_for("intake")[2].items)


def test_review_lists_all_answers_with_change_links(client, person, q, answers):
    fill_all(client, q, answers)
    review = client.get("/deelnemer/intake/controle")
    assert "Controleer je antwoorden" in review.text
    assert review.text.count(">Wijzig<") == 7
    assert "Antwoorden indienen" in review.text
    assert "Nog niet beantwoord" not in review.text


def test_review_shows_each_scenario_situation_with_its_question(client, person, q, answers):
    fill_all(client, q, answers)
    review = client.get("/deelnemer/intake/controle").text
    scenarios = [item for item in q.items_by_id.values() if item.type == "sjt"]
    assert scenarios
    for item in scenarios:
        case = escape(q.text(item.case, "nl"))
        assert case in review
        # the situation comes right before its "Wat doe je?"
        assert review.index(case) < review.index(
            escape(q.item_text(item, "nl")), review.index(case)
        )


def test_thank_you_after_submitting_is_not_followed_by_already_submitted(
    client, person, q, answers
):
    fill_all(client, q, answers)
    done = client.post("/deelnemer/intake/indienen", follow_redirects=True).text
    assert "Dank je wel! Je antwoorden zijn ingediend." in done
    assert "al ingediend" not in done
    assert "Ingediend op" in done


def test_the_first_page_offers_no_vorige_and_the_second_does(client, person, q, answers):
    first = client.get("/deelnemer/intake/pagina/1").text
    assert 'value="prev"' not in first and "Vorige" not in first
    fill_all(client, q, answers)
    assert 'value="prev"' in client.get("/deelnemer/intake/pagina/2").text


def test_review_with_gaps_links_to_them_and_offers_no_submit(client, person):
    client.post("/deelnemer/intake/pagina/3", data={"a_tm_plan_1": "4", "action": "later"})
    review = client.get("/deelnemer/intake/controle")
    assert "verplichte vragen zijn nog niet beantwoord" in review.text
    assert "Antwoorden indienen" not in review.text
    assert "/deelnemer/intake/pagina/2#a_tijd_reactief" in review.text


def test_empty_submit_is_refused_with_a_dutch_message(app, client, person):
    response = client.post("/deelnemer/intake/indienen", follow_redirects=True)
    assert "Er zijn nog vragen die je moet beantwoorden" in response.text
    assert stored(app, person)[1] is None


def test_submit_with_csrf_happens_once_for_double_click_and_two_tabs(csrf_app, q, answers):
    with csrf_app.app_context():
        pid, token = make.invited(make.cohort(windows=make.windows()))
    tab = csrf_app.test_client()
    tab.get(f"/s/{token}")
    for n in range(1, 8):
        page = tab.get(f"/deelnemer/intake/pagina/{n}")
        data = {**page_data(q, "intake", n, answers), "action": "next"}
        data["csrf_token"] = csrf_token(page.text)
        assert tab.post(f"/deelnemer/intake/pagina/{n}", data=data).status_code == 302
    review = tab.get("/deelnemer/intake/controle")
    token_field = csrf_token(review.text)
    assert tab.post("/deelnemer/intake/indienen").status_code == 400  # no CSRF token
    first = tab.post("/deelnemer/intake/indienen", data={"csrf_token": token_field})
    second = tab.post("/deelnemer/intake/indienen", data={"csrf_token": token_field})
    assert first.location == second.location == "/deelnemer/intake/ingediend"
    done = tab.get("/deelnemer/intake/ingediend")
    assert "Je voormeting is ingediend" in done.text
    with csrf_app.app_context():
        rows = db.session.scalars(db.select(Response).filter_by(participant_id=pid)).all()
        assert [(r.moment, r.status) for r in rows] == [("intake", Status.SUBMITTED)]


def test_back_button_after_submit_shows_already_submitted_and_writes_nothing(
    app, client, person, q, answers
):
    fill_all(client, q, answers)
    client.post("/deelnemer/intake/indienen")
    before = stored(app, person)[0]
    back = client.post("/deelnemer/intake/pagina/3", data={"a_tm_plan_1": "1", "action": "next"})
    assert back.status_code == 303
    assert back.location == "/deelnemer/intake/ingediend"
    assert client.get("/deelnemer/intake/pagina/3").location == "/deelnemer/intake/ingediend"
    assert client.post("/deelnemer/intake/pagina/3/autosave", data={}).status_code == 409
    assert stored(app, person)[0] == before


def test_a_page_saved_while_another_tab_submits_writes_nothing(
    app, client, person, q, answers, monkeypatch
):
    """The page is read as a draft, then the other tab submits before this one writes: the
    check under the write lock (SQLite) or row lock (PostgreSQL) sees it and stores nothing."""
    from assess.web import database

    fill_all(client, q, answers)
    before = stored(app, person)[0]
    start_writing = database.start_writing

    def other_tab_submits_first():
        engine = db.engine

        def other_tab():  # its own thread: another request, outside this one's context
            with engine.begin() as connection:
                connection.execute(
                    db.update(Response)
                    .where(Response.participant_id == person, Response.moment == "intake")
                    .values(status=Status.SUBMITTED)
                )

        thread = threading.Thread(target=other_tab)
        thread.start()
        thread.join(10)
        start_writing()

    monkeypatch.setattr(database, "start_writing", other_tab_submits_first)
    changed = {**page_data(q, "intake", 3, answers), "a_tm_plan_1": "1", "action": "next"}
    late = client.post("/deelnemer/intake/pagina/3", data=changed)
    assert late.status_code == 303
    assert late.location == "/deelnemer/intake/ingediend"
    assert stored(app, person) == (before, Status.SUBMITTED)


def test_after_intake_the_open_exit_is_offered(client, person, q, answers):
    fill_all(client, q, answers)
    client.post("/deelnemer/intake/indienen")
    home = client.get("/deelnemer/")
    assert "De nameting staat voor je klaar" in home.text
    assert "Bekijk je persoonlijke rapport" in home.text


def test_autosave_stores_valid_answers_without_requiring_the_rest(app, client, person):
    response = client.post("/deelnemer/intake/pagina/3/autosave", data={"a_tm_plan_5": "5"})
    assert response.status_code == 204
    assert stored(app, person)[0] == {"tm_plan_5": 5}


def test_autosave_refuses_invalid_values_with_their_messages(app, client, person):
    response = client.post("/deelnemer/intake/pagina/2/autosave", data={"a_tijd_reactief": "150"})
    assert response.status_code == 200
    assert response.json["errors"]["tijd_reactief"].startswith("Vul een getal in van 0")
    assert stored(app, person)[0] == {}


def test_followup_shows_the_exit_action_plan_back(app, client):
    with app.app_context():
        pid, token = make.invited(
            make.cohort(windows=make.windows(intake="closed", exit="closed", followup="open"))
        )
        make.fill(pid, "intake")
        make.fill(pid, "exit", extra={"actieplan": "Elke maandag een vast blok voor mijn wijk."})
        db.session.commit()
        plan = db.session.execute(
            db.select(Answer.text).where(Answer.item_id == "actieplan")
        ).scalar()
    client.get(f"/s/{token}")
    page = client.get("/deelnemer/followup/pagina/7")
    assert "Je actieplan" in page.text
    assert plan and plan[:30] in page.text


def test_submit_reads_the_answers_once_and_scores_what_it_checked(app, client, person, q, answers):
    fill_all(client, q, answers)
    reads = []

    def count_answer_reads(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and "FROM answer" in statement:
            reads.append(statement)

    with app.app_context():
        engine = db.engine
    sqlalchemy_event.listen(engine, "before_cursor_execute", count_answer_reads)
    try:
        response = client.post("/deelnemer/intake/indienen")
    finally:
        sqlalchemy_event.remove(engine, "before_cursor_execute", count_answer_reads)
    assert response.status_code == 302
    assert len(reads) == 1, reads
    with app.app_context():
        stored_answers, status = stored(app, person)
        assert status == Status.SUBMITTED
        assert db.session.scalar(
            db.select(db.func.count())
            .select_from(Score)
            .join(Response)
            .where(Response.participant_id == person)
        )
    assert stored_answers == {k: v for k, v in answers.items() if v is not None}
