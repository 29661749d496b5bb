"""Course days for the participant: the next one on the home page (by the course's calendar,
not the server's), and the days as marks on their own weekly-pulse chart."""

from datetime import UTC, date, datetime

from assess import clock
from assess.reports.charts.pulse import day_marks
from tests import factories as make


def _home_at(app, monkeypatch, moment: datetime) -> str:
    monkeypatch.setattr(clock, "now", lambda: moment)
    with app.app_context():
        group = make.course_days_of(make.cohort(name=f"Voorjaar {moment.isoformat()}"))
        _, token = make.invited(group, email=f"{moment:%d%H%M}p@example.nl")
    client = app.test_client()
    client.get(f"/s/{token}")
    return client.get("/deelnemer/").text


def test_the_home_page_names_the_next_course_day(app, monkeypatch):
    page = _home_at(app, monkeypatch, datetime(2027, 1, 20, 9, 0, tzinfo=UTC))
    assert "Volgende lesdag: lesdag 2, donderdag 28 januari 2027" in page
    assert "donderdag 22 april 2027" in page  # every day is listed


def test_after_midnight_in_amsterdam_the_next_day_is_todays_in_winter_and_summer(app, monkeypatch):
    # 23:30 UTC on Wednesday 10 February is 00:30 on Thursday 11 February (winter time).
    page = _home_at(app, monkeypatch, datetime(2027, 2, 10, 23, 30, tzinfo=UTC))
    assert "Volgende lesdag: lesdag 3, donderdag 11 februari 2027" in page
    # 22:30 UTC on Wednesday 7 April is 00:30 on Thursday 8 April (summer time).
    page = _home_at(app, monkeypatch, datetime(2027, 4, 7, 22, 30, tzinfo=UTC))
    assert "Volgende lesdag: lesdag 7, donderdag 8 april 2027" in page
    # 21:30 UTC the same evening is still Wednesday there.
    page = _home_at(app, monkeypatch, datetime(2027, 4, 7, 21, 30, tzinfo=UTC))
    assert "Volgende lesdag: lesdag 7, donderdag 8 april 2027" in page


def test_after_the_last_day_the_days_stay_listed_without_a_next_one(app, monkeypatch):
    page = _home_at(app, monkeypatch, datetime(2027, 5, 3, 9, 0, tzinfo=UTC))
    assert "Volgende lesdag" not in page and "Lesdagen" in page


def test_a_cohort_without_course_days_shows_no_course_days(app, client):
    with app.app_context():
        _, token = make.invited(make.cohort())
    client.get(f"/s/{token}")
    assert "Lesdagen" not in client.get("/deelnemer/").text


def test_course_days_mark_the_weeks_they_fall_in_on_a_pulse_axis(app):
    mondays = [date(2027, 1, 25), date(2027, 2, 1), date(2027, 2, 8)]
    labels = ["wk 4", "wk 5", "wk 6"]
    marks = [(d, f"lesdag {n}") for n, d in enumerate(make.SPRING_2027, start=1)]
    with app.test_request_context():
        shapes, notes = day_marks(labels, mondays, marks)
    # Day 2 (Thursday 28 January) is in week 4, day 3 (11 February) in week 6; the others
    # fall in weeks that are not on this axis.
    assert [(s["x0"], n["text"]) for s, n in zip(shapes, notes, strict=True)] == [
        ("wk 4", "lesdag 2"),
        ("wk 6", "lesdag 3"),
    ]
