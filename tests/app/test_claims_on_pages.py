"""Every report page of the demo, for every role and in both languages, says only what its
figures carry (assess/engine/claims.py): no caused effect of a one-group change, no chance read
into p, no probability read into an interval, no experts behind the scenario key, no "comparable"
without its margin."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from assess import demo
from assess.db import db
from assess.engine.moments import Moment
from assess.models import Cohort, Participant, Response, Status
from assess.survey import tokens

# Phrasings the issue found (nl and en) and their kin; as regular expressions on the lowercased
# page, chart data and table fallbacks included.
FORBIDDEN = (
    r"\beffect\b",  # "groot effect", "klein effect", "large effect", "effect size" …
    r"effectgrootte",
    r"meer dan toeval",
    r"more than chance",
    r"door de leergang",
    r"dankzij de leergang",
    r"(because of|due to|thanks to) the course",
    r"waarschijnlijk (tussen|ligt)",
    r"ligt waarschijnlijk",
    r"(probably|likely) (lies |is )?between",
    r"\bexperts?\b",
    r"vergelijkbaar met de sector(?! \(binnen)",
    r"comparable (to|with) the sector(?! \(within)",
    r"samen zeggen ze of",
    r"together they (say|show) whether",
    r"wat levert de leergang",
)


def findings(page: str) -> list[str]:
    text = page.lower()
    found = []
    for pattern in FORBIDDEN:
        for match in re.finditer(pattern, text):
            start = max(0, match.start() - 60)
            found.append(f"{pattern!r}: …{text[start : match.end() + 60]}…")
    return found


# Reliable-change counts on the trainer's analysis: each states the alpha it rests on, >= .70.
COUNTS = re.compile(r"\d+ (?:vooruit|improved), \d+ [^<(]*\((?:alfa|alpha) (-?\d+[.,]\d+)\)")
BARE_COUNTS = re.compile(r"\d+ (?:vooruit|improved), \d+ (?:gelijk|unchanged), \d+ \w+</td>")


def unreliable_counts(page: str) -> list[str]:
    low = [a for a in COUNTS.findall(page) if float(a.replace(",", ".")) < 0.70]
    return [f"RCI counts on alpha {a}" for a in low] + [
        f"RCI counts without their alpha: {m}" for m in BARE_COUNTS.findall(page)
    ]


def test_the_forbidden_list_catches_the_issues_own_sentences():
    # The sentences issue 27 quoted, as the old pages printed them: the list must find each.
    old = [
        "Uw consulenten hebben na de leergang meer grip op hun tijd: een groot effect (12 …",
        "Dat is vergelijkbaar met de sector.",
        "−4,5 – 17,0 … 0,40 (klein effect)",
        "15 punten vooruit; dat is meer dan toeval.",
        "★ is het antwoord dat experts het meest effectief vinden.",
        "De werkelijke gemiddelde verandering ligt waarschijnlijk tussen 2,10 en 5,30",
        "Samen zeggen ze of de groep meer grip kreeg",
        "0.40 (small effect)",
        "that is more than chance.",
        "★ is the answer experts consider most effective.",
    ]
    assert all(findings(sentence) for sentence in old)
    assert findings("vergelijkbaar met de sector (binnen 5 punten)") == []
    assert findings("het meest effectief volgens de ontwerpers; effectiviteit 3") == []
    assert unreliable_counts("<td>3 vooruit, 20 gelijk, 1 achteruit</td>")
    assert unreliable_counts("<td>3 vooruit, 20 gelijk, 1 achteruit (alfa 0,54)</td>")
    assert unreliable_counts("<td>3 improved, 20 unchanged, 1 declined (alpha 0.84)</td>") == []


@pytest.fixture
def world(app):
    with app.app_context():
        demo.load()
        cohorts = db.session.execute(select(Cohort.id).order_by(Cohort.id)).scalars().all()
        # someone with a submitted exit: their report shows a change
        person = db.session.execute(
            select(Participant)
            .join(Response, Response.participant_id == Participant.id)
            .where(Response.moment == Moment.EXIT, Response.status == Status.SUBMITTED)
            .order_by(Participant.id)
        ).scalar()
        return {
            "cohorts": cohorts,
            "participant": (person.cohort_id, person.id),
            "token": tokens.current_token(person),
        }


def pages_of(role: str, world: dict) -> list[str]:
    first, *rest = world["cohorts"]
    cohort_id, participant_id = world["participant"]
    if role == "trainer":
        found = [
            "/trainer/",
            "/trainer/vergelijken?" + "&".join(f"cohort={c}" for c in world["cohorts"]),
        ]
        for c in world["cohorts"]:
            found += [
                f"/trainer/cohorten/{c}",
                f"/trainer/cohorten/{c}/analyse",
                f"/trainer/cohorten/{c}/weekpuls",
                f"/trainer/cohorten/{c}/respons",
                f"/trainer/mail/{c}",
            ]
        return found + [f"/trainer/cohorten/{cohort_id}/deelnemers/{participant_id}/rapport"]
    if role == "manager":
        return ["/manager/", "/manager/?per=periode", "/manager/beleid", "/manager/beleidsscan"]
    if role == "admin":
        return [
            "/beheer/itemanalyse",
            f"/beheer/itemanalyse?moment={Moment.INTAKE}",
            *(f"/beheer/itemanalyse?cohort={c}" for c in [first, *rest]),
        ]
    return ["/deelnemer/", "/deelnemer/rapport", "/deelnemer/weekpuls/overzicht"]


LOGINS = {
    "trainer": ("trainer@example.nl", "demo-trainer-2026"),
    "manager": ("manager@delinde.example.nl", "demo-linde-2026"),
    "admin": ("beheer@example.nl", "demo-beheer-2026"),
}


def test_no_demo_report_page_says_more_than_its_figures_carry_in_dutch_or_english(app, auth, world):
    found: list[str] = []
    seen = counted = 0
    for role in ("participant", "trainer", "manager", "admin"):
        client = app.test_client()
        if role == "participant":
            assert client.get(f"/s/{world['token']}").status_code in (302, 303)
        else:
            email, password = LOGINS[role]
            assert (
                client.post("/auth/login", data={"email": email, "password": password}).status_code
                == 302
            )
        for lang in ("nl", "en"):
            assert client.post("/taal", data={"lang": lang, "next": "/"}).status_code == 302
            for path in pages_of(role, world):
                response = client.get(path)
                assert response.status_code == 200, (role, lang, path, response.status_code)
                page = response.text
                assert f'lang="{lang}"' in page, (role, lang, path)
                seen += 1
                found += [f"{role} {lang} {path}: {f}" for f in findings(page)]
                found += [f"{role} {lang} {path}: {f}" for f in unreliable_counts(page)]
                counted += len(COUNTS.findall(page))
    assert seen >= 40 and counted > 0  # the demo's main scales do show reliable change
    assert found == []
