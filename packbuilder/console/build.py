"""What ``packbuilder build`` shows: its progress on a terminal, then the month in a few lines,
the files, and what to look at.

Console printing beside the CLI: ``build_progress`` turns the steps ``build_period`` reports
into a progress bar, and ``print_build_summary`` only prints the ``BuildResult`` it returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from packbuilder import wording
from packbuilder.check_outputs.summary import chase_lines, not_counted_line
from packbuilder.model import Finding, PeriodResult, ReturnStatus, Severity
from packbuilder.periods import listed, skipped_months

if TYPE_CHECKING:
    from rich.console import Console

    from packbuilder.commands.build import BuildResult
    from packbuilder.config import Config

SHOWN_FINDINGS = 12

BUILD_STEPS = (
    "Reading and checking returns",
    "Merging",
    "Preparing the reports",
    "Writing the tracker and reports",
    "Moving outputs into place",
)


@contextmanager
def build_progress(console: Console) -> Iterator[Callable[[int], None] | None]:
    """A transient progress bar for the build's steps on a terminal; None elsewhere."""
    if not console.is_terminal:
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
        task: list[Any] = []  # added at the build's first step, as the bar appears

        def step(index: int) -> None:
            if not task:
                task.append(progress.add_task(BUILD_STEPS[0], total=len(BUILD_STEPS)))
            progress.update(task[0], completed=index, description=BUILD_STEPS[min(index, 4)])

        yield step


def print_build_summary(built: BuildResult, config: Config, console: Console) -> None:
    """A short account of the build: counts, carried-forward values, files, build findings."""
    if built.recovered:
        console.print(built.recovered)
    _print_month(built.result, config, console)
    _print_files(built, config, console)
    _print_findings(built.findings, console)


def _print_month(result: PeriodResult, config: Config, console: Console) -> None:
    """The period in a few lines: returns, actions, overdue, exceptions, who to chase."""
    check = result.check
    period = result.period
    compared = (
        f"compared with {result.previous_period.label}"
        if result.previous_period
        else "first report"
    )
    skipped = skipped_months(config.first_period, result.previous_period, period)
    if skipped:
        compared += f"; not built: {listed(skipped)}"
    console.print(f"[bold]Built {period.label}[/] ({compared}).")
    counted = len(check.counted_officer_returns())
    expected = len(check.expected_officers)
    statuses = [s.return_status for s in result.actions]
    updated = statuses.count(ReturnStatus.UPDATED)
    cells_carried = statuses.count(ReturnStatus.CELLS_CARRIED)
    errors = len(check.errors)
    console.print(
        f"  Returns: {counted} of {expected} counted; "
        f"{len(check.missing_officers())} missing; "
        f"{errors} {'error' if errors == 1 else 'errors'} in returns."
    )
    uncounted = not_counted_line(check)
    if uncounted:
        console.print(f"  {uncounted}")
    console.print(
        f"  Actions: {len(result.actions)}; updated {updated + cells_carried}"
        + (f" ({cells_carried} with cells carried forward: errors)" if cells_carried else "")
        + f", carried forward (no return) {statuses.count(ReturnStatus.NO_RETURN)}, "
        f"carried forward (errors) {statuses.count(ReturnStatus.ERRORS)}, "
        f"plan baseline {statuses.count(ReturnStatus.FIRST_REPORT)}."
    )
    overdue = sum(1 for s in result.actions if s.is_overdue(period))
    overridden = sum(len(s.overrides) for s in result.actions)
    console.print(f"  Overdue: {overdue}; overrides applied: {overridden}.")
    # Items, as the reports count them; the tracker's Exceptions sheet has a row per rule met.
    items, met = result.items_in_exception(), len(result.exceptions)
    console.print(
        f"  In exception: {items} {'item' if items == 1 else 'items'}; "
        f"{met} {'rule' if met == 1 else 'rules'} met (a row each in the tracker's Exceptions)."
    )
    chase = chase_lines(check, result.plan)
    if chase:
        console.print("  Still to chase (feedback/chase-list.csv):")
        for line in chase:
            console.print(f"    {line}")


def _print_files(built: BuildResult, config: Config, console: Console) -> None:
    """The files written, feedback counted in one line, and any hand-edited copy kept."""
    console.print(f"Written to {built.manifest.parent.relative_to(config.root)}/:")
    for path in built.outputs:
        relative = path.relative_to(built.manifest.parent)
        if relative.parts[0] != "feedback":
            console.print(f"  {relative.as_posix()}")
    feedback = [
        p for p in built.outputs if p.relative_to(built.manifest.parent).parts[0] == "feedback"
    ]
    if feedback:
        console.print(f"  feedback/ ({wording.count(len(feedback), 'file')})")
    console.print(f"  {built.manifest.name}")
    for kept in built.kept_edits:
        console.print(f"Your edited copy was kept as {kept.relative_to(config.root)}")


def _print_findings(findings: list[Finding], console: Console) -> None:
    """The build's own findings for the office, one line per code (narrative gaps each)."""
    own = [f for f in findings if f.severity is not Severity.INFO]
    if not own:
        return
    console.print(f"For the office ({len(own)}, every one in the tracker's Validation sheet):")
    by_code: dict[str, list[Finding]] = {}
    for finding in own:
        by_code.setdefault(finding.code, []).append(finding)
    for same in list(by_code.values())[:SHOWN_FINDINGS]:
        first = same[0]
        if first.code == "narrative-missing":
            # Each piece of the office's own words still to write, one line each.
            for finding in same:
                console.print(f"  {finding.severity.value}: {finding.message}", markup=False)
            continue
        where = f" ({first.where})" if first.where else ""
        more = f" [and {len(same) - 1} more like it]" if len(same) > 1 else ""
        console.print(f"  {first.severity.value}: {first.message}{where}{more}", markup=False)
    if len(by_code) > SHOWN_FINDINGS:
        console.print(f"  … and {len(by_code) - SHOWN_FINDINGS} more kinds of finding.")
