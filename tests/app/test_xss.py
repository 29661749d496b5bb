"""Stored XSS and formula injection: hostile text in names, answers, cohort and organisation
names, mail texts and questionnaire texts comes out inert on every page and in every export."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from html.parser import HTMLParser
from itertools import cycle
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from openpyxl import load_workbook

from assess.db import db
from assess.models import Cohort, Organisation, Participant
from assess.survey import questionnaires
from tests import factories as make
from tests.app import viewers as sw
from tests.app.test_authorization_matrix import OK, TABLE, build_url, routes, url_values

ROOT = Path(__file__).resolve().parents[2]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

PAYLOADS = [
    "<script>alert('xss1')</script>",
    '"><img src=x onerror=alert(2)>',
    "javascript:alert(3)",
    "ssti{{7*7}}ssti",
    "</script><script>alert(4)</script>",
    "'\"><svg/onload=alert(5)>",
    '<a href="javascript:alert(6)">klik</a>',
    "\u202eRTL\u202c<b onmouseover=alert(7)>x</b>",
    "＜script＞alert(8)＜/script＞",
    "<!--<iframe src=//evil.example>-->",
    '=HYPERLINK("http://evil.example","klik")',
    "+SUM(1+1)",
    "-2+3",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
]


def hostile_questionnaires(target: Path) -> Path:
    """Copies of the installed questionnaires with a payload appended to every Dutch text."""
    target.mkdir(parents=True, exist_ok=True)
    texts = cycle(p for p in PAYLOADS if "{" not in p)

    def plant(node, key=None):
        if isinstance(node, dict) and node.get("id") == "weekpuls":
            # The weekly pulse must stay under a minute (the engine refuses a longer one), so
            # its texts stay as shipped; its page draws them with the same survey macros, and
            # hostile pulse answers are in the sweep through the world's free texts.
            return node
        if isinstance(node, dict):
            return {k: plant(v, k) for k, v in node.items()}
        if isinstance(node, list):
            return [plant(v) for v in node]
        if key == "nl" and isinstance(node, str):
            return f"{node} {next(texts)}"
        return node

    for source in (ROOT / "questionnaires").glob("*.yaml"):
        data = yaml.safe_load(source.read_text())
        (target / source.name).write_text(yaml.safe_dump(plant(data), allow_unicode=True))
    for other in (ROOT / "questionnaires").iterdir():
        if other.suffix != ".yaml" and other.is_file():
            shutil.copy(other, target / other.name)
    return target


def hostile_names() -> dict[str, str]:
    names = {}
    for n, payload in enumerate(PAYLOADS[:6], start=1):
        names[f"a{n}"] = f"Anna{n} {payload}"
        names[f"b{n}"] = f"Bart{n} {payload}"
    names |= {
        "org_a": "Woonstichting <script>alert('org')</script>",
        "org_b": "=cmd|' /C calc'!A0",
        "cohort_a": "Leergang ssti{{7*7}}ssti <img src=x onerror=alert('cohort')>",
        "cohort_b": '"><script>alert("cohortB")</script>',
    }
    return names


def hostile_answer(key: str) -> str:
    n = int(key[1:])
    return " ".join(PAYLOADS[(n - 1) * 2 % len(PAYLOADS) :][:3]) or PAYLOADS[0]


@pytest.fixture(scope="module")
def setting(tmp_path_factory, database_url, password_hash):
    def mail_texts(world: make.World) -> None:
        cohort = db.session.get(Cohort, world.ids["cohort_a"])
        cohort.mail_subject = "Uitnodiging <script>alert('subject')</script> {naam}"
        cohort.mail_body = "Beste {naam},\n\n<img src=x onerror=alert('mail')> {link}\n\n=1+1"

    tmp = tmp_path_factory.mktemp("xss")
    with sw.setting(
        tmp,
        database_url,
        password_hash,
        names=hostile_names(),
        free_text=hostile_answer,
        then=mail_texts,
        QUESTIONNAIRE_DIR=str(hostile_questionnaires(tmp / "questionnaires")),
    ) as setting:
        yield setting


# --------------------------------------------------------------------------- checks

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}
CONTROL = re.compile(r"[\x00-\x20]+")


class TagCheck(HTMLParser):
    """Collects what a browser would execute: handlers, javascript: URLs, scripts, frames."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.script: dict | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            url = CONTROL.sub("", value or "").lower()
            if name in URL_ATTRIBUTES and url.startswith(("javascript:", "vbscript:", "data:text")):
                self.problems.append(f"{name}={value!r} on <{tag}>")
        if tag in ("iframe", "object", "embed", "svg", "base", "frame"):
            self.problems.append(f"unexpected <{tag}> element")
        if tag == "script":
            self.script = dict(attrs)
            self.script_text = ""
            if self.script.get("type") != "application/json" and not re.match(
                r"^/(static|vendor)/", self.script.get("src") or ""
            ):
                self.problems.append(f"script that is neither our file nor JSON data: {attrs}")

    def handle_data(self, data):
        if self.script is not None:
            self.script_text += data

    def handle_endtag(self, tag):
        if tag == "script" and self.script is not None:
            if self.script.get("type") != "application/json" and self.script_text.strip():
                self.problems.append("inline script code")
            self.script = None


