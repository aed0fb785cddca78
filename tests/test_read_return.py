"""The reader: the same values whichever program saved the return, within the limits."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from returns_factory import (
    DIRECTOR,
    check_one,
    context,
    fill,
    fill_clean,
    make_blank_returns,
    write_workspace,
)

from packbuilder.checks.context import CheckLimits
from packbuilder.config import Config
from packbuilder.model import FileStatus, Rating, column_letter
from packbuilder.returns import layout
from packbuilder.returns.read import column_index, parse_date_cell, parse_rating, read_workbook
from packbuilder.returns.safe import screen_file


@pytest.fixture()
def config(tmp_path: Path) -> Config:
    return write_workspace(tmp_path / "ws")


def _rewrite(path: Path, change: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    parts.update(change)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _return_sheet_part(path: Path) -> str:
    screening = screen_file(path, CheckLimits())
    from packbuilder.ooxml.sheets import sheet_parts

    return sheet_parts(screening.parts)[layout.RETURN_SHEET]


@pytest.mark.parametrize(
    ("value", "impact", "expected"),
    [
        ("Amber", False, (Rating.AMBER, None)),
        ("amber ", False, (Rating.AMBER, "rating-normalised")),
        ("\u00a0GREEN", False, (Rating.GREEN, "rating-normalised")),
        ("g", False, (Rating.GREEN, "rating-letter")),
        ("R.", False, (Rating.RED, "rating-letter")),
        ("Amber/Red", False, (None, "rating-not-allowed")),
        ("not yet rated", True, (Rating.NOT_YET_RATED, "rating-normalised")),
        ("Not yet rated", False, (None, "not-yet-rated-progress")),
        (None, False, (None, None)),
    ],
)
def test_parse_rating(value: str | None, impact: bool, expected: tuple[object, object]) -> None:
    result = parse_rating(value, impact=impact)
    assert (result.value, result.code) == expected


@pytest.mark.parametrize(
    ("value", "date1904", "expected"),
    [
        (dt.datetime(2023, 7, 31), False, (dt.date(2023, 7, 31), None)),
        ("31/07/2023", False, (dt.date(2023, 7, 31), "date-from-text")),
        ("31 July 2023", False, (dt.date(2023, 7, 31), "date-from-text")),
        (45138, False, (dt.date(2023, 7, 31), "date-from-number")),
        (43676, True, (dt.date(2023, 7, 31), "date-from-number")),
        ("next week", False, (None, "not-a-date")),
    ],
)
def test_parse_date_cell(value: object, date1904: bool, expected: tuple[object, object]) -> None:
    result = parse_date_cell(value, date1904=date1904)  # type: ignore[arg-type]
    assert (result.value, result.code) == expected


def test_inline_strings_read_like_shared_strings(config: Config, tmp_path: Path) -> None:
    """xlsxwriter (and Excel) write shared strings; openpyxl writes inline strings."""
    made = make_blank_returns(config)
    shared = made[DIRECTOR]
    inline = fill(shared, tmp_path / "resaved.xlsx", {})
    with zipfile.ZipFile(shared) as archive:
        assert "xl/sharedStrings.xml" in archive.namelist()
    with zipfile.ZipFile(inline) as archive:
        assert 't="inlineStr"' in archive.read(_return_sheet_part(inline)).decode()
    limits = CheckLimits()
    one = read_workbook(screen_file(shared, limits), limits)
    two = read_workbook(screen_file(inline, limits), limits)
    assert one.rows == two.rows and one.meta == two.meta and one.meta_rows == two.meta_rows
    assert (
        one.sheet_states[layout.META_SHEET] == two.sheet_states[layout.META_SHEET] == "veryhidden"
    )


def test_dates_in_the_1904_system(tmp_path: Path) -> None:
    path = tmp_path / "dates.xlsx"
    workbook = xlsxwriter.Workbook(str(path), {"date_1904": True})
    sheet = workbook.add_worksheet(layout.RETURN_SHEET)
    sheet.write_datetime(
        f"{layout.COLUMN_BY_KEY['next_milestone_date'].letter}5",
        dt.datetime(2023, 9, 30),
        workbook.add_format({"num_format": "dd/mm/yyyy"}),
    )
    sheet.write("A5", "1A2")
    workbook.close()
    read = read_workbook(screen_file(path, CheckLimits()), CheckLimits())
    assert read.date1904
    assert read.rows[0].cells["next_milestone_date"] == dt.date(2023, 9, 30)


def test_trailing_empty_rows_are_ignored(config: Config, tmp_path: Path) -> None:
    made = make_blank_returns(config)
    path = fill_clean(made[DIRECTOR], tmp_path / "r.xlsx", DIRECTOR, cells={"J400": " "})
    read = read_workbook(screen_file(path, CheckLimits()), CheckLimits())
    assert [r.row for r in read.rows] == [5, 6, 7]


def test_sheet_reaching_beyond_the_cell_limit_is_refused(config: Config, tmp_path: Path) -> None:
    made = make_blank_returns(config)
    path = fill_clean(made[DIRECTOR], tmp_path / "r.xlsx", DIRECTOR, cells={"XFD1048576": "x"})
    result = check_one(path, context(config))
    assert [f.code for f in result.findings] == ["sheet-too-large"]
    assert result.status is FileStatus.REJECTED


def test_workbook_its_parser_cannot_read_is_unreadable(tmp_path: Path, config: Config) -> None:
    path = tmp_path / "broken.xlsx"
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.add_worksheet()
    workbook.close()
    path.write_bytes(buffer.getvalue())
    _rewrite(path, {"xl/workbook.xml": b"<workbook><sheets><sheet"})
    result = check_one(path, context(config))
    assert [f.code for f in result.findings] == ["unreadable"]


@pytest.mark.libreoffice
@pytest.mark.slow
def test_a_return_saved_by_libreoffice_checks_the_same(config: Config, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the re-save test needs it")
    made = make_blank_returns(config)
    change = {"1A2": {"progress": "amber ", "next_milestone_date": "30/09/2023"}}
    path = fill_clean(made[DIRECTOR], tmp_path / "src" / "r.xlsx", DIRECTOR, change)
    out = tmp_path / "lo"
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "xlsx", "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    ours = check_one(path, context(config))
    theirs = check_one(out / "r.xlsx", context(config))
    assert [(f.code, f.cell) for f in theirs.findings] == [(f.code, f.cell) for f in ours.findings]
    assert [
        (u.action_id, u.progress, u.next_milestone_date, u.evidence) for u in theirs.updates
    ] == [(u.action_id, u.progress, u.next_milestone_date, u.evidence) for u in ours.updates]


@pytest.mark.parametrize(
    "cells",
    [{}, {"J400": " "}, {"XFD1048576": "x"}, {"S5": "=1+1"}],
    ids=["as filled", "far row", "last cell", "formula"],
)
def test_quick_sheet_scan_agrees_with_the_full_scan(
    config: Config, tmp_path: Path, cells: dict[str, object]
) -> None:
    from packbuilder.ooxml.sheets import _scan_cells, scan_sheet

    made = make_blank_returns(config)
    path = fill_clean(made[DIRECTOR], tmp_path / "r.xlsx", DIRECTOR, cells=cells)
    screening = screen_file(path, CheckLimits())
    for name, part in screening.parts.items():
        if name.startswith("xl/worksheets/"):
            quick = scan_sheet(part)
            assert quick == _scan_cells(part, quick.merges)


_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b"<sheets>%s</sheets></workbook>"
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b"%s</Relationships>"
)


@pytest.mark.parametrize(
    ("sheets", "rels"),
    [
        (
            b'<sheet name="Return" sheetId="1" r:id="rId1"/><sheet name="_packbuilder" '
            b'sheetId="2" state="veryHidden" r:id="rId2"/>',
            b'<Relationship Id="rId1" Type="t" Target="worksheets/sheet1.xml"/>'
            b'<Relationship Id="rId2" Type="t" Target="/xl/worksheets/sheet2.xml"/>',
        ),
        (  # a quoted ">", entities, single quotes, a prefix on the elements, another for r:id
            b"<x:sheet name='A &gt; B &amp; &#67;' sheetId='1' rel:id='r&#49;'"
            b' xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>'
            b'<x:sheet name="Less > more" r:id="r2" sheetId="2" />',
            b"<Relationship Target='./worksheets/a.xml' Id='r1'/>"
            b'<Relationship Id="r2" Target="worksheets/b.xml"></Relationship>',
        ),
        (  # a comment: read by the parser, so the commented-out sheet is not taken
            b'<!-- <sheet name="Return" r:id="rId9"/> --><sheet name="Return" r:id="rId1"/>',
            b'<Relationship Id="rId1" Target="worksheets/sheet1.xml"/>'
            b'<Relationship Id="rId9" Target="worksheets/huge.xml"/>',
        ),
    ],
    ids=["as written", "unusual but legal", "comment"],
)
def test_sheet_parts_reads_start_tags_as_a_parser_would(sheets: bytes, rels: bytes) -> None:
    from packbuilder.ooxml.sheets import _sheet_parts_parsed, sheet_parts

    workbook = _WORKBOOK % sheets
    if b"x:sheet" in sheets:
        workbook = workbook.replace(
            b"<workbook ",
            b'<workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ',
        )
    parts = {"xl/workbook.xml": workbook, "xl/_rels/workbook.xml.rels": _RELS % rels}
    parsed = _sheet_parts_parsed(workbook, _RELS % rels)
    assert sheet_parts(parts) == parsed
    assert parsed  # the case is not vacuous
    if b"<!--" in sheets:
        assert parsed == {"Return": "xl/worksheets/sheet1.xml"}


def test_sheet_parts_of_every_saved_return_match_the_parser(config: Config, tmp_path: Path) -> None:
    from packbuilder.ooxml.sheets import _sheet_parts_parsed, sheet_parts

    made = make_blank_returns(config)
    path = fill_clean(made[DIRECTOR], tmp_path / "r.xlsx", DIRECTOR)
    for source in (made[DIRECTOR], path):
        parts = screen_file(source, CheckLimits()).parts
        fast = sheet_parts(parts)
        assert fast == _sheet_parts_parsed(
            parts["xl/workbook.xml"], parts["xl/_rels/workbook.xml.rels"]
        )
        assert set(fast) >= {layout.RETURN_SHEET, layout.META_SHEET}


@pytest.mark.parametrize(
    ("index", "letters"),
    [(0, "A"), (20, "U"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")],
)
def test_column_letters_as_excel_names_them(index: int, letters: str) -> None:
    assert column_letter(index) == letters
    assert column_index(letters) == index


def test_return_layout_columns_are_lettered_in_order() -> None:
    letters = [column_letter(i) for i in range(len(layout.COLUMNS))]
    assert [c.letter for c in layout.COLUMNS] == letters
