"""A small workspace with four KPIs, and a KPI return made and filled in, for the KPI tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from conftest import small_plan_rows

from packbuilder.commands.kpi_return import make_kpi_return
from packbuilder.config import Config, default_config_text, load_config
from packbuilder.kpis import layout
from packbuilder.model import Period, Plan
from packbuilder.plan import schema
from packbuilder.plan.loader import load_plan
from packbuilder.plan.writer import write_plan_workbook

JULY = Period(2023, 7)
AUGUST = Period(2023, 8)
END_JULY = dt.date(2023, 7, 31)

# The KPIs sheet rows (in this order: APP01 on row 5, APP02 row 6, APP40 row 7, APP47 row 8).
KPI_ROWS = [
    # code, description, areas, unit, polarity, frequency, baseline, as written, baseline
    # date, standard, high impact
    ("APP01", "Complaints answered on time", "1", "%", "higher", "monthly", 60, "60%",
     dt.date(2023, 3, 31), 50, "yes"),
    ("APP02", "Suspensions", "1; 2", "number", "lower", "termly", None, "TBC", None, None, ""),
    ("APP40", "Children waiting for an autism assessment", "2", "number", "lower", "monthly",
     7399, "7,399 (May 2023)", dt.date(2023, 5, 31), None, "yes"),
    ("APP47", "Foundation Stage GLD EHCP gap", "2", "%", "higher", "annual", 40, "40", None,
     None, ""),
]  # fmt: skip
TARGET_ROWS = [
    ("APP01", dt.date(2023, 6, 30), "75"),
    ("APP01", dt.date(2023, 12, 31), "90"),
    ("APP40", dt.date(2023, 6, 30), "TBC"),
]


@pytest.fixture()
def config(tmp_path: Path) -> Config:
    root = tmp_path / "workspace"
    root.mkdir()
    (root / "config.toml").write_text(default_config_text(), "utf-8")
    rows = small_plan_rows()
    rows[schema.KPIS] = KPI_ROWS  # type: ignore[assignment]
    rows[schema.KPI_TARGETS] = TARGET_ROWS  # type: ignore[assignment]
    write_plan_workbook(root / "inputs" / "plan.xlsx", rows)
    return load_config(root)


@pytest.fixture()
def plan(config: Config) -> Plan:
    loaded = load_plan(config.plan_path, config)
    assert loaded.errors == []
    return loaded.plan


def made(config: Config, period: Period = JULY) -> openpyxl.Workbook:
    return openpyxl.load_workbook(make_kpi_return(config, period))


def fill(config: Config, cells: dict[str, object], period: Period = JULY, *,
         made_for: Period | None = None, percent: tuple[str, ...] = ()) -> Path:  # fmt: skip
    """Make the return for MADE_FOR (default PERIOD), fill CELLS on the KPIs sheet, and save
    it where the data team's return for PERIOD goes."""
    workbook = made(config, made_for or period)
    sheet = workbook[layout.KPI_SHEET]
    for ref, value in cells.items():
        sheet[ref] = value  # type: ignore[assignment]
    for ref in percent:
        sheet[ref].number_format = "0%"
    path = config.kpis_path(period)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path
