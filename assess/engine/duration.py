"""How long a moment takes to fill in: measured once enough people did, estimated before.

Measured: every survey page records its active time, from the page being shown to its save,
capped at PAGE_IDLE_CAP_SECONDS (a page left open while the phone rings counts as the cap, not
as an hour); a moment's time is the sum over its pages, and what people are told is the median
over those who submitted it (`duration`), once at least the minimum group size did. The median,
not the mean: a few people who left a page open up to the cap pull a mean up.

Estimated, until then: the `minutes` a file states per moment, made with the rule below (reading
time for every word on the pages at READING_WPM plus a fixed time per answer by item type). The
figures are assumptions, chosen on the slow side so that the stated time is not an
under-promise, and every sentence built on them says it is an estimate.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assess.engine.items import ChoiceItem, Item, LikertItem, NumericItem, SjtItem, TextItem
from assess.engine.messages import Message

if TYPE_CHECKING:  # the checks of a Questionnaire use this module (the pulse's minute)
    from assess.engine.questionnaire import Questionnaire

# Words per minute for a native reader of instructions on screen: slower than the 230-260 of
# running prose, because every sentence has to be weighed against an answer.
READING_WPM = 180
# Seconds to choose or type an answer, after reading: a Likert point, an option, a percentage,
# a scenario option (weighing four), a free text (optional; a few lines).
ANSWER_SECONDS = {"likert": 3, "choice": 3, "numeric": 8, "sjt": 10, "text": 60}
# A text box that holds one sentence (the weekly pulse's "wat werkte?") is typed in seconds,
# not minutes.
ONE_SENTENCE_LENGTH = 300
ONE_SENTENCE_SECONDS = 15


def _words(text: str) -> int:
    return len(text.split())


def _item_words(q: Questionnaire, item: Item) -> int:
    words = _words(q.item_text(item))
    if isinstance(item, SjtItem):
        words += _words(q.text(item.case)) + sum(_words(q.text(o.label)) for o in item.options)
    elif isinstance(item, ChoiceItem):
        words += sum(_words(q.text(o.label)) for o in item.options)
    return words


def estimate_seconds(q: Questionnaire, moment: str) -> float:
    """The estimated seconds to fill in a moment (Dutch texts)."""
    words = 0
    answering = 0.0
    for section in q.sections_for(moment):
        words += _words(q.text(section.intro)) + _words(q.text(section.title))
        for item in section.items:
            if isinstance(item, LikertItem | ChoiceItem | NumericItem | SjtItem | TextItem):
                words += _item_words(q, item)
                short = isinstance(item, TextItem) and item.max_length <= ONE_SENTENCE_LENGTH
                answering += ONE_SENTENCE_SECONDS if short else ANSWER_SECONDS[item.type]
    return words / READING_WPM * 60 + answering


def estimate_minutes(q: Questionnaire, moment: str) -> int:
    """The estimate rounded up to whole minutes."""
    return max(1, -(-int(estimate_seconds(q, moment)) // 60))


# The longest stretch one showing of a page counts for. The longest page (the exit's
# reflection, a few free texts) is estimated at well under ten minutes; more than that is time
# away from the screen, not answering.
PAGE_IDLE_CAP_SECONDS = 600.0


def active_seconds(
    shown_at: float, saved_at: float, cap: float = PAGE_IDLE_CAP_SECONDS
) -> float | None:
    """Seconds from a page being shown to its save, at most `cap`; None when the stamp cannot
    be a real showing (after the save: a clock skew or a forged value, not a duration).
    """
    elapsed = saved_at - shown_at
    if not math.isfinite(elapsed) or elapsed < 0:
        return None
    return min(elapsed, cap)


@dataclass(frozen=True, slots=True)
class Duration:
    """How long a moment takes, in whole minutes: the measured median over ``people`` who
    submitted it, or (``measured`` False) the questionnaire's estimate.
    """

    minutes: int
    measured: bool
    people: int

    @property
    def message(self) -> Message:
        """The phrase for pages and mails: "ongeveer 14 minuten (schatting)" or measured."""
        if self.measured:
            return Message("duration.measured", {"n": self.minutes, "people": self.people})
        return Message("duration.estimated", {"n": self.minutes})


def duration(
    q: Questionnaire, moment: str, measured_seconds: Sequence[float], min_group: int
) -> Duration:
    """The one duration every page and mail states for a moment.

    ``measured_seconds``: the total active seconds of each submitted response to this moment
    (and version). At least ``min_group`` of them: their median, rounded up to whole minutes;
    fewer: the stated minutes of the file, else the rule's estimate.
    """
    totals = [s for s in measured_seconds if math.isfinite(s) and s > 0]
    if totals and len(totals) >= min_group:
        minutes = max(1, math.ceil(statistics.median(totals) / 60))
        return Duration(minutes, True, len(totals))
    stated = q.minutes_for(moment)
    return Duration(stated if stated else estimate_minutes(q, moment), False, len(totals))
