"""AVG rights through the admin: download a participant's data, erase them completely, and see
every staff read of individual results in the audit log."""

from __future__ import annotations

import json
import os

import pytest
from sqlalchemy import func, select

from assess.db import db
from assess.models import (
    Answer,
    AuditEvent,
    ErasureCleanup,
    ErasureRequest,
    Participant,
    Response,
)
from assess.survey import tokens
from tests import factories as make

SECRET = "Mijn plan: elke vrijdag de buurtapp bijhouden met Ria"


@pytest.fixture
def world(app, password_hash):
    with app.app_context():
        org = make.organisation("Woonstichting Wis")
        trainer = make.staff("trainer", "trainer@example.nl", password_hash, "Tessa Trainer")
        make.staff("admin", "beheer@example.nl", password_hash, "Bea Beheer")
        group = make.running_cohort(trainer, "Leergang Wis")
        gone = make.respondent(group, org, "Wim Wissen", "wim@example.nl", SECRET, seed=1)
        stays = make.respondent(group, org, "Bo Blijft", "bo@example.nl", "blijft", seed=2)
        db.session.commit()
        return {"gone": gone.id, "stays": stays.id, "cohort": group.id}


def test_admin_sees_what_erasure_removes_before_confirming(client, auth, world):
    auth.login("beheer@example.nl")
    report = client.get(f"/trainer/cohorten/{world['cohort']}/deelnemers/{world['gone']}/rapport")
    assert f"/beheer/deelnemers/{world['gone']}/wissen" in report.text
    page = client.get(f"/beheer/deelnemers/{world['gone']}/wissen")
    assert page.status_code == 200
    assert "Wim Wissen" in page.text and "Ingevulde metingen: 2" in page.text
    assert "Definitief wissen" in page.text


def test_admin_erases_a_participant_completely(app, client, auth, world):
    auth.login("beheer@example.nl")
    response = client.post(f"/beheer/deelnemers/{world['gone']}/wissen")
    assert response.status_code == 302
    assert client.get(response.headers["Location"]).status_code == 200
    with app.app_context():
        assert db.session.get(Participant, world["gone"]) is None
        assert db.session.get(Participant, world["stays"]) is not None
        assert not db.session.scalar(select(func.count()).where(Answer.text == SECRET))
        assert (
            db.session.scalar(select(func.count()).where(Response.participant_id == world["gone"]))
            == 0
        )
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "participant_erased")
        ).one()
        assert event.target_id == world["gone"] and "Wim" not in (event.detail or "")


def test_admin_downloads_a_participants_data_and_the_read_is_logged(app, client, auth, world):
    auth.login("beheer@example.nl")
    response = client.get(f"/beheer/deelnemers/{world['gone']}/gegevens.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(response.data)
    assert data["name"] == "Wim Wissen" and data["stored"]["answer"]
    with app.app_context():
        assert db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "participant_data_exported")
        ).one()


@pytest.mark.parametrize("role", ["trainer", "manager"])
def test_only_an_admin_can_erase(app, client, auth, world, make_user, role):
    if role == "manager":
        make_user("manager", "m@example.nl", organisation="Woonstichting Wis")
    auth.login("trainer@example.nl" if role == "trainer" else "m@example.nl")
    assert client.post(f"/beheer/deelnemers/{world['gone']}/wissen").status_code == 403
    with app.app_context():
        assert db.session.get(Participant, world["gone"]) is not None


def test_staff_reads_of_individual_results_appear_in_the_audit_log(app, client, auth, world):
    auth.login("trainer@example.nl")
    cohort = world["cohort"]
    client.get(f"/trainer/cohorten/{cohort}/deelnemers/{world['stays']}/rapport")
    client.get(f"/trainer/cohorten/{cohort}/analyse")
    client.get(f"/trainer/cohorten/{cohort}/export?download=1&vorm=lang&formaat=csv")
    auth.logout()
    auth.login("beheer@example.nl")
    log = client.get("/beheer/audit").text
    for action in ("view_participant_report", "view_cohort_analysis", "export_responses"):
        assert action in log, action
    assert "trainer@example.nl" in log


