"""Course days in the engine: a pasted list read as Dutch people write dates, across year ends
and summer time, and the moment windows and next day that follow from it."""

from datetime import date

import pytest

from assess.engine import course_days
from assess.formatting import say

TODAY = date(2027, 1, 15)


def _days(text: str, today: date = TODAY) -> list[date]:
    parsed = course_days.parse_days(text, today)
    assert parsed.ok, [say(p) for p in parsed.problems]
    return parsed.days


@pytest.mark.parametrize(
    "written",
    [
        "11-2-2027",
        "11-02-2027",
        "11/2/2027",
        "11.2.27",
        "2027-02-11",
        "11 februari 2027",
        "11 feb. 2027",
        "do 11 feb 2027",
        "donderdag 11 februari 2027",
        "Donderdag, 11 Februari 2027",
        "do 11-02-2027",
        "Lesdag 3: donderdag 11 februari 2027",
        "lesdag 3\t11-2-2027",
        "3) 11-2-2027",
        "Thursday 11 February 2027",
        "11 februari",
        "11-2",
    ],
)
def test_a_date_is_read_in_the_ways_it_is_written(written: str) -> None:
    assert _days(written) == [date(2027, 2, 11)]


def test_eight_days_pasted_from_excel_in_one_column() -> None:
    text = "\n".join(
        [
            "14-1-2027",
            "28-1-2027",
            "11-2-2027",
            "",
            "25-2-2027",
            "11-3-2027",
            "25-3-2027",
            "8-4-2027",
            "22-4-2027",
        ]
    )
    found = _days(text)
    assert len(found) == course_days.DEFAULT_COUNT
    assert found[0] == date(2027, 1, 14) and found[-1] == date(2027, 4, 22)


def test_days_without_a_year_run_on_across_the_year_end() -> None:
    # A course from November to February: "8 januari" follows "18 december 2026".
    found = _days("19 november 2026\n3 december\n18 december\n8 januari\n22 januari", TODAY)
    assert found == [
        date(2026, 11, 19),
        date(2026, 12, 3),
        date(2026, 12, 18),
        date(2027, 1, 8),
        date(2027, 1, 22),
    ]


def test_the_first_day_without_a_year_is_the_one_nearest_today() -> None:
    # Typed in December 2026 for a course starting in January: that is January 2027.
    assert _days("14 januari\n28 januari", date(2026, 12, 10)) == [
        date(2027, 1, 14),
        date(2027, 1, 28),
    ]
    # Typed in January 2027 about a day last December: December 2026.
    assert _days("17 december", date(2027, 1, 5)) == [date(2026, 12, 17)]


def test_days_on_either_side_of_the_summer_time_change_stay_their_dates() -> None:
    # Summer time starts on Sunday 28 March 2027 and ends on Sunday 31 October 2027.
    found = _days("do 25 maart 2027\nzo 28 maart 2027\nma 29 maart 2027\nzo 31 oktober 2027")
    assert found == [date(2027, 3, 25), date(2027, 3, 28), date(2027, 3, 29), date(2027, 10, 31)]


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("11-2-2027\nmorgen", 2, "‘morgen’ is geen datum"),
        ("30-2-2027", 1, "‘30-2-2027’ bestaat niet in de kalender"),
        ("29 februari 2027", 1, "bestaat niet in de kalender"),
        ("vrijdag 11 februari 2027", 1, "valt op een andere dag van de week"),
        ("11-2-2027\n4-2-2027", 2, "ligt niet na de lesdag op de regel ervoor"),
        ("11-2-2027\n11-2-2027", 2, "ligt niet na de lesdag"),
        ("11-2-1999", 1, "kies een jaar van 2000"),
        ("11 brumaire 2027", 1, "is geen datum"),
    ],
)
def test_a_line_that_is_no_course_day_is_named_in_dutch(text: str, line: int, says: str) -> None:
    parsed = course_days.parse_days(text, TODAY)
    assert not parsed.ok and parsed.days == []
    (problem,) = parsed.problems
    said = say(problem)
    assert said.startswith(f"Regel {line}: ") and says in said


def test_a_list_longer_than_any_course_is_refused_whole() -> None:
    text = "\n".join(f"{d}-3-2027" for d in range(1, 25))
    (problem,) = course_days.parse_days(text, TODAY).problems
    assert say(problem) == "Er staan 24 lesdagen in de lijst; een cohort heeft er hoogstens 20."


def test_the_problems_are_said_in_english_too() -> None:
    (problem,) = course_days.parse_days("morgen", TODAY).problems
    assert say(problem, "en").startswith("Line 1: ")


def test_windows_follow_from_the_days() -> None:
    days = [date(2027, 1, 14), date(2027, 4, 22)]
    assert course_days.default_windows(days) == {
        "intake": (date(2026, 12, 17), date(2027, 1, 13)),
        "exit": (date(2027, 4, 22), date(2027, 5, 12)),
        "followup": (date(2027, 7, 22), date(2027, 8, 18)),
    }
    assert course_days.default_windows([]) == {}


def test_the_follow_up_three_months_on_keeps_to_the_calendar() -> None:
    # Last day 30 November 2027: three months on is the last day of February 2028 (a leap
    # year), across the year end.
    assert course_days.add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert course_days.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert course_days.default_windows([date(2027, 11, 30)])["followup"][0] == date(2028, 2, 29)


def test_the_next_day_is_today_on_a_course_day_and_none_after_the_last() -> None:
    days = [date(2027, 1, 14), date(2027, 1, 28), date(2027, 2, 11)]
    assert course_days.next_day(days, date(2027, 1, 1)) == (1, date(2027, 1, 14))
    assert course_days.next_day(days, date(2027, 1, 28)) == (2, date(2027, 1, 28))
    assert course_days.next_day(days, date(2027, 1, 29)) == (3, date(2027, 2, 11))
    assert course_days.next_day(days, date(2027, 2, 12)) is None
    assert course_days.previous_day(days, date(2027, 1, 28)) == (1, date(2027, 1, 14))
    assert course_days.previous_day(days, date(2027, 1, 14)) is None
