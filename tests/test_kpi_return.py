"""The KPI return: ``kpis make`` writes it, the data team fills it in, the reader checks it."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from kpi_fixtures import AUGUST, END_JULY, JULY, config, fill, made, plan

from packbuilder.commands.kpi_return import make_kpi_return
from packbuilder.config import Config
from packbuilder.findings import KPI_CHECKS, REGISTRY
from packbuilder.kpis import layout
from packbuilder.kpis.last import last_kpi_values
from packbuilder.kpis.make import kpi_return_path
from packbuilder.kpis.read import (
    KpiReading,
    check_kpi_period,
    is_fraction_of_percent,
    read_kpi_return,
)
from packbuilder.model import Kpi, KpiTarget, Period, Plan

__all__ = ["config", "plan"]  # fixtures


def flat(reading: KpiReading) -> list[tuple[str, str, str]]:
    return [(f.code, f.cell, f.value) for f in reading.findings]


# --------------------------------------------------------------------------- kpis make


def test_kpis_make_writes_the_return_where_the_office_expects_it(config: Config) -> None:
    path = make_kpi_return(config, JULY)
    assert path == config.root / "outputs" / "2023-07" / "returns" / "KPI return 2023-07.xlsx"
    assert path == kpi_return_path(config, JULY)
    assert not list(path.parent.glob(".*partial*"))


def test_the_kpi_sheet_shows_each_kpi_with_its_last_value_and_target(config: Config) -> None:
    workbook = made(config)
    assert workbook.sheetnames == ["Instructions", "KPIs", "_packbuilder"]
    sheet = workbook[layout.KPI_SHEET]
    header = [c.value for c in sheet[layout.HEADER_ROW]]
    assert header == [c.header for c in layout.COLUMNS]
    rows = [
        [c.value for c in row]
        for row in sheet.iter_rows(min_row=layout.FIRST_ROW, max_row=layout.FIRST_ROW + 3)
    ]
    as_date = dt.datetime.combine
    midnight = dt.time()
    assert rows == [
        ["APP01", "Complaints answered on time", "1", "%", "Higher", "Monthly", "Yes", 60,
         as_date(dt.date(2023, 3, 31), midnight), "Plan baseline", 75,
         as_date(dt.date(2023, 6, 30), midnight), None, None, None],
        ["APP02", "Suspensions", "1; 2", "number", "Lower", "Termly", "Yes", "TBC", None,
         "Plan baseline", "No target", None, None, None, None],
        ["APP40", "Children waiting for an autism assessment", "2", "number", "Lower",
         "Monthly", "Yes", 7399, as_date(dt.date(2023, 5, 31), midnight), "Plan baseline",
         "TBC", as_date(dt.date(2023, 6, 30), midnight), None, None, None],
        ["APP47", "Foundation Stage GLD EHCP gap", "2", "%", "Higher", "Annual", "No", 40,
         None, "Plan baseline", "No target", None, None, None, None],
    ]  # fmt: skip
    assert sheet["A2"].value == "July 2023: 3 of 4 KPIs due this period"


def test_the_kpi_return_is_protected_validated_and_recognisable(config: Config) -> None:
    workbook = made(config)
    sheet = workbook[layout.KPI_SHEET]
    assert sheet.protection.sheet is True
    assert sheet["A5"].protection.locked is True
    assert [sheet[f"{c}5"].protection.locked for c in "MNO"] == [False, False, False]
    rules = {
        str(v.sqref): (v.type, v.formula1, v.formula2)
        for v in sheet.data_validations.dataValidation
    }
    assert rules == {
        "M5:M8": ("decimal", "-1000000000", "1000000000"),
        "N5:N8": ("date", "36526", "73050"),  # 1 January 2000 to 31 December 2099
        "O5:O8": (None, None, None),
    }
    meta = workbook[layout.META_SHEET]
    assert meta.sheet_state == "veryHidden"
    assert meta["A1"].value == layout.META_MARKER
    pairs = {meta.cell(r, 1).value: meta.cell(r, 2).value for r in range(2, 7)}
    assert (pairs["kind"], pairs["period"]) == ("kpi", "2023-07")
    instructions = [
        c.value for row in workbook[layout.INSTRUCTIONS_SHEET].iter_rows() for c in row if c.value
    ]
    assert "After each school term ends: in December, April and July." in instructions


@pytest.mark.parametrize(
    ("frequency", "due_months"),
    [("monthly", list(range(1, 13))), ("termly", [4, 7, 12]), ("annual", [9])],
)
def test_when_a_kpi_is_due(frequency: str, due_months: list[int]) -> None:
    from packbuilder.model import Kpi

    kpi = Kpi("APP01", "A KPI", frequency=frequency)
    assert [m for m in range(1, 13) if layout.is_due(kpi, Period(2023, m))] == due_months


# --------------------------------------------------------------------------- reading it back

GOOD = {"M5": 64, "N5": END_JULY, "M6": 3, "N6": END_JULY, "M7": 7000, "N7": END_JULY}


@pytest.mark.parametrize(
    ("cells", "percent", "expected_findings", "expected_values"),
    [
        pytest.param({}, (), [], {"APP01": 64, "APP02": 3, "APP40": 7000}, id="clean"),
        pytest.param({"A9": "APP99", "M9": 5}, (),
                     [("KPI-UNKNOWN-CODE", "A9", "APP99")],
                     {"APP01": 64, "APP02": 3, "APP40": 7000}, id="unknown code"),
        pytest.param({"M9": 5}, (), [("KPI-UNKNOWN-CODE", "A9", "5")],
                     {"APP01": 64, "APP02": 3, "APP40": 7000}, id="value without a code"),
        pytest.param({"A9": "APP01", "M9": 70}, (),
                     [("KPI-DUPLICATE-CODE", "A9", "APP01")],
                     {"APP01": 64, "APP02": 3, "APP40": 7000}, id="duplicate code"),
        pytest.param({"M5": "about 60"}, (), [("KPI-NOT-A-NUMBER", "M5", "about 60")],
                     {"APP02": 3, "APP40": 7000}, id="not a number"),
        pytest.param({"M5": True}, (), [("KPI-NOT-A-NUMBER", "M5", "True")],
                     {"APP02": 3, "APP40": 7000}, id="a yes/no is not a number"),
        pytest.param({"M7": "7,100"}, (), [("KPI-NUMBER-FROM-TEXT", "M7", "7,100")],
                     {"APP01": 64, "APP02": 3, "APP40": 7100}, id="thousands as text"),
        pytest.param({"M5": " 64% "}, (), [("KPI-NUMBER-FROM-TEXT", "M5", "64%")],
                     {"APP01": 64, "APP02": 3, "APP40": 7000}, id="percent as text"),
        pytest.param({"M5": 0.64}, ("M5",), [("KPI-NUMBER-FROM-TEXT", "M5", "64%")],
                     {"APP01": 64, "APP02": 3, "APP40": 7000}, id="percent typed in Excel"),
        pytest.param({"M5": 0.64}, (), [("KPI-NUMBER-FROM-TEXT", "M5", "0.64")],
                     {"APP01": 64, "APP02": 3, "APP40": 7000}, id="percent as a fraction"),
        pytest.param({"M5": 640}, (), [("KPI-PERCENT-RANGE", "M5", "640")],
                     {"APP02": 3, "APP40": 7000}, id="percentage over 100"),
        pytest.param({"M5": -1}, (), [("KPI-PERCENT-RANGE", "M5", "-1")],
                     {"APP02": 3, "APP40": 7000}, id="percentage under 0"),
        pytest.param({"M6": None, "N6": None}, (), [("KPI-DUE-NO-VALUE", "M6", "APP02")],
                     {"APP01": 64, "APP40": 7000}, id="due with no value"),
        pytest.param({"M8": 38, "N8": END_JULY}, (), [],
                     {"APP01": 64, "APP02": 3, "APP40": 7000, "APP47": 38},
                     id="a value given when not due"),
        pytest.param({"M7": 3000}, (), [("KPI-BIG-MOVE", "M7", "3,000")],
                     {"APP01": 64, "APP02": 3, "APP40": 3000}, id="big move without a note"),
        pytest.param({"M7": 3000, "O7": "Waiting list cleansed in July"}, (), [],
                     {"APP01": 64, "APP02": 3, "APP40": 3000}, id="big move with a note"),
        pytest.param({"N5": "soon"}, (), [("KPI-BAD-DATE", "N5", "soon")],
                     {"APP02": 3, "APP40": 7000}, id="as-at date not a date"),
        pytest.param({"N5": "31/07/2023"}, (), [("KPI-DATE-FROM-TEXT", "N5", "31/07/2023")],
                     {"APP01": 64, "APP02": 3, "APP40": 7000}, id="as-at date as text"),
        pytest.param({"N5": None}, (), [("KPI-AS-AT-DEFAULTED", "N5", "")],
                     {"APP01": 64, "APP02": 3, "APP40": 7000}, id="no as-at date"),
        pytest.param({"N5": dt.date(2023, 8, 3)}, (),
                     [("KPI-AS-AT-AFTER-PERIOD", "N5", "2023-08-03 00:00:00")],
                     {"APP01": 64, "APP02": 3, "APP40": 7000}, id="as-at after the period"),
    ],
)  # fmt: skip
def test_each_kpi_check(
    config: Config,
    plan: Plan,
    cells: dict[str, object],
    percent: tuple[str, ...],
    expected_findings: list[tuple[str, str, str]],
    expected_values: dict[str, float],
) -> None:
    path = fill(config, {**GOOD, **cells}, percent=percent)
    reading = read_kpi_return(path, config, plan, JULY, last_kpi_values(plan, {}))
    assert flat(reading) == expected_findings
    assert {code: v.value for code, v in reading.values.items()} == expected_values
    assert reading.recognised is True
    for finding in reading.findings:
        assert finding.severity is REGISTRY[finding.code].severity
        assert (finding.file, finding.sheet) == ("2023-07.xlsx", "KPIs")


def test_a_percentage_reads_the_same_typed_as_71_percent_71_or_0_71(
    config: Config, plan: Plan
) -> None:
    # APP01 (%, baseline 60, standard 50, targets 75 and 90) and APP47 (%, baseline 40):
    # their plan figures are on the 0-100 scale, so 0.71 in a plain cell is 71%.
    forms: list[tuple[object, tuple[str, ...]]] = [
        ("71%", ()),
        (0.71, ("M5",)),
        (0.71, ()),
        (71, ()),
    ]
    read = []
    for typed, percent in forms:
        cells = {**GOOD, "M5": typed, "M8": 0.4, "N8": END_JULY}
        path = fill(config, cells, percent=percent)
        values = read_kpi_return(path, config, plan, JULY, last_kpi_values(plan, {})).values
        read.append((values["APP01"].value, values["APP47"].value))
    assert read == [(71, 40)] * 4
    path = fill(config, {**GOOD, "M5": 0.71})
    assert (
        read_kpi_return(path, config, plan, JULY, last_kpi_values(plan, {})).values["APP01"].text
        == "71%"
    )


@pytest.mark.parametrize(
    ("kpi", "number", "fraction"),
    [
        (Kpi("NS01", "Helpful", unit="%", baseline=52.0), 0.71, True),
        (Kpi("NS01", "Helpful", unit="percent", targets=(KpiTarget(END_JULY, 60.0, "60"),)),
         0.71, True),
        (Kpi("NS01", "Helpful", unit="%", baseline=52.0), 1.0, False),  # 1% or 100%: as typed
        (Kpi("NS01", "Helpful", unit="%", baseline=52.0), 0.0, False),
        # a rate whose plan figures are below 1%: 0.8 is 0.8%
        (Kpi("NS02", "Exclusions", unit="%", baseline=2.1,
             targets=(KpiTarget(END_JULY, 0.5, "0.5"),)), 0.8, False),
        (Kpi("NS01", "Helpful", unit="%"), 0.71, False),  # no figures to judge the scale by
        (Kpi("NS03", "Score", unit="score", baseline=52.0), 0.71, False),
    ],
)  # fmt: skip
def test_which_numbers_read_as_a_percentage_written_as_a_fraction(
    kpi: Kpi, number: float, fraction: bool
) -> None:
    assert is_fraction_of_percent(kpi, number) is fraction


def test_a_value_keeps_its_as_at_date_note_and_cell(config: Config, plan: Plan) -> None:
    path = fill(config, {**GOOD, "N7": dt.date(2023, 6, 30), "O7": "NHS data, one month behind"})
    value = read_kpi_return(path, config, plan, JULY, last_kpi_values(plan, {})).values["APP40"]
    assert (value.value, value.text, value.as_at, value.note) == (
        7000,
        "7000",
        dt.date(2023, 6, 30),
        "NHS data, one month behind",
    )
    assert value.source is not None
    assert value.source.where == "2023-07.xlsx › KPIs › M7"


def test_another_periods_return_is_refused(config: Config, plan: Plan) -> None:
    path = fill(config, GOOD, made_for=AUGUST)
    reading = read_kpi_return(path, config, plan, JULY, last_kpi_values(plan, {}))
    assert flat(reading) == [("KPI-WRONG-PERIOD", "", "2023-08")]
    assert (reading.values, reading.recognised) == ({}, False)


def test_a_workbook_that_is_not_a_kpi_return_is_refused(config: Config, plan: Plan) -> None:
    path = config.kpis_path(JULY)
    path.parent.mkdir(parents=True)
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "APP01"  # type: ignore[index]
    workbook.save(path)
    assert flat(read_kpi_return(path, config, plan, JULY, last_kpi_values(plan, {}))) == [
        ("KPI-NOT-KPI-RETURN", "", "")
    ]


def test_a_file_that_is_not_a_workbook_is_refused_unparsed(config: Config, plan: Plan) -> None:
    path = config.kpis_path(JULY)
    path.parent.mkdir(parents=True)
    path.write_text("code,value\nAPP01,64\n", "utf-8")
    reading = read_kpi_return(path, config, plan, JULY, last_kpi_values(plan, {}))
    assert [f.code for f in reading.findings] == ["KPI-UNREADABLE"]
    assert "Save the KPI return as an Excel workbook" in reading.findings[0].message


def test_no_kpi_return_in_a_month_with_kpis_due(config: Config, plan: Plan) -> None:
    reading = check_kpi_period(config, plan, JULY, last_kpi_values(plan, {}))
    assert [(f.code, f.file) for f in reading.findings] == [("KPI-NO-RETURN", "2023-07.xlsx")]
    assert reading.findings[0].message.startswith(
        "There is no KPI return for July 2023 and 3 KPIs are due (APP01, APP02, APP40)."
    )


def test_every_code_has_a_severity_and_a_title() -> None:
    assert all(c.code.startswith("KPI-") and c.title for c in KPI_CHECKS)
    assert all(c.family == "kpi" for c in KPI_CHECKS)


def test_the_last_value_says_it_is_the_plans_baseline_until_a_month_gives_one(
    config: Config,
) -> None:
    from click.testing import CliRunner

    from packbuilder.cli import main

    def build(period: Period) -> None:
        result = CliRunner().invoke(main, ["-C", str(config.root), "build", str(period)])
        assert result.exit_code == 0, result.output

    def last_from(period: Period) -> dict[str, tuple[object, object]]:
        sheet = made(config, period)[layout.KPI_SHEET]
        return {
            str(row[0].value): (row[7].value, row[9].value)
            for row in sheet.iter_rows(min_row=layout.FIRST_ROW, max_row=layout.FIRST_ROW + 3)
        }

    build(JULY)  # no KPI return: July records the baselines, carried forward
    assert last_from(AUGUST) == {
        "APP01": (60, "Plan baseline"),
        "APP02": ("TBC", "Plan baseline"),
        "APP40": (7399, "Plan baseline"),
        "APP47": (40, "Plan baseline"),
    }
    fill(config, {"M5": 64, "N5": dt.date(2023, 8, 31)}, AUGUST)
    build(AUGUST)
    september = Period(2023, 9)
    build(september)  # no return again: August's value is carried forward
    assert last_from(Period(2023, 10)) == {
        "APP01": (64, "August 2023"),
        "APP02": ("TBC", "Plan baseline"),
        "APP40": (7399, "Plan baseline"),
        "APP47": (40, "Plan baseline"),
    }
