"""The Summary sheet: the one page a director prints, with its charts.

Key figures, progress and impact by area of weakness, both across recorded periods (from
history), KPIs by RAG and open risks by severity; the charts beside draw from those tables.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from xlsxwriter.worksheet import Worksheet

from packbuilder.kpis.risks import top_risks
from packbuilder.model import BRAG_ORDER, ActionStatus, KpiRag, Rating
from packbuilder.periods import listed, skipped_months
from packbuilder.tracker.formats import SEVERITY_ORDER, SheetWriter, severity_word

if TYPE_CHECKING:
    from packbuilder.tracker import TrackerHistory

_ByArea = list[tuple[str, int, int, int, list[Rating]]]
_Trends = list[tuple[str, int, int]]


def brag_counts(statuses: list[ActionStatus], kind: str) -> dict[Rating, int]:
    """How many actions carry each rating for "progress" or "impact" (None is not counted)."""
    counts = Counter(getattr(s, kind) for s in statuses)
    return {r: counts.get(r, 0) for r in (*BRAG_ORDER, Rating.NOT_YET_RATED)}


def write(w: SheetWriter, history: TrackerHistory) -> None:
    sheet = w.workbook.add_worksheet("Summary")
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 1, 46)
    sheet.set_column(2, 8, 11)
    _heading(w, sheet)
    row = _key_figures(w, sheet)
    row, charts = _by_area(w, sheet, row + 2)
    row, trend_rows = _trends(w, sheet, row, history)
    _kpis_and_risks(w, sheet, row)
    _charts(w, sheet, charts, trend_rows)
    w.print_setup(sheet, repeat_row=None)
    sheet.fit_to_pages(1, 1)  # the Summary is the one page a director prints


def _heading(w: SheetWriter, sheet: Worksheet) -> None:
    programme = w.config.settings.programme
    w.text(sheet, 0, 0, f"{programme.name}: master tracker, {w.period.label}", w.title)
    previous = w.result.previous_period
    compared = f"compared with {previous.label}" if previous else "first report"
    skipped = skipped_months(w.config.first_period, previous, w.period)
    if skipped:
        compared += f" (not built: {listed(skipped)})"
    w.text(
        sheet,
        1,
        0,
        f"As at {w.period.last_day:%d %B %Y}; {compared}. "
        f"{programme.organisation}. {programme.classification}.",
        w.subtitle,
    )


def _key_figures(w: SheetWriter, sheet: Worksheet) -> int:
    """The key figures from row 4; return the last row written."""
    result = w.result
    check = result.check
    counted = len(check.counted_officer_returns())
    overdue = sum(1 for s in result.actions if s.is_overdue(w.period))
    figures = [
        ("Actions", len(result.actions)),
        ("Returns received", counted),
        ("Returns expected", len(check.expected_officers)),
        ("No return (values carried forward)", len(check.missing_officers())),
        ("Area commentaries received", len(result.area_commentary)),
        ("Overdue actions", overdue),
        ("Items in exception (flagged by one rule or more)", result.items_in_exception()),
        ("Errors in returns", len(check.errors)),
        ("Superseded returns (not counted)", len(check.superseded())),
        ("Files that are not returns (see validation.xlsx)", len(check.not_returns())),
    ]
    row = 3
    w.text(sheet, row, 0, "Key figures", w.section)
    for label, value in figures:
        row += 1
        w.text(sheet, row, 0, label, w.plain)
        sheet.write_number(row, 2, value)
    return row


def _by_area(w: SheetWriter, sheet: Worksheet, row: int) -> tuple[int, _ByArea]:
    """Progress and impact counts by area from ROW; return the next free row and the charts."""
    result = w.result
    charts: _ByArea = []
    for kind in ("progress", "impact"):
        ratings = list(BRAG_ORDER) + ([Rating.NOT_YET_RATED] if kind == "impact" else [])
        w.text(sheet, row, 0, f"{kind.capitalize()} by area of weakness", w.section)
        row += 1
        w.text(sheet, row, 0, "Area", w.header)
        w.text(sheet, row, 1, "Title", w.header)
        for c, rating in enumerate(ratings, start=2):
            w.text(sheet, row, c, rating.value, w.brag_headers[rating])
        w.text(sheet, row, 2 + len(ratings), "Total", w.header)
        top = row + 1
        for area in result.plan.areas:
            row += 1
            statuses = list(result.iter_area(area.number))
            counts = brag_counts(statuses, kind)
            w.text(sheet, row, 0, f"Area {area.number}", w.plain)
            w.text(sheet, row, 1, area.title, w.plain)
            for c, rating in enumerate(ratings, start=2):
                sheet.write_number(row, c, counts[rating])
            sheet.write_number(row, 2 + len(ratings), len(statuses))
        bottom = row
        row += 1
        totals = brag_counts(result.actions, kind)
        w.text(sheet, row, 1, "All areas", w.bold)
        for c, rating in enumerate(ratings, start=2):
            sheet.write_number(row, c, totals[rating], w.bold_number)
        sheet.write_number(row, 2 + len(ratings), len(result.actions), w.bold_number)
        charts.append((kind, top, bottom, 2, list(BRAG_ORDER)))
        row += 2
    return row, charts


def _trends(
    w: SheetWriter, sheet: Worksheet, row: int, history: TrackerHistory
) -> tuple[int, _Trends]:
    """Both trends across recorded periods from ROW; return the next free row and the rows."""
    trend_rows: _Trends = []
    for kind, trend in (("progress", history.progress_trend), ("impact", history.impact_trend)):
        w.text(sheet, row, 0, f"{kind.capitalize()} across recorded periods", w.section)
        row += 1
        w.text(sheet, row, 0, "Period", w.header)
        w.text(sheet, row, 1, "Month", w.header)
        for c, rating in enumerate(BRAG_ORDER, start=2):
            w.text(sheet, row, c, rating.value, w.brag_headers[rating])
        top = row + 1
        for period in sorted(trend):
            row += 1
            w.text(sheet, row, 0, str(period), w.plain)
            w.text(sheet, row, 1, period.label, w.plain)
            for c, rating in enumerate(BRAG_ORDER, start=2):
                sheet.write_number(row, c, trend[period].get(rating, 0))
        trend_rows.append((kind, top, row))
        row += 2
    return row, trend_rows


def _kpis_and_risks(w: SheetWriter, sheet: Worksheet, row: int) -> None:
    result = w.result
    if result.kpis:
        w.text(sheet, row, 0, "KPIs by RAG", w.section)
        row += 1
        rags = Counter(k.rag for k in result.kpis)
        for rag in (KpiRag.GREEN, KpiRag.AMBER, KpiRag.RED, KpiRag.NOT_RATED):
            w.text(sheet, row, 1, rag.value, w.rag_formats[rag])
            sheet.write_number(row, 2, rags.get(rag, 0))
            row += 1
        row += 1
    if result.risks:
        w.text(sheet, row, 0, "Open risks by severity after mitigation", w.section)
        row += 1
        severities = Counter(
            severity_word(r.risk.severity_after or r.risk.severity) for r in top_risks(result.risks)
        )
        for word in (*SEVERITY_ORDER, "Not stated"):
            if word == "Not stated" and not severities.get(word):
                continue
            w.text(sheet, row, 1, word, w.severity_formats.get(word, w.plain))
            sheet.write_number(row, 2, severities.get(word, 0))
            row += 1


def _charts(w: SheetWriter, sheet: Worksheet, by_area: _ByArea, trends: _Trends) -> None:
    anchor_row = 3
    # Counts of actions: with a small plan, whole-number steps, so the axis never reads
    # 0.2, 0.4 …; a larger plan's axis already steps in whole numbers.
    whole = {"min": 0, "major_unit": 1} if len(w.result.actions) <= 10 else {"min": 0}
    for kind, top, bottom, first_col, ratings in by_area:
        chart = w.workbook.add_chart({"type": "bar", "subtype": "stacked"})
        for offset, rating in enumerate(ratings):
            col = first_col + offset
            chart.add_series(
                {
                    "name": ["Summary", top - 1, col],
                    "categories": ["Summary", top, 0, bottom, 0],
                    "values": ["Summary", top, col, bottom, col],
                    "fill": {"color": w.config.brag_style(rating).colour},
                    "border": {"color": "#FFFFFF"},
                    "gap": 60,
                }
            )
        chart.set_title({"name": f"{kind.capitalize()} BRAG by area of weakness"})
        chart.set_y_axis({"reverse": True})
        chart.set_x_axis({"name": "Actions", "major_gridlines": {"visible": True}, **whole})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 560, "height": 300})
        sheet.insert_chart(anchor_row, 9, chart)
        anchor_row += 16
    for kind, top, bottom in trends:
        chart = w.workbook.add_chart({"type": "column", "subtype": "stacked"})
        for offset, rating in enumerate(BRAG_ORDER):
            col = 2 + offset
            chart.add_series(
                {
                    "name": ["Summary", top - 1, col],
                    "categories": ["Summary", top, 1, max(top, bottom), 1],
                    "values": ["Summary", top, col, max(top, bottom), col],
                    "fill": {"color": w.config.brag_style(rating).colour},
                    "border": {"color": "#FFFFFF"},
                }
            )
        chart.set_title({"name": f"{kind.capitalize()} BRAG across recorded periods"})
        chart.set_y_axis({"name": "Actions", **whole})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 560, "height": 260})
        sheet.insert_chart(anchor_row, 9, chart)
        anchor_row += 14
