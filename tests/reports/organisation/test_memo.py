"""The memo's sentences: the effect's size from g_av, and "more/less than the sector" only when
the organisation's interval excludes the sector's change."""

from __future__ import annotations

import pytest

from assess.reports.organisation.memo import sentence
from assess.reports.organisation.privacy import Cell
from assess.reports.organisation.report import Change, ScaleRow


def change(mean: float, low: float, high: float, d_z: float, g_av: float) -> Change:
    return Change(12, 40.0, 40.0 + mean, mean, low, high, d_z, 0.5, g_av)


def row(own: Change, sector_mean: float | None = None) -> ScaleRow:
    sector = change(sector_mean, 0, 0, 0, 0) if sector_mean is not None else None
    return ScaleRow("nee_zeggen", "Nee zeggen", False, Cell(own, own.n), Cell(0.5, own.n), sector)


@pytest.mark.parametrize(
    ("low", "high", "sector", "says"),
    [
        (6.0, 16.0, 12.0, "vergelijkbaar met de sector"),  # 12 lies in the interval
        (6.0, 16.0, 4.0, "meer vooruitgang dan gemiddeld in de sector"),
        (6.0, 16.0, 17.0, "minder vooruitgang dan gemiddeld in de sector"),
        # 8 points apart, but the interval is wide: not "less", comparable
        (1.0, 21.0, 19.0, "vergelijkbaar met de sector"),
    ],
)
def test_the_sector_is_called_more_or_less_only_outside_the_interval(app, low, high, sector, says):
    with app.test_request_context():
        text = sentence(row(change(11.0, low, high, 0.4, 0.6), sector), "nl")
    assert text is not None and says in text


def test_the_effect_word_comes_from_g_av_not_from_d_z(app):
    # a consistent change (d_z 1.6, "groot") that is small against the spread between people
    with app.test_request_context():
        text = sentence(row(change(4.0, 2.0, 6.0, d_z=1.6, g_av=0.3)), "nl")
    assert text is not None and "een klein effect" in text and "groot" not in text
