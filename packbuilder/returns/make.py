"""Make the month's return workbooks: the first step of the monthly cycle.

``packbuilder returns make PERIOD`` (``packbuilder.commands.returns``) reads the plan and the
last recorded values and, through ``write_returns``, writes one pre-filled workbook per
reporting officer (and one per area lead) into
``outputs/PERIOD/returns/``, with ``send-list.csv`` for a mail merge. The workbooks follow
``packbuilder.returns.layout`` exactly, because the checker reads them back by it: the hidden
meta sheet says whose return it is, for which period, and fingerprints every locked row.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packbuilder.config import Config
from packbuilder.errors import EnvironmentProblem
from packbuilder.model import (
    Action,
    Area,
    CheckReport,
    LastValues,
    Officer,
    Period,
    Plan,
    Rating,
    end_date_in_force_text,
)
from packbuilder.plan.fingerprint import plan_fingerprint
from packbuilder.replace import replace_file
from packbuilder.returns import layout
from packbuilder.returns.workbook_style import Formats, make_formats
from packbuilder.returns.writing import (
    close_workbook,
    open_workbook,
    write_meta_sheet,
)

SEND_LIST = "send-list.csv"
SEND_LIST_AREA_LEADS = "send-list-area-leads.csv"  # --area-leads keeps the officers' list
SEND_LIST_COLUMNS = ("officer", "email", "file", "deadline", "officer_id", "area")
KIND_OFFICER = "officer"
KIND_AREA_LEAD = "area-lead"
ROLE_AREA_COMMENTARY = "area-commentary"
PROGRESS_CHOICES = (Rating.BLUE, Rating.GREEN, Rating.AMBER, Rating.RED)
IMPACT_CHOICES = (*PROGRESS_CHOICES, Rating.NOT_YET_RATED)
YES_NO = ("Yes", "No")
_DATE_MIN = dt.date(2000, 1, 1)
_DATE_MAX = dt.date(2099, 12, 31)
_MIN_INPUT_LINES = 3  # a reporting row has room to type a few lines
_MAX_NAME = 80
_A3, _A4 = (
    8,
    9,
)  # Excel's paper size codes  # characters of a person's name or role kept in a file name


@dataclass(frozen=True)
class MadeReturns:
    """What ``returns make`` wrote."""

    folder: Path
    send_list: Path
    officer_count: int
    area_count: int
    deadline: dt.date
    files: list[Path]


@dataclass(frozen=True)
class ShownRatings:
    """The ratings an area lead sees for one action, and where they come from."""

    progress: Rating | None
    impact: Rating | None
    commentary: str
    source: str  # "This month's return", "Last reported: July 2023", "Plan baseline"


# --------------------------------------------------------------------------- writing


def write_returns(
    config: Config,
    plan: Plan,
    period: Period,
    last: dict[str, LastValues],
    *,
    area_leads_only: bool = False,
    area_ratings: dict[str, ShownRatings] | None = None,
    made_at: dt.datetime | None = None,
) -> MadeReturns:
    """Write the returns for PLAN with the LAST values given; the pure-input half of make.

    ``area_ratings`` replaces the last values on area-lead returns (this month's ratings after
    check); ``made_at`` fixes the workbooks' creation time (for reproducible examples).
    """
    folder = config.outputs_dir(period) / "returns"
    folder.mkdir(parents=True, exist_ok=True)
    deadline = config.deadline(period)
    plan_fp = plan_fingerprint(plan)
    officers = plan.officer_by_id()
    taken: set[str] = set()
    files: list[Path] = []
    send_rows: list[tuple[str, ...]] = []
    officer_count = 0
    if not area_leads_only:
        for officer in plan.reporting_officers():
            path = folder / unique_file_name(f"{period} Return - {officer.name}", taken)
            write_officer_return(
                path,
                config=config,
                plan=plan,
                period=period,
                officer=officer,
                last=last,
                plan_fp=plan_fp,
                made_at=made_at,
            )
            files.append(path)
            send_rows.append(
                (officer.name, officer.email, path.name, deadline.isoformat(), officer.id, "")
            )
            officer_count += 1
    area_count = 0
    if area_leads_only or config.settings.returns.area_leads:
        shown = area_ratings if area_ratings is not None else _shown_from_last(plan, last)
        for area in plan.areas:
            lead = officers.get(area.lead) or Officer(id=area.lead, name=area.lead)
            path = folder / unique_file_name(
                f"{period} Area {area.number} commentary - {lead.name}", taken
            )
            write_area_return(
                path,
                config=config,
                plan=plan,
                period=period,
                area=area,
                lead=lead,
                shown=shown,
                plan_fp=plan_fp,
                made_at=made_at,
            )
            files.append(path)
            send_rows.append(
                (lead.name, lead.email, path.name, deadline.isoformat(), lead.id, str(area.number))
            )
            area_count += 1
    send_list = folder / (SEND_LIST_AREA_LEADS if area_leads_only else SEND_LIST)
    _write_send_list(send_list, send_rows)
    return MadeReturns(folder, send_list, officer_count, area_count, deadline, files)


# --------------------------------------------------------------------------- values shown


def baseline_values(plan: Plan) -> dict[str, LastValues]:
    """The plan's own ratings, shown as 'last' where history has nothing for an action."""
    return {
        a.id: LastValues(a.baseline_progress, a.baseline_impact, "", None) for a in plan.actions
    }


