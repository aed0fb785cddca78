"""The KPI return's rules: what a row of the data team's KPI return may hold.

Each rule is a small function of one row (``KpiRow``, its cells already read into numbers and
dates by the pure readers below) and of the period's context (``KpiContext``), yielding
findings whose messages come from the findings registry; the rules are registered in the order
their findings are listed, as the officers' row rules are (packbuilder/checks/rules.py).
kpis/read.py reads the workbook and runs them: ``CODE_RULES`` first (a finding from one keeps
the row out), then ``ROW_RULES``, then ``SHEET_RULES`` once over the whole return.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from packbuilder.dates import parse_uk_date
from packbuilder.findings import finding
from packbuilder.kpis import layout
from packbuilder.kpis.last import LastKpiValue
from packbuilder.kpis.rag import PERCENT_UNITS, format_value
from packbuilder.model import Finding, Kpi, Period

_NUMBER_TEXT = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_LETTERS = {c.key: c.letter for c in layout.COLUMNS}


def text_of(value: object) -> str:
    """A cell as text: whole numbers without a trailing .0, spacing collapsed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_number(value: object) -> tuple[float | None, bool]:
    """A cell as a number: (number, whether it was typed as text); (None, False) if not one."""
    if isinstance(value, bool):
        return None, False
    if isinstance(value, int | float):
        return (float(value), False) if math.isfinite(value) else (None, False)
    if not isinstance(value, str):
        return None, False
    text = value.strip().replace("\u00a0", "")
    if text.endswith("%"):
        text = text[:-1].strip()
    if not _NUMBER_TEXT.match(text):
        return None, False
    return float(text.replace(",", "")), True


def is_percent(kpi: Kpi) -> bool:
    return kpi.unit.strip().casefold() in PERCENT_UNITS


def is_fraction_of_percent(kpi: Kpi, number: float) -> bool:
    """Whether NUMBER, typed as a plain number strictly between 0 and 1, is a percentage
    written as a fraction (0.71 for 71%): the KPI is a percentage and every figure the plan
    gives it (baseline, standard, targets) is 1 or more, so 0.71 cannot be on its scale.
    A KPI whose plan figures go below 1, or that has none, keeps 0.71 as 0.71."""
    if not is_percent(kpi) or not 0 < number < 1:
        return False
    figures = [kpi.baseline, kpi.standard, *(target.value for target in kpi.targets)]
    given = [figure for figure in figures if figure is not None]
    return bool(given) and min(given) >= 1


@dataclass(frozen=True)
class ValueRead:
    """The value cell as read: the number it holds (a percentage typed as 0.64 in a cell
    formatted as a percentage, or as a fraction of one, read as 64) and how it reads."""

    number: float | None  # None: blank or not a number
    shown: str  # as written, or "64%" for a percentage read from a fraction
    from_text: bool = False  # typed as text (64%, 7,399), or as a percentage-formatted fraction
    fraction: bool = False  # a percentage written as a fraction (is_fraction_of_percent)
    typed: float | None = None  # the fraction as typed, where ``fraction``

    @property
    def out_of_range(self) -> bool:
        return self.number is not None and not self.fraction and not 0 <= self.number <= 100


def read_value(kpi: Kpi, raw: object, *, percent_cell: bool) -> ValueRead:
    """The number in RAW; a percentage reads the same typed as 64%, 64 or 0.64."""
    if is_blank(raw):
        return ValueRead(None, "")
    number, from_text = parse_number(raw)
    shown = text_of(raw)
    if number is not None and percent_cell and not from_text:
        # Excel stores "64%" typed into a cell as 0.64 formatted as a percentage.
        return ValueRead(number * 100, f"{format_value(number * 100)}%", from_text=True)
    if number is not None and not from_text and is_fraction_of_percent(kpi, number):
        shown = f"{format_value(number * 100)}%"
        return ValueRead(number * 100, shown, fraction=True, typed=number)
    return ValueRead(number, shown, from_text=from_text)


@dataclass(frozen=True)
class AsAtRead:
    """The as-at cell as read: its date (the period's end when blank), None if not a date."""

    date: dt.date | None
    shown: str
    defaulted: bool = False  # blank, so taken as at the period's end
    from_text: bool = False  # typed as text and read day first


def read_as_at(raw: object, period: Period) -> AsAtRead:
    shown = text_of(raw)
    if is_blank(raw):
        return AsAtRead(period.last_day, shown, defaulted=True)
    if isinstance(raw, dt.datetime):
        return AsAtRead(raw.date(), shown)
    if isinstance(raw, dt.date):
        return AsAtRead(raw, shown)
    if isinstance(raw, str):
        as_at = parse_uk_date(" ".join(raw.split()))
        return AsAtRead(as_at, shown, from_text=as_at is not None)
    return AsAtRead(None, shown)


