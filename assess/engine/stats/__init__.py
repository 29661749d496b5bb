"""Statistics for intake/exit comparisons of the self-assessment (pure Python, numpy and scipy).

Everything a cohort report needs per scale: descriptive statistics, the paired change from intake
to exit (mean change with its t-interval, paired t, Wilcoxon signed-rank, Cohen's d_z and d_av,
Hedges' g_av), Cronbach's alpha with Feldt's interval, item analysis (item-rest correlations,
alpha if an item is deleted, floor and ceiling), the Reliable Change Index per participant, a Welch comparison of
two cohorts, and one-line explanations for non-statisticians.

Not computable
--------------
No function returns ``nan`` or ``inf`` and none raises on small or degenerate data (too few
participants, no spread, everything missing). Every *figure* that cannot be computed holds a
:class:`NotComputable` instead of a float; it carries a ``reason`` (a
:class:`~assess.engine.messages.Message`, e.g. ``stats.few_pairs``) and its ``str()`` (and any
``format()``, so ``f"{x:.2f}"`` is safe) is a dash. Figures that can still be computed stay
numbers: with one complete pair the means are shown, the SDs are not. Counts (``n``, ``k``) are
always ints. Test ``is_computable(field)`` to branch.

Nothing here speaks a language or formats a number for a reader: the explanations and reasons
are messages, and the edge says them, and formats figures, in the reader's locale
(``assess.formatting.say`` and ``figure``; the ``say`` and ``figure`` filters in templates).

Only invalid *input* raises ``ValueError``: sequences of unequal length, ragged matrices, infinite
values, a confidence level outside (0, 1). ``None`` and float NaN both mean "missing".

Floating-point noise: scale scores are means of items (e.g. 11/3), so differences that are equal on
paper can differ in the last bit. Before deciding "no spread", "difference is zero" or "tied"
values are rounded to ``DECIMALS`` (10) decimals; the arithmetic itself uses the raw values.

Modules: ``common`` (the figure type, input cleaning), ``descriptive``, ``paired``,
``reliability`` (alpha, RCI), ``items`` (item analysis), ``cohorts``, ``explain`` (the one-line explanations; the words a figure earns are in ``assess.engine.claims``) and ``sums``
(the same figures from n, Σx and Σx² summed by a database); import from here.
"""

from assess.engine.stats.cohorts import BetweenCohorts, between_cohorts
from assess.engine.stats.common import (
    NOT_COMPUTABLE,
    NotComputable,
    Number,
    Value,
    is_computable,
)
from assess.engine.stats.descriptive import Describe, describe
from assess.engine.stats.explain import (
    explain_alpha,
    explain_d_z,
    explain_p,
    explain_rci,
)
from assess.engine.stats.items import (
    Correlation,
    ItemFigures,
    OptionShare,
    ScaleAnalysis,
    analyse_scale,
    option_shares,
    scale_correlations,
)
from assess.engine.stats.paired import PairedChange, paired_change
from assess.engine.stats.reliability import (
    Alpha,
    Rci,
    RciCategory,
    RciSummary,
    alpha_with_interval,
    cronbach_alpha,
    feldt_interval,
    rci_summary,
    reliable_change,
    reliable_change_threshold,
)
from assess.engine.stats.sums import (
    ChangeFromSums,
    Sums,
    alpha_from_sums,
    change_from_sums,
    effect_from_sums,
)

__all__ = [
    "NOT_COMPUTABLE",
    "Alpha",
    "BetweenCohorts",
    "ChangeFromSums",
    "Correlation",
    "Describe",
    "ItemFigures",
    "NotComputable",
    "OptionShare",
    "Number",
    "PairedChange",
    "Rci",
    "RciCategory",
    "RciSummary",
    "ScaleAnalysis",
    "Sums",
    "Value",
    "alpha_from_sums",
    "analyse_scale",
    "alpha_with_interval",
    "between_cohorts",
    "change_from_sums",
    "cronbach_alpha",
    "describe",
    "feldt_interval",
    "effect_from_sums",
    "explain_alpha",
    "explain_d_z",
    "explain_p",
    "explain_rci",
    "is_computable",
    "option_shares",
    "paired_change",
    "rci_summary",
    "reliable_change",
    "reliable_change_threshold",
    "scale_correlations",
]
