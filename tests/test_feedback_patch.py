"""Feedback workbooks patched part by part: the same return with highlights and comments,
checked again it says the same; a return that already has comments goes through openpyxl."""

from __future__ import annotations

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

from packbuilder.checks.feedback import patch_feedback
from packbuilder.checks.outputs import _cell_notes, write_feedback
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
    patched = patch_feedback(path.read_bytes(), checked.sha256, notes)
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
    assert patch_feedback(path.read_bytes() + b"\0", checked.sha256, _cell_notes(checked)) is None


def test_return_with_comments_goes_through_openpyxl(tmp_path: Path) -> None:
    path, ctx = _director_with_errors(tmp_path)
    workbook = load_workbook(path)
    workbook[layout.RETURN_SHEET]["T5"].comment = Comment("my own note", "officer")
    workbook.save(path)
    checked = check_one(path, ctx)  # type: ignore[arg-type]
    notes = _cell_notes(checked)
    assert patch_feedback(path.read_bytes(), checked.sha256, notes) is None
    dest = write_feedback(checked, tmp_path / "feedback.xlsx")
    sheet = load_workbook(dest)[layout.RETURN_SHEET]
    assert sheet["T5"].comment is not None and sheet["T5"].comment.text == "my own note"
    for note in notes:
        assert sheet[note.cell].comment is not None and sheet[note.cell].comment.text == note.text
