"""Findings about the KPI return, inputs/kpis/PERIOD.xlsx."""

from __future__ import annotations

from packbuilder.findings.check import Check, E, N, W

# The data team's KPI return, inputs/kpis/PERIOD.xlsx (kpis/read.py), checked by `check` and
# `build` with the officers' returns; KPI-TARGET-WRONG-SIDE comes from `plan check`
# (kpis/targets.py).
KPI_CHECKS: tuple[Check, ...] = (
    Check("KPI-NO-RETURN", W, "kpi", "No KPI return for a period in which KPIs are due.", ""),
    Check("KPI-UNREADABLE", E, "kpi", "The KPI return could not be read as an Excel workbook.", ""),
    Check(
        "KPI-NOT-KPI-RETURN",
        E,
        "kpi",
        "The file is not a KPI return made by 'packbuilder kpis make'.",
        "",
    ),
    Check("KPI-WRONG-PERIOD", E, "kpi", "The KPI return was made for another period.", ""),
    Check("KPI-UNKNOWN-CODE", E, "kpi", "A row's KPI code is not in the plan.", ""),
    Check("KPI-DUPLICATE-CODE", E, "kpi", "Two rows give the same KPI code.", ""),
    Check("KPI-NOT-A-NUMBER", E, "kpi", "A value that is not a number.", ""),
    Check(
        "KPI-NUMBER-FROM-TEXT",
        N,
        "kpi",
        "A number typed with % or commas (64%, 7,399), or a percentage as a fraction (0.64), "
        "read as one.",
        "",
    ),
    Check("KPI-PERCENT-RANGE", E, "kpi", "A percentage outside 0 to 100.", ""),
    Check("KPI-BAD-DATE", E, "kpi", "An as-at date that is not a date.", ""),
    Check("KPI-DATE-FROM-TEXT", N, "kpi", "An as-at date typed as text, read day first.", ""),
    Check(
        "KPI-AS-AT-DEFAULTED",
        N,
        "kpi",
        "A value with no as-at date, taken as at the period's end.",
        "",
    ),
    Check("KPI-AS-AT-AFTER-PERIOD", W, "kpi", "An as-at date after the end of the period.", ""),
    Check("KPI-DUE-NO-VALUE", W, "kpi", "A KPI due this period has no value.", ""),
    Check(
        "KPI-BIG-MOVE",
        W,
        "kpi",
        "A value moved more than the configured amount, with no note.",
        "",
    ),
    Check(
        "KPI-TARGET-WRONG-SIDE",
        W,
        "kpi",
        "A target on the wrong side of the baseline for its polarity.",
        "",
    ),
)
