"""What the six-month review shows, worked out from the recorded months of a span.

Pure functions of plain values: the recorded months (as the command layer read them from
history) and the plan as recorded in the last of them. The Word pack and the evidence workbook
both take their figures from here, so the two always agree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from packbuilder.kpis.rag import target_in_force
from packbuilder.merge import RecordedAction
from packbuilder.model import (
    Action,
    AreaCommentary,
    ExceptionItem,
    Kpi,
    KpiTarget,
    Period,
    Plan,
    Rating,
    Risk,
)

# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class RecordedMonth:
    """One month as history recorded it: what the review reads, and nothing else."""

    period: Period
    actions: Mapping[str, RecordedAction]
    area_commentary: Mapping[int, AreaCommentary]
    kpi_values: Mapping[str, tuple[float | None, dt.date | None]]  # code -> (value, as at)
    risks: tuple[Risk, ...]
    exceptions: tuple[ExceptionItem, ...]
    # Action ID -> field -> why: the values kept from the month before because this month's
    # entry was not valid (history's carried_values), so the review says so as the reports do.
    carried: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class ReviewSpan:
    """The recorded months from FROM to TO, oldest first, and the plan as last recorded."""

    plan: Plan
    months: tuple[RecordedMonth, ...]

    @property
    def first(self) -> RecordedMonth:
        return self.months[0]

    @property
    def last(self) -> RecordedMonth:
        return self.months[-1]

    @property
    def periods(self) -> list[Period]:
        return [m.period for m in self.months]


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class Revision:
    """One revision of an action's end date: the date agreed, the month and the reason."""

    action_id: str
    revised_to: dt.date | None  # None: the plan's own date restored
    agreed_in: Period
    reason: str
    in_span: bool  # agreed in a month of the span (else before it, and still in force)


@dataclass(frozen=True)
class EvidenceText:
    """Evidence of impact an officer recorded, first seen in ``period``."""

    action_id: str
    period: Period
    text: str
    months: int  # how many months of the span recorded these words


@dataclass(frozen=True)
class RiseWithoutEvidence:
    action_id: str
    period: Period
    measure: str  # "Progress" | "Impact"
    before: Rating
    after: Rating


@dataclass(frozen=True)
class KpiPoint:
    period: Period
    value: float | None
    as_at: dt.date | None
    target: KpiTarget | None


@dataclass(frozen=True)
class RiskChange:
    period: Period
    risk_id: str
    risk: str
    change: str  # "Added" | "Removed" | "Severity" | "Severity after mitigation" | "Status"
    before: str
    after: str


def ratings(span: ReviewSpan, action_id: str, measure: str) -> list[Rating | None]:
    """The action's progress or impact in each month of the span (None where not recorded)."""
    shown = []
    for month in span.months:
        recorded = month.actions.get(action_id)
        shown.append(getattr(recorded, measure) if recorded is not None else None)
    return shown


# How a carried-forward rating reads in the strip and the workbook, beside its word.
CARRIED_MARK = "(carried forward)"


def carried_marks(span: ReviewSpan, action_id: str, measure: str) -> list[bool]:
    """Whether the action's progress or impact in each month was carried forward for an error."""
    return [measure in month.carried.get(action_id, {}) for month in span.months]


def end_date_history(span: ReviewSpan, action_id: str) -> list[Revision]:
    """Every revision of the action's end date in force during the span, oldest first.

    A revision agreed before FROM and still in force at FROM is listed too (``in_span`` false),
    so the reader sees which date the span started from.
    """
    revisions: list[Revision] = []
    seen: tuple[dt.date | None, Period | None] | None = None
    for month in span.months:
        recorded = month.actions.get(action_id)
        if recorded is None:
            continue
        key = (recorded.revised_end_date, recorded.end_date_agreed_in)
        if key == seen:
            continue
        first_month = seen is None
        seen = key
        if recorded.revised_end_date is None and recorded.end_date_agreed_in is None:
            continue  # the plan's own date, never revised
        agreed = recorded.end_date_agreed_in or month.period
        if first_month and recorded.revised_end_date is None:
            continue  # restored before the span: the plan's date is simply in force
        revisions.append(
            Revision(
                action_id=action_id,
                revised_to=recorded.revised_end_date,
                agreed_in=agreed,
                reason=recorded.revised_reason,
                in_span=agreed >= span.first.period,
            )
        )
    return revisions


def end_date_in_force(action: Action, recorded: RecordedAction | None) -> dt.date | None:
    if recorded is not None and recorded.revised_end_date is not None:
        return recorded.revised_end_date
    return action.end_date.date


