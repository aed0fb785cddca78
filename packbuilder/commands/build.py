"""``packbuilder build PERIOD``: check, merge, record history, write the outputs as one set.

The last stage of the monthly cycle, and its orchestration only. It runs the check, merges the
counted returns with what history recorded, rates KPIs and risks, applies the exception rules,
and writes every output into a staging folder beside outputs/PERIOD/. Then
``packbuilder.output_set`` moves them into place as one set, with a journal, history's
transaction as the set's ledger, and manifest.json written last, so that outputs/PERIOD/ holds
the previous set or the new one and history always agrees with manifest.json; a build stopped
at any moment is undone or completed by the next one (``recover_interrupted_build``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packbuilder import __version__, output_set, wording
from packbuilder.check_outputs.outputs import write_check_outputs
from packbuilder.commands.backups import back_up_history
from packbuilder.commands.check import check_with_plan
from packbuilder.commands.kpis import check_kpis
from packbuilder.commands.plan import checked_plan
from packbuilder.commands.publish import site_input_for_build
from packbuilder.commands.recovery import recover_interrupted_build
from packbuilder.config import Config
from packbuilder.errors import StrictRefusal
from packbuilder.exception_rules import period_exceptions
from packbuilder.history import (
    BuildRecord,
    History,
    plan_changes,
    plan_drift,
    plan_snapshot,
    snapshot_sha256,
)
from packbuilder.kpis.read import KpiReading
from packbuilder.kpis.risks import risk_statuses
from packbuilder.kpis.status import kpi_statuses
from packbuilder.lock import holding_workspace
from packbuilder.merge import merge_period
from packbuilder.model import Finding, Period, PeriodResult, Plan, Severity
from packbuilder.overrides import read_overrides
from packbuilder.periods import order_findings
from packbuilder.processes import BackgroundCall
from packbuilder.reports.chart_worker import ChartWorker, chart_worker
from packbuilder.reports.pdf import convert_to_pdf
from packbuilder.reports.render import PreparedReports, chart_data, prepare_reports
from packbuilder.site import write_site
from packbuilder.tracker import TrackerHistory, brag_counts, write_tracker


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


def build_period(
    config: Config,
    period: Period,
    *,
    strict: bool = False,
    force: bool = False,
    pdf: bool = False,
    step: Callable[[int], None] | None = None,
) -> BuildResult:
    """Build PERIOD's tracker and reports into outputs/PERIOD/ and record it in history.

    STEP, when given, is told each step as it starts (0 to 5: checking, merging, preparing the
    reports, writing them, moving them into place, done), for a progress display.
    """
    with holding_workspace(config):
        recovered = recover_interrupted_build(config, period)
        built = _build(config, period, strict, force, pdf, step or _no_step)
        built.recovered = recovered
        return built


def _no_step(index: int) -> None:
    """No progress display."""


def _build(
    config: Config,
    period: Period,
    strict: bool,
    force: bool,
    pdf: bool,
    step: Callable[[int], None],
) -> BuildResult:

    step(0)
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
        staging = output_set.staging_dir(config, period)
        try:
            findings = _write_outputs(config, result, history, staging, pdf, step, charts)
            if strict:
                _refuse_missing_words(findings)
            step(4)
            built = _commit_set(config, result, history, snapshot, plan_sha, staging, force)
        finally:
            output_set.clear_staging(config, period, staging)
    built.findings = findings
    step(5)
    return built


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


# --------------------------------------------------------------------------- outputs


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

    write_check_outputs(output_set.staged_config(config, staging), result.plan, result.check)
    output_set.checkpoint("check outputs written")
    step(2)
    reports = prepare_reports(config, result, history)
    charts.submit(chart_data(reports.assurance))
    result.findings.extend(reports.findings)
    step(3)
    # Two cores at work: a forked copy of this process writes the tracker and the reports
    # without charts while this one renders those with charts (once the chart worker has
    # drawn them).
    tracker_path = staging / f"tracker-{result.period}.xlsx"
    beside = BackgroundCall(
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
        output_set.checkpoint("site written")
        charted = reports.write_with_charts(charts.images, staging)
        tracker_findings, plain = beside.result()
    finally:
        beside.close()
    output_set.checkpoint("tracker written")
    written = {**plain, **charted}
    paths = [written[index] for index in range(len(reports.jobs))]
    if pdf:
        convert_to_pdf(paths)
    output_set.checkpoint("reports written")
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

    findings = write_tracker(path, config, result, history)
    return findings, reports.write_without_charts(staging)


def tracker_history(history: History, result: PeriodResult) -> Any:
    """Trends and KPI series up to and including RESULT's period, and plan changes."""

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


@dataclass(frozen=True)
class _HistoryLedger:
    """History as the ledger of a build's output set: the period's rows and the build record,
    replaced in one transaction that commits only once the set is in place."""

    history: History
    result: PeriodResult
    snapshot: dict[str, Any]
    plan_sha: str

    def begin(self) -> None:
        self.history.begin()

    def record(self, entry: output_set.SetEntry) -> None:
        record = BuildRecord(
            build_id=entry.build_id,
            period=self.result.period,
            built_at=entry.built_at,
            version=__version__,
            config_sha256=entry.config_sha256,
            plan_sha256=self.plan_sha,
            inputs=entry.inputs,
            counts=_counts(self.result),
        )
        self.history.record(self.result, record, self.snapshot)

    def commit(self) -> None:
        self.history.commit()

    def rollback(self) -> None:
        self.history.rollback()


def _counts(result: PeriodResult) -> dict[str, int]:
    """The period in numbers, for manifest.json and history's build record."""
    return {
        "actions": len(result.actions),
        "returns_counted": len(result.check.counted_officer_returns()),
        "returns_expected": len(result.check.expected_officers),
        "exceptions": len(result.exceptions),
        "errors": len(result.check.errors),
        "warnings": sum(1 for f in result.check.findings if f.severity is Severity.WARNING),
    }


def _commit_set(
    config: Config,
    result: PeriodResult,
    history: History,
    snapshot: dict[str, Any],
    plan_sha: str,
    staging: Path,
    force: bool,
) -> BuildResult:
    """The staged outputs moved into place as one set, recorded in history."""
    period = result.period
    committed = output_set.commit_set(
        config,
        period,
        staging,
        _HistoryLedger(history, result, snapshot, plan_sha),
        force=force,
        built_before=history.latest_build(period) is not None,
        plan_sha256=plan_sha,
        counts=_counts(result),
    )
    return BuildResult(
        period=period,
        result=result,
        build_id=committed.build_id,
        outputs=committed.outputs,
        manifest=committed.manifest,
        kept_edits=committed.kept_edits,
    )