def last_values(plan: Plan, recorded: dict[str, LastValues]) -> dict[str, LastValues]:
    """Each action's values before the period: history's RECORDED values where there are any,
    else the plan's baseline."""
    values = baseline_values(plan)
    values.update({k: v for k, v in recorded.items() if k in values})
    return values


def shown_after_check(
    plan: Plan, last: dict[str, LastValues], report: CheckReport
) -> dict[str, ShownRatings]:
    """The ratings REPORT counted for the period, else the LAST values, for area leads."""
    shown = _shown_from_last(plan, last)
    for officer_return in report.counted_officer_returns().values():
        for update in officer_return.updates:
            last_shown = shown.get(update.action_id)
            if update.row_rejected or last_shown is None:
                continue
            # A cell an error rejected (or a rating left blank) keeps what was shown before:
            # the merge's rule, so the area lead sees what the tracker will show.
            progress, impact = update.progress, update.impact
            commentary = update.progress_commentary
            if progress is None or "progress" in update.rejected:
                progress = last_shown.progress
            if impact is None or "impact" in update.rejected:
                impact = last_shown.impact
            if "progress_commentary" in update.rejected:
                commentary = last_shown.commentary
            shown[update.action_id] = ShownRatings(
                progress, impact, commentary, "This month's return"
            )
    return shown


def _shown_from_last(plan: Plan, last: dict[str, LastValues]) -> dict[str, ShownRatings]:
    shown = {}
    for action in plan.actions:
        value = last.get(action.id)
        if value is None:
            shown[action.id] = ShownRatings(None, None, "", "No rating yet")
        elif value.period is None:
            shown[action.id] = ShownRatings(value.progress, value.impact, "", "Plan baseline")
        else:
            source = f"Last reported: {value.period.label}"
            shown[action.id] = ShownRatings(value.progress, value.impact, value.commentary, source)
    return shown


# --------------------------------------------------------------------------- file names


_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_SPACES = re.compile(r"\s+")


def unique_file_name(stem: str, taken: set[str]) -> str:
    """A Windows-safe ``.xlsx`` name from STEM, unique (ignoring case) among TAKEN."""
    safe = _SPACES.sub(" ", _UNSAFE.sub(" ", stem)).strip(" .")
    if len(safe) > _MAX_NAME + 20:
        safe = safe[: _MAX_NAME + 20].rstrip(" .")
    name = f"{safe}.xlsx"
    number = 2
    while name.casefold() in taken:
        name = f"{safe} ({number}).xlsx"
        number += 1
    taken.add(name.casefold())
    return name


