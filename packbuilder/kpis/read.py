"""Reading and checking the KPI return the data team sends back (inputs/kpis/PERIOD.xlsx).

The file passes the safe reader's gate (``packbuilder.returns.safe.screen_file``: no non-zip,
oversized or DTD-bearing file reaches a parser), then openpyxl reads it, through defusedxml, in
read-only mode and within the template's range. Every problem is a ``Finding`` with a stable
code from the findings registry (``packbuilder.findings``, family kpi); values that
pass become ``KpiValue`` objects with the cell they came from.
The checker calls ``check_kpi_period``; ``kpi_statuses`` takes its reading.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from packbuilder.config import Config
from packbuilder.findings import REGISTRY
from packbuilder.kpis import layout
from packbuilder.kpis.last import LastKpiValue
from packbuilder.kpis.rag import PERCENT_UNITS, format_value
from packbuilder.model import CellSource, Finding, Kpi, Period, Plan, Severity
from packbuilder.processes import import_openpyxl_without_numpy

_NUMBER_TEXT = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_PERCENT_UNITS = PERCENT_UNITS
_READ_SPARE_ROWS = 200  # rows read beyond the plan's KPIs, to find added rows
_VALUE_INDEX = [c.key for c in layout.COLUMNS].index("value")


def kpi_finding(code: str, message: str, **place: str) -> Finding:
    """A finding with CODE's registered severity."""
    return Finding(code=code, severity=REGISTRY[code].severity, message=message, **place)


@dataclass(frozen=True)
class KpiValue:
    """One KPI's value for the period, as the data team gave it."""

    value: float | None
    text: str  # as written
    as_at: dt.date | None
    note: str = ""
    source: CellSource | None = None


@dataclass
class KpiReading:
    """What a KPI return said, and every finding about it."""

    path: Path
    sha256: str = ""
    period: str = ""  # as the meta sheet states it
    values: dict[str, KpiValue] = field(default_factory=dict)  # code -> valid value
    notes: dict[str, str] = field(default_factory=dict)  # code -> note, with or without value
    findings: list[Finding] = field(default_factory=list)
    recognised: bool = False  # a readable KPI return for the right period

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


def check_kpi_period(
    config: Config, plan: Plan, period: Period, last: dict[str, LastKpiValue]
) -> KpiReading:
    """The period's KPI return read and checked against each KPI's LAST value; a warning if it
    is missing while KPIs are due."""
    path = config.kpis_path(period)
    if path.is_file():
        return read_kpi_return(path, config, plan, period, last)
    reading = KpiReading(path=path)
    due = [kpi.code for kpi in plan.kpis if layout.is_due(kpi, period)]
    if due:
        reading.findings.append(
            kpi_finding(
                "KPI-NO-RETURN",
                f"There is no KPI return for {period.label} and {len(due)} KPIs are due "
                f"({', '.join(due[:5])}{', …' if len(due) > 5 else ''}). Make it with "
                f"'packbuilder kpis make {period}', ask the data team to fill it in, and save "
                f"it as {path.name} in {path.parent.name}/. Last values are carried forward.",
                file=path.name,
            )
        )
    return reading


def read_kpi_return(
    path: Path, config: Config, plan: Plan, period: Period, last: dict[str, LastKpiValue]
) -> KpiReading:
    """Read and check the KPI return at PATH for PERIOD against the plan's KPIs and their LAST
    values."""
    from packbuilder.returns.safe import assert_defused, refusal_in_words, screen_file

    reading = KpiReading(path=path)
    name = path.name
    screening = screen_file(path, config.settings.limits)
    reading.sha256 = screening.sha256
    if not screening.accepted:
        assert screening.refusal is not None
        reading.findings.append(
            kpi_finding(
                "KPI-UNREADABLE",
                f"{name} was not read: {refusal_in_words(screening)}. Save the KPI return "
                "as an Excel workbook (.xlsx), without a password, and send it again.",
                file=name,
                value=screening.refusal.value,
            )
        )
        return reading
    import_openpyxl_without_numpy()
    assert_defused(openpyxl=True)
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(screening.data), read_only=True, data_only=True
        )
    except Exception:  # openpyxl raises many kinds on a damaged file, in its own words
        reading.findings.append(
            kpi_finding(
                "KPI-UNREADABLE",
                f"{name} could not be opened: it is damaged or not laid out as Excel saves it. "
                "Open it in Excel, save it as .xlsx and "
                "send it again.",
                file=name,
            )
        )
        return reading
    try:
        _read_workbook(workbook, reading, config, plan, period, last)
    finally:
        workbook.close()
    return reading


