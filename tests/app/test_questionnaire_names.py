"""Staff read a questionnaire by its title, never by its file id ("leergang-woonconsulent"):
every page a trainer, manager or admin can open, swept with the world of the other sweeps."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.app import viewers as sw
from tests.app.test_authorization_matrix import OK, TABLE, V, build_url, routes, url_values

STAFF = ("trainer", "manager", "admin")
# Attributes a person reads or hears; an option's value or a link's address they do not.
SHOWN_ATTRIBUTES = {"title", "aria-label", "alt", "placeholder"}


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        self.parts += [v or "" for k, v in attrs if k in SHOWN_ATTRIBUTES]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return " ".join(parser.parts)


@pytest.fixture(scope="module")
def setting(tmp_path_factory, database_url, password_hash):
    with sw.setting(tmp_path_factory.mktemp("names"), database_url, password_hash) as setting:
        yield setting


def staff_pages(app, world, cookies):
    """(viewer, url, html) of every GET page each staff role may open."""
    for endpoint, outcomes in sorted(TABLE.items()):
        rule = next(r for r in routes(app) if r.endpoint == endpoint)
        if "GET" not in rule.methods:
            continue
        url = build_url(app, rule, url_values(world))
        for viewer in STAFF:
            if outcomes[V.index(viewer)] != OK:
                continue
            response = sw.client_as(app, cookies[viewer]).get(url, follow_redirects=True)
            if response.mimetype == "text/html":
                yield viewer, url, response.text


def test_no_staff_page_shows_a_questionnaire_id(setting):
    app, world, cookies = setting
    with app.app_context():
        from assess.survey import questionnaires

        ids = {q.id for q in questionnaires.registry().latest()}
    # "beleidsscan" is also the Dutch word the pages use; its title is checked below instead.
    ids = {i for i in ids if "-" in i}
    assert "leergang-woonconsulent" in ids
    seen = 0
    problems = []
    for viewer, url, page in staff_pages(app, world, cookies):
        seen += 1
        text = visible_text(page)
        problems += [f"{viewer} {url} shows {i!r}" for i in sorted(ids) if i in text]
    assert seen > 30
    assert not problems, "\n".join(problems)


def test_the_title_and_version_stand_where_the_id_stood(setting):
    app, world, cookies = setting
    trainer = sw.client_as(app, cookies["trainer"])
    cohort = visible_text(trainer.get(f"/trainer/cohorten/{world.ids['cohort_a']}").text)
    assert "vragenlijst Zelfscan Leergang Woonconsulent" in cohort
    new = visible_text(trainer.get("/trainer/cohorten/nieuw").text)
    assert "Zelfscan Leergang Woonconsulent, versie 2" in new
    export = visible_text(trainer.get("/trainer/export").text)
    assert "Zelfscan Leergang Woonconsulent" in export
    admin = sw.client_as(app, cookies["admin"])
    items = visible_text(admin.get("/beheer/itemanalyse").text)
    assert "Versie 2 van Zelfscan Leergang Woonconsulent, versie 2" not in items
    assert "Versie 2 van Zelfscan Leergang Woonconsulent:" in items
    assert "Beleidsscan" in items
