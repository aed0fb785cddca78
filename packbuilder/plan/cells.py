"""The plan register's cells: how a cell reads as text, a date, a number, a list or a rating,
and the reader that walks a sheet's rows by header and records a finding for each problem
(plan/loader.py runs it over the whole register)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from packbuilder.dates import is_open_wording, parse_uk_date
from packbuilder.findings import finding
from packbuilder.findings.plan import LIST_NOTE, LIST_NOTE_COMMA
from packbuilder.model import (
    Finding,
    Rating,
    column_letter,
)
from packbuilder.plan import schema

SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"^[<>≤≥=~]*\s*(-?\d+(?:\.\d+)?)\s*%?$")
_RATINGS = {rating.value.lower(): rating for rating in Rating}

# Sheets that must hold at least one row for the plan to mean anything.
_MUST_HAVE_ROWS = (schema.AREAS, schema.SUB_THEMES, schema.ACTIONS, schema.OFFICERS)


def header_key(header: object) -> str:
    return SPACES.sub("", str(header)).lower()


def cell_text(value: object) -> str:
    """A cell as text: numbers without a trailing .0, dates as "31 July 2023"."""
    if type(value) is str:  # most cells: the checks below cost a 27,000-action plan 0.3 s
        return value.replace("\r\n", "\n").strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.day} {value:%B %Y}"
    return str(value).replace("\r\n", "\n").strip()


def date_of(value: object) -> dt.date | None:
    """A date cell's date; text read day first. None for an empty cell; ValueError if no date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    parsed = parse_uk_date(text)
    if parsed is None:
        raise ValueError(text)
    return parsed


def number_of(value: object) -> float | None:
    """A number cell; text such as "75%" or "1,200" read as a number. ValueError if not one."""
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, int | float):
        return float(value)
    text = cell_text(value).replace(",", "")
    if not text:
        return None
    match = _NUMBER.match(text)
    if not match:
        raise ValueError(text)
    return float(match.group(1))


def split_list(value: object) -> list[str]:
    return [part.strip() for part in cell_text(value).split(schema.LIST_SEPARATOR) if part.strip()]


def list_note(value: object, what: str) -> str:
    """For a message about one item of a list cell: what the cell held and its separator."""
    read = cell_text(value)
    note = LIST_NOTE_COMMA if "," in read else LIST_NOTE
    return note.format(read=read, what=what, separator=schema.LIST_SEPARATOR)


def parse_rating(text: str, *, impact: bool) -> Rating | None:
    """A rating as written, case and spacing ignored; None for an empty cell.

    For impact, "Not yet rated" and text starting "TBC" or "To be confirmed" are
    ``Rating.NOT_YET_RATED``. Raises ValueError for anything else.
    """
    cleaned = SPACES.sub(" ", text).strip().lower()
    if not cleaned:
        return None
    rating = _RATINGS.get(cleaned)
    if rating is Rating.NOT_YET_RATED and not impact:
        raise ValueError(text)
    if rating is not None:
        return rating
    if impact and is_open_wording(cleaned):
        return Rating.NOT_YET_RATED
    raise ValueError(text)


@dataclass(frozen=True)
class Row:
    """One row of a sheet, its cells keyed by the schema's header."""

    number: int
    values: dict[str, object]
    letters: dict[str, str]
    texts: dict[str, str]  # each value as _text gives it: a large register asks for each often

    def cell(self, header: str) -> str:
        return f"{self.letters.get(header, '')}{self.number}"

    def raw(self, header: str) -> object:
        return self.values.get(header)

    def text(self, header: str) -> str:
        return self.texts.get(header, "")


