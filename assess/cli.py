"""Command-line tools: `flask --app assess <command>`; each docstring is the command's help."""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

import click
from flask import Flask, current_app, url_for
from flask.cli import with_appcontext

from assess.db import db
from assess.engine.definition import DefinitionError, json_schema, load_questionnaire
from assess.engine.duration import estimate_minutes
from assess.engine.sjt_guessing import guess_keys
from assess.models import Cohort, Organisation, Participant, Role, User
from assess.reports import item_analysis
from assess.reports.organisation import sector_batch
from assess.survey import questionnaires, tokens
from assess.survey.responses import rescore as rescore_responses
from assess.web.passwords import hash_password, password_problem


def init_app(app: Flask) -> None:
    for command in (create_user, demo, participant_link, rescore, release, questionnaire):
        app.cli.add_command(command)


def default_base_url(port: int | None = None, host: str = "127.0.0.1") -> str:
    """Where the app is reached when no BASE_URL is set: this machine, on `port` (else PORT,
    FLASK_RUN_PORT, 5000 as `python run.py` and `flask run` use)."""
    if port is None:
        port = int(os.environ.get("PORT") or os.environ.get("FLASK_RUN_PORT") or 5000)
    host = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
    return f"http://{host}:{port}"


def link_for(participant: Participant, base_url: str | None = None) -> str | None:
    """The participant's personal link, outside a request (CLI): built on `base_url`, else
    BASE_URL, else this machine's address."""
    token = tokens.current_token(participant)
    if token is None:
        return None
    base = (base_url or current_app.config.get("BASE_URL") or default_base_url()).rstrip("/")
    with current_app.test_request_context():
        return base + url_for("participant.enter", token=token)


@click.command("create-user")
@click.option("--email", required=True, help="E-mail address used to log in.")
@click.option(
    "--role", type=click.Choice([r.value for r in Role]), required=True, help="The account's role."
)
@click.option("--organisation", default=None, help="Organisation name (managers); created if new.")
@click.option("--name", default="", help="Display name.")
@click.option(
    "--password",
    default=None,
    help="Password; prompted when omitted (press Enter to have one generated and printed once).",
)
@with_appcontext
def create_user(email: str, role: str, organisation: str | None, name: str, password: str | None):
    """Create a staff account (admin, trainer or manager)."""
    email = email.strip().lower()
    if db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none():
        raise click.ClickException(f"an account for {email} already exists")
    if role == Role.MANAGER and not organisation:
        raise click.ClickException("a manager needs --organisation")
    if password is None and sys.stdin.isatty():
        password = click.prompt(
            "Password (empty: generate one)", default="", hide_input=True, show_default=False
        )
    generated = not password
    secret = password or secrets.token_urlsafe(12)
    problem = password_problem(secret, email)
    if problem:
        raise click.ClickException(problem)
    org = None
    if organisation:
        org = db.session.execute(
            db.select(Organisation).filter_by(name=organisation)
        ).scalar_one_or_none() or Organisation(name=organisation)
    db.session.add(
        User(
            email=email,
            name=name,
            role=role,
            organisation=org,
            password_hash=hash_password(secret),
        )
    )
    db.session.commit()
    click.echo(f"Created {role} {email}" + (f" at {organisation}" if organisation else ""))
    if generated:
        click.echo(f"Password (shown once): {secret}")


@click.command("demo")
@click.option("--seed", default=2026, show_default=True, help="Random seed for the answers.")
@click.option(
    "--base-url",
    default=None,
    help="Address the links start with (default: BASE_URL, else http://127.0.0.1:PORT or 5000).",
)
@click.option(
    "--port",
    type=int,
    default=None,
    help="Port the app runs on locally: links to http://127.0.0.1:<port> instead of BASE_URL.",
)
@with_appcontext
def demo(seed: int, base_url: str | None, port: int | None):
    """Load demo data (idempotent): five corporations, two cohorts with answers, staff logins."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("demo data is refused in production")
    from assess import demo as demo_data  # imported here: it pulls in the answer simulator

    summary = demo_data.load(seed)
    # An address given on the command line wins over the configured one.
    if base_url is None and port is not None:
        base_url = default_base_url(port)
    base = base_url or current_app.config.get("BASE_URL") or default_base_url()
    echo_demo(summary, base.rstrip("/"))


def echo_demo(summary, base_url: str) -> None:
    """The logins and every participant's personal link, for `flask demo` and `run.py --demo`."""
    click.echo("Logins (demo only):")
    for email, password, role in summary.logins:
        click.echo(f"  {role:8} {email:32} {password}")
    click.echo(f"  log in at {base_url}/login")
    click.echo("Participant links (each opens that person's survey and report):")
    for participant in summary.participants:
        note = "  (not started yet)" if summary.not_started(participant) else ""
        click.echo(
            f"  {participant.cohort.name:28} {participant.email:40}"
            f" {link_for(participant, base_url)}{note}"
        )


