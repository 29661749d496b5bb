"""Faults around the submit, against gunicorn:

(a) a worker SIGKILLed in the middle of a submit (after the response was flipped to submitted,
    before the scores were stored and the transaction committed) leaves the response a draft
    with every answer, and the participant's retry succeeds;
(c) a double click, several clicks, and two tabs (two sessions) submitting at the same moment
    give exactly one submitted response with one set of scores and one audit event.

    python benchmarks/fault_submit.py                    # SQLite in /tmp/bench_production
    python benchmarks/fault_submit.py --database-url postgresql://postgres@127.0.0.1:5432/bench_production_fault

The database named is emptied first. Exit status 0 when every check holds.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import Checks, Gunicorn  # noqa: E402
from benchmarks.world import (  # noqa: E402
    SERVER_ENV,
    Browser,
    Survey,
    app_for,
    expected_answers,
    questionnaire,
    seed,
    stored,
)

DEFAULT_SQLITE = "sqlite:////tmp/bench_production/fault.db"


def killed_worker(database_url: str, participants: int, checks: Checks) -> None:
    """(a): SIGKILL the worker that is inside the submit transaction; then retry."""
    print(f"(a) worker killed in the middle of a submit, {participants} participants")
    links = seed(database_url, participants)
    q = questionnaire(database_url)
    with tempfile.TemporaryDirectory() as tmp:
        arm = Path(tmp) / "arm"
        env = {**SERVER_ENV, "DATABASE_URL": database_url, "FAULT_ARM_FILE": str(arm)}
        with Gunicorn(env, workers=2, app="benchmarks.fault_app:app") as server:
            for i, token in enumerate(links):
                browser = Browser(server.port, timeout=60)
                survey = Survey(browser, q, token, seed=i)
                survey.enter()
                survey.fill()
                form = survey.submit_form()
                arm.write_text("armed")
                outcome: dict[str, object] = {}

                def post(browser=browser, form=form, outcome=outcome):
                    try:
                        outcome["status"] = browser.request(
                            "POST", "/deelnemer/intake/indienen", form
                        )[0]
                    except Exception as exc:  # the expected end: the worker died mid-request
                        outcome["error"] = type(exc).__name__

                thread = threading.Thread(target=post)
                thread.start()
                paused = Path(f"{arm}.paused")
                deadline = time.monotonic() + 20
                while not paused.exists() and time.monotonic() < deadline:
                    time.sleep(0.01)
                if not paused.exists():
                    checks.check(False, f"participant {i}: the submit never reached the pause")
                    thread.join(30)
                    continue
                pid = int(paused.read_text())
                paused.unlink()
                os.kill(pid, signal.SIGKILL)
                thread.join(30)
                checks.check(
                    "error" in outcome,
                    f"participant {i}: killed worker {pid} sent no response ({outcome})",
                )
                after_kill = stored(database_url)
                checks.check(
                    after_kill.submitted == i and after_kill.drafts == 1,
                    f"participant {i}: still a draft after the kill, nothing half-submitted"
                    f" ({after_kill.submitted} submitted, {after_kill.drafts} drafts)",
                )
                checks.check(
                    after_kill.answers.get(i) == expected_answers(q, "intake", i),
                    f"participant {i}: every answer is still there after the kill",
                )
                retry = Browser(server.port, timeout=60)
                retry.cookie = browser.cookie  # the same browser, pressing the button again
                try:
                    Survey(retry, q, token, seed=i).submit()
                    checks.check(True, f"participant {i}: the retry submits")
                except Exception as exc:
                    checks.check(False, f"participant {i}: the retry failed: {exc}")
                finally:
                    retry.close()
                    browser.close()
    final = stored(database_url)
    checks.check(
        final.submitted == participants and final.drafts == 0 and final.scored == participants,
        f"all {participants} submitted and scored once in the end"
        f" ({final.submitted} submitted, {final.drafts} drafts, {final.scored} scored)",
    )
    checks.check(final.responses_per_person_max == 1, "one response per person")


def audit_submits(database_url: str) -> dict[int, int]:
    from assess.db import db
    from assess.models import AuditEvent

    app = app_for(database_url)
    with app.app_context():
        rows = db.session.execute(
            db.select(AuditEvent.target_id, db.func.count())
            .where(AuditEvent.action == "response.submitted")
            .group_by(AuditEvent.target_id)
        ).all()
        db.session.remove()
        db.engine.dispose()
    return dict(rows)


def at_once(calls: list) -> list[object]:
    """Run the calls in threads released together; each result, or the error's repr."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(k: int) -> None:
        barrier.wait(10)
        try:
            results[k] = calls[k]()
        except Exception as exc:
            results[k] = repr(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def double_submit(database_url: str, participants: int, clicks: int, checks: Checks) -> None:
    """(c): the same session clicking several times, and two tabs, all at the same moment."""
    print(f"(c) {clicks} simultaneous submits per participant, {participants} participants")
    links = seed(database_url, participants)
    q = questionnaire(database_url)
    with Gunicorn({**SERVER_ENV, "DATABASE_URL": database_url}, workers=2) as server:
        for i, token in enumerate(links):
            first = Browser(server.port)
            survey = Survey(first, q, token, seed=i)
            survey.enter()
            survey.fill()
            form = survey.submit_form()
            two_tabs = i % 2 == 1  # odd participants: a second session from the link
            browsers = [first]
            for _ in range(clicks - 1):
                extra = Browser(server.port)
                if two_tabs:
                    Survey(extra, q, token, seed=i).enter()
                else:
                    extra.cookie = first.cookie
                browsers.append(extra)
            forms = [
                form if not two_tabs else Survey(b, q, token, i).submit_form() for b in browsers
            ]
            results = at_once(
                [
                    lambda b=b, f=f: b.request("POST", "/deelnemer/intake/indienen", f)[:2]
                    for b, f in zip(browsers, forms, strict=True)
                ]
            )
            for b in browsers:
                b.close()
            kind = "two tabs" if two_tabs else "double click"
            checks.check(
                all(
                    isinstance(r, tuple) and r[0] == 302 and r[1].endswith("/ingediend")
                    for r in results
                ),
                f"participant {i} ({kind}): every click lands on 'ingediend' ({results})",
            )
    final = stored(database_url)
    events = audit_submits(database_url)
    checks.check(
        final.submitted == participants and final.scored == participants,
        f"exactly {participants} submitted responses, each scored"
        f" ({final.submitted} submitted, {final.scored} scored)",
    )
    checks.check(final.responses_per_person_max == 1, "one response per person")
    checks.check(
        len(events) == participants and set(events.values()) == {1},
        f"one 'response.submitted' audit event per response ({events})",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_SQLITE)
    parser.add_argument("--participants", type=int, default=4)
    parser.add_argument("--clicks", type=int, default=4)
    args = parser.parse_args(argv)
    if args.database_url.startswith("sqlite:///"):
        Path(args.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    checks = Checks()
    killed_worker(args.database_url, args.participants, checks)
    double_submit(args.database_url, args.participants, args.clicks, checks)
    print(f"{checks.passed} checks passed, {len(checks.failed)} failed")
    print(
        f"reproduce: python benchmarks/fault_submit.py --database-url {args.database_url}"
        f" --participants {args.participants} --clicks {args.clicks}"
    )
    return 0 if not checks.failed else 1


if __name__ == "__main__":
    sys.exit(main())
