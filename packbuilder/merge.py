"""The merge: checked returns, last period's values and the office's overrides become the period.

This stage sits between ``check`` and history. It is pure: it reads a ``CheckReport``, the
values history recorded for the latest earlier period and the overrides, and returns one
``ActionStatus`` per action of the plan, the area commentary and its own findings. Rules:

- the rows of the counted officer returns enter, each value with the cell it came from;
- an error rejects what is wrong and no more (each code's ``rejects`` in the registry): a
  rejected cell keeps its last known value (last period's, or in the first report the plan's
  rating, its rating words as commentary, else nothing) and the row's other cells enter,
  ``ReturnStatus.CELLS_CARRIED``. Fields that go together are kept together
  (``FIELDS_TOGETHER``): a revised end date and its reason, a next milestone and its date. A
  rating stands on its own: a Red with no commentary enters as Red, and only the commentary
  (the cell in error) is carried; a rating left blank keeps last period's rating;
- a row the checker rejects whole (locked text edited, a duplicated row) or a row missing from
  a counted return keeps all of last period's values, ``ReturnStatus.ERRORS``;
- every value kept because of an error is listed in ``ActionStatus.carried`` with why, in
  words, and ``carried_words`` says so wherever it is shown;
- an officer with no counted return keeps last period's values, ``ReturnStatus.NO_RETURN``;
  with nothing recorded yet (the first report, or an action new to the plan) the plan's
  baseline stands, ``ReturnStatus.FIRST_REPORT``;
- superseded and rejected files never enter (only ``FileStatus.COUNTED`` files are read);
- area commentary comes from the counted area-lead returns;
- the end date in force carries: a revised end date in a row that entered, differing from the
  date in force, is a new revision, agreed this period with its reason; a blank revised-date
  cell, or the date already in force typed again, keeps the revision recorded before (and the
  period it was agreed in), so an agreed date is never forgotten the month after;
- then the overrides apply, each recorded on the action with its reason; an override on a
  carried value replaces it, and it is no longer marked as carried (an override of the
  revised end date sets or withdraws it, agreed this period).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from packbuilder.findings import REGISTRY, finding
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

# Fields that enter or stay out together: a date is no use without its reason or its milestone.
FIELDS_TOGETHER: tuple[tuple[str, ...], ...] = (
    ("revised_end_date", "revised_reason"),
    ("next_milestone", "next_milestone_date"),
)
_PARTNERS = {name: group for group in FIELDS_TOGETHER for name in group}

# Shown as "Amber, carried forward: …"; the longer texts as "Carried forward (…): words".
_SHORT_FIELDS = frozenset(
    {"progress", "impact", "confidence", "escalation", "revised_end_date", "next_milestone_date"}
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
            if update is None or update.row_rejected:
                status = _carried(action, recorded, ReturnStatus.ERRORS)
                code = update.row_rejected if update is not None else "row-missing"
                why = REGISTRY[code].carried or "this month's row was not valid"
                status.carried = dict.fromkeys(CARRIED_FIELDS, why)
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
    """A row that entered: every value from the return but the rejected ones (with the fields
    that go with them), which keep their last known value; a blank rating keeps the last one;
    the end date in force stays unless the row gives a new one."""
    carried = rejected_fields(update)
    kept = _carried(action, recorded, ReturnStatus.ERRORS)
    sources = {k: v for k, v in update.sources.items() if k not in carried}
    values = {name: getattr(update, name) for name in CARRIED_FIELDS}
    for name in ("progress", "impact"):
        if values[name] is None and name not in carried:
            values[name] = getattr(kept, name)
            if recorded is not None and name in recorded.sources:
                sources[name] = recorded.sources[name]
    for name in carried:
        values[name] = getattr(kept, name)
        if name in kept.sources:
            sources[name] = kept.sources[name]
    agreed_in = kept.end_date_agreed_in
    if "revised_end_date" not in carried and is_new_revision(
        action, update.revised_end_date, recorded
    ):
        agreed_in = period
    else:
        for name in ("revised_end_date", "revised_reason"):
            values[name] = getattr(kept, name)
            sources.pop(name, None)
            if name in kept.sources:
                sources[name] = kept.sources[name]
    return ActionStatus(
        action=action,
        previous_progress=recorded.progress if recorded else None,
        previous_impact=recorded.impact if recorded else None,
        return_status=ReturnStatus.CELLS_CARRIED if carried else ReturnStatus.UPDATED,
        end_date_agreed_in=agreed_in,
        sources=sources,
        carried=carried,
        **values,
    )


def rejected_fields(update: ActionUpdate) -> dict[str, str]:
    """The fields of a row that keep their last value, each with why in words: every cell
    an error rejected, with the fields that go with it (``FIELDS_TOGETHER``)."""
    carried: dict[str, str] = {}
    for name in CARRIED_FIELDS:
        code = update.rejected.get(name)
        if code is None:
            continue
        why = REGISTRY[code].carried or "this month's value was not valid"
        for partner in _PARTNERS.get(name, (name,)):
            carried.setdefault(partner, why)
    return {name: carried[name] for name in CARRIED_FIELDS if name in carried}


def carried_words(status: ActionStatus, attribute: str, shown: str) -> str:
    """SHOWN (a value as an output writes it) saying in words that it was carried forward
    because this period's value was rejected; SHOWN itself when it was not."""
    why = status.carried.get(attribute)
    if why is None:
        return shown
    if attribute in _SHORT_FIELDS:
        return f"{shown or 'None recorded'}, carried forward: {why}"
    if not shown:
        return f"Nothing recorded to carry forward ({why})"
    return f"Carried forward ({why}): {shown}"


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
            findings.append(_override_finding("override-unknown-action", override))
            continue
        attribute = FIELD_ATTRIBUTES.get(override.field)
        if attribute is None:
            findings.append(
                _override_finding(
                    "override-unknown-field", override, variant="applying", field=override.field
                )
            )
            continue
        try:
            value = parse_override_value(override.field, override.value)
        except OverrideValueError as error:
            fields = {"variant": error.variant, **error.fields}
            findings.append(_override_finding("override-bad-value", override, **fields))
            continue
        setattr(status, attribute, value)
        if where is not None:
            status.sources[attribute] = where
        status.overrides.append(override)
        if attribute == "revised_end_date":
            status.end_date_agreed_in = period
            if not overrides_for(status, "revised_reason"):
                status.revised_reason = override.reason
                status.carried.pop("revised_reason", None)
        status.carried.pop(attribute, None)
        if status.return_status is ReturnStatus.CELLS_CARRIED and not status.carried:
            status.return_status = ReturnStatus.UPDATED
    return findings


def _override_finding(code: str, override: Override, **fields: object) -> Finding:
    """CODE's finding at the override's cell, its message from the registry with FIELDS."""
    where = override.source
    return finding(
        code,
        file=where.file if where else "",
        sheet=where.sheet if where else "",
        cell=where.cell if where else "",
        value=override.value,
        officer_id="",
        action_id=override.action_id,
        **fields,
    )


def overrides_for(status: ActionStatus, attribute: str) -> list[Override]:
    """The overrides that set one field of an action (for "shown wherever the value appears")."""
    return [o for o in status.overrides if FIELD_ATTRIBUTES.get(o.field) == attribute]
