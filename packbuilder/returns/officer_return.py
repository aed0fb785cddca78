"""The officer's return: one workbook per reporting officer per period.

Three sheets, in the order the officer meets them: Instructions (``instructions``), Return
(this module: a title block, a header row with each column's help, one row per action with
the plan's text locked and white cells to fill in, then the dropdowns and date checks over the
reporting rows) and the very hidden meta sheet the checker reads back by
``packbuilder.returns.layout``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from packbuilder.config import Config
from packbuilder.model import (
    Action,
    LastValues,
    Officer,
    Period,
    Plan,
    Rating,
    end_date_in_force_text,
)
from packbuilder.returns import layout
from packbuilder.returns.instructions import write_instructions_sheet
from packbuilder.returns.sheet import (
    A3,
    IMPACT_CHOICES,
    KIND_OFFICER,
    PROGRESS_CHOICES,
    contact,
    fit_row,
    print_setup,
    protect_sheet,
    set_return_properties,
    write_return_meta_sheet,
)
from packbuilder.returns.workbook_style import Formats, make_formats
from packbuilder.returns.writing import close_workbook, open_workbook

YES_NO = ("Yes", "No")
_DATE_MIN = dt.date(2000, 1, 1)
_DATE_MAX = dt.date(2099, 12, 31)
_MIN_INPUT_LINES = 3  # a reporting row has room to type a few lines
_WRAPPED_KEYS = ("action_text", "last_commentary", "end_date", "end_in_force", "role")

MetaRow = tuple[str, str, str, str]  # action_id, row, fingerprint, role


def write_officer_return(
    path: Path,
    *,
    config: Config,
    plan: Plan,
    period: Period,
    officer: Officer,
    last: dict[str, LastValues],
    plan_fp: str,
    made_at: dt.datetime | None = None,
) -> None:
    """Write one officer's return: instructions, their actions, and the hidden meta sheet."""
    workbook, partial = open_workbook(path, made_at)
    set_return_properties(
        workbook,
        config,
        title=f"{config.settings.programme.name}: return for {period.label}",
        recipient=officer.name,
    )
    formats = make_formats(workbook, config)
    write_instructions_sheet(
        workbook, formats, config, period, officer, kind=KIND_OFFICER, plan=plan
    )
    sheet = workbook.add_worksheet(layout.RETURN_SHEET)
    meta_rows = _return_sheet(sheet, formats, config, plan, period, officer, last)
    write_return_meta_sheet(
        workbook,
        config,
        period,
        kind=KIND_OFFICER,
        officer_id=officer.id,
        area="",
        plan_fp=plan_fp,
        rows=meta_rows,
    )
    close_workbook(workbook, partial, path)


def _return_sheet(
    sheet: Any,
    formats: Formats,
    config: Config,
    plan: Plan,
    period: Period,
    officer: Officer,
    last: dict[str, LastValues],
) -> list[MetaRow]:
    """Fill the Return sheet; return the meta row table (action_id, row, fingerprint, role)."""
    reported = plan.actions_reported_by(officer.id)
    information = plan.actions_for_information(officer.id)
    header_index = layout.HEADER_ROW - 1
    first_index = layout.FIRST_ROW - 1
    last_index = first_index + len(reported) + len(information) - 1
    _title_block(sheet, formats, config, period, officer)
    _header_row(sheet, formats, plan, period)
    rows = [(a, layout.ROLE_REPORTING) for a in reported]
    rows += [(a, layout.ROLE_INFORMATION) for a in information]
    meta_rows = [
        _action_row(sheet, formats, first_index + offset, action, role, last.get(action.id))
        for offset, (action, role) in enumerate(rows)
    ]
    if reported:
        last_reported = first_index + len(reported) - 1
        _input_rules(sheet, formats, config, first_index, last_reported, plan, period)
    if last_index >= first_index:
        sheet.ignore_errors({"number_stored_as_text": f"A{layout.FIRST_ROW}:E{last_index + 1}"})
    protect_sheet(sheet, config)
    sheet.freeze_panes(layout.HEADER_ROW, 1)
    print_setup(
        sheet,
        config,
        period,
        officer.name,
        last_row=max(last_index, header_index),
        last_col=layout.column_index(layout.LAST_COLUMN),
        repeat_row=header_index,
        # Twenty columns one page wide are too small to read on A4; A3 halves the shrinking.
        paper=A3,
    )
    sheet.activate()
    return meta_rows


def _title_block(
    sheet: Any, formats: Formats, config: Config, period: Period, officer: Officer
) -> None:
    """The three lines above the table: programme, who the return is for, when it is due."""
    sheet.set_row(0, 22)
    sheet.write_string(0, 0, f"{config.settings.programme.name}: monthly return", formats.title)
    organisation = f" ({officer.organisation})" if officer.organisation else ""
    sheet.write_string(1, 0, f"Return for: {officer.name}{organisation}", formats.subtitle)
    deadline = config.deadline(period)
    sheet.write_string(
        2,
        0,
        f"Period: {period.label}.  Send it back by {deadline:%A %d %B %Y} to {contact(config)}.",
        formats.note,
    )
    first_input = layout.COLUMNS[len(layout.LOCKED_KEYS)]
    sheet.write_string(
        2,
        layout.column_index(first_input.letter),
        "Fill in the white cells below; the grey cells are from the plan and locked.",
        formats.strong,
    )


