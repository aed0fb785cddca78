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
from pathlib import Path

from packbuilder.dates import parse_uk_date
from packbuilder.findings import REGISTRY
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
    """A value that does not fit the field it corrects."""


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
        raise OverrideValueError(f"{text!r} is not a {field} rating: write {allowed}.")
    if field in ("revised end date", "next milestone date"):
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            parsed = parse_uk_date(text)
        if parsed is None:
            raise OverrideValueError(f"{text!r} is not a date: write it as 31/12/2023.")
        return parsed
    if field == "escalation":
        if text.casefold() in _YES:
            return True
        if text.casefold() in _NO:
            return False
        raise OverrideValueError(f"{text!r} is not Yes or No.")
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
        return [], [
            Finding(
                code="overrides-unreadable",
                severity=REGISTRY["overrides-unreadable"].severity,
                message=f"The overrides workbook could not be read ({type(error).__name__}); "
                "no override was applied.",
                file=path.name,
            )
        ]
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
    findings: list[Finding] = []

    def finding(code: str, message: str, cell: str, value: object = "") -> None:
        findings.append(
            Finding(
                code=code,
                severity=REGISTRY[code].severity,
                message=message,
                file=file,
                sheet=sheet,
                cell=cell,
                value="" if value is None else str(value),
            )
        )

    if not rows:
        return [], findings
    header = [field_name(str(cell or "")) for cell in rows[0]]
    columns: dict[str, int] = {}
    for name in HEADERS:
        key = field_name(name)
        if key not in header:
            finding(
                "overrides-missing-column",
                f"The overrides sheet has no {name!r} column in row 1: no override was applied.",
                "1",
            )
        else:
            columns[name] = header.index(key)
    if len(columns) < len(HEADERS):
        return [], findings

    overrides: list[Override] = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {name: row[index] if index < len(row) else None for name, index in columns.items()}
        if all(value is None or str(value).strip() == "" for value in cells.values()):
            continue

        def cell(name: str, row_number: int = number) -> str:
            return f"{column_letter(columns[name])}{row_number}"

        action_id = _text(cells["Action ID"])
        field = field_name(_text(cells["Field"]))
        reason, who = _text(cells["Reason"]), _text(cells["Who"])
        raw = cells["Value"]
        value = raw.date().isoformat() if isinstance(raw, dt.datetime) else _text(raw)
        if not action_id:
            finding("override-no-action", "The override has no Action ID.", cell("Action ID"))
            continue
        if field not in FIELD_ATTRIBUTES:
            known = ", ".join(FIELD_ATTRIBUTES)
            finding(
                "override-unknown-field",
                f"{_text(cells['Field'])!r} is not a field that can be corrected: use one of "
                f"{known}.",
                cell("Field"),
                cells["Field"],
            )
            continue
        if not reason or not who:
            finding(
                "override-no-reason",
                "An override needs a reason and who made it: it was not applied.",
                cell("Reason") if not reason else cell("Who"),
            )
            continue
        try:
            parse_override_value(field, value)
        except OverrideValueError as error:
            finding("override-bad-value", str(error), cell("Value"), value)
            continue
        if field == "confidence":
            match = [c for c in confidence_choices if c.casefold() == value.strip().casefold()]
            if not match:
                finding(
                    "override-bad-value",
                    f"{value!r} is not a confidence level: use {', '.join(confidence_choices)}.",
                    cell("Value"),
                    value,
                )
                continue
            value = match[0]
        overrides.append(
            Override(
                action_id=action_id,
                field=field,
                value=value,
                reason=reason,
                who=who,
                source=CellSource(file, sha256, sheet, cell("Value")),
            )
        )
    return overrides, findings


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
