"""Findings about the KPI return, inputs/kpis/PERIOD.xlsx."""

from __future__ import annotations

from packbuilder.findings.check import Check, E, N, W

# The data team's KPI return, inputs/kpis/PERIOD.xlsx (kpis/read.py reads it, kpis/rules.py
# judges its rows), checked by `check` and `build` with the officers' returns;
# KPI-TARGET-WRONG-SIDE comes from `plan check` (kpis/targets.py).
KPI_CHECKS: tuple[Check, ...] = (
    Check(
        "KPI-NO-RETURN",
        W,
        "kpi",
        "No KPI return for a period in which KPIs are due.",
        "There is no KPI return for {period_label} and {count} KPIs are due ({due}). Make it "
        "with 'packbuilder kpis make {period}', ask the data team to fill it in, and save it as "
        "{file} in {folder}/. Last values are carried forward.",
    ),
    Check(
        "KPI-UNREADABLE",
        E,
        "kpi",
        "The KPI return could not be read as an Excel workbook.",
        "{file} was not read: {why}. Save the KPI return as an Excel workbook (.xlsx), without "
        "a password, and send it again.",
        variants=(
            (
                "damaged",
                "{file} could not be opened: it is damaged or not laid out as Excel saves it. "
                "Open it in Excel, save it as .xlsx and send it again.",
            ),
            (
                "failed",
                "The KPI return could not be read ({why}). Open it in Excel, save it as an Excel "
                "workbook (.xlsx) and check again; last values are carried forward.",
            ),
        ),
    ),
    Check(
        "KPI-NOT-KPI-RETURN",
        E,
        "kpi",
        "The file is not a KPI return made by 'packbuilder kpis make'.",
        "{file} is not a KPI return made by packbuilder (it has no KPI return's hidden sheet). "
        "Make one with 'packbuilder kpis make {period}' and copy the values into it.",
    ),
    Check(
        "KPI-WRONG-PERIOD",
        E,
        "kpi",
        "The KPI return was made for another period.",
        "{file} is the KPI return for {stated}, not {period}. Fill in the return made for "
        "{period_label} ('packbuilder kpis make {period}').",
    ),
    Check(
        "KPI-UNKNOWN-CODE",
        E,
        "kpi",
        "A row's KPI code is not in the plan.",
        "KPI {value} is not in the plan, so its value was not counted. Check the code against "
        "the plan, or ask the programme office to add the KPI.",
        variants=(
            (
                "no-code",
                "Row {row} has a value but no KPI code. Put values only on the rows of the KPIs "
                "listed; ask the programme office to add a new KPI.",
            ),
        ),
    ),
    Check(
        "KPI-DUPLICATE-CODE",
        E,
        "kpi",
        "Two rows give the same KPI code.",
        "KPI {value} is also on row {first_row}; only that row was read. Keep one row per KPI.",
    ),
    Check(
        "KPI-NOT-A-NUMBER",
        E,
        "kpi",
        "A value that is not a number.",
        "The value of KPI {kpi} is '{value}', which is not a number. Type the number only (for "
        "64% type 64), or leave it blank and explain in the note.",
    ),
    Check(
        "KPI-NUMBER-FROM-TEXT",
        N,
        "kpi",
        "A number typed with % or commas (64%, 7,399), or a percentage as a fraction (0.64), "
        "read as one.",
        "The value of KPI {kpi} was typed as text '{value}' and read as {number}.",
        variants=(
            (
                "fraction",
                "The value of KPI {kpi} is {typed}, read as {shown}: the KPI is a percentage and "
                "the plan gives its baseline and targets from 0 to 100. If {typed}% is meant, "
                "type it with the % sign.",
            ),
        ),
    ),
    Check(
        "KPI-PERCENT-RANGE",
        E,
        "kpi",
        "A percentage outside 0 to 100.",
        "KPI {kpi} is a percentage, but its value is {number}. Give a percentage from 0 to 100 "
        "(for 64% type 64, not 6400).",
    ),
    Check(
        "KPI-BAD-DATE",
        E,
        "kpi",
        "An as-at date that is not a date.",
        "The as-at date of KPI {kpi} is '{value}', which is not a date, so its value {number} "
        "was not counted. Type a date like 31/07/2023.",
    ),
    Check(
        "KPI-DATE-FROM-TEXT",
        N,
        "kpi",
        "An as-at date typed as text, read day first.",
        "The as-at date of KPI {kpi} was typed as text '{value}' and read as {as_at:%d/%m/%Y}.",
    ),
    Check(
        "KPI-AS-AT-DEFAULTED",
        N,
        "kpi",
        "A value with no as-at date, taken as at the period's end.",
        "KPI {kpi} has a value but no as-at date; it is taken as at {as_at:%d/%m/%Y}, the end "
        "of {period_label}.",
    ),
    Check(
        "KPI-AS-AT-AFTER-PERIOD",
        W,
        "kpi",
        "An as-at date after the end of the period.",
        "The as-at date of KPI {kpi} is {as_at:%d/%m/%Y}, after the end of {period_label}. "
        "Check it is the date the value was measured at, not the date the return was filled in.",
    ),
    Check(
        "KPI-DUE-NO-VALUE",
        W,
        "kpi",
        "A KPI due this period has no value.",
        "KPI {value} is {frequency} and due in {period_label}, but has no value. Give this "
        "period's value and its as-at date, or a note saying when it will be available; until "
        "then the last value is carried forward.",
    ),
    Check(
        "KPI-BIG-MOVE",
        W,
        "kpi",
        "A value moved more than the configured amount, with no note.",
        "KPI {kpi} moved from {previous} ({source}) to {value}, {moved}, more than the "
        "{threshold:g}% that needs a note. Add a note saying why in column {note_column}, or "
        "correct the value.",
    ),
    Check(
        "KPI-TARGET-WRONG-SIDE",
        W,
        "kpi",
        "A target on the wrong side of the baseline for its polarity.",
        "KPI {kpi} ({better} is better) has a target of {target} for {date:%B %Y}, {side} its "
        "baseline of {baseline}: it would be rated Green for getting worse. Check the target "
        "(is it another measure's, or is the polarity wrong?) and correct the {targets_sheet} "
        "or {kpis_sheet} sheet; until then packbuilder rates against the target as written.",
    ),
)