def _header_row(sheet: Any, formats: Formats, plan: Plan, period: Period) -> None:
    """The column headers, grey over locked columns and blue over inputs, each input's help
    shown when its header is selected."""
    header_index = layout.HEADER_ROW - 1
    sheet.set_row(header_index, 42)
    for column in layout.COLUMNS:
        col = layout.column_index(column.letter)
        header_format = formats.locked_header if column.locked else formats.input_header
        sheet.write_string(header_index, col, column.header, header_format)
        sheet.set_column(col, col, column.width)
        if not column.locked:
            sheet.data_validation(
                header_index,
                col,
                header_index,
                col,
                {
                    "validate": "any",
                    "input_title": column.header[:32],
                    "input_message": _help(column, plan, period)[:255],
                },
            )


def _action_row(
    sheet: Any,
    formats: Formats,
    index: int,
    action: Action,
    role: str,
    last: LastValues | None,
) -> MetaRow:
    """One action's row: the locked context, then blank inputs (grey for information rows)."""
    context = _context_values(action, role, last)
    fit_row(
        sheet,
        index,
        [(context[c.key], c.width) for c in layout.COLUMNS if c.locked],
        min_lines=_MIN_INPUT_LINES if role == layout.ROLE_REPORTING else 1,
    )
    for column in layout.COLUMNS:
        col = layout.column_index(column.letter)
        if column.locked:
            _write_locked(sheet, formats, index, col, column, context[column.key])
        elif role == layout.ROLE_REPORTING:
            cell_format = {
                "date": formats.input_date,
                "text": formats.input_wrap,
            }.get(column.kind, formats.input_choice)
            sheet.write_blank(index, col, None, cell_format)
        else:
            sheet.write_blank(index, col, None, formats.info_input)
    fingerprint = layout.row_fingerprint(
        action.id, str(action.area), action.sub_theme, action.text, action.end_date.text
    )
    return (action.id, str(index + 1), fingerprint, role)


def _context_values(action: Action, role: str, last: LastValues | None) -> dict[str, str]:
    """The locked columns' text for one action row, exactly as written into the cells."""
    return {
        "action_id": action.id,
        "area": str(action.area),
        "sub_theme": action.sub_theme,
        "action_text": action.text,
        "end_date": action.end_date.text,
        "end_in_force": end_date_in_force_text(
            action.end_date,
            last.revised_end_date if last else None,
            last.end_date_agreed_in if last else None,
        ),
        "role": role,
        "last_progress": last.progress.value if last and last.progress else "",
        "last_impact": last.impact.value if last and last.impact else "",
        "last_commentary": last.commentary if last else "",
    }


def _write_locked(
    sheet: Any, formats: Formats, row: int, col: int, column: layout.Column, value: str
) -> None:
    if column.key in ("last_progress", "last_impact") and value:
        sheet.write_string(row, col, value, formats.rating[Rating(value)])
    elif value:
        wrap = column.key in _WRAPPED_KEYS
        sheet.write_string(row, col, value, formats.locked_wrap if wrap else formats.locked)
    else:
        sheet.write_blank(row, col, None, formats.locked)


def _help(column: layout.Column, plan: Plan, period: Period) -> str:
    return layout.column_help(column, [area.number for area in plan.areas], period)


def _input_rules(
    sheet: Any,
    formats: Formats,
    config: Config,
    first: int,
    last: int,
    plan: Plan,
    period: Period,
) -> None:
    """Dropdowns, date checks, input messages and BRAG colours on the reporting rows."""
    for column in layout.COLUMNS:
        if column.locked:
            continue
        col = layout.column_index(column.letter)
        message = {
            "input_title": column.header[:32],
            "input_message": _help(column, plan, period)[:255],
        }
        rule = _input_rule(column, config)
        sheet.data_validation(first, col, last, col, {**rule, **message})
        if column.kind in ("rating", "impact"):
            choices = PROGRESS_CHOICES if column.kind == "rating" else IMPACT_CHOICES
            for rating in choices:
                sheet.conditional_format(
                    first,
                    col,
                    last,
                    col,
                    {
                        "type": "cell",
                        "criteria": "==",
                        "value": f'"{rating.value}"',
                        "format": formats.conditional[rating],
                    },
                )


def _input_rule(column: layout.Column, config: Config) -> dict[str, Any]:
    """The data validation of one input column: a dropdown, a date check, or any text."""
    if column.kind in ("rating", "impact", "confidence", "yesno"):
        choices = {
            "rating": [r.value for r in PROGRESS_CHOICES],
            "impact": [r.value for r in IMPACT_CHOICES],
            "confidence": list(config.settings.returns.confidence),
            "yesno": list(YES_NO),
        }[column.kind]
        return {
            "validate": "list",
            "source": choices,
            "error_title": "Choose from the list",
            "error_message": f"{column.header}: choose one of "
            f"{', '.join(choices[:-1])} or {choices[-1]} from the list.",
        }
    if column.kind == "date":
        return {
            "validate": "date",
            "criteria": "between",
            "minimum": _DATE_MIN,
            "maximum": _DATE_MAX,
            "error_title": "Type a date",
            "error_message": f"{column.header}: type a date like 31/12/2023.",
        }
    return {"validate": "any"}
