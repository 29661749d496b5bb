"""The wheel holds the whole app, and the documented production set-up (deploy/) runs from it:
installed into a fresh venv and run from folders outside the checkout, it migrates a database,
the systemd unit's gunicorn serves Dutch pages and logs every request, and the cron lines run
as written."""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import signal
import subprocess
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from benchmarks.harness import ROOT, free_port, wait_for_http
from tests.deploy.conftest import SECRET_KEY

# gunicorn, cron lines and the worker run in processes of their own, on the real clock.
pytestmark = pytest.mark.real_clock

DEPLOY = ROOT / "deploy"
VENV_BIN = "/opt/assess/venv/bin/"


def test_the_wheel_carries_everything_the_app_reads(installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    for needed in (
        "assess/templates/base.html",
        "assess/templates/errors/error.html",
        "assess/static/css/app.css",
        "assess/static/js/autosave.js",
        "assess/translations/en/LC_MESSAGES/messages.mo",
        "assess/migrations/alembic.ini",
        "assess/migrations/env.py",
        "assess/migrations/script.py.mako",
        "assess/questionnaires/leergang-woonconsulent.yaml",
        "assess/questionnaires/beleidsscan.yaml",
        "assess/questionnaires/leergang-woonconsulent.v1.yaml",
        "assess/vendor/plotly/plotly-assess.min.js",
        "assess/vendor/plotly/LICENSE",
        "assess/web/data/common-passwords.txt",
        "assess/gunicorn_conf.py",
    ):
        assert needed in names
    for folder, inside in (
        ("templates", "assess/templates"),
        ("questionnaires", "assess/questionnaires"),
        ("assess/static", None),
        ("assess/migrations", None),
        ("assess/vendor", None),
    ):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                assert f"{inside or folder}/{path.relative_to(ROOT / folder)}" in names


def settings_file(tmp_path: Path, **values: str) -> Path:
    """deploy/assess.env with this test's values put in, the rest as documented."""
    text = (DEPLOY / "assess.env").read_text()
    for key, value in values.items():
        text, found = re.subn(rf"^{key}=.*$", f"{key}={value}", text, flags=re.M)
        if not found:
            text += f"{key}={value}\n"
    path = tmp_path / "assess.env"
    path.write_text(text)
    return path


def as_installed(command: str, installed) -> str:
    """A command of the unit or crontab, on the test's venv (which has no console scripts of
    its own: its dependencies come from the system's site-packages)."""
    return re.sub(re.escape(VENV_BIN) + r"(flask|gunicorn)", rf"{installed.python} -m \1", command)


def shell(command: str, settings: Path | None, cwd: Path) -> subprocess.CompletedProcess:
    """Run as cron and systemd would: nothing inherited but PATH, and the settings file read
    by sh (a cron line reads it itself)."""
    prefix = f"set -a && . {settings} && " if settings else ""
    return subprocess.run(
        ["sh", "-c", prefix + command],
        cwd=cwd,
        env={"PATH": os.environ["PATH"], "HOME": str(cwd)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def unit_command(name: str) -> str:
    unit = (DEPLOY / "systemd" / name).read_text()
    return re.search(r"^ExecStart=(.*)$", unit, flags=re.M).group(1)


WHERE = """
import assess
app = assess.create_app()
registry = app.extensions["assess.questionnaires"]
print(assess.__file__, app.template_folder, app.config["QUESTIONNAIRE_DIR"])
print(*(q.id for q in registry.latest()))
"""


def get(url: str, data: bytes | None = None) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@contextlib.contextmanager
def service(command: str, settings: Path, cwd: Path, log: Path, port: int):
    """The unit's ExecStart with its EnvironmentFile, stopped (whole group) on leaving."""
    with open(log, "wb") as out:
        process = subprocess.Popen(
            ["sh", "-c", f"set -a && . {settings} && exec {command}"],
            cwd=cwd,
            env={"PATH": os.environ["PATH"], "HOME": str(cwd)},
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
    try:
        wait_for_http(port, "/healthz")
        yield f"http://127.0.0.1:{port}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


@pytest.fixture
def site(installed, tmp_path, instance_folder):
    """(settings file, working directory, backup folder, gunicorn's port) of a host set up as
    deploy/ documents it, its SQLite database migrated by `flask db upgrade`."""
    work = tmp_path / "var-lib-assess"  # the service's working directory: no checkout in sight
    work.mkdir()
    backups = tmp_path / "backups"
    backups.mkdir()
    port = free_port()
    settings = settings_file(
        tmp_path,
        SECRET_KEY=SECRET_KEY,
        DATABASE_URL=f"sqlite:///{tmp_path / 'assess.db'}",
        BASE_URL="https://zelfscan.example.nl",
        TRUSTED_HOSTS="zelfscan.example.nl,127.0.0.1",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        ASSESS_INSTANCE_PATH=str(instance_folder()),
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(free_port()),  # nothing is due, so nothing is sent
        WEB_CONCURRENCY="1",
    )
    upgrade = as_installed(f"{VENV_BIN}flask --app assess db upgrade", installed)
    upgraded = shell(upgrade, settings, work)
    assert upgraded.returncode == 0, upgraded.stderr
    return settings, work, backups, port


def test_the_systemd_unit_serves_dutch_pages_from_the_installed_wheel(installed, site, tmp_path):
    settings, work, _backups, port = site
    # Everything the app reads comes from the venv: code, templates and questionnaires.
    found = shell(f"{installed.python} -c {shlex.quote(WHERE)}", settings, work)
    assert found.returncode == 0, found.stderr
    paths = found.stdout.split()
    assert all(path.startswith(str(installed.venv)) for path in paths[:3]), paths
    assert "leergang-woonconsulent" in paths[3:], paths

    log = tmp_path / "gunicorn.log"
    command = as_installed(unit_command("assess.service"), installed)
    with service(command, settings, work, log, port) as url:
        status, page = get(url + "/auth/login")
        assert status == 200
        assert 'lang="nl"' in page and "Inloggen" in page and "Wachtwoord" in page
        assert get(url + "/static/css/app.css")[0] == 200
        assert get(url + "/vendor/plotly.min.js")[0] == 200
        status, page = get(url + "/bestaat-niet")
        assert status == 404 and "Pagina niet gevonden" in page
        assert get(url + "/s/Geheim-link-4711")[0] == 404
        status, page = get(url + "/auth/login", data=b"email=x")
        assert status == 400 and "Formulier verlopen" in page
    written = log.read_text()
    # The access log and the app's own log both still write after the migration.
    assert '"GET /auth/login HTTP/1.1" 200' in written
    assert '"GET /s/… HTTP/1.1" 404' in written
    assert "WARNING assess.errors: csrf rejected endpoint=auth.login" in written
    assert "Geheim-link-4711" not in written


def test_the_cron_lines_run_as_written(installed, site):
    settings, work, backups, _port = site
    for command in cron_commands(settings, work, backups, installed):
        done = shell(command, None, work)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    assert len(list(backups.glob("assess-*.db"))) == 1


def cron_commands(settings: Path, site: Path, backups: Path, installed) -> list[str]:
    """The active lines of deploy/cron/assess as cron runs them (its variables and \\% undone),
    on this test's paths."""
    variables, commands = {}, []
    for line in (DEPLOY / "cron" / "assess").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if re.match(r"^[A-Z_]+=", line):
            name, value = line.split("=", 1)
            variables[name] = value
            continue
        commands.append(line.split(None, 6)[6].replace("\\%", "%"))
    assert {"send-reminders", "send-pulses", "release", "purge", "backup"} <= {
        word for command in commands for word in command.split()
    }
    replaced = []
    for command in commands:
        for name in ("SETTINGS", "FLASK"):
            command = command.replace(f"${name}", variables[name])
        command = command.replace("/etc/assess/assess.env", str(settings))
        command = command.replace("/var/lib/assess", str(site))
        command = command.replace("/var/backups/assess", str(backups))
        replaced.append(as_installed(command, installed))
    return replaced
