"""The office's overrides: each way a row is refused, on rows built in memory, findings whole."""

from __future__ import annotations

import datetime as dt

import pytest

from packbuilder.model import CellSource, Finding, Override, Severity
from packbuilder.overrides import OverrideValueError, parse_override_rows, parse_override_value

HEADER: list[object] = ["Action ID", "Field", "Value", "Reason", "Who"]
W = Severity.WARNING


def parse(*rows: list[object]) -> tuple[list[Override], list[Finding]]:
    return parse_override_rows([HEADER, *rows], "o.xlsx", "c" * 64, "Sheet1", ["High", "Low"])


def warning(code: str, cell: str, message: str, value: str = "") -> Finding:
    return Finding(code, W, message, file="o.xlsx", sheet="Sheet1", cell=cell, value=value)


def test_a_good_row_is_an_override_at_its_value_cell() -> None:
    when = dt.datetime(2024, 3, 31)
    assert parse(["1A1", "Revised end date", when, "Call", "PO"]) == (
        [
            Override(
                "1A1",
                "revised end date",
                "2024-03-31",
                "Call",
                "PO",
                CellSource("o.xlsx", "c" * 64, "Sheet1", "C2"),
            )
        ],
        [],
    )


def test_a_missing_column_refuses_the_sheet() -> None:
    rows: list[list[object]] = [["Action ID", "Field", "Value", "Reason"], ["1A1"]]
    assert parse_override_rows(rows, "o.xlsx", "c" * 64, "Sheet1", []) == (
        [],
        [
            warning(
                "overrides-missing-column",
                "1",
                "The overrides sheet has no 'Who' column in row 1: no override was applied.",
            )
        ],
    )


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            ["1A1", "colour", "Amber", "Call", "PO"],
            warning(
                "override-unknown-field",
                "B2",
                "'colour' is not a field that can be corrected: use one of progress, impact, "
                "commentary, evidence, revised end date, revised reason, confidence, risks, "
                "escalation, next milestone, next milestone date.",
                "colour",
            ),
        ),
        (
            ["1A1", "progress", "Amber", "", "PO"],
            warning(
                "override-no-reason",
                "D2",
                "An override needs a reason and who made it: it was not applied.",
            ),
        ),
        (
            ["1A1", "progress", "Amber", "Call", None],
            warning(
                "override-no-reason",
                "E2",
                "An override needs a reason and who made it: it was not applied.",
            ),
        ),
        (
            ["1A1", "impact", "Purple", "Call", "PO"],
            warning(
                "override-bad-value",
                "C2",
                "'Purple' is not a impact rating: write Blue, Green, Amber, Red or Not yet rated.",
                "Purple",
            ),
        ),
        (
            ["1A1", "next milestone date", "soon", "Call", "PO"],
            warning(
                "override-bad-value",
                "C2",
                "'soon' is not a date: write it as 31/12/2023.",
                "soon",
            ),
        ),
        (
            ["1A1", "escalation", "maybe", "Call", "PO"],
            warning("override-bad-value", "C2", "'maybe' is not Yes or No.", "maybe"),
        ),
        (
            ["1A1", "confidence", "Middling", "Call", "PO"],
            warning(
                "override-bad-value",
                "C2",
                "'Middling' is not a confidence level: use High, Low.",
                "Middling",
            ),
        ),
    ],
)
def test_a_bad_row_is_one_warning_at_its_cell(row: list[object], expected: Finding) -> None:
    assert parse(row) == ([], [expected])


def test_a_value_that_does_not_fit_says_so_in_the_registry_s_words() -> None:
    with pytest.raises(OverrideValueError) as raised:
        parse_override_value("progress", " Not yet rated ")
    assert str(raised.value) == (
        "'Not yet rated' is not a progress rating: write Blue, Green, Amber, Red."
    )
    assert (raised.value.variant, raised.value.fields["text"]) == ("", "Not yet rated")
