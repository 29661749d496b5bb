"""The audit log in words: what each action code, actor and target means to an admin.

The database keeps the stable codes (scripts and retention rely on them); the page shows
Dutch (or English) words, names of the objects that still exist with a link to them, and
the detail as a sentence instead of JSON. An action without a label shows its code, so a
new action never breaks the page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from assess.db import db
from assess.models import AuditEvent, Cohort, Organisation, Participant, Response, Role, User
from assess.reports.organisation import groups as org_groups
from assess.survey.labels import moment_name

ROLE_NAMES = {
    Role.ADMIN: _l("beheerder"),
    Role.TRAINER: _l("trainer"),
    Role.MANAGER: _l("manager"),
}

ACTIONS = {
    "login": _l("ingelogd"),
    "login_failed": _l("inloggen mislukt"),
    "login_refused_inactive": _l("inloggen geweigerd: account gedeactiveerd"),
    "logout": _l("uitgelogd"),
    "password_changed": _l("eigen wachtwoord gewijzigd"),
    "password_reset": _l("wachtwoord opnieuw ingesteld"),
    "account_created": _l("account aangemaakt"),
    "account_updated": _l("account gewijzigd"),
    "account_activated": _l("account weer geactiveerd"),
    "account_deactivated": _l("account gedeactiveerd"),
    "organisation_created": _l("corporatie toegevoegd"),
    "organisation_renamed": _l("corporatie hernoemd"),
    "organisation_activated": _l("corporatie weer geactiveerd"),
    "organisation_deactivated": _l("corporatie gedeactiveerd"),
    "create_cohort": _l("cohort aangemaakt"),
    "edit_cohort": _l("cohort gewijzigd"),
    "archive_cohort": _l("cohort gearchiveerd"),
    "unarchive_cohort": _l("cohort uit het archief gehaald"),
    "add_participant": _l("deelnemer toegevoegd"),
    "import_participants": _l("deelnemerslijst ingelezen"),
    "move_participant": _l("deelnemer verplaatst"),
    "revoke_link": _l("link ingetrokken"),
    "reissue_link": _l("nieuwe link gemaakt"),
    "participant_erased": _l("deelnemer gewist"),
    "participant_data_exported": _l("gegevens van deelnemer gedownload"),
    "view_participant_report": _l("rapport van deelnemer bekeken"),
    "view_cohort_analysis": _l("analyse van cohort bekeken"),
    "view_cohort_comparison": _l("cohorten vergeleken"),
    "view_course_brief": _l("voorbereiding op de lesdag bekeken"),
    "view_item_analysis": _l("itemanalyse bekeken"),
    "view_shared_goals": _l("gedeelde doelen van deelnemers bekeken"),
    "edit_goals_day": _l("lesdag voor de doelen gewijzigd"),
    "export_responses": _l("antwoorden geëxporteerd"),
    "response.submitted": _l("antwoorden ingediend"),
    "policy_scan_submitted": _l("beleidsscan ingediend"),
    "org_report_exported": _l("rapportage van corporatie gedownload"),
    "mail.invitations_sent": _l("uitnodigingen verstuurd"),
    "mail.text_saved": _l("tekst van de uitnodiging opgeslagen"),
    "mail.text_reset": _l("standaardtekst van de uitnodiging teruggezet"),
    "purge": _l("oude gegevens opgeruimd"),
    "view_cohort": _l("cohort bekeken"),
    "view_response_tracking": _l("invulstand van cohort bekeken"),
    "edit_pulse_schedule": _l("weekpuls ingesteld"),
    "view_pulse_answers": _l("antwoorden op de weekpuls bekeken"),
    "org_report_viewed": _l("rapportage van corporatie bekeken"),
    "policy_gap_viewed": _l("beleid naast werkvloer bekeken"),
    "participant_link_opened": _l("persoonlijke link geopend"),
    "erasure_requested": _l("wissen van gegevens aangevraagd"),
    "view_erasure_requests": _l("verzoeken om te wissen bekeken"),
}

DETAIL_KEYS = {
    "role": _l("rol"),
    "organisation": _l("corporatie"),
    "name": _l("naam"),
    "from": _l("van"),
    "to": _l("naar"),
    "count": _l("aantal"),
    "moment": _l("meting"),
    "sent": _l("verstuurd"),
    "failed": _l("mislukt"),
    "generated": _l("gegenereerd"),
    "form": _l("vorm"),
    "format": _l("bestandsformaat"),
    "names": _l("met namen"),
    "before": _l("van vóór"),
    "rows": _l("rijen"),
    "erased": _l("gewist"),
    "code": _l("code"),
    "group": _l("groep"),
    "on_request": _l("op verzoek"),
    "queued": _l("in de wachtrij"),
    "own_text": _l("eigen tekst"),
}

# The tables an erasure or purge counts rows of ("rijen: antwoorden 50, logregels 2").
TABLE_WORDS = {
    "organisation": _l("corporaties"),
    "user": _l("accounts"),
    "cohort": _l("cohorten"),
    "moment_window": _l("meetperiodes"),
    "participant": _l("deelnemers"),
    "response": _l("ingevulde vragenlijsten"),
    "answer": _l("antwoorden"),
    "score": _l("scores"),
    "mail_log": _l("verstuurde mails"),
    "mail_outbox": _l("mails in de wachtrij"),
    "erasure_request": _l("verzoeken om te wissen"),
    "audit_event": _l("logregels"),
    "report_release": _l("vrijgaven"),
    "release_member": _l("leden van vrijgaven"),
    "pulse_response": _l("weekpulsen"),
    "pulse_answer": _l("antwoorden op de weekpuls"),
    "pulse_stop": _l("afmeldingen voor de weekpuls"),
}


def action_label(code: str) -> str:
    label = ACTIONS.get(code)
    return str(label) if label is not None else code


def role_label(code: str) -> str:
    label = ROLE_NAMES.get(code)  # type: ignore[call-overload]
    return str(label) if label is not None else code


@dataclass(frozen=True)
class Named:
    """One object on a line of the log: a readable name and, while it exists, a link."""

    text: str
    href: str | None = None
    code: str | None = None  # a participant's pseudonym, to check an event against


def _value(key: str, value: object, names: dict[tuple[str, int], Named]) -> str:
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if key == "role" and isinstance(value, str):
        return role_label(value)
    if key == "moment" and isinstance(value, str):
        try:
            return moment_name(value)
        except ValueError:
            return value
    if key in ("from", "to") and isinstance(value, int):
        return names.get(("cohort", value), Named(_("cohort %(id)s", id=value))).text
    if key == "organisation":
        if value is None:
            return _("geen")
        if isinstance(value, int):
            found = names.get(("organisation", value))
            return found.text if found else _("corporatie %(id)s", id=value)
    if key == "group" and isinstance(value, str):
        return _group(value, names)
    if isinstance(value, dict):
        return ", ".join(f"{TABLE_WORDS.get(k, k)} {v}" for k, v in value.items())
    return str(value)


def _group(key: str, names: dict[tuple[str, int], Named]) -> str:
    """A manager report's group key ("alle", "cohort-3", "periode-2026-1") in words."""
    kind, _sep, rest = key.partition("-")
    if key == org_groups.ALL:
        return _("alle deelnemers")
    if kind == "cohort" and rest.isdigit():
        return names.get(("cohort", int(rest)), Named(_("cohort %(id)s", id=rest))).text
    if kind == "periode":
        try:
            return org_groups.half_year_label(rest)
        except ValueError:
            return key
    return key


