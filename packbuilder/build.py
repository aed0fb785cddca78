"""``packbuilder build PERIOD``: check, merge, record history, write the outputs as one set.

The last stage of the monthly cycle. It runs the check, merges the counted returns with what
history recorded, rates KPIs and risks, applies the exception rules, and writes every output
into a staging folder beside outputs/PERIOD/. Only then does it change anything the office
can see, in this order, with a journal so that a build stopped at any moment is undone or
completed by the next one:

1. a journal (outputs/PERIOD/.build-journal.json) names the build and the files it will move;
2. history's rows for the period are replaced inside one open transaction;
3. each output already in place is moved aside, and its new version moved in;
4. manifest.json is written last, then history is committed, then the journal removed.

A failure in steps 2 to 4 rolls everything back (the transaction and the moves). After a
crash, the next build reads the journal: if history holds the build, the set was complete and
only the leftovers are cleared; if not, the moved files are put back. So outputs/PERIOD/ holds
the previous set or the new one, and history always agrees with manifest.json.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packbuilder import __version__, wording
from packbuilder.config import Config
from packbuilder.errors import EnvironmentProblem, StrictRefusal
from packbuilder.lock import LOCK_NAME, holding_workspace, workspace_lock
from packbuilder.model import Finding, Period, PeriodResult, Plan, Severity
from packbuilder.replace import replace_file

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from packbuilder.history import History
    from packbuilder.reports.chart_worker import ChartWorker
    from packbuilder.reports.render import PreparedReports

__all__ = ["LOCK_NAME", "workspace_lock"]  # kept here for the commands that import them

MANIFEST = "manifest.json"
JOURNAL = ".build-journal.json"
# Files that ``check`` rewrites on every run: they are outputs of the build too, but never the
# office's own edits, so a changed hash there is not protected.
CHECK_OUTPUTS = ("validation.xlsx", "feedback/")


@dataclass
class BuildResult:
    """What one build did: the merged period, the files written and what the office should see."""

    period: Period
    result: PeriodResult
    build_id: str
    outputs: list[Path]  # every file of the new set, in outputs/PERIOD/
    manifest: Path
    findings: list[Finding] = field(default_factory=list)  # the build's own, with the reports'
    kept_edits: list[Path] = field(default_factory=list)  # hand-edited copies kept with --force
    recovered: str = ""  # what was done about an earlier build that was stopped


def _checkpoint(step: str) -> None:
    """A named step of the build. Does nothing; tests stop a build here to prove atomicity."""


def build_period(
    config: Config,
    period: Period,
    *,
    strict: bool = False,
    force: bool = False,
    pdf: bool = False,
    console: Console | None = None,
) -> BuildResult:
    """Build PERIOD's tracker and reports into outputs/PERIOD/ and record it in history."""
    with holding_workspace(config):
        recovered = recover_interrupted_build(config, period)
        with _progress(console) as progress:
            built = _build(config, period, strict, force, pdf, progress)
        built.recovered = recovered
        return built


@contextmanager
def _progress(console: Console | None) -> Iterator[Progress | None]:
    if console is None or not console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description:<28}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        yield progress


_STEPS = (
    "Reading and checking returns",
    "Merging",
    "Preparing the reports",
    "Writing the tracker and reports",
    "Moving outputs into place",
)


def _build(
    config: Config, period: Period, strict: bool, force: bool, pdf: bool, progress: Progress | None
) -> BuildResult:
    from packbuilder.reports.chart_worker import chart_worker

    task = progress.add_task(_STEPS[0], total=len(_STEPS)) if progress else None

    def step(index: int) -> None:
        if progress is not None and task is not None:
            progress.update(task, completed=index, description=_STEPS[min(index, 4)])

    # Started first, so matplotlib is imported while the returns are read and checked.
    with chart_worker(config) as charts:
        return _build_with(config, period, strict, force, pdf, step, charts)