# --------------------------------------------------------------------------- writing


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
    reported = plan.actions_reported_by(officer.id)
    information = plan.actions_for_information(officer.id)
    workbook, partial = open_workbook(path, made_at)
    programme = config.settings.programme
    workbook.set_properties(
        {
            "title": f"{programme.name}: return for {period.label}",
            "subject": officer.name,
            "company": programme.organisation,
            "comments": "Made by packbuilder",
        }
    )
    formats = make_formats(workbook, config)
    _instructions_sheet(workbook, formats, config, period, officer, kind=KIND_OFFICER, plan=plan)
    sheet = workbook.add_worksheet(layout.RETURN_SHEET)
    meta_rows = _return_sheet(
        sheet, formats, config, plan, period, officer, reported, information, last
    )
    _meta_sheet(
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
    reported: Sequence[Action],
    information: Sequence[Action],
    last: dict[str, LastValues],
) -> list[tuple[str, str, str, str]]:
    """Fill the Return sheet; return the meta row table (action_id, row, fingerprint, role)."""
    programme = config.settings.programme
    deadline = config.deadline(period)
    header_index = layout.HEADER_ROW - 1
    first_index = layout.FIRST_ROW - 1
    n_reported = len(reported)
    last_index = first_index + n_reported + len(information) - 1

    sheet.set_row(0, 22)
    sheet.write_string(0, 0, f"{programme.name}: monthly return", formats.title)
    organisation = f" ({officer.organisation})" if officer.organisation else ""
    sheet.write_string(1, 0, f"Return for: {officer.name}{organisation}", formats.subtitle)
    sheet.write_string(
        2,
        0,
        f"Period: {period.label}.  Send it back by {deadline:%A %d %B %Y} to {_contact(config)}.",
        formats.note,
    )
    first_input = layout.COLUMNS[len(layout.LOCKED_KEYS)]
    sheet.write_string(
        2,
        _index(first_input.letter),
        "Fill in the white cells below; the grey cells are from the plan and locked.",
        formats.strong,
    )

    sheet.set_row(header_index, 42)
    for column in layout.COLUMNS:
        col = _index(column.letter)
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

    meta_rows: list[tuple[str, str, str, str]] = []
    rows = [(a, layout.ROLE_REPORTING) for a in reported] + [
        (a, layout.ROLE_INFORMATION) for a in information
    ]
    for offset, (action, role) in enumerate(rows):
        index = first_index + offset
        context = _context_values(action, role, last.get(action.id))
        _fit_row(
            sheet,
            index,
            [(context[c.key], c.width) for c in layout.COLUMNS if c.locked],
            min_lines=_MIN_INPUT_LINES if role == layout.ROLE_REPORTING else 1,
        )
        for column in layout.COLUMNS:
            col = _index(column.letter)
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
        area_text = str(action.area)
        meta_rows.append(
            (
                action.id,
                str(layout.FIRST_ROW + offset),
                layout.row_fingerprint(
                    action.id, area_text, action.sub_theme, action.text, action.end_date.text
                ),
                role,
            )
        )

    if n_reported:
        _input_rules(
            sheet,
            formats,
            config,
            first_index,
            first_index + n_reported - 1,
            _help_texts(plan, period),
        )
    if last_index >= first_index:
        sheet.ignore_errors({"number_stored_as_text": f"A{layout.FIRST_ROW}:E{last_index + 1}"})
    _protect(sheet, config)
    sheet.freeze_panes(layout.HEADER_ROW, 1)
    _print_setup(
        sheet,
        config,
        period,
        officer.name,
        last_row=max(last_index, header_index),
        last_col=_index(layout.LAST_COLUMN),
        repeat_row=header_index,
        # Twenty columns one page wide are too small to read on A4; A3 halves the shrinking.
        paper=_A3,
    )
    sheet.activate()
    return meta_rows


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
        wrap = column.key in ("action_text", "last_commentary", "end_date", "end_in_force", "role")
        sheet.write_string(row, col, value, formats.locked_wrap if wrap else formats.locked)
    else:
        sheet.write_blank(row, col, None, formats.locked)


def _help(column: layout.Column, plan: Plan, period: Period) -> str:
    return layout.column_help(column, [area.number for area in plan.areas], period)


def _help_texts(plan: Plan, period: Period) -> dict[str, str]:
    return {column.key: _help(column, plan, period) for column in layout.COLUMNS}


