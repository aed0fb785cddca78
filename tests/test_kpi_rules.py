"""Each KPI return rule on a row built in memory, its findings compared whole."""

from __future__ import annotations

import datetime as dt

import pytest

from packbuilder.findings import KPI_CHECKS
from packbuilder.kpis.last import LastKpiValue
from packbuilder.kpis.rules import (
    CODE_RULES,
    ROW_RULES,
    SHEET_RULES,
    KpiContext,
    KpiRow,
    KpiSheet,
    as_at_after_period,
    as_at_defaulted,
    bad_date,
    big_move,
    date_from_text,
    due_no_value,
    duplicate_code,
    fraction_read,
    kpi_row,
    not_a_number,
    number_from_text,
    percent_range,
    unknown_code,
)
from packbuilder.model import Finding, Kpi, Period, Severity

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO
JULY = Period(2023, 7)
PERCENT = Kpi("APP01", "Share seen in time", unit="%", baseline=40.0)
COUNT = Kpi("APP02", "Plans issued", unit="number", frequency="termly")
KPIS = {kpi.code: kpi for kpi in (PERCENT, COUNT)}
PLACE = {"file": "2023-07.xlsx", "sheet": "KPIs"}


def row(
    code: str = "APP01",
    value: object = 64,
    as_at: object = dt.date(2023, 7, 31),
    note: str = "",
    *,
    percent_cell: bool = False,
) -> KpiRow:
    line = {"code": code, "value": value, "as_at": as_at, "note": note}
    return kpi_row("2023-07.xlsx", 9, line, KPIS, JULY, percent_cell=percent_cell)


def context(**last: float) -> KpiContext:
    values = {
        code: LastKpiValue(value, str(value), None, Period(2023, 6)) for code, value in last.items()
    }
    return KpiContext(JULY, KPIS, values, 25.0)


def found(code: str, severity: Severity, cell: str, value: str, message: str) -> Finding:
    return Finding(code, severity, message, cell=cell, value=value, **PLACE)


def test_a_value_without_a_code_and_a_code_not_in_the_plan() -> None:
    assert list(unknown_code(row(code=""), context())) == [
        found(
            "KPI-UNKNOWN-CODE",
            E,
            "A9",
            "64",
            "Row 9 has a value but no KPI code. Put values only on the rows of the KPIs "
            "listed; ask the programme office to add a new KPI.",
        )
    ]
    assert list(unknown_code(row(code="app99"), context())) == [
        found(
            "KPI-UNKNOWN-CODE",
            E,
            "A9",
            "APP99",
            "KPI APP99 is not in the plan, so its value was not counted. Check the code against "
            "the plan, or ask the programme office to add the KPI.",
        )
    ]
    assert list(unknown_code(row(code="", value=None), context())) == []


def test_a_code_on_a_second_row() -> None:
    seen = context()
    assert list(duplicate_code(row(), seen)) == []
    seen.seen["APP01"] = 7
    assert list(duplicate_code(row(), seen)) == [
        found(
            "KPI-DUPLICATE-CODE",
            E,
            "A9",
            "APP01",
            "KPI APP01 is also on row 7; only that row was read. Keep one row per KPI.",
        )
    ]


def test_a_percentage_typed_as_a_fraction_is_read_as_a_percentage() -> None:
    fraction = row(value=0.64)
    assert fraction.number == 64.0
    assert list(fraction_read(fraction, context())) == [
        found(
            "KPI-NUMBER-FROM-TEXT",
            N,
            "M9",
            "0.64",
            "The value of KPI APP01 is 0.64, read as 64%: the KPI is a percentage and the plan "
            "gives its baseline and targets from 0 to 100. If 0.64% is meant, type it with the "
            "% sign.",
        )
    ]
    assert list(number_from_text(fraction, context())) == []


def test_a_number_typed_as_text_or_in_a_percentage_cell() -> None:
    assert list(number_from_text(row(code="APP02", value="7,399"), context())) == [
        found(
            "KPI-NUMBER-FROM-TEXT",
            N,
            "M9",
            "7,399",
            "The value of KPI APP02 was typed as text '7,399' and read as 7,399.",
        )
    ]
    in_percent_cell = row(value=0.64, percent_cell=True)
    assert in_percent_cell.number == 64.0
    assert [f.message for f in number_from_text(in_percent_cell, context())] == [
        "The value of KPI APP01 was typed as text '64%' and read as 64."
    ]


def test_a_value_that_is_not_a_number_enters_nothing() -> None:
    words = row(value="about half")
    assert words.number is None
    assert list(not_a_number(words, context())) == [
        found(
            "KPI-NOT-A-NUMBER",
            E,
            "M9",
            "about half",
            "The value of KPI APP01 is 'about half', which is not a number. Type the number "
            "only (for 64% type 64), or leave it blank and explain in the note.",
        )
    ]
    assert list(not_a_number(row(value=None), context())) == []