def database_files(app) -> list:
    from pathlib import Path

    with app.app_context():
        path = Path(db.engine.url.database)
    return [Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm")]


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgresql"), reason="SQLite's own files"
)
def test_erased_text_is_in_no_byte_of_the_database_files(app, client, auth, world):
    auth.login("beheer@example.nl")
    before = b"".join(p.read_bytes() for p in database_files(app) if p.exists())
    assert SECRET.encode() in before and b"wim@example.nl" in before  # the control
    client.post(f"/beheer/deelnemers/{world['gone']}/wissen")
    for path in database_files(app):
        if path.exists():
            data = path.read_bytes()
            assert SECRET.encode() not in data, path.name
            assert b"wim@example.nl" not in data and b"Wim Wissen" not in data, path.name


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgresql"), reason="SQLite's own files"
)
def test_database_files_are_readable_by_the_app_only(app, client, world):
    client.get("/auth/login")
    found = [p for p in database_files(app) if p.exists()]
    assert len(found) == 3
    assert {p.name: oct(p.stat().st_mode & 0o777) for p in found} == {
        p.name: "0o600" for p in found
    }


@pytest.fixture
def gone_link(app, world):
    with app.app_context():
        return tokens.current_token(db.session.get(Participant, world["gone"]))


def audit_actions(app, participant_id: int) -> list[tuple[str, str]]:
    with app.app_context():
        return [
            (e.action, e.actor_type)
            for e in db.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.target_type == "participant")
                .where(AuditEvent.target_id == participant_id)
                .order_by(AuditEvent.id)
            )
        ]


def test_a_participant_asks_for_erasure_and_the_admin_carries_it_out(
    app, client, auth, world, gone_link
):
    wim = app.test_client()
    wim.get(f"/s/{gone_link}")
    home = wim.get("/deelnemer/").text
    assert "Vraag om je gegevens te wissen" in home
    assert "vraag het je trainer" not in home
    page = wim.get("/deelnemer/wissen")
    assert "AVG, artikel 17" in page.text and "Dit kan niet ongedaan worden gemaakt." in page.text
    response = wim.post("/deelnemer/wissen", follow_redirects=True)
    assert "Je verzoek is ontvangen." in response.text
    assert "Je hebt op" in response.text and "gevraagd om je gegevens te wissen" in response.text
    wim.post("/deelnemer/wissen")  # a second click adds nothing
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ErasureRequest)) == 1
    assert ("erasure_requested", "participant") in audit_actions(app, world["gone"])

    auth.login("beheer@example.nl")
    assert "Wisverzoeken" in client.get("/beheer/").text
    listing = client.get("/beheer/wisverzoeken").text
    assert "Wim Wissen" in listing and "Bo Blijft" not in listing
    confirm = client.get(f"/beheer/deelnemers/{world['gone']}/wissen").text
    assert "De deelnemer heeft hier zelf om gevraagd op" in confirm
    done = client.post(f"/beheer/deelnemers/{world['gone']}/wissen", follow_redirects=True)
    assert "Er zijn geen openstaande wisverzoeken." in done.text
    with app.app_context():
        assert db.session.get(Participant, world["gone"]) is None
        assert db.session.scalar(select(func.count()).select_from(ErasureRequest)) == 0
        erased = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "participant_erased")
        ).one()
        assert '"on_request": true' in erased.detail
    assert wim.get("/deelnemer/").status_code == 403  # the link is gone with the rest


def test_an_erasure_request_is_part_of_the_participants_data(app, world, gone_link):
    wim = app.test_client()
    wim.get(f"/s/{gone_link}")
    wim.post("/deelnemer/wissen")
    data = json.loads(wim.get("/deelnemer/mijn-gegevens.json").data)
    assert len(data["stored"]["erasure_request"]) == 1


