"""The flask commands: accounts, demo data, links, questionnaire checks, rescoring."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assess import demo
from assess.db import db
from assess.models import Participant, Release, Response, Score, User
from assess.survey import tokens
from assess.web.passwords import verify_password


def test_create_user_with_generated_password_prints_it_once(app, runner):
    result = runner.invoke(
        args=["create-user", "--email", "Ank@Example.nl", "--role", "trainer", "--password", ""]
    )
    assert result.exit_code == 0, result.output
    password = result.output.split("Password (shown once): ")[1].strip()
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(email="ank@example.nl")).scalar_one()
        assert user.role == "trainer" and verify_password(user.password_hash, password)


def test_create_manager_needs_and_creates_organisation(app, runner):
    assert runner.invoke(args=["create-user", "--email", "m@x.nl", "--role", "manager"]).exit_code
    result = runner.invoke(
        args=["create-user", "--email", "m@x.nl", "--role", "manager", "--organisation", "Woonstad"]
        + ["--password", "lange-zin-als-wachtwoord"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(email="m@x.nl")).scalar_one()
        assert user.organisation.name == "Woonstad"


def test_create_user_refuses_a_weak_password_and_a_duplicate(app, runner, make_user):
    make_user("admin", "a@x.nl")
    duplicate = runner.invoke(args=["create-user", "--email", "a@x.nl", "--role", "admin"])
    assert "already exists" in duplicate.output
    weak = runner.invoke(
        args=["create-user", "--email", "b@x.nl", "--role", "admin", "--password", "welkom123"]
    )
    assert weak.exit_code != 0 and "te bekend" in weak.output


def test_demo_is_idempotent_and_prints_logins_and_links(app, runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "trainer@example.nl" in first.output and "/s/" in first.output
    with app.app_context():
        counts = (
            db.session.scalar(db.select(db.func.count(Participant.id))),
            db.session.scalar(db.select(db.func.count(Response.id))),
        )
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0
    with app.app_context():
        again = (
            db.session.scalar(db.select(db.func.count(Participant.id))),
            db.session.scalar(db.select(db.func.count(Response.id))),
        )
    assert counts == again and counts[0] == sum(demo.COHORT_SIZES) + 1  # + one not started
    # The links printed the second time still open the same participants.
    link = second.output.split("/s/")[1].split()[0]
    with app.app_context():
        assert tokens.find(link) is not None


def test_participant_link_prints_a_working_link_on_base_url(app, runner):
    runner.invoke(args=["demo"])
    result = runner.invoke(args=["participant-link", "anouk.devries@delinde.example.nl"])
    assert result.exit_code == 0, result.output
    assert "http://zelfscan.test/s/" in result.output
    token = result.output.strip().rsplit("/s/", 1)[1]
    with app.app_context():
        assert tokens.find(token).email == "anouk.devries@delinde.example.nl"


def test_participant_link_for_unknown_email_says_so(runner):
    result = runner.invoke(args=["participant-link", "niemand@example.nl"])
    assert result.exit_code != 0 and "no participant" in result.output


def test_rescore_recomputes_deleted_scores(app, runner):
    runner.invoke(args=["demo"])
    with app.app_context():
        before = db.session.scalar(db.select(db.func.count(Score.id)))
        db.session.execute(db.delete(Score))
        db.session.commit()
    result = runner.invoke(args=["rescore"])
    assert result.exit_code == 0 and "Rescored" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Score.id))) == before


def test_questionnaire_check_passes_the_installed_files(runner):
    result = runner.invoke(args=["questionnaire", "check"])
    assert result.exit_code == 0, result.output
    assert "OK" in result.output and "leergang-woonconsulent" in result.output


def test_questionnaire_check_names_file_path_and_problem(runner, tmp_path):
    broken = tmp_path / "kapot.yaml"
    broken.write_text("id: kapot\nversion: one\n")
    result = runner.invoke(args=["questionnaire", "check", str(broken)])
    assert result.exit_code == 1
    assert "kapot.yaml" in result.output and "version" in result.output


def test_questionnaire_schema_is_json_schema(runner):
    result = runner.invoke(args=["questionnaire", "schema"])
    schema = json.loads(result.output)
    assert "properties" in schema and "scales" in schema["properties"]


def test_demo_links_follow_the_port_or_base_url_and_one_person_has_not_started(app, runner):
    on_port = runner.invoke(args=["demo", "--port", "8123"])
    assert on_port.exit_code == 0, on_port.output
    links = [line for line in on_port.output.splitlines() if "/s/" in line]
    assert len(links) == sum(demo.COHORT_SIZES) + 1
    assert all("http://127.0.0.1:8123/s/" in line for line in links)
    assert "http://127.0.0.1:8123/login" in on_port.output
    assert ":5000" not in on_port.output
    fresh = [line for line in links if "not started" in line]
    assert len(fresh) == 1
    token = fresh[0].split("/s/")[1].split()[0]
    with app.app_context():
        person = tokens.find(token)
        assert person is not None
        assert not db.session.scalar(
            db.select(db.func.count(Response.id)).filter_by(participant_id=person.id)
        )
    proxied = runner.invoke(args=["demo", "--base-url", "https://zelfscan.example.nl/"])
    assert "https://zelfscan.example.nl/s/" in proxied.output
    app.config["BASE_URL"] = "https://scan.example.org"
    configured = runner.invoke(args=["demo"])
    assert "https://scan.example.org/s/" in configured.output


def test_run_py_demo_prints_working_links_for_the_port_it_runs_on(tmp_path):
    import http.cookiejar
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "SECRET_KEY": "x" * 64,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}",
    }
    server = subprocess.Popen(
        [sys.executable, "run.py", "--demo", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        lines = []
        for line in server.stdout:
            lines.append(line)
            if "runs on" in line:
                break
        output = "".join(lines)
        links = [re.search(r"http\S+/s/\S+", line)[0] for line in lines if "/s/" in line]
        fresh = [re.search(r"http\S+/s/\S+", line)[0] for line in lines if "not started" in line]
        assert len(links) == sum(demo.COHORT_SIZES) + 1 and len(fresh) == 1, output
        assert all(link.startswith(f"http://127.0.0.1:{port}/s/") for link in links + fresh)
        # The printed link opens the participant's page on the running app.
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        for _attempt in range(50):  # the server starts listening just after printing
            try:
                page = opener.open(fresh[0], timeout=10).read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert "Welkom, Nora Postma" in page
        assert "Begin met invullen" in page
    finally:
        server.terminate()
        server.wait(10)


def test_run_py_help_documents_host_port_and_demo():
    result = subprocess.run(
        [sys.executable, "run.py", "--help"], capture_output=True, text=True, check=True
    )
    for option in ("--host", "--port", "--demo"):
        assert option in result.stdout


def test_the_help_and_the_readme_count_the_demo_corporations_as_the_demo_makes_them(runner):
    """run.py --help said two corporations, the README five; the demo makes five."""
    count = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}[len(demo.ORGANISATIONS)]
    run_help = subprocess.run(
        [sys.executable, "run.py", "--help"], capture_output=True, text=True, check=True
    ).stdout
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for text in (" ".join(run_help.split()), runner.invoke(args=["demo", "--help"]).output, readme):
        assert f"{count} corporations" in " ".join(text.split())


@pytest.mark.parametrize(
    "url, words",
    [
        ("sqlite:////nonexistent-dir/sub/x.db", "cannot open or migrate the database"),
        ("mysql://root@localhost/x", "DATABASE_URL names"),
        ("postgresql+psycopg://nobody@127.0.0.1:1/none", "cannot open or migrate the database"),
    ],
)
def test_run_py_stops_with_one_line_on_a_bad_database(tmp_path, url, words):
    env = {"DATABASE_URL": url, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "run.py", "--port", "5999"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 1
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_run_py_stops_on_placeholder_key_in_production(tmp_path):
    env = {"ASSESS_ENV": "production", "SECRET_KEY": "changeme", "PATH": "/usr/bin:/bin"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'x.db'}"
    result = subprocess.run(
        [sys.executable, "run.py"], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 1 and "SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_release_publishes_what_is_due_once(app, runner):
    runner.invoke(args=["demo"])
    first = runner.invoke(args=["release"])
    assert first.exit_code == 0, first.output
    # One release per corporation and cohort with enough paired consultants.
    released = int(first.output.split("Released ")[1].split()[0])
    with app.app_context():
        assert released == db.session.scalar(db.select(db.func.count(Release.id))) > 0
    again = runner.invoke(args=["release"])
    assert "Released 0 cohort figure sets." in again.output


def test_questionnaire_check_warns_when_scenario_keys_can_be_guessed_from_words(runner):
    shipped = Path(__file__).resolve().parents[2] / "questionnaires" / "leergang-woonconsulent.yaml"
    result = runner.invoke(args=["questionnaire", "check", str(shipped)])
    assert result.exit_code == 0, result.output  # a warning, not a failure
    assert "warning: the 'echo' word-overlap guesser picks the key in" in result.output
    assert "sjt_vuilniszakken_2" in result.output