def _input_rules(
    sheet: Any,
    formats: Formats,
    config: Config,
    first: int,
    last: int,
    help_texts: dict[str, str],
) -> None:
    """Dropdowns, date checks, input messages and BRAG colours on the reporting rows."""
    confidence = list(config.settings.returns.confidence)
    for column in layout.COLUMNS:
        if column.locked:
            continue
        col = _index(column.letter)
        message = {"input_title": column.header[:32], "input_message": help_texts[column.key][:255]}
        rule: dict[str, Any]
        if column.kind in ("rating", "impact", "confidence", "yesno"):
            choices = {
                "rating": [r.value for r in PROGRESS_CHOICES],
                "impact": [r.value for r in IMPACT_CHOICES],
                "confidence": confidence,
                "yesno": list(YES_NO),
            }[column.kind]
            rule = {
                "validate": "list",
                "source": choices,
                "error_title": "Choose from the list",
                "error_message": f"{column.header}: choose one of "
                f"{', '.join(choices[:-1])} or {choices[-1]} from the list.",
            }
        elif column.kind == "date":
            rule = {
                "validate": "date",
                "criteria": "between",
                "minimum": _DATE_MIN,
                "maximum": _DATE_MAX,
                "error_title": "Type a date",
                "error_message": f"{column.header}: type a date like 31/12/2023.",
            }
        else:
            rule = {"validate": "any"}
        sheet.data_validation(first, col, last, col, {**rule, **message})
        if column.kind in ("rating", "impact"):
            choices_r = PROGRESS_CHOICES if column.kind == "rating" else IMPACT_CHOICES
            for rating in choices_r:
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


def _protect(sheet: Any, config: Config) -> None:
    sheet.protect(
        config.settings.returns.password,
        {"format_rows": True, "format_columns": True, "sort": False, "autofilter": False},
    )


def _print_setup(
    sheet: Any,
    config: Config,
    period: Period,
    who: str,
    *,
    last_row: int,
    last_col: int,
    repeat_row: int | None,
    paper: int,
) -> None:
    sheet.set_landscape()
    sheet.set_paper(paper)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.fit_to_pages(1, 0)
    sheet.print_area(0, 0, last_row, last_col)
    if repeat_row is not None:
        sheet.repeat_rows(repeat_row)
    footer = f"&L&8{_footer_text(config.settings.programme.name)} – {_footer_text(who)}"
    sheet.set_footer(f"{footer}&C&8{period.label}&R&8Page &P of &N")


def _footer_text(text: str) -> str:
    # '&' starts a header/footer code; the footer is limited to 255 characters in all.
    return text.replace("&", "&&")[:90]


def _contact(config: Config) -> str:
    programme = config.settings.programme
    if programme.contact_email:
        return f"{programme.contact_name} ({programme.contact_email})"
    return programme.contact_name


_LINE_POINTS = 12.75  # one line of Arial 10
_CHARS_PER_WIDTH = 1.2  # characters of Arial 10 per unit of column width, a little cautious


def _text_lines(text: str, width: float) -> int:
    per_line = max(1, int(width * _CHARS_PER_WIDTH))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def _fit_row(sheet: Any, row: int, cells: Sequence[tuple[str, float]], min_lines: int = 1) -> None:
    """Set a row tall enough for its wrapped text: LibreOffice does not size rows on opening."""
    lines = max([min_lines, *(_text_lines(text, width) for text, width in cells if text)])
    sheet.set_row(row, lines * _LINE_POINTS + 3)


def _index(letter: str) -> int:
    return ord(letter) - ord("A")


# --------------------------------------------------------------------------- instructions


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


def _instructions_sheet(
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
    sheet = workbook.add_worksheet(layout.INSTRUCTIONS_SHEET)
    programme = config.settings.programme
    deadline = config.deadline(period)
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 100)
    sheet.hide_gridlines(2)
    row = 0

    def line(label: str, text: str, label_format: Any = None, text_format: Any = None) -> None:
        nonlocal row
        _fit_row(sheet, row, [(label, 26 * 0.85), (text, 100)])
        sheet.write_string(row, 0, label, label_format or formats.bold)
        sheet.write_string(row, 1, text, text_format or formats.text)
        row += 1

    sheet.set_row(0, 24)
    what = "area commentary return" if kind == KIND_AREA_LEAD else "monthly return"
    sheet.write_string(row, 0, f"{programme.name}: {what}", formats.title)
    row += 2
    line("For", recipient.name + (f" ({recipient.organisation})" if recipient.organisation else ""))
    if area is not None:
        line("Area of weakness", f"{area.number}. {area.title}")
    line("Period", period.label)
    line("Deadline", f"{deadline:%A %d %B %Y}")
    line("Questions to", _contact(config))
    row += 1

    sheet.write_string(row, 0, "What to do", formats.heading)
    row += 1
    for number, step in enumerate(_AREA_STEPS if kind == KIND_AREA_LEAD else _OFFICER_STEPS, 1):
        line(f"Step {number}", step.format(revised_date=f"{period.shift(3).last_day:%d/%m/%Y}"))
    row += 1

    sheet.write_string(row, 0, "Ratings (BRAG)", formats.heading)
    row += 1
    for rating in IMPACT_CHOICES:
        style = config.brag_style(rating)
        line(rating.value, style.definition, formats.rating[rating])
    line("", "Impact may be 'Not yet rated' where it is too early to judge; say why.")
    row += 1

    if kind == KIND_OFFICER:
        sheet.write_string(row, 0, "The columns", formats.heading)
        row += 1
        for column in layout.COLUMNS:
            who = "from the plan, locked" if column.locked else "you fill in"
            label_format = formats.locked_header if column.locked else formats.input_header
            explained = layout.column_help(
                column, [a.number for a in plan.areas] if plan else [], period
            )
            line(f"{column.letter}. {column.header}", f"{explained} ({who})", label_format)
        row += 1

    sheet.write_string(row, 0, "Sending it back", formats.heading)
    row += 1
    line(
        "Send to",
        f"Email the saved workbook to {_contact(config)} by {deadline:%d %B %Y}. "
        "If you send a corrected copy later, the newest one counts.",
    )
    line(
        "Please do not",
        "rename or delete the sheets, add, move or delete rows or columns, or change the grey "
        "cells: they tell the programme office which actions your return is about. Excel and "
        "LibreOffice Calc both work; keep the file as .xlsx.",
    )
    sheet.protect(config.settings.returns.password, {"format_rows": True, "format_columns": True})
    sheet.set_portrait()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.print_area(0, 0, row, 1)
    sheet.set_footer(f"&L&8{_footer_text(programme.name)}&C&8{period.label}&R&8Page &P of &N")


