"""plotly.js: brotli for browsers that take it (made once, ahead), gzip for the rest."""

import gzip

import brotli
import pytest

from assess.web import main


@pytest.fixture
def brotli_copy(tmp_path, monkeypatch):
    """The brotli copy goes to a temporary folder instead of instance/."""
    path = tmp_path / "vendor" / "plotly.min.js.br"
    monkeypatch.setattr(main, "plotly_brotli_path", lambda: path)
    return path


def test_precompress_writes_the_brotli_copy_the_app_then_serves(runner, client, brotli_copy):
    result = runner.invoke(args=["precompress", "--quality", "1"])
    assert result.exit_code == 0 and str(brotli_copy) in result.output

    response = client.get("/vendor/plotly.min.js", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert "immutable" in response.headers["Cache-Control"]
    plain = client.get("/vendor/plotly.min.js", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert brotli.decompress(response.data) == plain.data


def test_without_a_brotli_copy_br_browsers_get_gzip(client, brotli_copy):
    response = client.get("/vendor/plotly.min.js", headers={"Accept-Encoding": "br, gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.data).startswith(b"/**")


def test_a_refused_encoding_is_not_used(runner, client, brotli_copy):
    runner.invoke(args=["precompress", "--quality", "1"])
    response = client.get("/vendor/plotly.min.js", headers={"Accept-Encoding": "br;q=0, gzip"})
    assert response.headers["Content-Encoding"] == "gzip"


def test_the_chart_script_url_carries_the_plotly_version(app):
    """The year-long cache is only safe when a new plotly version gets a new URL."""
    import plotly
    from flask import render_template_string

    with app.test_request_context():
        html = render_template_string(
            "{% from '_charts.html' import chart_scripts %}{{ chart_scripts() }}"
        )
    assert f"/vendor/plotly.min.js?v={plotly.__version__}" in html