def _build_with(
    config: Config,
    period: Period,
    strict: bool,
    force: bool,
    pdf: bool,
    step: Any,
    charts: ChartWorker,
) -> BuildResult:
    from packbuilder.commands.check import check_with_plan, checked_plan
    from packbuilder.history import History
    from packbuilder.history_backup import back_up_history

    plan = checked_plan(config)
    check = check_with_plan(config, plan, period)
    if strict and check.errors:
        files = sorted({f.file for f in check.errors if f.file})
        raise StrictRefusal(
            f"--strict: {wording.count(len(check.errors), 'error')} in "
            f"{wording.count(len(files), 'return')}, so nothing was built",
            hint="Run 'packbuilder check "
            f"{period}' to list them, or build without --strict to carry those rows forward.",
        )
    step(1)
    back_up_history(config)
    with History.open(config, create=True) as history:
        result, snapshot, plan_sha = merge_and_rate(config, period, plan, check, history)
        staging = _staging_dir(config, period)
        try:
            findings = _write_outputs(config, result, history, staging, pdf, step, charts)
            if strict:
                _refuse_missing_words(findings)
            step(4)
            built = _commit_set(config, result, history, snapshot, plan_sha, staging, force)
        finally:
            # Kept while a journal remains: the files moved aside are in there.
            if not (config.outputs_dir(period) / JOURNAL).exists():
                shutil.rmtree(staging.parent, ignore_errors=True)
    built.findings = findings
    step(5)
    return built


def _kept_names(edited: list[str]) -> str:
    """Where --force would keep each edited output: tracker-2023-08.edited-1.xlsx."""
    return ", ".join(f"{Path(rel).stem}.edited-1{Path(rel).suffix}" for rel in edited)


def _refuse_missing_words(findings: list[Finding]) -> None:
    """--strict: no pack goes out while the office's own words are missing from it."""
    missing = [f for f in findings if f.code == "narrative-missing"]
    if missing:
        listed = "; ".join(f.message.split(" is not written yet")[0] for f in missing)
        raise StrictRefusal(
            f"--strict: {len(missing)} of the office's own words "
            f"{'is' if len(missing) == 1 else 'are'} missing from the reports, so nothing was "
            f"built: {listed}",
            hint=f"Write them in {missing[0].file} (docs/template-context.md shows how), or "
            "build without --strict to show the gaps in plain words.",
        )


def merge_and_rate(
    config: Config, period: Period, plan: Plan, check: Any, history: History
) -> tuple[PeriodResult, dict[str, Any], str]:
    """The merged period with KPIs, risks and exceptions, its plan snapshot and its hash."""
    from packbuilder.commands.kpis import check_kpis
    from packbuilder.exception_rules import period_exceptions
    from packbuilder.history import plan_drift, plan_snapshot, snapshot_sha256
    from packbuilder.kpis.read import KpiReading
    from packbuilder.kpis.risks import risk_statuses
    from packbuilder.kpis.status import kpi_statuses
    from packbuilder.merge import merge_period
    from packbuilder.overrides import read_overrides
    from packbuilder.periods import order_findings

    previous = history.latest_before(period)
    order = order_findings(config.first_period, history.recorded_periods(), period)
    last = history.recorded_actions(previous) if previous else {}
    overrides, override_findings = read_overrides(
        config.overrides_path(period), config.settings.returns.confidence
    )
    statuses, commentary, merge_findings = merge_period(plan, check, last, overrides, previous)
    reading = check.kpi_reading if isinstance(check.kpi_reading, KpiReading) else None
    kpis, kpi_findings = kpi_statuses(
        config,
        plan,
        period,
        reading or check_kpis(config, plan, period),
        previous,
        history.kpi_values(previous) if previous else {},
    )
    if reading is not None:
        kpi_findings = []  # already among the check's findings
    risks = risk_statuses(plan, history.risks(previous) if previous else None)
    snapshot = plan_snapshot(plan)
    plan_sha = snapshot_sha256(snapshot)
    drift = plan_drift(history, period, plan_sha)
    exceptions = period_exceptions(
        config.settings.exceptions,
        config.settings.returns.low_confidence,
        period,
        plan,
        statuses,
        check,
        kpis,
        risks,
        history.exception_subjects(),
    )
    result = PeriodResult(
        period=period,
        plan=plan,
        actions=statuses,
        area_commentary=commentary,
        check=check,
        exceptions=exceptions,
        previous_period=previous,
        kpis=kpis,
        risks=risks,
        findings=[
            *order,
            *override_findings,
            *merge_findings,
            *kpi_findings,
            *([drift] if drift else []),
        ],
    )
    return result, snapshot, plan_sha


# --------------------------------------------------------------------------- staging


def _staging_dir(config: Config, period: Period) -> Path:
    """outputs/.staging-PERIOD/PERIOD/: beside the target, on the same disk, emptied first."""
    outputs_root = config.path(config.settings.paths.outputs)
    root = outputs_root / f".staging-{period}"
    shutil.rmtree(root, ignore_errors=True)
    folder = root / str(period)
    folder.mkdir(parents=True)
    return folder


