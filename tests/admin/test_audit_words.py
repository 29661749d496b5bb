"""The audit log speaks Dutch for every action the code records, and for their details."""

from __future__ import annotations

import ast
import json
import pathlib

from assess.admin import audit_words
from assess.db import db
from assess.models import AuditEvent
from assess.survey import erasure

SOURCE = pathlib.Path(audit_words.__file__).parent.parent

# Codes built at run time, spelled out: trainer/views.py records f"{action}_link".
BUILT = {'f"{action}_link"': {"revoke_link", "reissue_link"}, "erasure.ERASED": {erasure.ERASED}}


def recorded_actions() -> set[str]:
    """Every action passed to audit.record / audit.read anywhere in assess/."""
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("record", "read")
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "audit"
                and node.args
            ):
                continue
            first = node.args[0]
            literals = {
                n.value
                for n in ast.walk(first)
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
            }
            if isinstance(first, ast.Constant | ast.IfExp):
                found |= literals
            else:
                source = ast.unparse(first).replace("'", '"')
                assert source in BUILT, f"{path}: audit action {source} is not spelled out here"
                found |= BUILT[source]
    return found


def test_every_audit_action_the_code_records_has_a_dutch_word():
    actions = recorded_actions()
    assert {"view_cohort", "org_report_viewed", "erasure_requested"} <= actions  # the scan works
    assert sorted(actions - set(audit_words.ACTIONS)) == []


def test_the_log_names_report_groups_and_erased_rows_in_words(app, client, make_user, auth):
    admin = make_user("admin", "beheer@example.nl")
    auth.login("beheer@example.nl")
    with app.app_context():
        for action, detail in [
            ("org_report_viewed", {"group": "alle"}),
            ("policy_gap_viewed", {"group": "periode-2027-1"}),
            ("participant_erased", {"rows": {"answer": 50, "audit_event": 2}}),
            ("view_pulse_answers", None),
        ]:
            db.session.add(
                AuditEvent(
                    actor_type="user",
                    actor_id=admin,
                    action=action,
                    detail=json.dumps(detail) if detail else None,
                )
            )
        db.session.commit()
    text = client.get("/beheer/audit").text
    body = text[text.index("<tbody>") :]
    assert "groep: alle deelnemers" in body
    assert "groep: 1e helft 2027" in body
    assert "rijen: antwoorden 50, logregels 2" in body
    assert "rapportage van corporatie bekeken" in body
    assert "antwoorden op de weekpuls bekeken" in body
    for code in ("org_report_viewed", "policy_gap_viewed", "view_pulse_answers", "group:"):
        assert code not in body
