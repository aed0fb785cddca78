"""The area lead's return: one workbook per area of weakness per period.

Three sheets: Instructions (``instructions``), Area commentary (this module: a title block, the
area's actions with their latest ratings, read-only, then four white commentary boxes) and the
very hidden meta sheet, whose rows name each box's cell so the checker reads the commentary
back by ``area_box_cells``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packbuilder.config import Config
from packbuilder.model import Action, Area, Officer, Period, Plan, Rating
from packbuilder.returns import layout
from packbuilder.returns.instructions import write_instructions_sheet
from packbuilder.returns.sheet import (
    A4,
    KIND_AREA_LEAD,
    contact,
    fit_row,
    print_setup,
    protect_sheet,
    set_return_properties,
    write_return_meta_sheet,
)
from packbuilder.returns.workbook_style import Formats, make_formats
from packbuilder.returns.writing import close_workbook, open_workbook

ROLE_AREA_COMMENTARY = "area-commentary"
AREA_BOX_COLUMN = "B"  # the commentary boxes' column: the wide one
_AREA_BOX_HEIGHT = 110
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
_COMMENTARY_COL = 6
_WIDTHS = [width for _, width in _AREA_COLUMNS]


@dataclass(frozen=True)
class ShownRatings:
    """The ratings an area lead sees for one action, and where they come from."""

    progress: Rating | None
    impact: Rating | None
    commentary: str
    source: str  # "This month's return", "Last reported: July 2023", "Plan baseline"


_NO_RATING = ShownRatings(None, None, "", "No rating yet")


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
    workbook, partial = open_workbook(path, made_at)
    set_return_properties(
        workbook,
        config,
        title=f"{config.settings.programme.name}: area {area.number} commentary for {period.label}",
        recipient=lead.name,
    )
    formats = make_formats(workbook, config)
    write_instructions_sheet(
        workbook, formats, config, period, lead, kind=KIND_AREA_LEAD, area=area
    )
    sheet = workbook.add_worksheet(layout.AREA_SHEET)
    _title_block(sheet, formats, config, period, area, lead)
    _actions_table(sheet, formats, plan, actions, shown)
    meta_rows = _commentary_boxes(sheet, formats, area, len(actions))
    protect_sheet(sheet, config)
    sheet.freeze_panes(layout.HEADER_ROW, 0)
    print_setup(
        sheet,
        config,
        period,
        lead.name,
        last_row=max(int(c[1:]) for c in area_box_cells(len(actions)).values()) - 1,
        last_col=len(_AREA_COLUMNS) - 1,
        repeat_row=None,
        paper=A4,
    )
    sheet.activate()
    write_return_meta_sheet(
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


def _title_block(
    sheet: Any, formats: Formats, config: Config, period: Period, area: Area, lead: Officer
) -> None:
    """The three lines above the table: programme and area, the area's title, when it is due."""
    programme = config.settings.programme
    sheet.set_row(0, 22)
    sheet.write_string(0, 0, f"{programme.name}: area {area.number} commentary", formats.title)
    sheet.write_string(1, 0, f"Area {area.number}: {area.title}", formats.subtitle)
    sheet.write_string(
        2,
        0,
        f"Area lead: {lead.name}.  Period: {period.label}.  Send it back by "
        f"{config.deadline(period):%A %d %B %Y} to {contact(config)}.",
        formats.note,
    )


def _actions_table(
    sheet: Any,
    formats: Formats,
    plan: Plan,
    actions: Sequence[Action],
    shown: dict[str, ShownRatings],
) -> None:
    """The area's actions, one locked row each, with the ratings shown and their source."""
    header_index = layout.HEADER_ROW - 1
    first_index = layout.FIRST_ROW - 1
    officers = plan.officer_by_id()
    sheet.set_row(header_index, 30)
    for col, (header, width) in enumerate(_AREA_COLUMNS):
        sheet.write_string(header_index, col, header, formats.locked_header)
        sheet.set_column(col, col, width)
    for offset, action in enumerate(actions):
        index = first_index + offset
        ratings = shown.get(action.id, _NO_RATING)
        owner = officers.get(action.reporting_officer)
        texts = (
            action.id,
            action.text,
            owner.name if owner else action.reporting_officer,
            action.end_date.text,
        )
        for col, text in enumerate(texts):
            sheet.write_string(index, col, text, formats.locked_wrap)
        commentary_cell = (ratings.commentary, _WIDTHS[_COMMENTARY_COL])
        fit_row(sheet, index, [*zip(texts, _WIDTHS, strict=False), commentary_cell])
        _ratings_cells(sheet, formats, index, ratings)


def _ratings_cells(sheet: Any, formats: Formats, index: int, ratings: ShownRatings) -> None:
    """Progress and impact in their colours, the officer's commentary, where they came from."""
    for col, rating in ((4, ratings.progress), (5, ratings.impact)):
        if rating is None:
            sheet.write_blank(index, col, None, formats.locked)
        else:
            sheet.write_string(index, col, rating.value, formats.rating[rating])
    if ratings.commentary:
        sheet.write_string(index, _COMMENTARY_COL, ratings.commentary, formats.locked_wrap)
    else:
        sheet.write_blank(index, _COMMENTARY_COL, None, formats.locked_wrap)
    sheet.write_string(index, 7, ratings.source, formats.locked_wrap)


def _commentary_boxes(
    sheet: Any, formats: Formats, area: Area, n_actions: int
) -> list[tuple[str, str, str, str]]:
    """The four white boxes below the table; return their meta rows (field, cell, fingerprint
    of the label, role)."""
    cells = area_box_cells(n_actions)
    sheet.write_string(
        _area_heading_row(n_actions) - 1,
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
    return meta_rows
