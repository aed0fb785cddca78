"""Exception rules: what the merged period escalates to the board.

Pure functions of the merged period and of what history recorded: each rule yields
``ExceptionItem`` objects, and config.toml's ``[exceptions]`` table switches each rule on or
off. Each rule is registered in ``EXCEPTION_RULES`` under its name in config.toml and run by
looking its name up there. "In exception for N periods" is read from the exceptions recorded
for earlier periods (a consecutive run of recorded periods), never recomputed under today's
rules. The Word
reports and the tracker only show what these functions return.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from packbuilder.config import Exceptions
from packbuilder.kpis.risks import is_closed, severity_after
from packbuilder.model import (
    ActionStatus,
    CheckReport,
    Direction,
    ExceptionItem,
    FileStatus,
    KpiRag,
    KpiStatus,
    Period,
    Plan,
    Rating,
    ReturnKind,
    RiskStatus,
)


def red_progress(statuses: list[ActionStatus]) -> Iterator[ExceptionItem]:
    for s in statuses:
        if s.progress is Rating.RED:
            yield _action(s, "red-progress", f"Progress is Red: {_short(s.action.text)}")


def red_impact(statuses: list[ActionStatus]) -> Iterator[ExceptionItem]:
    for s in statuses:
        if s.impact is Rating.RED:
            yield _action(s, "red-impact", f"Impact is Red: {_short(s.action.text)}")


def overdue(statuses: list[ActionStatus], period: Period) -> Iterator[ExceptionItem]:
    for s in statuses:
        if s.is_overdue(period):
            due = s.end_date_in_force
            assert due is not None  # is_overdue implies a date
            revised = ""
            if s.revised_end_date is not None:
                agreed = s.end_date_agreed_in
                revised = f" (revised in {agreed.label})" if agreed else " (revised)"
            yield _action(
                s,
                "overdue",
                f"Past its end date of {due:%d %b %Y}{revised} and not complete: "
                f"{_short(s.action.text)}",
            )


def worse(statuses: list[ActionStatus]) -> Iterator[ExceptionItem]:
    for s in statuses:
        changes = []
        if s.progress_direction is Direction.WORSE:
            changes.append(_move("Progress", s.previous_progress, s.progress))
        if s.impact_direction is Direction.WORSE:
            changes.append(_move("impact", s.previous_impact, s.impact))
        if changes:
            yield _action(s, "worse", f"{'; '.join(changes)} since last period")


def low_confidence(statuses: list[ActionStatus], levels: list[str]) -> Iterator[ExceptionItem]:
    low = {level.casefold() for level in levels}
    for s in statuses:
        if s.confidence and s.confidence.casefold() in low:
            yield _action(s, "low-confidence", f"{s.confidence} confidence in delivery")


def escalation(statuses: list[ActionStatus]) -> Iterator[ExceptionItem]:
    for s in statuses:
        if s.escalation:
            yield _action(s, "escalation", "The responsible officer asks for escalation")


def missing_returns(check: CheckReport, plan: Plan) -> Iterator[ExceptionItem]:
    """Officers with no counted return and no file of theirs that was turned away."""
    turned_away = _turned_away(check)
    for officer_id in check.missing_officers():
        if officer_id not in turned_away:
            yield _return(plan, officer_id, "missing-return", "No return received")


def invalid_returns(check: CheckReport, plan: Plan) -> Iterator[ExceptionItem]:
    """Officers whose only return was rejected, or whose counted return has errors."""
    turned_away = _turned_away(check)
    counted = check.counted_officer_returns()
    for officer_id in check.expected_officers:
        returned = counted.get(officer_id)
        if returned is None and officer_id in turned_away:
            yield _return(
                plan, officer_id, "invalid-return", "The return was rejected: values carried"
            )
        elif returned is not None and returned.errors:
            rows = len({f.action_id or f.cell for f in returned.errors})
            yield _return(
                plan,
                officer_id,
                "invalid-return",
                f"The return has errors ({rows} rows or cells): those values carried forward",
            )


def red_kpis(kpis: list[KpiStatus]) -> Iterator[ExceptionItem]:
    for k in kpis:
        if k.rag is KpiRag.RED:
            yield ExceptionItem(
                rule="red-kpi",
                subject=k.kpi.code,
                kind="kpi",
                area=k.kpi.areas[0] if k.kpi.areas else None,
                owner="",
                summary=f"{k.kpi.code} is Red: {k.rag_reason}" if k.rag_reason else "Red",
            )


def high_risks(risks: list[RiskStatus], levels: list[str]) -> Iterator[ExceptionItem]:
    high = {level.casefold() for level in levels}
    for r in risks:
        closed = r.change == "Closed" or is_closed(r.risk)
        after = severity_after(r.risk)
        if not closed and after.casefold() in high:
            yield ExceptionItem(
                rule="high-risk",
                subject=r.risk.id,
                kind="risk",
                area=None,
                owner=r.risk.owner,
                summary=f"{after} after mitigation: {_short(r.risk.risk)}",
            )


@dataclass(frozen=True)
class RuleInputs:
    """What the exception rules judge: the merged period and the configured levels."""

    period: Period
    plan: Plan
    statuses: list[ActionStatus]
    check: CheckReport
    kpis: list[KpiStatus]
    risks: list[RiskStatus]
    low_confidence_levels: list[str]  # config's [returns] low_confidence
    high_risk_levels: list[str]  # config's [exceptions] high_risk_levels


ExceptionRule = Callable[[RuleInputs], Iterable[ExceptionItem]]

# Every rule, keyed by its name in config.toml's [exceptions] (config validation refuses any
# other name), in the order the reports list their items.
EXCEPTION_RULES: dict[str, ExceptionRule] = {
    "red_progress": lambda i: red_progress(i.statuses),
    "red_impact": lambda i: red_impact(i.statuses),
    "overdue": lambda i: overdue(i.statuses, i.period),
    "worse": lambda i: worse(i.statuses),
    "low_confidence": lambda i: low_confidence(i.statuses, i.low_confidence_levels),
    "escalation": lambda i: escalation(i.statuses),
    "missing_return": lambda i: missing_returns(i.check, i.plan),
    "invalid_return": lambda i: invalid_returns(i.check, i.plan),
    "red_kpi": lambda i: red_kpis(i.kpis),
    "high_risk": lambda i: high_risks(i.risks, i.high_risk_levels),
}


def switched_on(rules: Exceptions) -> list[str]:
    """The names of the rules config.toml's [exceptions] switches on, in the registry's order."""
    return [name for name in EXCEPTION_RULES if getattr(rules, name)]


def period_exceptions(
    rules: Exceptions,
    low_confidence_levels: list[str],
    period: Period,
    plan: Plan,
    statuses: list[ActionStatus],
    check: CheckReport,
    kpis: list[KpiStatus],
    risks: list[RiskStatus],
    recorded: dict[Period, set[tuple[str, str]]],
) -> list[ExceptionItem]:
    """Every exception of the period under the configured rules, in a fixed order.

    ``rules`` is config's ``[exceptions]``; ``low_confidence_levels`` its
    ``[returns] low_confidence``.
    ``recorded`` is history's record of earlier periods: for each, the (kind, subject) pairs
    that were in exception. It gives each item its ``periods_in_exception``.
    """
    inputs = RuleInputs(
        period, plan, statuses, check, kpis, risks, low_confidence_levels, rules.high_risk_levels
    )
    items = [item for name in switched_on(rules) for item in EXCEPTION_RULES[name](inputs)]
    return [
        _with_run(item, periods_in_exception(recorded, period, item.kind, item.subject))
        for item in items
    ]


def periods_in_exception(
    recorded: dict[Period, set[tuple[str, str]]], period: Period, kind: str, subject: str
) -> int:
    """1 plus the run of consecutive recorded periods before PERIOD with SUBJECT in exception."""
    run = 1
    for earlier in sorted((p for p in recorded if p < period), reverse=True):
        if (kind, subject) not in recorded[earlier]:
            break
        run += 1
    return run


def _with_run(item: ExceptionItem, run: int) -> ExceptionItem:
    return replace(item, periods_in_exception=run)


def _action(status: ActionStatus, rule: str, summary: str) -> ExceptionItem:
    return ExceptionItem(
        rule=rule,
        subject=status.action.id,
        kind="action",
        area=status.action.area,
        owner=status.action.reporting_officer,
        summary=summary,
    )


def _return(plan: Plan, officer_id: str, rule: str, summary: str) -> ExceptionItem:
    areas = sorted({a.area for a in plan.actions_reported_by(officer_id)})
    return ExceptionItem(
        rule=rule,
        subject=officer_id,
        kind="return",
        area=areas[0] if len(areas) == 1 else None,
        owner=officer_id,
        summary=summary,
    )


def _turned_away(check: CheckReport) -> set[str]:
    return {
        f.officer_id
        for f in check.files
        if f.officer_id
        and f.kind is not ReturnKind.AREA_LEAD
        and f.status in (FileStatus.REJECTED, FileStatus.NOT_A_RETURN)
    }


def _move(name: str, before: Rating | None, after: Rating | None) -> str:
    was = before.value if before else "none"
    now = after.value if after else "none"
    return f"{name} {was} → {now}"


def _short(text: str, limit: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
