"""The shape of a return workbook: the one contract between making a return and reading it.

``returns make`` writes this layout and the reader and checks read it back, so both import the
column lists, sheet names and fingerprint from here and nowhere else. Bump TEMPLATE_VERSION when
the layout changes and keep the older layout in COLUMNS_BY_VERSION: a return made from an older
template is still read with its own columns (``columns_for``).

Version 2 added the locked "End date in force" column (F) beside the original end date, so the
columns from "Your role" on moved one letter right of version 1's.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from packbuilder.model import Period, column_letter

TEMPLATE_VERSION = "2"

INSTRUCTIONS_SHEET = "Instructions"
RETURN_SHEET = "Return"
AREA_SHEET = "Area commentary"
FEEDBACK_SHEET = "What to fix"  # added to a feedback workbook; comes back with the correction
META_SHEET = "_packbuilder"  # very hidden; LibreOffice may save it as merely hidden
META_MARKER = "packbuilder return"  # A1 of the meta sheet

# Officer return sheet: rows 1-3 are a title block, the header is row 4, actions from row 5.
TITLE_ROW = 1
HEADER_ROW = 4
FIRST_ROW = 5


@dataclass(frozen=True)
class Column:
    key: str  # the field name on ActionUpdate / in findings
    header: str  # what the officer sees
    letter: str
    locked: bool
    width: float
    # The input message / the instructions sheet's explanation; {areas}, {revised_date} and
    # {milestone_date} are filled from the plan and period by ``column_help``.
    help: str
    kind: str = "text"  # text | rating | impact | date | confidence | yesno


# Locked context columns, then the officer's inputs. Letters are fixed: the checker addresses
# cells by them, and a feedback workbook must put its comments in the same places.
COLUMNS: tuple[Column, ...] = (
    Column("action_id", "Action ID", "A", True, 9, "The action's reference in the plan."),
    Column("area", "Area", "B", True, 6, "Area of weakness ({areas})."),
    Column("sub_theme", "Sub-theme", "C", True, 9, "The lettered sub-theme."),
    Column("action_text", "Action", "D", True, 48, "The action as the plan states it."),
    Column("end_date", "Original end date", "E", True, 14, "By when, as the plan states it."),
    Column(
        "end_in_force",
        "End date in force",
        "F",
        True,
        16,
        "The end date that applies now: the plan's own, or the latest agreed revised date and "
        "the month it was agreed. It stays in force until you give a new revised end date.",
    ),
    Column(
        "role",
        "Your role",
        "G",
        True,
        12,
        "Reporting: you rate it. For information: another officer reports it; nothing to fill in.",
    ),
    Column("last_progress", "Last progress", "H", True, 11, "Progress rating last period."),
    Column("last_impact", "Last impact", "I", True, 11, "Impact rating last period."),
    Column("last_commentary", "Last commentary", "J", True, 36, "Your commentary last period."),
    Column(
        "progress",
        "Progress BRAG",
        "K",
        False,
        12,
        "Progress on the action this month: Blue, Green, Amber or Red.",
        "rating",
    ),
    Column(
        "impact",
        "Impact BRAG",
        "L",
        False,
        12,
        "Impact on children and young people: Blue, Green, Amber, Red, or Not yet rated.",
        "impact",
    ),
    Column(
        "progress_commentary",
        "Progress commentary",
        "M",
        False,
        44,
        "What happened this month. Required when progress or impact is Red or Amber.",
    ),
    Column(
        "evidence",
        "Evidence of impact",
        "N",
        False,
        36,
        "What shows the difference for children and young people. Needed for Green or Blue.",
    ),
    Column(
        "revised_end_date",
        "Revised end date",
        "O",
        False,
        13,
        "Only for a new change to the end date in force (column F), e.g. {revised_date}. "
        "Leave blank to keep the date in force.",
        "date",
    ),
    Column(
        "revised_reason",
        "Reason for revised date",
        "P",
        False,
        28,
        "Why the end date moves. Required with a new revised end date.",
    ),
    Column(
        "confidence",
        "Confidence in delivery",
        "Q",
        False,
        12,
        "Your confidence that the action will be delivered on time.",
        "confidence",
    ),
    Column("risks", "Key risks or issues", "R", False, 30, "Anything that threatens delivery."),
    Column(
        "escalation",
        "Escalation needed",
        "S",
        False,
        11,
        "Yes if the board needs to act; say what in the commentary.",
        "yesno",
    ),
    Column("next_milestone", "Next milestone", "T", False, 28, "The next step you will report."),
    Column(
        "next_milestone_date",
        "Next milestone date",
        "U",
        False,
        13,
        "When the next milestone is due, e.g. {milestone_date}.",
        "date",
    ),
)

COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
LOCKED_KEYS = tuple(c.key for c in COLUMNS if c.locked)
INPUT_KEYS = tuple(c.key for c in COLUMNS if not c.locked)
LAST_COLUMN = COLUMNS[-1].letter


# Version 1: the same columns without "End date in force", lettered A-T.
COLUMNS_V1: tuple[Column, ...] = tuple(
    dataclasses.replace(column, letter=column_letter(index))
    for index, column in enumerate(c for c in COLUMNS if c.key != "end_in_force")
)
COLUMNS_BY_VERSION: dict[str, tuple[Column, ...]] = {"1": COLUMNS_V1, TEMPLATE_VERSION: COLUMNS}
_BY_KEY_BY_VERSION = {v: {c.key: c for c in cols} for v, cols in COLUMNS_BY_VERSION.items()}


def columns_for(version: str) -> tuple[Column, ...]:
    """The Return sheet's columns as template VERSION wrote them (today's for an unknown one)."""
    return COLUMNS_BY_VERSION.get(version, COLUMNS)


def column_by_key_for(version: str) -> dict[str, Column]:
    """``columns_for`` by field name."""
    return _BY_KEY_BY_VERSION.get(version, COLUMN_BY_KEY)


ROLE_REPORTING = "Reporting"
ROLE_INFORMATION = "For information"

# Area-lead return: one sheet, the area's actions read-only above, commentary boxes below.
AREA_COMMENTARY_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("progress", "Progress across the area", "The area's overall progress this month."),
    ("impact", "Impact on children and young people", "What difference it is making."),
    ("concerns", "Concerns", "What worries you about delivery in this area."),
    ("escalations", "Escalations to the board", "What you need the board to decide or unblock."),
)

# The meta sheet: key/value pairs in A:B from row 2, then a row table.
# Keys, in order (row 2 onward): template_version, kind, period, officer_id, area,
# plan_fingerprint, programme. The row table's header is on META_ROWS_HEADER with columns
# action_id, row, fingerprint, role; one line per action row on the Return sheet (for an
# area-lead return, one line per commentary field with its cell in the "row" column).
META_KEYS = (
    "template_version",
    "kind",
    "period",
    "officer_id",
    "area",
    "plan_fingerprint",
    "programme",
)
META_ROWS_HEADER = 12
META_ROWS_COLUMNS = ("action_id", "row", "fingerprint", "role")


_SPACE = re.compile(r"\s+")


def column_index(letters: str) -> int:
    """A column's 0-based index from its letters, as xlsxwriter counts: A -> 0, AA -> 26."""
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


def normalise_text(value: object) -> str:
    """Text as the fingerprint sees it: NFC, line endings and runs of white space made one."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = text.replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n")
    return _SPACE.sub(" ", text).strip()


def fingerprint(*parts: object) -> str:
    """A short stable hash of locked text, unchanged by a re-save in another program."""
    joined = "\x1f".join(normalise_text(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def row_fingerprint(action_id: str, area: object, sub_theme: str, text: str, end: str) -> str:
    """The fingerprint of one action row's locked context columns (A-E)."""
    return fingerprint(action_id, area, sub_theme, text, end)


def column_help(column: Column, areas: Sequence[int], period: Period) -> str:
    """COLUMN's explanation in this plan's words: its own area numbers, dates near PERIOD."""
    numbers = sorted(areas)
    if not numbers:
        area_range = "a number"
    elif numbers == list(range(numbers[0], numbers[-1] + 1)) and len(numbers) > 1:
        area_range = f"{numbers[0]}-{numbers[-1]}"
    else:
        area_range = ", ".join(str(n) for n in numbers)
    return column.help.format(
        areas=area_range,
        revised_date=f"{period.shift(3).last_day:%d/%m/%Y}",
        milestone_date=f"{period.next.last_day:%d/%m/%Y}",
    )
