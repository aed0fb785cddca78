"""The office's corrections: inputs/overrides/PERIOD.xlsx, read before the merge applies them.

After a call or an email the office may correct a value an officer returned (or failed to
return). The workbook has one sheet with the columns Action ID, Field, Value, Reason and Who,
headers in row 1. Field names are the tracker's own column names ("progress", "impact",
"commentary", "revised end date" …). A bad row never stops the build: it becomes a warning
finding with its sheet and cell and is not applied. A "revised end date" override sets the end
date in force from this period on (a blank value withdraws the revision, so the plan's own date
stands again); the merge records it as agreed this period, with the override's reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path

from packbuilder.dates import parse_uk_date
from packbuilder.findings import finding, message
from packbuilder.model import CellSource, Finding, Override, Rating, column_letter

HEADERS = ("Action ID", "Field", "Value", "Reason", "Who")

# Field name as the office writes it (the tracker's header, case and spacing ignored) to the
# ActionStatus attribute it corrects.
FIELD_ATTRIBUTES: dict[str, str] = {
    "progress": "progress",
    "impact": "impact",
    "commentary": "progress_commentary",
    "evidence": "evidence",
    "revised end date": "revised_end_date",
    "revised reason": "revised_reason",
    "confidence": "confidence",
    "risks": "risks",
    "escalation": "escalation",
    "next milestone": "next_milestone",
    "next milestone date": "next_milestone_date",
}

_ALIASES: dict[str, str] = {
    "progress brag": "progress",
    "impact brag": "impact",
    "progress commentary": "commentary",
    "evidence of impact": "evidence",
    "revised end": "revised end date",
    "reason for revised date": "revised reason",
    "confidence in delivery": "confidence",
    "key risks or issues": "risks",
    "escalation needed": "escalation",
}

_YES = {"yes", "y", "true"}
_NO = {"no", "n", "false"}


class OverrideValueError(ValueError):
    """A value that does not fit the field it corrects: the override-bad-value message's
    variant and fields (packbuilder/findings/office.py), and that message as its words."""

    def __init__(self, variant: str, **fields: object) -> None:
        super().__init__(message("override-bad-value", variant, **fields))
        self.variant = variant
        self.fields = fields


def field_name(text: str) -> str:
    """The canonical field name for what the office typed ("Progress BRAG" → "progress")."""
    key = re.sub(r"[\s_]+", " ", text).strip().casefold()
    return _ALIASES.get(key, key)


def parse_override_value(field: str, value: str) -> object:
    """The typed value of one override: a Rating, a date, a yes/no or text."""
    text = value.strip()
    if field in ("progress", "impact"):
        for rating in Rating:
            if text.casefold() == rating.value.casefold():
                if field == "progress" and not rating.is_brag:
                    break
                return rating
        allowed = "Blue, Green, Amber, Red" + (" or Not yet rated" if field == "impact" else "")
        raise OverrideValueError("", text=text, field=field, allowed=allowed)
    if field in ("revised end date", "next milestone date"):
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            parsed = parse_uk_date(text)
        if parsed is None:
            raise OverrideValueError("date", text=text)
        return parsed
    if field == "escalation":
        if text.casefold() in _YES:
            return True
        if text.casefold() in _NO:
            return False
        raise OverrideValueError("yes-no", text=text)
    return text


def read_overrides(
    path: Path, confidence_choices: list[str]
) -> tuple[list[Override], list[Finding]]:
    """Read the overrides workbook; a missing file means no overrides."""
    if not path.is_file():
        return [], []
    from openpyxl import load_workbook

    data = path.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # any unreadable workbook becomes one finding, never a crash
        return [], [finding("overrides-unreadable", file=path.name, error=type(error).__name__)]
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[object]] = [list(row) for row in sheet.iter_rows(values_only=True)]
        sheet_name = sheet.title
    finally:
        workbook.close()
    return parse_override_rows(rows, path.name, sha256, sheet_name, confidence_choices)


def parse_override_rows(
    rows: list[list[object]],
    file: str,
    sha256: str,
    sheet: str,
    confidence_choices: list[str],
) -> tuple[list[Override], list[Finding]]:
    """The overrides in a sheet's rows (row 1 the header); bad rows become findings."""
    if not rows:
        return [], []
    place = _Place(file, sha256, sheet)
    columns, findings = _columns(rows[0], place)
    if len(columns) < len(HEADERS):
        return [], findings
    overrides: list[Override] = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {name: row[index] if index < len(row) else None for name, index in columns.items()}
        if all(value is None or str(value).strip() == "" for value in cells.values()):
            continue
        read = _override(cells, place.row(columns, number), confidence_choices)
        if isinstance(read, Override):
            overrides.append(read)
        else:
            findings.append(read)
    return overrides, findings


@dataclass(frozen=True)
class _Place:
    """The overrides sheet, and a cell of it by column name on one row."""

    file: str
    sha256: str
    sheet: str
    columns: tuple[tuple[str, int], ...] = ()
    number: int = 1

    def row(self, columns: dict[str, int], number: int) -> _Place:
        return replace(self, columns=tuple(columns.items()), number=number)

    def cell(self, name: str) -> str:
        return f"{column_letter(dict(self.columns)[name])}{self.number}"

    def finding(self, code: str, cell: str, value: object = "", **fields: object) -> Finding:
        file, sheet = self.file, self.sheet
        return finding(
            code,
            file=file,
            sheet=sheet,
            cell=cell,
            value=value,
            officer_id="",
            action_id="",
            **fields,
        )


def _columns(header_row: list[object], place: _Place) -> tuple[dict[str, int], list[Finding]]:
    """Each column the overrides need, by its index in the header row; a finding for each
    that is missing."""
    header = [field_name(str(cell or "")) for cell in header_row]
    columns: dict[str, int] = {}
    findings: list[Finding] = []
    for name in HEADERS:
        key = field_name(name)
        if key not in header:
            findings.append(place.finding("overrides-missing-column", "1", column=name))
        else:
            columns[name] = header.index(key)
    return columns, findings


def _override(
    cells: dict[str, object], place: _Place, confidence_choices: list[str]
) -> Override | Finding:
    """One row's override, or the finding that keeps it out."""
    action_id = _text(cells["Action ID"])
    field = field_name(_text(cells["Field"]))
    reason, who = _text(cells["Reason"]), _text(cells["Who"])
    raw = cells["Value"]
    value = raw.date().isoformat() if isinstance(raw, dt.datetime) else _text(raw)
    if not action_id:
        return place.finding("override-no-action", place.cell("Action ID"))
    if field not in FIELD_ATTRIBUTES:
        known = ", ".join(FIELD_ATTRIBUTES)
        typed = _text(cells["Field"])
        return place.finding(
            "override-unknown-field", place.cell("Field"), cells["Field"], field=typed, known=known
        )
    if not reason or not who:
        return place.finding(
            "override-no-reason", place.cell("Reason") if not reason else place.cell("Who")
        )
    try:
        parse_override_value(field, value)
    except OverrideValueError as error:
        fields = {"variant": error.variant, **error.fields}
        return place.finding("override-bad-value", place.cell("Value"), value, **fields)
    if field == "confidence":
        match = [c for c in confidence_choices if c.casefold() == value.strip().casefold()]
        if not match:
            choices = ", ".join(confidence_choices)
            return place.finding(
                "override-bad-value",
                place.cell("Value"),
                value,
                variant="confidence",
                text=value,
                choices=choices,
            )
        value = match[0]
    source = CellSource(place.file, place.sha256, place.sheet, place.cell("Value"))
    return Override(action_id, field, value, reason, who, source)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