def inert_html_problems(body: str) -> list[str]:
    check = TagCheck()
    check.feed(body)
    check.close()
    problems = check.problems
    # JSON in a <script> block must not be able to close it (tojson escapes < as \u003c).
    for block in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', body, re.S):
        if "<" in block:
            problems.append("raw < inside a JSON data block")
    if "ssti49ssti" in body:
        problems.append("a template expression in data was evaluated")
    return problems


# The only markup plotly may read in a figure: our own line breaks, hover boxes and the bold
# we put around a (escaped) main scale's name.
OWN_CHART_MARKUP = re.compile(r"<br>|</?extra>|</?b>")


def chart_problems(body: str) -> list[str]:
    """plotly draws <a href>, <b>, <span style> in any figure text as markup: user text in a
    figure must reach it as entities, so the only tags left are our own."""
    problems = []
    pattern = r'<script type="application/json" id="([^"]*)-data">(.*?)</script>'
    for chart_id, data in re.findall(pattern, body, re.S):
        problems += [f"chart {chart_id}: markup in {t!r}" for t in chart_texts(json.loads(data))]
    return problems


def chart_texts(node) -> list[str]:
    """Every string in a figure that still holds markup other than our own."""
    if isinstance(node, dict):
        return [t for value in node.values() for t in chart_texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in chart_texts(value)]
    if isinstance(node, str) and "<" in OWN_CHART_MARKUP.sub("", node):
        return [node]
    return []


def csv_problems(data: bytes) -> list[str]:
    # The default CSV is the Dutch spreadsheet's (BOM, ';'); the plain one is comma-separated.
    delimiter = ";" if data.startswith("\ufeff".encode()) else ","
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter)
    return [
        f"formula cell {cell!r}"
        for row in rows
        for cell in row
        if cell.startswith(FORMULA_STARTS) and not is_number(cell)
    ]


def xlsx_problems(data: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(data))
    problems = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    problems.append(f"formula in {sheet.title}!{cell.coordinate}: {cell.value!r}")
                elif isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    problems.append(f"formula-like text in {sheet.title}!{cell.coordinate}")
    return problems


def is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def pages(app, world):
    """(viewer, url) for every GET route a viewer may open, plus previews and downloads."""
    values = url_values(world)
    for rule in sorted(routes(app), key=lambda r: r.endpoint):
        if "GET" not in rule.methods or rule.endpoint not in TABLE:
            continue
        url = build_url(app, rule, values)
        for viewer, expected in zip(sw.VIEWERS, TABLE[rule.endpoint], strict=True):
            if expected == OK and rule.endpoint != "participant.enter":
                yield viewer, url
    cohort_a, cohort_b, a1 = world.ids["cohort_a"], world.ids["cohort_b"], world.ids["a1"]
    preview = f"/trainer/mail/{cohort_a}/versturen?moment=intake&recipients=one&participant={a1}"
    yield "trainer", preview
    yield "admin", f"/trainer/vergelijken?cohort={cohort_a}&cohort={cohort_b}"
    yield "admin", f"/beheer/organisaties/{world.ids['org_b']}"
    yield "admin", f"/beheer/accounts/{world.ids['manager_a']}"


def downloads(world):
    cohort_a = world.ids["cohort_a"]
    for form in ("lang", "breed", "codeboek"):
        for formaat in ("csv", "csv-punt", "xlsx"):
            kind = "xlsx" if formaat == "xlsx" else "csv"
            query = f"download=1&vorm={form}&formaat={formaat}&namen=1&bevestig=1"
            yield "trainer", f"/trainer/cohorten/{cohort_a}/export?{query}", kind
            yield "admin", f"/trainer/export?{query}&vragenlijst=leergang-woonconsulent", kind
    yield "manager", "/manager/rapportage.xlsx", "xlsx"


# --------------------------------------------------------------------------- tests


def test_every_page_shows_hostile_text_inert(setting):
    app, world, cookies = setting
    problems = []
    checked = 0
    for viewer, url in pages(app, world):
        response = sw.client_as(app, cookies[viewer]).get(url)
        if response.status_code >= 500:
            problems.append(f"{viewer} {url}: {response.status_code}")
        if response.mimetype == "text/html":
            checked += 1
            problems += [f"{viewer} {url}: {p}" for p in inert_html_problems(response.text)]
    assert checked > 40
    assert not problems, "\n".join(sorted(set(problems)))


def test_charts_draw_hostile_names_as_text_not_as_plotly_markup(setting):
    app, world, cookies = setting
    problems = []
    charts = 0
    for viewer, url in pages(app, world):
        response = sw.client_as(app, cookies[viewer]).get(url)
        if response.mimetype == "text/html" and 'class="chart"' in response.text:
            charts += response.text.count('class="chart"')
            problems += [f"{viewer} {url}: {p}" for p in chart_problems(response.text)]
    assert charts > 5
    assert not problems, "\n".join(sorted(set(problems))[:20])


