"""The database under pressure: concurrent writers on SQLite, double submits, and an outage
that gives the Dutch 503 page, leaves nothing half-written and heals by itself."""

from __future__ import annotations

import os
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask import Blueprint, current_app
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from assess import create_app
from assess.db import db
from assess.engine import score_response, simulate_answers
from assess.models import Answer, AuditEvent, Participant, Response, Score, User
from assess.survey import questionnaires, responses
from assess.web import audit, database
from benchmarks.harness import TcpProxy
from tests import factories as make
from tests.web.sqlite_writer import SqliteWriter

POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgresql")

probe = Blueprint("probe", __name__, url_prefix="/_probe")


@probe.post("/increment")
def increment():
    """Read a number, then write it back plus one: the pattern that deadlocks deferred SQLite."""
    user = db.session.scalars(select(User)).first()
    user.session_version = user.session_version + 1
    db.session.commit()
    return "ok"


@probe.post("/read-then-write")
@database.reads_first
def read_then_write():
    """Read first without the write lock, then increment under it, as a survey page save does."""
    db.session.scalars(select(User)).first()
    database.start_writing()
    user = db.session.scalars(select(User)).first()
    user.session_version = user.session_version + 1
    db.session.commit()
    return "ok"


# The increment probe as a reads_first view that forgets start_writing().
probe.add_url_rule(
    "/write-too-early", "write_too_early", database.reads_first(increment), methods=["POST"]
)


@probe.get("/audited-read")
def audited_read():
    """Read, then record the read: the pattern of the cohort analysis and every export."""
    db.session.scalar(select(User.session_version))
    audit.read("probe_read", "user", 1)
    return "ok"


@probe.get("/write-in-a-get")
def write_in_a_get():
    """A GET that writes in its read transaction, as the audited views did before issue 13."""
    db.session.scalar(select(User.session_version))
    audit.record("probe_read", "user", 1)
    db.session.commit()
    return "ok"


@probe.post("/submit/<int:participant_id>")
def submit(participant_id: int):
    """Save a whole intake and submit it, as the survey's last page does."""
    q = questionnaires.get(make.INSTRUMENT)
    response = responses.get_or_create(q, "intake", participant_id=participant_id)
    if response.status == "draft":
        responses.save_answers(response, simulate_answers(q, "intake", random.Random(1), 0.5))
    first = responses.submit(response)
    db.session.commit()
    return "first" if first else "again"


@probe.post("/save/<int:participant_id>")
def save(participant_id: int):
    """Save a page in two steps, with the database failing in between."""
    q = questionnaires.get(make.INSTRUMENT)
    answers = list(simulate_answers(q, "intake", random.Random(2), 0.5).items())
    response = responses.get_or_create(q, "intake", participant_id=participant_id)
    responses.save_answers(response, dict(answers[:5]))
    current_app.config["MIDWAY"]()
    responses.save_answers(response, dict(answers[5:]))
    db.session.commit()
    return "ok"


@probe.get("/trainer")
def staff_page():
    """A page for whoever is logged in, that reads the database."""
    return str(db.session.scalar(select(func.count(Response.id))))


def with_probe(app):
    app.register_blueprint(probe)
    return app


def test_sqlite_connections_use_wal_a_busy_timeout_and_foreign_keys(app_config, tmp_path):
    app = create_app({**app_config, "DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}"})
    with app.app_context():
        pragmas = {
            name: db.session.execute(text(f"PRAGMA {name}")).scalar()
            for name in ("journal_mode", "busy_timeout", "foreign_keys")
        }
        db.engine.dispose()
    assert pragmas == {"journal_mode": "wal", "busy_timeout": 15000, "foreign_keys": 1}


@pytest.fixture
def sqlite_probe(app_config, tmp_path, password_hash):
    """The app with the probe routes on a file SQLite database holding one user."""
    app = with_probe(create_app({**app_config, "DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}"}))
    with app.app_context():
        db.create_all()
        db.session.add(User(email="t@example.nl", role="trainer", password_hash=password_hash))
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def hammer(app, path: str, clients: int = 6, posts: int = 15) -> list[int]:
    """Several clients at once, each posting to `path` in turn; all the status codes."""

    def one(_):
        client = app.test_client()
        return [client.post(path).status_code for _ in range(posts)]

    with ThreadPoolExecutor(clients) as pool:
        return [code for batch in pool.map(one, range(clients)) for code in batch]


