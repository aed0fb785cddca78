"""The merge: checked returns, last period's values and the office's overrides become the period.

This stage sits between ``check`` and history. It is pure: it reads a ``CheckReport``, the
values history recorded for the latest earlier period and the overrides, and returns one
``ActionStatus`` per action of the plan, the area commentary and its own findings. Rules:

- the valid rows of the counted officer returns enter, each value with the cell it came from;
- a row with errors (or a row missing from a counted return) keeps last period's values and is
  marked ``ReturnStatus.ERRORS``;
- an officer with no counted return keeps last period's values, ``ReturnStatus.NO_RETURN``;
  with nothing recorded yet (the first report, or an action new to the plan) the plan's
  baseline stands, ``ReturnStatus.FIRST_REPORT``;
- superseded and rejected files never enter (only ``FileStatus.COUNTED`` files are read);
- area commentary comes from the counted area-lead returns;
- the end date in force carries: a revised end date in a valid row that differs from the date
  in force is a new revision, agreed this period with its reason; a blank revised-date cell,
  or the date already in force typed again, keeps the revision recorded before (and the period
  it was agreed in), so an agreed date is never forgotten the month after;
- then the overrides apply, each recorded on the action with its reason (an override of the
  revised end date sets or withdraws it, agreed this period).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from packbuilder.model import (
    Action,
    ActionStatus,
    ActionUpdate,
    AreaCommentary,
    CellSource,
    CheckReport,
    Finding,
    Override,
    Period,
    Plan,
    Rating,
    ReturnStatus,
    Severity,
)
from packbuilder.overrides import FIELD_ATTRIBUTES, OverrideValueError, parse_override_value

# The fields an officer's row carries into the period, in the tracker's order.
CARRIED_FIELDS: tuple[str, ...] = (
    "progress",
    "impact",
    "progress_commentary",
    "evidence",
    "revised_end_date",
    "revised_reason",
    "confidence",
    "risks",
    "escalation",
    "next_milestone",
    "next_milestone_date",
)


@dataclass(frozen=True)
class RecordedAction:
    """An action's merged values as history recorded them for an earlier period.

    Everything that carries forward when an officer sends nothing, or sends a row with
    errors: the ratings, every text, the dates, and the cell each value first came from.
    """

    period: Period
    progress: Rating | None
    impact: Rating | None
    return_status: ReturnStatus
    progress_commentary: str = ""
    evidence: str = ""
    revised_end_date: dt.date | None = None
    revised_reason: str = ""
    confidence: str = ""
    risks: str = ""
    escalation: bool | None = None
    next_milestone: str = ""
    next_milestone_date: dt.date | None = None
    reporting_officer: str = ""
    sources: dict[str, CellSource] = field(default_factory=dict)
    end_date_agreed_in: Period | None = None


def merge_period(
    plan: Plan,
    check: CheckReport,
    last: Mapping[str, RecordedAction],
    overrides: list[Override],
    previous_period: Period | None,
) -> tuple[list[ActionStatus], dict[int, AreaCommentary], list[Finding]]:
    """Merge one period: one status per plan action (plan order), area commentary, findings.

    ``last`` holds the values recorded for ``previous_period`` (the latest recorded period
    before this one); it is empty for the first report.
    """
    returns = check.counted_officer_returns()
    statuses: list[ActionStatus] = []
    for action in plan.actions:
        recorded = last.get(action.id) if previous_period is not None else None
        counted = returns.get(action.reporting_officer)
        if counted is None:
            status = _carried(action, recorded, ReturnStatus.NO_RETURN)
        else:
            update = _update_for(counted.updates, action.id)
            if update is None or update.has_errors:
                status = _carried(action, recorded, ReturnStatus.ERRORS)
            else:
                status = _updated(action, update, recorded, check.period)
        statuses.append(status)

    area_commentary = {
        area: returned.area_commentary
        for area, returned in sorted(check.counted_area_returns().items())
        if returned.area_commentary is not None
    }
    findings = apply_overrides(statuses, overrides, check.period)
    return statuses, area_commentary, findings


def _update_for(updates: list[ActionUpdate], action_id: str) -> ActionUpdate | None:
    for update in updates:
        if update.action_id == action_id:
            return update
    return None


def _carried(action: Action, recorded: RecordedAction | None, reason: ReturnStatus) -> ActionStatus:
    """Last period's values, or the plan's baseline when nothing is recorded."""
    if recorded is None:
        status = ActionStatus(
            action=action,
            progress=action.baseline_progress,
            impact=action.baseline_impact,
            previous_progress=None,
            previous_impact=None,
            return_status=ReturnStatus.FIRST_REPORT if reason is ReturnStatus.NO_RETURN else reason,
            progress_commentary=_baseline_words(action),
        )
        return status
    return ActionStatus(
        action=action,
        progress=recorded.progress,
        impact=recorded.impact,
        previous_progress=recorded.progress,
        previous_impact=recorded.impact,
        return_status=reason,
        progress_commentary=recorded.progress_commentary,
        evidence=recorded.evidence,
        revised_end_date=recorded.revised_end_date,
        revised_reason=recorded.revised_reason,
        end_date_agreed_in=recorded.end_date_agreed_in,
        confidence=recorded.confidence,
        risks=recorded.risks,
        escalation=recorded.escalation,
        next_milestone=recorded.next_milestone,
        next_milestone_date=recorded.next_milestone_date,
        sources=dict(recorded.sources),
    )


def _baseline_words(action: Action) -> str:
    """The plan's rating text where it says more than the rating (e.g. "TBC in September")."""
    words = []
    for rating, text in (
        (action.baseline_progress, action.baseline_progress_text),
        (action.baseline_impact, action.baseline_impact_text),
    ):
        cleaned = text.strip()
        if cleaned and (rating is None or cleaned.casefold() != rating.value.casefold()):
            words.append(cleaned)
    return "; ".join(words)