def is_complete(rating: Rating | None) -> bool:
    return rating is not None and rating.is_complete


def is_overdue(action: Action, recorded: RecordedAction | None, period: Period) -> bool:
    """Overdue as every report counts it (README, "End dates"): the end date in force passed and
    the action not complete."""
    due = end_date_in_force(action, recorded)
    complete = recorded is not None and is_complete(recorded.progress)
    return due is not None and due < period.last_day and not complete


_SPACE = re.compile(r"\s+")


def _same_words(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def evidence_texts(span: ReviewSpan, action_id: str) -> list[EvidenceText]:
    """The evidence of impact recorded over the span, each wording once, by its first month."""
    first: dict[str, tuple[Period, str]] = {}
    counts: dict[str, int] = {}
    for month in span.months:
        recorded = month.actions.get(action_id)
        text = recorded.evidence.strip() if recorded is not None else ""
        if not text:
            continue
        key = _same_words(text)
        first.setdefault(key, (month.period, text))
        counts[key] = counts.get(key, 0) + 1
    return [
        EvidenceText(action_id, period, text, counts[key]) for key, (period, text) in first.items()
    ]


def rises_without_evidence(span: ReviewSpan, action_id: str) -> list[RiseWithoutEvidence]:
    """Each month a rating rose (a BRAG above last month's) while no evidence was recorded."""
    found = []
    previous: RecordedAction | None = None
    for month in span.months:
        recorded = month.actions.get(action_id)
        if recorded is None:
            previous = None
            continue
        if previous is not None and not recorded.evidence.strip():
            for measure in ("progress", "impact"):
                before, after = getattr(previous, measure), getattr(recorded, measure)
                if (
                    before is not None
                    and after is not None
                    and before.is_brag
                    and after.is_brag
                    and after.rank > before.rank
                ):
                    found.append(
                        RiseWithoutEvidence(
                            action_id, month.period, measure.capitalize(), before, after
                        )
                    )
        previous = recorded
    return found


def kpi_series(span: ReviewSpan, kpi: Kpi) -> list[KpiPoint]:
    """The KPI's recorded value in each month of the span, with the target then in force."""
    points = []
    for month in span.months:
        value, as_at = month.kpi_values.get(kpi.code, (None, None))
        points.append(KpiPoint(month.period, value, as_at, target_in_force(kpi, month.period)))
    return points


def exception_keys(month: RecordedMonth) -> set[tuple[str, str, str]]:
    return {(e.kind, e.subject, e.rule) for e in month.exceptions}


def exceptions_over_span(span: ReviewSpan) -> tuple[list[ExceptionItem], list[ExceptionItem]]:
    """Exceptions raised in the span, as (resolved by TO, still open at TO), each once.

    Each is shown as last recorded: its latest month's summary and count of months.
    """
    latest: dict[tuple[str, str, str], ExceptionItem] = {}
    for month in span.months:
        for item in month.exceptions:
            latest[(item.kind, item.subject, item.rule)] = item
    still_open = exception_keys(span.last)
    ordered = sorted(
        latest.items(), key=lambda pair: (pair[0][0], _natural(pair[0][1]), pair[0][2])
    )
    resolved = [item for key, item in ordered if key not in still_open]
    open_items = [item for key, item in ordered if key in still_open]
    return resolved, open_items


def risk_changes(span: ReviewSpan) -> list[RiskChange]:
    """Month by month, the risks added, removed or changed in severity or status."""
    changes: list[RiskChange] = []
    for before_month, month in zip(span.months, span.months[1:], strict=False):
        before = {r.id: r for r in before_month.risks}
        after = {r.id: r for r in month.risks}
        for risk_id in sorted(set(before) | set(after), key=_natural):
            old, new = before.get(risk_id), after.get(risk_id)
            if old is None and new is not None:
                changes.append(
                    RiskChange(month.period, risk_id, new.risk, "Added", "", new.severity)
                )
                continue
            if new is None and old is not None:
                changes.append(
                    RiskChange(month.period, risk_id, old.risk, "Removed", old.severity, "")
                )
                continue
            assert old is not None and new is not None
            for label, name in (
                ("Severity", "severity"),
                ("Severity after mitigation", "severity_after"),
                ("Status", "status"),
            ):
                was, now = getattr(old, name).strip(), getattr(new, name).strip()
                if was != now:
                    changes.append(RiskChange(month.period, risk_id, new.risk, label, was, now))
    return changes


def _natural(text: str) -> tuple[object, ...]:
    """Sort key that puts 1A2 before 1A10 and R2 before R10."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def natural_key(text: str) -> tuple[object, ...]:
    return _natural(text)