def _staged_config(config: Config, staging: Path) -> Config:
    """The same workspace with its outputs folder pointed at the staging folder's parent."""
    paths = dataclasses.replace(
        config.settings.paths, outputs=staging.parent.relative_to(config.root).as_posix()
    )
    return dataclasses.replace(config, settings=dataclasses.replace(config.settings, paths=paths))


def _write_outputs(
    config: Config,
    result: PeriodResult,
    history: History,
    staging: Path,
    pdf: bool,
    step: Any,
    charts: ChartWorker,
) -> list[Finding]:
    """Every output of the build, written into STAGING; the findings raised on the way."""
    from packbuilder.background import ForkedCall
    from packbuilder.checks.outputs import write_check_outputs
    from packbuilder.publish import site_input_for_build
    from packbuilder.reports.render import chart_data, prepare_reports
    from packbuilder.site import write_site

    write_check_outputs(_staged_config(config, staging), result.check)
    _checkpoint("check outputs written")
    step(2)
    reports = prepare_reports(config, result, history)
    charts.submit(chart_data(reports.assurance))
    result.findings.extend(reports.findings)
    step(3)
    # Two cores at work: a forked copy of this process writes the tracker and the reports
    # without charts while this one renders those with charts (once the chart worker has
    # drawn them).
    tracker_path = staging / f"tracker-{result.period}.xlsx"
    beside = ForkedCall(
        _write_tracker_and_plain_reports,
        tracker_path,
        config,
        result,
        tracker_history(history, result),
        reports,
        staging,
    )
    try:
        # The web pages, while the chart worker draws and the fork writes the tracker.
        write_site(staging, site_input_for_build(config, result, history))
        _checkpoint("site written")
        charted = reports.write_with_charts(charts.images, staging)
        tracker_findings, plain = beside.result()
    finally:
        beside.close()
    _checkpoint("tracker written")
    written = {**plain, **charted}
    paths = [written[index] for index in range(len(reports.jobs))]
    if pdf:
        from packbuilder.reports.pdf import convert_to_pdf

        convert_to_pdf(paths)
    _checkpoint("reports written")
    result.findings.extend(tracker_findings)
    return list(result.findings)


def _write_tracker_and_plain_reports(
    path: Path,
    config: Config,
    result: PeriodResult,
    history: Any,
    reports: PreparedReports,
    staging: Path,
) -> tuple[list[Finding], dict[int, Path]]:
    """The tracker at PATH and the reports that need no chart; the tracker's findings."""
    from packbuilder.tracker import write_tracker

    findings = write_tracker(path, config, result, history)
    return findings, reports.write_without_charts(staging)


def tracker_history(history: History, result: PeriodResult) -> Any:
    """Trends and KPI series up to and including RESULT's period, and plan changes."""
    from packbuilder.history import plan_changes
    from packbuilder.tracker import TrackerHistory, brag_counts

    period = result.period
    progress = {p: c for p, c in history.brag_counts("progress").items() if p < period}
    impact = {p: c for p, c in history.brag_counts("impact").items() if p < period}
    progress[period] = brag_counts(result.actions, "progress")
    impact[period] = brag_counts(result.actions, "impact")
    series: dict[str, dict[Period, float | None]] = {}
    for code, values in history.kpi_series().items():
        series[code] = {p: v.value for p, v in values.items() if p < period}
    for k in result.kpis:
        series.setdefault(k.kpi.code, {})[period] = k.value
    previous = result.previous_period
    snapshot = history.plan_snapshot(previous) if previous else None
    return TrackerHistory(
        progress_trend=progress,
        impact_trend=impact,
        kpi_series=series,
        plan_changes=plan_changes(snapshot[1] if snapshot else None, result.plan),
    )


# --------------------------------------------------------------------------- the set


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def input_files(config: Config, period: Period) -> list[Path]:
    """Every input a build of PERIOD reads, in a fixed order."""
    candidates = [
        config.root / "config.toml",
        config.plan_path,
        config.kpis_path(period),
        config.overrides_path(period),
        config.narrative_path(period),
    ]
    returns = config.returns_dir(period)
    if returns.is_dir():
        candidates += sorted(p for p in returns.rglob("*") if p.is_file())
    if config.templates_dir.is_dir():
        candidates += sorted(p for p in config.templates_dir.iterdir() if p.is_file())
    return [p for p in candidates if p.is_file()]


