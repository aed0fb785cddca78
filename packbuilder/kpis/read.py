"""Reading and checking the KPI return the data team sends back (inputs/kpis/PERIOD.xlsx).

The file passes the safe reader's gate (``packbuilder.returns.safe.screen_file``: no non-zip,
oversized or DTD-bearing file reaches a parser), then openpyxl reads it, through defusedxml, in
read-only mode and within the template's range. Every problem is a ``Finding`` with a stable
code from the findings registry (``packbuilder.findings``, family kpi); values that
pass become ``KpiValue`` objects with the cell they came from.
The checker calls ``check_kpi_period``; ``kpi_statuses`` takes its reading.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packbuilder.config import Config
from packbuilder.findings import finding
from packbuilder.kpis import layout
from packbuilder.kpis.last import LastKpiValue
from packbuilder.kpis.rules import (
    CODE_RULES,
    ROW_RULES,
    SHEET_RULES,
    KpiContext,
    KpiRow,
    KpiSheet,
    is_blank,
    is_fraction_of_percent,
    kpi_row,
    text_of,
)
from packbuilder.model import CellSource, Finding, Period, Plan, Severity
from packbuilder.processes import import_openpyxl_without_numpy
from packbuilder.returns.safe import assert_defused, refusal_in_words, screen_file

__all__ = [
    "KpiReading",
    "KpiValue",
    "check_kpi_period",
    "is_fraction_of_percent",
    "read_kpi_return",
]
_READ_SPARE_ROWS = 200  # rows read beyond the plan's KPIs, to find added rows
_VALUE_INDEX = [c.key for c in layout.COLUMNS].index("value")


@dataclass(frozen=True)
class KpiValue:
    """One KPI's value for the period, as the data team gave it."""

    value: float | None
    text: str  # as written
    as_at: dt.date | None
    note: str = ""
    source: CellSource | None = None


@dataclass
class KpiReading:
    """What a KPI return said, and every finding about it."""

    path: Path
    sha256: str = ""
    period: str = ""  # as the meta sheet states it
    values: dict[str, KpiValue] = field(default_factory=dict)  # code -> valid value
    notes: dict[str, str] = field(default_factory=dict)  # code -> note, with or without value
    findings: list[Finding] = field(default_factory=list)
    recognised: bool = False  # a readable KPI return for the right period

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


def check_kpi_period(
    config: Config, plan: Plan, period: Period, last: dict[str, LastKpiValue]
) -> KpiReading:
    """The period's KPI return read and checked against each KPI's LAST value; a warning if it
    is missing while KPIs are due."""
    path = config.kpis_path(period)
    if path.is_file():
        return read_kpi_return(path, config, plan, period, last)
    reading = KpiReading(path=path)
    due = [kpi.code for kpi in plan.kpis if layout.is_due(kpi, period)]
    if due:
        reading.findings.append(
            finding(
                "KPI-NO-RETURN",
                file=path.name,
                period_label=period.label,
                count=len(due),
                due=f"{', '.join(due[:5])}{', …' if len(due) > 5 else ''}",
                period=period,
                folder=path.parent.name,
            )
        )
    return reading


def read_kpi_return(
    path: Path, config: Config, plan: Plan, period: Period, last: dict[str, LastKpiValue]
) -> KpiReading:
    """Read and check the KPI return at PATH for PERIOD against the plan's KPIs and their LAST
    values."""
    reading = KpiReading(path=path)
    name = path.name
    screening = screen_file(path, config.settings.limits)
    reading.sha256 = screening.sha256
    if not screening.accepted:
        assert screening.refusal is not None
        reading.findings.append(
            finding(
                "KPI-UNREADABLE",
                file=name,
                value=screening.refusal.value,
                why=refusal_in_words(screening),
            )
        )
        return reading
    import_openpyxl_without_numpy()
    assert_defused(openpyxl=True)
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(screening.data), read_only=True, data_only=True
        )
    except Exception:  # openpyxl raises many kinds on a damaged file, in its own words
        reading.findings.append(finding("KPI-UNREADABLE", variant="damaged", file=name))
        return reading
    try:
        _read_workbook(workbook, reading, config, plan, period, last)
    finally:
        workbook.close()
    return reading


