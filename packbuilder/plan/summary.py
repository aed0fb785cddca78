"""The plan's counts that ``packbuilder plan check`` prints: actions per area, sub-theme,
officer and rating.

The counting is a pure function of the ``Plan`` (``plan_counts``), so tests and later stages can
use the figures without reading the console; ``packbuilder.console.plan`` only lays them out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from packbuilder.model import Action, Plan, Rating

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
