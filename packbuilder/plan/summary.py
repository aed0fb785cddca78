"""What ``packbuilder plan check`` prints: the plan's counts and the loader's findings.

The counting is a pure function of the ``Plan`` (``plan_counts``), so tests and later stages can
use the figures without reading the console; ``print_plan_summary`` only lays them out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rich import box
from rich.console import Console
from rich.table import Table

from packbuilder.model import Action, Plan, Rating, Severity
from packbuilder.plan.loader import PlanLoad

"""The order ratings are counted in: Blue, Green, Amber, Red, Not yet rated."""


@dataclass(frozen=True)
class RatingCounts:
    """Actions per rating; an action with no rating counts as Not yet rated."""

    blue: int = 0
    green: int = 0
    amber: int = 0
    red: int = 0
    not_yet_rated: int = 0

    @classmethod
    def of(cls, ratings: list[Rating | None]) -> RatingCounts:
        counted = Counter(r or Rating.NOT_YET_RATED for r in ratings)
        return cls(
            blue=counted[Rating.BLUE],
            green=counted[Rating.GREEN],
            amber=counted[Rating.AMBER],
            red=counted[Rating.RED],
            not_yet_rated=counted[Rating.NOT_YET_RATED],
        )

    def as_tuple(self) -> tuple[int, int, int, int, int]:
        return (self.blue, self.green, self.amber, self.red, self.not_yet_rated)


@dataclass(frozen=True)
class AreaCount:
    number: int
    title: str
    sub_themes: int
    actions: int
    progress: RatingCounts
    impact: RatingCounts
    no_date: int  # actions whose end date is open ("Ongoing", "To be confirmed")


@dataclass(frozen=True)
class SubThemeCount:
    code: str
    area: int
    title: str
    actions: int


@dataclass(frozen=True)
class OfficerCount:
    officer_id: str
    name: str
    reporting: int  # actions the officer reports
    for_information: int  # actions another officer reports that list this officer


@dataclass(frozen=True)
class PlanCounts:
    areas: int
    sub_themes: int
    actions: int
    officers: int
    reporting_officers: int
    kpis: int
    high_impact_kpis: int
    risks: int
    per_area: tuple[AreaCount, ...]
    per_sub_theme: tuple[SubThemeCount, ...]
    per_officer: tuple[OfficerCount, ...]  # reporting officers, most actions first
    progress: RatingCounts
    impact: RatingCounts
    no_date: int


def _area_count(number: int, title: str, sub_themes: int, actions: list[Action]) -> AreaCount:
    return AreaCount(
        number=number,
        title=title,
        sub_themes=sub_themes,
        actions=len(actions),
        progress=RatingCounts.of([a.baseline_progress for a in actions]),
        impact=RatingCounts.of([a.baseline_impact for a in actions]),
        no_date=sum(1 for a in actions if a.end_date.date is None),
    )


def plan_counts(plan: Plan) -> PlanCounts:
    """Count the plan: per area, per sub-theme, per reporting officer and per rating."""
    sub_themes_per_area = Counter(s.area for s in plan.sub_themes)
    actions_per_sub_theme = Counter(a.sub_theme for a in plan.actions)
    reporting = Counter(a.reporting_officer for a in plan.actions)
    informed = Counter(o for a in plan.actions for o in a.other_officers)
    names = {o.id: o.name for o in plan.officers}
    per_officer = sorted(
        (
            OfficerCount(officer_id, names.get(officer_id, officer_id), count, informed[officer_id])
            for officer_id, count in reporting.items()
        ),
        key=lambda c: (-c.reporting, c.name.lower()),
    )
    return PlanCounts(
        areas=len(plan.areas),
        sub_themes=len(plan.sub_themes),
        actions=len(plan.actions),
        officers=len(plan.officers),
        reporting_officers=len(reporting),
        kpis=len(plan.kpis),
        high_impact_kpis=sum(1 for k in plan.kpis if k.high_impact),
        risks=len(plan.risks),
        per_area=tuple(
            _area_count(
                area.number,
                area.title,
                sub_themes_per_area[area.number],
                plan.actions_in_area(area.number),
            )
            for area in plan.areas
        ),
        per_sub_theme=tuple(
            SubThemeCount(s.code, s.area, s.title, actions_per_sub_theme[s.code])
            for s in plan.sub_themes
        ),
        per_officer=tuple(per_officer),
        progress=RatingCounts.of([a.baseline_progress for a in plan.actions]),
        impact=RatingCounts.of([a.baseline_impact for a in plan.actions]),
        no_date=sum(1 for a in plan.actions if a.end_date.date is None),
    )


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