def session_version(app) -> int:
    with app.app_context():
        return db.session.scalar(select(User.session_version))


def test_concurrent_read_then_write_requests_on_sqlite_all_succeed_and_lose_nothing(
    sqlite_probe,
):
    codes = hammer(sqlite_probe, "/_probe/increment")
    # BEGIN IMMEDIATE queues the writers; a deferred BEGIN would fail some with "locked".
    assert codes == [200] * 90
    assert session_version(sqlite_probe) == 1 + 90


def test_reads_first_requests_on_sqlite_take_the_write_lock_late_and_lose_nothing(sqlite_probe):
    codes = hammer(sqlite_probe, "/_probe/read-then-write")
    assert codes == [200] * 90
    assert session_version(sqlite_probe) == 1 + 90
    # A write before start_writing() is refused outright (it could fail now and then with
    # "database is locked" under load) and stores nothing.
    assert sqlite_probe.test_client().post("/_probe/write-too-early").status_code == 500
    assert session_version(sqlite_probe) == 1 + 90


def test_audited_reads_succeed_and_are_audited_once_while_others_keep_writing(sqlite_probe):
    """A class submits while the trainer reloads the analysis: every read answers and is on
    record exactly once (before the rule, most of these GETs were a 503)."""
    app = sqlite_probe

    def one(n):
        client = app.test_client()
        if n % 2:
            return [client.post("/_probe/increment").status_code for _ in range(15)]
        return [client.get("/_probe/audited-read").status_code for _ in range(15)]

    with ThreadPoolExecutor(6) as pool:
        codes = [code for batch in pool.map(one, range(6)) for code in batch]
    assert codes == [200] * 90
    assert session_version(app) == 1 + 45
    with app.app_context():
        audited = db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "probe_read")
        )
    assert audited == 45


def test_a_get_that_writes_outside_writing_is_refused_on_every_database(app, make_user):
    with_probe(app)
    make_user("trainer")
    client = app.test_client()
    # Refused every time, not only when another request happened to commit in between.
    assert client.get("/_probe/write-in-a-get").status_code == 500
    assert client.get("/_probe/audited-read").status_code == 200
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions == ["probe_read"]


def test_rescoring_on_sqlite_succeeds_while_participants_keep_submitting(app_config, tmp_path):
    path = tmp_path / "a.db"
    app = create_app({**app_config, "DATABASE_URL": f"sqlite:///{path}"})
    with app.app_context():
        db.create_all()
        ids = make.open_cohort(30, submitted=30)
        participant = db.session.get(Participant, ids[0])
        writer = SqliteWriter(str(path), participant.cohort_id, participant.organisation_id)
    writer.start()
    try:
        with app.app_context():
            # Small batches: many read-then-write transactions racing the writer's commits.
            done = responses.rescore(batch=5)
            db.engine.dispose()
    finally:
        writer.stop()
    assert writer.error is None and writer.committed > 0
    assert done == 30


def test_double_click_and_two_tabs_submit_one_response_once(app):
    with_probe(app)
    with app.app_context():
        (participant_id,) = make.open_cohort(1)
    barrier = threading.Barrier(4)

    def click(_):
        client = app.test_client()
        barrier.wait(timeout=10)
        response = client.post(f"/_probe/submit/{participant_id}")
        return response.status_code, response.text

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(click, range(4)))
    with app.app_context():
        rows = db.session.scalars(select(Response).filter_by(participant_id=participant_id)).all()
        scores = db.session.scalar(select(func.count(Score.id)))
        answers = db.session.scalar(select(func.count(Answer.id)))
        q = questionnaires.get(make.INSTRUMENT)
        expected_scores = len(
            score_response(q, simulate_answers(q, "intake", random.Random(1), 0.5), "intake").rows()
        )
    assert [code for code, _ in results] == [200] * 4
    assert sorted(body for _, body in results) == ["again"] * 3 + ["first"]
    assert len(rows) == 1 and rows[0].status == "submitted"
    assert scores == expected_scores and answers > 0