def _updated(
    action: Action, update: ActionUpdate, recorded: RecordedAction | None, period: Period
) -> ActionStatus:
    """A valid row: every value from the return; a rating left blank keeps the last one, and
    the end date in force stays unless the row gives a new one."""
    sources = dict(update.sources)
    progress, impact = update.progress, update.impact
    if recorded is not None:
        for name in ("progress", "impact"):
            if getattr(update, name) is None and name in recorded.sources:
                sources[name] = recorded.sources[name]
        progress = progress if progress is not None else recorded.progress
        impact = impact if impact is not None else recorded.impact
    revised, reason = update.revised_end_date, update.revised_reason
    agreed_in: Period | None = period
    if not is_new_revision(action, update.revised_end_date, recorded):
        revised = recorded.revised_end_date if recorded else None
        reason = recorded.revised_reason if recorded else ""
        agreed_in = recorded.end_date_agreed_in if recorded else None
        for name in ("revised_end_date", "revised_reason"):
            sources.pop(name, None)
            if recorded is not None and name in recorded.sources:
                sources[name] = recorded.sources[name]
    return ActionStatus(
        action=action,
        progress=progress,
        impact=impact,
        previous_progress=recorded.progress if recorded else None,
        previous_impact=recorded.impact if recorded else None,
        return_status=ReturnStatus.UPDATED,
        progress_commentary=update.progress_commentary,
        evidence=update.evidence,
        revised_end_date=revised,
        revised_reason=reason,
        end_date_agreed_in=agreed_in,
        confidence=update.confidence,
        risks=update.risks,
        escalation=update.escalation,
        next_milestone=update.next_milestone,
        next_milestone_date=update.next_milestone_date,
        sources=sources,
    )


def is_new_revision(action: Action, typed: dt.date | None, recorded: RecordedAction | None) -> bool:
    """A revised end date typed in a return is a new revision unless it is blank or the date
    already in force (the recorded revision, else the plan's own end date)."""
    if typed is None:
        return False
    in_force = recorded.revised_end_date if recorded else None
    return typed != (in_force or action.end_date.date)


def apply_overrides(
    statuses: list[ActionStatus], overrides: list[Override], period: Period | None = None
) -> list[Finding]:
    """Apply the office's corrections in file order; each is kept on the action it changed.

    An override naming an unknown action, or a value that does not fit its field, changes
    nothing and becomes a warning finding at its cell. An override of the revised end date
    sets it (or, left blank, withdraws it) as agreed in PERIOD; its reason is the override's,
    unless another override sets the revised reason.
    """
    by_id = {status.action.id: status for status in statuses}
    findings: list[Finding] = []
    for override in overrides:
        where = override.source
        status = by_id.get(override.action_id)
        if status is None:
            findings.append(
                _override_finding(
                    "override-unknown-action",
                    f"The override names action {override.action_id!r}, which is not in the "
                    "plan: it was not applied.",
                    override,
                )
            )
            continue
        attribute = FIELD_ATTRIBUTES.get(override.field)
        if attribute is None:
            findings.append(
                _override_finding(
                    "override-unknown-field",
                    f"The override names the field {override.field!r}, which cannot be "
                    "corrected: it was not applied.",
                    override,
                )
            )
            continue
        try:
            value = parse_override_value(override.field, override.value)
        except OverrideValueError as error:
            findings.append(_override_finding("override-bad-value", str(error), override))
            continue
        setattr(status, attribute, value)
        if where is not None:
            status.sources[attribute] = where
        status.overrides.append(override)
        if attribute == "revised_end_date":
            status.end_date_agreed_in = period
            if not overrides_for(status, "revised_reason"):
                status.revised_reason = override.reason
    return findings


def _override_finding(code: str, message: str, override: Override) -> Finding:
    where = override.source
    return Finding(
        code=code,
        severity=Severity.WARNING,
        message=message,
        file=where.file if where else "",
        sheet=where.sheet if where else "",
        cell=where.cell if where else "",
        value=override.value,
        action_id=override.action_id,
    )


def overrides_for(status: ActionStatus, attribute: str) -> list[Override]:
    """The overrides that set one field of an action (for "shown wherever the value appears")."""
    return [o for o in status.overrides if FIELD_ATTRIBUTES.get(o.field) == attribute]
