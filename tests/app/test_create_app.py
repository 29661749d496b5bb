"""The app factory, configuration checks, health check, error pages and headers."""

import pytest

from assess import create_app
from assess.config import StartupError


def test_config_mapping_is_used(app):
    assert app.testing
    assert app.config["MIN_GROUP_SIZE"] == 5


def test_min_group_size_never_below_three(app_config):
    app_config["MIN_GROUP_SIZE"] = 1
    assert create_app(app_config).config["MIN_GROUP_SIZE"] == 3


@pytest.mark.parametrize("key", [None, "", "changeme", "secret", "short-key"])
def test_production_refuses_placeholder_secret_key(app_config, key):
    app_config.update(ENV_NAME="production", SECRET_KEY=key)
    with pytest.raises(StartupError) as info:
        create_app(app_config)
    assert "SECRET_KEY" in str(info.value.code)
    assert "\n" not in str(info.value.code)


def test_production_sets_secure_cookies(app_config):
    app_config.update(ENV_NAME="production", SECRET_KEY="k" * 40, TRUSTED_HOSTS="zelfscan.test")
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
    app_config.update(
        ENV_NAME="production", SECRET_KEY="k" * 40, BASE_URL=base_url, TRUSTED_HOSTS=hosts
    )
    with pytest.raises(StartupError) as info:
        create_app(app_config)
    assert words in str(info.value.code)
    assert "\n" not in str(info.value.code)


def test_production_accepts_a_base_url_with_a_port_on_a_trusted_host(app_config):
    app_config.update(
        ENV_NAME="production",
        SECRET_KEY="k" * 40,
        BASE_URL="https://127.0.0.1:8443",
        TRUSTED_HOSTS="127.0.0.1,localhost",
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


def test_healthz_reports_database_ok(client):
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
