"""The writers split by part: each return written by its own module, and read back.

``returns make`` writes through ``returns/officer_return.py`` and ``returns/area_return.py``
over the shared ``returns/sheet.py``; these tests call each writer alone, as the command layer
does, and check what an officer or area lead opens. The size rules that keep each writer the
plain structure of the document it writes are checked on the whole package (test_code_shape).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from returns_factory import DIRECTOR, PERIOD, load_test_plan, write_workspace

from packbuilder.config import Config
from packbuilder.model import LastValues, Officer, Rating
from packbuilder.returns import layout
from packbuilder.returns.area_return import ShownRatings, area_box_cells, write_area_return
from packbuilder.returns.layout import column_index
from packbuilder.returns.officer_return import write_officer_return
from packbuilder.returns.sheet import contact, fit_row, footer_text


@pytest.fixture()
def config(tmp_path: Path) -> Config:
    return write_workspace(tmp_path / "ws")


def test_an_officer_return_written_alone(config: Config, tmp_path: Path) -> None:
    plan = load_test_plan(config)
    officer = plan.officer_by_id()[DIRECTOR]
    last = {"1A2": LastValues(Rating.AMBER, Rating.RED, "Forums paused", PERIOD.shift(-1))}
    path = tmp_path / "alone.xlsx"
    write_officer_return(
        path, config=config, plan=plan, period=PERIOD, officer=officer, last=last, plan_fp="fp"
    )

    workbook = load_workbook(path)
    assert workbook.sheetnames == [
        layout.INSTRUCTIONS_SHEET,
        layout.RETURN_SHEET,
        layout.META_SHEET,
    ]
    sheet = workbook[layout.RETURN_SHEET]
    first = layout.FIRST_ROW
    # The director reports 1A2 and 2A1, and sees 1A1 (reported by another) for information.
    assert [sheet[f"A{first + n}"].value for n in range(4)] == ["1A2", "2A1", "1A1", None]
    by_key = {column.key: column.letter for column in layout.COLUMNS}
    assert sheet[f"{by_key['last_progress']}{first}"].value == "Amber"
    assert sheet[f"{by_key['last_commentary']}{first}"].value == "Forums paused"
    assert sheet[f"{by_key['role']}{first + 2}"].value == layout.ROLE_INFORMATION
    meta = workbook[layout.META_SHEET]
    assert meta.sheet_state == "veryHidden"
    rows = [
        [cell.value for cell in row]
        for row in meta.iter_rows(min_row=layout.META_ROWS_HEADER + 1, max_col=4)
    ]
    assert [(r[0], r[1], r[3]) for r in rows] == [
        ("1A2", str(first), layout.ROLE_REPORTING),
        ("2A1", str(first + 1), layout.ROLE_REPORTING),
        ("1A1", str(first + 2), layout.ROLE_INFORMATION),
    ]


def test_an_area_return_written_alone_shows_the_ratings_given(
    config: Config, tmp_path: Path
) -> None:
    plan = load_test_plan(config)
    area = plan.areas[1]  # area 2: 2A1 and 2A2
    lead = Officer(id="area-2-lead", name="Area 2 lead")
    shown = {"2A1": ShownRatings(Rating.GREEN, Rating.AMBER, "On track", "This month's return")}
    path = tmp_path / "area.xlsx"
    write_area_return(
        path,
        config=config,
        plan=plan,
        period=PERIOD,
        area=area,
        lead=lead,
        shown=shown,
        plan_fp="fp",
    )

    workbook = load_workbook(path)
    assert workbook.sheetnames == [layout.INSTRUCTIONS_SHEET, layout.AREA_SHEET, layout.META_SHEET]
    sheet = workbook[layout.AREA_SHEET]
    first = layout.FIRST_ROW
    assert [cell.value for cell in sheet[first]] == [
        "2A1",
        "Mainstream core standards training",
        "Director of Education and SEND",
        "31 May 2023",
        "Green",
        "Amber",
        "On track",
        "This month's return",
    ]
    # An action with nothing to show says so, rather than leaving the lead to guess.
    assert sheet.cell(first + 1, 1).value == "2A2"
    assert sheet.cell(first + 1, 5).value is None
    assert sheet.cell(first + 1, 8).value == "No rating yet"
    cells = area_box_cells(2)
    for key, cell in cells.items():
        assert sheet[cell].protection.locked is False, key
    meta = workbook[layout.META_SHEET]
    named = [
        row[1] for row in meta.iter_rows(min_row=layout.META_ROWS_HEADER + 1, values_only=True)
    ]
    assert named == list(cells.values())
    instructions = workbook[layout.INSTRUCTIONS_SHEET]
    labels = [row[0] for row in instructions.iter_rows(values_only=True)]
    assert "Area of weakness" in labels
    assert "The columns" not in labels  # the officer's column guide is not the area lead's


class _RowHeights:
    """Stands in for an xlsxwriter sheet where only the row heights matter."""

    def __init__(self) -> None:
        self.heights: dict[int, float] = {}

    def set_row(self, row: int, height: float, *args: Any) -> None:
        self.heights[row] = height


def test_rows_are_sized_for_their_wrapped_text() -> None:
    sheet = _RowHeights()
    fit_row(sheet, 4, [("short", 10.0)])
    fit_row(sheet, 5, [("x" * 25, 10.0), ("one\ntwo\nthree", 50.0)])
    fit_row(sheet, 6, [("", 10.0)], min_lines=3)
    # 12 characters a line at width 10: 25 characters take three lines, as do three paragraphs.
    assert sheet.heights == {4: 15.75, 5: 41.25, 6: 41.25}


def test_footer_contact_and_column_helpers(config: Config) -> None:
    assert footer_text("Parents & Carers") == "Parents && Carers"
    assert len(footer_text("a" * 200)) == 90
    assert contact(config) == config.settings.programme.contact_name  # no email configured
    assert [column_index(letters) for letters in ("A", "H", "T", "AA")] == [0, 7, 19, 26]
