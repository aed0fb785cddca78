"""The master tracker workbook: the merged period as the office and the board read it.

Written with xlsxwriter from a ``PeriodResult`` and what history adds (trends, KPI series,
plan changes). One module per sheet, in the order the sheets appear, over the shared formats
and cell helpers in ``formats``. The same inputs give the same bytes: document properties are
fixed, nothing here reads the clock, and every list is written in a fixed order. Every text
that came from a return or an override is written with ``write_string``, so it can never
become a formula, a link or a number, and text beyond Excel's cell limit is cut with a
marker and a warning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter

from packbuilder import __version__
from packbuilder.config import Config
from packbuilder.model import Finding, Period, PeriodResult, PlanChange, Rating
from packbuilder.tracker import (
    actions,
    changes,
    end_dates,
    exceptions,
    kpi_scorecard,
    returns_log,
    risks,
    summary,
    validation,
)
from packbuilder.tracker.formats import CUT_MARKER, EXCEL_CELL_LIMIT, SheetWriter
from packbuilder.tracker.summary import brag_counts

__all__ = [
    "CUT_MARKER",
    "EXCEL_CELL_LIMIT",
    "TrackerHistory",
    "brag_counts",
    "write_tracker",
]


@dataclass
class TrackerHistory:
    """What history adds to one period: trends across recorded periods and plan changes.

    The trends and KPI series include the period being built, so the charts end with it.
    """

    progress_trend: dict[Period, dict[Rating, int]] = field(default_factory=dict)
    impact_trend: dict[Period, dict[Rating, int]] = field(default_factory=dict)
    kpi_series: dict[str, dict[Period, float | None]] = field(default_factory=dict)
    plan_changes: list[PlanChange] = field(default_factory=list)


def write_tracker(
    path: Path, config: Config, result: PeriodResult, history: TrackerHistory
) -> list[Finding]:
    """Write the tracker to PATH; return the warnings it raised (text cut at the cell limit)."""
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "default_date_format": "dd mmm yyyy",
        },
    )
    programme = config.settings.programme
    created = dt.datetime.combine(result.period.last_day, dt.time())
    workbook.set_properties(
        {
            "title": f"{programme.name}: master tracker, {result.period.label}",
            "subject": f"Master tracker for {result.period}",
            "author": programme.organisation,
            "company": programme.organisation,
            "comments": f"Made by packbuilder {__version__}",
            "created": created,
        }
    )
    writer = SheetWriter(workbook, config, result)
    summary.write(writer, history)
    actions.write(writer)
    changes.write(writer, history.plan_changes)
    end_dates.write(writer)
    exceptions.write(writer)
    if result.plan.kpis or result.kpis:
        kpi_scorecard.write(writer, history.kpi_series)
    if result.plan.risks or result.risks:
        risks.write(writer)
    returns_log.write(writer)
    validation.write(writer)
    workbook.close()
    return writer.findings
