"""What a check needs to know about the plan and the period, as small picklable data.

``check_file`` runs once per returned file and may run in a worker process (see run.py), so it
gets a ``CheckContext`` of plain frozen data made once per period, not the Plan or the Config.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

from packbuilder.findings import finding
from packbuilder.model import Finding, LastValues, Period, Plan
from packbuilder.returns import layout


@dataclass(frozen=True)
class ActionFacts:
    """One action of the plan as a return shows it: its locked text and its officers."""

    id: str
    area: int
    sub_theme: str
    text: str
    end_text: str
    end_date: dt.date | None
    reporting_officer: str
    other_officers: tuple[str, ...] = ()

    @functools.cached_property
    def fingerprint(self) -> str:
        return layout.row_fingerprint(self.id, self.area, self.sub_theme, self.text, self.end_text)

    @property
    def locked_text(self) -> tuple[str, str, str, str, str]:
        """The locked cells A-E as a return made from the plan shows them."""
        return (self.id, str(self.area), self.sub_theme, self.text, self.end_text)


@dataclass(frozen=True)
class CheckLimits:
    max_cells_per_sheet: int = 200_000
    max_chars_per_cell: int = 32_767
    max_findings_per_file: int = 200
    max_file_bytes: int = 20_000_000
    max_uncompressed_bytes: int = 50_000_000
    max_compression_ratio: float = 200.0


@dataclass(frozen=True)
class CheckContext:
    """The plan and the period, as every rule sees them."""

    period: Period
    first_report: bool  # the programme's first period: no comparison with a previous one
    actions: dict[str, ActionFacts]
    officer_names: dict[str, str]
    officer_emails: dict[str, str]
    areas: dict[int, str]  # area number -> lead
    last_values: dict[str, LastValues] = field(default_factory=dict)
    confidence: tuple[str, ...] = ("High", "Medium", "Low")
    low_confidence: tuple[str, ...] = ("Low",)
    deadline: dt.date | None = None
    limits: CheckLimits = CheckLimits()

    def reported_by(self, officer_id: str) -> list[ActionFacts]:
        return list(self._by_officer[0].get(officer_id, ()))

    def for_information(self, officer_id: str) -> list[ActionFacts]:
        return list(self._by_officer[1].get(officer_id, ()))

    def position(self, action_id: str) -> int:
        """The action's place in plan order."""
        return self._by_officer[2][action_id]

    @functools.cached_property
    def _by_officer(
        self,
    ) -> tuple[dict[str, list[ActionFacts]], dict[str, list[ActionFacts]], dict[str, int]]:
        # Built once per context (per worker), so a return costs the same in a plan of 100
        # actions as in one of 30,000, rather than a scan of every action per return.
        reporting: dict[str, list[ActionFacts]] = {}
        information: dict[str, list[ActionFacts]] = {}
        for action in self.actions.values():
            reporting.setdefault(action.reporting_officer, []).append(action)
            for officer_id in dict.fromkeys(action.other_officers):
                information.setdefault(officer_id, []).append(action)
        return reporting, information, {a: i for i, a in enumerate(self.actions)}


def context_from_plan(
    plan: Plan,
    period: Period,
    *,
    first_report: bool,
    last_values: dict[str, LastValues] | None = None,
    confidence: tuple[str, ...] = ("High", "Medium", "Low"),
    low_confidence: tuple[str, ...] = ("Low",),
    deadline: dt.date | None = None,
    limits: CheckLimits | None = None,
) -> CheckContext:
    """Reduce a Plan to what the checks need (the same facts ``returns make`` writes)."""
    return CheckContext(
        period=period,
        first_report=first_report,
        actions={
            a.id: ActionFacts(
                a.id,
                a.area,
                a.sub_theme,
                a.text,
                a.end_date.text,
                a.end_date.date,
                a.reporting_officer,
                a.other_officers,
            )
            for a in plan.actions
        },
        officer_names={o.id: o.name for o in plan.officers},
        officer_emails={o.id: o.email for o in plan.officers},
        areas={a.number: a.lead for a in plan.areas},
        last_values=dict(last_values or {}),
        confidence=confidence,
        low_confidence=low_confidence,
        deadline=deadline,
        limits=limits or CheckLimits(),
    )


@dataclass
class Place:
    """Where findings for one file go: its name, its officer, and the sheet being checked."""

    file: str
    officer_id: str = ""
    sheet: str = ""

    def finding(
        self,
        code: str,
        *,
        cell: str = "",
        value: object = "",
        action_id: str = "",
        sheet: str | None = None,
        **kw: object,
    ) -> Finding:
        """A finding in this file; on this place's sheet when it names a cell."""
        return finding(
            code,
            file=self.file,
            sheet=(self.sheet if cell else "") if sheet is None else sheet,
            cell=cell,
            value=value,
            officer_id=self.officer_id,
            action_id=action_id,
            **kw,
        )
