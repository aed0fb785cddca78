"""The KPI return in the monthly cycle: `check` reads and reports it, `build` rates from it.

The data team's return is an input like an officer's: `check` reads it in an isolated worker
beside the returns, lists its findings with theirs and exits 1 on its errors; `build` rates
the KPIs from that same reading and reports each of its findings once.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CRASHED
from kpi_fixtures import END_JULY, JULY, config, fill, plan  # noqa: F401  (fixtures)

from packbuilder.checks import run
from packbuilder.cli import main
from packbuilder.commands.check import check_period
from packbuilder.config import Config
from packbuilder.kpis.read import KpiReading

GOOD = {"M5": 64, "N5": END_JULY, "M6": 3, "N6": END_JULY, "M7": 7000, "N7": END_JULY}


def kpi_codes(findings: list[object]) -> list[tuple[str, str]]:
    return [(f.code, f.cell) for f in findings if f.code.startswith("KPI-")]  # type: ignore[attr-defined]


def test_check_reports_the_kpi_return_with_the_returns_and_exits_1_on_its_errors(
    config: Config,  # noqa: F811
) -> None:
    fill(config, {**GOOD, "M5": "sixty"})
    report = check_period(config, JULY)
    assert isinstance(report.kpi_reading, KpiReading)
    assert kpi_codes(report.findings) == [("KPI-NOT-A-NUMBER", "M5")]
    result = CliRunner().invoke(main, ["-C", str(config.root), "check", "2023-07"])
    assert result.exit_code == 1, result.output
    assert "KPI-NOT-A-NUMBER" in result.output
    assert "Traceback" not in result.output


def test_a_clean_kpi_return_adds_no_finding(config: Config) -> None:  # noqa: F811
    fill(config, GOOD)
    report = check_period(config, JULY)
    assert kpi_codes(report.findings) == []
    assert isinstance(report.kpi_reading, KpiReading)
    assert report.kpi_reading.values["APP01"].value == 64


def crash_on_kpis(ctx: object, kpi_job: object, item: object) -> object:
    if isinstance(item, run.KpiItem):
        os.kill(os.getpid(), signal.SIGABRT)  # as a native reader aborting would
    return run.check_file(item, ctx)  # type: ignore[arg-type]


def test_a_kpi_reader_that_crashes_costs_only_the_kpi_return(
    config: Config,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fill(config, GOOD)
    monkeypatch.setattr(run, "_check_item", crash_on_kpis)
    report = check_period(config, JULY)
    assert kpi_codes(report.findings) == [("KPI-UNREADABLE", "")]
    unreadable = next(f for f in report.findings if f.code == "KPI-UNREADABLE")
    assert unreadable.file == "2023-07.xlsx"
    assert CRASHED.search(unreadable.message), unreadable.message
    assert report.expected_officers  # the officers' side of the check still ran


def test_build_reports_each_kpi_finding_once(config: Config, tmp_path: Path) -> None:  # noqa: F811
    fill(config, {**GOOD, "N5": "31/07/2023"})  # an as-at date typed as text: one info
    result = CliRunner().invoke(main, ["-C", str(config.root), "build", "2023-07"])
    assert result.exit_code == 0, result.output
    from openpyxl import load_workbook

    tracker = load_workbook(config.outputs_dir(JULY) / "tracker-2023-07.xlsx", read_only=True)
    rows = list(tracker["Validation"].iter_rows(values_only=True))
    header = next(row for row in rows if "Code" in row)
    codes = [row[header.index("Code")] for row in rows]
    assert codes.count("KPI-DATE-FROM-TEXT") == 1