def _read_workbook(
    workbook: object,
    reading: KpiReading,
    config: Config,
    plan: Plan,
    period: Period,
    last: dict[str, LastKpiValue],
) -> None:
    from openpyxl.workbook.workbook import Workbook

    assert isinstance(workbook, Workbook)
    name = reading.path.name
    meta = _meta(workbook)
    if meta.get("kind") != layout.KIND or layout.KPI_SHEET not in workbook.sheetnames:
        reading.findings.append(
            kpi_finding(
                "KPI-NOT-KPI-RETURN",
                f"{name} is not a KPI return made by packbuilder (it has no KPI return's hidden "
                f"sheet). Make one with 'packbuilder kpis make {period}' and copy the values "
                "into it.",
                file=name,
                value=meta.get("kind", ""),
            )
        )
        return
    reading.period = meta.get("period", "")
    if reading.period != str(period):
        reading.findings.append(
            kpi_finding(
                "KPI-WRONG-PERIOD",
                f"{name} is the KPI return for {reading.period or 'no period'}, not {period}. "
                f"Fill in the return made for {period.label} ('packbuilder kpis make {period}').",
                file=name,
                value=reading.period,
            )
        )
        return
    reading.recognised = True
    sheet = workbook[layout.KPI_SHEET]
    kpis = {kpi.code: kpi for kpi in plan.kpis}
    threshold = config.settings.kpis.move_threshold_percent
    letters = {c.key: c.letter for c in layout.COLUMNS}
    width = len(layout.COLUMNS)
    seen: dict[str, int] = {}
    rejected: set[str] = set()  # codes whose value has an error that already says what to fix
    last_row = layout.FIRST_ROW + len(plan.kpis) + _READ_SPARE_ROWS
    rows = sheet.iter_rows(min_row=layout.FIRST_ROW, max_row=last_row, max_col=width)
    for row_number, cells in enumerate(rows, start=layout.FIRST_ROW):
        line = {
            column.key: getattr(cell, "value", None)
            for column, cell in zip(layout.COLUMNS, cells, strict=False)
        }
        value_cell = cells[_VALUE_INDEX] if len(cells) > _VALUE_INDEX else None
        percent_cell = "%" in str(getattr(value_cell, "number_format", "") or "")
        code = _text(line.get("code")).upper()
        raw, raw_date, note = line.get("value"), line.get("as_at"), _text(line.get("note"))

        def where(key: str, row: int = row_number) -> dict[str, str]:
            return {"file": name, "sheet": layout.KPI_SHEET, "cell": f"{letters[key]}{row}"}

        if not code:
            if not _blank(raw):
                reading.findings.append(
                    kpi_finding(
                        "KPI-UNKNOWN-CODE",
                        f"Row {row_number} has a value but no KPI code. Put values only on the "
                        "rows of the KPIs listed; ask the programme office to add a new KPI.",
                        value=_text(raw),
                        **where("code"),
                    )
                )
            continue
        if code not in kpis:
            reading.findings.append(
                kpi_finding(
                    "KPI-UNKNOWN-CODE",
                    f"KPI {code} is not in the plan, so its value was not counted. Check the "
                    "code against the plan, or ask the programme office to add the KPI.",
                    value=code,
                    **where("code"),
                )
            )
            continue
        if code in seen:
            reading.findings.append(
                kpi_finding(
                    "KPI-DUPLICATE-CODE",
                    f"KPI {code} is also on row {seen[code]}; only that row was read. Keep one "
                    "row per KPI.",
                    value=code,
                    **where("code"),
                )
            )
            continue
        seen[code] = row_number
        if note:
            reading.notes[code] = note
        kpi = kpis[code]
        value, shown = _value(kpi, raw, reading, where("value"), percent_cell=percent_cell)
        as_at = (
            _as_at(kpi, raw_date, value, reading, period, where("as_at"))
            if value is not None
            else None
        )
        if value is None or as_at is None:
            if not _blank(raw):
                rejected.add(code)
            continue
        previous = last.get(code)
        if previous is not None and previous.value is not None and not note:
            moved = _moved_percent(previous.value, value)
            if moved > threshold:
                reading.findings.append(
                    kpi_finding(
                        "KPI-BIG-MOVE",
                        f"KPI {code} moved from {format_value(previous.value)} "
                        f"({previous.source}) to {format_value(value)}, "
                        f"{'a change from zero' if math.isinf(moved) else f'{moved:.0f}%'}, more "
                        f"than the {threshold:g}% that needs a note. Add a note saying why in "
                        f"column {letters['note']}, or correct the value.",
                        value=format_value(value),
                        **where("value"),
                    )
                )
        sources = where("value")
        reading.values[code] = KpiValue(
            value=value,
            text=shown,
            as_at=as_at,
            note=note,
            source=CellSource(name, reading.sha256, layout.KPI_SHEET, sources["cell"]),
        )
    for kpi in plan.kpis:
        if (
            layout.is_due(kpi, period)
            and kpi.code not in reading.values
            and kpi.code not in rejected
        ):
            row = seen.get(kpi.code)
            place = where("value", row) if row else {"file": name, "sheet": layout.KPI_SHEET}
            reading.findings.append(
                kpi_finding(
                    "KPI-DUE-NO-VALUE",
                    f"KPI {kpi.code} is {kpi.frequency} and due in {period.label}, but has no "
                    "value. Give this period's value and its as-at date, or a note saying when "
                    "it will be available; until then the last value is carried forward.",
                    value=kpi.code,
                    **place,
                )
            )