def test_a_percentage_over_100_enters_nothing_but_a_count_may() -> None:
    too_big = row(value=6400)
    assert too_big.number is None
    assert list(percent_range(too_big, context())) == [
        found(
            "KPI-PERCENT-RANGE",
            E,
            "M9",
            "6400",
            "KPI APP01 is a percentage, but its value is 6,400. Give a percentage from 0 to "
            "100 (for 64% type 64, not 6400).",
        )
    ]
    assert list(percent_range(row(code="APP02", value=6400), context())) == []


def test_the_as_at_date_defaulted_typed_as_text_bad_or_late() -> None:
    assert list(as_at_defaulted(row(as_at=None), context())) == [
        found(
            "KPI-AS-AT-DEFAULTED",
            N,
            "N9",
            "",
            "KPI APP01 has a value but no as-at date; it is taken as at 31/07/2023, the end of "
            "July 2023.",
        )
    ]
    assert list(date_from_text(row(as_at="30/7/2023"), context())) == [
        found(
            "KPI-DATE-FROM-TEXT",
            N,
            "N9",
            "30/7/2023",
            "The as-at date of KPI APP01 was typed as text '30/7/2023' and read as 30/07/2023.",
        )
    ]
    not_a_date = row(as_at="soon")
    assert list(bad_date(not_a_date, context())) == [
        found(
            "KPI-BAD-DATE",
            E,
            "N9",
            "soon",
            "The as-at date of KPI APP01 is 'soon', which is not a date, so its value 64 was "
            "not counted. Type a date like 31/07/2023.",
        )
    ]
    assert list(as_at_after_period(row(as_at=dt.datetime(2023, 8, 2)), context())) == [
        found(
            "KPI-AS-AT-AFTER-PERIOD",
            W,
            "N9",
            "2023-08-02 00:00:00",
            "The as-at date of KPI APP01 is 02/08/2023, after the end of July 2023. Check it "
            "is the date the value was measured at, not the date the return was filled in.",
        )
    ]


@pytest.mark.parametrize(
    "rule", [as_at_defaulted, date_from_text, bad_date, as_at_after_period, big_move]
)
def test_the_date_and_move_rules_judge_only_a_value_that_entered(rule: object) -> None:
    assert callable(rule)
    rejected = row(value="n/a", as_at="later")
    assert list(rule(rejected, context(APP01=1.0))) == []


def test_a_big_move_needs_a_note() -> None:
    assert list(big_move(row(value=64), context(APP01=40.0))) == [
        found(
            "KPI-BIG-MOVE",
            W,
            "M9",
            "64",
            "KPI APP01 moved from 40 (June 2023) to 64, 60%, more than the 25% that needs a "
            "note. Add a note saying why in column O, or correct the value.",
        )
    ]
    assert [f.message.split(", more")[0] for f in big_move(row(), context(APP01=0.0))] == [
        "KPI APP01 moved from 0 (June 2023) to 64, a change from zero"
    ]
    assert list(big_move(row(note="new data source"), context(APP01=40.0))) == []
    assert list(big_move(row(value=45), context(APP01=40.0))) == []


def test_a_kpi_due_with_no_value_is_a_warning_at_its_row() -> None:
    seen = context()
    seen.seen["APP01"] = 9
    sheet = KpiSheet("2023-07.xlsx", frozenset(), frozenset())
    assert list(due_no_value(sheet, seen)) == [
        found(
            "KPI-DUE-NO-VALUE",
            W,
            "M9",
            "APP01",
            "KPI APP01 is monthly and due in July 2023, but has no value. Give this period's "
            "value and its as-at date, or a note saying when it will be available; until then "
            "the last value is carried forward.",
        ),
        Finding(  # on no row: placed on the sheet
            "KPI-DUE-NO-VALUE",
            W,
            "KPI APP02 is termly and due in July 2023, but has no value. Give this period's "
            "value and its as-at date, or a note saying when it will be available; until then "
            "the last value is carried forward.",
            value="APP02",
            **PLACE,
        ),
    ]
    both = frozenset({"APP01", "APP02"})
    assert list(due_no_value(KpiSheet("f", both, frozenset()), seen)) == []
    assert list(due_no_value(KpiSheet("f", frozenset(), both), seen)) == []


def test_every_rule_is_registered_with_the_codes_it_raises() -> None:
    registered = [rule for rule, _ in (*CODE_RULES, *ROW_RULES)]
    assert registered == [
        unknown_code,
        duplicate_code,
        fraction_read,
        not_a_number,
        number_from_text,
        percent_range,
        as_at_defaulted,
        date_from_text,
        bad_date,
        as_at_after_period,
        big_move,
    ]
    assert [rule for rule, _ in SHEET_RULES] == [due_no_value]
    codes = {code for _, codes in (*CODE_RULES, *ROW_RULES, *SHEET_RULES) for code in codes}
    kpi_codes = {check.code for check in KPI_CHECKS}
    read_elsewhere = {"KPI-NO-RETURN", "KPI-UNREADABLE", "KPI-NOT-KPI-RETURN", "KPI-WRONG-PERIOD"}
    assert codes == kpi_codes - read_elsewhere - {"KPI-TARGET-WRONG-SIDE"}
