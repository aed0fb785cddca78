"""Dates as the plan and officers write them, read day first."""

from __future__ import annotations

import datetime as dt

import pytest

from packbuilder.dates import is_open_wording, parse_end_date, parse_uk_date
from packbuilder.model import EndDate, EndDateKind

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/07/2023", D(2023, 7, 31)),
        ("31/7/23", D(2023, 7, 31)),
        ("1/8/2023", D(2023, 8, 1)),
        ("17/05/23", D(2023, 5, 17)),
        ("31-07-2023", D(2023, 7, 31)),
        ("31.07.2023", D(2023, 7, 31)),
        ("31 July 2023", D(2023, 7, 31)),
        ("  31   July 2023 ", D(2023, 7, 31)),
        ("1st August 2023", D(2023, 8, 1)),
        ("2nd March 2024", D(2024, 3, 2)),
        ("3rd May 2023", D(2023, 5, 3)),
        ("6th April 2023", D(2023, 4, 6)),
        ("01 August 2023", D(2023, 8, 1)),
        ("01 December 2023", D(2023, 12, 1)),
        ("31 Jul 2023", D(2023, 7, 31)),
        ("30 Sept 2023", D(2023, 9, 30)),
        ("30 Sep. 2023", D(2023, 9, 30)),
        ("31-Jul-23", D(2023, 7, 31)),
        ("31 july 2023", D(2023, 7, 31)),
        ("2023-07-31", D(2023, 7, 31)),
        ("2023-07-31 00:00:00", D(2023, 7, 31)),
        # not full dates
        ("", None),
        ("Ongoing", None),
        ("July 2023", None),
        ("March 2023 pilot", None),
        ("31/02/2023", None),
        ("31/13/2023", None),
        ("07/2023", None),
        ("2023-13-01", None),
        ("31 Julember 2023", None),
        ("By 31 July 2023", None),
    ],
)
def test_parse_uk_date(text: str, expected: dt.date | None) -> None:
    assert parse_uk_date(text) == expected


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        ("31 July 2023", None, EndDate("31 July 2023", D(2023, 7, 31), EndDateKind.DATE)),
        ("31/07/2023", None, EndDate("31/07/2023", D(2023, 7, 31), EndDateKind.DATE)),
        ("6th April 2023", None, EndDate("6th April 2023", D(2023, 4, 6), EndDateKind.DATE)),
        ("By 31 July 2023", None, EndDate("By 31 July 2023", D(2023, 7, 31), EndDateKind.DATE)),
        (
            "March 2023 pilot",
            None,
            EndDate("March 2023 pilot", D(2023, 3, 31), EndDateKind.MONTH),
        ),
        ("September 2024", None, EndDate("September 2024", D(2024, 9, 30), EndDateKind.MONTH)),
        ("Sept 2023", None, EndDate("Sept 2023", D(2023, 9, 30), EndDateKind.MONTH)),
        ("February 2024", None, EndDate("February 2024", D(2024, 2, 29), EndDateKind.MONTH)),
        ("Ongoing", None, EndDate("Ongoing", None, EndDateKind.OPEN)),
        ("ongoing", None, EndDate("ongoing", None, EndDateKind.OPEN)),
        ("TBC", None, EndDate("TBC", None, EndDateKind.OPEN)),
        (
            "To be confirmed in Family Hubs Delivery Plan",
            None,
            EndDate("To be confirmed in Family Hubs Delivery Plan", None, EndDateKind.OPEN),
        ),
        ("TBC in September 23", None, EndDate("TBC in September 23", None, EndDateKind.OPEN)),
        (
            "To be confirmed in Family Hubs Delivery Plan in August 2023",
            None,
            EndDate(
                "To be confirmed in Family Hubs Delivery Plan in August 2023",
                None,
                EndDateKind.OPEN,
            ),
        ),
        ("", None, EndDate("", None, EndDateKind.OPEN)),
        ("  31  July\n2023 ", None, EndDate("31 July 2023", D(2023, 7, 31), EndDateKind.DATE)),
        # a date cell beside the text wins over the text
        ("31 July 2023", D(2023, 7, 30), EndDate("31 July 2023", D(2023, 7, 30), EndDateKind.DATE)),
        ("", D(2023, 7, 31), EndDate("31 July 2023", D(2023, 7, 31), EndDateKind.DATE)),
        (
            "March 2023 pilot",
            D(2023, 3, 31),
            EndDate("March 2023 pilot", D(2023, 3, 31), EndDateKind.MONTH),
        ),
        ("Ongoing", D(2024, 3, 31), EndDate("Ongoing", D(2024, 3, 31), EndDateKind.DATE)),
    ],
)
def test_parse_end_date(text: str, value: dt.date | None, expected: EndDate) -> None:
    assert parse_end_date(text, value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ongoing", True),
        ("TBC", True),
        ("TBC in September 23 reporting", True),
        ("To be confirmed in Family Hubs Delivery Plan", True),
        ("When funding allows", False),
        ("31 July 2023", False),
    ],
)
def test_is_open_wording(text: str, expected: bool) -> None:
    assert is_open_wording(text) is expected


def test_open_end_date_displays_no_date() -> None:
    assert parse_end_date("Ongoing").display == "no date"
    assert parse_end_date("31/07/2023").display == "31 Jul 2023"
