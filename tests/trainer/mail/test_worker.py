"""The outbox and the mail worker: requests only queue, the worker sends, and a worker killed
mid-batch loses nothing and sends nothing twice (but for the one mail SMTP cannot settle)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from assess.db import db
from assess.models import Cohort, ErasureRequest, MailLog, MailOutbox, Participant
from assess.survey import erasure, tokens
from assess.trainer.mail import status as mail_status
from tests import factories as make
from tests.mail_server import free_port, gated_server, point_at, smtp_server, untouched_port
from tests.trainer.mail.conftest import work

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def world(app, mail_class, auth):
    """A signed-in trainer with a cohort of three; mail is set up, no server listens yet."""
    world = mail_class("anouk", "bram", "chantal")
    point_at(app, free_port())
    auth.login("trainer@example.nl")
    return world


@pytest.fixture
def big_class(app, mail_class, auth):
    """A signed-in trainer with a cohort of eight numbered participants."""
    world = mail_class()
    with app.app_context():
        make.participants(db.session.get(Cohort, world["cohort"]), 8)
        db.session.commit()
    point_at(app, free_port())
    auth.login("trainer@example.nl")
    return world


def queue(client, cohort, recipients="all", participant=""):
    return client.post(
        f"/trainer/mail/{cohort}/versturen",
        data={"moment": "intake", "recipients": recipients, "participant": participant},
    )


def statuses(app) -> Counter:
    with app.app_context():
        return Counter(db.session.scalars(db.select(MailOutbox.status)))


def message_ids(inbox) -> Counter:
    return Counter(m.message["Message-ID"] for m in inbox.messages)


def start_worker(app, *args: str) -> subprocess.Popen:
    """`flask --app assess mail-worker` in its own process, on the test's database and server."""
    config = app.config
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": config["SECRET_KEY"],
        "BASE_URL": config["BASE_URL"],
        "SMTP_HOST": config["SMTP_HOST"],
        "SMTP_PORT": str(config["SMTP_PORT"]),
        "SMTP_STARTTLS": "0",
        "SMTP_TIMEOUT": "5",
        "MAIL_FROM": config["MAIL_FROM"],
        "MAIL_POLL_SECONDS": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "assess", "mail-worker", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_the_request_only_queues_and_says_so(app, client, world):
    with untouched_port(app) as port:
        response = queue(client, world["cohort"])
        assert port.connections() == 0
    assert response.status_code == 302
    assert statuses(app) == {"queued": 3}
    page = client.get(response.headers["Location"])
    assert "3 mails in de wachtrij" in page.text
    assert page.text.count("in de wachtrij</span>") == 3
    assert 'data-refresh="5000"' in page.text


def test_once_drains_the_queue_and_the_page_shows_sent(app, client, world):
    queue(client, world["cohort"])
    with smtp_server(app) as inbox:
        result = work(app)
        assert result.exit_code == 0, result.output
        assert "Mail: 3 sent, 0 failed, 0 to retry later, 0 no longer needed." in result.output
        assert "Mail: 0 sent" in work(app).output
    assert len(inbox.messages) == 3
    assert statuses(app) == {"sent": 3}
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(MailLog)) == 3
    page = client.get(f"/trainer/mail/{world['cohort']}")
    assert page.text.count('"badge ok">verstuurd</span>') == 3
    assert "data-refresh" not in page.text


def test_the_message_id_is_the_outbox_key(app, client, world, inbox):
    queue(client, world["cohort"], "one", participant=world["anouk"])
    work(app)
    [received] = inbox.messages
    with app.app_context():
        [row] = db.session.scalars(db.select(MailOutbox)).all()
        assert received.message["Message-ID"] == row.message_id
        day = f"{mail_status.today():%Y%m%d}"
        assert row.message_id == f"<invitation.intake.{day}.{world['anouk']}@example.nl>"


def test_a_second_send_while_queued_adds_nothing(app, client, world):
    queue(client, world["cohort"])
    response = queue(client, world["cohort"], "one", participant=world["bram"])
    page = client.get(response.headers["Location"])
    assert "Staat al in de wachtrij, dus niet nog een keer: Bram Jansen." in page.text
    assert statuses(app) == {"queued": 3}
    # Those waiting are not "new" either.
    queue(client, world["cohort"], "new")
    assert statuses(app) == {"queued": 3}


def test_erasure_removes_the_persons_queued_mail(app, client, world, inbox):
    queue(client, world["cohort"])
    with app.app_context():
        counts = erasure.erase(db.session.get(Participant, world["anouk"]))
        db.session.commit()
    assert counts["mail_outbox"] == 1
    work(app)
    assert sorted(r for m in inbox.messages for r in m.recipients) == [
        "bram@delinde.example.nl",
        "chantal@delinde.example.nl",
    ]


def recipients(inbox) -> list[str]:
    return sorted(r for m in inbox.messages for r in m.recipients)


def ask_erasure(app, participant_id: int) -> None:
    """The participant asks to be erased (what /deelnemer/wissen does)."""
    with app.app_context():
        erasure.request_erasure(db.session.get(Participant, participant_id))
        db.session.commit()


def test_asking_for_erasure_cancels_the_persons_queued_mail_at_once(app, client, world, inbox):
    queue(client, world["cohort"])
    ask_erasure(app, world["anouk"])
    with app.app_context():
        [row] = db.session.scalars(
            db.select(MailOutbox).where(MailOutbox.participant_id == world["anouk"])
        ).all()
        assert (row.status, row.last_error) == ("skipped", erasure.CANCELLED)
    work(app)
    assert recipients(inbox) == ["bram@delinde.example.nl", "chantal@delinde.example.nl"]


