"""The trainer's weekly pulse: switching it on per cohort (Dutch messages, input kept), the
weeks it makes, the week view that hides small weeks, the answers listed without names."""

import json
from datetime import date, timedelta

import pytest

from assess import clock
from assess.db import db
from assess.models import Cohort, Pulse, PulseSchedule
from tests import factories as make
from tests.conftest import csrf_token

# Depends on the date: CI runs it again on the hard days (.ci/run).
pytestmark = pytest.mark.calendar

TODAY = clock.today()


@pytest.fixture
def group(app, trainer):
    with app.app_context():
        made = make.cohort(trainer, "Voorjaar 2026")
        db.session.commit()
        return made.id


def _form(**overrides) -> dict:
    data = {
        "enabled": "y",
        "weekday": "4",
        "first_day": (TODAY + timedelta(days=1)).isoformat(),
        "last_day": (TODAY + timedelta(days=43)).isoformat(),
        "days_open": "3",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _post(client, cohort_id: int, data: dict):
    page = client.get(f"/trainer/cohorten/{cohort_id}/weekpuls").get_data(as_text=True)
    return client.post(
        f"/trainer/cohorten/{cohort_id}/weekpuls", data={**data, "csrf_token": csrf_token(page)}
    )


def test_switching_the_pulse_on_makes_one_week_per_friday(app, client, group) -> None:
    response = _post(client, group, _form())
    assert response.status_code == 302
    with app.app_context():
        weeks = db.session.scalars(db.select(Pulse).filter_by(cohort_id=group)).all()
        assert len(weeks) == 6
        assert {w.opens_on.weekday() for w in weeks} == {4}
        assert all(w.closes_on - w.opens_on == timedelta(days=2) for w in weeks)
    page = client.get(f"/trainer/cohorten/{group}/weekpuls").get_data(as_text=True)
    assert "Volgende weekpuls:" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"days_open": "9"}, "Een weekpuls staat 1 tot en met 7 dagen open."),
        ({"days_open": ""}, "Vul het aantal dagen in: 1 tot en met 7."),
        ({"first_day": ""}, "Vul de eerste dag in"),
        (
            {"last_day": (TODAY - timedelta(days=3)).isoformat()},
            "De laatste dag ligt vóór de eerste dag.",
        ),
        (
            {"last_day": (TODAY + timedelta(days=2)).isoformat(), "weekday": "6"}
            if (TODAY + timedelta(days=1)).weekday() not in (5, 6)
            else {"last_day": (TODAY + timedelta(days=1)).isoformat(), "weekday": "2"},
            "Tussen de eerste en de laatste dag valt deze weekdag niet.",
        ),
    ],
)
def test_bad_schedule_gets_a_dutch_message_and_keeps_the_input(
    app, client, group, overrides, message
) -> None:
    response = _post(client, group, _form(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    if overrides.get("days_open"):
        assert f'value="{overrides["days_open"]}"' in page
    with app.app_context():
        assert db.session.scalar(db.select(PulseSchedule).filter_by(cohort_id=group)) is None


def test_changing_the_schedule_keeps_weeks_that_opened(app, client, group) -> None:
    with app.app_context():
        cohort = db.session.get(Cohort, group)
        past = make.pulse_week(cohort, TODAY - timedelta(days=14))
        db.session.commit()
        past_id = past.id
    _post(client, group, _form(weekday="1"))
    with app.app_context():
        assert db.session.get(Pulse, past_id) is not None
        future = db.session.scalars(
            db.select(Pulse).where(Pulse.cohort_id == group, Pulse.opens_on > TODAY)
        ).all()
        assert future and {w.opens_on.weekday() for w in future} == {1}
    _post(client, group, _form(enabled=None))
    with app.app_context():
        left = db.session.scalars(db.select(Pulse).filter_by(cohort_id=group)).all()
        assert [w.id for w in left] == [past_id]


@pytest.fixture
def answered(app, group):
    """Two past weeks: five answered the first (shown), two the second (hidden)."""
    with app.app_context():
        cohort = db.session.get(Cohort, group)
        people = make.participants(cohort, 6)
        big = make.pulse_week(cohort, TODAY - timedelta(days=14))
        small = make.pulse_week(cohort, TODAY - timedelta(days=7))
        for n, person in enumerate(people[:5]):
            make.pulse_answer(
                person, big, planned=20 + 10 * n, worked=f"<b>Tip {n}</b> van {person.name}"
            )
        for person in people[:2]:
            make.pulse_answer(person, small, planned=95, worked="Geheim van een klein groepje")
        db.session.commit()
        return {"big": big.id, "small": small.id}


def test_the_week_view_hides_weeks_below_the_minimum_group(client, group, answered) -> None:
    page = client.get(f"/trainer/cohorten/{group}/weekpuls").get_data(as_text=True)
    # The big week: median 40 of 20..60, quartiles 30-50, 5 of 6 answered.
    assert "<td>5 / 6</td>" in page
    assert "<td>40</td>" in page and "<td>30–50</td>" in page
    # The small week: the response only.
    assert "<td>2 / 6</td>" in page
    # Says why, not a bare "verborgen" (the course walk-through's finding).
    assert "<td>minder dan 5 antwoorden</td>" in page
    assert "verborgen</td>" not in page
    figure = json.loads(page.split('id="chart-weekpuls-data">')[1].split("</script>")[0])
    assert figure["data"][0]["y"] == [40, None]
    assert "Geheim van een klein groepje" not in page


def test_what_worked_is_listed_without_names_and_escaped(client, group, answered) -> None:
    page = client.get(f"/trainer/cohorten/{group}/weekpuls").get_data(as_text=True)
    assert "&lt;b&gt;Tip 0&lt;/b&gt;" in page
    assert "<b>Tip" not in page
    # The participant typed their own name; the page adds none.
    assert page.count("Deelnemer 000") == 1


def test_another_trainers_cohort_is_not_found(app, client, trainer, make_user) -> None:
    other = make_user("trainer", "ander@example.nl")
    with app.app_context():
        theirs = make.cohort(other, "Van een ander")
        db.session.commit()
        cohort_id = theirs.id
    assert client.get(f"/trainer/cohorten/{cohort_id}/weekpuls").status_code == 404


def test_course_days_are_marked_on_the_axis(client, group, answered, app) -> None:
    with app.app_context():
        cohort = db.session.get(Cohort, group)
        cohort.start_date = TODAY - timedelta(days=14)
        db.session.commit()
    page = client.get(f"/trainer/cohorten/{group}/weekpuls").get_data(as_text=True)
    data = page.split('id="chart-weekpuls-data">')[1].split("</script>")[0]
    assert "lesdag 1" in data


def test_start_date_default(app, client, group) -> None:
    page = client.get(f"/trainer/cohorten/{group}/weekpuls").get_data(as_text=True)
    assert 'value="2026-03-01"' in page
    assert date(2026, 3, 1).isoformat() in page


def test_the_pulse_export_has_a_row_per_week_with_group_figures_only(client, group, answered):
    response = client.get(
        f"/trainer/cohorten/{group}/export?download=1&vorm=weekpuls&formaat=csv-punt"
        "&namen=1&bevestig=1"
    )
    assert response.status_code == 200
    assert "met-namen" not in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    header, *rows = [line.replace('"', "").split(",") for line in text.strip().splitlines()]
    assert header[:8] == [
        "cohort",
        "week",
        "uitgenodigd",
        "ingevuld",
        "puls_gepland_n",
        "puls_gepland_mediaan",
        "puls_gepland_q1",
        "puls_gepland_q3",
    ]
    assert "code" not in header and "naam" not in header and "email" not in header
    big, small = (dict(zip(header, row, strict=True)) for row in rows)
    assert (big["ingevuld"], big["puls_gepland_mediaan"], big["puls_gepland_q1"]) == (
        "5",
        "40.0",
        "30.0",
    )
    # Two answers: the response only; their 95 % stays out.
    assert small["ingevuld"] == "2" and small["puls_gepland_mediaan"] == ""
    assert "95" not in ",".join(rows[1]).replace(small["week"], "")
    assert "@example.nl" not in text and "Deelnemer" not in text and "Tip" not in text


def test_the_xlsx_export_has_a_pulse_sheet_of_weeks(client, group, answered) -> None:
    import io

    from openpyxl import load_workbook

    response = client.get(f"/trainer/cohorten/{group}/export?download=1&vorm=breed&formaat=xlsx")
    book = load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames == ["Gegevens", "Weekpuls", "Codeboek"]
    assert book["Weekpuls"].max_row == 3  # the header and two weeks, not a row per person
    header = [c.value for c in next(book["Gegevens"].iter_rows(max_row=1))]
    assert "puls_gepland" not in header


def test_the_change_in_planned_share_has_an_interval(app, client, group) -> None:
    """Five participants with two pulses each: changes 20, 10, 30, 20 and 20 points, mean 20,
    SD √50, 95 % interval 20 ± t(0.975, 4) · √50 / √5 = 20 ± 8.8."""
    with app.app_context():
        cohort = db.session.get(Cohort, group)
        people = make.participants(cohort, 5)
        first = make.pulse_week(cohort, TODAY - timedelta(days=21))
        last = make.pulse_week(cohort, TODAY - timedelta(days=7))
        for person, (a, b) in zip(
            people, [(20, 40), (30, 40), (40, 70), (50, 70), (10, 30)], strict=True
        ):
            make.pulse_answer(person, first, planned=a, incoming=10)
            make.pulse_answer(person, last, planned=b, incoming=10)
        db.session.commit()
    page = client.get(f"/trainer/cohorten/{group}/weekpuls").get_data(as_text=True)
    assert "gemiddeld 20,0 procentpunt" in page
    assert "95%-interval 11,2 tot 28,8; 5 deelnemers met minstens twee weekpulsen" in page
    assert "Tijdmanagement, voormeting tot nameting: nog niemand met beide metingen." in page
