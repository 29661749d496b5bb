"""A participant's session ends after PARTICIPANT_IDLE_MINUTES without a request, as staff
sessions do: the next page says why, and what they typed is kept as a draft."""

from __future__ import annotations

import pytest

from assess import clock
from assess.db import db
from assess.models import Response
from assess.survey import responses
from tests import factories as make

# Depends on the date: CI runs it again on the hard days (.ci/run).
pytestmark = pytest.mark.calendar


@pytest.fixture
def person(app, client):
    with app.app_context():
        pid, token = make.invited(make.cohort(windows=make.windows()))
    client.get(f"/s/{token}")
    return pid, token


def idle_for(client, minutes: int) -> None:
    """Turn the session's last-seen time back, as if the person had walked away."""
    with client.session_transaction() as session:
        session["participant"] = {
            **session["participant"],
            "seen": int(clock.timestamp()) - minutes * 60,
        }


def draft(app, pid) -> dict:
    with app.app_context():
        response = db.session.execute(
            db.select(Response).filter_by(participant_id=pid, moment="intake")
        ).scalar_one_or_none()
        return responses.answers_of(response) if response else {}


def test_after_an_hour_without_activity_the_next_page_says_the_session_ended(client, person):
    idle_for(client, 61)
    page = client.get("/deelnemer/intake/pagina/1")
    assert page.status_code == 403
    assert "Je sessie is verlopen" in page.text
    assert "Wat je hebt ingevuld, is bewaard." in page.text
    assert "Welkom" not in client.get("/deelnemer/").text


def test_activity_keeps_the_session_open(client, person):
    idle_for(client, 50)
    assert client.get("/deelnemer/").status_code == 200
    idle_for(client, 50)
    assert client.get("/deelnemer/intake/pagina/1").status_code == 200


def test_a_page_posted_after_the_timeout_is_saved_before_the_session_ends(app, client, person):
    pid, token = person
    idle_for(client, 90)
    # "Next" with required items still open: saved as a draft all the same.
    response = client.post(
        "/deelnemer/intake/pagina/3", data={"a_tm_plan_1": "4", "action": "next"}
    )
    assert response.status_code == 403
    assert "Je sessie is verlopen" in response.text and "is bewaard" in response.text
    assert "tm_plan_1" not in response.text  # the answers are not shown to whoever is there
    assert draft(app, pid) == {"tm_plan_1": 4}
    assert client.get("/deelnemer/intake/pagina/3").status_code == 403
    # The link opens a new session that resumes with the saved answer.
    client.get(f"/s/{token}")
    assert 'checked id="a_tm_plan_1-3"' in client.get("/deelnemer/intake/pagina/3").text


def test_an_autosave_after_the_timeout_stores_the_answers_and_ends_the_session(app, client, person):
    pid, _token = person
    idle_for(client, 90)
    assert (
        client.post("/deelnemer/intake/pagina/3/autosave", data={"a_tm_plan_5": "5"}).status_code
        == 204
    )
    assert draft(app, pid) == {"tm_plan_5": 5}
    assert "Je sessie is verlopen" in client.get("/deelnemer/").text
