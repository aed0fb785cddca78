"""What each column of the plan register is for, in the office's words.

``init`` writes these notes into the new plan.xlsx (an Instructions sheet, and an input message
with a dropdown on each closed column), and docs/plan-register.md says the same at length. The
loader stays the judge of what a cell may hold; the notes only tell the office beforehand.
"""

from __future__ import annotations

from packbuilder.model import BRAG_ORDER, Rating
from packbuilder.plan import schema

_SEP = schema.LIST_SEPARATOR
_DAY_FIRST = "a date cell, or a date typed day first (31/03/2025)"

# (sheet, header) -> the note shown as the column's input message and on the Instructions sheet.
NOTES: dict[tuple[str, str], str] = {
    (schema.AREAS, "Area"): "The area of weakness's number: 1, 2, 3 …",
    (schema.AREAS, "Title"): "The area of weakness as the plan words it.",
    (schema.AREAS, "Area lead"): "Optional. The area lead's officer ID (from the Officers sheet).",
    (schema.SUB_THEMES, "Sub-theme"): "The area number and a letter: 1a, 1b, 2a …",
    (schema.SUB_THEMES, "Area"): "The number of the area it belongs to.",
    (schema.SUB_THEMES, "Title"): "The sub-theme as the plan words it.",
    (schema.ACTIONS, "Action ID"): "The sub-theme in capitals and a number: 1A1, 1A2 …",
    (schema.ACTIONS, "Sub-theme"): "The sub-theme code from the Sub-themes sheet (1a).",
    (schema.ACTIONS, "Action"): "The action as the plan words it.",
    (schema.ACTIONS, "End date as written"): (
        "The end date as the plan words it: a date, a month ('March 2025') or words such as "
        "'Ongoing' (never overdue)."
    ),
    (schema.ACTIONS, "End date"): (
        f"Optional: {_DAY_FIRST}. Only where the words above are not a date packbuilder reads."
    ),
    (schema.ACTIONS, "Reporting officer"): (
        "The officer ID (from the Officers sheet) of the one officer who rates the action."
    ),
    (schema.ACTIONS, "Other officers"): (
        f"Optional. Officer IDs of others named on the action, separated by '{_SEP}'. "
        "They see it for information."
    ),
    (schema.ACTIONS, "Officer as written"): (
        "Optional. The owners as the plan words them; kept for reference, not read."
    ),
    (schema.ACTIONS, "KPI codes"): (
        f"Optional. Codes from the KPIs sheet, separated by '{_SEP}' (KPI01{_SEP} KPI02)."
    ),
    (schema.ACTIONS, "Other measures as written"): "Optional. Measures that are not KPIs.",
    (schema.ACTIONS, "Planned evidence of impact"): "Optional. What will show the difference.",
    (schema.ACTIONS, "Baseline progress as written"): (
        "Optional. The progress rating when the plan was agreed: Blue, Green, Amber or Red."
    ),
    (schema.ACTIONS, "Baseline impact as written"): (
        "Optional. The impact rating when the plan was agreed, or 'Not yet rated'."
    ),
    (schema.OFFICERS, "Officer ID"): (
        "A short ID of lower-case letters, digits and hyphens (head-of-send). Never change it."
    ),
    (schema.OFFICERS, "Name or role"): "As it appears on the officer's return.",
    (schema.OFFICERS, "Organisation"): "Optional. Council, NHS, parent forum …",
    (schema.OFFICERS, "Email"): "Optional. Where returns and reminders are sent.",
    (schema.OFFICERS, "Aliases"): (
        f"Optional. Other spellings of the name in the plan, separated by '{_SEP}'."
    ),
    (schema.KPIS, "Code"): "A short code of your own: KPI01, KPI02 …",
    (schema.KPIS, "Description"): "What the KPI measures.",
    (
        schema.KPIS,
        "Areas",
    ): f"Optional. Area numbers it reports on, separated by '{_SEP}' (1{_SEP} 3).",
    (schema.KPIS, "Unit"): "Optional. '%' for a percentage, or a word such as 'days'.",
    (schema.KPIS, "Polarity"): "higher (more is better) or lower (less is better).",
    (schema.KPIS, "Frequency"): "monthly, termly or annual.",
    (schema.KPIS, "Baseline"): "Optional. The starting value as a number (60 for 60%).",
    (schema.KPIS, "Baseline as written"): (
        "Optional. The baseline as the plan words it ('60% (March 2024)'); kept for reference."
    ),
    (schema.KPIS, "Baseline date"): f"Optional: {_DAY_FIRST}.",
    (schema.KPIS, "Standard"): "Optional. The value that counts as the standard achieved (Amber).",
    (schema.KPIS, "High impact"): "yes or no (empty is no).",
    (schema.KPI_TARGETS, "Code"): "The KPI's code from the KPIs sheet; one row per target.",
    (schema.KPI_TARGETS, "Target date"): f"When the target is due: {_DAY_FIRST}.",
    (schema.KPI_TARGETS, "Target as written"): "The target value (75 for 75%), or 'TBC'.",
    (schema.RISKS, "Risk ID"): "A short ID of your own: R01, R02 …",
    (schema.RISKS, "Date"): "Optional. When the risk was raised.",
    (schema.RISKS, "Risk"): "The risk in a sentence.",
    (schema.RISKS, "Owner"): "Optional. Who manages it.",
    (schema.RISKS, "Severity"): "High, Medium or Low.",
    (schema.RISKS, "Mitigations"): "Optional.",
    (schema.RISKS, "Severity after mitigation"): "Optional. High, Medium or Low.",
    (schema.RISKS, "Progress"): "Optional.",
    (schema.RISKS, "Status"): "Optional. Open or Closed, in your words.",
    (schema.RISKS, "Likelihood"): "Optional. A whole number from 1 to 5.",
    (schema.RISKS, "Impact"): "Optional. A whole number from 1 to 5.",
}

