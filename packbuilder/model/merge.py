"""The merged period: each action's status, exceptions, KPI and risk statuses, and the
``PeriodResult`` every output reads.

Part of the domain model (packbuilder.model, which re-exports every public name).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from packbuilder.model.periods import Period
from packbuilder.model.plan import (
    Action,
    EndDate,
    Kpi,
    KpiTarget,
    Plan,
    Risk,
)
from packbuilder.model.ratings import (
    Direction,
    KpiRag,
    Rating,
    direction_of,
)
from packbuilder.model.returns import (
    AreaCommentary,
    CellSource,
    CheckReport,
    Finding,
)


class ReturnStatus(enum.Enum):
    """How an action's values for the period were arrived at."""

    UPDATED = "Updated"
    # the row entered, but some of its cells had errors: those kept their last values
    CELLS_CARRIED = "Updated: some cells carried forward"
    NO_RETURN = "No return"  # the reporting officer sent nothing: last values carried forward
    ERRORS = "Errors: carried forward"  # the row was rejected: last values carried forward
    FIRST_REPORT = "Plan baseline"  # first period with no return: the plan's ratings


@dataclass(frozen=True)
class Override:
    """An office correction from inputs/overrides/PERIOD.xlsx."""

    action_id: str
    field: str
    value: str
    reason: str
    who: str
    source: CellSource | None = None


@dataclass
class ActionStatus:
    """One action's merged state for a period: what the tracker row and the reports show."""

    action: Action
    progress: Rating | None
    impact: Rating | None
    previous_progress: Rating | None
    previous_impact: Rating | None
    return_status: ReturnStatus
    progress_commentary: str = ""
    evidence: str = ""
    # The accepted revised end date in force (None: the plan's own stands), its reason, and
    # the period it was agreed in (None while the plan's end date has never moved).
    revised_end_date: dt.date | None = None
    revised_reason: str = ""
    confidence: str = ""
    risks: str = ""
    escalation: bool | None = None
    next_milestone: str = ""
    next_milestone_date: dt.date | None = None
    sources: dict[str, CellSource] = field(default_factory=dict)
    overrides: list[Override] = field(default_factory=list)
    # Values kept from the last period because this period's were rejected by an error:
    # attribute -> why, in words ("this month's rating was not valid").
    carried: dict[str, str] = field(default_factory=dict)
    end_date_agreed_in: Period | None = None

    @property
    def progress_direction(self) -> Direction:
        return direction_of(self.previous_progress, self.progress)

    @property
    def impact_direction(self) -> Direction:
        return direction_of(self.previous_impact, self.impact)

    @property
    def end_date_in_force(self) -> dt.date | None:
        """The latest accepted revised date, else the original."""
        return self.revised_end_date or self.action.end_date.date

    @property
    def end_date_in_force_text(self) -> str:
        """The end date in force in words, saying whether it was revised and when."""
        return end_date_in_force_text(
            self.action.end_date, self.revised_end_date, self.end_date_agreed_in
        )

    def is_overdue(self, period: Period) -> bool:
        due = self.end_date_in_force
        complete = self.progress is not None and self.progress.is_complete
        return due is not None and due < period.last_day and not complete


def end_date_in_force_text(
    original: EndDate, revised: dt.date | None, agreed_in: Period | None
) -> str:
    """The end date in force in words: "31 Mar 2024, revised in January 2024", or the plan's
    own, "31 Dec 2023 (original)"."""
    if revised is not None:
        agreed = f" in {agreed_in.label}" if agreed_in is not None else ""
        return f"{revised.strftime('%d %b %Y')}, revised{agreed}"
    shown = original.display if original.date is not None else (original.text or "no date")
    if agreed_in is not None:  # an override withdrew a revision: the plan's date again
        return f"{shown} (original, restored in {agreed_in.label})"
    return f"{shown} (original)"


@dataclass(frozen=True)
class ExceptionItem:
    """Something the exception rules flag this period."""

    rule: str  # stable rule code, e.g. "red-progress", "overdue", "missing-return"
    subject: str  # action ID, KPI code, risk ID or officer ID
    kind: str  # "action" | "kpi" | "risk" | "return"
    area: int | None
    owner: str  # officer ID or name
    summary: str  # one line a board member understands
    periods_in_exception: int = 1


@dataclass(frozen=True)
class LastValues:
    """An action's values as last recorded: shown beside this period's inputs on a return."""

    progress: Rating | None
    impact: Rating | None
    commentary: str
    period: Period | None  # None when taken from the plan's baseline
    # The accepted revised end date in force, its reason and the period it was agreed in.
    revised_end_date: dt.date | None = None
    revised_reason: str = ""
    end_date_agreed_in: Period | None = None


@dataclass
class KpiStatus:
    """One KPI for one period: the value in force, its target and its RAG."""

    kpi: Kpi
    value: float | None
    value_text: str  # as written in the KPI return, or the baseline text
    as_at: dt.date | None  # when the value was measured
    carried_forward: bool  # the value is from an earlier period's return
    target: KpiTarget | None  # the target in force at the period's last day
    rag: KpiRag
    rag_reason: str  # why, in words: "64 against a target of 75 (higher is better)"
    previous_value: float | None
    direction: Direction
    note: str = ""
    source: CellSource | None = None


@dataclass
class RiskStatus:
    """One risk for one period, with what changed since the last recorded period."""

    risk: Risk
    change: str  # "New" | "Closed" | "Severity up" | "Severity down" | "No change" | "First report"
    previous_severity_after: str = ""


class HistoryView(Protocol):
    """What the reports may read from history (implemented by packbuilder.history)."""

    def recorded_periods(self) -> list[Period]:
        """Every period with a recorded build, oldest first."""
        ...

    def ratings(self, period: Period) -> dict[str, tuple[Rating | None, Rating | None]]:
        """Action ID to (progress, impact) as recorded for PERIOD; empty if not recorded."""
        ...


@dataclass
class PeriodResult:
    """The merged period: what build records in history and writes into every output."""

    period: Period
    plan: Plan
    actions: list[ActionStatus]
    area_commentary: dict[int, AreaCommentary]
    check: CheckReport
    exceptions: list[ExceptionItem]
    previous_period: Period | None  # None for the first report
    kpis: list[KpiStatus] = field(default_factory=list)
    risks: list[RiskStatus] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # build's own (overrides, plan drift)

    def iter_area(self, number: int) -> Iterator[ActionStatus]:
        return (s for s in self.actions if s.action.area == number)

    def items_in_exception(self) -> int:
        """Subjects in exception: an action flagged by two rules is one item (the reports,
        the tracker's Summary and the build's summary all count this)."""
        return len({(e.area, e.kind, e.subject) for e in self.exceptions})
