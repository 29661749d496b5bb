"""Can a scenario's key be guessed from the wording alone? Two simple word-overlap guessers.

A situational-judgement item measures judgement only when the keyed option does not stand out
by its words. Two patterns give it away, and each has a guesser that knows nothing of the
situation and reads only words:

- ``echo``: the key repeats what the questionnaire itself praises. The guesser picks the option
  that shares most content words with the Likert items and the band feedback and tips of the
  scenario's scale (a Likert item that describes the keyed behaviour, a tip that echoes it).
- ``cover``: another option is the key with a part taken off ("laat de huismeester de zakken
  weghalen en plant deze week een gesprek" against "laat de huismeester de zakken weghalen en
  neemt je voor om er binnenkort over te praten"). The guesser picks the option that covers most
  of the other options' words (per other option the share of its words it contains, summed).

Ties count as a fair draw among the tied options. Over n scenarios a guesser is expected to hit
the sum of (keyed options / options) by chance; it is suspicious when its hits are that unlikely
under chance: the one-sided binomial p below SUSPICIOUS_P, with the mean chance as the
probability (exact for equal option counts). `flask questionnaire check` prints a warning then.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from scipy import stats as _st

from assess.engine.items import LikertItem, SjtItem
from assess.engine.questionnaire import Questionnaire

SUSPICIOUS_P = 0.05
# Words that carry no content in an option ("je", "de", "en", ...): Dutch function words of four
# letters or more (shorter words are dropped anyway) and the words every option shares.
STOPWORDS = frozenset(
    """
    aan als bent bij daar daarna dan dat deze die dit door echt een eens eerst en
    even heeft hebt hem het hier hoe hun jij jouw jullie kan kunt maar meer met
    naar niet niets nog ook over omdat tegen terwijl toch tot voor waar wat wel
    welke wordt zich zijn zodat zonder zelf
    """.split()
)
_WORD = re.compile(r"[a-zà-ÿ]+")


def content_words(text: str) -> set[str]:
    """Lower-case words of four letters or more that are not function words."""
    return {w for w in _WORD.findall(text.lower()) if len(w) >= 4 and w not in STOPWORDS}


@dataclass(frozen=True, slots=True)
class Guess:
    """What one guesser did over a questionnaire's scenarios."""

    guesser: str
    scenarios: int
    hits: float  # expected hits of the guesser (ties shared)
    chance: float  # expected hits of a blind guess
    p: float  # one-sided binomial p of at least `hits` under chance
    hit_items: tuple[str, ...]  # scenarios where the guess is (mostly) the key

    @property
    def suspicious(self) -> bool:
        return self.p < SUSPICIOUS_P


def _pick(scores: dict[str, float], best: tuple[str, ...]) -> float:
    """The chance that a guesser taking the top score (ties drawn) picks a keyed option."""
    top = max(scores.values())
    tied = [v for v, s in scores.items() if s == top]
    return sum(v in best for v in tied) / len(tied)


def _reference(q: Questionnaire, scale_id: str | None) -> set[str]:
    """The words a participant reads elsewhere that praise the scale's behaviour."""
    words: set[str] = set()
    for item in q.items_by_id.values():
        if isinstance(item, LikertItem) and item.text is not None:
            words |= content_words(q.text(item.text))
    for scale in q.scales:
        if scale.id != scale_id:
            continue
        for band in scale.bands:
            words |= content_words(q.text(band.feedback))
            for tip in band.tips:
                words |= content_words(q.text(tip))
    return words


def guess_keys(q: Questionnaire) -> list[Guess]:
    """Both guessers over every scenario of the questionnaire (none: an empty list)."""
    scenarios = [i for i in q.items_by_id.values() if isinstance(i, SjtItem)]
    if not scenarios:
        return []
    out = []
    for guesser in ("echo", "cover"):
        hits, chance, hit_items = 0.0, 0.0, []
        for item in scenarios:
            words = {o.value: content_words(q.text(o.label)) for o in item.options}
            if guesser == "echo":
                reference = _reference(q, q.sjt_scale_of(item.id))
                scores = {v: float(len(w & reference)) for v, w in words.items()}
            else:
                scores = {
                    v: sum(
                        len(w & other) / len(other)
                        for u, other in words.items()
                        if u != v and other
                    )
                    for v, w in words.items()
                }
            hit = _pick(scores, item.best)
            hits += hit
            chance += len(item.best) / len(item.options)
            if hit > 0.5:
                hit_items.append(item.id)
        n = len(scenarios)
        p = float(_st.binom.sf(math.floor(hits) - 1, n, chance / n))
        out.append(Guess(guesser, n, hits, chance, p, tuple(hit_items)))
    return out
