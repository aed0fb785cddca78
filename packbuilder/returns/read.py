"""Reading a screened return workbook: the template's range and the hidden sheet, nothing more.

``screen_file`` (safe.py) has already recognised the file and kept its bytes and raw XML parts.
Here python-calamine reads the values (a Rust reader, a fraction of a millisecond for a return)
and a bounded scan of the sheet XML supplies what calamine cannot tell: which input cells hold
formulas, which hold error values (calamine reads #DIV/0! as blank), which are merged, and how
far each sheet really extends, checked against the limit before calamine allocates the sheet.
Sheets that are not part of the return are noted, never read. Sheet visibility comes from
calamine's metadata; the 1904 date system and the recorded modification time from workbook.xml
and docProps/core.xml, parsed with defusedxml.

Values are cleaned on the way in (``_x000B_`` escapes decoded, control characters removed, text
cut at the configured length) and every change is a ``Note`` for the checks to report. The
normalisers for ratings, dates, yes/no and confidence are pure functions here, so the reader
and the checks agree on what a typed value means. Formulas are never executed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol, cast

from packbuilder.dates import parse_uk_date
from packbuilder.model import Rating, column_letter
from packbuilder.ooxml.sheets import column_index, scan_sheet, sheet_parts
from packbuilder.returns import layout
from packbuilder.returns.safe import Screening, assert_defused

CellValue = str | float | int | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# Characters XML 1.0 forbids, and other C0/C1 controls that only ever arrive by accident.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_TEMPLATE_SHEETS = {
    layout.INSTRUCTIONS_SHEET,
    layout.RETURN_SHEET,
    layout.AREA_SHEET,
    layout.FEEDBACK_SHEET,
    layout.META_SHEET,
}
_MODIFIED = re.compile(rb"<dcterms:modified[^>]*>([^<]+)</dcterms:modified>")
_LETTERS = [c.letter for c in layout.COLUMNS]
_WIDTH = len(_LETTERS)


class ReadLimits(Protocol):
    @property
    def max_cells_per_sheet(self) -> int: ...
    @property
    def max_chars_per_cell(self) -> int: ...


@dataclass(frozen=True)
class Note:
    """A change the reader made to a value, or something it saw: the checks report each one."""

    code: str
    sheet: str
    cell: str
    value: str
    detail: str = ""


@dataclass
class ReturnRow:
    """One row of the Return sheet: cleaned values by column key, and the columns of the
    template version that made it (so a cell is named by the letter the officer sees)."""

    row: int
    cells: dict[str, CellValue]
    columns: Mapping[str, layout.Column] = field(default_factory=lambda: layout.COLUMN_BY_KEY)

    def text(self, key: str) -> str:
        return display(self.cells.get(key))


@dataclass(frozen=True)
class MetaRow:
    action_id: str
    row: str  # a row number on the Return sheet, or a cell ("B12") on an area-lead return
    fingerprint: str
    role: str


@dataclass
class WorkbookRead:
    """What a return workbook holds, as read: the checks decide what it means."""

    sheet_names: list[str]
    sheet_states: dict[str, str]  # name -> "visible" | "hidden" | "veryhidden"
    meta_sheet: str = ""  # the sheet recognised as packbuilder's hidden sheet, "" if none
    meta: dict[str, str] = field(default_factory=dict)
    meta_rows: list[MetaRow] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[ReturnRow] = field(default_factory=list)
    area_cells: dict[str, CellValue] = field(default_factory=dict)  # "B12" -> value
    formula_cells: frozenset[str] = frozenset()  # on the Return or Area sheet
    recorded_modified: dt.datetime | None = None
    date1904: bool = False
    notes: list[Note] = field(default_factory=list)
    too_large: str = ""  # the sheet whose extent is over the limit: nothing else was read

    @property
    def template_version(self) -> str:
        return self.meta.get("template_version", "")


class UnreadableWorkbook(Exception):
    """The workbook passed screening but its parser failed on it."""


def read_workbook(screening: Screening, limits: ReadLimits) -> WorkbookRead:
    """Read a screened workbook: its hidden sheet, the Return (or Area commentary) range."""
    import python_calamine

    assert_defused()
    try:
        part_of = sheet_parts(screening.parts)
    except (SyntaxError, ValueError) as error:  # ElementTree's ParseError is a SyntaxError
        raise UnreadableWorkbook(f"xl/workbook.xml: {error}") from error
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(screening.data))
        metadata = workbook.sheets_metadata
    except Exception as error:  # calamine raises its own and plain errors alike
        raise UnreadableWorkbook(str(error)) from error
    states = {m.name: str(m.visible).rsplit(".", 1)[-1].lower() for m in metadata}
    result = WorkbookRead(sheet_names=[m.name for m in metadata], sheet_states=states)
    result.date1904 = b'date1904="1"' in _workbook_pr(screening.parts) or (
        b'date1904="true"' in _workbook_pr(screening.parts)
    )
    result.recorded_modified = _modified(screening.parts.get("docProps/core.xml", b""))

    def grid(name: str, rows: int | None = None) -> list[list[CellValue]] | None:
        part = screening.parts.get(part_of.get(name, ""), b"")
        scan = scan_sheet(part)
        if scan.extent > limits.max_cells_per_sheet:
            result.too_large = name
            return None
        if name != result.meta_sheet:
            result.formula_cells = result.formula_cells | scan.formulas
        if name == layout.RETURN_SHEET:
            result.notes.extend(_merged_inputs(scan.merges, result.template_version))
        try:
            sheet = workbook.get_sheet_by_name(name)
            values = cast(list[list[CellValue]], sheet.to_python(skip_empty_area=False, nrows=rows))
        except Exception as error:
            raise UnreadableWorkbook(str(error)) from error
        _restore_errors(values, scan.errors)
        return values

    for name in _meta_candidates(result):
        values = grid(name)
        if values is None:
            return result
        if values and values[0] and display(values[0][0]) == layout.META_MARKER:
            result.meta_sheet = name
            _read_meta(values, result)
            break
    for name in result.sheet_names:
        if name not in _TEMPLATE_SHEETS and name != result.meta_sheet:
            result.notes.append(Note("extra-sheet", name, "", name))
    if layout.RETURN_SHEET in states:
        values = grid(layout.RETURN_SHEET)
        if values is None:
            return result
        _read_return_sheet(values, result, limits)
    if layout.AREA_SHEET in states:
        values = grid(layout.AREA_SHEET)
        if values is None:
            return result
        for r, line in enumerate(values, start=1):
            for c, value in enumerate(line[: _WIDTH + 6]):
                if value not in ("", None):
                    ref = f"{column_letter(c)}{r}"
                    result.area_cells[ref] = _clean(value, layout.AREA_SHEET, ref, result, limits)
    return result


def _meta_candidates(result: WorkbookRead) -> list[str]:
    """The named hidden sheet first, then any other hidden sheet (a renamed copy)."""
    named = [n for n in result.sheet_names if n == layout.META_SHEET]
    hidden = [
        n
        for n in result.sheet_names
        if n != layout.META_SHEET and result.sheet_states.get(n) != "visible"
    ]
    return named + hidden


def _read_meta(values: list[list[CellValue]], result: WorkbookRead) -> None:
    for line in values[1 : layout.META_ROWS_HEADER - 1]:
        if len(line) >= 2 and display(line[0]):
            result.meta[display(line[0]).strip()] = display(line[1]).strip()
    for line in values[layout.META_ROWS_HEADER :]:
        cells = [display(v).strip() for v in line[:4]] + [""] * 4
        if cells[0]:
            result.meta_rows.append(MetaRow(cells[0], cells[1], cells[2], cells[3]))


def _read_return_sheet(
    values: list[list[CellValue]], result: WorkbookRead, limits: ReadLimits
) -> None:
    columns = layout.columns_for(result.template_version)
    by_key = layout.column_by_key_for(result.template_version)
    width = len(columns)
    header_index = layout.HEADER_ROW - 1
    if len(values) > header_index:
        result.header = [display(v) for v in values[header_index][:width]]
    last_used = 0
    for index in range(len(values) - 1, header_index, -1):
        if any(display(v).strip() for v in values[index][:width]):
            last_used = index
            break
    for index in range(layout.FIRST_ROW - 1, last_used + 1):
        line = values[index][:width]
        line = line + [""] * (width - len(line))
        row_number = index + 1
        cells: dict[str, CellValue] = {}
        for column, value in zip(columns, line, strict=True):
            ref = f"{column.letter}{row_number}"
            cells[column.key] = _clean(value, layout.RETURN_SHEET, ref, result, limits)
        result.rows.append(ReturnRow(row_number, cells, by_key))


def _clean(
    value: CellValue, sheet: str, ref: str, result: WorkbookRead, limits: ReadLimits
) -> CellValue:
    """Blank to None, escapes decoded, control characters removed, text cut at the limit."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            return int(value)
        return value
    if len(value) <= limits.max_chars_per_cell and not (
        "_x" in value or "\r" in value or _CONTROL.search(value)
    ):
        return value  # nothing to clean: most cells
    text = value
    if "_x" in text:
        text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    # A vertical tab or form feed is a line break pasted from Word: keep it as one.
    text = text.replace("\x0b", "\n").replace("\x0c", "\n")
    cleaned = _CONTROL.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    if cleaned != value.replace("\r\n", "\n").replace("\r", "\n"):
        result.notes.append(Note("text-cleaned", sheet, ref, _shorten(value)))
    if len(cleaned) > limits.max_chars_per_cell:
        result.notes.append(
            Note("text-truncated", sheet, ref, _shorten(cleaned), f"{len(cleaned):,}")
        )
        cleaned = cleaned[: limits.max_chars_per_cell]
    return cleaned or None


