"""The domain model: plain typed objects passed from stage to stage.

Plan and config come in at the top; returns are read into ``ReturnFile`` objects and checked
into ``Finding`` objects; the merge turns them into a ``PeriodResult`` that the tracker, the
history and the Word reports all read. No stage passes dicts between stages and no stage
re-parses what another has parsed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

# --------------------------------------------------------------------------- periods


_PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Period:
    """A reporting month, written ``YYYY-MM`` and judged as at its last day."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read ``2023-07``; raise ValueError with the expected form otherwise."""
        match = _PERIOD_RE.match(text.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValueError(f"{text!r} is not a period: write the month as YYYY-MM, e.g. 2023-07")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> Period:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def shift(self, months: int) -> Period:
        index = self.year * 12 + (self.month - 1) + months
        return Period(index // 12, index % 12 + 1)

    @property
    def previous(self) -> Period:
        return self.shift(-1)

    @property
    def next(self) -> Period:
        return self.shift(1)

    @property
    def label(self) -> str:
        """The month as a reader says it: ``July 2023``."""
        return f"{calendar.month_name[self.month]} {self.year}"

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


# --------------------------------------------------------------------------- ratings


class Rating(enum.Enum):
    """A progress or impact rating. ``NOT_YET_RATED`` is allowed for impact only."""

    RED = "Red"
    AMBER = "Amber"
    GREEN = "Green"
    BLUE = "Blue"
    NOT_YET_RATED = "Not yet rated"

    @property
    def is_brag(self) -> bool:
        return self is not Rating.NOT_YET_RATED

    @property
    def rank(self) -> int:
        """Order of goodness, Red 1 … Blue 4; Not yet rated is 0 and never compared."""
        return _RANK[self]

    @property
    def is_complete(self) -> bool:
        """Complete means Green or Blue progress."""
        return self in (Rating.GREEN, Rating.BLUE)


_RANK = {Rating.NOT_YET_RATED: 0, Rating.RED: 1, Rating.AMBER: 2, Rating.GREEN: 3, Rating.BLUE: 4}

BRAG_ORDER: tuple[Rating, ...] = (Rating.BLUE, Rating.GREEN, Rating.AMBER, Rating.RED)
"""The order ratings are listed in counts and legends: best first."""


class Direction(enum.Enum):
    """Direction of travel of a rating or KPI against the previous period."""

    IMPROVED = "Improved"
    SAME = "No change"
    WORSE = "Worse"
    NEW = "New"  # no previous value to compare with (first report, new action)
    NOT_COMPARABLE = "Not comparable"  # one side Not yet rated or missing

    @property
    def arrow(self) -> str:
        return {"Improved": "▲", "No change": "►", "Worse": "▼"}.get(self.value, "–")


def direction_of(previous: Rating | None, current: Rating | None) -> Direction:
    """Compare two ratings by goodness."""
    if previous is None:
        return Direction.NEW
    if current is None or not previous.is_brag or not current.is_brag:
        return Direction.NOT_COMPARABLE
    if current.rank > previous.rank:
        return Direction.IMPROVED
    if current.rank < previous.rank:
        return Direction.WORSE
    return Direction.SAME


class KpiRag(enum.Enum):
    RED = "Red"
    AMBER = "Amber"
    GREEN = "Green"
    NOT_RATED = "Not rated"


class Severity(enum.Enum):
    """Finding severity: error keeps its cell, row or file out; warning is a query; info a note."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


# --------------------------------------------------------------------------- plan


class EndDateKind(enum.Enum):
    DATE = "date"  # a full date: 31 July 2023
    MONTH = "month"  # a month and year, taken as that month's end: "March 2023 pilot"
    OPEN = "open"  # text with no date: "Ongoing", "To be confirmed …"


@dataclass(frozen=True)
class EndDate:
    """An end date as the plan writes it, with the date it means where it means one."""

    text: str
    date: dt.date | None
    kind: EndDateKind

    @property
    def display(self) -> str:
        return self.date.strftime("%d %b %Y") if self.date else "no date"


@dataclass(frozen=True)
class Area:
    """An area of weakness, 1 to 9 in the example."""

    number: int
    title: str
    lead: str  # the lead's officer ID, or a role such as "Area 3 lead" until named


@dataclass(frozen=True)
class SubTheme:
    code: str  # "1a"
    area: int
    title: str


@dataclass(frozen=True)
class Officer:
    id: str  # a stable slug
    name: str  # a name, or the role where the office has not named a person
    organisation: str = ""
    email: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Action:
    id: str  # "1A1"
    sub_theme: str  # "1a"
    area: int
    text: str
    end_date: EndDate
    reporting_officer: str  # officer ID of the first named officer
    other_officers: tuple[str, ...] = ()  # officer IDs who see it for information
    officer_text: str = ""  # the responsible-officer cell as written
    kpi_codes: tuple[str, ...] = ()
    other_measures: str = ""  # the KPI cell's text that is not a code
    planned_evidence: str = ""
    baseline_progress: Rating | None = None
    baseline_progress_text: str = ""
    baseline_impact: Rating | None = None
    baseline_impact_text: str = ""

    @property
    def officers(self) -> tuple[str, ...]:
        return (self.reporting_officer, *self.other_officers)


class Polarity(enum.Enum):
    HIGHER = "higher"  # higher is better
    LOWER = "lower"  # lower is better


@dataclass(frozen=True)
class KpiTarget:
    date: dt.date
    value: float | None  # None where the plan says TBC
    text: str  # as written


@dataclass(frozen=True)
class Kpi:
    code: str
    description: str
    areas: tuple[int, ...] = ()
    unit: str = ""  # "%", "number", "score", …
    polarity: Polarity = Polarity.HIGHER
    frequency: str = "monthly"  # monthly | termly | annual
    baseline: float | None = None
    baseline_text: str = ""
    baseline_date: dt.date | None = None
    standard: float | None = None
    targets: tuple[KpiTarget, ...] = ()
    high_impact: bool = False


@dataclass(frozen=True)
class Risk:
    id: str  # "R01", given by the extraction
    date_text: str
    risk: str
    severity: str  # "High" | "Medium" | "Low" as written
    mitigations: str = ""
    severity_after: str = ""
    progress: str = ""
    status: str = ""
    owner: str = ""
    likelihood: int | None = None  # 1..5, optional
    impact: int | None = None  # 1..5, optional


@dataclass(frozen=True)
class Plan:
    """The plan register: everything the office maintains in inputs/plan.xlsx."""

    areas: tuple[Area, ...]
    sub_themes: tuple[SubTheme, ...]
    actions: tuple[Action, ...]
    officers: tuple[Officer, ...]
    kpis: tuple[Kpi, ...] = ()
    risks: tuple[Risk, ...] = ()
    source: Path | None = None

    def officer(self, officer_id: str) -> Officer:
        return {o.id: o for o in self.officers}[officer_id]

    def officer_by_id(self) -> dict[str, Officer]:
        return {o.id: o for o in self.officers}

    def action_by_id(self) -> dict[str, Action]:
        return {a.id: a for a in self.actions}

    def area(self, number: int) -> Area:
        return {a.number: a for a in self.areas}[number]

    def reporting_officers(self) -> list[Officer]:
        """Officers who report at least one action, in plan order of first action."""
        seen: dict[str, None] = {}
        for action in self.actions:
            seen.setdefault(action.reporting_officer, None)
        by_id = self.officer_by_id()
        return [by_id[i] for i in seen]

    def actions_reported_by(self, officer_id: str) -> list[Action]:
        return [a for a in self.actions if a.reporting_officer == officer_id]

    def actions_for_information(self, officer_id: str) -> list[Action]:
        return [a for a in self.actions if officer_id in a.other_officers]

    def actions_in_area(self, number: int) -> list[Action]:
        return [a for a in self.actions if a.area == number]


# --------------------------------------------------------------------------- findings


@dataclass(frozen=True)
class PlanChange:
    """An action added, retired or changed in the plan between two recorded periods."""

    action_id: str
    change: str  # "Added" | "Retired" | "Reassigned" | "End date changed" | "Text changed"
    before: str
    after: str


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


# --------------------------------------------------------------------------- merge


class ReturnStatus(enum.Enum):
    """How an action's values for the period were arrived at."""

    UPDATED = "Updated"
    # the row entered, but some of its cells had errors: those kept their last values
    CELLS_CARRIED = "Updated: some cells carried forward"
    NO_RETURN = "No return"  # the reporting officer sent nothing: last values carried forward
    ERRORS = "Errors: carried forward"  # the row was rejected: last values carried forward
    FIRST_REPORT = "Plan baseline"  # first period with no return: the plan's ratings


@dataclass(frozen=True)
class Override:
    """An office correction from inputs/overrides/PERIOD.xlsx."""

    action_id: str
    field: str
    value: str
    reason: str
    who: str
    source: CellSource | None = None


@dataclass
class ActionStatus:
    """One action's merged state for a period: what the tracker row and the reports show."""

    action: Action
    progress: Rating | None
    impact: Rating | None
    previous_progress: Rating | None
    previous_impact: Rating | None
    return_status: ReturnStatus
    progress_commentary: str = ""
    evidence: str = ""
    # The accepted revised end date in force (None: the plan's own stands), its reason, and
    # the period it was agreed in (None while the plan's end date has never moved).
    revised_end_date: dt.date | None = None
    revised_reason: str = ""
    confidence: str = ""
    risks: str = ""
    escalation: bool | None = None
    next_milestone: str = ""
    next_milestone_date: dt.date | None = None
    sources: dict[str, CellSource] = field(default_factory=dict)
    overrides: list[Override] = field(default_factory=list)
    # Values kept from the last period because this period's were rejected by an error:
    # attribute -> why, in words ("this month's rating was not valid").
    carried: dict[str, str] = field(default_factory=dict)
    end_date_agreed_in: Period | None = None

    @property
    def progress_direction(self) -> Direction:
        return direction_of(self.previous_progress, self.progress)

    @property
    def impact_direction(self) -> Direction:
        return direction_of(self.previous_impact, self.impact)

    @property
    def end_date_in_force(self) -> dt.date | None:
        """The latest accepted revised date, else the original."""
        return self.revised_end_date or self.action.end_date.date

    @property
    def end_date_in_force_text(self) -> str:
        """The end date in force in words, saying whether it was revised and when."""
        return end_date_in_force_text(
            self.action.end_date, self.revised_end_date, self.end_date_agreed_in
        )

    def is_overdue(self, period: Period) -> bool:
        due = self.end_date_in_force
        complete = self.progress is not None and self.progress.is_complete
        return due is not None and due < period.last_day and not complete


def end_date_in_force_text(
    original: EndDate, revised: dt.date | None, agreed_in: Period | None
) -> str:
    """The end date in force in words: "31 Mar 2024, revised in January 2024", or the plan's
    own, "31 Dec 2023 (original)"."""
    if revised is not None:
        agreed = f" in {agreed_in.label}" if agreed_in is not None else ""
        return f"{revised.strftime('%d %b %Y')}, revised{agreed}"
    shown = original.display if original.date is not None else (original.text or "no date")
    if agreed_in is not None:  # an override withdrew a revision: the plan's date again
        return f"{shown} (original, restored in {agreed_in.label})"
    return f"{shown} (original)"


@dataclass(frozen=True)
class ExceptionItem:
    """Something the exception rules flag this period."""

    rule: str  # stable rule code, e.g. "red-progress", "overdue", "missing-return"
    subject: str  # action ID, KPI code, risk ID or officer ID
    kind: str  # "action" | "kpi" | "risk" | "return"
    area: int | None
    owner: str  # officer ID or name
    summary: str  # one line a board member understands
    periods_in_exception: int = 1


@dataclass(frozen=True)
class LastValues:
    """An action's values as last recorded: shown beside this period's inputs on a return."""

    progress: Rating | None
    impact: Rating | None
    commentary: str
    period: Period | None  # None when taken from the plan's baseline
    # The accepted revised end date in force, its reason and the period it was agreed in.
    revised_end_date: dt.date | None = None
    revised_reason: str = ""
    end_date_agreed_in: Period | None = None


@dataclass
class KpiStatus:
    """One KPI for one period: the value in force, its target and its RAG."""

    kpi: Kpi
    value: float | None
    value_text: str  # as written in the KPI return, or the baseline text
    as_at: dt.date | None  # when the value was measured
    carried_forward: bool  # the value is from an earlier period's return
    target: KpiTarget | None  # the target in force at the period's last day
    rag: KpiRag
    rag_reason: str  # why, in words: "64 against a target of 75 (higher is better)"
    previous_value: float | None
    direction: Direction
    note: str = ""
    source: CellSource | None = None


@dataclass
class RiskStatus:
    """One risk for one period, with what changed since the last recorded period."""

    risk: Risk
    change: str  # "New" | "Closed" | "Severity up" | "Severity down" | "No change" | "First report"
    previous_severity_after: str = ""


class HistoryView(Protocol):
    """What the reports may read from history (implemented by packbuilder.history)."""

    def recorded_periods(self) -> list[Period]:
        """Every period with a recorded build, oldest first."""
        ...

    def ratings(self, period: Period) -> dict[str, tuple[Rating | None, Rating | None]]:
        """Action ID to (progress, impact) as recorded for PERIOD; empty if not recorded."""
        ...


@dataclass
class PeriodResult:
    """The merged period: what build records in history and writes into every output."""

    period: Period
    plan: Plan
    actions: list[ActionStatus]
    area_commentary: dict[int, AreaCommentary]
    check: CheckReport
    exceptions: list[ExceptionItem]
    previous_period: Period | None  # None for the first report
    kpis: list[KpiStatus] = field(default_factory=list)
    risks: list[RiskStatus] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # build's own (overrides, plan drift)

    def iter_area(self, number: int) -> Iterator[ActionStatus]:
        return (s for s in self.actions if s.action.area == number)

    def items_in_exception(self) -> int:
        """Subjects in exception: an action flagged by two rules is one item (the reports,
        the tracker's Summary and the build's summary all count this)."""
        return len({(e.area, e.kind, e.subject) for e in self.exceptions})