# --------------------------------------------------------------------------- meta sheet


def _meta_sheet(
    workbook: Any,
    config: Config,
    period: Period,
    *,
    kind: str,
    officer_id: str,
    area: str,
    plan_fp: str,
    rows: list[tuple[str, str, str, str]],
) -> None:
    """The very hidden sheet the checker recognises a return by (layout.py describes it)."""
    values = {
        "template_version": layout.TEMPLATE_VERSION,
        "kind": kind,
        "period": str(period),
        "officer_id": officer_id,
        "area": area,
        "plan_fingerprint": plan_fp,
        "programme": config.settings.programme.name,
    }
    sheet = write_meta_sheet(
        workbook,
        name=layout.META_SHEET,
        marker=layout.META_MARKER,
        values={key: values[key] for key in layout.META_KEYS},
        rows_header=layout.META_ROWS_HEADER,
        rows_columns=layout.META_ROWS_COLUMNS,
        rows=rows,
        password=config.settings.returns.password,
    )
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, 2, 20)


# --------------------------------------------------------------------------- area leads


_AREA_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Action ID", 9),
    ("Action", 60),
    ("Responsible officer", 26),
    ("End date", 14),
    ("Progress", 11),
    ("Impact", 12),
    ("Officer's commentary", 50),
    ("Ratings from", 18),
)
AREA_BOX_COLUMN = "B"  # the commentary boxes' column: the wide one
_AREA_BOX_HEIGHT = 110


def area_box_cells(n_actions: int) -> dict[str, str]:
    """The cell of each area commentary field, below the area's action table."""
    heading = _area_heading_row(n_actions)
    return {
        key: f"{AREA_BOX_COLUMN}{heading + 2 + 2 * i}"
        for i, (key, _, _) in enumerate(layout.AREA_COMMENTARY_FIELDS)
    }


def _area_heading_row(n_actions: int) -> int:
    """The commentary section's heading row (1-based): after the actions and a blank row."""
    return layout.FIRST_ROW + n_actions + 1


