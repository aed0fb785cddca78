"""What the checker reads and finds: findings, cell sources, action updates, return files
and the check report over them.

Part of the domain model (packbuilder.model, which re-exports every public name).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from pathlib import Path

from packbuilder.model.periods import Period
from packbuilder.model.ratings import (
    Rating,
    Severity,
)

# --------------------------------------------------------------------------- findings


@dataclass(frozen=True)
class Finding:
    """One thing the checker found: plain data with a stable code and a place."""

    code: str
    severity: Severity
    message: str
    file: str = ""  # file name as received
    sheet: str = ""
    cell: str = ""  # "H7"
    value: str = ""  # the value found, as text
    officer_id: str = ""
    action_id: str = ""

    @property
    def where(self) -> str:
        """The place as an officer sees it: ``Return.xlsx › Return › H7``."""
        return " › ".join(part for part in (self.file, self.sheet, self.cell) if part)


# --------------------------------------------------------------------------- returns


class ReturnKind(enum.Enum):
    OFFICER = "officer"
    AREA_LEAD = "area-lead"


class FileStatus(enum.Enum):
    """What became of one file in inputs/returns/PERIOD/."""

    COUNTED = "Counted"  # a return that counts for its officer
    SUPERSEDED = "Superseded"  # an older return from the same officer
    REJECTED = "Rejected"  # a return that cannot be used: wrong period, password, damaged
    NOT_A_RETURN = "Not a return"  # a Word document, a picture, another workbook
    SKIPPED = "Skipped"  # an Excel lock file, received.csv or collected.csv

    @property
    def counts(self) -> bool:
        """False for superseded returns and files that are not returns: their findings are
        listed (validation.xlsx, the returns log) but count in no total, exit code or summary."""
        return self not in (FileStatus.SUPERSEDED, FileStatus.NOT_A_RETURN)


@dataclass(frozen=True)
class CellSource:
    """Where a value came from: the file, its hash, the sheet and the cell."""

    file: str
    sha256: str
    sheet: str
    cell: str

    @property
    def where(self) -> str:
        return f"{self.file} › {self.sheet} › {self.cell}"


def column_letter(index: int) -> str:
    """A sheet column's letter from its 0-based index: 0 -> A, 25 -> Z, 26 -> AA.

    Written here rather than taken from openpyxl, whose import costs check about 0.2 s.
    """
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass
class ActionUpdate:
    """One action row of a return, after normalisation. Fields are None where left blank."""

    action_id: str
    row: int
    progress: Rating | None = None
    impact: Rating | None = None
    progress_commentary: str = ""
    evidence: str = ""
    revised_end_date: dt.date | None = None
    revised_reason: str = ""
    confidence: str = ""
    risks: str = ""
    escalation: bool | None = None
    next_milestone: str = ""
    next_milestone_date: dt.date | None = None
    sources: dict[str, CellSource] = field(default_factory=dict)  # field name -> cell
    # What the errors keep out (the registry's ``rejects``): field name -> the code that
    # rejected its cell; and the code that rejected the whole row ("" when the row enters).
    rejected: dict[str, str] = field(default_factory=dict)
    row_rejected: str = ""


@dataclass
class AreaCommentary:
    area: int
    progress: str = ""
    impact: str = ""
    concerns: str = ""
    escalations: str = ""
    sources: dict[str, CellSource] = field(default_factory=dict)


@dataclass
class ReturnFile:
    """One file found in inputs/returns/PERIOD/, what it turned out to be and what it said."""

    path: Path
    sha256: str
    size: int
    status: FileStatus
    kind: ReturnKind | None = None
    officer_id: str = ""  # for an officer return
    area: int | None = None  # for an area-lead return
    period: str = ""  # as the hidden sheet states it
    received_at: dt.datetime | None = None
    received_source: str = ""  # "received.csv" | "collected.csv" | "file properties" | …
    updates: list[ActionUpdate] = field(default_factory=list)
    area_commentary: AreaCommentary | None = None
    findings: list[Finding] = field(default_factory=list)
    superseded_by: str = ""

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]


@dataclass
class CheckReport:
    """What ``check`` found for one period: every file, every finding, who is missing."""

    period: Period
    files: list[ReturnFile]
    expected_officers: list[str]
    expected_areas: list[int]
    # Every finding, file-level and row-level, plus missing returns; counted_findings() leaves
    # out those of superseded returns and files that are not returns.
    findings: list[Finding]
    # The period's KPI return as check read it (packbuilder.kpis.read.KpiReading), so build
    # rates KPIs from the same reading and reports its findings once. None: not read.
    kpi_reading: object | None = None

    def counted(self) -> list[ReturnFile]:
        return [f for f in self.files if f.status is FileStatus.COUNTED]

    def counted_officer_returns(self) -> dict[str, ReturnFile]:
        return {
            f.officer_id: f for f in self.counted() if f.kind is ReturnKind.OFFICER and f.officer_id
        }

    def counted_area_returns(self) -> dict[int, ReturnFile]:
        return {
            f.area: f
            for f in self.counted()
            if f.kind is ReturnKind.AREA_LEAD and f.area is not None
        }

    def missing_officers(self) -> list[str]:
        got = self.counted_officer_returns()
        return [o for o in self.expected_officers if o not in got]

    def missing_areas(self) -> list[int]:
        got = self.counted_area_returns()
        return [a for a in self.expected_areas if a not in got]

    def superseded(self) -> list[ReturnFile]:
        return [f for f in self.files if f.status is FileStatus.SUPERSEDED]

    def not_returns(self) -> list[ReturnFile]:
        return [f for f in self.files if f.status is FileStatus.NOT_A_RETURN]

    def counted_findings(self) -> list[Finding]:
        """Every finding but those of superseded returns and files that are not returns."""
        uncounted = {id(f) for file in self.files if not file.status.counts for f in file.findings}
        if not uncounted:
            return self.findings
        return [f for f in self.findings if id(f) not in uncounted]

    def file_status_of(self) -> dict[int, FileStatus]:
        """id(finding) to the status of the file it belongs to, for marking findings as
        counted or not (a finding about no file, such as a missing return, is absent)."""
        return {id(f): file.status for file in self.files for f in file.findings}

    @property
    def errors(self) -> list[Finding]:
        """The errors that count (superseded returns' and other files' never do)."""
        return [f for f in self.counted_findings() if f.severity is Severity.ERROR]

    @property
    def valid(self) -> bool:
        return not self.errors
