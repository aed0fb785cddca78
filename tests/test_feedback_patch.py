"""Feedback workbooks patched part by part: the same return with highlights and comments,
checked again it says the same; a return that already has comments goes through openpyxl."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from returns_factory import (
    DIRECTOR,
    PERIOD,
    check_one,
    context,
    fill_clean,
    make_blank_returns,
    write_workspace,
)

from packbuilder.check_outputs.outputs import _cell_notes, write_feedback
from packbuilder.fixed_time import ZIP_TIME, made_at
from packbuilder.ooxml.comments import patch_feedback
from packbuilder.returns import layout


def _director_with_errors(tmp_path: Path) -> tuple[Path, object]:
    config = write_workspace(tmp_path / "ws")
    made = make_blank_returns(config)
    path = fill_clean(
        made[DIRECTOR],
        config.returns_dir(PERIOD) / "director.xlsx",
        DIRECTOR,
        {"1A2": {"progress": "Gren", "escalation": "Maybe"}},
    )
    return path, context(config)


def test_patched_feedback_checks_the_same_as_the_return(tmp_path: Path) -> None:
    path, ctx = _director_with_errors(tmp_path)
    checked = check_one(path, ctx)  # type: ignore[arg-type]
    notes = _cell_notes(checked)
    patched = patch_feedback(path.read_bytes(), checked.sha256, notes, layout.META_SHEET)
    assert patched is not None
    dest = tmp_path / "feedback.xlsx"
    dest.write_bytes(patched)
    again = check_one(dest, ctx)  # type: ignore[arg-type]
    assert [(f.code, f.cell, f.message) for f in again.findings] == [
        (f.code, f.cell, f.message) for f in checked.findings
    ]
    workbook = load_workbook(dest)
    sheet = workbook[layout.RETURN_SHEET]
    for note in notes:
        assert sheet[note.cell].fill.fgColor.rgb == f"FF{note.colour}"
        assert sheet[note.cell].comment is not None
        assert sheet[note.cell].comment.text == note.text
    assert workbook[layout.META_SHEET].sheet_state == "veryHidden"
    assert sheet.protection.sheet and sheet.data_validations.dataValidation
    before, after = zipfile.ZipFile(path), zipfile.ZipFile(dest)
    changed = {"xl/styles.xml", "xl/workbook.xml", "[Content_Types].xml"}
    for info in before.infolist():
        if info.filename not in changed and "worksheets" not in info.filename:
            assert after.read(info.filename) == before.read(info.filename), info.filename


def test_changed_file_is_not_patched(tmp_path: Path) -> None:
    path, ctx = _director_with_errors(tmp_path)
    checked = check_one(path, ctx)  # type: ignore[arg-type]
    assert (
        patch_feedback(path.read_bytes() + b"\0", checked.sha256, _cell_notes(checked), "") is None
    )


def test_return_with_comments_goes_through_openpyxl(tmp_path: Path) -> None:
    path, ctx = _director_with_errors(tmp_path)
    workbook = load_workbook(path)
    workbook[layout.RETURN_SHEET]["T5"].comment = Comment("my own note", "officer")
    workbook.save(path)
    checked = check_one(path, ctx)  # type: ignore[arg-type]
    notes = _cell_notes(checked)
    assert patch_feedback(path.read_bytes(), checked.sha256, notes, layout.META_SHEET) is None
    dest = write_feedback(checked, tmp_path / "feedback.xlsx")
    sheet = load_workbook(dest)[layout.RETURN_SHEET]
    assert sheet["T5"].comment is not None and sheet["T5"].comment.text == "my own note"
    for note in notes:
        assert sheet[note.cell].comment is not None and sheet[note.cell].comment.text == note.text


def _what_to_fix(dest: Path) -> tuple[object, list[tuple[object, ...]]]:
    workbook = load_workbook(dest)
    return workbook, [
        tuple(row)
        for row in workbook[layout.FEEDBACK_SHEET].iter_rows(values_only=True)
        if any(row)
    ]


def test_the_feedback_opens_on_what_to_fix_with_every_problem_in_words(tmp_path: Path) -> None:
    path, ctx = _director_with_errors(tmp_path)
    checked = check_one(path, ctx)  # type: ignore[arg-type]
    errors = [f for f in checked.findings if f.severity.value == "error"]
    assert [(f.cell, f.action_id) for f in errors] == [("K5", "1A2"), ("S5", "1A2")]
    for source in (path, _with_a_comment(path, tmp_path)):
        again = check_one(source, ctx)  # type: ignore[arg-type]
        dest = write_feedback(again, tmp_path / f"feedback-{source.stem}.xlsx")
        workbook, rows = _what_to_fix(dest)
        assert workbook.active.title == layout.FEEDBACK_SHEET  # type: ignore[attr-defined]
        assert workbook.sheetnames[:3] == [
            layout.FEEDBACK_SHEET,
            layout.INSTRUCTIONS_SHEET,
            layout.RETURN_SHEET,
        ]
        assert not workbook[layout.RETURN_SHEET].sheet_view.tabSelected  # type: ignore[index]
        assert rows[0] == ("What to fix in this return", None, None)
        assert rows[1][0] == (
            "Your return came back with 2 things to fix. Click a cell reference to go to that "
            "cell (it is coloured on its sheet), correct it, then save the file and send it "
            "back as it is."
        )
        assert rows[2:] == [
            ("To fix", "Action", None),
            ("Return K5", "1A2", errors[0].message),
            ("Return S5", "1A2", errors[1].message),
        ]
        sheet = workbook[layout.FEEDBACK_SHEET]  # type: ignore[index]
        assert [sheet[ref].hyperlink.location for ref in ("A5", "A6")] == [
            "'Return'!K5",
            "'Return'!S5",
        ]
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        banner = workbook[layout.RETURN_SHEET][f"{layout.COLUMN_BY_KEY['progress'].letter}3"].value  # type: ignore[index]
        assert banner.startswith("This return came back with things to fix")
        # Corrected and sent back, the feedback is a clean return again.
        corrected = fill_clean(dest, tmp_path / f"corrected-{source.stem}.xlsx", DIRECTOR)
        assert check_one(corrected, ctx).findings == []  # type: ignore[arg-type]


def test_warnings_are_listed_as_questions_after_the_errors(tmp_path: Path) -> None:
    path, ctx = _director_with_errors(tmp_path)
    path = fill_clean(
        path, path, DIRECTOR, {"1A1": {"confidence": "Low"}, "1A2": {"progress": "Gren"}}
    )
    checked = check_one(path, ctx)  # type: ignore[arg-type]
    dest = write_feedback(checked, tmp_path / "feedback.xlsx")
    _, rows = _what_to_fix(dest)
    headings = [row[0] for row in rows if row[1] == "Action"]
    assert headings == ["To fix", "Questions"]
    questions = rows[rows.index(next(r for r in rows if r[0] == "Questions")) + 1 :]
    warned = [f for f in checked.findings if f.severity.value == "warning"]
    assert warned and [row[2] for row in questions] == [f.message for f in warned]


def _with_a_comment(path: Path, tmp_path: Path) -> Path:
    """The same return with an officer's own comment: the feedback goes through openpyxl."""
    copy = tmp_path / "with-comment.xlsx"
    workbook = load_workbook(path)
    workbook[layout.RETURN_SHEET]["S5"].comment = Comment("my own note", "officer")
    workbook.save(copy)
    return copy


