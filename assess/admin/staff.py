"""What the admin pages change: organisations and staff accounts, every change audited.

The functions add to the session and record the audit event; the view commits.
"""

from __future__ import annotations

import secrets

from sqlalchemy import func, select, true

from assess.db import db
from assess.models import AuditEvent, Organisation, User
from assess.web import audit
from assess.web.passwords import hash_password

AUDIT_PAGE = 50


def generated_password() -> str:
    """A random password shown once to the admin (about 96 bits, easy to type over)."""
    return "-".join(secrets.token_urlsafe(6) for _ in range(3))


def create_organisation(name: str) -> Organisation:
    org = Organisation(name=name)
    db.session.add(org)
    db.session.flush()
    audit.record("organisation_created", "organisation", org.id, {"name": name})
    return org


def rename_organisation(org: Organisation, name: str) -> None:
    old = org.name
    org.name = name
    audit.record("organisation_renamed", "organisation", org.id, {"from": old, "to": name})


def set_organisation_active(org: Organisation, active: bool) -> None:
    org.active = active
    audit.record(
        "organisation_activated" if active else "organisation_deactivated", "organisation", org.id
    )


def create_account(
    email: str, name: str, role: str, organisation_id: int | None, password: str | None
) -> tuple[User, str | None]:
    """The new account and the generated password (None when the admin chose one)."""
    secret = password or generated_password()
    generated = None if password else secret
    user = User(
        email=email,
        name=name,
        role=role,
        organisation_id=organisation_id,
        password_hash=hash_password(secret),
        must_change_password=generated is not None,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        "account_created", "user", user.id, {"role": role, "organisation": organisation_id}
    )
    return user, generated


def update_account(user: User, name: str, role: str, organisation_id: int | None) -> None:
    changes: dict[str, object] = {}
    if user.role != role:
        changes["role"] = role
    if user.organisation_id != organisation_id:
        changes["organisation"] = organisation_id
    user.name, user.role, user.organisation_id = name, role, organisation_id
    if changes:
        # A changed role or organisation changes what the person may see: end their sessions.
        user.session_version += 1
    audit.record("account_updated", "user", user.id, changes or None)


def set_account_active(user: User, active: bool) -> None:
    user.active = active
    if not active:
        user.session_version += 1  # every open session of this account ends now
    audit.record("account_activated" if active else "account_deactivated", "user", user.id)


def reset_password(user: User, password: str | None) -> str | None:
    secret = password or generated_password()
    generated = None if password else secret
    user.password_hash = hash_password(secret)
    user.must_change_password = generated is not None
    user.session_version += 1
    audit.record("password_reset", "user", user.id, {"generated": generated is not None})
    return generated


def audit_page(action: str | None, page: int) -> tuple[list[AuditEvent], int, list[str]]:
    """One page of the audit log (newest first), the number of pages, and the known actions."""
    condition = AuditEvent.action == action if action else true()
    total = db.session.execute(select(func.count(AuditEvent.id)).where(condition)).scalar_one()
    pages = max(1, -(-total // AUDIT_PAGE))
    page = min(max(page, 1), pages)
    events = db.session.scalars(
        select(AuditEvent)
        .where(condition)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(AUDIT_PAGE)
        .offset((page - 1) * AUDIT_PAGE)
    ).all()
    actions = db.session.scalars(
        select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    ).all()
    return list(events), pages, list(actions)
