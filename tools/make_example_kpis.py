"""Make the bundled example's KPI returns: inputs/kpis/2023-07.xlsx and 2023-08.xlsx.

Run from the repository (the example workspace): ``.venv/bin/python tools/make_example_kpis.py``.
Each return is made by ``make_kpi_return`` exactly as the data team would receive it, then
filled in with openpyxl and saved into inputs/kpis/.

The values are ILLUSTRATIVE. The plan gives baselines and targets, not actuals: the values of
the high-impact KPIs below are written to move plausibly from their baselines, and the other
KPIs due get a value derived from their code (stable from run to run). July has a value for
every KPI due in July (monthly and termly); August for the monthly ones, some better and some
worse, with one big move explained in a note (APP40) and one without (APP17, which ``check``
reports as KPI-BIG-MOVE). The KPIs sheet says so in its third row, and docs/kpis.md too.
"""

from __future__ import annotations

import datetime as dt
import sys
import zlib
from pathlib import Path

import openpyxl
from make_example_returns import freeze_file

from packbuilder.commands.kpi_return import make_kpi_return
from packbuilder.commands.kpis import read_last_kpi_values
from packbuilder.config import Config, load_config
from packbuilder.kpis import layout
from packbuilder.kpis.read import read_kpi_return
from packbuilder.model import Kpi, Period, Plan
from packbuilder.plan.loader import load_plan

JULY = Period(2023, 7)
AUGUST = Period(2023, 8)
END_OF_SUMMER_TERM = dt.date(2023, 7, 21)

ILLUSTRATIVE = (
    "ILLUSTRATIVE VALUES for the bundled example, made by tools/make_example_kpis.py: the plan "
    "gives baselines and targets, not actuals."
)

# High-impact KPIs: (July, August). None: not given that month (a termly KPI in August).
HIGH_IMPACT: dict[str, tuple[float, float | None]] = {
    "APP04": (55, None),
    "APP08": (66, None),
    "APP09": (49, None),
    "APP10": (40, None),
    "APP12": (45, None),
    "APP13": (51, None),
    "APP15": (27, None),
    "APP17": (15.1, 24.0),  # a big move with no note: check warns
    "APP18": (50.3, 51.0),
    "APP20": (61.2, 63.0),
    "APP22": (22.0, 21.0),
    "APP31": (41.0, 41.0),
    "APP34": (17.9, 17.2),
    "APP40": (7150, 5200),  # a big move with a note
    "APP41": (3190, 3305),
    "APP44-3": (61.0, 58.4),
    "APPSLT-2": (47.8, 45.1),
}
NOTES: dict[tuple[str, Period], str] = {
    ("APP40", AUGUST): "Illustrative: waiting list validated in August; children who no "
    "longer need an assessment removed.",
}


def derived_value(kpi: Kpi, period: Period) -> float:
    """A stable illustrative value for a KPI without a baseline, from its code."""
    seed = zlib.crc32(kpi.code.encode("utf-8"))
    base = 20 + (seed % 600) / 10 if kpi.unit.strip() == "%" else float(10 + seed % 150)
    if period == JULY:
        return round(base, 1)
    drift = ((zlib.crc32(f"{kpi.code}{period}".encode()) % 121) - 60) / 1000  # -6% to +6%
    return round(base * (1 + drift), 1)


def value_for(kpi: Kpi, period: Period) -> float | None:
    if not layout.is_due(kpi, period):
        return None
    if kpi.code in HIGH_IMPACT:
        july, august = HIGH_IMPACT[kpi.code]
        return july if period == JULY else august
    return derived_value(kpi, period)


def as_at(kpi: Kpi, period: Period) -> dt.date:
    return END_OF_SUMMER_TERM if kpi.frequency == "termly" else period.last_day


def make_example(config: Config, plan: Plan, period: Period) -> Path:
    made = make_kpi_return(config, period)
    workbook = openpyxl.load_workbook(made)
    sheet = workbook[layout.KPI_SHEET]
    sheet["A3"] = ILLUSTRATIVE
    columns = {c.key: c.letter for c in layout.COLUMNS}
    for offset, kpi in enumerate(plan.kpis):
        row = layout.FIRST_ROW + offset
        assert sheet[f"{columns['code']}{row}"].value == kpi.code
        value = value_for(kpi, period)
        if value is None:
            continue
        sheet[f"{columns['value']}{row}"] = value
        sheet[f"{columns['as_at']}{row}"] = as_at(kpi, period)
        note = NOTES.get((kpi.code, period))
        if note:
            sheet[f"{columns['note']}{row}"] = note
    target = config.kpis_path(period)
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(target)
    # Saved as the data team would on the fifth working day after the month, the same on
    # every rerun, so regenerating the example changes no bytes.
    following = period.next
    freeze_file(target, dt.datetime(following.year, following.month, 7, 9, 30))
    return target


def main() -> int:
    config = load_config(Path.cwd())
    plan = load_plan(config.plan_path, config).plan
    for period in (JULY, AUGUST):
        path = make_example(config, plan, period)
        last = read_last_kpi_values(config, plan, period)
        reading = read_kpi_return(path, config, plan, period, last)
        print(f"{path.relative_to(config.root)}: {len(reading.values)} values")
        for finding in reading.findings:
            print(f"  {finding.severity.value} {finding.code} {finding.where}: {finding.message}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
