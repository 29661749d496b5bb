"""Measured durations: every survey page records its active time (capped, once per showing),
and the home page, the invitation mail and the staff's overview state one and the same figure:
the measured median once MIN_GROUP_SIZE people submitted the moment, else the estimate, called
one."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from assess import clock
from assess.db import db
from assess.engine.duration import PAGE_IDLE_CAP_SECONDS
from assess.models import Cohort, PageTime
from assess.trainer.mail import sending
from assess.trainer.mail import texts as mail_texts
from tests import factories as make


def times(app) -> dict[int, list[float]]:
    with app.app_context():
        found: dict[int, list[float]] = {}
        for row in db.session.scalars(select(PageTime).order_by(PageTime.id)):
            found.setdefault(row.page, []).append(row.seconds)
        return found


def test_a_survey_page_records_its_active_time_capped_and_once_per_showing(app, client):
    with app.app_context():
        _pid, token = make.invited(make.cohort())
    client.get(f"/s/{token}")
    page = client.get("/deelnemer/intake/pagina/1").text
    shown = re.search(r'type="hidden" name="shown_at" value="([0-9.]+)"', page)
    assert shown is not None and abs(float(shown[1]) - clock.timestamp()) < 60
    half_a_minute_ago = f"{clock.timestamp() - 30:.3f}"
    for _ in range(2):  # a double click posts the same showing twice
        sent = client.post(
            "/deelnemer/intake/pagina/1", data={"action": "later", "shown_at": half_a_minute_ago}
        )
        assert sent.status_code == 302
    lunch = f"{clock.timestamp() - 2 * 3600:.3f}"
    client.post("/deelnemer/intake/pagina/2", data={"action": "later", "shown_at": lunch})
    forged = client.post("/deelnemer/intake/pagina/3", data={"action": "later", "shown_at": "x"})
    assert forged.status_code == 302  # the answers are saved; only the time is not
    future = f"{clock.timestamp() + 600:.3f}"
    client.post("/deelnemer/intake/pagina/4", data={"action": "later", "shown_at": future})
    found = times(app)
    assert set(found) == {1, 2}
    assert len(found[1]) == 1 and 30 <= found[1][0] < 90
    assert found[2] == [PAGE_IDLE_CAP_SECONDS]


def test_a_page_shown_again_adds_its_new_showing(app, client):
    with app.app_context():
        _pid, token = make.invited(make.cohort())
    client.get(f"/s/{token}")
    for ago in (100, 40):
        stamp = f"{clock.timestamp() - ago:.3f}"
        client.post("/deelnemer/intake/pagina/1", data={"action": "later", "shown_at": stamp})
    assert len(times(app)[1]) == 2 and sum(times(app)[1]) >= 140


@pytest.fixture
def waiting(app, client):
    """Anouk, intake open and not started, signed in; four others submitted it, timed at
    seven minutes each (a fifth is added by the test)."""
    with app.app_context():
        group = make.cohort()
        pid, token = make.invited(group)
        for person in make.participants(group, 4, start=10):
            make.fill(person, "intake")
            make.page_times(person, "intake", [60.0] * 7)
        db.session.commit()
        cohort_id = group.id
    client.get(f"/s/{token}")
    return cohort_id


def told(app, client, cohort_id: int) -> tuple[str, str]:
    """What the home page and the invitation mail say the intake takes."""
    home = client.get("/deelnemer/").text
    said = re.search(r"Het invullen duurt (.*?)\.\s", home)
    assert said is not None, home
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        subject, body = sending.text_for(cohort, "invitation", "intake")
        mail = mail_texts.render(
            subject, body, sending.values(cohort, "intake", "Anouk", "http://x.test/s/1")
        ).text
    in_mail = re.search(r"Dat kost (.*?)\.\n", mail)
    assert in_mail is not None, mail
    return said[1], in_mail[1]


def test_home_page_and_mail_state_one_estimate_until_enough_people_were_timed(app, client, waiting):
    home, mail = told(app, client, waiting)
    assert home == mail == "ongeveer 14 minuten (schatting)"


def test_home_page_and_mail_state_the_measured_median_from_the_minimum_group_on(
    app, client, waiting
):
    with app.app_context():
        fifth = make.participants(db.session.get(Cohort, waiting), 1, start=20)[0]
        make.fill(fifth, "intake")
        make.page_times(fifth, "intake", [90.0] * 7)
        db.session.commit()
    home, mail = told(app, client, waiting)
    assert home == mail
    assert home == "ongeveer 7 minuten (de helft van 5 deelnemers was binnen die tijd klaar)"
    client.post("/taal", data={"lang": "en", "next": "/deelnemer/"})
    english = client.get("/deelnemer/").text
    assert "Filling it in takes about 7 minutes (half of 5 participants" in english


def test_trainer_and_admin_see_the_estimate_and_the_measured_median_per_moment(
    app, client, make_user, auth, trainer
):
    with app.app_context():
        group = make.cohort(trainer)
        for person in make.participants(group, 5, start=10):
            make.fill(person, "intake")
            make.page_times(person, "intake", [60.0] * 7)
        db.session.commit()
        cohort_id = group.id
    pages = {"trainer": client.get(f"/trainer/cohorten/{cohort_id}/respons")}
    make_user("admin", "beheer@example.nl")
    auth.login("beheer@example.nl")
    pages["admin"] = client.get("/beheer/itemanalyse")
    for who, page in pages.items():
        assert page.status_code == 200, who
        assert "Invultijd per meetmoment" in page.text
        row = re.search(r'<tr data-moment="intake">(.*?)</tr>', page.text, re.S)
        assert row is not None, who
        assert "14 min" in row[1] and "7 min (mediaan, n = 5)" in row[1]
        assert "ongeveer 7 minuten" in row[1]
        exit_row = re.search(r'<tr data-moment="exit">(.*?)</tr>', page.text, re.S)
        assert exit_row is not None and "nog te weinig metingen (0)" in exit_row[1]
        assert "ongeveer 21 minuten (schatting)" in exit_row[1]
