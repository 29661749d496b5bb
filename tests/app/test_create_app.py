"""The app factory, configuration checks, health check, error pages and headers."""

from pathlib import Path

import pytest

from assess import create_app
from assess.config import StartupError
from tests.conftest import PRODUCTION


def test_config_mapping_is_used(app):
    assert app.testing
    assert app.config["MIN_GROUP_SIZE"] == 5


def test_min_group_size_never_below_three(app_config):
    app_config["MIN_GROUP_SIZE"] = 1
    assert create_app(app_config).config["MIN_GROUP_SIZE"] == 3


def refusal(app_config) -> str:
    """The one line production's start stops with."""
    with pytest.raises(StartupError) as info:
        create_app(app_config)
    line = str(info.value.code)
    assert "\n" not in line
    return line


def test_the_production_settings_of_the_tests_pass_every_check(app_config):
    app_config.update(PRODUCTION)
    assert create_app(app_config).config["ENV_NAME"] == "production"


@pytest.mark.parametrize(
    "key, words",
    [
        (None, "missing or a placeholder"),
        ("", "missing or a placeholder"),
        ("changeme", "missing or a placeholder"),
        ("short-key", "has 9 characters"),
        ("a" * 32, "a short piece repeated"),
        ("k" * 40, "a short piece repeated"),
        ("0123456789abcdef" * 2, "a short piece repeated"),
        ("zelfscan-" + "x" * 16 + "-geheim-2026", "repeats a character"),
        ("abababab-abab-baba-abba-baab-aaaa-bbbb", "too few different characters"),
    ],
)
def test_production_refuses_a_weak_secret_key(app_config, key, words):
    app_config.update(PRODUCTION, SECRET_KEY=key)
    line = refusal(app_config)
    assert line.startswith("assess: SECRET_KEY ") and words in line
    assert "token_hex(32)" in line


@pytest.mark.parametrize(
    "key",
    [
        "deploy-test-secret-key-0123456789abcdef0123",  # tests/deploy's production key
        "load-test-only-secret-key-0123456789abcdef0123",  # benchmarks/world.py's
        "Vgq3rT0xZ-8mN2wPk5yLc7bHs1dFj4uA",  # a random key of 32 characters
    ],
)
def test_production_accepts_a_strong_secret_key(app_config, key):
    app_config.update(PRODUCTION, SECRET_KEY=key)
    assert create_app(app_config).config["SECRET_KEY"] == key


@pytest.mark.parametrize("name", ["prod", "Production", "production ", "staging", "test"])
def test_an_unknown_assess_env_stops_the_start_instead_of_running_as_development(
    app_config, monkeypatch, tmp_path, name
):
    monkeypatch.setenv("ASSESS_ENV", name)
    monkeypatch.setenv("SECRET_KEY", PRODUCTION["SECRET_KEY"])
    monkeypatch.setenv("DATABASE_URL", app_config["DATABASE_URL"])
    monkeypatch.setenv("ASSESS_INSTANCE_PATH", str(tmp_path))
    line = refusal(None)
    assert f"ASSESS_ENV is {name!r}" in line and "set it to production" in line


def test_production_refuses_an_http_base_url_unless_allowed_by_name(app_config):
    app_config.update(PRODUCTION, BASE_URL="http://zelfscan.test")
    line = refusal(app_config)
    assert "BASE_URL 'http://zelfscan.test' is http://" in line
    assert "ASSESS_ALLOW_HTTP_BASE_URL=1" in line
    app_config["ALLOW_HTTP_BASE_URL"] = True
    assert create_app(app_config).config["BASE_URL"] == "http://zelfscan.test"


def test_production_refuses_switched_off_rate_limits_unless_allowed_by_name(app_config):
    app_config.update(PRODUCTION, RATELIMIT_ENABLED=False)
    line = refusal(app_config)
    assert "rate limits are switched off" in line and "ASSESS_ALLOW_NO_RATELIMIT=1" in line
    app_config["ALLOW_NO_RATELIMIT"] = True
    assert create_app(app_config).config["RATELIMIT_ENABLED"] is False


def test_the_overrides_come_from_their_own_environment_variables(app_config, monkeypatch, tmp_path):
    """What benchmarks/world.py sets for its gunicorn servers, read as the service reads it."""
    from benchmarks.world import SERVER_ENV

    for name, value in SERVER_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DATABASE_URL", app_config["DATABASE_URL"])
    monkeypatch.setenv("ASSESS_INSTANCE_PATH", str(tmp_path))
    config = create_app().config
    assert config["ENV_NAME"] == "production" and config["RATELIMIT_ENABLED"] is False
    monkeypatch.delenv("ASSESS_ALLOW_NO_RATELIMIT")
    assert "ASSESS_ALLOW_NO_RATELIMIT=1" in refusal(None)