@click.command("participant-link")
@click.argument("email")
@click.option("--reissue", is_flag=True, help="Make a new link; the old one stops working.")
@with_appcontext
def participant_link(email: str, reissue: bool):
    """Print a participant's personal survey link."""
    found = db.session.scalars(
        db.select(Participant).filter_by(email=email.strip().lower()).order_by(Participant.id)
    ).all()
    if not found:
        raise click.ClickException(f"no participant with e-mail address {email}")
    for participant in found:
        if reissue or tokens.current_token(participant) is None:
            tokens.issue(participant)
            db.session.commit()
        click.echo(f"{participant.cohort.name}: {link_for(participant)}")


@click.command("rescore")
@with_appcontext
def rescore():
    """Recompute every submitted response's scores from its answers."""
    count = rescore_responses()
    click.echo(f"Rescored {count} responses.")


@click.command("release")
@with_appcontext
def release():
    """Publish the managers' figures that are due: per organisation and cohort, once at least
    MIN_GROUP_SIZE participants are new since its last release (for cron; reading a report
    does the same unless RELEASE_ON_VIEW is off); then move the sector benchmark on when the
    releases since its last batch rest on enough corporations."""
    minimum = max(3, int(current_app.config["MIN_GROUP_SIZE"]))
    count, taken = sector_batch.release(questionnaires.registry(), minimum)
    click.echo(f"Released {count} cohort figure sets.")
    click.echo(
        f"Sector benchmark: {taken} taken over." if taken else "Sector benchmark: unchanged."
    )


@click.group("questionnaire")
def questionnaire():
    """Check questionnaire files, print their schema, analyse their items."""


@questionnaire.command("check")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@with_appcontext
def questionnaire_check(files: tuple[Path, ...]):
    """Validate questionnaire files (default: all installed ones); exit 1 on problems. Warns
    (without failing) when a word-overlap guesser finds more scenario keys than chance."""
    if not files:
        files = tuple(sorted(Path(current_app.config["QUESTIONNAIRE_DIR"]).glob("*.yaml")))
    failed = False
    for path in files:
        try:
            q = load_questionnaire(path)
            click.echo(f"OK {path} ({q.id} version {q.version})")
            for moment in q.moments:
                stated = q.minutes_for(moment)
                click.echo(
                    f"   {moment}: {len(q.item_ids_for(moment))} items, "
                    f"stated {stated if stated else '-'} min, "
                    f"estimated {estimate_minutes(q, moment)} min (assess/engine/duration.py)"
                )
            for guess in guess_keys(q):
                if guess.suspicious:
                    click.echo(
                        f"   warning: the {guess.guesser!r} word-overlap guesser picks the key in"
                        f" {guess.hits:g} of {guess.scenarios} scenarios (chance {guess.chance:g},"
                        f" p = {guess.p:.3f}): {', '.join(guess.hit_items)}"
                        " (assess/engine/sjt_guessing.py)"
                    )
        except DefinitionError as exc:
            failed = True
            click.echo(str(exc), err=True)
    if failed:
        sys.exit(1)


@questionnaire.command("schema")
def questionnaire_schema():
    """Print the JSON Schema of questionnaire files, for editor completion."""
    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


@questionnaire.command("list")
@with_appcontext
def questionnaire_list():
    """List the installed questionnaires and versions."""
    for q in questionnaires.registry().latest():
        click.echo(f"{q.id} version {q.version} ({q.audience})")


@questionnaire.command("analyse")
@click.option(
    "--questionnaire",
    "questionnaire_id",
    default="leergang-woonconsulent",
    show_default=True,
    help="Questionnaire id.",
)
@click.option("--version", type=int, default=None, help="Version (default: the newest).")
@click.option(
    "--cohort",
    "cohort_ids",
    type=int,
    multiple=True,
    help="Only this cohort's responses; repeat for several (default: all).",
)
@click.option(
    "--moment",
    default=None,
    help="The moment analysed, each person once (default: intake, else the first moment).",
)
@click.option(
    "--pool-moments",
    is_flag=True,
    help="All moments together; the same people then count more than once (warned).",
)
@with_appcontext
def questionnaire_analyse(
    questionnaire_id: str,
    version: int | None,
    cohort_ids: tuple[int, ...],
    moment: str | None,
    pool_moments: bool,
):
    """Item analysis of one version over its submitted responses at one moment: per scale
    alpha with Feldt's interval, per item mean, SD, floor, ceiling, missing, item-rest r and
    alpha if deleted; correlations between the scales; scenario choices against the key and
    the scenarios' alpha. Numbers in Dutch.
    """
    q = questionnaires.registry().get(questionnaire_id, version)
    if q is None:
        raise click.UsageError(f"no questionnaire {questionnaire_id} version {version or ''}")
    if pool_moments and moment is not None:
        raise click.UsageError("give --moment or --pool-moments, not both")
    if moment is not None and moment not in q.moments:
        raise click.UsageError(f"moment must be one of {', '.join(q.moments)}")
    missing = set(cohort_ids) - set(
        db.session.scalars(db.select(Cohort.id).where(Cohort.id.in_(cohort_ids)))
    )
    if missing:
        raise click.UsageError(f"no cohort {', '.join(map(str, sorted(missing)))}")
    # The minimum group holds here too: the figures of one person are that person's answers.
    minimum = int(current_app.config["MIN_GROUP_SIZE"])
    report = item_analysis.build(
        q, "nl", list(cohort_ids), moment, pooled=pool_moments, minimum=minimum
    )
    click.echo(item_analysis.as_text(report))