def read_manifest(folder: Path) -> dict[str, Any] | None:
    path = folder / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _protected(relative: str) -> bool:
    return not any(relative == c or relative.startswith(c) for c in CHECK_OUTPUTS)


def _commit_set(
    config: Config,
    result: PeriodResult,
    history: History,
    snapshot: dict[str, Any],
    plan_sha: str,
    staging: Path,
    force: bool,
) -> BuildResult:
    from packbuilder.history import BuildRecord

    period = result.period
    target = config.outputs_dir(period)
    target.mkdir(parents=True, exist_ok=True)
    new = {p.relative_to(staging).as_posix(): p for p in sorted(staging.rglob("*")) if p.is_file()}
    new_hashes = {rel: sha256_of(p) for rel, p in new.items()}
    old_manifest = read_manifest(target) or {}
    old_outputs = _manifest_outputs(old_manifest)
    for rel in [*new, MANIFEST]:
        _refuse_what_is_not_ours(config, target, rel)

    # What is in the way: edited by hand since the last build, or open in another program.
    edited = [
        rel
        for rel in sorted(set(new) | set(old_outputs))
        if rel in old_outputs
        and (target / rel).is_file()
        and _protected(rel)
        and sha256_of(target / rel) != old_outputs[rel]
    ]
    # Once the period has a build, a file at an output's path that no readable manifest
    # vouches for may be a hand edit (the manifest lost or damaged): it is kept beside, never
    # replaced unseen. One identical to the new version is not an edit.
    unvouched = (
        [
            rel
            for rel in sorted(new)
            if rel not in old_outputs
            and _protected(rel)
            and (target / rel).is_file()
            and sha256_of(target / rel) != new_hashes[rel]
        ]
        if history.latest_build(period) is not None
        else []
    )
    if edited and not force:
        raise EnvironmentProblem(
            f"{', '.join(edited)} in {_rel(config, target)} changed since the last build "
            "(edited by hand?), so nothing was replaced",
            hint="Move your edited copy elsewhere, or run again with --force: the edited copy "
            f"is then kept beside the new one as {_kept_names(edited)}.",
        )
    stale = sorted(rel for rel in old_outputs if rel not in new and (target / rel).is_file())
    for rel in [*new, *stale, MANIFEST]:
        _check_replaceable(target / rel, config)

    inputs = input_files(config, period)
    input_entries: list[dict[str, Any]] = [
        {"path": _rel(config, p), "sha256": sha256_of(p), "size": p.stat().st_size} for p in inputs
    ]
    build_id = uuid.uuid4().hex
    built_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    counts = {
        "actions": len(result.actions),
        "returns_counted": len(result.check.counted_officer_returns()),
        "returns_expected": len(result.check.expected_officers),
        "exceptions": len(result.exceptions),
        "errors": len(result.check.errors),
        "warnings": sum(1 for f in result.check.findings if f.severity is Severity.WARNING),
    }
    config_sha256 = hashlib.sha256(config.text.encode("utf-8")).hexdigest()
    manifest: dict[str, Any] = {
        "packbuilder": __version__,
        "period": str(period),
        "build_id": build_id,
        "built_at": built_at,
        "config_sha256": config_sha256,
        "plan_sha256": plan_sha,
        "inputs": input_entries,
        "outputs": [
            {"path": rel, "sha256": new_hashes[rel], "size": new[rel].stat().st_size}
            for rel in sorted(new)
        ],
        "counts": counts,
    }
    record = BuildRecord(
        build_id=build_id,
        period=period,
        built_at=built_at,
        version=__version__,
        config_sha256=config_sha256,
        plan_sha256=plan_sha,
        inputs={str(e["path"]): str(e["sha256"]) for e in input_entries},
        counts=counts,
    )

    aside_root = staging.parent / "previous"
    kept: list[Path] = []
    moves: list[dict[str, str]] = []  # {"from": target rel, "to": path aside, relative to root}
    for rel in [MANIFEST, *stale, *new]:
        existing = target / rel
        if not existing.exists():
            continue
        if rel in edited or rel in unvouched:
            aside = _edited_name(existing)
            kept.append(aside)
            moves.append({"from": _rel(config, existing), "to": _rel(config, aside)})
        else:
            moves.append({"from": _rel(config, existing), "to": _rel(config, aside_root / rel)})
    manifest["kept_edits"] = [
        {"path": aside.relative_to(target).as_posix(), "sha256": sha256_of(aside_source)}
        for aside, aside_source in ((k, target / _original(k)) for k in kept)
    ]
    journal = {
        "build_id": build_id,
        "new": {rel: new_hashes[rel] for rel in sorted(new)},
        "target": _rel(config, target),
        "aside": moves,
    }
    try:
        _write_json(target / JOURNAL, journal)
        _checkpoint("journal written")
        history.begin()
        history.record(result, record, snapshot)
        _checkpoint("history recorded")
        for move in moves:
            source, destination = config.root / move["from"], config.root / move["to"]
            destination.parent.mkdir(parents=True, exist_ok=True)
            _replace(source, destination, config)
            _checkpoint(f"moved aside {move['from']}")
        for rel, staged in new.items():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            _replace(staged, target / rel, config)
            _checkpoint(f"moved in {rel}")
        _write_json(target / MANIFEST, manifest)
        _checkpoint("manifest written")
        history.commit()
    except BaseException:
        history.rollback()
        _abandon(config, journal)
        raise
    _checkpoint("history committed")
    (target / JOURNAL).unlink(missing_ok=True)
    return BuildResult(
        period=period,
        result=result,
        build_id=build_id,
        outputs=[target / rel for rel in sorted(new)],
        manifest=target / MANIFEST,
        kept_edits=kept,
    )