@dataclass(frozen=True)
class KpiRow:
    """One row of the KPI return, its cells read (the value and date as for KPI)."""

    file: str
    row: int
    code: str  # upper case; empty when the row gives none
    raw: object  # the value cell as stored
    note: str
    kpi: Kpi | None  # None when the code is not in the plan
    value: ValueRead
    as_at: AsAtRead

    def at(self, key: str, row: int | None = None) -> dict[str, str]:
        """A finding's place: the file, the KPI sheet and column KEY's cell on ROW (this row)."""
        return {
            "file": self.file,
            "sheet": layout.KPI_SHEET,
            "cell": f"{_LETTERS[key]}{row or self.row}",
        }

    @property
    def number(self) -> float | None:
        """The value that enters, or None when it is blank or has an error."""
        if self.value.number is None or (self.percent and self.value.out_of_range):
            return None
        return self.value.number

    @property
    def percent(self) -> bool:
        return self.kpi is not None and is_percent(self.kpi)


def kpi_row(
    file: str,
    row: int,
    line: dict[str, object],
    kpis: dict[str, Kpi],
    period: Period,
    *,
    percent_cell: bool,
) -> KpiRow:
    """Row ROW of the KPI return, its cells LINE keyed by the layout's column keys."""
    code = text_of(line.get("code")).upper()
    kpi = kpis.get(code)
    raw = line.get("value")
    value = (
        read_value(kpi, raw, percent_cell=percent_cell)
        if kpi is not None
        else ValueRead(None, text_of(raw))
    )
    as_at = read_as_at(line.get("as_at"), period)
    return KpiRow(file, row, code, raw, text_of(line.get("note")), kpi, value, as_at)


@dataclass(frozen=True)
class KpiContext:
    """What the rules judge a row against."""

    period: Period
    kpis: dict[str, Kpi]  # the plan's, in its order
    last: dict[str, LastKpiValue]  # each KPI's last value before the period
    threshold: float  # config's [kpis] move_threshold_percent
    seen: dict[str, int] = field(default_factory=dict)  # code -> its row, as the rows are read


KpiRule = Callable[[KpiRow, KpiContext], Iterator[Finding]]


# ---- the row's code: a finding here keeps the whole row out


def unknown_code(row: KpiRow, context: KpiContext) -> Iterator[Finding]:
    if not row.code and not is_blank(row.raw):
        place = row.at("code")
        yield finding(
            "KPI-UNKNOWN-CODE", variant="no-code", value=text_of(row.raw), row=row.row, **place
        )
    elif row.code and row.code not in context.kpis:
        yield finding("KPI-UNKNOWN-CODE", value=row.code, **row.at("code"))


def duplicate_code(row: KpiRow, context: KpiContext) -> Iterator[Finding]:
    if row.code in context.kpis and row.code in context.seen:
        first = context.seen[row.code]
        yield finding("KPI-DUPLICATE-CODE", value=row.code, first_row=first, **row.at("code"))


# ---- the value and its as-at date, on a row of a KPI in the plan


def fraction_read(row: KpiRow, context: KpiContext) -> Iterator[Finding]:
    read = row.value
    if read.fraction and read.typed is not None:
        yield finding(
            "KPI-NUMBER-FROM-TEXT",
            variant="fraction",
            value=text_of(row.raw),
            kpi=row.code,
            typed=format_value(read.typed),
            shown=read.shown,
            **row.at("value"),
        )


def not_a_number(row: KpiRow, context: KpiContext) -> Iterator[Finding]:
    if row.value.number is None and not is_blank(row.raw):
        yield finding("KPI-NOT-A-NUMBER", value=row.value.shown, kpi=row.code, **row.at("value"))


def number_from_text(row: KpiRow, context: KpiContext) -> Iterator[Finding]:
    read = row.value
    if read.from_text and read.number is not None:
        number = format_value(read.number)
        place = row.at("value")
        yield finding(
            "KPI-NUMBER-FROM-TEXT", value=read.shown, kpi=row.code, number=number, **place
        )


def percent_range(row: KpiRow, context: KpiContext) -> Iterator[Finding]:
    read = row.value
    if row.percent and read.out_of_range and read.number is not None:
        number = format_value(read.number)
        yield finding(
            "KPI-PERCENT-RANGE", value=read.shown, kpi=row.code, number=number, **row.at("value")
        )


