"""Retention: `flask --app assess purge` removes personal data that is kept longer than needed."""

from __future__ import annotations

import re
from calendar import monthrange
from collections import Counter
from datetime import UTC, date, datetime, time

import click
from flask import Blueprint, current_app
from sqlalchemy import and_, delete, func, or_, select

from assess import clock
from assess.admin import wipe
from assess.db import db, rowcount
from assess.models import AuditEvent, Cohort, MomentWindow, Participant
from assess.survey.erasure import erase_many, personal_tables
from assess.web import audit

bp = Blueprint("retention", __name__, cli_group=None)

PERIOD = re.compile(r"^\s*(\d+)\s*([dmy]?)\s*$")


def parse_period(text: str) -> tuple[int, str]:
    """'24m', '2y', '90d' or a bare number of months -> (amount, unit)."""
    match = PERIOD.match(text.lower())
    if not match:
        raise click.BadParameter(f"{text!r}: use a number with d, m or y, e.g. 24m")
    return int(match.group(1)), match.group(2) or "m"


def cutoff(today: date, amount: int, unit: str) -> date:
    """The day before which data is past retention."""
    if unit == "d":
        return date.fromordinal(today.toordinal() - amount)
    months = amount * 12 if unit == "y" else amount
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    # 31 March minus one month is the last day of February.
    return date(year, month, min(today.day, monthrange(year, month)[1]))


def expired_cohorts(before: date):
    """Cohorts whose last day (end date or last closing window) lies before the cut-off.

    A cohort with neither counts from its creation, so none is kept forever by accident.
    """
    last_close = (
        select(func.max(MomentWindow.closes_on))
        .where(MomentWindow.cohort_id == Cohort.id)
        .scalar_subquery()
    )
    created_before = datetime.combine(before, time.min, tzinfo=UTC)
    return select(Cohort.id).where(
        and_(
            or_(Cohort.end_date.is_(None), Cohort.end_date < before),
            or_(last_close.is_(None), last_close < before),
            or_(
                Cohort.end_date.is_not(None),
                last_close.is_not(None),
                Cohort.created_at < created_before,
            ),
        )
    )


def purge_before(before: date, dry_run: bool = False) -> dict[str, int]:
    """Erase participants of expired cohorts and audit events older than the cut-off.

    One short transaction per cohort, committed (or, for a dry run, rolled back) before the
    next: the purge runs from cron while people work, and on SQLite one long transaction
    would hold the write lock past the other requests' 15 s busy timeout.
    """
    finish = db.session.rollback if dry_run else db.session.commit
    cohort_ids = list(db.session.scalars(expired_cohorts(before).order_by(Cohort.id)))
    finish()
    counts: Counter[str] = Counter({table: 0 for table in personal_tables()})
    for cohort_id in cohort_ids:
        counts.update(erase_many(select(Participant.id).where(Participant.cohort_id == cohort_id)))
        finish()
    counts["audit_event_deleted"] = rowcount(
        db.session.execute(
            delete(AuditEvent)
            .where(AuditEvent.at < datetime.combine(before, time.min, tzinfo=UTC))
            .execution_options(synchronize_session=False)
        )
    )
    finish()
    return dict(counts)


@bp.cli.command("purge")
@click.option(
    "--older-than",
    "older_than",
    default=None,
    help="Retention period, e.g. 24m, 2y or 730d (default: RETENTION_MONTHS months).",
)
@click.option("--dry-run", is_flag=True, help="Only count what would be removed.")
def purge(older_than: str | None, dry_run: bool) -> None:
    """Remove participants of cohorts that ended before the retention period, and old audit events."""
    amount, unit = parse_period(older_than or f"{current_app.config['RETENTION_MONTHS']}m")
    before = cutoff(clock.today(), amount, unit)
    counts = purge_before(before, dry_run)
    if not dry_run:
        audit.record("purge", detail={"before": before.isoformat(), **counts})
        db.session.commit()
        if not wipe.finish():
            click.echo("The database files are not clean yet: `finish-erasures` tries again.")
    verb = "would remove" if dry_run else "removed"
    click.echo(f"Cut-off {before.isoformat()}: {verb}")
    click.echo(f"  participants: {counts['participant']}")
    for table in ("response", "answer", "score", "mail_log"):
        click.echo(f"  {table}: {counts[table]}")
    click.echo(f"  audit events: {counts['audit_event_deleted']}")