def _shorten(text: str, length: int = 80) -> str:
    text = _CONTROL.sub("?", text)
    return text if len(text) <= length else text[: length - 1] + "…"


def _restore_errors(values: list[list[CellValue]], errors: dict[tuple[int, int], str]) -> None:
    """Put back the error values calamine reads as blank, so a #DIV/0! is reported as typed."""
    for (row, col), text in errors.items():
        if row < len(values) and col < len(values[row]) and values[row][col] in ("", None):
            values[row][col] = text


def _merged_inputs(merges: tuple[tuple[int, int, int, int], ...], version: str) -> list[Note]:
    """A note for each merged range over the Return sheet's input cells: only its first cell
    keeps a value, so what the officer typed may belong to several columns or rows."""
    notes = []
    inputs = [column_index(c.letter) for c in layout.columns_for(version) if not c.locked]
    for first_row, first_col, last_row, last_col in merges:
        if last_row < layout.FIRST_ROW:
            continue
        if any(first_col <= c <= last_col for c in inputs):
            first = f"{column_letter(first_col)}{first_row}"
            last = f"{column_letter(last_col)}{last_row}"
            notes.append(Note("merged-cells", layout.RETURN_SHEET, first, f"{first}:{last}"))
    return notes


def _workbook_pr(parts: dict[str, bytes]) -> bytes:
    workbook = parts.get("xl/workbook.xml", b"")
    start = workbook.find(b"workbookPr")
    return workbook[start : start + 400] if start >= 0 else b""