def _dated(data: bytes) -> tuple[set[tuple[int, ...]], bytes]:
    """The zip entries' timestamps, and the core properties part."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {i.date_time for i in package.infolist()}, package.read("docProps/core.xml")


def test_feedback_bytes_do_not_depend_on_the_clock(tmp_path: Path) -> None:
    """Zip entries at the fixed time; core properties the officer's own (patched) or the
    period's (through openpyxl, which would otherwise stamp the clock as modified)."""
    path, ctx = _director_with_errors(tmp_path)
    plain = check_one(path, ctx)  # type: ignore[arg-type]
    commented = check_one(_with_a_comment(path, tmp_path), ctx)  # type: ignore[arg-type]
    made = made_at(PERIOD)
    for checked, expected_core in (
        (plain, _dated(path.read_bytes())[1]),
        (commented, None),
    ):
        first = write_feedback(checked, tmp_path / "first.xlsx", made).read_bytes()
        times, core = _dated(first)
        assert times == {ZIP_TIME}
        if expected_core is not None:
            assert core == expected_core
        else:
            assert b">2023-07-31T12:00:00Z</dcterms:created>" in core
            assert b">2023-07-31T12:00:00Z</dcterms:modified>" in core
        assert write_feedback(checked, tmp_path / "second.xlsx", made).read_bytes() == first
