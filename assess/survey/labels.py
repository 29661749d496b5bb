"""The names people read: the measurement moments (one table for pages, exports and mail) and
the scales and sub-scales of a questionnaire (from the questionnaire file, in one place).

The msgids are Dutch (the default language); the English catalogue translates them. Mail text
stays Dutch by design, so mail asks for the names in Dutch whatever the sender's page language.
"""

from __future__ import annotations

from flask_babel import LazyString, force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from assess.engine.definition import Questionnaire
from assess.engine.moments import Moment

MOMENT_NAMES = {
    Moment.INTAKE: _l("voormeting"),
    Moment.EXIT: _l("nameting"),
    Moment.FOLLOWUP: _l("follow-up"),
    Moment.POLICY: _l("beleidsscan"),
    Moment.PULSE: _l("weekpuls"),
}


def moment_name(moment: str, locale: str | None = None) -> str:
    """The moment as it stands in a sentence ("de voormeting"), in the page's or the given locale."""
    if locale is None:
        return str(MOMENT_NAMES[Moment(moment)])
    with force_locale(locale):
        return str(MOMENT_NAMES[Moment(moment)])


def moment_title(moment: str, locale: str | None = None) -> str:
    """The moment as a heading or column title ("Voormeting")."""
    name = moment_name(moment, locale)
    return name[:1].upper() + name[1:]


def lazy_title(moment: str) -> LazyString:
    """moment_title, resolved when shown: for labels fixed when a form class is defined."""
    return LazyString(moment_title, moment)


def scale_titles(q: Questionnaire, lang: str) -> dict[str, str]:
    """Scale id -> title, with sub-scales as "scale.subscale", in the questionnaire's order."""
    titles = {}
    for scale in q.scales:
        titles[scale.id] = q.text(scale.title, lang)
        for sub in scale.subscales:
            titles[f"{scale.id}.{sub.id}"] = q.text(sub.title, lang)
    return titles


def questionnaire_title(q: Questionnaire, lang: str, *, with_version: bool = False) -> str:
    """The questionnaire as people know it, by its title, never its file id; `with_version`
    adds the version ("…, versie 2") where two versions can meet."""
    title = q.text(q.title, lang)
    return _("%(title)s, versie %(n)s", title=title, n=q.version) if with_version else title
