"""plotly.js: the vendored partial bundle, brotli for browsers that take it (made once, ahead),
gzip for the rest, and only on pages that draw a chart."""

import gzip
import re
from pathlib import Path

import brotli
import pytest

from assess.reports import charts
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
    from flask import render_template_string

    with app.test_request_context():
        html = render_template_string(
            "{% from '_charts.html' import chart, chart_scripts %}"
            "{{ chart('c', {}, 'Titel') }}{{ chart_scripts() }}"
        )
    assert f"/vendor/plotly.min.js?v={main.PLOTLY_BUNDLE_TAG}" in html


def test_a_page_without_a_chart_loads_no_plotly(app):
    from flask import render_template_string

    with app.test_request_context():
        html = render_template_string(
            "{% from '_charts.html' import chart_scripts %}<p>Geen grafiek</p>{{ chart_scripts() }}"
        )
    assert "plotly" not in html and "charts.js" not in html


def test_the_bundle_is_the_plotly_js_version_the_figures_are_checked_against():
    """tests/conftest.py checks every figure with plotly.py's validator, which knows the
    attributes of the plotly.js it ships: that must be the version the pages load."""
    from importlib import resources

    full = resources.files("plotly").joinpath("package_data/plotly.min.js").read_bytes()[:200]
    assert f"v{main.PLOTLY_JS_VERSION}".encode() in full
    assert (
        f"(assess: scatter, bar, box - minified) v{main.PLOTLY_JS_VERSION}".encode()
        in main.plotly_source()[:200]
    )


def test_the_bundle_holds_every_trace_type_the_charts_use():
    """A chart with a trace type the partial bundle lacks would draw nothing in the browser.
    The charts make their traces only through the helpers in assess/reports/charts/__init__.py
    (one per trace type, named for it), so those name every type drawn."""
    source = (
        Path(__file__).parents[2] / "assess" / "reports" / "charts" / "__init__.py"
    ).read_text()
    helpers = re.findall(r"^def (\w+)\(\*\*attributes: object\) -> Trace:", source, re.M)
    used = {getattr(charts, name)()["type"] for name in helpers}
    assert used == set(helpers) >= {"scatter", "bar"}
    bundle = main.plotly_source().decode()
    missing = [t for t in sorted(used) if f'moduleType:"trace",name:"{t}"' not in bundle]
    assert not missing, f"trace types not in the plotly.js bundle: {missing}"