# Closed columns: the dropdown's choices. Whole-number columns are in WHOLE_NUMBERS.
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    (schema.ACTIONS, "Baseline progress as written"): tuple(r.value for r in BRAG_ORDER),
    (schema.ACTIONS, "Baseline impact as written"): (
        *(r.value for r in BRAG_ORDER),
        Rating.NOT_YET_RATED.value,
    ),
    (schema.KPIS, "Polarity"): schema.POLARITIES,
    (schema.KPIS, "Frequency"): schema.FREQUENCIES,
    (schema.KPIS, "High impact"): ("yes", "no"),
    (schema.RISKS, "Severity"): schema.SEVERITIES,
    (schema.RISKS, "Severity after mitigation"): schema.SEVERITIES,
}
# Closed columns that still take the plan's own words ("TBC in September"): a dropdown that
# offers the choices without refusing other text.
OPEN_CHOICES = {
    (schema.ACTIONS, "Baseline progress as written"),
    (schema.ACTIONS, "Baseline impact as written"),
}
WHOLE_NUMBERS: dict[tuple[str, str], tuple[int, int]] = {
    (schema.AREAS, "Area"): (1, 99),
    (schema.SUB_THEMES, "Area"): (1, 99),
    (schema.RISKS, "Likelihood"): (1, 5),
    (schema.RISKS, "Impact"): (1, 5),
}

INSTRUCTIONS_SHEET = "Instructions"
INTRODUCTION = (
    "This workbook is the plan register: packbuilder makes every return, tracker and report "
    "from it. Keep one row per area, sub-theme, action, officer, KPI, target and risk, under "
    "the headers in row 1 of each sheet (columns may be reordered; do not rename headers).",
    "Replace the example rows with your own plan. Columns marked 'required' must be filled "
    "on every row; the rest may be left empty.",
    f"Where a cell lists several items (other officers, KPI codes, areas, aliases), separate "
    f"them with '{_SEP}', as in 'KPI01{_SEP} KPI02'. A comma is read as part of the item.",
    "Columns ending 'as written' keep the plan's own words for reference; only 'End date as "
    "written' is required, and it is read for the date unless the 'End date' cell has one.",
    "Cells with a dropdown accept only its choices. Run 'packbuilder plan check' after each "
    "edit: it names every cell to correct. docs/plan-register.md explains every column.",
)


def note(sheet: str, header: str) -> str:
    """The column's note, with 'Required.' in front where the loader needs it filled."""
    text = NOTES.get((sheet, header), "")
    if header in schema.REQUIRED.get(sheet, ()):
        return f"Required. {text}".strip()
    return text
