"""Reminders: who gets one on which day, and the `send-reminders` command for cron."""

from datetime import timedelta

import pytest

from assess.db import db
from assess.models import Cohort, MailLog, MailOutbox, Participant
from assess.survey import erasure, questionnaires, responses, tokens
from assess.trainer.mail import reminders
from tests import factories as make
from tests.factories import TODAY
from tests.mail_server import down_server, smtp_server

# Depends on the date: CI runs it again on the hard days (.ci/run).
pytestmark = pytest.mark.calendar

WEEK_BEFORE = TODAY  # the mail cohort's intake closes seven days after TODAY


@pytest.fixture
def world(mail_class):
    return mail_class("anouk", "bram")


def due_names(app, day):
    with app.app_context():
        return [d.name for d in reminders.due(day)]


def submit_intake(app, participant_id):
    with app.app_context():
        q = questionnaires.get("leergang-woonconsulent")
        responses.submit(responses.get_or_create(q, "intake", participant_id=participant_id))
        db.session.commit()


def run(runner, *args):
    return runner.invoke(args=["send-reminders", *args])


def remind(runner, *args):
    """send-reminders from cron, followed by the mail worker's one-shot run."""
    result = run(runner, *args)
    runner.invoke(args=["mail-worker", "--once"])
    return result


@pytest.mark.parametrize(
    "days_before, due",
    [(8, False), (7, True), (5, False), (2, True), (0, False), (-1, False)],
)
def test_reminders_fall_on_the_configured_days_before_the_deadline(app, world, days_before, due):
    deadline = TODAY + timedelta(days=7)
    names = due_names(app, deadline - timedelta(days=days_before))
    assert names == (["Anouk de Vries", "Bram Jansen"] if due else [])


def test_reminder_days_come_from_the_configuration(app, world):
    app.config["REMINDER_DAYS"] = "3, 1"
    deadline = TODAY + timedelta(days=7)
    assert due_names(app, deadline - timedelta(days=7)) == []
    assert len(due_names(app, deadline - timedelta(days=3))) == 2


def test_nobody_who_submitted_gets_a_reminder(app, world):
    submit_intake(app, world["anouk"])
    assert due_names(app, WEEK_BEFORE) == ["Bram Jansen"]


def test_archived_cohorts_closed_windows_and_windows_not_yet_open_get_none(app, world):
    with app.app_context():
        cohort = db.session.get(Cohort, world["cohort"])
        cohort.window("intake").opens_on = TODAY + timedelta(days=1)
        db.session.commit()
    assert due_names(app, WEEK_BEFORE) == []
    with app.app_context():
        cohort = db.session.get(Cohort, world["cohort"])
        cohort.window("intake").opens_on = None
        cohort.window("intake").enabled = False
        db.session.commit()
    assert due_names(app, WEEK_BEFORE) == []
    with app.app_context():
        cohort = db.session.get(Cohort, world["cohort"])
        cohort.window("intake").enabled = True
        cohort.archived = True
        db.session.commit()
    assert due_names(app, WEEK_BEFORE) == []


def test_send_reminders_mails_each_participant_once_a_day(app, runner, world, inbox):
    result = run(runner, "--today", WEEK_BEFORE.isoformat())
    assert result.exit_code == 0, result.output
    assert "Reminders for 2026-03-02: 2 queued, 0 failed, 0 skipped." in result.output
    assert inbox.messages == []
    runner.invoke(args=["mail-worker", "--once"])
    assert sorted(r for m in inbox.messages for r in m.recipients) == [
        "anouk@delinde.example.nl",
        "bram@delinde.example.nl",
    ]
    [anouk] = inbox.to("anouk@delinde.example.nl")
    assert anouk.message["Subject"] == "Herinnering: zelfscan Leergang voorjaar 2026, de voormeting"
    assert (
        "Je hebt de voormeting van de zelfscan voor Leergang voorjaar 2026 nog niet" in anouk.text
    )
    assert "maandag 9 maart 2026" in anouk.text and "maandag 9 maart 2026" in anouk.html
    with app.app_context():
        link = anouk.text.split("http://zelfscan.test/s/", 1)[1].split()[0]
        assert tokens.find(link).id == world["anouk"]
    again = remind(runner, "--today", WEEK_BEFORE.isoformat())
    assert "0 queued" in again.output
    assert len(inbox.messages) == 2


def test_send_reminders_twice_in_a_row_queues_nothing_new(app, runner, world, inbox):
    first = run(runner, "--today", WEEK_BEFORE.isoformat())
    second = run(runner, "--today", WEEK_BEFORE.isoformat())
    assert "2 queued" in first.output
    assert "Reminders for 2026-03-02: 0 queued, 0 failed, 0 skipped." in second.output
    with app.app_context():
        assert len(db.session.scalars(db.select(MailOutbox)).all()) == 2