def as_at_defaulted(row: KpiRow, context: KpiContext) -> Iterator[Finding]:
    if row.number is not None and row.as_at.defaulted:
        yield finding(
            "KPI-AS-AT-DEFAULTED",
            kpi=row.code,
            as_at=row.as_at.date,
            period_label=context.period.label,
            **row.at("as_at"),
        )


def date_from_text(row: KpiRow, context: KpiContext) -> Iterator[Finding]:
    if row.number is not None and row.as_at.from_text:
        read = row.as_at
        yield finding(
            "KPI-DATE-FROM-TEXT", value=read.shown, kpi=row.code, as_at=read.date, **row.at("as_at")
        )


def bad_date(row: KpiRow, context: KpiContext) -> Iterator[Finding]:
    if row.number is not None and row.as_at.date is None:
        number = format_value(row.number)
        place = row.at("as_at")
        yield finding("KPI-BAD-DATE", value=row.as_at.shown, kpi=row.code, number=number, **place)


def as_at_after_period(row: KpiRow, context: KpiContext) -> Iterator[Finding]:
    as_at = row.as_at.date
    if row.number is not None and as_at is not None and as_at > context.period.last_day:
        yield finding(
            "KPI-AS-AT-AFTER-PERIOD",
            value=row.as_at.shown,
            kpi=row.code,
            as_at=as_at,
            period_label=context.period.label,
            **row.at("as_at"),
        )


def big_move(row: KpiRow, context: KpiContext) -> Iterator[Finding]:
    previous = context.last.get(row.code)
    value = row.number
    if value is None or row.as_at.date is None or row.note:
        return
    if previous is None or previous.value is None:
        return
    moved = moved_percent(previous.value, value)
    if moved > context.threshold:
        yield finding(
            "KPI-BIG-MOVE",
            value=format_value(value),
            kpi=row.code,
            previous=format_value(previous.value),
            source=previous.source,
            moved="a change from zero" if math.isinf(moved) else f"{moved:.0f}%",
            threshold=context.threshold,
            note_column=_LETTERS["note"],
            **row.at("value"),
        )


def moved_percent(previous: float, value: float) -> float:
    """How far VALUE moved from PREVIOUS, as a percentage of PREVIOUS (infinite from zero)."""
    if previous == 0:
        return 0.0 if value == 0 else math.inf
    return abs(value - previous) / abs(previous) * 100


# ---- the whole return, once its rows are read


@dataclass(frozen=True)
class KpiSheet:
    """The KPI return once read: which KPIs have a value and which a value with an error."""

    file: str
    accepted: frozenset[str]
    rejected: frozenset[str]  # codes whose value has an error that already says what to fix


def due_no_value(sheet: KpiSheet, context: KpiContext) -> Iterator[Finding]:
    for kpi in context.kpis.values():
        code = kpi.code
        if not layout.is_due(kpi, context.period) or code in sheet.accepted | sheet.rejected:
            continue
        row = context.seen.get(code)
        place = (
            {"file": sheet.file, "sheet": layout.KPI_SHEET, "cell": f"{_LETTERS['value']}{row}"}
            if row
            else {"file": sheet.file, "sheet": layout.KPI_SHEET}
        )
        yield finding(
            "KPI-DUE-NO-VALUE",
            value=code,
            frequency=kpi.frequency,
            period_label=context.period.label,
            **place,
        )


# The registered rules with the codes each raises, in the order their findings are listed.
CODE_RULES: tuple[tuple[KpiRule, tuple[str, ...]], ...] = (
    (unknown_code, ("KPI-UNKNOWN-CODE",)),
    (duplicate_code, ("KPI-DUPLICATE-CODE",)),
)
ROW_RULES: tuple[tuple[KpiRule, tuple[str, ...]], ...] = (
    (fraction_read, ("KPI-NUMBER-FROM-TEXT",)),
    (not_a_number, ("KPI-NOT-A-NUMBER",)),
    (number_from_text, ("KPI-NUMBER-FROM-TEXT",)),
    (percent_range, ("KPI-PERCENT-RANGE",)),
    (as_at_defaulted, ("KPI-AS-AT-DEFAULTED",)),
    (date_from_text, ("KPI-DATE-FROM-TEXT",)),
    (bad_date, ("KPI-BAD-DATE",)),
    (as_at_after_period, ("KPI-AS-AT-AFTER-PERIOD",)),
    (big_move, ("KPI-BIG-MOVE",)),
)
SHEET_RULES: tuple[
    tuple[Callable[[KpiSheet, KpiContext], Iterator[Finding]], tuple[str, ...]], ...
] = ((due_no_value, ("KPI-DUE-NO-VALUE",)),)
