"""The shipped instrument, version 2, read as a psychometric reviewer would: scenarios that do not
give their key away, sub-scales long enough and on one answer scale, tips that do not quote the
key, a stated duration that matches the estimate, and ids that mean one text across versions.

Version 1 is kept as it was answered (its responses are still scored with it) and is not held to
these rules; see questionnaires/KEY.md for what changed and why.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assess.engine.definition import LikertItem, Questionnaire, SjtItem, load_directory
from assess.engine.duration import estimate_minutes

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "questionnaires"
# The longest option of a scenario may have at most this many times the words of the shortest.
MAX_LENGTH_RATIO = 1.5
MIN_SUBSCALE_ITEMS = 4


@pytest.fixture(scope="module")
def loaded() -> dict[tuple[str, int], Questionnaire]:
    return {(q.id, q.version): q for q in load_directory(QUESTIONNAIRES)}


@pytest.fixture(scope="module")
def newest(loaded) -> list[Questionnaire]:
    ids = {qid for qid, _v in loaded}
    return [loaded[qid, max(v for i, v in loaded if i == qid)] for qid in sorted(ids)]


def words(text: str) -> int:
    return len(text.split())


def test_both_instruments_are_at_version_2_and_version_1_is_still_installed(loaded) -> None:
    assert {("leergang-woonconsulent", 1), ("leergang-woonconsulent", 2)} <= set(loaded)
    assert {("beleidsscan", 1), ("beleidsscan", 2)} <= set(loaded)
    assert loaded["beleidsscan", 2].mirrors_version == 2
    assert loaded["beleidsscan", 1].mirrors_version == 1


def test_no_scenario_gives_its_key_away_by_length(newest) -> None:
    scenarios = [(q, i) for q in newest for i in q.items_by_id.values() if isinstance(i, SjtItem)]
    assert len(scenarios) == 6
    for q, item in scenarios:
        lengths = {o.value: words(q.text(o.label)) for o in item.options}
        for best in item.best:
            others = [n for value, n in lengths.items() if value != best]
            assert lengths[best] <= max(others), f"{item.id}: keyed option {best} is the longest"
        ratio = max(lengths.values()) / min(lengths.values())
        assert ratio <= MAX_LENGTH_RATIO, f"{item.id}: option lengths {lengths}"


def test_the_keys_are_shown_only_after_the_last_measurement(loaded) -> None:
    q = loaded["leergang-woonconsulent", 2]
    assert q.sjt_keys_after == "followup"
    # the last measurement; the weekly pulse is no measurement moment
    assert [m for m in q.moments if m != "pulse"][-1] == "followup"


def test_tips_and_feedback_do_not_quote_a_keyed_option(newest) -> None:
    """No band text shares a run of five words with any scenario option (Dutch)."""

    def runs(text: str, n: int = 5) -> set[tuple[str, ...]]:
        found = re.findall(r"[a-zà-ü']+", text.lower())
        return {tuple(found[k : k + n]) for k in range(len(found) - n + 1)}

    q = next(q for q in newest if q.id == "leergang-woonconsulent")
    options: set[tuple[str, ...]] = set()
    for item in q.items_by_id.values():
        if isinstance(item, SjtItem):
            for option in item.options:
                options |= runs(q.text(option.label))
    for scale in q.scales:
        for band in scale.bands:
            for text in [band.feedback, *band.tips]:
                shared = runs(q.text(text)) & options
                assert not shared, f"{scale.id}/{band.id}: {shared}"


def test_every_subscale_has_at_least_four_items_on_one_answer_scale(newest) -> None:
    # The rater form is reported per scale only (six items each): its sub-scales only say
    # where each observed item is scored, so two items each are enough there.
    for q in (q for q in newest if q.audience != "rater"):
        for scale in q.scales:
            for sub in scale.subscales:
                assert len(sub.items) >= MIN_SUBSCALE_ITEMS, f"{q.id} {scale.id}.{sub.id}"
                point_sets = {q.items_by_id[i].points for i in sub.items}  # type: ignore[union-attr]
                assert len(point_sets) == 1, f"{q.id} {scale.id}.{sub.id}: {point_sets}"


def test_stated_minutes_per_moment_are_the_estimate(newest) -> None:
    for q in newest:
        for moment, m in q.moments.items():
            assert m.minutes == estimate_minutes(q, moment), f"{q.id} {moment}"


def test_an_item_id_kept_from_version_1_means_the_same_item(loaded) -> None:
    for qid in ("leergang-woonconsulent", "beleidsscan"):
        old, new = loaded[qid, 1], loaded[qid, 2]
        for item_id in old.items_by_id.keys() & new.items_by_id.keys():
            assert old.items_by_id[item_id] == new.items_by_id[item_id], f"{qid} {item_id}"


def test_version_2_keeps_only_unchanged_items_under_their_old_ids(loaded) -> None:
    old, new = loaded["leergang-woonconsulent", 1], loaded["leergang-woonconsulent", 2]
    kept = sorted(i for s in new.scales for i in s.items if i in old.items_by_id)
    assert kept == ["na_bew_1", "na_bew_5", "nz_tel_1", "tm_plan_1", "tm_struc_2", "tm_waan_2"]


def test_every_beleidsscan_norm_has_a_perception_on_the_same_consultant_item(loaded) -> None:
    scan = loaded["beleidsscan", 2]
    norms = {i.id: i for i in scan.items_by_id.values() if i.mirrors and not i.perception_of}
    seen = {i.perception_of: i for i in scan.items_by_id.values() if i.perception_of}
    assert set(norms) == set(seen)
    for norm_id, item in seen.items():
        assert item.mirrors == norms[norm_id].mirrors
    # every consultant scale item is mirrored, except the one feeling no one sets as a norm
    consultant = loaded["leergang-woonconsulent", 2]
    mirrored = {i.mirrors for i in norms.values()}
    assert {i for s in consultant.scales for i in s.items} - mirrored == {"nz_tel_1"}


@pytest.mark.parametrize(
    "qid, banned",
    [
        ("leergang-woonconsulent", [r"\bhuurder", r"noaberschap", r"\bgoed grip", r"een blok"]),
        ("beleidsscan", [r"\bje\b", r"\bjouw?\b", r"noaberschap", r"\bhuurder"]),
    ],
)
def test_version_2_dutch(loaded, qid, banned) -> None:
    """Consistent 'bewoner'; managers addressed with 'u' only; the regional word and the slips
    of version 1 gone."""
    q = loaded[qid, 2]
    source = (QUESTIONNAIRES / f"{qid}.yaml").read_text(encoding="utf-8")
    dutch = " ".join(re.findall(r'^\s*(?:- )?nl: "(.*)"$', source, re.M))
    assert dutch, "no Dutch texts found"
    for pattern in banned:
        assert not re.search(pattern, dutch, re.I), f"{q.id}: {pattern}"


def test_likert_items_of_version_2_have_english(loaded) -> None:
    for qid in ("leergang-woonconsulent", "beleidsscan"):
        q = loaded[qid, 2]
        for item in q.items_by_id.values():
            if isinstance(item, LikertItem) and item.text is not None:
                assert item.text.get("en"), f"{qid} {item.id}"
