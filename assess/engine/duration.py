"""How long a moment takes to fill in, estimated from what a person reads and answers.

No one has been timed filling in these questionnaires yet, so the `minutes` a file states per
moment is an estimate made with this rule, not a measurement: reading time for every word on the
pages (section intros, questions, scenario cases and every option label) at READING_WPM, plus a
fixed time per answer by item type. The figures below are assumptions, chosen on the slow side
so that the stated time is not an under-promise; replace them with the median of measured
durations once real responses exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assess.engine.items import ChoiceItem, Item, LikertItem, NumericItem, SjtItem, TextItem

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
