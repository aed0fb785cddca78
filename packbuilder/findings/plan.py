"""Findings about the plan register, inputs/plan.xlsx."""

from __future__ import annotations

from packbuilder.findings.check import Check, E, N, W

# Said after a message about one item of a list cell (plan/cells.py list_note): what the cell
# held and the separator to use. Not codes: phrases the {note} field of a plan message holds.
LIST_NOTE_COMMA = (
    " The cell reads '{read}': separate {what} with '{separator}', not a comma "
    "(as in 'A{separator} B')."
)
LIST_NOTE = " The cell reads '{read}'; separate several {what} with '{separator}'."

_NEVER_OVERDUE = "it shows as 'no date' and is never overdue"
_WRITE_A_DATE = "Write a date such as 31/03/2024, or a month such as March 2024, if there is one."

# The plan register, inputs/plan.xlsx (plan/loader.py and the sheet readers beside it); `plan
# check` reports them, and an error stops every command that needs the plan.
PLAN_CHECKS: tuple[Check, ...] = (
    Check(
        "PLAN-MISSING-SHEET",
        E,
        "plan",
        "A sheet of the plan register is missing.",
        "The plan has no '{sheet}' sheet. Add a sheet named '{sheet}' with the headers "
        "{headers} in row 1 (packbuilder init writes one).",
    ),
    Check(
        "PLAN-MISSING-HEADER",
        E,
        "plan",
        "A sheet lacks a column the loader needs.",
        "The '{sheet}' sheet has no '{value}' column. Add the header '{value}' in row 1 (the "
        "order of columns does not matter).",
    ),
    Check(
        "PLAN-UNKNOWN-HEADER",
        N,
        "plan",
        "A column the loader does not read; it is ignored.",
        "Column '{value}' is not one packbuilder reads; it is ignored. The columns it reads "
        "are: {headers}.",
    ),
    Check(
        "PLAN-EMPTY",
        E,
        "plan",
        "A sheet that must have rows has none.",
        "The '{sheet}' sheet has no rows. Fill in at least one row below the headers.",
    ),
    Check(
        "PLAN-MISSING-VALUE",
        E,
        "plan",
        "A cell that must be filled in is empty.",
        "'{header}' is empty. Fill it in, or delete the row if it is not needed.",
    ),
    Check(
        "PLAN-DUPLICATE-AREA",
        E,
        "plan",
        "Two rows give the same area of weakness.",
        "Area {value} is already given in row {first_row}. Keep one row per area of weakness.",
    ),
    Check(
        "PLAN-DUPLICATE-SUB-THEME",
        E,
        "plan",
        "Two rows give the same sub-theme.",
        "Sub-theme '{value}' is already given in row {first_row}. Keep one row per sub-theme.",
    ),
    Check(
        "PLAN-DUPLICATE-ACTION",
        E,
        "plan",
        "Two rows give the same action ID.",
        "Action {value} is already given in row {first_row}. Give each action one row with its "
        "own ID.",
    ),
    Check(
        "PLAN-DUPLICATE-OFFICER",
        E,
        "plan",
        "Two rows give the same officer ID.",
        "Officer ID '{value}' is already used in row {first_row}. Give each officer one row; "
        "list other spellings under Aliases.",
    ),
    Check(
        "PLAN-DUPLICATE-KPI",
        E,
        "plan",
        "Two rows give the same KPI code.",
        "KPI {value} is already given in row {first_row}. Keep one row per KPI.",
    ),
    Check(
        "PLAN-DUPLICATE-TARGET",
        E,
        "plan",
        "Two targets for one KPI on the same date.",
        "KPI {kpi} already has a target for {date:%d/%m/%Y}. Keep one target per date.",
    ),
    Check(
        "PLAN-DUPLICATE-RISK",
        E,
        "plan",
        "Two rows give the same risk ID.",
        "Risk {value} is already given in row {first_row}. Give each risk its own ID.",
    ),
    Check(
        "PLAN-UNKNOWN-SUB-THEME",
        E,
        "plan",
        "An action names a sub-theme not on the Sub-themes sheet.",
        "Sub-theme '{value}' of action {subject} is not on the Sub-themes sheet. Add it there "
        "or correct the code.",
    ),
    Check(
        "PLAN-UNKNOWN-AREA",
        E,
        "plan",
        "An area number that is not on the Areas sheet.",
        "Area {value} is not on the Areas sheet. Add it there or correct the number.{note}",
    ),
    Check(
        "PLAN-UNKNOWN-OFFICER",
        E,
        "plan",
        "An officer ID that is not on the Officers sheet.",
        "'{reference}' in '{header}' is not an officer ID on the Officers sheet. Add the "
        "officer to the Officers sheet, or correct the ID.{note}",
        variants=(
            (
                "alias",
                "'{reference}' in '{header}' is not an officer ID on the Officers sheet. That is "
                "how officer '{officer}' is named: write '{officer}'.{note}",
            ),
        ),
    ),
    Check(
        "PLAN-UNKNOWN-KPI",
        E,
        "plan",
        "A KPI code that is not on the KPIs sheet.",
        "KPI {value} is not on the KPIs sheet. Add it there or correct the code.",
        variants=(
            (
                "action",
                "KPI {value} of action {action} is not on the KPIs sheet. Add it there, correct "
                "the code, or move the words to 'Other measures as written'.{note}",
            ),
        ),
    ),
    Check(
        "PLAN-BAD-DATE",
        E,
        "plan",
        "A date cell that does not hold a date.",
        "'{header}' must be a date; '{value}' is not one. Enter a date such as 31/07/2023 (day "
        "first).",
    ),
    Check(
        "PLAN-BAD-RATING",
        E,
        "plan",
        "A rating that is not Blue, Green, Amber, Red or Not yet rated.",
        "'{value}' is not a rating. Write one of {allowed}.",
    ),
    Check(
        "PLAN-BAD-VALUE",
        E,
        "plan",
        "A value that is not one of the allowed values, or not a number.",
        "'{header}' must be one of {options}; it is '{value}'.",
        variants=(
            (
                "whole-number",
                "'{header}' must be a whole number from {low} to {high}; it is '{value}'.",
            ),
            (
                "number",
                "'{header}' must be a number; it is '{value}'. Write the number only (put words "
                "in '{header} as written' where the sheet has one).",
            ),
            (
                "officer-id",
                "Officer ID '{value}' must be lower-case letters, digits and hyphens (a slug "
                "such as '{slug}'). Change it here and wherever the plan refers to it.",
            ),
            (
                "area-numbers",
                "'Areas' must list area numbers separated by '{separator}' (such as "
                "1{separator} 3); '{part}' is not a number.{note}",
            ),
            ("yes-no", "'High impact' must be yes or no (or empty for no); it is '{value}'."),
            ("target", "A target must be a number (such as 75 or 75%) or TBC; it is '{value}'."),
        ),
    ),
    Check(
        "PLAN-DATE-MISMATCH",
        W,
        "plan",
        "An action's end date cell differs from its end date as written.",
        "The end date {value} of action {action} differs from the end date as written, "
        "'{written}' ({written_date:%d/%m/%Y}). The date cell is used; correct whichever is "
        "wrong.",
    ),
    Check(
        "PLAN-NO-END-DATE",
        W,
        "plan",
        "An action's end date as written holds no date.",
        "The end date of action {action} ('{value}') holds no date: "
        + _NEVER_OVERDUE
        + ". "
        + _WRITE_A_DATE,
        variants=(
            (
                "empty",
                "The end date of action {action} is empty: "
                + _NEVER_OVERDUE
                + ". "
                + _WRITE_A_DATE,
            ),
        ),
    ),
    Check(
        "PLAN-OPEN-END-DATE",
        N,
        "plan",
        "An open end date such as Ongoing: shown as no date, never overdue.",
        "Action {action} has no end date ('{value}'): " + _NEVER_OVERDUE + ".",
    ),
)