def test_a_reminder_queued_before_the_participant_submitted_is_not_sent(app, runner, world, inbox):
    run(runner, "--today", WEEK_BEFORE.isoformat())
    submit_intake(app, world["anouk"])
    result = runner.invoke(args=["mail-worker", "--once"])
    assert "1 sent, 0 failed, 0 to retry later, 1 no longer needed" in result.output
    assert [m.recipients for m in inbox.messages] == [["bram@delinde.example.nl"]]


def test_after_submitting_the_next_reminder_day_passes_you_by(app, runner, world, inbox):
    remind(runner, "--today", WEEK_BEFORE.isoformat())
    submit_intake(app, world["anouk"])
    remind(runner, "--today", (TODAY + timedelta(days=5)).isoformat())
    assert [m.recipients for m in inbox.messages[2:]] == [["bram@delinde.example.nl"]]


def test_dry_run_lists_what_it_would_send_and_sends_nothing(app, runner, world, inbox):
    with app.app_context():
        tokens.revoke(db.session.get(Participant, world["bram"]))
        db.session.commit()
    result = run(runner, "--dry-run", "--today", WEEK_BEFORE.isoformat())
    assert result.exit_code == 0
    assert "would send   Leergang voorjaar 2026 · voormeting · Anouk de Vries" in result.output
    assert "would fail: geen geldige link: geef eerst een nieuwe link uit" in result.output
    assert "Dry run for 2026-03-02: 2 reminder(s) due; nothing was sent." in result.output
    assert inbox.messages == []
    with app.app_context():
        assert db.session.scalars(db.select(MailLog)).all() == []


def test_who_asked_for_erasure_gets_no_reminder_and_is_not_listed(app, runner, world, inbox):
    with app.app_context():
        erasure.request_erasure(db.session.get(Participant, world["bram"]))
        db.session.commit()
    dry = run(runner, "--dry-run", "--today", WEEK_BEFORE.isoformat())
    assert "Anouk de Vries" in dry.output and "Bram" not in dry.output
    result = remind(runner, "--today", WEEK_BEFORE.isoformat())
    assert "1 queued, 0 failed, 0 skipped" in result.output
    assert [m.recipients for m in inbox.messages] == [["anouk@delinde.example.nl"]]


def test_failed_reminders_are_reported_and_a_rerun_that_day_sends_them(app, runner, world):
    app.config.update(MAIL_MAX_ATTEMPTS=1)
    with app.app_context():
        tokens.revoke(db.session.get(Participant, world["bram"]))
        db.session.commit()
    with down_server(app):
        queued = run(runner, "--today", WEEK_BEFORE.isoformat())
        worked = runner.invoke(args=["mail-worker", "--once"])
    assert queued.exit_code == 1
    assert (
        "failed       Leergang voorjaar 2026 · voormeting · Bram Jansen: geen geldige link"
        in queued.output
    )
    assert worked.exit_code == 1
    assert "stopped: mailserver niet bereikbaar" in worked.output
    with app.app_context():
        tokens.issue(db.session.get(Participant, world["bram"]))
        db.session.commit()
    with smtp_server(app) as inbox:
        remind(runner, "--today", WEEK_BEFORE.isoformat())
        remind(runner, "--today", WEEK_BEFORE.isoformat())
    assert len(inbox.messages) == 2


def test_without_smtp_the_command_refuses_but_a_dry_run_works(app, runner, world):
    app.config["SMTP_HOST"] = None
    result = run(runner, "--today", WEEK_BEFORE.isoformat())
    assert result.exit_code == 1
    assert "SMTP_HOST is not set: no reminders sent" in result.output
    assert run(runner, "--dry-run", "--today", WEEK_BEFORE.isoformat()).exit_code == 0


def test_a_bad_date_gets_a_clear_message(runner, world):
    result = run(runner, "--today", "9-3-2026")
    assert result.exit_code == 2
    assert "'9-3-2026' does not match the format '%Y-%m-%d'" in result.output


def test_reminders_cover_every_open_moment_of_every_cohort(app, make_user, world, inbox):
    other = make_user("trainer", "ander@example.nl")
    with app.app_context():
        second = make.mail_cohort(other, name="Leergang najaar 2026")
        make.participant(second, "Karim El Amrani", "karim@hetbaken.example.nl")
        db.session.commit()
    assert due_names(app, WEEK_BEFORE) == ["Anouk de Vries", "Bram Jansen", "Karim El Amrani"]