def _modified(core: bytes) -> dt.datetime | None:
    match = _MODIFIED.search(core)
    if not match:
        return None
    try:
        stamp = dt.datetime.fromisoformat(match.group(1).decode().strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.tzinfo is not None:  # in local time, as received.csv and the file system give it
        stamp = stamp.astimezone().replace(tzinfo=None)
    return stamp


def display(value: CellValue) -> str:
    """A cell value as an officer would read it back in a message."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------- normalisers


@dataclass(frozen=True)
class Normalised:
    """A value as understood, and the finding code for how it was understood (None: as typed)."""

    value: object
    code: str | None = None


_RATING_WORDS = {r.value.casefold(): r for r in Rating}
_RATING_LETTERS = {"b": Rating.BLUE, "g": Rating.GREEN, "a": Rating.AMBER, "r": Rating.RED}
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u200b]+")


def squeeze(text: str) -> str:
    """Text with non-breaking and runs of spaces made one space, trimmed, NFC."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def parse_rating(value: CellValue, *, impact: bool) -> Normalised:
    """A BRAG rating: exact (no code), tidied ("rating-normalised"), a single letter
    ("rating-letter"), Not yet rated on progress ("not-yet-rated-progress") or not a rating
    ("rating-not-allowed"). Blank is None with no code: the rules decide whether it must be
    filled in."""
    if value is None:
        return Normalised(None)
    typed = display(value)
    tidy = squeeze(typed).casefold()
    if not tidy:
        return Normalised(None, "rating-normalised")
    rating = _RATING_WORDS.get(tidy)
    if rating is None and tidy.rstrip(".") in _RATING_LETTERS:
        return Normalised(_RATING_LETTERS[tidy.rstrip(".")], "rating-letter")
    if rating is None:
        return Normalised(None, "rating-not-allowed")
    if rating is Rating.NOT_YET_RATED and not impact:
        return Normalised(None, "not-yet-rated-progress")
    return Normalised(rating, None if typed == rating.value else "rating-normalised")


def parse_date_cell(value: CellValue, *, date1904: bool = False) -> Normalised:
    """A date cell: a real date (no code), a date typed as text ("date-from-text"), a bare
    day number ("date-from-number") or not a date ("not-a-date"). Blank is None."""
    if value is None:
        return Normalised(None)
    if isinstance(value, dt.datetime):
        return Normalised(value.date())
    if isinstance(value, dt.date):
        return Normalised(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2_958_466:  # 1900-01-01 .. 9999-12-31 as Excel day numbers
            epoch = dt.date(1904, 1, 1) if date1904 else dt.date(1899, 12, 30)
            return Normalised(epoch + dt.timedelta(days=int(value)), "date-from-number")
        return Normalised(None, "not-a-date")
    if isinstance(value, str):
        parsed = parse_uk_date(squeeze(value))
        if parsed is not None:
            return Normalised(parsed, "date-from-text")
    return Normalised(None, "not-a-date")


_YES = {"yes", "y", "true"}
_NO = {"no", "n", "false"}


def parse_yes_no(value: CellValue) -> Normalised:
    """Yes or No: exact (no code), tidied ("choice-normalised") or not allowed
    ("yesno-not-allowed")."""
    if value is None:
        return Normalised(None)
    if isinstance(value, bool):
        return Normalised(value, "choice-normalised")
    typed = display(value)
    tidy = squeeze(typed).casefold()
    if tidy in _YES:
        return Normalised(True, None if typed == "Yes" else "choice-normalised")
    if tidy in _NO:
        return Normalised(False, None if typed == "No" else "choice-normalised")
    return Normalised(None, "yesno-not-allowed")


def parse_choice(value: CellValue, choices: list[str]) -> Normalised:
    """One of CHOICES (confidence): exact, tidied ("choice-normalised") or not allowed
    ("confidence-not-allowed")."""
    if value is None:
        return Normalised(None)
    typed = display(value)
    tidy = squeeze(typed).casefold()
    for choice in choices:
        if tidy == choice.casefold():
            return Normalised(choice, None if typed == choice else "choice-normalised")
    return Normalised(None, "confidence-not-allowed")
