"""AVG rights: a participant's data exported and erased completely, and the register of
personal-data tables kept in step with the schema."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Table, func, select

from assess.db import db
from assess.models import AuditEvent, Participant
from assess.reports import personal_data
from assess.survey import erasure, questionnaires
from tests import factories as make

SECRET = "Mijn geheime actieplan: ik bel Ria van de wijkagent op dinsdag"
PERSON_TABLES = ("participant", "user")
# Columns that point at a person without a foreign key; a table with one of them must be in
# the register too (the audit trail is the one such table today).
LOOSE_PERSON_COLUMNS = {"participant_id", "user_id", "actor_id", "target_id", "email"}


def tables() -> dict[str, Table]:
    return dict(db.metadata.tables)


def linked_to(target: str) -> set[str]:
    """Every table with a foreign-key path (child to parent) to the target table."""
    found = {target}
    changed = True
    while changed:
        changed = False
        for name, table in tables().items():
            if name not in found and any(
                fk.column.table.name in found for fk in table.foreign_keys
            ):
                found.add(name)
                changed = True
    return found


def rows_of(table: Table, participant_id: int, seen: frozenset = frozenset()):
    """A WHERE clause for the rows of `table` that belong to the participant, from the schema."""
    if table.name == "participant":
        return table.c.id == participant_id
    paths = linked_to("participant")
    clauses = [
        table.c[fk.parent.name].in_(
            select(fk.column).where(rows_of(fk.column.table, participant_id, seen | {table.name}))
        )
        for fk in table.foreign_keys
        if fk.column.table.name in paths and fk.column.table.name not in seen
    ]
    return db.or_(*clauses)


def count_of(name: str, participant_id: int) -> int:
    table = tables()[name]
    return db.session.scalar(
        select(func.count()).select_from(table).where(rows_of(table, participant_id))
    )


@pytest.fixture
def people(app, password_hash):
    """Two participants in one cohort with answers, mail, audit rows and a manager's release
    that counted them; returns their ids."""
    with app.app_context():
        org = make.organisation("Woonstichting Privé")
        trainer = make.staff("trainer", "trainer@example.nl", password_hash, "Tessa Trainer")
        group = make.running_cohort(trainer, "Leergang AVG")
        anna = make.respondent(
            group,
            org,
            "Anna Geheim",
            "anna@privé.example.nl",
            SECRET,
            seed=1,
            erasure_requested=True,
        )
        bob = make.respondent(
            group,
            org,
            "Bob Blijft",
            "bob@example.nl",
            "Bob zijn plan",
            seed=2,
            erasure_requested=True,
        )
        make.audit_trail(anna, trainer)
        make.audit_trail(bob, trainer)
        db.session.commit()
        make.released([anna, bob])  # a manager's release counted them
        return anna.id, bob.id


def test_register_covers_every_table_linked_to_a_person(app):
    with app.app_context():
        linked = set().union(*(linked_to(t) for t in PERSON_TABLES))
        loose = {
            name
            for name, table in tables().items()
            if not table.foreign_keys and LOOSE_PERSON_COLUMNS & set(table.c.keys())
        }
        covered = set(erasure.personal_tables()) | set(erasure.NOT_PARTICIPANT_DATA)
        missing = sorted((linked | loose) - covered)
        assert not missing, (
            f"tables {missing} hold data linked to a person but are not in"
            " assess/survey/erasure.py: add them to PARTICIPANT_DATA (export and erasure)"
            " or, with the reason, to NOT_PARTICIPANT_DATA"
        )
        wrongly_exempt = sorted(linked_to("participant") & set(erasure.NOT_PARTICIPANT_DATA))
        assert not wrongly_exempt, f"{wrongly_exempt} link to a participant: they must be erased"
        assert set(erasure.PARTICIPANT_DATA) >= linked_to("participant")
        stale = covered - set(tables())
        assert not stale, f"erasure.py names tables that no longer exist: {sorted(stale)}"
        for name, (model, _rows) in erasure.PARTICIPANT_DATA.items():
            assert model.__tablename__ == name


def test_export_holds_every_row_linked_to_the_participant(app, people):
    anna, _bob = people
    with app.app_context():
        stored = personal_data.export(db.session.get(Participant, anna), questionnaires.registry())[
            "stored"
        ]
        for name in sorted(linked_to("participant")):
            expected = count_of(name, anna)
            assert expected > 0, f"add a {name} row to tests/factories/worlds.py respondent()"
            if name in erasure.WITHHELD_FROM_EXPORT:
                # One rater's answers would undo the colleagues' aggregate of three.
                assert name not in stored, name
                continue
            assert len(stored[name]) == expected, name
        assert len(stored["audit_event"]) == 3


def test_export_reads_without_the_database(app, people):
    anna, _bob = people
    with app.app_context():
        data = json.loads(
            personal_data.export_json(db.session.get(Participant, anna), questionnaires.registry())
        )
    assert data["name"] == "Anna Geheim"
    assert data["organisation"] == "Woonstichting Privé"
    assert data["cohort"] == "Leergang AVG"
    exit_answers = next(r for r in data["responses"] if r["moment"] == "exit")["answers"]
    assert exit_answers["actieplan"] == SECRET
    stored = data["stored"]
    plan = next(a for a in stored["answer"] if a["item_id"] == "actieplan")
    assert plan["text"] == SECRET
    assert plan["question"].startswith("Wat ga je de komende drie maanden anders doen?")
    assert {r["moment"] for r in stored["response"]} == {"intake", "exit"}
    assert stored["score"] and stored["mail_log"]
    # The weekly pulse: readable on top, every row under "stored", each answer with its question.
    [week] = data["pulses"]
    assert week["answers"]["puls_gepland"] == 40 and week["answers"]["puls_werkte"] == SECRET
    worked = next(a for a in stored["pulse_answer"] if a["item_id"] == "puls_werkte")
    assert worked["question"] == "Wat werkte deze week?"
    assert stored["pulse_stop"] and stored["pulse_response"]
    text = json.dumps(data)
    assert "token_hash" not in text and "token_nonce" not in text
    assert "Bob" not in text


def test_erase_removes_the_participant_and_everything_linked(app, people):
    anna, bob = people
    with app.app_context():
        before_bob = {name: count_of(name, bob) for name in linked_to("participant")}
        counts = erasure.erase(db.session.get(Participant, anna))
        db.session.commit()
        assert counts["participant"] == 1 and counts["answer"] > 0
        for name in linked_to("participant"):
            assert count_of(name, anna) == 0, name
            assert count_of(name, bob) == before_bob[name], name


def test_erase_leaves_no_trace_of_the_person_in_any_table(app, people):
    anna, _bob = people
    with app.app_context():
        erasure.erase(db.session.get(Participant, anna))
        db.session.commit()
        everything = json.dumps(
            [
                [list(row) for row in db.session.execute(select(table))]
                for table in db.metadata.sorted_tables
            ],
            default=str,
            ensure_ascii=False,
        )
    for trace in ("Anna Geheim", "anna@privé.example.nl", SECRET):
        assert trace not in everything


def test_erase_keeps_audit_events_as_bare_ids_marked_erased(app, people):
    anna, bob = people
    with app.app_context():
        erasure.erase(db.session.get(Participant, anna))
        db.session.commit()
        about_anna = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.target_type == "participant", AuditEvent.target_id == anna
            )
        ).all()
        assert about_anna and all(json.loads(e.detail) == {"erased": True} for e in about_anna)
        assert all(e.ip is None for e in about_anna)
        about_bob = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "report_viewed", AuditEvent.target_id == bob
            )
        ).one()
        # Bob's event is untouched, with the code it keeps of him (assess/web/audit.py).
        code = db.session.get(Participant, bob).code
        assert json.loads(about_bob.detail) == {"name": "Bob Blijft", "code": code}
