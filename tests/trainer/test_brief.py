"""The brief for the next course day: the day named, the pulse weeks since the last course
day with their unnamed texts only where enough answered, the goals, and one A4 in print."""

from datetime import UTC, date, datetime

from assess import clock
from assess.db import db
from tests import factories as make
from tests.conftest import AuthActions


def test_the_brief_names_the_day_and_shows_the_weeks_since_the_last_one(app, trainer, monkeypatch):
    # Monday 8 February 2027: the last course day was 28 January, the next is 11 February.
    monkeypatch.setattr(clock, "now", lambda: datetime(2027, 2, 8, 9, 0, tzinfo=UTC))
    with app.app_context():
        group = make.course_days_of(make.cohort(trainer, "Voorjaar 2027"))
        before = make.pulse_week(group, date(2027, 1, 22))  # before day 2: not in the brief
        small = make.pulse_week(group, date(2027, 1, 29))
        full = make.pulse_week(group, date(2027, 2, 5))
        people = make.participants(group, 6)
        for n, person in enumerate(people):
            make.pulse_answer(person, before, worked=f"Oude week {n}")
            make.pulse_answer(person, full, worked=f"Eerst de wijkschouw {n}")
            if n < 2:
                make.pulse_answer(person, small, worked=f"Weinig antwoorden {n}")
        make.goal(people[0], "Eigen doel dat niemand deelt")
        db.session.commit()
        cid = group.id
    client = app.test_client()  # signed in at the moved clock
    AuthActions(client).login("trainer@example.nl")
    page = client.get(f"/trainer/cohorten/{cid}/voor-de-lesdag").text
    assert "Voor lesdag 3, donderdag 11 februari 2027" in page
    assert "sinds lesdag 2, donderdag 28 januari" in page
    assert "Eerst de wijkschouw 0" in page and "Eerst de wijkschouw 5" in page
    assert "Deelnemer 000" not in page  # the texts carry no names
    assert "Oude week" not in page  # a week before the last course day
    assert "Weinig antwoorden" not in page and "verborgen (minder dan 5 antwoorden)" in page
    assert "Eigen doel dat niemand deelt" not in page
    assert "Groepscijfers verschijnen vanaf 5 deelnemers." in page
    assert "Om te bespreken" in page