def deploy_settings() -> dict[str, str]:
    """deploy/assess.env as sh reads it: KEY=value lines, a quoted value unquoted."""
    text = (Path(__file__).resolve().parents[2] / "deploy" / "assess.env").read_text()
    pairs = (line.split("=", 1) for line in text.splitlines() if line and line[0] != "#")
    return {key: value.strip('"') for key, value in pairs}


def start_with(monkeypatch, tmp_path, database_url: str, settings: dict[str, str]):
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("ASSESS_INSTANCE_PATH", str(tmp_path))
    return create_app()


def test_the_deploy_settings_start_in_production_only_with_a_real_key(
    app_config, monkeypatch, tmp_path
):
    """deploy/assess.env as shipped stops at its placeholder key; with tests/deploy's key (as
    tests/deploy/test_wheel.py fills it in) it passes every production check."""
    from tests.deploy.conftest import SECRET_KEY

    shipped = deploy_settings()
    assert shipped["ASSESS_ENV"] == "production" and shipped["BASE_URL"].startswith("https://")
    with pytest.raises(StartupError, match="SECRET_KEY"):
        start_with(monkeypatch, tmp_path, app_config["DATABASE_URL"], shipped)
    filled = shipped | {"SECRET_KEY": SECRET_KEY}
    app = start_with(monkeypatch, tmp_path, app_config["DATABASE_URL"], filled)
    assert app.config["ENV_NAME"] == "production"
    assert app.config["BASE_URL"] == "https://zelfscan.example.nl"


def test_the_deploy_tests_proxy_settings_pass_the_production_checks(
    app_config, monkeypatch, tmp_path
):
    """What tests/deploy/test_proxy.py and test_two_instances.py give gunicorn behind nginx."""
    from tests.deploy.conftest import production_env

    env = production_env(8443, app_config["DATABASE_URL"], tmp_path)
    app = start_with(monkeypatch, tmp_path, app_config["DATABASE_URL"], env)
    assert app.config["BASE_URL"] == "https://127.0.0.1:8443"


def test_production_sets_secure_cookies(app_config):
    app_config.update(PRODUCTION)
    assert create_app(app_config).config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    "base_url, hosts, words",
    [
        (None, "zelfscan.test", "set BASE_URL"),
        ("https://zelfscan.test", None, "set BASE_URL"),
        ("https://zelfscan.test", " , ", "set BASE_URL"),
        ("zelfscan.test", "zelfscan.test", "set BASE_URL"),
        ("https://elders.test", "zelfscan.test", "not in TRUSTED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_its_public_address(app_config, base_url, hosts, words):
    app_config.update(PRODUCTION, BASE_URL=base_url, TRUSTED_HOSTS=hosts)
    assert words in refusal(app_config)


def test_production_accepts_a_base_url_with_a_port_on_a_trusted_host(app_config):
    app_config.update(
        PRODUCTION, BASE_URL="https://127.0.0.1:8443", TRUSTED_HOSTS="127.0.0.1,localhost"
    )
    assert create_app(app_config).config["TRUSTED_HOSTS"] == ["127.0.0.1", "localhost"]


@pytest.mark.parametrize(
    "url, words",
    [("not a url", "not a database URL"), ("mysql://root@localhost/x", "use sqlite")],
)
def test_wrong_database_url_stops_with_one_line(app_config, url, words):
    app_config["DATABASE_URL"] = url
    with pytest.raises(StartupError) as info:
        create_app(app_config)
    assert words in str(info.value.code)


def test_development_start_generates_and_keeps_a_secret_key(app_config, tmp_path, monkeypatch):
    app_config.pop("SECRET_KEY")
    first = create_app(app_config)
    again = create_app(app_config)
    assert first.config["SECRET_KEY"] and first.config["SECRET_KEY"] == again.config["SECRET_KEY"]


def test_healthz_tells_an_anonymous_caller_only_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_healthz_gives_signed_in_staff_the_database_and_mail_backlog(client, trainer):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "database": "ok",
        "mail": {"queued": 0, "oldest_queued_seconds": None},
    }


def test_unknown_page_is_a_dutch_404(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.text


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_security_headers_on_every_page(client):
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_are_dutch_by_default_and_english_on_request(client):
    assert 'lang="nl"' in client.get("/auth/login").text
    client.post("/taal", data={"lang": "en", "next": "/auth/login"})
    page = client.get("/auth/login").text
    assert 'lang="en"' in page


def test_plotly_is_served_by_the_app_compressed_and_cached(client):
    response = client.get("/vendor/plotly.min.js", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "max-age=31536000" in response.headers["Cache-Control"]
