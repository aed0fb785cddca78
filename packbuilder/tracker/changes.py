"""The Changes sheet: ratings that moved since the last period, then changes to the plan.

Rating changes come from the merged period; plan changes (reassigned, added, withdrawn
actions) come from history's comparison of the two periods' plans.
"""

from __future__ import annotations

from typing import Any

from packbuilder.merge import overrides_for
from packbuilder.model import PlanChange
from packbuilder.tracker.formats import SheetWriter, direction_text, rating_text


def write(w: SheetWriter, plan_changes: list[PlanChange]) -> None:
    previous = w.result.previous_period
    rows: list[list[Any]] = []
    for s in w.result.actions:
        for kind, before, after, direction in (
            ("Progress", s.previous_progress, s.progress, s.progress_direction),
            ("Impact", s.previous_impact, s.impact, s.impact_direction),
        ):
            if before is not None and before != after:
                rows.append(
                    [
                        f"{kind} changed",
                        s.action.id,
                        s.action.area,
                        s.action.text,
                        w.officer_name(s.action.reporting_officer),
                        before.value,
                        rating_text(after),
                        direction_text(direction),
                        s.return_status.value
                        + ("; override" if overrides_for(s, kind.lower()) else ""),
                    ]
                )
    actions = w.result.plan.action_by_id()
    for change in plan_changes:
        action = actions.get(change.action_id)
        was, now = change.before, change.after
        if change.change == "Reassigned":
            was, now = w.officer_name(was), w.officer_name(now)
        rows.append(
            [
                change.change,
                change.action_id,
                action.area if action else "",
                action.text if action else change.before,
                w.officer_name(action.reporting_officer) if action else "",
                was,
                now,
                "",
                "Plan change",
            ]
        )
    note = (
        f"Nothing changed since {previous.label}."
        if previous
        else "First report: there is no earlier period to compare with."
    )
    sheet = w.table_sheet(
        "Changes",
        [
            ("Change", 18),
            ("Action ID", 9),
            ("Area", 6),
            ("Action", 50),
            ("Responsible officer", 22),
            ("Before", 22),
            ("After", 22),
            ("Direction", 12),
            ("Return status", 18),
        ],
        rows,
        freeze_cols=0,
        empty_note=note,
    )
    w.brag_rule(sheet, 1, len(rows), 5)
    w.brag_rule(sheet, 1, len(rows), 6)
