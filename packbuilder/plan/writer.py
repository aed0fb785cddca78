"""Write a plan register workbook (inputs/plan.xlsx) laid out for the office to maintain.

Used by ``init`` for a new workspace's example plan, and by anything that produces a register
from rows (the seed extraction, tests). The loader reads what this writes; the layout (bold,
frozen, filtered header, widths, wrapped text, day-first date cells) is for the people who keep
the register up to date by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from packbuilder.plan import guide as register_guide
from packbuilder.plan import schema

# Columns that hold sentences get room to read them; the rest are sized to their header.
_WIDE = {
    "Title": 50,
    "Action": 60,
    "Description": 60,
    "Risk": 50,
    "Mitigations": 50,
    "Progress": 40,
    "Planned evidence of impact": 50,
    "Officer as written": 36,
    "Other measures as written": 30,
    "Name or role": 36,
    "Aliases": 40,
    "Organisation": 20,
    "Email": 30,
}
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_WRAP = Alignment(wrap_text=True, vertical="top")


def write_plan_workbook(
    path: Path,
    rows: Mapping[str, Iterable[Sequence[object]]],
    headers: Mapping[str, Sequence[str]] | None = None,
    *,
    guide: bool = False,
) -> Path:
    """Write a register with every sheet of the schema and ROWS under each sheet's headers.

    HEADERS replaces the schema's headers per sheet (to write columns in another order, or
    leave one out); a sheet missing from ROWS is written with its headers only. With GUIDE
    (as ``init`` writes it), an Instructions sheet comes first and each column has an input
    message, with a dropdown on the closed ones.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    if guide:
        _instructions(workbook)
    for sheet_name, default_headers in schema.HEADERS.items():
        sheet_headers = list((headers or {}).get(sheet_name, default_headers))
        sheet = workbook.create_sheet(sheet_name)
        sheet.append(sheet_headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
            cell.alignment = _WRAP
        for values in rows.get(sheet_name, ()):
            sheet.append(list(values))
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = _WRAP
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # the register's text is never a formula
                if isinstance(cell.value, dt.date):
                    cell.number_format = "dd/mm/yyyy"
        for index, header in enumerate(sheet_headers, start=1):
            width = _WIDE.get(header, max(12, len(header) + 4))
            sheet.column_dimensions[get_column_letter(index)].width = width
        if guide:
            _guide_columns(sheet, sheet_name, sheet_headers)
        sheet.freeze_panes = "A2"
        if sheet_headers:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(sheet_headers))}1"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


# Enough rows for a plan of a few hundred actions; a validation costs nothing per empty row.
_GUIDED_ROWS = 1000


def _instructions(workbook: Workbook) -> None:
    sheet = workbook.create_sheet(register_guide.INSTRUCTIONS_SHEET)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 100
    sheet.append(["The plan register"])
    sheet["A1"].font = Font(bold=True, size=14)
    for paragraph in register_guide.INTRODUCTION:
        sheet.append(["", paragraph])
    for sheet_name, headers in schema.HEADERS.items():
        sheet.append([])
        sheet.append([f"Sheet '{sheet_name}'"])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        for header in headers:
            sheet.append([header, register_guide.note(sheet_name, header)])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = _WRAP
    sheet.sheet_view.showGridLines = False


def _guide_columns(sheet: Worksheet, sheet_name: str, headers: Sequence[str]) -> None:
    """An input message on every column and a dropdown or number check on the closed ones."""
    for index, header in enumerate(headers, start=1):
        key = (sheet_name, header)
        letter = get_column_letter(index)
        cells = f"{letter}2:{letter}{_GUIDED_ROWS}"
        choices = register_guide.CHOICES.get(key)
        bounds = register_guide.WHOLE_NUMBERS.get(key)
        if choices:
            rule = DataValidation(
                type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True
            )
            rule.error = f"Choose one of: {', '.join(choices)}."
            rule.showErrorMessage = key not in register_guide.OPEN_CHOICES
        elif bounds:
            rule = DataValidation(
                type="whole", operator="between", formula1=str(bounds[0]), formula2=str(bounds[1])
            )
            rule.allow_blank = True
            rule.error = f"Type a whole number from {bounds[0]} to {bounds[1]}."
            rule.showErrorMessage = True
        else:
            rule = DataValidation(type=None, allow_blank=True)
        rule.errorTitle = header[:32]
        rule.promptTitle = header[:32]
        rule.prompt = register_guide.note(sheet_name, header)[:255]
        rule.showInputMessage = True
        rule.add(cells)
        sheet.add_data_validation(rule)