def detail_text(raw: str | None, names: dict[tuple[str, int], Named]) -> str:
    """The stored JSON detail as 'rol: manager; corporatie: Woonbron'."""
    if not raw:
        return ""
    try:
        detail = json.loads(raw)
    except ValueError:
        return raw
    if not isinstance(detail, dict):
        return str(detail)
    if detail.get("erased") is True:
        return _("gegevens gewist")
    parts = []
    for key, value in detail.items():
        label = DETAIL_KEYS.get(key)
        parts.append(f"{label if label is not None else key}: {_value(key, value, names)}")
    return "; ".join(parts)


def _cohort_ids_in_details(events: list[AuditEvent]) -> set[int]:
    found: set[int] = set()
    for e in events:
        if e.action == "move_participant" and e.detail:
            try:
                detail = json.loads(e.detail)
            except ValueError:
                continue
            found |= {v for k, v in detail.items() if k in ("from", "to") and isinstance(v, int)}
    return found


def _organisation_ids_in_details(events: list[AuditEvent]) -> set[int]:
    found: set[int] = set()
    for e in events:
        if e.action.startswith("account_") and e.detail:
            try:
                value = json.loads(e.detail).get("organisation")
            except (ValueError, AttributeError):
                continue
            if isinstance(value, int):
                found.add(value)
    return found