def _read_workbook(
    workbook: object,
    reading: KpiReading,
    config: Config,
    plan: Plan,
    period: Period,
    last: dict[str, LastKpiValue],
) -> None:
    """Recognise the KPI return, read its rows and run the KPI rules (kpis/rules.py) on them."""
    from openpyxl.workbook.workbook import Workbook

    assert isinstance(workbook, Workbook)
    name = reading.path.name
    meta = _meta(workbook)
    if meta.get("kind") != layout.KIND or layout.KPI_SHEET not in workbook.sheetnames:
        found = finding("KPI-NOT-KPI-RETURN", file=name, value=meta.get("kind", ""), period=period)
        reading.findings.append(found)
        return
    reading.period = meta.get("period", "")
    if reading.period != str(period):
        reading.findings.append(
            finding(
                "KPI-WRONG-PERIOD",
                file=name,
                value=reading.period,
                stated=reading.period or "no period",
                period=period,
                period_label=period.label,
            )
        )
        return
    reading.recognised = True
    kpis = {kpi.code: kpi for kpi in plan.kpis}
    context = KpiContext(period, kpis, last, config.settings.kpis.move_threshold_percent)
    rejected: set[str] = set()
    for row in _rows(workbook[layout.KPI_SHEET], name, context):
        code_findings = [f for rule, _ in CODE_RULES for f in rule(row, context)]
        reading.findings += code_findings
        if code_findings or not row.code:
            continue
        context.seen[row.code] = row.row
        if row.note:
            reading.notes[row.code] = row.note
        reading.findings += [f for rule, _ in ROW_RULES for f in rule(row, context)]
        if row.number is None or row.as_at.date is None:
            if not is_blank(row.raw):
                rejected.add(row.code)
            continue
        cell = row.at("value")["cell"]
        reading.values[row.code] = KpiValue(
            value=row.number,
            text=row.value.shown,
            as_at=row.as_at.date,
            note=row.note,
            source=CellSource(name, reading.sha256, layout.KPI_SHEET, cell),
        )
    sheet = KpiSheet(name, frozenset(reading.values), frozenset(rejected))
    reading.findings += [f for rule, _ in SHEET_RULES for f in rule(sheet, context)]


def _rows(sheet: Any, name: str, context: KpiContext) -> Iterator[KpiRow]:
    """The KPI sheet's rows, as far as the plan's KPIs and some spare rows reach."""
    width = len(layout.COLUMNS)
    last_row = layout.FIRST_ROW + len(context.kpis) + _READ_SPARE_ROWS
    rows = sheet.iter_rows(min_row=layout.FIRST_ROW, max_row=last_row, max_col=width)
    for row_number, cells in enumerate(rows, start=layout.FIRST_ROW):
        line = {
            column.key: getattr(cell, "value", None)
            for column, cell in zip(layout.COLUMNS, cells, strict=False)
        }
        value_cell = cells[_VALUE_INDEX] if len(cells) > _VALUE_INDEX else None
        percent_cell = "%" in str(getattr(value_cell, "number_format", "") or "")
        yield kpi_row(
            name, row_number, line, context.kpis, context.period, percent_cell=percent_cell
        )


def _meta(workbook: object) -> dict[str, str]:
    """The meta sheet's key/value pairs, from the sheet named for it or marked as it."""
    from openpyxl.workbook.workbook import Workbook

    assert isinstance(workbook, Workbook)
    names = [layout.META_SHEET, *(n for n in workbook.sheetnames if n != layout.META_SHEET)]
    for sheet_name in names:
        if sheet_name not in workbook.sheetnames:
            continue
        sheet = workbook[sheet_name]
        rows = list(
            sheet.iter_rows(
                min_row=1, max_row=1 + len(layout.META_KEYS), max_col=2, values_only=True
            )
        )
        if not rows or text_of(rows[0][0] if rows[0] else None) != layout.META_MARKER:
            continue
        return {
            text_of(key): text_of(value) for key, value, *_ in ((*r, None, None) for r in rows[1:])
        }
    return {}
