"""What the manager's pages need, from the filter values in the query string to the figures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _

from assess.engine import claims, stats
from assess.engine.definition import Questionnaire
from assess.engine.moments import Moment
from assess.models import Organisation
from assess.reports.charts import organisation as charts
from assess.reports.organisation import groups as org_groups
from assess.reports.organisation import (
    memo,
    policy_gap,
    pulse_trend,
    releases,
    sector,
    sector_batch,
)
from assess.reports.organisation import report as org_report
from assess.reports.organisation import trend as org_trend
from assess.survey import questionnaires
from assess.survey.labels import scale_titles
from assess.web import i18n
from assess.web.i18n import select_locale

TREND_KINDS = {"cohort": "cohort", "periode": "period"}
MEASURES = {"verandering": "change", "voormeting": Moment.INTAKE, "nameting": Moment.EXIT}


def figure(value, kind: str = "score") -> str:
    """A figure in the page's language, as precise as it is published (publish.py): scores
    and percentages whole, interval bounds and answers on the 1-5 points with one decimal."""
    if value is None:
        return "–"
    if not stats.is_computable(value):
        return i18n.figure(value)
    if kind == "share":
        return f"{i18n.figure(100 * value, 0)} %"
    if kind == "pct":
        return f"{i18n.figure(value, 0)} %"
    if kind in ("interval", "answer"):
        return i18n.figure(value, 1)
    if kind == "alpha":
        return i18n.figure(value, 2)
    return i18n.figure(value, 0)


def size(change: org_report.Change) -> str:
    """g_av with its size word, the word only when the change's interval excludes zero
    (claims.size_word); the interval stands in the same row."""
    if not stats.is_computable(change.g_av):
        return i18n.figure(change.g_av)
    word = claims.size_word(change.g_av, change.ci_low, change.ci_high)
    shown = i18n.figure(change.g_av, 2)
    return shown if word is None else f"{shown} ({i18n.say(word)})"


def reliable(alpha: stats.Value | None) -> bool:
    """Whether reliable-change shares may be shown on a scale with this alpha."""
    return claims.reliable_enough(alpha)


def minimum_group_size() -> int:
    """The configured minimum group size (config.py already clamps it to at least 3)."""
    return max(3, int(current_app.config["MIN_GROUP_SIZE"]))


@dataclass
class Page:
    """The filters as understood, the choices offered, and the figures (None when too small)."""

    organisation: Organisation
    minimum: int
    choices: org_groups.Choices
    group_key: str
    per: str
    toon: str
    refused: str | None = None
    report: org_report.OrgReport | None = None
    trend: list[org_trend.TrendPoint] = field(default_factory=list)
    memo: str = ""
    charts: dict = field(default_factory=dict)
    updated: datetime | None = None  # when the organisation's figures last changed
    pulse: list[pulse_trend.Week] = field(default_factory=list)
    # alpha per scale that the reliable-change shares rest on (sector.stored_reliability)
    reliability: dict[str, stats.Value] = field(default_factory=dict)

    @property
    def filters(self) -> dict[str, str]:
        return {"groep": self.group_key, "per": self.per, "toon": self.toon}


def released(q: Questionnaire, minimum: int) -> releases.Released:
    """Release what is due and move the sector on when a batch is ready (short writes of
    their own, see releases.refresh and sector_batch.advance; unless cron does that,
    RELEASE_ON_VIEW), then read every release: the only source of a manager's figures."""
    if current_app.config["RELEASE_ON_VIEW"]:
        sector_batch.release(questionnaires.registry(), minimum)
    return releases.load(q)


def build(organisation: Organisation, args: Mapping[str, str]) -> Page:
    """Read the filters (unknown values fall back to the defaults) and compute the report."""
    minimum = minimum_group_size()
    q = org_groups.instrument(questionnaires.registry())
    lang = select_locale()
    published = released(q, minimum)
    choices = org_groups.choices({a.cohort_id: a.n for a in published.of(organisation.id)}, minimum)
    per = args.get("per") or "cohort"
    per = per if per in TREND_KINDS else "cohort"
    toon = args.get("toon") or "verandering"
    toon = toon if toon in MEASURES else "verandering"
    key = args.get("groep") or org_groups.ALL
    page = Page(organisation, minimum, choices, key, per, toon)
    page.updated = published.updated(organisation.id)
    group = choices.get(key)
    if group is None:
        page.refused = (
            _(
                "Deze selectie is niet beschikbaar: de groep zou te klein worden"
                " (minder dan %(n)d deelnemers) of af te leiden zijn uit andere groepen.",
                n=minimum,
            )
            if key != org_groups.ALL
            else _(
                "Van uw corporatie hebben nog te weinig deelnemers zowel de voormeting als de"
                " nameting ingevuld: minder dan %(n)d. Om herleidbaarheid naar personen te"
                " voorkomen tonen we pas cijfers vanaf %(n)d deelnemers. Zodra er meer"
                " deelnemers zijn, verschijnt hier uw rapportage.",
                n=minimum,
            )
        )
        return page
    kind = TREND_KINDS[per]
    sums = org_report.collect(organisation.id, q, group, org_trend.points(choices, kind), published)
    page.report = org_report.build(organisation.id, group, q, minimum, lang, sums)
    page.trend = org_trend.trend(organisation.id, choices, kind, q, minimum, sums)
    page.reliability = sector.stored_reliability(q)
    page.memo = memo.summary(page.report, lang, page.reliability)
    titles = scale_titles(q, lang)
    page.charts["change"] = charts.change_figure(page.report.main_rows, organisation.name, lang)
    if page.trend:
        page.charts["trend"] = charts.trend_figure(page.trend, titles, MEASURES[toon], lang)
    # The whole organisation's released pulse weeks, whatever group is chosen: a group's
    # weeks next to the whole's would be one more pair of figures to subtract.
    page.pulse = pulse_trend.weeks(published.of(organisation.id), minimum)
    if pulse_trend.shown(page.pulse):
        page.charts["pulse"] = charts.pulse_figure(page.pulse, lang)
    return page


@dataclass
class GapPage:
    organisation: Organisation
    minimum: int
    refused: str | None = None
    gap: policy_gap.PolicyGap | None = None
    chart: tuple | None = None
    updated: datetime | None = None


def build_gap(organisation: Organisation) -> GapPage:
    """Policy vs work floor for the whole organisation, when its consultants' group is big enough."""
    minimum = minimum_group_size()
    q = org_groups.instrument(questionnaires.registry())
    published = released(q, minimum)
    choices = org_groups.choices({a.cohort_id: a.n for a in published.of(organisation.id)}, minimum)
    page = GapPage(organisation, minimum)
    group = choices.get(org_groups.ALL)
    if group is None:
        page.refused = _(
            "Van uw corporatie hebben nog minder dan %(n)d deelnemers de voor- en nameting"
            " ingevuld. Om herleidbaarheid te voorkomen tonen we de vergelijking pas vanaf"
            " %(n)d deelnemers.",
            n=minimum,
        )
        return page
    page.updated = published.updated(organisation.id)
    page.gap = policy_gap.build(
        organisation.id,
        org_report.collect(organisation.id, q, group, [], published),
        group.n,
        minimum,
        q,
        policy_gap.policy_questionnaire(questionnaires.registry()),
        select_locale(),
    )
    main = [r for r in page.gap.scales if not r.is_sub]
    if main:
        page.chart = charts.policy_figure(main, select_locale())
    return page
