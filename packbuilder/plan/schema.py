"""The plan register workbook (inputs/plan.xlsx): its sheets and their headers.

The office maintains this workbook by hand; the seed extraction, ``init`` and the loader all
take the sheet names and headers from here. Headers are matched by text (case and spacing
ignored), so the office may reorder columns; the first row of each sheet is the header.
"""

from __future__ import annotations

from packbuilder.model import RISK_SEVERITIES

AREAS = "Areas"
SUB_THEMES = "Sub-themes"
ACTIONS = "Actions"
OFFICERS = "Officers"
KPIS = "KPIs"
KPI_TARGETS = "KPI targets"
RISKS = "Risks"

LIST_SEPARATOR = ";"  # between officer IDs, KPI codes, areas and aliases in one cell

HEADERS: dict[str, tuple[str, ...]] = {
    AREAS: ("Area", "Title", "Area lead"),
    SUB_THEMES: ("Sub-theme", "Area", "Title"),
    ACTIONS: (
        "Action ID",
        "Sub-theme",
        "Action",
        "End date as written",
        "End date",
        "Reporting officer",
        "Other officers",
        "Officer as written",
        "KPI codes",
        "Other measures as written",
        "Planned evidence of impact",
        "Baseline progress as written",
        "Baseline impact as written",
    ),
    OFFICERS: ("Officer ID", "Name or role", "Organisation", "Email", "Aliases"),
    KPIS: (
        "Code",
        "Description",
        "Areas",
        "Unit",
        "Polarity",
        "Frequency",
        "Baseline",
        "Baseline as written",
        "Baseline date",
        "Standard",
        "High impact",
    ),
    KPI_TARGETS: ("Code", "Target date", "Target as written"),
    RISKS: (
        "Risk ID",
        "Date",
        "Risk",
        "Owner",
        "Severity",
        "Mitigations",
        "Severity after mitigation",
        "Progress",
        "Status",
        "Likelihood",
        "Impact",
    ),
}

# Headers a sheet must have; the rest may be left out by the office.
REQUIRED: dict[str, tuple[str, ...]] = {
    AREAS: ("Area", "Title"),
    SUB_THEMES: ("Sub-theme", "Area", "Title"),
    ACTIONS: ("Action ID", "Sub-theme", "Action", "End date as written", "Reporting officer"),
    OFFICERS: ("Officer ID", "Name or role"),
    KPIS: ("Code", "Description"),
    KPI_TARGETS: ("Code", "Target date", "Target as written"),
    RISKS: ("Risk ID", "Risk", "Severity"),
}

# One example row per sheet for the plan that ``init`` writes.
EXAMPLE_ROWS: dict[str, tuple[object, ...]] = {
    AREAS: (
        1,
        "Parents' confidence that the local area meets their children's needs",
        "area-1-lead",
    ),
    SUB_THEMES: ("1a", 1, "Parental confidence is low"),
    ACTIONS: (
        "1A1",
        "1a",
        "Publish a communications and engagement strategy",
        "31 March 2024",
        None,
        "head-of-communications",
        "",
        "Head of Communications",
        "KPI01",
        "",
        "Strategy published; parents' survey shows improved confidence",
        "Amber",
        "Not yet rated",
    ),
    OFFICERS: ("head-of-communications", "Head of Communications", "Council", "", ""),
    # init adds the area lead's own officer row ("area-1-lead", "Area 1 lead") beside this one.
    KPIS: (
        "KPI01",
        "Percentage of complaints responded to within 20 working days",
        "1",
        "%",
        "higher",
        "monthly",
        60,
        "60",
        None,
        None,
        "yes",
    ),
    KPI_TARGETS: ("KPI01", None, "75"),  # init dates it a year from the first period
    RISKS: (
        "R01",
        "01/04/2024",
        "Lack of capacity to deliver the plan",
        "Programme director",
        "High",
        "Prioritise actions; recruit",
        "Medium",
        "Recruitment under way",
        "Open",
        None,
        None,
    ),
}

SEVERITIES = RISK_SEVERITIES
FREQUENCIES = ("monthly", "termly", "annual")
POLARITIES = ("higher", "lower")
