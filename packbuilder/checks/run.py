"""``check PERIOD``: every file in inputs/returns/PERIOD/, screened, read and checked.

``check_file`` does one file's work and is a pure top-level function of picklable inputs, so it
can run in a worker process with a memory and time limit (packbuilder.processes); the folder's
own rules (duplicates, lateness, missing returns) then run once over every file (folder.py).

The folder is read recursively (an officer's email saved as a subfolder still counts), in
sorted order; ``received.csv``, ``collected.csv`` and hidden files (names starting with
".", other than LibreOffice's lock files) are skipped, and lock files and the files Windows
keeps in folders (desktop.ini, Thumbs.db) are skipped with a note. A missing folder is not
an error: every return is missing. The plan and the values before the period come in as
arguments: the command layer (``packbuilder.commands.check``) loads the one and reads the others
from history.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from packbuilder.checks import folder, identity
from packbuilder.checks.area import read_area_commentary
from packbuilder.checks.context import CheckContext, CheckLimits, Place, context_from_plan
from packbuilder.checks.rows import RowCheck, information_row, match_rows, read_update
from packbuilder.checks.rules import ROW_RULES
from packbuilder.findings import CELL, NOT_A_RETURN_CODES, REGISTRY, REJECTED_CODES, finding
from packbuilder.kpis.read import KpiReading, check_kpi_period
from packbuilder.model import (
    ActionUpdate,
    CheckReport,
    FileStatus,
    Finding,
    LastValues,
    Period,
    Plan,
    ReturnFile,
    ReturnKind,
    Severity,
)
from packbuilder.paths import COLLECTED_CSV, RECEIVED_CSV
from packbuilder.processes import collection_paused, keep_out_of_collections, map_isolated
from packbuilder.returns import layout
from packbuilder.returns.read import UnreadableWorkbook, WorkbookRead, read_workbook
from packbuilder.returns.safe import SKIPPED_REFUSALS, screen_file

if TYPE_CHECKING:
    from packbuilder.config import Config
    from packbuilder.kpis.last import LastKpiValue
    from packbuilder.processes import Outcome

_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def check_received(
    config: Config,
    plan: Plan,
    period: Period,
    last_values: dict[str, LastValues],
    last_kpis: dict[str, LastKpiValue],
) -> CheckReport:
    """Check every file received for PERIOD against PLAN, with each action's LAST_VALUES and
    each KPI's LAST_KPIS before it (read from history by the command layer)."""
    limits = config.settings.limits
    returns = config.settings.returns
    ctx = context_from_plan(
        plan,
        period,
        first_report=period <= config.first_period,
        last_values=last_values,
        confidence=tuple(returns.confidence),
        low_confidence=tuple(returns.low_confidence),
        deadline=config.deadline(period),
        limits=CheckLimits(
            max_cells_per_sheet=limits.max_cells_per_sheet,
            max_chars_per_cell=limits.max_chars_per_cell,
            max_findings_per_file=limits.max_findings_per_file,
            max_file_bytes=limits.max_file_bytes,
            max_uncompressed_bytes=limits.max_uncompressed_bytes,
            max_compression_ratio=limits.max_compression_ratio,
        ),
    )
    expected_areas = sorted(ctx.areas) if returns.area_leads else []
    return check_folder(
        config.returns_dir(period),
        ctx,
        expected_officers=[o.id for o in plan.reporting_officers()],
        expected_areas=expected_areas,
        timeout=limits.worker_timeout_seconds,
        memory_mb=limits.worker_memory_mb,
        kpi_job=KpiJob(config, plan, period, last_kpis),
    )


