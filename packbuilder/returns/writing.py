"""Writing a workbook someone fills in: the officers' returns and the data team's KPI return.

Both are xlsxwriter workbooks written under a partial name and moved into place whole, both
carry a very hidden sheet the reader recognises them by, and both need a plan without errors.
This module is that shared part, so the two makers say only what differs between them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packbuilder.errors import EnvironmentProblem
from packbuilder.replace import replace_file

if TYPE_CHECKING:
    pass


def open_workbook(path: Path, made_at: dt.datetime | None) -> tuple[Any, Path]:
    """An xlsxwriter workbook for PATH, written under a partial name beside it.

    Officers' text never becomes a number, a formula or a link.
    """
    import xlsxwriter  # loaded when a workbook is written, not on import: about 0.07 s

    partial = path.with_name(f".{path.stem}.partial.xlsx")
    workbook = xlsxwriter.Workbook(
        str(partial),
        {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    if made_at is not None:
        workbook.set_properties({"created": made_at})
    return workbook, partial


def close_workbook(workbook: Any, partial: Path, path: Path) -> None:
    """Close the workbook under its partial name, then move it into place whole."""
    from xlsxwriter.exceptions import FileCreateError

    try:
        workbook.close()
    except FileCreateError as error:
        raise EnvironmentProblem(
            f"Could not write {partial}: {error}",
            hint="Check that the outputs folder exists and that you may write to it.",
        ) from None
    try:
        replace_file(partial, path)
    except PermissionError:
        partial.unlink(missing_ok=True)
        raise EnvironmentProblem(
            f"{path.name} is open in another program, so it was not replaced",
            hint=f"Close {path.name} (in Excel, say) and run the command again.",
        ) from None


def write_meta_sheet(
    workbook: Any,
    *,
    name: str,
    marker: str,
    values: Mapping[str, str],
    rows_header: int,
    rows_columns: Sequence[str],
    rows: Iterable[Sequence[str]],
    password: str,
) -> Any:
    """The very hidden sheet a reader recognises the workbook by: MARKER in A1, VALUES as
    key/value pairs from row 2, and a table of ROWS under ROWS_COLUMNS at row ROWS_HEADER.

    Every value is text, so Excel, LibreOffice and any reader see the same characters; an empty
    value leaves its cell blank.
    """
    sheet = workbook.add_worksheet(name)
    sheet.write_string(0, 0, marker)
    for offset, (key, value) in enumerate(values.items()):
        sheet.write_string(1 + offset, 0, key)
        if value:
            sheet.write_string(1 + offset, 1, value)
    header = rows_header - 1
    for col, column in enumerate(rows_columns):
        sheet.write_string(header, col, column)
    for offset, line in enumerate(rows):
        for col, value in enumerate(line):
            sheet.write_string(header + 1 + offset, col, value)
    sheet.protect(password)
    sheet.very_hidden()
    return sheet
