"""Course days on the trainer's side: pasted with the cohort (Dutch messages, the list kept),
windows that follow from them for a new cohort, and the days on the cohort's pages."""

from datetime import UTC, date, datetime

import pytest

from assess import clock
from assess.db import db
from assess.models import Cohort, CourseDay
from tests import factories as make
from tests.conftest import AuthActions
from tests.trainer.test_cohorts import cohort_form

DAYS = "\n".join(
    [
        "do 14 januari 2027",
        "28-1-2027",
        "11 februari",
        "25-02-2027",
        "11/3/2027",
        "25 mrt 2027",
        "8 april 2027",
        "22-4-2027",
    ]
)


@pytest.fixture
def frozen(monkeypatch):
    """The clock at a fixed moment (UTC); returns a setter."""

    def at(moment: datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment)

    at(datetime(2026, 12, 7, 12, 0, tzinfo=UTC))
    return at


def _days(app, cohort_id: int) -> list[date]:
    with app.app_context():
        return list(
            db.session.scalars(
                db.select(CourseDay.date).filter_by(cohort_id=cohort_id).order_by(CourseDay.number)
            )
        )


def test_a_new_cohort_takes_its_dates_and_windows_from_the_pasted_days(
    app, client, trainer, frozen
):
    form = cohort_form(start_date="", end_date="", course_days=DAYS)
    for key in list(form):
        if key.endswith(("opens_on", "closes_on")):
            form[key] = ""
    response = client.post("/trainer/cohorten/nieuw", data=form)
    assert response.status_code == 302
    with app.app_context():
        cohort = db.session.execute(db.select(Cohort)).scalar_one()
        assert (cohort.start_date, cohort.end_date) == (date(2027, 1, 14), date(2027, 4, 22))
        windows = {w.moment: (w.enabled, w.opens_on, w.closes_on) for w in cohort.windows}
        cid = cohort.id
    assert _days(app, cid) == make.SPRING_2027
    assert windows == {
        "intake": (True, date(2026, 12, 17), date(2027, 1, 13)),
        "exit": (True, date(2027, 4, 22), date(2027, 5, 12)),
        "followup": (True, date(2027, 7, 22), date(2027, 8, 18)),
    }
    page = client.get(f"/trainer/cohorten/{cid}").text
    assert "Lesdagen" in page and "donderdag 11 februari 2027" in page
    assert page.count("volgende lesdag") == 1


def test_windows_the_trainer_typed_are_kept(app, client, trainer, frozen):
    response = client.post("/trainer/cohorten/nieuw", data=cohort_form(course_days=DAYS))
    assert response.status_code == 302
    with app.app_context():
        cohort = db.session.execute(db.select(Cohort)).scalar_one()
        assert cohort.window("intake").opens_on == date(2026, 8, 15)
        assert cohort.start_date == date(2026, 9, 1)


def test_a_wrong_line_gets_a_dutch_message_keeps_the_list_and_saves_nothing(
    app, client, trainer, frozen
):
    typed = DAYS.replace("11/3/2027", "30-2-2027").replace("8 april 2027", "vrijdag 8 april 2027")
    response = client.post("/trainer/cohorten/nieuw", data=cohort_form(course_days=typed))
    assert response.status_code == 200
    page = response.text
    assert "Regel 5: ‘30-2-2027’ bestaat niet in de kalender." in page
    assert "Regel 7: ‘vrijdag 8 april 2027’ valt op een andere dag van de week" in page
    assert "vrijdag 8 april 2027\n22-4-2027</textarea>" in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Cohort.id))) == 0
        assert db.session.scalar(db.select(db.func.count(CourseDay.id))) == 0


def test_editing_the_days_replaces_them_and_leaves_the_windows(app, client, trainer, frozen):
    with app.app_context():
        group = make.course_days_of(make.cohort(trainer, "Voorjaar 2027"))
        db.session.commit()
        cid = group.id
    page = client.get(f"/trainer/cohorten/{cid}/bewerken").text
    assert "donderdag 14 januari 2027\ndonderdag 28 januari 2027" in page
    response = client.post(
        f"/trainer/cohorten/{cid}/bewerken",
        data=cohort_form(course_days="14-1-2027\n4-2-2027\n18-2-2027"),
    )
    assert response.status_code == 302
    assert _days(app, cid) == [date(2027, 1, 14), date(2027, 2, 4), date(2027, 2, 18)]
    with app.app_context():
        assert db.session.get(Cohort, cid).window("intake").opens_on == date(2026, 8, 15)
    # An empty list removes the days.
    client.post(f"/trainer/cohorten/{cid}/bewerken", data=cohort_form(course_days=""))
    assert _days(app, cid) == []


def test_the_analysis_opens_with_the_next_course_day(app, trainer, frozen):
    with app.app_context():
        cid = make.course_days_of(make.cohort(trainer, "Voorjaar 2027")).id
        db.session.commit()

    def heading_at(moment: datetime) -> str:
        frozen(moment)
        client = app.test_client()  # a jump of months ends any session: a new one
        AuthActions(client).login("trainer@example.nl")
        page = client.get(f"/trainer/cohorten/{cid}/analyse").text
        return page.split('id="h-summary">', 1)[1].split("</h2>", 1)[0]

    # Wednesday 10 February 2027, 23:30 UTC, is already Thursday 11 February in Amsterdam.
    assert heading_at(datetime(2027, 2, 10, 23, 30, tzinfo=UTC)) == (
        "Voor lesdag 3, donderdag 11 februari"
    )
    assert heading_at(datetime(2027, 2, 11, 22, 59, tzinfo=UTC)) == (
        "Voor lesdag 3, donderdag 11 februari"
    )
    assert heading_at(datetime(2027, 2, 11, 23, 0, tzinfo=UTC)) == (
        "Voor lesdag 4, donderdag 25 februari"
    )
    # In summer time the day turns at 22:00 UTC: Thursday 8 April 2027 begins then.
    assert heading_at(datetime(2027, 4, 7, 22, 0, tzinfo=UTC)) == (
        "Voor lesdag 7, donderdag 8 april"
    )
    # After the last day the page says what it said before there were days.
    assert heading_at(datetime(2027, 5, 1, 12, 0, tzinfo=UTC)) == "Voor de volgende lesdag"