def return_files(folder_path: Path) -> list[Path]:
    """Every file in the period's folder that check looks at, in a stable order."""
    if not folder_path.is_dir():
        return []
    found = []
    for path in sorted(folder_path.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(folder_path)
        hidden = any(p.startswith(".") and not p.startswith(".~lock.") for p in relative.parts)
        if not hidden:
            found.append(path)
    return found


def check_folder(
    folder_path: Path,
    ctx: CheckContext,
    *,
    expected_officers: list[str],
    expected_areas: list[int],
    timeout: float = 60.0,
    memory_mb: int = 1024,
    kpi_job: KpiJob | None = None,
) -> CheckReport:
    """Check every file under FOLDER_PATH against CTX, then the folder-wide rules; with
    KPI_JOB, the period's KPI return too, in the same isolated workers."""
    paths = return_files(folder_path)
    received = folder.read_received_csv(folder_path / RECEIVED_CSV)
    collected = folder.read_received_csv(folder_path / COLLECTED_CSV)
    records = [folder_path / RECEIVED_CSV, folder_path / COLLECTED_CSV]
    returns = [p for p in paths if p not in records]
    files, kpi_reading = _check_all(returns, ctx, timeout, memory_mb, kpi_job)
    files.extend(_skipped(record) for record in records if record.is_file())
    folder_findings = list(
        folder.check_folder_files(
            files, received, ctx, expected_officers, expected_areas, collected=collected
        )
    )
    names = {path.name for path in returns}
    for record in records:
        folder_findings.extend(folder.received_csv_findings(record, names))
    folder_findings.extend(folder.misplaced_workbooks(folder_path, ctx.period))
    findings = [f for file in files for f in file.findings] + folder_findings
    if kpi_reading is not None:
        findings += kpi_reading.findings
    return CheckReport(
        period=ctx.period,
        files=files,
        expected_officers=expected_officers,
        expected_areas=expected_areas,
        findings=findings,
        kpi_reading=kpi_reading,
    )


def _check_all(
    paths: list[Path],
    ctx: CheckContext,
    timeout: float,
    memory_mb: int,
    kpi_job: KpiJob | None = None,
) -> tuple[list[ReturnFile], KpiReading | None]:
    # Every file is read in a worker process, however few there are: a native reader that
    # aborts on one file must cost that file, not the run. The context goes to each worker once
    # (inherited or pickled per worker), never once per file.
    _import_reader()
    # The function, with the context and the KPI job (the config and the whole plan), reaches
    # each worker once (inherited when forked, else pickled per worker); only the small items
    # travel by pipe.
    check_one = functools.partial(_check_item, ctx, kpi_job)
    # The KPI return goes first, so one worker reads it while the other starts on the returns.
    items: list[Path | KpiItem] = [*([KpiItem()] if kpi_job is not None else []), *paths]
    # The results pile up until the command ends and hold no cycles: collections over the
    # growing pile cost the parent as much as unpickling them, so the collector pauses while
    # they arrive (the workers turn it back on), and afterwards leaves them out of its scans.
    # (Freezing before the workers fork as well was measured: the tree's PSS rose by 50 MiB.)
    with collection_paused():
        outcomes = map_isolated(check_one, items, timeout=timeout, memory_mb=memory_mb)
    keep_out_of_collections()
    kpi_reading = None
    if kpi_job is not None:
        kpi_reading = _kpi_outcome(kpi_job, outcomes.pop(0))
    results = []
    for path, outcome in zip(paths, outcomes, strict=True):
        if isinstance(outcome.value, ReturnFile):
            results.append(outcome.value)
        else:
            results.append(_unreadable(path, outcome.failure))
    return results, kpi_reading


def _import_reader() -> None:
    """Import what reading a return needs before the workers fork, so each inherits it rather
    than importing it again."""
    import defusedxml.ElementTree  # noqa: F401
    import python_calamine  # noqa: F401

    import packbuilder.dates  # noqa: F401


@dataclass(frozen=True)
class KpiJob:
    """The period's KPI return, to be read in a worker beside the officers' returns."""

    config: Config
    plan: Plan
    period: Period
    last: dict[str, LastKpiValue]


@dataclass(frozen=True)
class KpiItem:
    """Stands for the KPI return among the items sent to the workers."""


def _check_item(
    ctx: CheckContext, kpi_job: KpiJob | None, item: Path | KpiItem
) -> ReturnFile | KpiReading:
    if isinstance(item, KpiItem):
        if kpi_job is None:
            raise ValueError("a KPI item without a KPI job")
        return check_kpi_period(kpi_job.config, kpi_job.plan, kpi_job.period, kpi_job.last)
    return check_file(item, ctx)


def _kpi_outcome(job: KpiJob, outcome: Outcome[ReturnFile | KpiReading]) -> KpiReading:
    """The KPI return as read, or a KPI-UNREADABLE finding when its reader failed."""
    if isinstance(outcome.value, KpiReading):
        return outcome.value
    path = job.config.kpis_path(job.period)
    reading = KpiReading(path=path)
    reading.findings.append(
        finding("KPI-UNREADABLE", file=path.name, variant="failed", why=_in_words(outcome.failure))
    )
    return reading


def _skipped(path: Path) -> ReturnFile:
    return ReturnFile(path=path, sha256="", size=path.stat().st_size, status=FileStatus.SKIPPED)


# What a finding says when a reader failed; the reader's own message is a library's words.
_UNREADABLE = "what is inside it is not laid out as Excel saves it"


def _in_words(failure: str) -> str:
    """A worker's failure as the office may read it: an exception's own text is not."""
    if failure.startswith(("took longer", "ran out of memory", "the reader")):
        return failure
    return _UNREADABLE


def _unreadable(path: Path, why: str) -> ReturnFile:
    place = Place(path.name)
    why = _in_words(why)
    size = path.stat().st_size if path.exists() else 0
    findings = [place.finding("unreadable", value=why)]
    return ReturnFile(
        path=path, sha256="", size=size, status=file_status(findings), findings=findings
    )


def file_status(findings: list[Finding]) -> FileStatus:
    """What a file refused by one of FINDINGS' file-level codes is (registry.FILE_COUNTS):
    not a return, or a return that cannot be used (rejected, counted with its errors)."""
    codes = {f.code for f in findings}
    if codes & NOT_A_RETURN_CODES:
        return FileStatus.NOT_A_RETURN
    if codes & REJECTED_CODES:
        return FileStatus.REJECTED
    return FileStatus.COUNTED


def check_file(path: Path, ctx: CheckContext) -> ReturnFile:
    """Screen, read and check one file: what it is, whose, and every finding in it."""
    place = Place(path.name)
    screening = screen_file(path, ctx.limits)
    result = ReturnFile(
        path=path, sha256=screening.sha256, size=screening.size, status=FileStatus.COUNTED
    )
    if screening.refusal is not None:
        result.findings = list(identity.refusal(screening, ctx, place))
        result.status = (
            FileStatus.SKIPPED
            if screening.refusal in SKIPPED_REFUSALS
            else file_status(result.findings)
        )
        return result
    try:
        workbook = read_workbook(screening, ctx.limits)
    except UnreadableWorkbook:
        result.findings = [place.finding("unreadable", value=_UNREADABLE)]
        result.status = file_status(result.findings)
        return result
    _received_from_file(result, workbook.recorded_modified, path)
    if workbook.too_large:
        result.findings = [
            place.finding(
                "sheet-too-large",
                sheet=workbook.too_large,
                value=workbook.too_large,
                limit=f"{ctx.limits.max_cells_per_sheet:,}",
            )
        ]
        result.status = file_status(result.findings)
        return result
    findings = list(identity.identity(workbook, ctx, place))
    result.period = workbook.meta.get("period", "")
    kind = workbook.meta.get("kind", "")
    if kind == ReturnKind.OFFICER.value:
        result.kind = ReturnKind.OFFICER
        result.officer_id = place.officer_id = workbook.meta.get("officer_id", "")
    elif kind == ReturnKind.AREA_LEAD.value:
        result.kind = ReturnKind.AREA_LEAD
        result.area = identity.area_of(workbook)
    result.status = file_status(findings)
    if result.status is FileStatus.COUNTED:
        findings.extend(identity.notes(workbook, place, ctx.limits.max_chars_per_cell))
        if result.kind is ReturnKind.OFFICER:
            place.sheet = layout.RETURN_SHEET
            findings.extend(_check_rows(workbook, ctx, place, result))
        elif result.area is not None:
            place.sheet = layout.AREA_SHEET
            commentary, area_findings = read_area_commentary(
                workbook, result.area, place, screening.sha256
            )
            result.area_commentary = commentary
            findings.extend(area_findings)
    result.findings = cap(findings, ctx.limits.max_findings_per_file, place)
    return result


def _check_rows(
    workbook: WorkbookRead, ctx: CheckContext, place: Place, result: ReturnFile
) -> list[Finding]:
    findings: list[Finding] = []
    for item in match_rows(workbook, ctx, place, result.officer_id):
        if isinstance(item, Finding):
            findings.append(item)
            continue
        row, facts, role = item
        check = RowCheck(row, facts, ActionUpdate(action_id=facts.id, row=row.row), ctx, place)
        if role == layout.ROLE_INFORMATION:
            findings.extend(information_row(check))
            continue
        row_findings = list(read_update(check, workbook, result.sha256))
        if role == layout.ROLE_REPORTING:
            for rule in ROW_RULES:
                row_findings.extend(rule(check))
        else:  # locked text changed: read, but the row does not count
            check.update.row_rejected = "locked-text-changed"
        _reject_cells(check.update, row_findings)
        result.updates.append(check.update)
        findings.extend(row_findings)
    # A duplicated action: which row is right is unknown, so the action does not count.
    duplicated = {f.action_id for f in findings if f.code == "row-duplicated"}
    for update in result.updates:
        if update.action_id in duplicated:
            update.row_rejected = "row-duplicated"
    return findings


_KEY_BY_LETTER = {column.letter: column.key for column in layout.COLUMNS}


def _reject_cells(update: ActionUpdate, row_findings: list[Finding]) -> None:
    """Mark on UPDATE what each error of its row keeps out: the cell it names (field -> code),
    or the whole row. The merge decides which other fields go with a rejected one."""
    for found in row_findings:
        if found.severity is not Severity.ERROR:
            continue
        if REGISTRY[found.code].rejects != CELL:
            update.row_rejected = update.row_rejected or found.code
            continue
        key = _KEY_BY_LETTER.get(found.cell.rstrip("0123456789"))
        if key is None:  # an error with no input cell of its own: the row cannot be trusted
            update.row_rejected = update.row_rejected or found.code
        else:
            update.rejected.setdefault(key, found.code)


def _received_from_file(result: ReturnFile, recorded: dt.datetime | None, path: Path) -> None:
    """When the file says it was last saved, else when the file system says it changed."""
    if recorded is not None:
        result.received_at, result.received_source = recorded, "file properties"
    else:
        stamp = dt.datetime.fromtimestamp(path.stat().st_mtime)
        result.received_at, result.received_source = stamp, "file system"


def cap(findings: list[Finding], limit: int, place: Place) -> list[Finding]:
    """At most LIMIT findings for one file, errors first, and one more saying how many are left."""
    if len(findings) <= limit:
        return findings
    kept = sorted(findings, key=lambda f: _SEVERITY_ORDER[f.severity])[:limit]
    order = {id(f): i for i, f in enumerate(findings)}
    kept.sort(key=lambda f: order[id(f)])
    return [*kept, place.finding("too-many-findings", value=len(findings) - limit)]