class Reader:
    """Reads one workbook's sheets and records findings against it."""

    def __init__(self, path: Path) -> None:
        self.file = path.name
        self.findings: list[Finding] = []
        self.broken: set[str] = set()  # sheets that could not be read: no cascading findings

    def add(
        self,
        code: str,
        sheet: str,
        cell: str,
        value: object,
        *,
        action_id: str = "",
        officer_id: str = "",
        **fields: object,
    ) -> None:
        """A finding for CODE at CELL of SHEET, its message from the registry's template
        (the ``variant`` field's, where one is given) with FIELDS and the value as text."""
        text = cell_text(value)
        self.findings.append(
            finding(
                code,
                file=self.file,
                sheet=sheet,
                cell=cell,
                value=text,
                officer_id=officer_id,
                action_id=action_id,
                **fields,
            )
        )

    def rows(self, sheets: dict[str, Sequence[Sequence[object]]], sheet: str) -> list[Row]:
        """The sheet's filled rows, or none (with a finding) when it or a header is missing."""
        table = sheets.get(header_key(sheet))
        if table is None:
            self.broken.add(sheet)
            self.add("PLAN-MISSING-SHEET", sheet, "", "", headers=", ".join(schema.HEADERS[sheet]))
            return []
        header_row = table[0] if table else ()
        wanted = {header_key(h): h for h in schema.HEADERS[sheet]}
        columns: dict[str, int] = {}
        for index, value in enumerate(header_row):
            if value is None or not cell_text(value):
                continue
            header = wanted.get(header_key(value))
            letter = column_letter(index)
            if header is None:
                self.add(
                    "PLAN-UNKNOWN-HEADER",
                    sheet,
                    f"{letter}1",
                    value,
                    headers=", ".join(schema.HEADERS[sheet]),
                )
            elif header not in columns:
                columns[header] = index
        missing = [h for h in schema.REQUIRED[sheet] if h not in columns]
        for header in missing:
            self.add("PLAN-MISSING-HEADER", sheet, "row 1", header)
        if missing:
            self.broken.add(sheet)
            return []
        letters = {h: column_letter(i) for h, i in columns.items()}
        found: list[Row] = []
        for number, cells in enumerate(table[1:], start=2):
            values = {h: cells[i] if i < len(cells) else None for h, i in columns.items()}
            texts = {h: cell_text(v) for h, v in values.items()}
            if not any(texts.values()):
                continue
            found.append(Row(number, values, letters, texts))
        if not found and sheet in _MUST_HAVE_ROWS:
            self.add("PLAN-EMPTY", sheet, "row 2", "")
        return found

    def required(self, row: Row, sheet: str, header: str, action_id: str = "") -> str:
        """The cell's text; a finding when it is empty."""
        text = row.text(header)
        if not text:
            self.add(
                "PLAN-MISSING-VALUE",
                sheet,
                row.cell(header),
                "",
                action_id=action_id,
                header=header,
            )
        return text

    def integer(self, row: Row, sheet: str, header: str, low: int, high: int) -> int | None:
        value = row.raw(header)
        text = cell_text(value)
        if not text:
            return None
        try:
            number = number_of(value)
        except ValueError:
            number = None
        if number is None or not number.is_integer() or not low <= number <= high:
            self.add(
                "PLAN-BAD-VALUE",
                sheet,
                row.cell(header),
                value,
                variant="whole-number",
                header=header,
                low=low,
                high=high,
            )
            return None
        return int(number)

    def number(self, row: Row, sheet: str, header: str) -> float | None:
        value = row.raw(header)
        try:
            return number_of(value)
        except ValueError:
            self.add(
                "PLAN-BAD-VALUE", sheet, row.cell(header), value, variant="number", header=header
            )
            return None

    def date(self, row: Row, sheet: str, header: str, action_id: str = "") -> dt.date | None:
        value = row.raw(header)
        try:
            return date_of(value)
        except ValueError:
            self.add(
                "PLAN-BAD-DATE",
                sheet,
                row.cell(header),
                value,
                action_id=action_id,
                header=header,
            )
            return None

    def choice(
        self, row: Row, sheet: str, header: str, allowed: Iterable[str], default: str
    ) -> str:
        """One of ALLOWED (case ignored), as ALLOWED spells it; DEFAULT when empty or wrong."""
        text = row.text(header)
        if not text:
            return default
        options = {option.lower(): option for option in allowed}
        chosen = options.get(SPACES.sub(" ", text).lower())
        if chosen is None:
            self.add(
                "PLAN-BAD-VALUE",
                sheet,
                row.cell(header),
                text,
                header=header,
                options=", ".join(options.values()),
            )
            return default
        return chosen