def names(events: list[AuditEvent]) -> dict[tuple[str, int], Named]:
    """Names and links of every object a page of the log mentions that still exists.

    One query per kind of object, whatever the length of the page.
    """
    wanted: dict[str, set[int]] = {}
    for e in events:
        if e.actor_id is not None and e.actor_type in ("user", "participant"):
            wanted.setdefault(e.actor_type, set()).add(e.actor_id)
        if e.target_id is not None and e.target_type:
            wanted.setdefault(e.target_type, set()).add(e.target_id)
    wanted.setdefault("cohort", set()).update(_cohort_ids_in_details(events))
    wanted.setdefault("organisation", set()).update(_organisation_ids_in_details(events))
    out: dict[tuple[str, int], Named] = {}
    if ids := wanted.get("user"):
        for uid, email in db.session.execute(select(User.id, User.email).where(User.id.in_(ids))):
            out["user", uid] = Named(email, url_for("admin.account", user_id=uid))
    if ids := wanted.get("organisation"):
        rows = db.session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
        )
        for oid, name in rows:
            out["organisation", oid] = Named(name, url_for("admin.organisation", org_id=oid))
    if ids := wanted.get("cohort"):
        for cid, name in db.session.execute(
            select(Cohort.id, Cohort.name).where(Cohort.id.in_(ids))
        ):
            out["cohort", cid] = Named(name, url_for("trainer.cohort", cohort_id=cid))
    participant_ids = set(wanted.get("participant", set()))
    response_owner: dict[int, int] = {}
    if ids := wanted.get("response"):
        response_owner = {
            rid: pid
            for rid, pid in db.session.execute(
                select(Response.id, Response.participant_id).where(Response.id.in_(ids))
            )
            if pid is not None
        }
        participant_ids |= set(response_owner.values())
    people: dict[int, Named] = {}
    if participant_ids:
        found_people = db.session.execute(
            select(Participant.id, Participant.name, Participant.cohort_id, Participant.code).where(
                Participant.id.in_(participant_ids)
            )
        )
        for pid, name, cid, code in found_people:
            href = url_for("trainer.cohort", cohort_id=cid, _anchor=f"p{pid}")
            people[pid] = Named(name, href, code)
    for pid, named in people.items():
        out["participant", pid] = named
    for rid, pid in response_owner.items():
        if pid in people:
            out["response", rid] = Named(
                _("antwoorden van %(name)s", name=people[pid].text),
                people[pid].href,
                people[pid].code,
            )
    return out


KIND_WORDS = {
    "user": _l("account"),
    "participant": _l("deelnemer"),
    "organisation": _l("corporatie"),
    "cohort": _l("cohort"),
    "response": _l("antwoorden"),
}


def actor(event: AuditEvent, found: dict[tuple[str, int], Named]) -> Named:
    if event.actor_type == "system":
        return Named(_("het systeem"))
    if event.actor_type == "anonymous":
        return Named(_("niet ingelogd"))
    named = found.get((event.actor_type, event.actor_id)) if event.actor_id is not None else None
    if named is not None and still_the_one(event, named):
        return named
    return gone(event.actor_type, event.actor_id)


def target(event: AuditEvent, found: dict[tuple[str, int], Named]) -> Named | None:
    if not event.target_type:
        return None
    if event.target_id is None:
        return Named(_("onbekend e-mailadres")) if event.target_type == "user" else None
    named = found.get((event.target_type, event.target_id))
    if named is not None and still_the_one(event, named):
        return named
    return gone(event.target_type, event.target_id)


def still_the_one(event: AuditEvent, named: Named) -> bool:
    """Whether the participant found under an event's id is the one the event was about.

    An event of an erased participant names nobody any more, and one that kept the code of
    its participant names only the participant with that code: should an id ever be given
    out again (SQLite did so before AUTOINCREMENT), the log still never shows the new person
    for the old one's events.
    """
    if named.code is None:
        return True  # not a participant: staff, cohorts and organisations are never erased
    try:
        detail = json.loads(event.detail) if event.detail else {}
    except ValueError:
        detail = {}
    if not isinstance(detail, dict):
        return True
    if detail.get("erased") is True:
        return False
    kept = detail.get("code")
    return kept is None or kept == named.code


def gone(kind: str, ident: int | None) -> Named:
    """An object that no longer exists (erased or removed): its kind and number, no link."""
    word = KIND_WORDS.get(kind)
    label = str(word) if word is not None else kind
    return Named(_("%(kind)s %(id)s (bestaat niet meer)", kind=label, id=ident or "?"))
