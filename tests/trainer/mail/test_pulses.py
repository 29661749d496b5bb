"""Pulse mails: one personal mail per participant per pulse through the outbox, even when
cron or the worker runs twice; none after someone stopped them or for a closed pulse."""

from datetime import timedelta

import pytest

from assess import clock
from assess.db import db
from assess.models import Cohort, MailOutbox, Participant, Pulse, PulseStop
from assess.survey import erasure
from tests import factories as make
from tests.trainer.mail.conftest import work

# Depends on the date: CI runs it again on the hard days (.ci/run).
pytestmark = pytest.mark.calendar

TODAY = clock.today()


@pytest.fixture
def world(app, mail_class):
    """Anouk and Bram; their cohort's pulse is on and this week's pulse opened yesterday."""
    ids = mail_class("anouk", "bram")
    with app.app_context():
        cohort = db.session.get(Cohort, ids["cohort"])
        weeks = make.pulse_schedule(
            cohort,
            TODAY - timedelta(days=1),
            TODAY + timedelta(days=30),
            weekday=(TODAY - timedelta(days=1)).weekday(),
            days_open=3,
            today=TODAY - timedelta(days=2),
        )
        db.session.commit()
        ids["pulse"] = weeks[0].id
    return ids


def send(runner, *args):
    return runner.invoke(args=["send-pulses", *args])


def test_each_participant_gets_one_personal_pulse_mail(app, runner, world, inbox) -> None:
    result = send(runner)
    assert result.exit_code == 0, result.output
    assert "2 queued" in result.output
    work(app)
    assert sorted(r for m in inbox.messages for r in m.recipients) == [
        "anouk@delinde.example.nl",
        "bram@delinde.example.nl",
    ]
    [anouk] = inbox.to("anouk@delinde.example.nl")
    assert "Weekpuls" in anouk.message["Subject"]
    body = anouk.message.get_body(("plain",)).get_content()
    assert "Beste Anouk de Vries" in body
    assert "/s/" in body  # the personal link


def test_cron_and_worker_twice_send_each_pulse_mail_once(app, runner, world, inbox) -> None:
    send(runner)
    second = send(runner)
    assert "0 queued" in second.output
    work(app)
    work(app)
    send(runner)
    work(app)
    assert len(inbox.messages) == 2
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(MailOutbox)) == 2


def test_dry_run_lists_and_sends_nothing(app, runner, world, inbox) -> None:
    result = send(runner, "--dry-run")
    assert "would send" in result.output and "2 pulse mail(s) due" in result.output
    work(app)
    assert inbox.messages == []
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(MailOutbox)) == 0


def test_no_pulse_mail_after_stopping_or_asking_for_erasure(app, runner, world, inbox) -> None:
    with app.app_context():
        db.session.add(PulseStop(participant_id=world["anouk"]))
        erasure.request_erasure(db.session.get(Participant, world["bram"]))
        db.session.commit()
    result = send(runner)
    assert "0 queued" in result.output
    work(app)
    assert inbox.messages == []


def test_a_mail_queued_before_stopping_is_not_sent(app, runner, world, inbox) -> None:
    send(runner)
    with app.app_context():
        db.session.add(PulseStop(participant_id=world["anouk"]))
        db.session.commit()
    work(app)
    assert [m.recipients for m in inbox.messages] == [["bram@delinde.example.nl"]]


def test_a_mail_queued_before_asking_for_erasure_is_not_sent(app, runner, world, inbox) -> None:
    assert "2 queued" in send(runner).output
    with app.app_context():
        erasure.request_erasure(db.session.get(Participant, world["bram"]))
        db.session.commit()
    work(app)
    assert [m.recipients for m in inbox.messages] == [["anouk@delinde.example.nl"]]


def test_a_mail_queued_before_answering_is_not_sent(app, runner, world, inbox) -> None:
    send(runner)
    with app.app_context():
        week = db.session.get(Pulse, world["pulse"])
        make.pulse_answer(db.session.get(Participant, world["anouk"]), week)
        db.session.commit()
    work(app)
    assert [m.recipients for m in inbox.messages] == [["bram@delinde.example.nl"]]


def test_no_mail_for_a_closed_pulse_or_a_switched_off_schedule(app, runner, world, inbox) -> None:
    # Four days later this week's pulse has closed and the next one has not opened.
    result = send(runner, "--today", (TODAY + timedelta(days=3)).isoformat())
    assert "0 queued" in result.output
    with app.app_context():
        cohort = db.session.get(Cohort, world["cohort"])
        make.pulse_schedule(
            cohort,
            TODAY - timedelta(days=1),
            TODAY + timedelta(days=30),
            enabled=False,
            today=TODAY,
        )
        db.session.commit()
    assert "0 queued" in send(runner).output
    work(app)
    assert inbox.messages == []


def test_the_trainer_sees_how_the_pulse_mails_stand(app, client, auth, runner, world, inbox):
    send(runner)
    work(app)
    auth.login("trainer@example.nl")
    page = client.get(f"/trainer/cohorten/{world['cohort']}/weekpuls").get_data(as_text=True)
    assert "2 verstuurd, 0 in de wachtrij, 0 mislukt." in page
