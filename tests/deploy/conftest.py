"""The app as an operator deploys it: the wheel installed into its own venv, gunicorn, and nginx
terminating TLS in front (benchmarks/harness.py starts and always stops them).

The wheel is built and installed once per test run, shared by the xdist workers (a file lock
lets the first build it); each server gets an instance folder with plotly.js already
compressed, which gunicorn's master would otherwise spend ~15 s on at every start.
"""

from __future__ import annotations

import contextlib
import fcntl
import http.cookiejar
import os
import re
import shutil
import ssl
import subprocess
import sys
import sysconfig
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import brotli
import pytest

from benchmarks.harness import NGINX, ROOT

SECRET_KEY = "deploy-test-secret-key-0123456789abcdef0123"
# What the wheel is built from: the package and the folders setup.py maps into it.
SOURCES = ("pyproject.toml", "setup.py", "README.md", "assess", "templates", "questionnaires")


@dataclass(frozen=True)
class Installed:
    venv: Path
    python: Path
    wheel: Path


def shared_folder(tmp_path_factory, worker_id: str) -> Path:
    """A folder all xdist workers of this run see (the parent of their own temp folders)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if worker_id != "master" else base


@pytest.fixture(scope="session")
def installed(tmp_path_factory, worker_id) -> Installed:
    """The wheel built from this checkout (`pip wheel --no-deps`) and installed into a fresh
    venv. The venv sees the system's site-packages for the dependencies (no downloads), but
    assess itself comes from the wheel."""
    folder = shared_folder(tmp_path_factory, worker_id) / "wheel"
    folder.mkdir(exist_ok=True)
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = folder / "done"
        if not done.exists():
            build(folder)
            done.write_text("ok")
    venv = folder / "venv"
    return Installed(venv, venv / "bin" / "python", next((folder / "dist").glob("*.whl")))


def build(folder: Path) -> None:
    # A copy, so the build's egg-info and build/ folders never land in the checkout.
    for left in ("source", "dist", "venv"):  # from a build that failed half-way
        shutil.rmtree(folder / left, ignore_errors=True)
    source = folder / "source"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, source / name)
    quiet = {"check": True, "capture_output": True, "text": True, "env": clean_env()}
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    run(pip + ["wheel", "--no-deps", "-w", str(folder / "dist"), str(source)], **quiet)
    run([sys.executable, "-m", "venv", str(folder / "venv")], **quiet)
    see_the_tests_dependencies(folder / "venv")
    wheel = next((folder / "dist").glob("*.whl"))
    venv_pip = [str(folder / "venv" / "bin" / "python"), "-m", "pip"]
    run(
        venv_pip + ["--disable-pip-version-check", "-q", "install", "--no-deps", str(wheel)],
        **quiet,
    )


def see_the_tests_dependencies(venv: Path) -> None:
    """Give the new venv the dependencies of the Python running the tests, without downloads.

    `venv --system-site-packages` would give it the *base* interpreter's packages, which in a
    test venv (the README's way) have no Flask at all. A .pth file naming this interpreter's
    site-packages works from a venv and from the system Python alike. Its lines only add
    folders: the .pth files inside them (the checkout's editable install) are not run, so
    assess itself still comes from the wheel, which the venv's own site-packages put first."""
    found = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    ours = sysconfig.get_paths()
    folders = dict.fromkeys([ours["purelib"], ours["platlib"]])
    Path(found.stdout.strip(), "tests-dependencies.pth").write_text("\n".join(folders) + "\n")


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, **kwargs)
    except subprocess.CalledProcessError as exc:
        pytest.fail(f"{' '.join(command)} failed:\n{exc.stdout}\n{exc.stderr}")


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without the checkout on PYTHONPATH (which the test run puts there)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DATABASE_URL")}
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def nginx() -> str:
    """The nginx binary the proxy tests need (.ci/run installs Debian's nginx)."""
    if NGINX is None:
        pytest.skip("nginx is not installed: apt-get install nginx")
    return NGINX


@pytest.fixture(scope="session")
def plotly_brotli(tmp_path_factory) -> Path:
    """The vendored plotly.js bundle compressed once per run, quickly (quality 5), under the
    name the app looks for (so gunicorn's start finds it made and skips the slow best setting)."""
    from assess.web import main

    path = tmp_path_factory.mktemp("vendor") / f"plotly-{main.PLOTLY_BUNDLE_TAG}.min.js.br"
    raw = main.plotly_source()
    path.write_bytes(brotli.compress(raw, quality=5, mode=brotli.MODE_TEXT))
    return path


@pytest.fixture
def instance_folder(tmp_path, plotly_brotli):
    """make(name, **settings): an instance folder (ASSESS_INSTANCE_PATH) holding the settings
    as config.py and the compressed plotly.js."""

    def make(name: str = "instance", **settings) -> Path:
        folder = tmp_path / name
        (folder / "vendor").mkdir(parents=True)
        shutil.copy(plotly_brotli, folder / "vendor" / plotly_brotli.name)
        (folder / "config.py").write_text(
            "".join(f"{key} = {value!r}\n" for key, value in settings.items())
        )
        return folder

    return make


def seed(database_url: str, participants: int, password_hash: str) -> list[str]:
    """An empty schema with the trainer t@example.nl (PASSWORD) and one open cohort of
    participants; returns their personal-link tokens (valid under SECRET_KEY)."""
    from assess import create_app
    from assess.db import db
    from assess.models import Participant
    from assess.survey import tokens
    from tests import factories as make

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        db.drop_all()
        db.create_all()
        ids = make.open_cohort(participants, password_hash)
        links = [tokens.current_token(db.session.get(Participant, pid)) for pid in ids]
        db.session.remove()
        db.engine.dispose()
    return links


def production_env(proxy_port: int, database_url: str, instance: Path, **extra: str) -> dict:
    """What an operator sets for an instance behind the TLS proxy on 127.0.0.1:proxy_port."""
    return {
        "ASSESS_ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": database_url,
        "BASE_URL": f"https://127.0.0.1:{proxy_port}",
        "TRUSTED_HOSTS": "127.0.0.1",
        "PROXY_FIX_X_FOR": "1",
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
        "ASSESS_INSTANCE_PATH": str(instance),
        **extra,
    }


@pytest.fixture
def context_https(browser):
    """new(): a browser context that accepts the self-signed certificate; all are closed."""
    made = []

    def new():
        context = browser.new_context(
            ignore_https_errors=True, locale="nl-NL", viewport={"width": 390, "height": 844}
        )
        made.append(context)
        return context

    yield new
    for context in made:
        with contextlib.suppress(Exception):
            context.close()


CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class HttpsClient:
    """A cookie-keeping HTTPS client that posts forms as a browser does (token and Referer)."""

    def __init__(self, base: str) -> None:
        self.base = base
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            urllib.request.HTTPSHandler(context=context),
        )

    def request(self, path: str, data: dict | None = None, referer: str | None = None):
        """(status, body, the X-Upstream that answered)."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        if referer:
            request.add_header("Referer", self.base + referer)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), response.headers["X-Upstream"]
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(), exc.headers["X-Upstream"]

    @staticmethod
    def token(page: str) -> str:
        """The CSRF token of the first form on a page."""
        found = CSRF_FIELD.search(page)
        assert found, "no form on the page"
        return found.group(1)