def write_area_return(
    path: Path,
    *,
    config: Config,
    plan: Plan,
    period: Period,
    area: Area,
    lead: Officer,
    shown: dict[str, ShownRatings],
    plan_fp: str,
    made_at: dt.datetime | None = None,
) -> None:
    """Write one area lead's return: the area's ratings read-only and four commentary boxes."""
    actions = plan.actions_in_area(area.number)
    officers = plan.officer_by_id()
    workbook, partial = open_workbook(path, made_at)
    programme = config.settings.programme
    workbook.set_properties(
        {
            "title": f"{programme.name}: area {area.number} commentary for {period.label}",
            "subject": lead.name,
            "company": programme.organisation,
            "comments": "Made by packbuilder",
        }
    )
    formats = make_formats(workbook, config)
    _instructions_sheet(workbook, formats, config, period, lead, kind=KIND_AREA_LEAD, area=area)
    sheet = workbook.add_worksheet(layout.AREA_SHEET)
    deadline = config.deadline(period)
    header_index = layout.HEADER_ROW - 1
    first_index = layout.FIRST_ROW - 1

    sheet.set_row(0, 22)
    sheet.write_string(0, 0, f"{programme.name}: area {area.number} commentary", formats.title)
    sheet.write_string(1, 0, f"Area {area.number}: {area.title}", formats.subtitle)
    sheet.write_string(
        2,
        0,
        f"Area lead: {lead.name}.  Period: {period.label}.  Send it back by "
        f"{deadline:%A %d %B %Y} to {_contact(config)}.",
        formats.note,
    )
    sheet.set_row(header_index, 30)
    for col, (header, width) in enumerate(_AREA_COLUMNS):
        sheet.write_string(header_index, col, header, formats.locked_header)
        sheet.set_column(col, col, width)
    for offset, action in enumerate(actions):
        index = first_index + offset
        ratings = shown.get(action.id, ShownRatings(None, None, "", "No rating yet"))
        owner = officers.get(action.reporting_officer)
        texts = (
            action.id,
            action.text,
            owner.name if owner else action.reporting_officer,
            action.end_date.text,
        )
        for col, text in enumerate(texts):
            sheet.write_string(index, col, text, formats.locked_wrap)
        widths = [width for _, width in _AREA_COLUMNS]
        _fit_row(sheet, index, [*zip(texts, widths, strict=False), (ratings.commentary, widths[6])])
        for col, rating in ((4, ratings.progress), (5, ratings.impact)):
            if rating is None:
                sheet.write_blank(index, col, None, formats.locked)
            else:
                sheet.write_string(index, col, rating.value, formats.rating[rating])
        if ratings.commentary:
            sheet.write_string(index, 6, ratings.commentary, formats.locked_wrap)
        else:
            sheet.write_blank(index, 6, None, formats.locked_wrap)
        sheet.write_string(index, 7, ratings.source, formats.locked_wrap)

    cells = area_box_cells(len(actions))
    heading_index = _area_heading_row(len(actions)) - 1
    sheet.write_string(
        heading_index,
        0,
        f"Your commentary for area {area.number}: write in the white boxes",
        formats.heading,
    )
    meta_rows: list[tuple[str, str, str, str]] = []
    for key, label, help_text in layout.AREA_COMMENTARY_FIELDS:
        cell = cells[key]
        box_index = int(cell[1:]) - 1
        sheet.write_string(
            box_index - 1, 0, f"{label}: {help_text[0].lower()}{help_text[1:]}", formats.strong
        )
        sheet.set_row(box_index, _AREA_BOX_HEIGHT)
        sheet.write_blank(cell, None, formats.box)
        sheet.data_validation(
            cell, {"validate": "any", "input_title": label[:32], "input_message": help_text[:255]}
        )
        meta_rows.append((key, cell, layout.fingerprint(label), ROLE_AREA_COMMENTARY))
    last_row = max(int(c[1:]) for c in cells.values()) - 1
    _protect(sheet, config)
    sheet.freeze_panes(layout.HEADER_ROW, 0)
    _print_setup(
        sheet,
        config,
        period,
        lead.name,
        last_row=last_row,
        last_col=len(_AREA_COLUMNS) - 1,
        repeat_row=None,
        paper=_A4,
    )
    sheet.activate()
    _meta_sheet(
        workbook,
        config,
        period,
        kind=KIND_AREA_LEAD,
        officer_id=lead.id,
        area=str(area.number),
        plan_fp=plan_fp,
        rows=meta_rows,
    )
    close_workbook(workbook, partial, path)


# --------------------------------------------------------------------------- send list


def _write_send_list(path: Path, rows: list[tuple[str, ...]]) -> None:
    """send-list.csv for a mail merge, in UTF-8 with a BOM so Excel reads names rightly."""
    partial = path.with_name(f".{path.name}.partial")
    with partial.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")  # as Excel on Windows writes CSV
        writer.writerow(SEND_LIST_COLUMNS)
        writer.writerows(rows)
    try:
        replace_file(partial, path)
    except PermissionError:
        partial.unlink(missing_ok=True)
        raise EnvironmentProblem(
            f"{path.name} is open in another program, so it was not replaced",
            hint=f"Close {path.name} and run the command again.",
        ) from None
