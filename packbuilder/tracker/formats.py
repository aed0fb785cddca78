"""The tracker's shared formats and cell helpers: what every sheet module writes with.

``SheetWriter`` holds the workbook, the formats (added once, in a fixed order, so the bytes
do not depend on which sheets are written), the findings the tracker raises itself, and the
helpers that write a cell, a table sheet, a conditional-format rule and the print setup.
Every text goes through ``text``: written as a string, never a formula, a link or a number,
and cut with a marker and a warning beyond Excel's cell limit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from packbuilder.config import Config
from packbuilder.findings import finding
from packbuilder.model import Direction, Finding, KpiRag, PeriodResult, Rating

EXCEL_CELL_LIMIT = 32_767
CUT_MARKER = " … [cut: longer than Excel's 32,767-character cell limit]"
SEVERITY_ORDER = ("High", "Medium", "Low")
HEADER_ROW = 0  # every data sheet's header is its first row; Summary has its own layout


class SheetWriter:
    """The workbook, its shared formats and the cell helpers every sheet writes with.

    Formats are added in one fixed order here, so the workbook's style table is the same
    whichever sheets are written.
    """

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
                finding(
                    "tracker-text-cut",
                    file=f"tracker-{self.period}.xlsx",
                    sheet=sheet.get_name(),
                    cell=xlsxwriter.utility.xl_rowcol_to_cell(row, col),
                    value=string[:80],
                    length=len(string),
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
            sheet.set_row(r, row_height(values, widths))
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
        elif isinstance(value, Note):
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


@dataclass(frozen=True)
class Note:
    """An override note: written in italics so it stands out beside the values it changed."""

    text: str


def row_height(values: list[Any], widths: list[float]) -> float:
    """A row tall enough for its longest wrapped text (LibreOffice does not fit rows itself)."""
    lines = 1
    for value, width in zip(values, widths, strict=False):
        text = value.text if isinstance(value, Note) else value
        if isinstance(text, str) and text:
            per_line = max(int(width * 1.15), 1)
            wrapped = sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))
            lines = max(lines, wrapped)
    return float(min(409, 15 * lines))


def rating_text(rating: Rating | None) -> str:
    return rating.value if rating else ""


def direction_text(direction: Direction) -> str:
    return f"{direction.arrow} {direction.value}"


def severity_word(text: str) -> str:
    words = text.strip().split()
    if not words:
        return ""
    first = words[0].capitalize()
    return first if first in SEVERITY_ORDER else text.strip()
