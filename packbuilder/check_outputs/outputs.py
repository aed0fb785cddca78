"""What ``check`` writes: validation.xlsx, a feedback workbook per officer with errors, and
chase-list.csv, all under outputs/PERIOD/.

Each file is written whole or not at all: to a temporary name beside it, then os.replace.
Returned values are written as text, never as formulas or links. A feedback workbook is a copy
of the officer's own return (patched part by part, see ooxml/comments.py, so its validation,
protection and very hidden sheet stay as they were) with each cell that has an error or warning
filled and commented; info findings never appear in feedback. Corrected and sent back, it is
itself a valid return.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from packbuilder.check_outputs.fix_sheet import SHEET_NAME, FixItem, FixSheetError, add_fix_sheet
from packbuilder.errors import EnvironmentProblem, PackbuilderError
from packbuilder.fixed_time import NO_PERIOD_TIME, fixed_zip, made_at
from packbuilder.model import (
    CheckReport,
    FileStatus,
    Finding,
    Plan,
    ReturnFile,
    ReturnKind,
    Severity,
)
from packbuilder.ooxml.comments import CellNote, patch_feedback
from packbuilder.processes import BackgroundCall, import_openpyxl_without_numpy, map_isolated
from packbuilder.replace import replace_file
from packbuilder.returns import layout
from packbuilder.returns.safe import assert_defused

if TYPE_CHECKING:
    from packbuilder.config import Config

VALIDATION = "validation.xlsx"
FEEDBACK = "feedback"
CHASE_LIST = "chase-list.csv"
CHASE_COLUMNS = ("officer", "email", "reason", "file")
VALIDATION_COLUMNS = (
    ("Code", 22),
    ("Severity", 9),
    ("Officer", 26),
    ("File", 36),
    ("Sheet", 14),
    ("Cell", 7),
    ("Action", 8),
    ("Value found", 30),
    ("Message", 90),
    ("File status", 13),  # Superseded and Not a return: listed, never counted
)
_FILL = {Severity.ERROR: "FFC7CE", Severity.WARNING: "FFEB9C", Severity.INFO: "DDEBF7"}
_FONT = {Severity.ERROR: "9C0006", Severity.WARNING: "9C5700", Severity.INFO: "1F4E78"}


@dataclass(frozen=True)
class CheckOutputs:
    validation: Path
    feedback: list[Path]
    chase_list: Path


def write_check_outputs(config: Config, plan: Plan, report: CheckReport) -> CheckOutputs:
    """Write validation.xlsx, the feedback workbooks and chase-list.csv for the period."""
    folder = config.outputs_dir(report.period)
    feedback_dir = folder / FEEDBACK
    feedback_dir.mkdir(parents=True, exist_ok=True)
    names = {o.id: o.name for o in plan.officers}
    made = made_at(report.period)
    jobs = [(file, feedback_dir / file.name, made) for file in report.files if needs_feedback(file)]
    validation_args = (folder / VALIDATION, report, names)
    beside = None
    if jobs and len(report.findings) >= _BACKGROUND_FINDINGS:
        beside = BackgroundCall(write_validation, *validation_args)
    else:
        validation = write_validation(*validation_args)
    try:
        feedback = write_feedback_files(
            jobs,
            timeout=config.settings.limits.worker_timeout_seconds,
            memory_mb=config.settings.limits.worker_memory_mb,
        )
    except BaseException:
        # validation.xlsx is still finished (stopped, its process could leave a partial file).
        if beside is not None:
            with contextlib.suppress(Exception):
                beside.result()
        raise
    if beside is not None:
        validation = beside.result()
    chase = write_chase_list(feedback_dir / CHASE_LIST, report, plan)
    return CheckOutputs(validation, feedback, chase)


# A findings table at least this long is written by a forked process while the feedback
# workbooks are written: 158,000 cells take xlsxwriter a second and a half in one process, and
# 1,700 findings (600 returns) a tenth of a second, as long as the feedback for 30 officers.
# Below this, the fork (about 10 ms) costs more than the overlap gains.
_BACKGROUND_FINDINGS = 300


def write_feedback_files(
    jobs: list[tuple[ReturnFile, Path, dt.datetime]],
    *,
    timeout: float = 60.0,
    memory_mb: int = 1024,
) -> list[Path]:
    """Write each (return, destination, time made) feedback workbook in a worker process, on
    every core.

    The officer's own file is opened here, so it runs isolated as the reader does; openpyxl is
    imported only in a worker that must fall back to it, without numpy
    (processes.import_openpyxl_without_numpy).
    """
    outcomes = map_isolated(_feedback_job, jobs, timeout=timeout, memory_mb=memory_mb)
    written = []
    for (file, dest, _), outcome in zip(jobs, outcomes, strict=True):
        if outcome.value is None:
            raise EnvironmentProblem(
                f"The feedback workbook for {file.name} could not be written: {outcome.failure}",
                hint="Run the command again; if it fails again, run it with --debug and report it.",
            )
        if isinstance(outcome.value, tuple):
            problem, message, hint = outcome.value
            raise (EnvironmentProblem if problem == "environment" else PackbuilderError)(
                message, hint
            )
        written.append(dest)
    return written


def _feedback_job(job: tuple[ReturnFile, Path, dt.datetime]) -> Path | tuple[str, str, str]:
    """One feedback workbook, in a worker; a PackbuilderError comes back as data to re-raise."""
    try:
        return write_feedback(*job)
    except PackbuilderError as error:
        kind = "environment" if isinstance(error, EnvironmentProblem) else "other"
        return kind, error.message, error.hint


def needs_feedback(file: ReturnFile) -> bool:
    """An officer's counted return with errors gets a feedback workbook."""
    return (
        file.status is FileStatus.COUNTED and file.kind is ReturnKind.OFFICER and bool(file.errors)
    )


@contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """Yield a temporary path; on success move it over PATH in one step."""
    partial = path.with_name(f".{path.stem}.partial{path.suffix}")
    try:
        yield partial
        replace_file(partial, path)
    except PermissionError:
        raise EnvironmentProblem(
            f"{path.name} is open in another program, so it was not replaced",
            hint=f"Close {path.name} (in Excel, say) and run the command again.",
        ) from None
    finally:
        partial.unlink(missing_ok=True)


def write_validation(path: Path, report: CheckReport, names: dict[str, str]) -> Path:
    """One row per finding, as a filterable table with a frozen header, coloured by severity."""
    import xlsxwriter

    with _replacing(path) as partial:
        workbook = xlsxwriter.Workbook(
            str(partial),
            # in_memory: no temporary file per sheet part; about 40 % faster for a large table.
            {
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "in_memory": True,
            },
        )
        workbook.set_properties({"created": made_at(report.period)})
        sheet = workbook.add_worksheet("Findings")
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        status_of = report.file_status_of()
        rows = [
            [
                f.code,
                f.severity.value,
                names.get(f.officer_id, f.officer_id),
                f.file,
                f.sheet,
                f.cell,
                f.action_id,
                f.value,
                f.message,
                status.value if (status := status_of.get(id(f))) else "",
            ]
            for f in report.findings
        ]
        for col, (_, width) in enumerate(VALIDATION_COLUMNS):
            sheet.set_column(col, col, width, wrap if col in (7, 8) else None)
        last_row = max(len(rows), 1)
        sheet.add_table(
            0,
            0,
            last_row,
            len(VALIDATION_COLUMNS) - 1,
            {
                "name": "Findings",
                "style": "Table Style Light 1",
                "columns": [{"header": h} for h, _ in VALIDATION_COLUMNS],
            },
        )
        for index, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                sheet.write_string(index, col, value)
        for severity in Severity:
            style = workbook.add_format(
                {"bg_color": f"#{_FILL[severity]}", "font_color": f"#{_FONT[severity]}"}
            )
            sheet.conditional_format(
                1,
                1,
                last_row,
                1,
                {"type": "cell", "criteria": "==", "value": f'"{severity.value}"', "format": style},
            )
        sheet.freeze_panes(1, 0)
        workbook.close()
    return path


def write_feedback(file: ReturnFile, dest: Path, made: dt.datetime = NO_PERIOD_TIME) -> Path:
    """A copy of the officer's return with each error or warning cell filled and commented.

    The officer's file is patched part by part (ooxml/comments.py, a few milliseconds); a file too
    unusual to patch is loaded and saved with openpyxl instead, its created and modified times
    then set to MADE (the period's, fixed_time.made_at), never the clock's.
    """
    notes = _cell_notes(file)
    patched = patch_feedback(file.path.read_bytes(), file.sha256, notes, layout.META_SHEET)
    if patched is None:
        return _write_feedback_openpyxl(file, dest, notes, made)
    try:
        finished = _with_fix_sheet(patched, file)
    except FixSheetError:  # an earlier feedback's sheet, say: openpyxl replaces it
        return _write_feedback_openpyxl(file, dest, notes, made)
    with _replacing(dest) as partial:
        partial.write_bytes(finished)
    return dest


