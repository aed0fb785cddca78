"""Findings about the plan register, inputs/plan.xlsx."""

from __future__ import annotations

from packbuilder.findings.check import Check, E, N, W

# The plan register, inputs/plan.xlsx (plan/loader.py); `plan check` reports them, and an
# error stops every command that needs the plan.
PLAN_CHECKS: tuple[Check, ...] = (
    Check("PLAN-MISSING-SHEET", E, "plan", "A sheet of the plan register is missing.", ""),
    Check("PLAN-MISSING-HEADER", E, "plan", "A sheet lacks a column the loader needs.", ""),
    Check(
        "PLAN-UNKNOWN-HEADER", N, "plan", "A column the loader does not read; it is ignored.", ""
    ),
    Check("PLAN-EMPTY", E, "plan", "A sheet that must have rows has none.", ""),
    Check("PLAN-MISSING-VALUE", E, "plan", "A cell that must be filled in is empty.", ""),
    Check("PLAN-DUPLICATE-AREA", E, "plan", "Two rows give the same area of weakness.", ""),
    Check("PLAN-DUPLICATE-SUB-THEME", E, "plan", "Two rows give the same sub-theme.", ""),
    Check("PLAN-DUPLICATE-ACTION", E, "plan", "Two rows give the same action ID.", ""),
    Check("PLAN-DUPLICATE-OFFICER", E, "plan", "Two rows give the same officer ID.", ""),
    Check("PLAN-DUPLICATE-KPI", E, "plan", "Two rows give the same KPI code.", ""),
    Check("PLAN-DUPLICATE-TARGET", E, "plan", "Two targets for one KPI on the same date.", ""),
    Check("PLAN-DUPLICATE-RISK", E, "plan", "Two rows give the same risk ID.", ""),
    Check(
        "PLAN-UNKNOWN-SUB-THEME",
        E,
        "plan",
        "An action names a sub-theme not on the Sub-themes sheet.",
        "",
    ),
    Check("PLAN-UNKNOWN-AREA", E, "plan", "An area number that is not on the Areas sheet.", ""),
    Check(
        "PLAN-UNKNOWN-OFFICER", E, "plan", "An officer ID that is not on the Officers sheet.", ""
    ),
    Check("PLAN-UNKNOWN-KPI", E, "plan", "A KPI code that is not on the KPIs sheet.", ""),
    Check("PLAN-BAD-DATE", E, "plan", "A date cell that does not hold a date.", ""),
    Check(
        "PLAN-BAD-RATING",
        E,
        "plan",
        "A rating that is not Blue, Green, Amber, Red or Not yet rated.",
        "",
    ),
    Check(
        "PLAN-BAD-VALUE",
        E,
        "plan",
        "A value that is not one of the allowed values, or not a number.",
        "",
    ),
    Check(
        "PLAN-DATE-MISMATCH",
        W,
        "plan",
        "An action's end date cell differs from its end date as written.",
        "",
    ),
    Check("PLAN-NO-END-DATE", W, "plan", "An action's end date as written holds no date.", ""),
    Check(
        "PLAN-OPEN-END-DATE",
        N,
        "plan",
        "An open end date such as Ongoing: shown as no date, never overdue.",
        "",
    ),
)
