"""The "What to fix" sheet a feedback workbook opens on: every problem in words, no hovering.

Comments on cells do not print, do not show in a PDF and must be hovered one by one, so the
feedback workbook (check_outputs/outputs.py, ooxml/comments.py) gains a first-seen sheet
listing each error with its cell, as a link to that cell, then each warning as a question; it
prints one page wide.
The Return sheet's banner is reworded to say the file came back with things to fix.

``add_fix_sheet`` works on the finished workbook's bytes, whichever way it was written, and
adds one worksheet part, its relationship and content type, two cell formats and a font, as
Excel would. Cells hold inline strings, so the shared strings are untouched.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from packbuilder import wording
from packbuilder.fixed_time import zip_entry
from packbuilder.ooxml.comments import MAIN, REL, Styles, set_attribute, xml_text
from packbuilder.ooxml.sheets import sheet_parts
from packbuilder.returns import layout

SHEET_NAME = layout.FEEDBACK_SHEET
BANNER = (
    "This return came back with things to fix: the 'What to fix' sheet lists them. Correct the "
    "coloured cells, save the file and send it back."
)
_WORKSHEET_TYPE = f"{REL}/worksheet"
_WORKSHEET_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_WIDTHS = (12, 10, 100)  # Cell, Action, What to fix
_CHARS_PER_WIDTH = 1.05
_LINE_POINTS = 15.0


@dataclass(frozen=True)
class FixItem:
    """One problem to list: the sheet and cell it is in (may be empty), its action, words."""

    sheet: str
    cell: str
    action_id: str
    message: str


class _MoreStyles(Styles):
    """The feedback's styles, with whole cell formats and fonts of the sheet's own added."""

    def __init__(self, xml: bytes) -> None:
        super().__init__(xml)
        fonts = re.search(rb"<fonts\b[^>]*>(.*?)</fonts>", xml, re.DOTALL)
        if fonts is None:
            raise ValueError("styles without fonts")
        self.font_count = len(re.findall(rb"<font\b", fonts.group(1)))
        self.new_fonts: list[bytes] = []

    def added_font(self, font: bytes) -> int:
        self.new_fonts.append(font)
        return self.font_count + len(self.new_fonts) - 1

    def added_format(self, xf: bytes) -> int:
        self.new_xfs.append(xf)
        return len(self.xfs) + len(self.new_xfs) - 1

    def xml(self) -> bytes:
        xml = super().xml()
        if not self.new_fonts:
            return xml
        fonts = re.search(rb"(<fonts\b[^>]*>)(.*?)</fonts>", xml, re.DOTALL)
        assert fonts is not None
        opening = set_attribute(
            fonts.group(1), b"count", str(self.font_count + len(self.new_fonts)).encode()
        )
        return (
            xml[: fonts.start()]
            + opening
            + fonts.group(2)
            + b"".join(self.new_fonts)
            + b"</fonts>"
            + xml[fonts.end() :]
        )


class FixSheetError(Exception):
    """The workbook is not laid out as expected; the feedback is written without the sheet."""


def add_fix_sheet(data: bytes, errors: Sequence[FixItem], questions: Sequence[FixItem]) -> bytes:
    """DATA (a finished feedback workbook) with the What to fix sheet added and opened first.

    Raises FixSheetError for a workbook whose parts are not as a return's are.
    """
    try:
        return _add(data, errors, questions)
    except (KeyError, ValueError, zipfile.BadZipFile, UnicodeDecodeError) as error:
        raise FixSheetError(str(error)) from None


def _add(data: bytes, errors: Sequence[FixItem], questions: Sequence[FixItem]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    infos = [i for i in source.infolist() if not i.is_dir()]
    parts = {i.filename: source.read(i) for i in infos}
    sheets = sheet_parts(parts)
    if SHEET_NAME in sheets:
        raise ValueError("the workbook already has a What to fix sheet")
    styles = _MoreStyles(parts["xl/styles.xml"])
    wrap = styles.added_format(
        b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
        b'<alignment wrapText="1" vertical="top"/></xf>'
    )
    title_font = styles.added_font(b'<font><b/><sz val="14"/><name val="Calibri"/></font>')
    bold_font = styles.added_font(b'<font><b/><sz val="11"/><name val="Calibri"/></font>')
    link_font = styles.added_font(
        b'<font><u/><sz val="11"/><color rgb="FF0563C1"/><name val="Calibri"/></font>'
    )
    title = styles.added_format(
        f'<xf numFmtId="0" fontId="{title_font}" fillId="0" borderId="0" xfId="0" '
        'applyFont="1"/>'.encode()
    )
    heading = styles.added_format(
        f'<xf numFmtId="0" fontId="{bold_font}" fillId="0" borderId="0" xfId="0" applyFont="1" '
        'applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>'.encode()
    )
    link = styles.added_format(
        f'<xf numFmtId="0" fontId="{link_font}" fillId="0" borderId="0" xfId="0" applyFont="1" '
        'applyAlignment="1"><alignment vertical="top"/></xf>'.encode()
    )
    formats = {"wrap": wrap, "title": title, "heading": heading, "link": link}

    names = set(parts)
    number = len(sheets) + 1
    while f"xl/worksheets/sheet{number}.xml" in names:
        number += 1
    part = f"xl/worksheets/sheet{number}.xml"
    for other in sheets.values():
        parts[other] = re.sub(rb'\stabSelected="(?:1|true)"', b"", parts[other])
    if layout.RETURN_SHEET in sheets:
        parts[sheets[layout.RETURN_SHEET]] = _banner(parts[sheets[layout.RETURN_SHEET]])
    parts[part] = _sheet_xml(errors, questions, formats)
    parts["xl/styles.xml"] = styles.xml()
    parts["xl/workbook.xml"], rel_id = _workbook(parts["xl/workbook.xml"])
    parts["xl/_rels/workbook.xml.rels"] = _workbook_rels(
        parts["xl/_rels/workbook.xml.rels"], rel_id, part
    )
    types = parts["[Content_Types].xml"]
    end = types.rindex(b"</Types>")
    override = f'<Override PartName="/{part}" ContentType="{_WORKSHEET_CONTENT}"/>'.encode()
    parts["[Content_Types].xml"] = types[:end] + override + types[end:]

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for name in [i.filename for i in infos] + [part]:
            target.writestr(zip_entry(name), parts[name], compresslevel=1)
    return out.getvalue()


def _workbook(xml: bytes) -> tuple[bytes, str]:
    """workbook.xml with the sheet added first, opened first, and every sheet-scoped name
    (print titles, filters) moved along with its sheet."""
    ids = [int(n) for n in re.findall(rb'<sheet\b[^>]*\bsheetId="(\d+)"', xml)]
    rel_id = "rIdPbFix"
    # The relationships namespace declared on the element itself, as openpyxl writes it.
    sheet = (
        f'<sheet xmlns:r="{REL}" name="{SHEET_NAME}" sheetId="{max(ids, default=0) + 1}" '
        f'r:id="{rel_id}"/>'
    ).encode()
    sheets = re.search(rb"<sheets\b[^>]*>", xml)
    if sheets is None:
        raise ValueError("workbook without sheets")
    xml = xml[: sheets.end()] + sheet + xml[sheets.end() :]
    xml = re.sub(
        rb'\blocalSheetId="(\d+)"',
        lambda m: b'localSheetId="' + str(int(m.group(1)) + 1).encode() + b'"',
        xml,
    )
    view = re.search(rb"<workbookView\b[^>]*?/?>", xml)
    if view is None:
        raise ValueError("workbook without a view")
    tag = set_attribute(view.group(0), b"activeTab", b"0")
    tag = re.sub(rb'\sfirstSheet="\d+"', b"", tag)
    return xml[: view.start()] + tag + xml[view.end() :], rel_id


def _workbook_rels(xml: bytes, rel_id: str, part: str) -> bytes:
    end = xml.rindex(b"</Relationships>")
    target = part.removeprefix("xl/")
    new = f'<Relationship Id="{rel_id}" Type="{_WORKSHEET_TYPE}" Target="{target}"/>'.encode()
    return xml[:end] + new + xml[end:]


def _banner(xml: bytes) -> bytes:
    """The Return sheet with its banner cell saying the file came back with things to fix."""
    first_input = layout.COLUMNS[len(layout.LOCKED_KEYS)].letter
    ref = f"{first_input}{layout.TITLE_ROW + 2}"
    cell = re.search(
        rb'<c\b[^>]*?\br="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', xml, re.DOTALL
    )
    if cell is None:
        return xml
    opening = re.match(rb"<c\b[^>]*?(?=/?>)", cell.group(0))
    assert opening is not None
    head = re.sub(rb'\st="[^"]*"', b"", opening.group(0))
    new = head + b' t="inlineStr"><is><t>' + xml_text(BANNER).encode() + b"</t></is></c>"
    return xml[: cell.start()] + new + xml[cell.end() :]


def _lines(text: str, width: float) -> int:
    per_line = max(1, int(width * _CHARS_PER_WIDTH))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def _sheet_xml(
    errors: Sequence[FixItem], questions: Sequence[FixItem], formats: dict[str, int]
) -> bytes:
    rows: list[str] = []
    links: list[str] = []

    def row(values: Sequence[tuple[str, int]], *, height_text: str = "") -> None:
        number = len(rows) + 1
        cells = "".join(
            f'<c r="{"ABC"[i]}{number}" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
            f"{xml_text(value)}</t></is></c>"
            for i, (value, style) in enumerate(values)
            if value
        )
        width = sum(_WIDTHS) if number == 2 else _WIDTHS[2]
        lines = _lines(height_text, width) if height_text else 1
        height = f' ht="{lines * _LINE_POINTS + 3:g}" customHeight="1"' if lines > 1 else ""
        rows.append(f'<row r="{number}"{height}>{cells}</row>')

    def items(found: Sequence[FixItem]) -> None:
        for item in found:
            number = len(rows) + 1
            shown = f"{item.sheet} {item.cell}" if item.cell else "The whole file"
            row(
                [
                    (shown, formats["link"] if item.cell else formats["wrap"]),
                    (item.action_id, formats["wrap"]),
                    (item.message, formats["wrap"]),
                ],
                height_text=item.message,
            )
            if item.cell and item.sheet:
                location = "'" + item.sheet.replace("'", "''") + "'!" + item.cell
                links.append(
                    f'<hyperlink ref="A{number}" location="{escape(location)}" '
                    f'display="{escape(shown)}"/>'
                )

    row([("What to fix in this return", formats["title"])])
    intro = (
        "Your return came back with "
        f"{wording.count(len(errors), 'thing')} to fix"
        + (f" and {wording.count(len(questions), 'question')}" if questions else "")
        + ". Click a cell reference to go to that cell (it is coloured on its sheet), correct "
        "it, then save the file and send it back as it is."
    )
    row([(intro, formats["wrap"])], height_text=intro)  # A2:C2, merged
    rows.append(f'<row r="{len(rows) + 1}"/>')
    if errors:
        row([("To fix", formats["heading"]), ("Action", formats["heading"])])
        items(errors)
        rows.append(f'<row r="{len(rows) + 1}"/>')
    if questions:
        ask = "Questions: is each of these right? Change the cell only if it is not."
        row(
            [("Questions", formats["heading"]), ("Action", formats["heading"]),
             (ask, formats["heading"])]
        )  # fmt: skip
        items(questions)
    merged = '<mergeCells count="1"><mergeCell ref="A2:C2"/></mergeCells>'
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
        for i, w in enumerate(_WIDTHS, start=1)
    )
    hyperlinks = f"<hyperlinks>{''.join(links)}</hyperlinks>" if links else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{MAIN.decode()}" xmlns:r="{REL}">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        '<sheetViews><sheetView showGridLines="0" tabSelected="1" workbookViewId="0"/>'
        "</sheetViews>"
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"<cols>{cols}</cols><sheetData>{''.join(rows)}</sheetData>{merged}{hyperlinks}"
        '<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
        '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
        "</worksheet>"
    ).encode()