def _manifest_outputs(manifest: dict[str, Any]) -> dict[str, str]:
    """The outputs a manifest vouches for (path -> sha256); entries of the wrong shape skipped."""
    outputs = manifest.get("outputs")
    if not isinstance(outputs, list):
        return {}
    return {
        o["path"]: o["sha256"]
        for o in outputs
        if isinstance(o, dict) and all(isinstance(o.get(k), str) for k in ("path", "sha256"))
    }


def _refuse_what_is_not_ours(config: Config, target: Path, rel: str) -> None:
    """Refuse, before anything moves, a folder, a link or another non-file at an output's path
    or a file where one of its folders goes: moving it aside would lose what is in it."""
    path = target / rel
    for folder in reversed(path.relative_to(target).parents[:-1]):
        if (target / folder).is_symlink() or (
            (target / folder).exists() and not (target / folder).is_dir()
        ):
            path = target / folder
            break
    else:
        if not path.is_symlink() and (not path.exists() or path.is_file()):
            return
    raise EnvironmentProblem(
        f"{_rel(config, path)} is not a file packbuilder wrote (a folder, a link or a file where "
        "a folder goes), so nothing was replaced",
        hint=f"Move {path.name} out of {_rel(config, target)} (it may hold your own files) and "
        "run the build again.",
    )


def _check_replaceable(path: Path, config: Config) -> None:
    """Refuse early, before anything moves, when an output is open in another program."""
    if not path.is_file():
        return
    try:
        with path.open("r+b"):
            pass
    except PermissionError:
        raise _locked(path, config) from None


def _replace(source: Path, destination: Path, config: Config) -> None:
    try:
        replace_file(source, destination)
    except PermissionError:
        raise _locked(destination if destination.exists() else source, config) from None


def _locked(path: Path, config: Config) -> EnvironmentProblem:
    return EnvironmentProblem(
        f"{_rel(config, path)} is open in another program, so it could not be replaced; "
        "the previous outputs were kept",
        hint=f"Close {path.name} (in Excel or Word, say) and run the build again.",
    )


def _edited_name(path: Path) -> Path:
    """Where a hand-edited output is kept: NAME.edited-N.EXT beside it, N the first free."""
    number = 1
    while path.with_name(f"{path.stem}.edited-{number}{path.suffix}").exists():
        number += 1
    return path.with_name(f"{path.stem}.edited-{number}{path.suffix}")


