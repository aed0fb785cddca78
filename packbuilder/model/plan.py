"""The plan register: areas, sub-themes, actions with their officers, KPIs and risks.

Part of the domain model (packbuilder.model, which re-exports every public name).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from pathlib import Path

from packbuilder.model.ratings import Rating

RISK_SEVERITIES = ("High", "Medium", "Low")
"""A risk's severity in the risk register, worst first."""


class EndDateKind(enum.Enum):
    DATE = "date"  # a full date: 31 July 2023
    MONTH = "month"  # a month and year, taken as that month's end: "March 2023 pilot"
    OPEN = "open"  # text with no date: "Ongoing", "To be confirmed …"


@dataclass(frozen=True)
class EndDate:
    """An end date as the plan writes it, with the date it means where it means one."""

    text: str
    date: dt.date | None
    kind: EndDateKind

    @property
    def display(self) -> str:
        return self.date.strftime("%d %b %Y") if self.date else "no date"


@dataclass(frozen=True)
class Area:
    """An area of weakness, 1 to 9 in the example."""

    number: int
    title: str
    lead: str  # the lead's officer ID, or a role such as "Area 3 lead" until named


@dataclass(frozen=True)
class SubTheme:
    code: str  # "1a"
    area: int
    title: str


@dataclass(frozen=True)
class Officer:
    id: str  # a stable slug
    name: str  # a name, or the role where the office has not named a person
    organisation: str = ""
    email: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Action:
    id: str  # "1A1"
    sub_theme: str  # "1a"
    area: int
    text: str
    end_date: EndDate
    reporting_officer: str  # officer ID of the first named officer
    other_officers: tuple[str, ...] = ()  # officer IDs who see it for information
    officer_text: str = ""  # the responsible-officer cell as written
    kpi_codes: tuple[str, ...] = ()
    other_measures: str = ""  # the KPI cell's text that is not a code
    planned_evidence: str = ""
    baseline_progress: Rating | None = None
    baseline_progress_text: str = ""
    baseline_impact: Rating | None = None
    baseline_impact_text: str = ""

    @property
    def officers(self) -> tuple[str, ...]:
        return (self.reporting_officer, *self.other_officers)


class Polarity(enum.Enum):
    HIGHER = "higher"  # higher is better
    LOWER = "lower"  # lower is better


@dataclass(frozen=True)
class KpiTarget:
    date: dt.date
    value: float | None  # None where the plan says TBC
    text: str  # as written


@dataclass(frozen=True)
class Kpi:
    code: str
    description: str
    areas: tuple[int, ...] = ()
    unit: str = ""  # "%", "number", "score", …
    polarity: Polarity = Polarity.HIGHER
    frequency: str = "monthly"  # monthly | termly | annual
    baseline: float | None = None
    baseline_text: str = ""
    baseline_date: dt.date | None = None
    standard: float | None = None
    targets: tuple[KpiTarget, ...] = ()
    high_impact: bool = False


@dataclass(frozen=True)
class Risk:
    id: str  # "R01", given by the extraction
    date_text: str
    risk: str
    severity: str  # "High" | "Medium" | "Low" as written
    mitigations: str = ""
    severity_after: str = ""
    progress: str = ""
    status: str = ""
    owner: str = ""
    likelihood: int | None = None  # 1..5, optional
    impact: int | None = None  # 1..5, optional


@dataclass(frozen=True)
class Plan:
    """The plan register: everything the office maintains in inputs/plan.xlsx."""

    areas: tuple[Area, ...]
    sub_themes: tuple[SubTheme, ...]
    actions: tuple[Action, ...]
    officers: tuple[Officer, ...]
    kpis: tuple[Kpi, ...] = ()
    risks: tuple[Risk, ...] = ()
    source: Path | None = None

    def officer(self, officer_id: str) -> Officer:
        return {o.id: o for o in self.officers}[officer_id]

    def officer_by_id(self) -> dict[str, Officer]:
        return {o.id: o for o in self.officers}

    def action_by_id(self) -> dict[str, Action]:
        return {a.id: a for a in self.actions}

    def area(self, number: int) -> Area:
        return {a.number: a for a in self.areas}[number]

    def reporting_officers(self) -> list[Officer]:
        """Officers who report at least one action, in plan order of first action."""
        seen: dict[str, None] = {}
        for action in self.actions:
            seen.setdefault(action.reporting_officer, None)
        by_id = self.officer_by_id()
        return [by_id[i] for i in seen]

    def actions_reported_by(self, officer_id: str) -> list[Action]:
        return [a for a in self.actions if a.reporting_officer == officer_id]

    def actions_for_information(self, officer_id: str) -> list[Action]:
        return [a for a in self.actions if officer_id in a.other_officers]

    def actions_in_area(self, number: int) -> list[Action]:
        return [a for a in self.actions if a.area == number]


@dataclass(frozen=True)
class PlanChange:
    """An action added, retired or changed in the plan between two recorded periods."""

    action_id: str
    change: str  # "Added" | "Retired" | "Reassigned" | "End date changed" | "Text changed"
    before: str
    after: str
