"""Every figure of the manager's organisation report, as plain JSON, for comparing two versions.

`snapshot()` walks every organisation, every group it is offered (with its report and memo) and
both trend kinds. Cohort ids become their rank by id ("c0", "c1" …), so a snapshot taken on one
database compares with one taken on another, where the ids may start elsewhere.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from datetime import date, datetime
from pathlib import Path

from assess.db import db
from assess.engine import stats
from assess.manager import pages
from assess.models import Cohort, Organisation
from assess.reports.organisation import groups

# SQLite and PostgreSQL may round sums and averages differently in the last bits.
TOLERANCE = 1e-9


def snapshot() -> dict:
    """The whole report of every organisation (needs a request context, for the locale).

    Fetched the way the manager's page fetches it (pages.build: one set of sums for the
    group and the trend), for every offered group and both trend kinds.
    """
    ids = db.session.scalars(db.select(Cohort.id).order_by(Cohort.id)).all()
    rank = {cid: f"c{i}" for i, cid in enumerate(ids)}
    out = {}
    for org in db.session.scalars(db.select(Organisation).order_by(Organisation.name)):
        choices = pages.build(org, {}).choices
        reports, trends = {}, {}
        for group in choices.groups:
            for per, kind in pages.TREND_KINDS.items():
                page = pages.build(org, {"groep": group.key, "per": per})
                report = {"report": _plain(page.report, rank), "memo": page.memo}
                trend = _plain(page.trend, rank)
                # Neither depends on the other half of the filters.
                assert differences(reports.setdefault(_key(group.key, rank), report), report) == []
                assert differences(trends.setdefault(kind, trend), trend) == []
        out[org.name] = {
            "total": choices.total,
            "groups": [_plain(g, rank) for g in choices.groups],
            "reports": reports,
            "trend": trends or {kind: [] for kind in ("cohort", "period")},
        }
    return out


def _key(key: str, rank: dict[int, str]) -> str:
    return re.sub(r"^cohort-(\d+)$", lambda m: f"cohort-{rank[int(m.group(1))]}", key)


def _plain(value, rank: dict[int, str]):
    if isinstance(value, groups.Group):
        return {
            "key": _key(value.key, rank),
            "kind": value.kind,
            "label": value.label,
            "cohorts": sorted(rank[c] for c in value.cohort_ids),
            "n": value.n,
            "start": value.start.isoformat() if value.start else None,
        }
    if isinstance(value, stats.NotComputable):
        return {"not_computable": value.reason}
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name), rank) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v, rank) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v, rank) for v in value]
    if isinstance(value, datetime):
        return "released"  # when a release was made differs per run
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return value
    return value


def save(data: dict, path: Path) -> None:
    path.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def load(path: Path) -> dict:
    return json.loads(path.read_text())


def differences(expected, actual, where: str = "") -> list[str]:
    """Where two snapshots differ (floats within TOLERANCE count as equal)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = []
        for key in sorted(set(expected) | set(actual)):
            if key not in expected or key not in actual:
                found.append(f"{where}/{key}: only in one")
            else:
                found += differences(expected[key], actual[key], f"{where}/{key}")
        return found
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{where}: {len(expected)} vs {len(actual)} entries"]
        return [
            d
            for i, (e, a) in enumerate(zip(expected, actual, strict=True))
            for d in differences(e, a, f"{where}[{i}]")
        ]
    if (
        isinstance(expected, float | int)
        and isinstance(actual, float | int)
        and not isinstance(expected, bool)
        and not isinstance(actual, bool)
    ):
        if math.isclose(expected, actual, rel_tol=TOLERANCE, abs_tol=TOLERANCE):
            return []
        return [f"{where}: {expected!r} != {actual!r}"]
    return [] if expected == actual else [f"{where}: {expected!r} != {actual!r}"]
