"""Survey pages from their skeleton look exactly like the template's page: every page of every
installed version, both languages, with answers of every kind (including text that must be
escaped), and the general path still serves what the skeleton leaves to it."""

import random
import re

import pytest
from flask import render_template, session
from flask_wtf.csrf import generate_csrf

from assess.db import db
from assess.engine.definition import NumericItem, TextItem
from assess.engine.moments import PARTICIPANT_MOMENTS
from assess.engine.simulate import simulate_answers
from assess.participant import skeleton
from assess.participant.page_state import OpenStatus
from assess.participant.session import moment_title
from assess.survey import forms as survey_forms
from assess.survey import questionnaires
from tests import factories as make

TRICKY = "Eerst \"bellen\", dan <b>mailen</b> & 'wachten'\r\nTweede regel"


def versions(app):
    with app.app_context():
        registry = questionnaires.registry()
        out = []
        for latest in registry.latest("participant"):
            for version in range(1, latest.version + 1):
                q = registry.get(latest.id, version)
                if q is not None:
                    out.append(q)
        return out


def answers_for(q, moment: str, seed: int) -> dict:
    """Simulated answers, with decimals in numbers and text that needs escaping."""
    answers = simulate_answers(q, moment, random.Random(seed), level=0.5)
    for section in q.sections_for(moment):
        for item in section.items:
            if isinstance(item, TextItem):
                answers[item.id] = TRICKY
            elif isinstance(item, NumericItem) and answers.get(item.id) is not None:
                answers[item.id] = float(answers[item.id]) + 0.5 if seed % 2 else answers[item.id]
    return {k: v for k, v in answers.items() if v is not None}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_page_from_its_skeleton_is_the_template_page(app, lang):
    checked = 0
    for q in versions(app):
        for moment in PARTICIPANT_MOMENTS:
            if moment not in q.moments:
                continue
            sections = survey_forms.pages(q, moment)
            for n, section in enumerate(sections, start=1):
                for stored in ({}, answers_for(q, moment, n)):
                    path = f"/deelnemer/{moment}/pagina/{n}"
                    with app.test_request_context(path):
                        session["lang"] = lang
                        generate_csrf()  # one token for both renderings
                        status = OpenStatus(moment, moment_title(q, moment, lang), None)
                        fast = skeleton.page(q, section, status, n, len(sections), stored, lang)
                        if any(getattr(item, "recall", None) for item in section.items):
                            assert fast is None  # the template shows the recalled text
                            continue
                        full = render_template(
                            "participant/page.html",
                            q=q,
                            status=status,
                            section=section,
                            form=survey_forms.page_form(q, section, stored, lang=lang),
                            n=n,
                            total=len(sections),
                            recalled={},
                        )
                        assert fast == full, (q.id, q.version, moment, n, lang)
                        checked += 1
    assert checked > 20


def test_a_stored_answer_shows_checked_and_typed_text_escaped(app, client):
    with app.app_context():
        pid, token = make.invited(make.cohort())
        q = questionnaires.get(make.INSTRUMENT)
    client.get(f"/s/{token}")
    section = q.sections_for("intake")[0]
    first = section.items[0]
    option = "3" if first.type == "likert" else first.options[0].value
    client.post("/deelnemer/intake/pagina/1", data={f"a_{first.id}": option, "action": "later"})
    for _ in range(3):  # the template (the "saved" message), the skeleton built, then cached
        page = client.get("/deelnemer/intake/pagina/1").get_data(as_text=True)
        checked = re.findall(r'<input checked id="[^"]*" name="([^"]*)"[^>]*value="([^"]*)"', page)
        assert checked == [(f"a_{first.id}", option)]
        assert "\x00" not in page and 'name="csrf_token" value=""' not in page


def test_a_page_from_its_skeleton_carries_a_token_that_saves(csrf_app):
    """With CSRF on, as in production: both forms carry the session's token, and a save with
    it is accepted, without it refused."""
    client = csrf_app.test_client()
    with csrf_app.app_context():
        pid, token = make.invited(make.cohort())
        q = questionnaires.get(make.INSTRUMENT)
    client.get(f"/s/{token}")
    client.get("/deelnemer/intake/pagina/1")  # builds the skeleton
    page = client.get("/deelnemer/intake/pagina/1").get_data(as_text=True)
    tokens = re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    tokens += re.findall(r'type="hidden" name="csrf_token" value="([^"]+)"', page)
    assert len(tokens) == 2 and len(set(tokens)) == 1
    data = {
        f"a_{item.id}": item.options[0].value if hasattr(item, "options") else "3"
        for item in q.sections_for("intake")[0].items
    }
    data["action"] = "later"
    assert client.post("/deelnemer/intake/pagina/1", data=data).status_code == 400
    data["csrf_token"] = tokens[0]
    assert client.post("/deelnemer/intake/pagina/1", data=data).status_code == 302


def test_a_page_with_a_message_still_shows_it(app, client):
    """A flash message is not in the skeleton: the template renders that page."""
    with app.app_context():
        pid, token = make.invited(make.cohort())
    client.get(f"/s/{token}")
    client.get("/deelnemer/intake/pagina/1")  # the skeleton exists
    with client.session_transaction() as s:
        s["_flashes"] = [("success", "Een bericht voor jou")]
    page = client.get("/deelnemer/intake/pagina/1").get_data(as_text=True)
    assert "Een bericht voor jou" in page
    with app.app_context():
        db.session.remove()