@pytest.fixture
def outage(app, app_config, tmp_path, database_url):
    """(app, cut, restore, fail_midway): an app whose database can be taken away and brought back."""
    if POSTGRES:
        proxy = TcpProxy(make_url(database_url).port or 5432).start()
        url = make_url(database_url).set(port=proxy.port).render_as_string(hide_password=False)
        broken = with_probe(create_app({**app_config, "DATABASE_URL": url}))
        yield broken, proxy.stop, proxy.start, proxy.stop
        proxy.stop()
    else:
        folder = tmp_path / "data"
        folder.mkdir()
        url = f"sqlite:///{folder / 'assess.db'}"
        broken = with_probe(create_app({**app_config, "DATABASE_URL": url}))
        with broken.app_context():
            db.create_all()
        away = Path(f"{folder}.away")

        def cut():
            # Open connections keep an unlinked file readable; new ones find nothing.
            folder.rename(away)
            with broken.app_context():
                db.engine.dispose()

        def fail_midway():
            # A file that vanishes stays readable through open handles; a driver error in
            # the middle of the transaction stands in for the disk failing under it.
            db.session.execute(text("SELECT * FROM table_gone_with_the_disk"))

        def restore():
            if away.exists():
                away.rename(folder)

        yield broken, cut, restore, fail_midway
    with broken.app_context():
        db.session.remove()
        db.engine.dispose()


def test_database_outage_gives_the_dutch_503_page_and_heals_by_itself(outage, make_user):
    app, cut, restore, _ = outage
    with app.app_context():
        (participant_id,) = make.open_cohort(1)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200

    cut()
    down = client.post(f"/_probe/submit/{participant_id}")
    health = client.get("/healthz")
    restore()
    back = client.post(f"/_probe/submit/{participant_id}")

    assert down.status_code == 503
    assert "Even niet beschikbaar" in down.text and "niets half opgeslagen" in down.text
    assert health.status_code == 503 and health.json == {"status": "error"}
    assert back.status_code == 200 and back.text == "first"


@pytest.mark.skipif(not POSTGRES, reason="the pool check is PostgreSQL's")
def test_a_connection_cut_while_idle_is_replaced_before_a_request_uses_it(outage):
    """A database restart a moment after the last request: the first participant after it is
    served (not the 503 page), because a connection the server closed is noticed before use."""
    app, cut, restore, _ = outage
    with app.app_context():
        (participant_id,) = make.open_cohort(1)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200  # a connection now waits in the pool

    cut()
    restore()
    back = client.post(f"/_probe/submit/{participant_id}")

    assert back.status_code == 200 and back.text == "first"


@pytest.mark.skipif(not POSTGRES, reason="the pool check is PostgreSQL's")
def test_a_busy_connection_is_not_pinged_before_every_request(app, monkeypatch):
    """The check costs a round trip, so a connection used a moment ago goes without it."""
    with app.app_context():
        dialect = db.engine.dialect
    pings = []
    ping = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda connection: pings.append(1) or ping(connection))
    client = app.test_client()
    for _ in range(5):
        assert client.get("/healthz").status_code == 200
    assert pings == []

    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0.05)
    time.sleep(0.1)
    assert client.get("/healthz").status_code == 200
    assert pings == [1]


def test_database_lost_in_the_middle_of_a_save_leaves_nothing_half_written(outage):
    app, _, restore, fail_midway = outage
    with app.app_context():
        (participant_id,) = make.open_cohort(1)
    app.config["MIDWAY"] = fail_midway

    down = app.test_client().post(f"/_probe/save/{participant_id}")
    restore()
    app.config["MIDWAY"] = lambda: None
    with app.app_context():
        left = db.session.scalar(select(func.count(Answer.id)))
        started = db.session.scalar(select(func.count(Response.id)))

    assert down.status_code == 503
    assert left == 0 and started == 0
    assert app.test_client().post(f"/_probe/save/{participant_id}").status_code == 200


def test_logged_in_staff_get_the_503_page_too(outage, password_hash):
    app, cut, restore, _ = outage
    with app.app_context():
        make.open_cohort(1, password_hash=password_hash)
    client = app.test_client()
    login = client.post(
        "/auth/login", data={"email": "t@example.nl", "password": "een-goed-wachtwoord"}
    )
    assert login.status_code == 302

    cut()
    down = client.get("/_probe/trainer")
    restore()

    assert down.status_code == 503
    assert "Even niet beschikbaar" in down.text
    assert client.get("/_probe/trainer").status_code == 200
