"""The plan as history keeps it: per-period snapshots, the changes between two, and drift.

``build`` stores a snapshot of the plan with each period (``store.History.record``), lists
the actions added, retired or changed since the period before for the tracker's Plan changes
sheet, and warns when a period is rebuilt with another plan than the one it was built with.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packbuilder.findings import finding
from packbuilder.model import Finding, Period, Plan, PlanChange

if TYPE_CHECKING:
    from packbuilder.history.store import History


def plan_snapshot(plan: Plan) -> dict[str, Any]:
    """The plan as plain data: stored per period and compared between periods."""
    return {
        "areas": [plain(a) for a in plan.areas],
        "sub_themes": [plain(s) for s in plan.sub_themes],
        "actions": [plain(a) for a in plan.actions],
        "officers": [plain(o) for o in plan.officers],
        "kpis": [plain(k) for k in plan.kpis],
        "risks": [plain(r) for r in plan.risks],
    }


def snapshot_sha256(snapshot: dict[str, Any]) -> str:
    text = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Path):
        return value.name
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def plan_changes(before: dict[str, Any] | None, plan: Plan) -> list[PlanChange]:
    """Actions added, retired, reassigned or changed since the snapshot BEFORE."""
    if before is None:
        return []
    old = {a["id"]: a for a in before.get("actions", [])}
    changes: list[PlanChange] = []
    current = {a.id: a for a in plan.actions}
    for action in plan.actions:
        previous = old.get(action.id)
        if previous is None:
            changes.append(PlanChange(action.id, "Added", "", action.text))
            continue
        if previous.get("reporting_officer") != action.reporting_officer:
            changes.append(
                PlanChange(
                    action.id,
                    "Reassigned",
                    str(previous.get("reporting_officer", "")),
                    action.reporting_officer,
                )
            )
        old_end = str(previous.get("end_date", {}).get("text", ""))
        if old_end != action.end_date.text:
            changes.append(PlanChange(action.id, "End date changed", old_end, action.end_date.text))
        if previous.get("text") != action.text:
            changes.append(
                PlanChange(action.id, "Text changed", str(previous.get("text", "")), action.text)
            )
    for action_id, previous in old.items():
        if action_id not in current:
            changes.append(PlanChange(action_id, "Retired", str(previous.get("text", "")), ""))
    return changes


def plan_drift(history: History, period: Period, plan_sha256: str) -> Finding | None:
    """A warning when PERIOD was recorded with another plan than the one building it now."""
    recorded = history.plan_snapshot(period)
    if recorded is None or recorded[0] == plan_sha256:
        return None
    return finding("plan-changed-since-build", file="plan.xlsx", period_label=period.label)
