"""Every sentence that tells someone who sees what: one place, so that each promise can be read
next to the rule that keeps it and tested against what every role can actually reach
(tests/app/test_promises.py renders each role's pages, chart data, exports and mails).

Pages reach this module as the Jinja global `promises` (assess/__init__.py); a sentence with a
number is a function of it (the minimum group size comes in as an argument, as everywhere on
the read side). Mails go out in Dutch whatever the page's language (assess/trainer/mail/texts.py),
so their sentences are plain Dutch. Change a sentence here only together with what it
promises, and the other way round.

What each role can reach, in short (the rules live where the figures are made):
- participant: all their own answers, scores, report and weekly pulses;
- trainer: the survey answers and scores of the participants of their own cohorts (every
  opening of one person's report is logged); of the weekly pulse only group figures, each week
  from the minimum group on, and the "wat werkte" texts without name, code or telling order
  (reports/pulses.py, reports/exports.py pulse_rows);
- manager: released aggregates of their own corporation of at least the minimum group, the
  weekly pulse included (reports/organisation/);
- admin: the item analysis from the minimum group on (reports/item_analysis.py), and individual
  results only through logged reads.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

# --------------------------------------------------------------------------- to the participant

YOU_SEE_EVERYTHING = _l("Jij ziet al je antwoorden en je persoonlijke rapport.")
TRAINER_SEES_SURVEY = _l(
    "Je trainer ziet je antwoorden en scores van de zelfscan, om de leergang op jou en de groep"
    " af te stemmen."
)
# The pulse: said on the participant's weeks page (after each pulse) and on the home page.
TRAINER_SEES_PULSE_GROUP = _l(
    "Je trainer ziet de weken van de hele groep, niet die van jou apart. Wat je bij „wat werkte”"
    " schrijft, ziet je trainer zonder je naam, tussen de antwoorden van de groep."
)
MANAGER_NEVER_SEES_OWN_WEEKS = _l("Je leidinggevende ziet nooit jouw eigen weken.")
LINK_HOLDER_SEES = _l(
    "Deel je persoonlijke link niet met anderen: wie de link heeft, kan je antwoorden zien."
)
# On the erasure page: who still sees (or holds) what after an erasure.
ERASURE_WHAT_REMAINS = _l(
    "Vanaf je verzoek krijg je geen e-mails meer van de zelfscan. Na het wissen worden ook de "
    "bestanden van de database opgeschoond, zodat je gegevens er niet meer in staan; de "
    'beheerder ziet "nog bezig" tot dat klaar is. Wat dan nog overblijft: back-ups van de '
    "database bevatten je gegevens tot ze worden vervangen (na een week), en op een "
    "PostgreSQL-databaseserver kan vrijgegeven ruimte in de bestanden en het transactielog "
    "van de server je gegevens nog bevatten tot die wordt overschreven; de app kan ze daar "
    "niet meer lezen."
)
# Goals (issue 28): the trainer reads a goal's words only when it is shared; the goal
# figures of a group only from the minimum group; managers see nothing of goals
# (tests/participant/test_goals.py, tests/trainer/test_goals.py, the authorization matrix).
GOALS_ARE_YOURS = _l(
    "Je doelen zijn van jou. Je trainer leest een doel alleen als je het deelt, en ziet verder"
    " alleen cijfers van de hele groep; je leidinggevende ziet niets van je doelen."
)
IDLE_CLOSED = _l("Zo kan niemand anders op deze computer je antwoorden zien.")


def manager_sees_groups(minimum: int) -> str:
    """To the participant: what their manager and corporation see of them."""
    return _(
        "Je leidinggevende en je corporatie zien nooit jouw eigen antwoorden: alleen resultaten"
        " van een groep van minstens %(n)s deelnemers.",
        n=minimum,
    )


def trainer_pulse_minimum(minimum: int) -> str:
    """To the participant: from how many answers a week of the pulse shows its figures."""
    return _(
        "Je trainer ziet de cijfers van een week pas als minstens %(n)s deelnemers hem hebben"
        " ingevuld.",
        n=minimum,
    )


# --------------------------------------------------------------------------- in mails (Dutch)

MAIL_WHO_SEES_SURVEY = (
    "Wie ziet je antwoorden? Jij en je trainer. Je leidinggevende ziet nooit jouw eigen"
    " antwoorden, alleen resultaten van een groep."
)
MAIL_WHO_SEES_PULSE = (
    "Wie ziet je weekpuls? Jij ziet je eigen weken. Je trainer ziet alleen de weken van de hele"
    " groep, niet die van jou apart. Je leidinggevende ziet nooit jouw eigen weken."
)

# --------------------------------------------------------------------------- to the trainer

TRAINER_WORKED_UNNAMED = _l("Zonder namen en op alfabet, voor het gesprek op de volgende lesdag.")
TRAINER_REPORT_LOGGED = _l(
    "Dit is het rapport zoals de deelnemer het ziet, zonder de weekpuls: die ziet alleen de"
    " deelnemer zelf. Dat je het opent, wordt vastgelegd in het logboek."
)


def trainer_pulse_hidden(minimum: int) -> str:
    """On the trainer's pulse page: a small week shows its response only."""
    return _(
        "Een week met minder dan %(n)s ingevulde weekpulsen toont alleen de respons: de cijfers en"
        " antwoorden van zo weinig mensen blijven verborgen.",
        n=minimum,
    )


def trainer_pulse_export(minimum: int) -> str:
    """The export choice 'weekpuls': group figures per week, no row per person."""
    return _(
        "Weekpuls: per cohort en week de cijfers van de groep (aantal, mediaan, middelste helft,"
        " keuzes), geen regel per deelnemer; een week met minder dan %(n)s antwoorden alleen met"
        " de respons (in Excel ook als tabblad bij breed en lang)",
        n=minimum,
    )


# --------------------------------------------------------------------------- to the manager


def manager_never_individuals(minimum: int) -> str:
    return _(
        "U ziet nooit individuele deelnemers. Elk cijfer rust op minstens %(n)d deelnemers met"
        " zowel een voormeting als een nameting; kleinere groepen tonen we niet, zodat niemand"
        " herleidbaar is.",
        n=minimum,
    )


def manager_pulse_released(minimum: int) -> str:
    return _(
        "Er zijn nog geen weekpulsen in de vrijgegeven cijfers. Een week verschijnt hier pas als"
        " minstens %(n)d deelnemers van uw corporatie hem hebben ingevuld en de cijfers daarna"
        " opnieuw zijn vrijgegeven.",
        n=minimum,
    )


# --------------------------------------------------------------------------- to the admin

MANAGER_OWN_ORGANISATION = _l(
    "Verplicht voor een manager: die ziet alleen de cijfers van deze corporatie."
)
ADMIN_SEES_ALPHA = _l("De beheerder ziet alfa over alle cohorten samen bij de itemanalyse.")


def item_analysis_too_small(found: int, minimum: int) -> str:
    """The item analysis of a selection with too few people: nothing per item."""
    return (
        ngettext(
            "Deze keuze heeft %(num)d deelnemer met ingeleverde antwoorden.",
            "Deze keuze heeft %(num)d deelnemers met ingeleverde antwoorden.",
            found,
        )
        + " "
        + _(
            "De itemanalyse toont cijfers pas vanaf %(n)s deelnemers, zodat niemands antwoorden"
            " te herleiden zijn. Kies meer cohorten of alle meetmomenten.",
            n=minimum,
        )
    )
