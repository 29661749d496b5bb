"""The wheel holds the whole app: installed into a fresh venv and run from a folder outside the
checkout, it migrates a database and gunicorn serves Dutch pages, and logs every request."""

from __future__ import annotations

import subprocess
import urllib.error
import urllib.request
import zipfile

from benchmarks.harness import ROOT, Gunicorn
from tests.deploy.conftest import SECRET_KEY, clean_env

PRODUCTION = {
    "ASSESS_ENV": "production",
    "SECRET_KEY": SECRET_KEY,
    "BASE_URL": "https://zelfscan.example.nl",
    "TRUSTED_HOSTS": "zelfscan.example.nl,127.0.0.1",
}


def test_the_wheel_carries_everything_the_app_reads(installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    for needed in (
        "assess/templates/base.html",
        "assess/templates/errors/error.html",
        "assess/templates/participant/page.html",
        "assess/static/css/app.css",
        "assess/static/js/autosave.js",
        "assess/translations/en/LC_MESSAGES/messages.mo",
        "assess/migrations/alembic.ini",
        "assess/migrations/env.py",
        "assess/migrations/script.py.mako",
        "assess/questionnaires/leergang-woonconsulent.yaml",
        "assess/questionnaires/beleidsscan.yaml",
        "assess/web/data/common-passwords.txt",
        "assess/gunicorn_conf.py",
    ):
        assert needed in names
    for folder, pattern in (("templates", "*.html"), ("assess/migrations/versions", "*.py")):
        for path in (ROOT / folder).rglob(pattern):
            inside = "assess/templates/" if folder == "templates" else f"{folder}/"
            assert inside + str(path.relative_to(ROOT / folder)) in names


WHERE = """
import assess
app = assess.create_app()
registry = app.extensions["assess.questionnaires"]
print(assess.__file__, app.template_folder, app.config["QUESTIONNAIRE_DIR"])
print(*(q.id for q in registry.latest()))
"""


def flask(installed, cwd, env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(installed.python), "-m", "flask", "--app", "assess", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def get(url: str, data: bytes | None = None) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_the_installed_wheel_migrates_and_serves_dutch_pages_outside_the_checkout(
    installed, tmp_path, instance_folder
):
    site = tmp_path / "site"  # the operator's working directory: no checkout in sight
    site.mkdir()
    instance = instance_folder()
    env = clean_env(
        **PRODUCTION,
        DATABASE_URL=f"sqlite:///{tmp_path / 'assess.db'}",
        ASSESS_INSTANCE_PATH=str(instance),
    )
    # Everything the app reads comes from the venv: code, templates and questionnaires.
    found = subprocess.run(
        [str(installed.python), "-c", WHERE],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert all(path.startswith(str(installed.venv)) for path in found[:3]), found
    assert "leergang-woonconsulent" in found[3:], found

    upgraded = flask(installed, site, env, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr

    log = tmp_path / "gunicorn.log"
    server_env = {**env, "GUNICORN_ACCESSLOG": "-"}
    with Gunicorn(
        server_env,
        workers=1,
        log=log,
        python=str(installed.python),
        config="python:assess.gunicorn_conf",
        cwd=site,
        pythonpath=None,
    ) as server:
        status, page = get(server.url + "/auth/login")
        assert status == 200
        assert 'lang="nl"' in page and "Inloggen" in page and "Wachtwoord" in page
        assert get(server.url + "/static/css/app.css")[0] == 200
        status, page = get(server.url + "/bestaat-niet")
        assert status == 404 and "Pagina niet gevonden" in page
        assert get(server.url + "/s/Geheim-link-4711")[0] == 404
        status, page = get(server.url + "/auth/login", data=b"email=x")
        assert status == 400 and "Formulier verlopen" in page
    written = log.read_text()
    # The access log and the app's own log both still write after the migration.
    assert '"GET /auth/login HTTP/1.1" 200' in written
    assert '"GET /s/… HTTP/1.1" 404' in written
    assert "WARNING assess.errors: csrf rejected endpoint=auth.login" in written
    assert "Geheim-link-4711" not in written
