"""The risk register per period: what changed since the last recorded period, and the top risks.

Pure functions of the plan's risks (and the register as history recorded it last period); the
tracker's Risks sheet, the reports' top risks and the High-risk exception rule read the
``RiskStatus`` objects made here, and the tracker's summary and the reports rank the open ones
with ``top_risks``. Severity is the plan's word (High, Medium, Low).
"""

from __future__ import annotations

import re

from packbuilder.model import Plan, Risk, RiskStatus

SEVERITY_RANK = {"high": 3, "medium": 2, "low": 1}

NEW = "New"
CLOSED = "Closed"
SEVERITY_UP = "Severity up"
SEVERITY_DOWN = "Severity down"
NO_CHANGE = "No change"
FIRST_REPORT = "First report"


def severity_rank(severity: str) -> int:
    """High 3, Medium 2, Low 1; 0 for a blank or a word the register does not use."""
    words = severity.strip().split()
    return SEVERITY_RANK.get(words[0].casefold(), 0) if words else 0


def severity_after(risk: Risk) -> str:
    """The severity after mitigation, or the severity where the register leaves it blank."""
    return risk.severity_after.strip() or risk.severity.strip()


def is_closed(risk: Risk) -> bool:
    return risk.status.strip().casefold() == "closed"


def risk_statuses(plan: Plan, previous: list[Risk] | None) -> list[RiskStatus]:
    """Each risk in the plan with what changed since PREVIOUS (None: the first report).

    A risk in PREVIOUS that is no longer in the plan is listed as Closed at the end; one that
    was already closed then is not listed again.
    """
    before = {risk.id: risk for risk in previous or ()}
    statuses = []
    for risk in plan.risks:
        earlier = before.get(risk.id)
        statuses.append(
            RiskStatus(
                risk=risk,
                change=_change(risk, earlier, first_report=previous is None),
                previous_severity_after=severity_after(earlier) if earlier else "",
            )
        )
    current = {risk.id for risk in plan.risks}
    for risk in previous or ():
        if risk.id not in current and not is_closed(risk):
            statuses.append(RiskStatus(risk, CLOSED, previous_severity_after=severity_after(risk)))
    return statuses


def _change(risk: Risk, earlier: Risk | None, *, first_report: bool) -> str:
    if is_closed(risk):
        return NO_CHANGE if earlier is not None and is_closed(earlier) else CLOSED
    if first_report:
        return FIRST_REPORT
    if earlier is None:
        return NEW
    now, then = severity_rank(severity_after(risk)), severity_rank(severity_after(earlier))
    if now > then:
        return SEVERITY_UP
    if now < then:
        return SEVERITY_DOWN
    return NO_CHANGE


def top_risks(statuses: list[RiskStatus], n: int | None = None) -> list[RiskStatus]:
    """The open risks, most serious first (the first N when N is given).

    Ranked by severity after mitigation, then severity, then ID in natural order (R2 before
    R10). A risk closed in the register, or dropped from it since last period, is left out.
    """
    open_risks = [s for s in statuses if s.change != CLOSED and not is_closed(s.risk)]
    ordered = sorted(
        open_risks,
        key=lambda s: (
            -severity_rank(severity_after(s.risk)),
            -severity_rank(s.risk.severity),
            _natural(s.risk.id),
        ),
    )
    return ordered[:n]


def _natural(identifier: str) -> tuple[tuple[int, str], ...]:
    """R2 before R10."""
    return tuple(
        (int(part), "") if part.isdigit() else (0, part.casefold())
        for part in re.findall(r"\d+|\D+", identifier)
    )
