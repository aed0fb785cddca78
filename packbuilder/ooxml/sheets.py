"""A worksheet and its workbook read with regular expressions, with a parser where they
cannot be trusted.

A return's sheets are read by calamine, whose values do not say which cells hold formulas,
read error values as blank, and are allocated from A1. ``scan_sheet`` finds the rest from the
sheet's raw bytes (kept by the gate): for most returns (no formula, no error value,
no prefixed element) one expression with a literal start finds every cell and its reference,
with no Python loop over the cells (0.8 → 0.3 ms a return, docs/performance.md); the full
cell-by-cell scan remains for the others. ``sheet_parts`` reads the sheet map from start tags,
about ten times faster than a parser, and falls back to defusedxml when a part holds a
comment, CDATA or processing instruction.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
# The same for a sheet whose elements have no prefix: a literal start makes them fast. Every
# cell, with its reference when it has one (("", "") when it has none).
_PLAIN_CELL_REF = re.compile(rb'<c[\s>/](?:[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})")?')
_PLAIN_FORMULA = re.compile(rb"<f[\s>/]")  # not <formula1> or <firstHeader>
_PREFIXED = re.compile(rb":[cf][\s>/]")  # a cell or formula element with a namespace prefix
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_ERROR_TYPE = re.compile(rb'\bt="e"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]{1,40})</(?:\w+:)?v>")
_MERGE = re.compile(
    rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})"'
)


@dataclass(frozen=True)
class SheetScan:
    """What a bounded scan of a sheet's XML tells before any parser allocates the sheet."""

    extent: int  # cells, as a dense reader would allocate them from A1
    formulas: frozenset[str]  # cells holding a formula
    errors: dict[tuple[int, int], str]  # (row, column) from 0 -> an error value ("#DIV/0!")
    merges: tuple[tuple[int, int, int, int], ...]  # (first row, first col, last row, last col)


def scan_sheet(part: bytes) -> SheetScan:
    """The sheet's extent in cells (as a dense reader would allocate it), its formula cells,
    its error values (which calamine reads as blank) and its merged ranges."""
    merges = tuple(
        (int(m.group(2)), column_index(m.group(1).decode()), int(m.group(4)),
         column_index(m.group(3).decode()))
        for m in _MERGE.finditer(part)
    ) if b"mergeCell" in part else ()  # fmt: skip
    if b't="e"' in part or _PREFIXED.search(part) or _PLAIN_FORMULA.search(part):
        return _scan_cells(part, merges)
    # Most returns hold no formula, no error value and no prefixed element: then only the
    # extent is needed, and one regular expression with a literal start finds every cell and
    # its reference, without a loop in Python over the cells.
    cells = _PLAIN_CELL_REF.findall(part)
    refs = [ref for ref in cells if ref[0]]
    if not refs:
        return SheetScan(len(cells), frozenset(), {}, merges)
    letters, rows = zip(*refs, strict=True)
    max_row = max(map(int, set(rows)))
    max_col = max(column_index(col.decode()) for col in set(letters))
    # calamine allocates from A1 when asked for the whole area, so count from there.
    return SheetScan(max(len(cells), max_row * (max_col + 1)), frozenset(), {}, merges)


def _scan_cells(part: bytes, merges: tuple[tuple[int, int, int, int], ...]) -> SheetScan:
    """The full scan, cell by cell, for a sheet with formulas or error values."""
    max_row = max_col = 0
    formulas: set[str] = set()
    errors: dict[tuple[int, int], str] = {}
    count = 0
    for match in _CELL.finditer(part):
        count += 1
        ref = _REF.search(match.group(1))
        if ref is None:
            continue
        col = column_index(ref.group(1).decode())
        row = int(ref.group(2))
        max_row, max_col = max(max_row, row), max(max_col, col)
        body = match.group(3)
        if body and _FORMULA.search(body):
            formulas.add(f"{ref.group(1).decode()}{row}")
        if body and _ERROR_TYPE.search(match.group(1)):
            value = _VALUE.search(body)
            errors[(row - 1, col)] = value.group(1).decode("utf-8", "replace") if value else "#N/A"
    # calamine allocates from A1 when asked for the whole area, so count from there.
    extent = max(count, max_row * (max_col + 1)) if max_row else count
    return SheetScan(extent, frozenset(formulas), errors, merges)


def sheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """Sheet name -> part path, from workbook.xml and its relationships.

    Screening has refused any DTD, so the two parts hold nothing but elements, attributes and
    the predefined entities: when they also hold no comment, CDATA or processing instruction
    (anything starting "<!" or "<?" after the declaration), the <sheet> and <Relationship>
    elements are read from their start tags directly, about ten times faster than a parser.
    Otherwise defusedxml parses them. Both ways give the same answer (a test compares them).
    """
    workbook, rels = parts.get("xl/workbook.xml"), parts.get("xl/_rels/workbook.xml.rels")
    if not workbook or not rels:
        return {}
    if not (_plain_markup(workbook) and _plain_markup(rels)):
        return _sheet_parts_parsed(workbook, rels)
    targets = {}
    for match in _RELATIONSHIP_TAG.finditer(rels):
        attributes = _attributes(match.group(1))
        targets[attributes.get("Id", "")] = _target(attributes.get("Target", ""))
    names: dict[str, str] = {}
    for match in _SHEET_TAG.finditer(workbook):
        attributes = _attributes(match.group(1))
        rid = next((v for k, v in attributes.items() if k.endswith(":id")), "")
        names[attributes.get("name", "")] = targets.get(rid, "")
    return names


# A start tag's attributes, a quoted value possibly holding ">"; an element with any prefix.
_TAG_BODY = rb"""((?:[^>"']|"[^"]*"|'[^']*')*)"""
_SHEET_TAG = re.compile(rb"<(?:[\w.-]+:)?sheet\s" + _TAG_BODY + rb">")
_RELATIONSHIP_TAG = re.compile(rb"<(?:[\w.-]+:)?Relationship\s" + _TAG_BODY + rb">")
_ATTRIBUTE = re.compile(rb"""([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _plain_markup(part: bytes) -> bool:
    """Whether PART holds no comment, CDATA, DTD or processing instruction past its prolog."""
    start = part.find(b"?>") + 2 if part.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml") else 0
    return b"<!" not in part and b"<?" not in part[start:]


def _attributes(body: bytes) -> dict[str, str]:
    found = {}
    for match in _ATTRIBUTE.finditer(body):
        value = match.group(2) if match.group(2) is not None else match.group(3)
        text = value.decode("utf-8")
        found[match.group(1).decode("utf-8")] = html.unescape(text) if "&" in text else text
    return found


def _target(target: str) -> str:
    target = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return target.replace("xl/./", "xl/")


def _sheet_parts_parsed(workbook: bytes, rels: bytes) -> dict[str, str]:
    """sheet_parts by a parser (defusedxml), for parts with comments or the like."""
    from defusedxml.ElementTree import fromstring

    targets: dict[str, str] = {}
    for rel in fromstring(rels):
        targets[rel.get("Id", "")] = _target(rel.get("Target", ""))
    names: dict[str, str] = {}
    for element in fromstring(workbook).iter():
        if element.tag.endswith("}sheet") or element.tag == "sheet":
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), "")
            names[element.get("name", "")] = targets.get(rid, "")
    return names


def column_index(letters: str) -> int:
    """A -> 0, AA -> 26."""
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1