def _original(kept: Path) -> str:
    """tracker.edited-2.xlsx -> tracker.xlsx: the output a kept copy was edited from."""
    stem, _, _ = kept.stem.rpartition(".edited-")
    return f"{stem}{kept.suffix}"


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """PATH written whole or not at all, and on the disk (file and folder) before it returns,
    so a power cut never leaves a half-written journal or manifest."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("w", encoding="utf-8") as stream:
            stream.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
            stream.flush()
            os.fsync(stream.fileno())
        replace_file(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    """The rename itself on the disk. Windows cannot open a folder to flush it (NTFS journals
    renames itself), so there it is skipped."""
    if os.name == "nt":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _rel(config: Config, path: Path) -> str:
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- recovery


def _undo(config: Config, journal: dict[str, Any]) -> None:
    """Put the previous set back, from whatever point the build reached.

    Works from the disk alone: a file moved aside is moved back over whatever is in its
    place; a new file with no earlier version is removed if it is the one this build wrote.
    """
    root = config.root
    target = root / journal["target"]
    manifest = read_manifest(target)
    if manifest is not None and manifest.get("build_id") == journal["build_id"]:
        (target / MANIFEST).unlink()
    replaced = set()
    for move in reversed(journal["aside"]):
        aside, original = root / move["to"], root / move["from"]
        replaced.add(original)
        if aside.exists():
            try:
                replace_file(aside, original)
            except PermissionError:
                raise _locked(original, config) from None
    for rel, digest in journal["new"].items():
        placed = target / rel
        if placed not in replaced and placed.is_file() and sha256_of(placed) == digest:
            placed.unlink()


def _abandon(config: Config, journal: dict[str, Any]) -> None:
    """A build that failed in this process: undo its moves and drop its journal."""
    _undo(config, journal)
    (config.root / journal["target"] / JOURNAL).unlink(missing_ok=True)


def remove_partial_files(folder: Path) -> list[Path]:
    """Remove what a stopped command left half-written under FOLDER: every output is written
    under a partial name (``.NAME.partial``, ``.NAME.partial.xlsx``, ``.NAME.PID.tmp``) and
    moved into place whole, so a file still so named was never finished."""
    if not folder.is_dir():
        return []
    removed = []
    for path in folder.rglob(".*"):
        name = path.name
        if path.is_file() and (".partial" in name or _TEMPORARY.match(name)):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


_TEMPORARY = re.compile(r"^\..+\.\d+\.tmp$")


def recover_interrupted_build(config: Config, period: Period) -> str:
    """Finish or undo a build of PERIOD that was stopped while moving its outputs.

    A journal that cannot be read is moved aside (``.build-journal.unreadable-N.json``) with a
    warning: written durably before anything moves, it can only be damaged if nothing moved,
    so the outputs on disk are the previous set. The partial files a stopped build leaves are
    removed.
    """
    from packbuilder.history import History

    target = config.outputs_dir(period)
    path = target / JOURNAL
    leftovers = remove_partial_files(target)
    if not path.is_file():
        return "Files left half-written by a stopped build were removed." if leftovers else ""
    journal = _read_journal(path)
    if journal is None:
        aside = _unreadable_name(path)
        os.replace(path, aside)
        shutil.rmtree(config.path(config.settings.paths.outputs) / f".staging-{period}", True)
        return (
            f"Warning: {_rel(config, path)} could not be read, so it was moved aside to "
            f"{aside.name}; the outputs on disk were kept as they were."
        )
    with History.open(config) as history:
        completed = history.has_build(journal["build_id"])
    if completed:
        message = "An earlier build of this period was stopped after it finished; tidied up."
    else:
        _undo(config, journal)
        message = "An earlier build of this period was stopped part way; its changes were undone."
    path.unlink()
    shutil.rmtree(config.path(config.settings.paths.outputs) / f".staging-{period}", True)
    return message


def recover_interrupted_builds(config: Config) -> list[str]:
    """Finish or undo every stopped build in the workspace: what each recovery did, in words."""
    outputs = config.path(config.settings.paths.outputs)
    messages = []
    for journal in sorted(outputs.glob(f"*/{JOURNAL}")):
        try:
            period = Period.parse(journal.parent.name)
        except ValueError:
            continue
        message = recover_interrupted_build(config, period)
        if message:
            messages.append(f"{period}: {message}")
    return messages


def _read_journal(path: Path) -> dict[str, Any] | None:
    """The journal, or None when it is not one this build wrote (garbage, empty, cut short)."""
    try:
        journal = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(journal, dict):
        return None
    shape = {"build_id": str, "new": dict, "target": str, "aside": list}
    if any(not isinstance(journal.get(key), kind) for key, kind in shape.items()):
        return None
    if any(
        not isinstance(move, dict) or not {"from", "to"} <= set(move) for move in journal["aside"]
    ):
        return None
    return journal


def _unreadable_name(path: Path) -> Path:
    number = 1
    while path.with_name(f".build-journal.unreadable-{number}.json").exists():
        number += 1
    return path.with_name(f".build-journal.unreadable-{number}.json")
