"""The master tracker workbook: the merged period as the office and the board read it.

Written with xlsxwriter from a ``PeriodResult`` and what history adds (trends, KPI series,
plan changes). The same inputs give the same bytes: document properties are fixed, nothing
here reads the clock, and every list is written in a fixed order. Every text that came from a
return or an override is written with ``write_string``, so it can never become a formula, a
link or a number, and text beyond Excel's cell limit is cut with a marker and a warning.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from packbuilder import __version__
from packbuilder.checks.registry import REGISTRY
from packbuilder.config import Config
from packbuilder.history import PlanChange
from packbuilder.kpis.risks import top_risks
from packbuilder.merge import carried_words, overrides_for
from packbuilder.model import (
    BRAG_ORDER,
    ActionStatus,
    Direction,
    FileStatus,
    Finding,
    KpiRag,
    Period,
    PeriodResult,
    Rating,
    ReturnKind,
)
from packbuilder.periods import listed, skipped_months

EXCEL_CELL_LIMIT = 32_767
CUT_MARKER = " … [cut: longer than Excel's 32,767-character cell limit]"
SEVERITY_ORDER = ("High", "Medium", "Low")
HEADER_ROW = 0  # every data sheet's header is its first row; Summary has its own layout


@dataclass
class TrackerHistory:
    """What history adds to one period: trends across recorded periods and plan changes.

    The trends and KPI series include the period being built, so the charts end with it.
    """

    progress_trend: dict[Period, dict[Rating, int]] = field(default_factory=dict)
    impact_trend: dict[Period, dict[Rating, int]] = field(default_factory=dict)
    kpi_series: dict[str, dict[Period, float | None]] = field(default_factory=dict)
    plan_changes: list[PlanChange] = field(default_factory=list)


def brag_counts(statuses: list[ActionStatus], kind: str) -> dict[Rating, int]:
    """How many actions carry each rating for "progress" or "impact" (None is not counted)."""
    counts = Counter(getattr(s, kind) for s in statuses)
    return {r: counts.get(r, 0) for r in (*BRAG_ORDER, Rating.NOT_YET_RATED)}


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
    writer = _Writer(workbook, config, result)
    writer.summary(history)
    writer.tracker()
    writer.changes(history.plan_changes)
    writer.end_dates()
    writer.exceptions()
    if result.plan.kpis or result.kpis:
        writer.kpi_scorecard(history.kpi_series)
    if result.plan.risks or result.risks:
        writer.risks()
    writer.returns_log()
    writer.validation()
    workbook.close()
    return writer.findings


class _Writer:
    def __init__(self, workbook: Workbook, config: Config, result: PeriodResult) -> None:
        self.workbook = workbook
        self.config = config
        self.result = result
        self.period = result.period
        self.findings: list[Finding] = []
        self.officers = result.plan.officer_by_id()
        add = workbook.add_format
        self.title = add({"bold": True, "font_size": 16, "font_color": "#1F3864"})
        self.subtitle = add({"italic": True, "font_color": "#404040"})
        self.section = add({"bold": True, "font_size": 12, "font_color": "#1F3864"})
        self.header = add(
            {
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": "#1F3864",
                "text_wrap": True,
                "valign": "top",
                "border": 1,
            }
        )
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.plain = add({"valign": "top"})
        self.date_format = add({"num_format": "dd mmm yyyy", "valign": "top", "align": "left"})
        self.number = add({"valign": "top", "align": "center"})
        self.bold_number = add({"bold": True, "top": 1})
        self.bold = add({"bold": True, "top": 1})
        self.override = add({"text_wrap": True, "valign": "top", "italic": True})
        self.brag_formats = {
            rating: add(
                {
                    "bg_color": config.brag_style(rating).colour,
                    "font_color": config.brag_style(rating).font,
                }
            )
            for rating in Rating
        }
        rag = config.settings.rag
        self.rag_formats = {
            KpiRag.GREEN: add({"bg_color": rag.green.colour, "font_color": rag.green.font}),
            KpiRag.AMBER: add({"bg_color": rag.amber.colour, "font_color": rag.amber.font}),
            KpiRag.RED: add({"bg_color": rag.red.colour, "font_color": rag.red.font}),
            KpiRag.NOT_RATED: add(
                {"bg_color": rag.not_rated.colour, "font_color": rag.not_rated.font}
            ),
        }
        self.severity_formats = {
            "High": self.rag_formats[KpiRag.RED],
            "Medium": self.rag_formats[KpiRag.AMBER],
            "Low": self.rag_formats[KpiRag.GREEN],
        }
        self.brag_headers = {
            rating: add(
                {
                    "bold": True,
                    "bg_color": config.brag_style(rating).colour,
                    "font_color": config.brag_style(rating).font,
                    "border": 1,
                    "align": "center",
                }
            )
            for rating in Rating
        }

    # ---------------------------------------------------------------- cell helpers

    def text(
        self, sheet: Worksheet, row: int, col: int, value: object, fmt: Format | None = None
    ) -> None:
        """Write VALUE as text, always: never a formula, a link or a number."""
        string = "" if value is None else str(value)
        if len(string) > EXCEL_CELL_LIMIT:
            kept = EXCEL_CELL_LIMIT - len(CUT_MARKER)
            self.findings.append(
                Finding(
                    code="tracker-text-cut",
                    severity=REGISTRY["tracker-text-cut"].severity,
                    message=f"A text of {len(string):,} characters was cut to Excel's limit "
                    "of 32,767 in the tracker; the whole text is in the return.",
                    file=f"tracker-{self.period}.xlsx",
                    sheet=sheet.get_name(),
                    cell=xlsxwriter.utility.xl_rowcol_to_cell(row, col),
                    value=string[:80],
                )
            )
            string = string[:kept] + CUT_MARKER
        if string == "":
            sheet.write_blank(row, col, None, fmt)
            return
        code = sheet.write_string(row, col, string, fmt)
        if code != 0:
            raise RuntimeError(f"xlsxwriter refused a text at {sheet.get_name()} row {row}")

    def date(self, sheet: Worksheet, row: int, col: int, value: dt.date | None) -> None:
        if value is None:
            sheet.write_blank(row, col, None, self.date_format)
        else:
            sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), self.date_format)

    def table_sheet(
        self,
        name: str,
        columns: list[tuple[str, float]],
        rows: list[list[Any]],
        freeze_cols: int = 1,
        empty_note: str = "",
    ) -> Worksheet:
        """A sheet holding one Excel table: header in row 1, filters, frozen header, print."""
        sheet = self.workbook.add_worksheet(name)
        for col, (_, width) in enumerate(columns):
            sheet.set_column(col, col, width)
        data_rows = rows or [[empty_note] + [""] * (len(columns) - 1)]
        widths = [width for _, width in columns]
        for r, values in enumerate(data_rows, start=1):
            for c, value in enumerate(values):
                self.cell(sheet, r, c, value)
            sheet.set_row(r, _row_height(values, widths))
        sheet.add_table(
            0,
            0,
            len(data_rows),
            len(columns) - 1,
            {
                "name": name.replace(" ", "").replace("-", ""),
                "style": "Table Style Light 9",
                "columns": [{"header": h, "header_format": self.header} for h, _ in columns],
            },
        )
        sheet.set_row(HEADER_ROW, 30)  # two lines: "Progress direction", "Revised end date"
        sheet.freeze_panes(1, freeze_cols)
        self.print_setup(sheet, repeat_row=HEADER_ROW)
        return sheet

    def cell(self, sheet: Worksheet, row: int, col: int, value: Any) -> None:
        if isinstance(value, dt.date):
            self.date(sheet, row, col, value)
        elif isinstance(value, bool):
            self.text(sheet, row, col, "Yes" if value else "No", self.plain)
        elif isinstance(value, int | float):
            sheet.write_number(row, col, value, self.number)
        elif isinstance(value, Rating | KpiRag | Direction):
            self.text(sheet, row, col, value.value, self.plain)
        elif isinstance(value, _Note):
            self.text(sheet, row, col, value.text, self.override)
        else:
            self.text(sheet, row, col, value, self.wrap)

    def brag_rule(self, sheet: Worksheet, first_row: int, last_row: int, col: int) -> None:
        """The configured BRAG colours on one column; the word stays in the cell. A rating
        carried forward because of an error ("Amber, carried forward: …") keeps its colour."""
        for rating in Rating:
            for rule in (
                {"type": "cell", "criteria": "==", "value": f'"{rating.value}"'},
                {"type": "text", "criteria": "begins with", "value": f"{rating.value},"},
            ):
                sheet.conditional_format(
                    first_row,
                    col,
                    max(first_row, last_row),
                    col,
                    {**rule, "format": self.brag_formats[rating]},
                )

    def word_rule(
        self, sheet: Worksheet, first_row: int, last_row: int, col: int, formats: dict[str, Format]
    ) -> None:
        for word, fmt in formats.items():
            sheet.conditional_format(
                first_row,
                col,
                max(first_row, last_row),
                col,
                {"type": "cell", "criteria": "==", "value": f'"{word}"', "format": fmt},
            )

    def print_setup(self, sheet: Worksheet, repeat_row: int | None) -> None:
        programme = self.config.settings.programme.name.replace("&", "&&")
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        if repeat_row is not None:
            sheet.repeat_rows(repeat_row)
        sheet.set_footer(
            f"&L&8{programme[:100]}&C&8{self.period.label}: {sheet.get_name()}&R&8Page &P of &N"
        )

    def officer_name(self, officer_id: str) -> str:
        officer = self.officers.get(officer_id)
        return officer.name if officer else officer_id

    # ---------------------------------------------------------------- Summary

    def summary(self, history: TrackerHistory) -> None:
        result, plan = self.result, self.result.plan
        sheet = self.workbook.add_worksheet("Summary")
        sheet.set_column(0, 0, 8)
        sheet.set_column(1, 1, 46)
        sheet.set_column(2, 8, 11)
        programme = self.config.settings.programme
        self.text(sheet, 0, 0, f"{programme.name}: master tracker, {self.period.label}", self.title)
        previous = result.previous_period
        compared = f"compared with {previous.label}" if previous else "first report"
        skipped = skipped_months(self.config.first_period, previous, self.period)
        if skipped:
            compared += f" (not built: {listed(skipped)})"
        self.text(
            sheet,
            1,
            0,
            f"As at {self.period.last_day:%d %B %Y}; {compared}. "
            f"{programme.organisation}. {programme.classification}.",
            self.subtitle,
        )

        check = result.check
        counted = len(check.counted_officer_returns())
        overdue = sum(1 for s in result.actions if s.is_overdue(self.period))
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
        self.text(sheet, row, 0, "Key figures", self.section)
        for label, value in figures:
            row += 1
            self.text(sheet, row, 0, label, self.plain)
            sheet.write_number(row, 2, value)
        first_counts_row = row + 2
        row = first_counts_row
        charts: list[tuple[str, int, int, int, list[Rating]]] = []
        for kind in ("progress", "impact"):
            ratings = list(BRAG_ORDER) + ([Rating.NOT_YET_RATED] if kind == "impact" else [])
            self.text(sheet, row, 0, f"{kind.capitalize()} by area of weakness", self.section)
            row += 1
            self.text(sheet, row, 0, "Area", self.header)
            self.text(sheet, row, 1, "Title", self.header)
            for c, rating in enumerate(ratings, start=2):
                self.text(sheet, row, c, rating.value, self.brag_headers[rating])
            self.text(sheet, row, 2 + len(ratings), "Total", self.header)
            top = row + 1
            for area in plan.areas:
                row += 1
                statuses = list(result.iter_area(area.number))
                counts = brag_counts(statuses, kind)
                self.text(sheet, row, 0, f"Area {area.number}", self.plain)
                self.text(sheet, row, 1, area.title, self.plain)
                for c, rating in enumerate(ratings, start=2):
                    sheet.write_number(row, c, counts[rating])
                sheet.write_number(row, 2 + len(ratings), len(statuses))
            bottom = row
            row += 1
            totals = brag_counts(result.actions, kind)
            self.text(sheet, row, 1, "All areas", self.bold)
            for c, rating in enumerate(ratings, start=2):
                sheet.write_number(row, c, totals[rating], self.bold_number)
            sheet.write_number(row, 2 + len(ratings), len(result.actions), self.bold_number)
            charts.append((kind, top, bottom, 2, list(BRAG_ORDER)))
            row += 2

        trend_rows: list[tuple[str, int, int]] = []
        for kind, trend in (("progress", history.progress_trend), ("impact", history.impact_trend)):
            self.text(sheet, row, 0, f"{kind.capitalize()} across recorded periods", self.section)
            row += 1
            self.text(sheet, row, 0, "Period", self.header)
            self.text(sheet, row, 1, "Month", self.header)
            for c, rating in enumerate(BRAG_ORDER, start=2):
                self.text(sheet, row, c, rating.value, self.brag_headers[rating])
            top = row + 1
            for period in sorted(trend):
                row += 1
                self.text(sheet, row, 0, str(period), self.plain)
                self.text(sheet, row, 1, period.label, self.plain)
                for c, rating in enumerate(BRAG_ORDER, start=2):
                    sheet.write_number(row, c, trend[period].get(rating, 0))
            trend_rows.append((kind, top, row))
            row += 2

        if result.kpis:
            self.text(sheet, row, 0, "KPIs by RAG", self.section)
            row += 1
            rags = Counter(k.rag for k in result.kpis)
            for rag in (KpiRag.GREEN, KpiRag.AMBER, KpiRag.RED, KpiRag.NOT_RATED):
                self.text(sheet, row, 1, rag.value, self.rag_formats[rag])
                sheet.write_number(row, 2, rags.get(rag, 0))
                row += 1
            row += 1
        if result.risks:
            self.text(sheet, row, 0, "Open risks by severity after mitigation", self.section)
            row += 1
            severities = Counter(
                _severity_word(r.risk.severity_after or r.risk.severity)
                for r in top_risks(result.risks)
            )
            for word in (*SEVERITY_ORDER, "Not stated"):
                if word == "Not stated" and not severities.get(word):
                    continue
                self.text(sheet, row, 1, word, self.severity_formats.get(word, self.plain))
                sheet.write_number(row, 2, severities.get(word, 0))
                row += 1

        self._summary_charts(sheet, charts, trend_rows)
        self.print_setup(sheet, repeat_row=None)
        sheet.fit_to_pages(1, 1)  # the Summary is the one page a director prints

    def _summary_charts(
        self,
        sheet: Worksheet,
        by_area: list[tuple[str, int, int, int, list[Rating]]],
        trends: list[tuple[str, int, int]],
    ) -> None:
        anchor_row = 3
        # Counts of actions: with a small plan, whole-number steps, so the axis never reads
        # 0.2, 0.4 …; a larger plan's axis already steps in whole numbers.
        whole = {"min": 0, "major_unit": 1} if len(self.result.actions) <= 10 else {"min": 0}
        for kind, top, bottom, first_col, ratings in by_area:
            chart = self.workbook.add_chart({"type": "bar", "subtype": "stacked"})
            for offset, rating in enumerate(ratings):
                col = first_col + offset
                chart.add_series(
                    {
                        "name": ["Summary", top - 1, col],
                        "categories": ["Summary", top, 0, bottom, 0],
                        "values": ["Summary", top, col, bottom, col],
                        "fill": {"color": self.config.brag_style(rating).colour},
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
            chart = self.workbook.add_chart({"type": "column", "subtype": "stacked"})
            for offset, rating in enumerate(BRAG_ORDER):
                col = 2 + offset
                chart.add_series(
                    {
                        "name": ["Summary", top - 1, col],
                        "categories": ["Summary", top, 1, max(top, bottom), 1],
                        "values": ["Summary", top, col, max(top, bottom), col],
                        "fill": {"color": self.config.brag_style(rating).colour},
                        "border": {"color": "#FFFFFF"},
                    }
                )
            chart.set_title({"name": f"{kind.capitalize()} BRAG across recorded periods"})
            chart.set_y_axis({"name": "Actions", **whole})
            chart.set_legend({"position": "bottom"})
            chart.set_size({"width": 560, "height": 260})
            sheet.insert_chart(anchor_row, 9, chart)
            anchor_row += 14

    # ---------------------------------------------------------------- Tracker

    TRACKER_COLUMNS: tuple[tuple[str, float], ...] = (
        ("Action ID", 9),
        ("Area", 6),
        ("Sub-theme", 9),
        ("Action", 50),
        ("Responsible officer", 22),
        ("Organisation", 16),
        ("End date as written", 16),
        ("End date", 12),
        ("Revised end date", 12),
        ("End date in force", 12),
        ("End date last moved", 14),
        ("Overdue", 9),
        ("Progress", 11),
        ("Impact", 11),
        ("Last progress", 11),
        ("Last impact", 11),
        ("Progress direction", 12),
        ("Impact direction", 12),
        ("Commentary", 50),
        ("Evidence of impact", 40),
        ("Confidence", 11),
        ("Key risks or issues", 30),
        ("Escalation", 10),
        ("Next milestone", 28),
        ("KPI codes", 14),
        ("Return status", 16),
        ("Source file", 24),
        ("Source cell", 14),
        ("Overrides", 30),
    )

    def tracker(self) -> None:
        rows = []
        for s in self.result.actions:
            action = s.action
            officer = self.officers.get(action.reporting_officer)
            source = (
                s.sources.get("progress") or next(iter(sorted(s.sources.items())), ("", None))[1]
            )
            rows.append(
                [
                    action.id,
                    action.area,
                    action.sub_theme,
                    action.text,
                    officer.name if officer else action.reporting_officer,
                    officer.organisation if officer else "",
                    action.end_date.text,
                    action.end_date.date,
                    _carried_date(s, "revised_end_date", s.revised_end_date),
                    s.end_date_in_force,
                    s.end_date_agreed_in.label if s.end_date_agreed_in else "",
                    "Yes" if s.is_overdue(self.period) else "No",
                    carried_words(s, "progress", _rating(s.progress)),
                    carried_words(s, "impact", _rating(s.impact)),
                    _previous(s.previous_progress, self.result.previous_period),
                    _previous(s.previous_impact, self.result.previous_period),
                    _direction(s.progress_direction),
                    _direction(s.impact_direction),
                    carried_words(s, "progress_commentary", s.progress_commentary),
                    carried_words(s, "evidence", s.evidence),
                    carried_words(s, "confidence", s.confidence),
                    carried_words(s, "risks", s.risks),
                    carried_words(
                        s,
                        "escalation",
                        "" if s.escalation is None else ("Yes" if s.escalation else "No"),
                    ),
                    carried_words(
                        s, "next_milestone", _milestone(s.next_milestone, s.next_milestone_date)
                    ),
                    "; ".join(action.kpi_codes),
                    s.return_status.value,
                    source.file if source else "",
                    f"{source.sheet} › {source.cell}" if source else "",
                    _Note(_override_text(s)) if s.overrides else "",
                ]
            )
        columns = list(self.TRACKER_COLUMNS)
        sheet = self.table_sheet("Tracker", columns, rows, freeze_cols=1)
        sheet.set_paper(8)  # A3: the whole row of an action on one page width
        last = len(rows)
        headers = [h for h, _ in columns]
        for name in ("Progress", "Impact", "Last progress", "Last impact"):
            self.brag_rule(sheet, 1, last, headers.index(name))
        self._override_comments(sheet, headers)

    def _override_comments(self, sheet: Worksheet, headers: list[str]) -> None:
        """A comment on each overridden cell giving the override and its reason."""
        columns = {
            "progress": "Progress",
            "impact": "Impact",
            "progress_commentary": "Commentary",
            "evidence": "Evidence of impact",
            "revised_end_date": "Revised end date",
            "confidence": "Confidence",
            "risks": "Key risks or issues",
            "escalation": "Escalation",
            "next_milestone": "Next milestone",
            "next_milestone_date": "Next milestone",
        }
        for r, s in enumerate(self.result.actions, start=1):
            for attribute, header in columns.items():
                applied = overrides_for(s, attribute)
                if applied:
                    note = "\n".join(f"Override by {o.who}: {o.reason}" for o in applied)
                    sheet.write_comment(
                        r,
                        headers.index(header),
                        note[:2000],
                        {"author": "packbuilder", "x_scale": 2, "y_scale": 1.5},
                    )

    # ---------------------------------------------------------------- Changes

    def changes(self, plan_changes: list[PlanChange]) -> None:
        previous = self.result.previous_period
        rows: list[list[Any]] = []
        for s in self.result.actions:
            for kind, before, after, direction in (
                ("Progress", s.previous_progress, s.progress, s.progress_direction),
                ("Impact", s.previous_impact, s.impact, s.impact_direction),
            ):
                if before is not None and before != after:
                    rows.append(
                        [
                            f"{kind} changed",
                            s.action.id,
                            s.action.area,
                            s.action.text,
                            self.officer_name(s.action.reporting_officer),
                            before.value,
                            _rating(after),
                            _direction(direction),
                            s.return_status.value
                            + ("; override" if overrides_for(s, kind.lower()) else ""),
                        ]
                    )
        actions = self.result.plan.action_by_id()
        for change in plan_changes:
            action = actions.get(change.action_id)
            was, now = change.before, change.after
            if change.change == "Reassigned":
                was, now = self.officer_name(was), self.officer_name(now)
            rows.append(
                [
                    change.change,
                    change.action_id,
                    action.area if action else "",
                    action.text if action else change.before,
                    self.officer_name(action.reporting_officer) if action else "",
                    was,
                    now,
                    "",
                    "Plan change",
                ]
            )
        note = (
            f"Nothing changed since {previous.label}."
            if previous
            else "First report: there is no earlier period to compare with."
        )
        sheet = self.table_sheet(
            "Changes",
            [
                ("Change", 18),
                ("Action ID", 9),
                ("Area", 6),
                ("Action", 50),
                ("Responsible officer", 22),
                ("Before", 22),
                ("After", 22),
                ("Direction", 12),
                ("Return status", 18),
            ],
            rows,
            freeze_cols=0,
            empty_note=note,
        )
        self.brag_rule(sheet, 1, len(rows), 5)
        self.brag_rule(sheet, 1, len(rows), 6)

    # ---------------------------------------------------------------- End dates

    def end_dates(self) -> None:
        end = self.period.last_day
        soon = _add_months(end, 3)
        rows: list[tuple[tuple[int, dt.date, str], list[Any]]] = []
        for s in self.result.actions:
            due = s.end_date_in_force
            reasons = []
            if s.is_overdue(self.period):
                reasons.append("Overdue")
            complete = s.progress is not None and s.progress.is_complete
            if due is not None and end < due <= soon and not complete:
                reasons.append("Due in the next three months")
            if s.end_date_agreed_in == self.period:
                reasons.append("Moved this period")
            elif s.revised_end_date is not None:
                reasons.append("Revised")
            if not reasons:
                continue
            order = 0 if "Overdue" in reasons else 1 if reasons[0].startswith("Due") else 2
            days = (end - due).days if due is not None and "Overdue" in reasons else ""
            rows.append(
                (
                    (order, due or dt.date.max, s.action.id),
                    [
                        "; ".join(reasons),
                        s.action.id,
                        s.action.area,
                        s.action.text,
                        self.officer_name(s.action.reporting_officer),
                        s.action.end_date.text,
                        s.action.end_date.date,
                        s.revised_end_date,
                        carried_words(s, "revised_reason", s.revised_reason),
                        s.end_date_agreed_in.label if s.end_date_agreed_in else "",
                        due,
                        days,
                        _rating(s.progress),
                    ],
                )
            )
        rows.sort(key=lambda item: item[0])
        sheet = self.table_sheet(
            "End dates",
            [
                ("Why listed", 20),
                ("Action ID", 9),
                ("Area", 6),
                ("Action", 46),
                ("Responsible officer", 22),
                ("End date as written", 16),
                ("End date", 12),
                ("Revised end date", 12),
                ("Reason for revised date", 30),
                ("Agreed in", 14),
                ("Date in force", 12),
                ("Days overdue", 9),
                ("Progress", 11),
            ],
            [r for _, r in rows],
            empty_note="No action is overdue, revised or due in the next three months.",
        )
        self.brag_rule(sheet, 1, len(rows), 12)

    # ---------------------------------------------------------------- Exceptions

    def exceptions(self) -> None:
        rows = [
            [
                e.rule,
                e.kind,
                e.subject,
                e.area if e.area is not None else "",
                self.officer_name(e.owner) if e.kind in ("action", "return") else e.owner,
                e.summary,
                e.periods_in_exception,
            ]
            for e in self.result.exceptions
        ]
        self.table_sheet(
            "Exceptions",
            [
                ("Rule", 15),
                ("Kind", 8),
                ("Subject", 12),
                ("Area", 6),
                ("Owner", 24),
                ("Summary", 70),
                ("Periods in exception", 11),
            ],
            rows,
            empty_note="No exception this period.",
        )

    # ---------------------------------------------------------------- KPIs and risks

    def kpi_scorecard(self, series: dict[str, dict[Period, float | None]]) -> None:
        periods = sorted({p for values in series.values() for p in values} | {self.period})
        rows = []
        for k in self.result.kpis:
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
        for row, k in zip(rows, self.result.kpis, strict=True):
            for p in periods:
                value = series.get(k.kpi.code, {}).get(p)
                if p == self.period:
                    value = k.value
                row.append(value if value is not None else "")
        sheet = self.table_sheet("KPI scorecard", columns, rows, empty_note="No KPI in the plan.")
        self.word_rule(
            sheet,
            1,
            len(rows),
            11,
            {rag.value: fmt for rag, fmt in self.rag_formats.items()},
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

    def risks(self) -> None:
        rows = [
            [
                r.risk.id,
                r.risk.date_text,
                r.risk.risk,
                r.risk.owner,
                _severity_word(r.risk.severity),
                r.risk.mitigations,
                _severity_word(r.risk.severity_after) if r.risk.severity_after else "",
                r.risk.progress,
                r.risk.status,
                r.change,
                r.previous_severity_after,
            ]
            for r in self.result.risks
        ]
        sheet = self.table_sheet(
            "Risks",
            [
                ("Risk ID", 8),
                ("Date", 11),
                ("Risk", 46),
                ("Owner", 20),
                ("Severity", 10),
                ("Mitigations", 46),
                ("Severity after mitigation", 12),
                ("Progress", 36),
                ("Status", 10),
                ("Change since last period", 14),
                ("Previous severity after", 12),
            ],
            rows,
            empty_note="No risk in the register.",
        )
        for col in (4, 6, 10):
            self.word_rule(sheet, 1, len(rows), col, self.severity_formats)

    # ---------------------------------------------------------------- Returns log, Validation

    def returns_log(self) -> None:
        check = self.result.check
        rows: list[list[Any]] = []
        for f in sorted(check.files, key=lambda f: (f.name.casefold(), f.name)):
            who = (
                self.officer_name(f.officer_id)
                if f.officer_id
                else (f"Area {f.area} lead" if f.area is not None else "")
            )
            rows.append(
                [
                    f.name,
                    who,
                    "Area lead" if f.kind is ReturnKind.AREA_LEAD else "Officer" if f.kind else "",
                    f.status.value,
                    f"{f.received_at:%d %b %Y %H:%M}" if f.received_at else "",
                    f.received_source,
                    len(f.errors),
                    len(f.warnings),
                    f.superseded_by,
                    f.sha256,
                ]
            )
        for officer_id in check.missing_officers():
            rows.append(
                [
                    "",
                    self.officer_name(officer_id),
                    "Officer",
                    "No return",
                    "",
                    "",
                    0,
                    0,
                    "",
                    "",
                ]
            )
        for area in check.missing_areas() if self.config.settings.returns.area_leads else []:
            rows.append(["", f"Area {area} lead", "Area lead", "No return", "", "", 0, 0, "", ""])
        sheet = self.table_sheet(
            "Returns log",
            [
                ("File", 30),
                ("Officer", 24),
                ("Kind", 10),
                ("Status", 12),
                ("Received", 16),
                ("Time from", 14),
                ("Errors", 8),
                ("Warnings", 9),
                ("Superseded by", 24),
                ("sha256", 30),
            ],
            rows,
            empty_note="No file received.",
        )
        status_formats = {
            FileStatus.COUNTED.value: self.rag_formats[KpiRag.GREEN],
            FileStatus.REJECTED.value: self.rag_formats[KpiRag.RED],
            FileStatus.NOT_A_RETURN.value: self.rag_formats[KpiRag.RED],
            "No return": self.rag_formats[KpiRag.AMBER],
        }
        self.word_rule(sheet, 1, len(rows), 3, status_formats)

    def validation(self) -> None:
        # The tracker's own warnings (text cut) are raised while writing the sheets before.
        findings = [*self.result.check.findings, *self.result.findings, *self.findings]
        status_of = self.result.check.file_status_of()
        rows = [
            [
                f.severity.value,
                f.code,
                f.file,
                f.sheet,
                f.cell,
                self.officer_name(f.officer_id) if f.officer_id else "",
                f.action_id,
                f.value,
                f.message,
                status.value if (status := status_of.get(id(f))) else "",
            ]
            for f in findings
        ]
        sheet = self.table_sheet(
            "Validation",
            [
                ("Severity", 9),
                ("Code", 22),
                ("File", 26),
                ("Sheet", 12),
                ("Cell", 7),
                ("Officer", 22),
                ("Action", 8),
                ("Value found", 24),
                ("Message", 70),
                ("File status", 13),
            ],
            rows,
            empty_note="No finding.",
        )
        self.word_rule(
            sheet,
            1,
            len(rows),
            0,
            {
                "error": self.rag_formats[KpiRag.RED],
                "warning": self.rag_formats[KpiRag.AMBER],
            },
        )


@dataclass(frozen=True)
class _Note:
    """An override note: written in italics so it stands out beside the values it changed."""

    text: str


def _row_height(values: list[Any], widths: list[float]) -> float:
    """A row tall enough for its longest wrapped text (LibreOffice does not fit rows itself)."""
    lines = 1
    for value, width in zip(values, widths, strict=False):
        text = value.text if isinstance(value, _Note) else value
        if isinstance(text, str) and text:
            per_line = max(int(width * 1.15), 1)
            wrapped = sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))
            lines = max(lines, wrapped)
    return float(min(409, 15 * lines))


def _rating(rating: Rating | None) -> str:
    return rating.value if rating else ""


def _previous(rating: Rating | None, previous: Period | None) -> str:
    if rating is not None:
        return rating.value
    return "First report" if previous is None else "New"


def _direction(direction: Direction) -> str:
    return f"{direction.arrow} {direction.value}"


def _carried_date(
    status: ActionStatus, attribute: str, date: dt.date | None
) -> dt.date | str | None:
    """A date cell, or the date in words when it was carried forward because of an error."""
    if attribute not in status.carried:
        return date
    return carried_words(status, attribute, f"{date:%d %b %Y}" if date else "")


def _milestone(text: str, date: dt.date | None) -> str:
    if date is None:
        return text
    return f"{text} (by {date:%d %b %Y})" if text else f"By {date:%d %b %Y}"


def _override_text(status: ActionStatus) -> str:
    return "\n".join(
        f"{o.field} set to {o.value!s} by {o.who}: {o.reason}" for o in status.overrides
    )


def _severity_word(text: str) -> str:
    words = text.strip().split()
    if not words:
        return ""
    first = words[0].capitalize()
    return first if first in SEVERITY_ORDER else text.strip()


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _figure(number: float | None, written: str) -> float | str:
    """A KPI figure for a tracker cell: the number where there is one, else the words."""
    return number if number is not None else written