def test_the_worker_asks_again_just_before_sending(app, client, world, inbox):
    """A request that came in without cancelling (it raced the queueing) still stops the mail."""
    queue(client, world["cohort"])
    with app.app_context():
        db.session.add(ErasureRequest(participant_id=world["anouk"]))
        db.session.commit()
    result = work(app)
    assert "2 sent, 0 failed, 0 to retry later, 1 no longer needed" in result.output
    assert recipients(inbox) == ["bram@delinde.example.nl", "chantal@delinde.example.nl"]
    with app.app_context():
        assert not db.session.scalars(
            db.select(MailLog).where(MailLog.participant_id == world["anouk"])
        ).all()


def test_send_to_all_skips_who_asked_for_erasure(app, client, world, inbox):
    ask_erasure(app, world["anouk"])
    preview = client.get(f"/trainer/mail/{world['cohort']}/versturen?moment=intake&recipients=all")
    assert "wissen aangevraagd" in preview.text
    queue(client, world["cohort"])
    assert statuses(app) == {"queued": 2}
    work(app)
    assert recipients(inbox) == ["bram@delinde.example.nl", "chantal@delinde.example.nl"]


def test_a_link_revoked_after_queueing_fails_at_sending_with_the_reason(app, client, world, inbox):
    queue(client, world["cohort"], "one", participant=world["anouk"])
    with app.app_context():
        tokens.revoke(db.session.get(Participant, world["anouk"]))
        db.session.commit()
    assert work(app).exit_code == 1
    assert inbox.messages == []
    page = client.get(f"/trainer/mail/{world['cohort']}")
    assert "geen geldige link: geef eerst een nieuwe link uit" in page.text


@pytest.mark.real_clock  # the worker is a process of its own
def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(app, client, big_class):
    queue(client, big_class["cohort"])
    assert statuses(app) == {"queued": 8}
    # The server holds the fifth conversation before it has the message; the worker dies there.
    with gated_server(app, hold_at=5, hold_in="rcpt") as inbox:
        worker = start_worker(app)
        try:
            assert inbox.reached.wait(90), "the worker never reached the held message"
            # Mid-conversation the worker holds no transaction: a trainer's save goes through
            # (on SQLite a held write lock would make it wait 15 s and fail).
            reset = client.post(f"/trainer/mail/{big_class['cohort']}/tekst/standaard")
            assert reset.status_code == 302
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
        assert statuses(app) == {"sent": 4, "sending": 1, "queued": 3}
        inbox.release.set()
        # The claim of the dead worker is older than the lease: the next run takes it over.
        app.config["MAIL_LEASE_SECONDS"] = 1
        time.sleep(1.5)
        assert work(app).exit_code == 0
    assert statuses(app) == {"sent": 8}
    assert len(inbox.messages) == 8
    assert set(message_ids(inbox).values()) == {1}
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(MailLog)) == 8


@pytest.mark.slow  # a worker process of its own: seconds to start
@pytest.mark.real_clock  # the worker is a process of its own
def test_a_worker_killed_after_the_server_took_the_mail_resends_it_with_the_same_message_id(
    app, client, big_class
):
    """The one duplicate SMTP forces: the server stored the mail, the worker died before it
    heard (and recorded) so. The resend carries the same Message-ID; nothing else repeats."""
    queue(client, big_class["cohort"])
    with gated_server(app, hold_at=3, hold_in="data") as inbox:
        worker = start_worker(app)
        try:
            assert inbox.reached.wait(90), "the worker never reached the held message"
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
        inbox.release.set()
        app.config["MAIL_LEASE_SECONDS"] = 1
        time.sleep(1.5)
        work(app)
    counts = message_ids(inbox)
    assert len(counts) == 8
    assert sorted(counts.values()) == [1] * 7 + [2]
    assert statuses(app) == {"sent": 8}


@pytest.mark.slow  # a worker process of its own: seconds to start
@pytest.mark.real_clock  # the worker is a process of its own
def test_sigterm_finishes_the_mail_in_hand_and_stops(app, client, big_class):
    queue(client, big_class["cohort"])
    with gated_server(app, hold_at=2, hold_in="rcpt") as inbox:
        worker = start_worker(app)
        assert inbox.reached.wait(90)
        worker.send_signal(signal.SIGTERM)
        inbox.release.set()
        output, _ = worker.communicate(timeout=120)
    assert worker.returncode == 0, output
    assert len(inbox.messages) == 2
    assert statuses(app) == {"sent": 2, "queued": 6}


@pytest.mark.slow  # a worker process of its own: seconds to start
@pytest.mark.real_clock  # the worker is a process of its own
def test_two_workers_side_by_side_send_each_mail_once(app, client, big_class):
    queue(client, big_class["cohort"])
    with smtp_server(app) as inbox:
        workers = [start_worker(app, "--once") for _ in range(2)]
        outputs = [w.communicate(timeout=240)[0] for w in workers]
        assert [w.returncode for w in workers] == [0, 0], outputs
    assert len(inbox.messages) == 8
    assert set(message_ids(inbox).values()) == {1}


def test_healthz_reports_the_mail_backlog(app, client, world):
    queue(client, world["cohort"])
    mail = client.get("/healthz").json["mail"]
    assert mail["queued"] == 3 and isinstance(mail["oldest_queued_seconds"], int)
    with smtp_server(app):
        work(app)
    assert client.get("/healthz").json["mail"] == {"queued": 0, "oldest_queued_seconds": None}