def _with_fix_sheet(data: bytes, file: ReturnFile) -> bytes:
    """The feedback workbook with its What to fix sheet: errors, then warnings (fix_sheet.py)."""

    def listed(severity: Severity) -> list[FixItem]:
        return [
            FixItem(f.sheet if f.cell else "", f.cell, f.action_id, f.message)
            for f in file.findings
            if f.severity is severity
        ]

    return add_fix_sheet(data, listed(Severity.ERROR), listed(Severity.WARNING))


def _cell_notes(file: ReturnFile) -> list[CellNote]:
    """One note per cell with an error or warning: the worst severity's colour, every message."""

    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for finding in file.findings:
        if finding.severity is Severity.INFO or not finding.cell or not finding.sheet:
            continue
        by_cell.setdefault((finding.sheet, finding.cell), []).append(finding)
    notes = []
    for (sheet, cell), findings in by_cell.items():
        worst = min(findings, key=lambda f: f.severity is not Severity.ERROR)
        text = "\n".join(f"{f.severity.value.capitalize()}: {f.message}" for f in findings)
        notes.append(CellNote(sheet, cell, _FILL[worst.severity], text))
    return notes


def _write_feedback_openpyxl(
    file: ReturnFile, dest: Path, notes: list[CellNote], made: dt.datetime
) -> Path:
    import_openpyxl_without_numpy()
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill
    from openpyxl.writer.excel import ExcelWriter

    assert_defused(openpyxl=True)
    workbook = load_workbook(file.path)
    for note in notes:
        if note.sheet not in workbook.sheetnames:
            continue
        target = workbook[note.sheet][note.cell]
        target.fill = PatternFill("solid", start_color=note.colour, end_color=note.colour)
        comment = Comment(note.text, "packbuilder")
        comment.width, comment.height = 320, 40 + 16 * max(3, len(note.text) // 45)
        target.comment = comment
    if layout.META_SHEET in workbook.sheetnames:
        workbook[layout.META_SHEET].sheet_state = "veryHidden"
    if SHEET_NAME in workbook.sheetnames:  # an earlier feedback's list, now out of date
        del workbook[SHEET_NAME]
    saved = io.BytesIO()
    # ExcelWriter, as Workbook.save uses it, without save's stamping the clock as modified.
    workbook.properties.created = workbook.properties.modified = made
    ExcelWriter(workbook, zipfile.ZipFile(saved, "w", zipfile.ZIP_DEFLATED)).save()
    try:
        finished = _with_fix_sheet(saved.getvalue(), file)
    except FixSheetError:
        # Not laid out as a return is; the comments on its cells still say what to fix.
        finished = fixed_zip(saved.getvalue())
    with _replacing(dest) as partial:
        partial.write_bytes(finished)
    return dest


def write_chase_list(path: Path, report: CheckReport, plan: Plan) -> Path:
    """Officers to chase: missing returns, and returns with errors or that cannot be used
    (with the file)."""
    rows = chase_rows(report, plan)
    # UTF-8 with a byte order mark and CRLF line ends: Excel on Windows then reads "–" and
    # "Łucja" as written, rather than in the office's code page.
    with _replacing(path) as partial, partial.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(CHASE_COLUMNS)
        writer.writerows(rows)
    return path


def chase_rows(report: CheckReport, plan: Plan) -> list[tuple[str, str, str, str]]:
    """(officer, email, reason, file) for every officer still to chase, in plan order."""
    officers = plan.officer_by_id()
    # A return that cannot be used (another period's, say) names its officer: they are chased
    # to send it again, with the file, rather than as if nothing had come.
    rejected = {
        f.officer_id: f.name
        for f in report.files
        if f.status is FileStatus.REJECTED and f.kind is ReturnKind.OFFICER and f.officer_id
    }
    rows: list[tuple[str, str, str, str]] = []
    for officer_id in report.missing_officers():
        officer = officers.get(officer_id)
        rows.append(
            (
                officer.name if officer else officer_id,
                officer.email if officer else "",
                "errors" if officer_id in rejected else "missing",
                rejected.get(officer_id, ""),
            )
        )
    for file in report.files:
        if needs_feedback(file):
            officer = officers.get(file.officer_id)
            rows.append(
                (
                    officer.name if officer else file.officer_id,
                    officer.email if officer else "",
                    "errors",
                    file.name,
                )
            )
    return rows
