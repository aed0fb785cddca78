"""The KPI scorecard sheet: each KPI's value, target, RAG and its series across periods.

Written only when the plan or the KPI return has a KPI. The series from history ends with
the period being built; a sparkline in the Trend column draws it from the columns beside.
"""

from __future__ import annotations

import xlsxwriter

from packbuilder.model import Period
from packbuilder.tracker.formats import SheetWriter


def write(w: SheetWriter, series: dict[str, dict[Period, float | None]]) -> None:
    periods = sorted({p for values in series.values() for p in values} | {w.period})
    rows = []
    for k in w.result.kpis:
        kpi = k.kpi
        target = k.target
        rows.append(
            [
                kpi.code,
                kpi.description,
                "; ".join(str(a) for a in kpi.areas),
                kpi.unit,
                "Higher is better" if kpi.polarity.value == "higher" else "Lower is better",
                # Figures as numbers, the unit in its own column, so they sort and filter;
                # the words as written only where there is no number ("TBC").
                _figure(kpi.baseline, kpi.baseline_text),
                _figure(target.value, target.text) if target else "",
                target.date if target else None,
                _figure(k.value, k.value_text),
                k.as_at,
                "Carried forward" if k.carried_forward else "",
                k.rag.value,
                k.rag_reason,
                f"{k.direction.arrow} {k.direction.value}",
                "",
                k.note,
            ]
        )
    columns: list[tuple[str, float]] = [
        ("Code", 9),
        ("Description", 46),
        ("Areas", 7),
        ("Unit", 8),
        ("Polarity", 12),
        ("Baseline", 12),
        ("Target in force", 12),
        ("Target date", 12),
        ("Actual", 10),
        ("As at", 12),
        ("Carried", 11),
        ("RAG", 10),
        ("Why", 36),
        ("Direction", 13),
        ("Trend", 14),
        ("Note", 30),
    ]
    trend_col = len(columns) - 2
    first_series_col = len(columns)
    columns += [(str(p), 9) for p in periods]
    for row, k in zip(rows, w.result.kpis, strict=True):
        for p in periods:
            value = series.get(k.kpi.code, {}).get(p)
            if p == w.period:
                value = k.value
            row.append(value if value is not None else "")
    sheet = w.table_sheet("KPI scorecard", columns, rows, empty_note="No KPI in the plan.")
    w.word_rule(
        sheet,
        1,
        len(rows),
        11,
        {rag.value: fmt for rag, fmt in w.rag_formats.items()},
    )
    last_col = first_series_col + len(periods) - 1
    for r in range(1, len(rows) + 1):
        sheet.add_sparkline(
            r,
            trend_col,
            {
                "range": "'KPI scorecard'!"
                + xlsxwriter.utility.xl_range(r, first_series_col, r, last_col),
                "markers": True,
                "type": "line",
            },
        )


def _figure(number: float | None, written: str) -> float | str:
    """A KPI figure for a tracker cell: the number where there is one, else the words."""
    return number if number is not None else written