def test_pages_show_the_hostile_text_escaped_not_dropped(setting):
    """The control: the planted text is on the pages, as text."""
    app, world, cookies = setting
    cohort = sw.client_as(app, cookies["trainer"]).get(f"/trainer/cohorten/{world.ids['cohort_a']}")
    assert str(escape(hostile_names()["a2"])) in cohort.text
    assert str(escape(hostile_names()["cohort_a"])) in cohort.text
    survey = sw.client_as(app, cookies["participant"]).get("/deelnemer/exit/pagina/1")
    # The questionnaire's own texts carry payloads too (which ones land on this page depends on
    # how many texts the installed versions have): the page's item texts, escaped, and among them
    # at least two payloads with markup.
    with app.app_context():
        q = questionnaires.get(make.INSTRUMENT)
        texts = [q.item_text(item) for item in q.sections_for("exit")[0].items]
    for text in texts:
        assert str(escape(text)) in survey.text
    assert sum(str(escape(p)) in survey.text for p in PAYLOADS if "<" in p) >= 2


def test_the_mail_preview_escapes_the_trainers_text_and_the_names(setting):
    app, world, cookies = setting
    a1 = world.ids["a1"]
    url = f"/trainer/mail/{world.ids['cohort_a']}/versturen?moment=intake&recipients=one&participant={a1}"
    page = sw.client_as(app, cookies["trainer"]).get(url).text
    assert "&lt;img src=x onerror=alert(&#39;mail&#39;)&gt;" in page
    assert not inert_html_problems(page)


@pytest.mark.parametrize("index", range(19))  # 3 forms x 3 files x 2 viewers + the manager
def test_exports_neutralise_formulas(setting, index):
    app, world, cookies = setting
    viewer, url, kind = list(downloads(world))[index]
    response = sw.client_as(app, cookies[viewer]).get(url)
    assert response.status_code == 200, url
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Cache-Control"] == "no-store"
    problems = csv_problems(response.data) if kind == "csv" else xlsx_problems(response.data)
    assert not problems, f"{url}: {problems[:5]}"


def test_exports_keep_the_hostile_text_readable(setting):
    app, world, cookies = setting
    url = f"/trainer/cohorten/{world.ids['cohort_a']}/export?download=1&vorm=lang&formaat=csv&namen=1&bevestig=1"
    text = sw.client_as(app, cookies["trainer"]).get(url).data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text or "'+SUM" in text or "'-2+3" in text


def test_the_data_download_is_an_attachment_that_no_browser_renders(setting):
    app, _world, cookies = setting
    response = sw.client_as(app, cookies["participant"]).get("/deelnemer/mijn-gegevens.json")
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    json.loads(response.data)


HOSTILE_TEXT = st.text(
    # No NUL: PostgreSQL text cannot hold it (form input replaces it, see security.Request).
    alphabet=st.sampled_from(list("<>\"'&/=;:()[]{}`\\ ab1é\u202e\u2028")),
    min_size=1,
    max_size=40,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=HOSTILE_TEXT)
def test_any_text_in_names_and_answers_comes_out_escaped(setting, text):
    app, world, cookies = setting
    marked = f"Xq{text}Qx"
    with app.app_context():
        person = db.session.get(Participant, world.ids["a3"])
        person.name = marked
        db.session.get(Cohort, world.ids["cohort_a"]).name = marked
        db.session.get(Organisation, world.ids["org_a"]).name = marked[:200]
        db.session.commit()
    trainer = sw.client_as(app, cookies["trainer"])
    cohort_a = world.ids["cohort_a"]
    for url in (
        f"/trainer/cohorten/{cohort_a}",
        f"/trainer/cohorten/{cohort_a}/deelnemers/{world.ids['a3']}/rapport",
        "/trainer/",
    ):
        page = trainer.get(url)
        assert page.status_code == 200, url
        assert not inert_html_problems(page.text), url
        assert str(escape(marked)) in page.text, url
    for viewer, url in (("manager", "/manager/"), ("admin", "/beheer/organisaties")):
        page = sw.client_as(app, cookies[viewer]).get(url)
        assert page.status_code == 200 and not inert_html_problems(page.text), url


def test_no_template_marks_user_data_safe():
    """`|safe`, autoescape off and Markup() on user data are the doors XSS comes in through."""
    # Both build their HTML only from escaped pieces (paragraphs(), radio_options()).
    allowed_markup = {"assess/trainer/mail/texts.py", "assess/survey/forms.py"}
    problems = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        for pattern in (r"\|\s*safe\b", r"autoescape\s+false", r"\|\s*unescape"):
            if re.search(pattern, text):
                problems.append(f"{path.relative_to(ROOT)}: {pattern}")
    for path in (ROOT / "assess").rglob("*.py"):
        relative = str(path.relative_to(ROOT))
        if re.search(r"\bMarkup\(", path.read_text()) and relative not in allowed_markup:
            problems.append(f"{relative}: Markup()")
    assert not problems, problems