def test_an_erased_participants_id_is_never_given_to_the_next_one(app, client, auth, world):
    """SQLite hands out the id of the last row deleted again unless the table says
    AUTOINCREMENT: the audit log then named the new person for the erased one's events, and
    erasing the new person overwrote the record of the first erasure."""
    with app.app_context():
        last = make.participant(world["cohort"], "Lot Laatst", "lot@example.nl", code="LAATST1")
        db.session.commit()
        last_id = last.id
    auth.login("beheer@example.nl")
    client.get(f"/beheer/deelnemers/{last_id}/gegevens.json")  # an event about Lot
    client.post(f"/beheer/deelnemers/{last_id}/wissen")
    with app.app_context():
        new = make.participant(world["cohort"], "Nina Nieuw", "nina@example.nl", code="NIEUW01")
        db.session.commit()
        new_id = new.id
    assert new_id > last_id

    log = client.get("/beheer/audit").text
    assert "Nina Nieuw" not in log  # Lot's events name nobody, Nina has none yet
    assert f"deelnemer {last_id} (bestaat niet meer)" in log

    client.post(f"/beheer/deelnemers/{new_id}/wissen")
    with app.app_context():
        erased = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "participant_erased")
            .order_by(AuditEvent.id)
        ).all()
    assert [e.target_id for e in erased] == [last_id, new_id]
    assert all('"rows"' in (e.detail or "") for e in erased)  # neither overwritten


def test_the_audit_log_names_a_participant_only_for_their_own_events(app, client, auth, world):
    """An event keeps the code of the participant it was about: should the participant under
    its id be someone else (an id reused before the migration), the log does not name them."""
    auth.login("beheer@example.nl")
    client.get(f"/beheer/deelnemers/{world['stays']}/gegevens.json")
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "participant_data_exported")
        ).one()
        assert json.loads(event.detail)["code"] == db.session.get(Participant, world["stays"]).code
        assert "Bo Blijft" in client.get("/beheer/audit").text
        # The id now belongs to someone else, as it could on SQLite before AUTOINCREMENT.
        db.session.get(Participant, world["stays"]).code = "ANDER01"
        db.session.commit()
    log = client.get("/beheer/audit").text
    assert "Bo Blijft" not in log
    assert f"deelnemer {world['stays']} (bestaat niet meer)" in log


def raw_bytes(app) -> bytes:
    return b"".join(p.read_bytes() for p in database_files(app) if p.exists())


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgresql"), reason="SQLite's own files"
)
def test_an_erasure_is_nog_bezig_while_a_reader_keeps_the_old_pages_in_the_wal(
    app_config, app, client, auth, world
):
    """A reader in a transaction keeps the WAL from being truncated: the erasure then says it
    is not finished, and the cron job finishes it once the reader is gone."""
    app.config["ERASURE_CHECKPOINT_SECONDS"] = 0.2
    import sqlite3

    reader = sqlite3.connect(database_files(app)[0], isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT name FROM participant WHERE id = ?", (world["gone"],)).fetchone()
    try:
        auth.login("beheer@example.nl")
        done = client.post(f"/beheer/deelnemers/{world['gone']}/wissen", follow_redirects=True)
        assert "het wissen is nog bezig" in done.text
        assert "nog bezig" in client.get("/beheer/wisverzoeken").text
        assert SECRET.encode() in raw_bytes(app)  # the control: still in the files
        assert app.test_cli_runner().invoke(args=["finish-erasures"]).exit_code == 1
    finally:
        reader.close()
    result = app.test_cli_runner().invoke(args=["finish-erasures"])
    assert result.exit_code == 0, result.output
    assert "nog bezig" not in client.get("/beheer/wisverzoeken").text
    data = raw_bytes(app)
    for trace in (SECRET, "wim@example.nl", "Wim Wissen"):
        assert trace.encode() not in data, trace


def test_the_admin_retries_an_unfinished_erasure_from_the_page(app, client, auth, world):
    """Where no reader holds the files (and on PostgreSQL, after VACUUM) the retry finishes."""
    with app.app_context():
        db.session.add(ErasureCleanup(participants=1))
        db.session.commit()
    auth.login("beheer@example.nl")
    assert "nog bezig" in client.get("/beheer/wisverzoeken").text
    done = client.post("/beheer/wisverzoeken/afronden", follow_redirects=True)
    assert "Het wissen is afgerond" in done.text and "nog bezig" not in done.text
