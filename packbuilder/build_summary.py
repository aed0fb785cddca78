"""What ``packbuilder build`` prints: the month in a few lines, the files, and what to look at."""

from __future__ import annotations

from typing import TYPE_CHECKING

from packbuilder import wording
from packbuilder.model import Finding, ReturnStatus, Severity
from packbuilder.periods import listed, skipped_months

if TYPE_CHECKING:
    from rich.console import Console

    from packbuilder.build import BuildResult
    from packbuilder.config import Config

SHOWN_FINDINGS = 12


def print_build_summary(built: BuildResult, config: Config, console: Console) -> None:
    """A short account of the build: counts, carried-forward values, files, build findings."""
    result = built.result
    check = result.check
    period = result.period
    if built.recovered:
        console.print(built.recovered)
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
    from packbuilder.check_outputs.summary import not_counted_line

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
    from packbuilder.check_outputs.summary import chase_lines

    chase = chase_lines(check, result.plan)
    if chase:
        console.print("  Still to chase (feedback/chase-list.csv):")
        for line in chase:
            console.print(f"    {line}")
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
    own = [f for f in built.findings if f.severity is not Severity.INFO]
    if own:
        console.print(f"For the office ({len(own)}, every one in the tracker's Validation sheet):")
        by_code: dict[str, list[Finding]] = {}
        for finding in own:
            by_code.setdefault(finding.code, []).append(finding)
        for findings in list(by_code.values())[:SHOWN_FINDINGS]:
            first = findings[0]
            if first.code == "narrative-missing":
                # Each piece of the office's own words still to write, one line each.
                for finding in findings:
                    console.print(f"  {finding.severity.value}: {finding.message}", markup=False)
                continue
            where = f" ({first.where})" if first.where else ""
            more = f" [and {len(findings) - 1} more like it]" if len(findings) > 1 else ""
            console.print(f"  {first.severity.value}: {first.message}{where}{more}", markup=False)
        if len(by_code) > SHOWN_FINDINGS:
            console.print(f"  … and {len(by_code) - SHOWN_FINDINGS} more kinds of finding.")
