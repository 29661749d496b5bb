"""What the engine says to a reader: message ids with parameters, and the Dutch text of each id.

The engine never writes a finished sentence or formats a number for a reader. It returns a
`Message`: an id and its parameters, numbers as numbers. The edge turns it into text in the
reader's language: `assess.formatting.say(message, locale)`, and `assess.web.i18n.say` (the
`say` filter in templates) with the page's locale.

Where the texts live: the Dutch source text of every id is kept here, in `TEXTS`, marked with
the no-op `N_()`; `pybabel extract -k N_` (see the README) takes these as msgids, so Dutch stays
the source and the default and the English catalogue translates them. Id and text side by side
in the engine means a new message is one line in this file, and a `Message` with an id that has
no text fails when it is made, in the engine's own tests, not on a page.

Placeholders are Python's named %-format, and the format says how the edge shows the value:
``%(p).3f`` a decimal with three digits in the reader's locale (0,034 or 0.034), ``%(n)d`` a
whole number, ``%(x)s`` a number as short as it goes (2,5 or 40) or a nested `Message` said in
the same language. ``%%`` is a literal percent sign, as in every python-format gettext string.

What is not here: problems in questionnaire files (`problems.py`) are for the authors of those
files, read on the command line and at start-up, and stay plain English text, as pydantic's own
messages are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


def N_(text: str) -> str:  # noqa: N802 (the gettext convention for a no-op marker)
    """Mark a Dutch source text for extraction; returns it unchanged."""
    return text


TEXTS: Mapping[str, str] = {
    # answers that do not fit their question (shown next to the question)
    "answer.unknown_item": N_("Onbekende vraag."),
    "answer.invalid": N_("Ongeldig antwoord."),
    "answer.choose": N_("Kies een van de antwoorden."),
    "answer.number": N_("Vul een getal in."),
    "answer.number_range": N_("Vul een getal in van %(min)s tot en met %(max)s."),
    "answer.number_step": N_("Vul een getal in met stappen van %(step)s."),
    "answer.time_total": N_(
        "Samen komen deze percentages op %(total)s%%, en dat mag hoogstens %(max)s%% zijn."
        " Verlaag een of meer getallen: wat overblijft, is ander werk."
    ),
    "answer.too_long": N_("Je antwoord is te lang: maximaal %(max)d tekens (nu %(length)d)."),
    # a figure that cannot be computed, and why
    "stats.not_computable": N_("niet te berekenen"),
    "stats.not_computable_because": N_("niet te berekenen: %(reason)s"),
    "stats.no_value": N_("geen waarde"),
    "stats.no_answers": N_("geen antwoorden (alles ontbreekt)"),
    "stats.few_values_for_sd": N_("te weinig waarden voor een spreiding (n < 2)"),
    "stats.numeric": N_("numeriek niet te berekenen"),
    "stats.no_values_in_group": N_("geen waarden in deze groep"),
    "stats.few_in_group": N_("te weinig deelnemers in een groep (n < 2)"),
    "stats.no_spread_in_groups": N_("geen spreiding in beide groepen"),
    "stats.no_pairs": N_("geen volledige paren (voormeting én nameting)"),
    "stats.few_pairs": N_("te weinig paren (n < 2)"),
    "stats.all_differences_zero": N_("alle verschillen zijn nul"),
    "stats.no_spread_in_differences": N_("geen spreiding in de verschillen"),
    "stats.no_spread_pre_post": N_("geen spreiding in voormeting en nameting"),
    "stats.few_items": N_("minder dan twee items (k < 2)"),
    "stats.few_respondents": N_("te weinig volledige respondenten (n < 3)"),
    "stats.no_spread_in_totals": N_("geen spreiding in de totaalscores"),
    "stats.no_spread": N_("geen spreiding"),
    "stats.no_sd_pre": N_("geen SD van de voormeting"),
    "stats.no_reliability": N_("geen betrouwbaarheid bekend"),
    "stats.no_spread_pre": N_("geen spreiding op de voormeting (SD = 0)"),
    "stats.reliability_out_of_range": N_("betrouwbaarheid moet tussen 0 en 1 liggen"),
    "stats.pre_or_post_missing": N_("voormeting of nameting ontbreekt"),
    "stats.no_rci": N_("geen deelnemers met een berekende RCI"),
    # what a figure may be called (assess/engine/claims.py decides which)
    "claims.size.negligible": N_("verwaarloosbaar"),
    "claims.size.small": N_("klein"),
    "claims.size.medium": N_("middelgroot"),
    "claims.size.large": N_("groot"),
    "claims.size.explain": N_(
        "Grootte: %(word)s (%(symbol)s = %(g).2f, bij een 95%%-betrouwbaarheidsinterval van "
        "%(low).1f tot %(high).1f punten): het verschil is %(size).2f keer de gebruikelijke "
        "spreiding tussen deelnemers (vuistregel: 0,2 klein, 0,5 middelgroot, 0,8 groot)."
    ),
    "claims.size.explain.includes_zero": N_(
        "%(symbol)s = %(g).2f: geen woord voor de grootte, want het 95%%-betrouwbaarheidsinterval "
        "(%(low).1f tot %(high).1f punten) bevat nul."
    ),
    "claims.size.explain.no_interval": N_(
        "%(symbol)s = %(g).2f: geen woord voor de grootte, want er is geen interval."
    ),
    "claims.ci.change.up": N_(
        "%(level).0f%%-betrouwbaarheidsinterval van de gemiddelde verandering: %(low).2f tot "
        "%(high).2f. Het hele interval ligt boven nul: volgens hun eigen inschatting scoren de "
        "deelnemers bij de nameting hoger dan bij de voormeting."
    ),
    "claims.ci.change.down": N_(
        "%(level).0f%%-betrouwbaarheidsinterval van de gemiddelde verandering: %(low).2f tot "
        "%(high).2f. Het hele interval ligt onder nul: volgens hun eigen inschatting scoren de "
        "deelnemers bij de nameting lager dan bij de voormeting."
    ),
    "claims.ci.change.unclear": N_(
        "%(level).0f%%-betrouwbaarheidsinterval van de gemiddelde verandering: %(low).2f tot "
        "%(high).2f. Nul valt erbinnen, dus een verandering in hun eigen inschatting is niet "
        "aangetoond."
    ),
    "claims.ci.difference.up": N_(
        "%(level).0f%%-betrouwbaarheidsinterval van het verschil: %(low).2f tot %(high).2f. Het "
        "hele interval ligt boven nul: de eerste groep veranderde in eigen inschatting meer."
    ),
    "claims.ci.difference.down": N_(
        "%(level).0f%%-betrouwbaarheidsinterval van het verschil: %(low).2f tot %(high).2f. Het "
        "hele interval ligt onder nul: de tweede groep veranderde in eigen inschatting meer."
    ),
    "claims.ci.difference.unclear": N_(
        "%(level).0f%%-betrouwbaarheidsinterval van het verschil: %(low).2f tot %(high).2f. Nul "
        "valt erbinnen, dus een verschil tussen de groepen is niet aangetoond."
    ),
    "claims.sector.more": N_("meer verandering dan in de sector"),
    "claims.sector.less": N_("minder verandering dan in de sector"),
    "claims.sector.comparable": N_("vergelijkbaar met de sector (binnen %(margin)s punten)"),
    "claims.sector.unknown": N_("niet te zeggen of het meer of minder is dan in de sector"),
    "claims.gap.smaller": N_("ja, kleiner"),
    "claims.gap.larger": N_("nee, groter"),
    "claims.gap.unknown": N_("niet te zeggen"),
    # the Reliable Change Index per participant
    "rci.improved": N_("betrouwbaar vooruitgegaan"),
    "rci.unchanged": N_("geen betrouwbare verandering"),
    "rci.declined": N_("betrouwbaar achteruitgegaan"),
    # one-line explanations for non-statisticians; whole sentences, so a translator never has
    # to glue fragments together
    "explain.d_z": N_(
        "d_z = %(d).2f: de gemiddelde verandering gedeeld door de standaarddeviatie van de "
        "veranderingen (hoe verschillend deelnemers veranderden), niet door de spreiding tussen "
        "deelnemers. Het zegt hoe eensgezind de groep veranderde, niet hoe groot de verandering "
        "is; de woorden klein, middelgroot en groot horen bij g_av."
    ),
    "explain.p.below": N_("p < 0,001"),
    "explain.p.equals": N_("p = %(p).3f"),
    "explain.p.significant": N_(
        "%(p)s: als er in werkelijkheid gemiddeld niets veranderde, zou een verschil van minstens "
        "deze grootte zelden voorkomen (significant bij %(level).0f %%). p is niet de kans dat "
        "het verschil toeval is, en zegt niets over hoe groot het is."
    ),
    "explain.p.not_significant": N_(
        "%(p)s: een verschil van deze grootte komt ook geregeld voor als er in werkelijkheid "
        "niets verandert (niet significant); dat bewijst niet dat er niets veranderde."
    ),
    "explain.alpha.excellent": N_(
        "Betrouwbaarheid uitstekend (alfa = %(alpha).2f, %(level).0f%%-interval %(low).2f tot "
        "%(high).2f, n = %(n)d): de antwoorden op de vragen van deze schaal hangen onderling "
        "sterk samen, dus de schaalscore bevat weinig meetruis. Een hoge alfa toont niet aan "
        "dat de vragen één ding meten."
    ),
    "explain.alpha.good": N_(
        "Betrouwbaarheid goed (alfa = %(alpha).2f, %(level).0f%%-interval %(low).2f tot "
        "%(high).2f, n = %(n)d): de antwoorden op de vragen van deze schaal hangen onderling "
        "sterk samen, dus de schaalscore bevat weinig meetruis. Een hoge alfa toont niet aan "
        "dat de vragen één ding meten."
    ),
    "explain.alpha.acceptable": N_(
        "Betrouwbaarheid acceptabel (alfa = %(alpha).2f, %(level).0f%%-interval %(low).2f tot "
        "%(high).2f, n = %(n)d): de antwoorden op de vragen van deze schaal hangen redelijk "
        "samen; de schaalscore is bruikbaar voor groepen, maar voor één persoon nog "
        "onnauwkeurig. Alfa toont niet aan dat de vragen één ding meten."
    ),
    "explain.alpha.questionable": N_(
        "Betrouwbaarheid twijfelachtig (alfa = %(alpha).2f, %(level).0f%%-interval %(low).2f "
        "tot %(high).2f, n = %(n)d): de antwoorden op de vragen hangen weinig samen, dus de "
        "schaalscore bevat veel meetruis; lees hem met voorzichtigheid."
    ),
    "explain.alpha.poor": N_(
        "Betrouwbaarheid zwak (alfa = %(alpha).2f, %(level).0f%%-interval %(low).2f tot "
        "%(high).2f, n = %(n)d): de antwoorden op de vragen hangen weinig samen, dus de "
        "schaalscore bevat veel meetruis; lees hem met voorzichtigheid."
    ),
    "explain.alpha.unacceptable": N_(
        "Betrouwbaarheid onvoldoende (alfa = %(alpha).2f, %(level).0f%%-interval %(low).2f tot "
        "%(high).2f, n = %(n)d): de antwoorden op de vragen hangen weinig samen, dus de "
        "schaalscore bevat veel meetruis; lees hem met voorzichtigheid."
    ),
    "explain.alpha.negative": N_(
        "Alfa is negatief (%(alpha).2f, %(level).0f%%-interval %(low).2f tot %(high).2f, n = "
        "%(n)d): de vragen hangen eerder tegengesteld dan gelijkgericht samen. Dat wijst "
        "meestal op een vraag die verkeerd gecodeerd is (een omgekeerd gestelde vraag die niet,"
        " of dubbel, is omgedraaid); controleer de sleutel voordat je de schaalscore gebruikt."
    ),
    # how long a moment takes (assess/engine/duration.py): in a sentence "Dat kost …"
    "duration.estimated": N_("ongeveer %(n)d minuten (schatting)"),
    "duration.measured": N_(
        "ongeveer %(n)d minuten (de helft van %(people)d deelnemers was binnen die tijd klaar)"
    ),
    # the item analysis over several moments at once (the same people counted more than once)
    "items.pooled_moments": N_(
        "Alle meetmomenten samen: %(responses)d metingen van %(people)d mensen. Wie op meer "
        "momenten invulde, telt meer dan eens mee; daardoor valt alfa hoger uit en het interval "
        "smaller dan de gegevens dragen. Kies één meetmoment voor de betrouwbaarheid."
    ),
    "explain.rci.improved": N_(
        "Betrouwbaar vooruitgegaan: de verbetering is groter dan wat meetonnauwkeurigheid kan "
        "verklaren."
    ),
    "explain.rci.unchanged": N_(
        "Geen betrouwbare verandering: het verschil valt binnen de meetonnauwkeurigheid van de "
        "vragenlijst."
    ),
    "explain.rci.declined": N_(
        "Betrouwbaar achteruitgegaan: de daling is groter dan wat meetonnauwkeurigheid kan "
        "verklaren."
    ),
    "explain.rci.not_computable": N_(
        "niet te berekenen: voormeting, nameting of betrouwbaarheid ontbreekt."
    ),
    # a pasted list of course days that cannot be read (assess/engine/course_days.py)
    "course_days.unreadable": N_(
        "Regel %(line)d: ‘%(text)s’ is geen datum. Schrijf bijvoorbeeld 11-2-2027 of "
        "donderdag 11 februari 2027."
    ),
    "course_days.no_such_date": N_("Regel %(line)d: ‘%(text)s’ bestaat niet in de kalender."),
    "course_days.wrong_weekday": N_(
        "Regel %(line)d: ‘%(text)s’ valt op een andere dag van de week dan er staat."
    ),
    "course_days.not_after": N_(
        "Regel %(line)d: ‘%(text)s’ ligt niet na de lesdag op de regel ervoor. Zet de lesdagen"
        " op volgorde, elke datum één keer."
    ),
    "course_days.year": N_("Regel %(line)d: ‘%(text)s’: kies een jaar van 2000 tot en met 2100."),
    "course_days.too_many": N_(
        "Er staan %(n)d lesdagen in de lijst; een cohort heeft er hoogstens %(max)d."
    ),
}
"""Message id -> its Dutch source text (the gettext msgid)."""


@dataclass(frozen=True, slots=True)
class Message:
    """Something to tell a reader: an id from `TEXTS` and the values of its placeholders.

    Parameters stay raw: numbers as numbers (the edge formats them for the reader's locale),
    nested `Message`s for parts said in the same language. An unknown id raises KeyError.
    """

    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.key not in TEXTS:
            raise KeyError(f"no text for message id {self.key!r}")

    def __hash__(self) -> int:
        # params is a plain dict; hash what identifies the message instead
        return hash((self.key, tuple(sorted(self.params))))

    @property
    def source(self) -> str:
        """The Dutch source text (the msgid) of this message's id."""
        return TEXTS[self.key]