def _meta(workbook: object) -> dict[str, str]:
    """The meta sheet's key/value pairs, from the sheet named for it or marked as it."""
    from openpyxl.workbook.workbook import Workbook

    assert isinstance(workbook, Workbook)
    names = [layout.META_SHEET, *(n for n in workbook.sheetnames if n != layout.META_SHEET)]
    for sheet_name in names:
        if sheet_name not in workbook.sheetnames:
            continue
        sheet = workbook[sheet_name]
        rows = list(
            sheet.iter_rows(
                min_row=1, max_row=1 + len(layout.META_KEYS), max_col=2, values_only=True
            )
        )
        if not rows or _text(rows[0][0] if rows[0] else None) != layout.META_MARKER:
            continue
        return {_text(key): _text(value) for key, value, *_ in ((*r, None, None) for r in rows[1:])}
    return {}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _blank(value: object) -> bool:
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


def _value(
    kpi: Kpi, raw: object, reading: KpiReading, place: dict[str, str], *, percent_cell: bool
) -> tuple[float | None, str]:
    """The number in RAW and how it reads ("64%" for a percentage typed as 0.64), or None
    with a finding. A percentage reads the same typed as 64%, 64 or 0.64."""
    if _blank(raw):
        return None, ""
    number, from_text = parse_number(raw)
    shown = _text(raw)
    if number is not None and percent_cell and not from_text:
        # Excel stores "64%" typed into a cell as 0.64 formatted as a percentage.
        shown = f"{format_value(number * 100)}%"
        number *= 100
        from_text = True
    elif number is not None and not from_text and is_fraction_of_percent(kpi, number):
        shown = f"{format_value(number * 100)}%"
        reading.findings.append(
            kpi_finding(
                "KPI-NUMBER-FROM-TEXT",
                f"The value of KPI {kpi.code} is {format_value(number)}, read as {shown}: the "
                "KPI is a percentage and the plan gives its baseline and targets from 0 to 100. "
                f"If {format_value(number)}% is meant, type it with the % sign.",
                value=_text(raw),
                **place,
            )
        )
        return number * 100, shown
    if number is None:
        reading.findings.append(
            kpi_finding(
                "KPI-NOT-A-NUMBER",
                f"The value of KPI {kpi.code} is '{shown}', which is not a number. Type the "
                "number only (for 64% type 64), or leave it blank and explain in the note.",
                value=shown,
                **place,
            )
        )
        return None, shown
    if from_text:
        reading.findings.append(
            kpi_finding(
                "KPI-NUMBER-FROM-TEXT",
                f"The value of KPI {kpi.code} was typed as text '{shown}' and read as "
                f"{format_value(number)}.",
                value=shown,
                **place,
            )
        )
    if _is_percent(kpi) and not 0 <= number <= 100:
        reading.findings.append(
            kpi_finding(
                "KPI-PERCENT-RANGE",
                f"KPI {kpi.code} is a percentage, but its value is {format_value(number)}. "
                "Give a percentage from 0 to 100 (for 64% type 64, not 6400).",
                value=shown,
                **place,
            )
        )
        return None, shown
    return number, shown


