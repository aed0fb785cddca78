"""The shape of the KPI return: the one contract between ``kpis make`` and the KPI reader.

The data team fills in one workbook a month, ``inputs/kpis/PERIOD.xlsx``: a KPIs sheet with one
row per KPI in the plan (locked context on the left, three input columns on the right), an
instructions sheet, and the very hidden meta sheet of every packbuilder return (same sheet name
and marker as an officer return, with kind ``kpi``), so a KPI return is recognised by content,
never by file name. It also fixes when a KPI is due: see ``is_due``.
"""

from __future__ import annotations

from dataclasses import dataclass

from packbuilder.model import Kpi, Period
from packbuilder.returns import layout as return_layout

TEMPLATE_VERSION = "1"
KIND = "kpi"

INSTRUCTIONS_SHEET = "Instructions"
KPI_SHEET = "KPIs"
META_SHEET = return_layout.META_SHEET
META_MARKER = return_layout.META_MARKER

# Rows 1-3 are a title block, the header is row 4, KPIs from row 5 (1-based, as Excel shows).
TITLE_ROW = 1
HEADER_ROW = 4
FIRST_ROW = 5


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    letter: str
    locked: bool
    width: float
    help: str


COLUMNS: tuple[Column, ...] = (
    Column("code", "Code", "A", True, 10, "The KPI's code in the plan."),
    Column("description", "KPI", "B", True, 50, "What the KPI measures."),
    Column("areas", "Areas", "C", True, 7, "The areas of weakness the KPI evidences."),
    Column("unit", "Unit", "D", True, 8, "% for a percentage (0 to 100), else a number or score."),
    Column("polarity", "Better when", "E", True, 9, "Whether a higher or a lower value is better."),
    Column("frequency", "Frequency", "F", True, 10, "How often the KPI is measured."),
    Column("due", "Due this period", "G", True, 9, "Yes: a new value is expected this month."),
    Column("last_value", "Last value", "H", True, 10, "The last value recorded."),
    Column("last_as_at", "Last as at", "I", True, 12, "The date the last value was measured at."),
    Column("last_from", "Last value from", "J", True, 16, "Which report the last value is from."),
    Column("target", "Target in force", "K", True, 10, "The plan's target for this period."),
    Column("target_date", "Target date", "L", True, 12, "The date the target is set for."),
    Column("value", "Value", "M", False, 11, "This period's value: a number, no % sign needed."),
    Column("as_at", "As at date", "N", False, 12, "The date the value was measured at."),
    Column("note", "Note", "O", False, 40, "Any note on the value; required for a big change."),
)

COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
LAST_COLUMN = COLUMNS[-1].letter

# The meta sheet: A1 the marker, keys in A2:B(1+len), then a row table (code, row, fingerprint).
META_KEYS = ("template_version", "kind", "period", "programme", "kpi_fingerprint")
META_ROWS_HEADER = 12
META_ROWS_COLUMNS = ("code", "row", "fingerprint")

# When a KPI is due. Termly values follow the end of each school term (autumn ends in December,
# spring in March or April, summer in July); annual values follow the end of the academic year
# (attainment and absence for a year are published after it ends), and arrive in September.
TERMLY_MONTHS = (12, 4, 7)
ANNUAL_MONTHS = (9,)


def is_due(kpi: Kpi, period: Period) -> bool:
    """Whether a new value for KPI is expected in PERIOD, by its frequency."""
    frequency = kpi.frequency.strip().casefold()
    if frequency == "monthly":
        return True
    if frequency == "termly":
        return period.month in TERMLY_MONTHS
    if frequency == "annual":
        return period.month in ANNUAL_MONTHS
    return False


def kpi_fingerprint(kpi: Kpi) -> str:
    """A short hash of a KPI row's locked identity (code and description)."""
    return return_layout.fingerprint(kpi.code, kpi.description)
