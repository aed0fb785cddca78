"""The Instructions sheet, the first sheet of every return an officer or area lead opens.

It says who the return is for, the deadline and who to ask, then what to do step by step, what
each BRAG rating means, (on an officer's return) what each column holds, and how to send it
back. ``officer_return`` and ``area_return`` both write it; the kind of return chooses the steps.
"""

from __future__ import annotations

from typing import Any

from packbuilder.config import Config
from packbuilder.model import Area, Officer, Period, Plan
from packbuilder.returns import layout
from packbuilder.returns.sheet import (
    A4,
    IMPACT_CHOICES,
    KIND_AREA_LEAD,
    KIND_OFFICER,
    contact,
    fit_row,
    footer_text,
)
from packbuilder.returns.workbook_style import Formats

_OFFICER_STEPS = (
    "Go to the Return sheet. Your actions are listed first (Your role: Reporting); actions "
    "you are named on but another officer reports come after them, greyed, for information.",
    "For each of your actions, choose this month's Progress BRAG and Impact BRAG from the "
    "dropdowns. Last period's ratings and commentary are beside them in grey.",
    "Write the progress commentary (required for Red or Amber) and the evidence of impact "
    "(needed for Green or Blue). Keep each to a few sentences.",
    "The end date in force is shown beside the original, with the month any revision was "
    "agreed; it stays in force without being typed again. Only for a new change, type the "
    "revised end date (e.g. {revised_date}) and the reason. Then choose your confidence, note "
    "any key risks, say whether escalation is needed, and "
    "give the next milestone and its date.",
    "Save the workbook (keep the file name) and send it back by the deadline.",
)
_AREA_STEPS = (
    "Go to the Area commentary sheet. The area's actions are listed with their latest "
    "ratings, read-only, so you can see the whole area at a glance.",
    "Read the ratings and the officers' commentary; the last column says where each rating "
    "comes from (this month's return, an earlier period, or the plan).",
    "Write the area's commentary in the four white boxes below the actions: progress, impact "
    "on children and young people, concerns, and escalations to the board.",
    "Keep each box to a short paragraph; it goes into the assurance report as you write it.",
    "Save the workbook (keep the file name) and send it back by the deadline.",
)
_LABEL_WIDTH, _TEXT_WIDTH = 26, 100


class _Lines:
    """The sheet written top to bottom: a label and its text per line, headings between."""

    def __init__(self, sheet: Any, formats: Formats) -> None:
        self.sheet = sheet
        self.formats = formats
        self.row = 0

    def line(self, label: str, text: str, label_format: Any = None) -> None:
        fit_row(self.sheet, self.row, [(label, _LABEL_WIDTH * 0.85), (text, _TEXT_WIDTH)])
        self.sheet.write_string(self.row, 0, label, label_format or self.formats.bold)
        self.sheet.write_string(self.row, 1, text, self.formats.text)
        self.row += 1

    def heading(self, text: str) -> None:
        self.sheet.write_string(self.row, 0, text, self.formats.heading)
        self.row += 1

    def gap(self) -> None:
        self.row += 1


def write_instructions_sheet(
    workbook: Any,
    formats: Formats,
    config: Config,
    period: Period,
    recipient: Officer,
    *,
    kind: str,
    area: Area | None = None,
    plan: Plan | None = None,
) -> None:
    """Add the Instructions sheet for RECIPIENT's return of KIND (an officer's or an area's)."""
    sheet = workbook.add_worksheet(layout.INSTRUCTIONS_SHEET)
    sheet.set_column(0, 0, _LABEL_WIDTH)
    sheet.set_column(1, 1, _TEXT_WIDTH)
    sheet.hide_gridlines(2)
    lines = _Lines(sheet, formats)
    _who_and_when(lines, config, period, recipient, kind=kind, area=area)
    _steps(lines, period, kind)
    _ratings(lines, config)
    if kind == KIND_OFFICER:
        _columns(lines, period, plan)
    _sending_back(lines, config, period)
    sheet.protect(config.settings.returns.password, {"format_rows": True, "format_columns": True})
    sheet.set_portrait()
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)
    sheet.print_area(0, 0, lines.row, 1)
    programme = footer_text(config.settings.programme.name)
    sheet.set_footer(f"&L&8{programme}&C&8{period.label}&R&8Page &P of &N")


def _who_and_when(
    lines: _Lines,
    config: Config,
    period: Period,
    recipient: Officer,
    *,
    kind: str,
    area: Area | None,
) -> None:
    """The title, then who the return is for, the period, the deadline and who to ask."""
    lines.sheet.set_row(0, 24)
    what = "area commentary return" if kind == KIND_AREA_LEAD else "monthly return"
    title = f"{config.settings.programme.name}: {what}"
    lines.sheet.write_string(lines.row, 0, title, lines.formats.title)
    lines.row += 2
    organisation = f" ({recipient.organisation})" if recipient.organisation else ""
    lines.line("For", recipient.name + organisation)
    if area is not None:
        lines.line("Area of weakness", f"{area.number}. {area.title}")
    lines.line("Period", period.label)
    lines.line("Deadline", f"{config.deadline(period):%A %d %B %Y}")
    lines.line("Questions to", contact(config))
    lines.gap()


def _steps(lines: _Lines, period: Period, kind: str) -> None:
    lines.heading("What to do")
    revised_date = f"{period.shift(3).last_day:%d/%m/%Y}"
    for number, step in enumerate(_AREA_STEPS if kind == KIND_AREA_LEAD else _OFFICER_STEPS, 1):
        lines.line(f"Step {number}", step.format(revised_date=revised_date))
    lines.gap()


def _ratings(lines: _Lines, config: Config) -> None:
    lines.heading("Ratings (BRAG)")
    for rating in IMPACT_CHOICES:
        lines.line(rating.value, config.brag_style(rating).definition, lines.formats.rating[rating])
    lines.line("", "Impact may be 'Not yet rated' where it is too early to judge; say why.")
    lines.gap()


def _columns(lines: _Lines, period: Period, plan: Plan | None) -> None:
    lines.heading("The columns")
    area_numbers = [a.number for a in plan.areas] if plan else []
    for column in layout.COLUMNS:
        who = "from the plan, locked" if column.locked else "you fill in"
        label_format = lines.formats.locked_header if column.locked else lines.formats.input_header
        explained = layout.column_help(column, area_numbers, period)
        lines.line(f"{column.letter}. {column.header}", f"{explained} ({who})", label_format)
    lines.gap()


def _sending_back(lines: _Lines, config: Config, period: Period) -> None:
    lines.heading("Sending it back")
    lines.line(
        "Send to",
        f"Email the saved workbook to {contact(config)} by {config.deadline(period):%d %B %Y}. "
        "If you send a corrected copy later, the newest one counts.",
    )
    lines.line(
        "Please do not",
        "rename or delete the sheets, add, move or delete rows or columns, or change the grey "
        "cells: they tell the programme office which actions your return is about. Excel and "
        "LibreOffice Calc both work; keep the file as .xlsx.",
    )