def _is_percent(kpi: Kpi) -> bool:
    return kpi.unit.strip().casefold() in _PERCENT_UNITS


def is_fraction_of_percent(kpi: Kpi, number: float) -> bool:
    """Whether NUMBER, typed as a plain number strictly between 0 and 1, is a percentage
    written as a fraction (0.71 for 71%): the KPI is a percentage and every figure the plan
    gives it (baseline, standard, targets) is 1 or more, so 0.71 cannot be on its scale.
    A KPI whose plan figures go below 1, or that has none, keeps 0.71 as 0.71."""
    if not _is_percent(kpi) or not 0 < number < 1:
        return False
    figures = [kpi.baseline, kpi.standard, *(target.value for target in kpi.targets)]
    given = [figure for figure in figures if figure is not None]
    return bool(given) and min(given) >= 1


def _as_at(
    kpi: Kpi,
    raw: object,
    value: float,
    reading: KpiReading,
    period: Period,
    place: dict[str, str],
) -> dt.date | None:
    from packbuilder.dates import parse_uk_date

    shown = _text(raw)
    if _blank(raw):
        reading.findings.append(
            kpi_finding(
                "KPI-AS-AT-DEFAULTED",
                f"KPI {kpi.code} has a value but no as-at date; it is taken as at "
                f"{period.last_day:%d/%m/%Y}, the end of {period.label}.",
                **place,
            )
        )
        return period.last_day
    if isinstance(raw, dt.datetime):
        as_at: dt.date | None = raw.date()
    elif isinstance(raw, dt.date):
        as_at = raw
    elif isinstance(raw, str):
        as_at = parse_uk_date(" ".join(raw.split()))
        if as_at is not None:
            reading.findings.append(
                kpi_finding(
                    "KPI-DATE-FROM-TEXT",
                    f"The as-at date of KPI {kpi.code} was typed as text '{shown}' and read as "
                    f"{as_at:%d/%m/%Y}.",
                    value=shown,
                    **place,
                )
            )
    else:
        as_at = None
    if as_at is None:
        reading.findings.append(
            kpi_finding(
                "KPI-BAD-DATE",
                f"The as-at date of KPI {kpi.code} is '{shown}', which is not a date, so its "
                f"value {format_value(value)} was not counted. Type a date like 31/07/2023.",
                value=shown,
                **place,
            )
        )
        return None
    if as_at > period.last_day:
        reading.findings.append(
            kpi_finding(
                "KPI-AS-AT-AFTER-PERIOD",
                f"The as-at date of KPI {kpi.code} is {as_at:%d/%m/%Y}, after the end of "
                f"{period.label}. Check it is the date the value was measured at, not the date "
                "the return was filled in.",
                value=shown,
                **place,
            )
        )
    return as_at


def _moved_percent(previous: float, value: float) -> float:
    """How far VALUE moved from PREVIOUS, as a percentage of PREVIOUS (infinite from zero)."""
    if previous == 0:
        return 0.0 if value == 0 else math.inf
    return abs(value - previous) / abs(previous) * 100
