"""What ``packbuilder plan check`` prints: the plan's counts and the loader's findings.

Console printing beside the CLI: the figures come from ``packbuilder.plan.summary.plan_counts``;
this module only lays them out with rich.
"""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table

from packbuilder.model import Severity
from packbuilder.plan.loader import PlanLoad
from packbuilder.plan.summary import RatingCounts, plan_counts


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _rating_table(title: str) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False)
    table.add_column("Area", justify="right", no_wrap=True)
    table.add_column("Title", max_width=26, overflow="ellipsis", no_wrap=True)
    for header in (
        "Sub-\nthemes",
        "Actions",
        "Progress\nB/G/A/R",
        "Impact\nB/G/A/R/NYR",
        "No\ndate",
    ):
        table.add_column(header, justify="right", no_wrap=True)
    return table


def _brag(counts: RatingCounts, with_not_yet_rated: bool) -> str:
    values = counts.as_tuple() if with_not_yet_rated else counts.as_tuple()[:4]
    return "/".join(str(v) for v in values)


def print_plan_summary(loaded: PlanLoad, console: Console) -> None:
    """Print the plan's counts, its actions per area and officer, and every finding."""
    plan = loaded.plan
    counts = plan_counts(plan)
    source = plan.source.name if plan.source else "the plan register"
    console.print(
        f"[bold]{source}[/]: {_plural(counts.areas, 'area')} of weakness, "
        f"{_plural(counts.sub_themes, 'sub-theme')}, {_plural(counts.actions, 'action')}, "
        f"{_plural(counts.officers, 'officer')} ({counts.reporting_officers} reporting), "
        f"{_plural(counts.kpis, 'KPI')} ({counts.high_impact_kpis} high impact), "
        f"{_plural(counts.risks, 'risk')}."
    )

    table = _rating_table("Actions per area of weakness (baseline ratings)")
    for area in counts.per_area:
        table.add_row(
            str(area.number),
            area.title,
            str(area.sub_themes),
            str(area.actions),
            _brag(area.progress, with_not_yet_rated=False),
            _brag(area.impact, with_not_yet_rated=True),
            str(area.no_date),
        )
    table.add_row(
        "All",
        "",
        str(counts.sub_themes),
        str(counts.actions),
        _brag(counts.progress, with_not_yet_rated=False),
        _brag(counts.impact, with_not_yet_rated=True),
        str(counts.no_date),
        style="bold",
    )
    console.print(table)

    if counts.per_sub_theme:
        console.print(
            "Actions per sub-theme: "
            + ", ".join(f"{s.code} {s.actions}" for s in counts.per_sub_theme)
        )

    officers = Table(
        title="Actions per reporting officer",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
    )
    officers.add_column("Officer ID", max_width=36, overflow="ellipsis", no_wrap=True)
    officers.add_column("Name or role", max_width=30, overflow="ellipsis", no_wrap=True)
    officers.add_column("Reports", justify="right", no_wrap=True)
    officers.add_column("For info", justify="right", no_wrap=True)
    for officer in counts.per_officer:
        officers.add_row(
            officer.officer_id,
            officer.name,
            str(officer.reporting),
            str(officer.for_information),
        )
    console.print(officers)

    if loaded.findings:
        findings = Table(title="Findings", title_justify="left", show_lines=True)
        findings.add_column("Code", no_wrap=True)
        findings.add_column("Severity", no_wrap=True)
        findings.add_column("Where", overflow="fold")
        findings.add_column("Message", ratio=1, overflow="fold")
        order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
        for finding in sorted(loaded.findings, key=lambda f: order[f.severity]):
            findings.add_row(finding.code, finding.severity.value, finding.where, finding.message)
        console.print(findings)

    errors, warnings = len(loaded.errors), len(loaded.warnings)
    if errors:
        console.print(f"[bold red]{_plural(errors, 'error')}, {_plural(warnings, 'warning')}[/]")
    elif warnings:
        console.print(f"No errors, {_plural(warnings, 'warning')}.")
    else:
        console.print("No errors.")
