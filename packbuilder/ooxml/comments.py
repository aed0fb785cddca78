"""Feedback workbooks written by patching the officer's own file, part by part.

A feedback workbook is the officer's return with each cell that has an error or warning filled
and commented. Loading and saving the file with openpyxl costs about 120 ms; most returns are
plain (made by ``returns make``, saved by Excel or LibreOffice), and for those this module
copies every part of the zip as it is and changes only what feedback needs, as Excel itself
would: each offending cell's style points at a new cell format (a copy of its own with a
highlight fill), and each sheet with findings gains a comments part, the legacy VML drawing
that shows the comments, their relationships and content types. Validation, protection, the
hidden sheet and everything else are untouched bytes.

``patch_feedback`` returns None for a file it does not recognise as plain (one that already has
comments or drawings in VML, a prefixed main namespace, a cell not written in the sheet, a file
changed since it was checked); check_outputs/outputs.py then writes that file with openpyxl.
The styles editor (``Styles``, ``set_attribute``) also serves the What to fix sheet
(check_outputs/fix_sheet.py).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from html import escape

from packbuilder.fixed_time import zip_entry
from packbuilder.ooxml.sheets import column_index, sheet_parts

MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_COMMENTS_TYPE = f"{REL}/comments"
_VML_TYPE = f"{REL}/vmlDrawing"
_COMMENTS_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
_VML_CONTENT = "application/vnd.openxmlformats-officedocument.vmlDrawing"
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_XF = re.compile(rb"<xf\b(?:[^>]*?/>|[^>]*>.*?</xf>)", re.DOTALL)
_COUNT = re.compile(rb'\bcount="\d+"')
# Elements a worksheet may have after legacyDrawing (CT_Worksheet's sequence).
_AFTER_LEGACY_DRAWING = re.compile(
    rb"<(?:legacyDrawingHF|drawingHF|picture|oleObjects|controls|webPublishItems|tableParts"
    rb"|extLst)\b|</worksheet>"
)


@dataclass(frozen=True)
class CellNote:
    """One cell to highlight: its sheet, reference, fill colour (RRGGBB) and comment text."""

    sheet: str
    cell: str
    colour: str
    text: str


class Unusual(Exception):
    """The file is not plain enough to patch; openpyxl writes it instead."""


def patch_feedback(
    data: bytes, sha256: str, notes: list[CellNote], very_hidden: str
) -> bytes | None:
    """The feedback workbook's bytes, or None when the file should go through openpyxl.

    DATA must be the bytes that were checked (SHA256 says which): they passed screening, so
    their parts are honest about their sizes. The sheet named VERY_HIDDEN is made very hidden
    again (a program may have saved it as merely hidden).
    """
    if hashlib.sha256(data).hexdigest() != sha256:
        return None
    try:
        return _patch(data, notes, very_hidden)
    except (Unusual, KeyError, zipfile.BadZipFile, UnicodeDecodeError):
        return None


def _patch(data: bytes, notes: list[CellNote], very_hidden: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    infos = source.infolist()
    names = {i.filename for i in infos}
    if any(n.lower().endswith(".vml") or n.startswith("xl/comments") for n in names):
        raise Unusual("comments or VML already present")
    parts = {i.filename: source.read(i) for i in infos if not i.is_dir()}
    sheet_paths = sheet_parts(parts)
    by_sheet: dict[str, list[CellNote]] = {}
    for note in notes:
        if note.sheet in sheet_paths:
            by_sheet.setdefault(note.sheet, []).append(note)
    styles = Styles(parts["xl/styles.xml"])
    added: dict[str, bytes] = {}
    overrides: list[str] = []
    for number, (sheet, sheet_notes) in enumerate(by_sheet.items(), start=1):
        path = sheet_paths[sheet]
        xml = parts[path]
        if not re.search(rb"<worksheet\b[^>]*\bxmlns=\"" + MAIN + rb'"', xml[:2000]):
            raise Unusual("worksheet without the main namespace as default")
        if b"<legacyDrawing" in xml:
            raise Unusual("sheet already has a legacy drawing")
        for note in sheet_notes:
            xml = _restyle(xml, note, styles)
        comments_part = _free(names, f"xl/comments{number}.xml")
        vml_part = _free(names, f"xl/drawings/vmlDrawing{number}.vml")
        rels_path = _rels_path(path)
        rels = parts.get(rels_path)
        if rels is not None and _COMMENTS_TYPE.encode() in rels:
            raise Unusual("sheet already has comments")
        rels, vml_id = _add_relationships(rels, comments_part, vml_part)
        position = _AFTER_LEGACY_DRAWING.search(xml)
        if position is None:
            raise Unusual("worksheet not closed")
        drawing = f'<legacyDrawing xmlns:r="{REL}" r:id="{vml_id}"/>'.encode()
        parts[path] = xml[: position.start()] + drawing + xml[position.start() :]
        parts[rels_path] = rels
        added[comments_part] = _comments_xml(sheet_notes)
        added[vml_part] = _vml(sheet_notes, number)
        overrides.append(comments_part)
    parts["xl/styles.xml"] = styles.xml()
    parts["[Content_Types].xml"] = _content_types(parts["[Content_Types].xml"], overrides)
    parts["xl/workbook.xml"] = _very_hidden(parts["xl/workbook.xml"], very_hidden)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        order = [i.filename for i in infos if not i.is_dir()]
        order += [p for p in parts if p not in names] + list(added)
        for name in order:
            target.writestr(zip_entry(name), added.get(name, parts.get(name, b"")), compresslevel=1)
    return out.getvalue()


class Styles:
    """styles.xml with a highlight fill and a cell format per (original format, colour) added."""

    def __init__(self, xml: bytes) -> None:
        if not re.search(rb"<styleSheet\b[^>]*\bxmlns=\"" + MAIN + rb'"', xml[:2000]):
            raise Unusual("styles without the main namespace as default")
        self.source = xml
        fills = re.search(rb"<fills\b[^>]*>(.*?)</fills>", xml, re.DOTALL)
        xfs = re.search(rb"<cellXfs\b[^>]*>(.*?)</cellXfs>", xml, re.DOTALL)
        if fills is None or xfs is None:
            raise Unusual("styles without fills or cell formats")
        self.fills_span, self.xfs_span = fills.span(1), xfs.span(1)
        self.fill_count = len(re.findall(rb"<fill\b", fills.group(1)))
        self.xfs = _XF.findall(xfs.group(1))
        if not self.xfs or len(self.xfs) != len(re.findall(rb"<xf\b", xfs.group(1))):
            raise Unusual("cell formats not understood")
        self.new_fills: list[bytes] = []
        self.fill_ids: dict[str, int] = {}
        self.new_xfs: list[bytes] = []
        self.xf_ids: dict[tuple[int, str], int] = {}

    def highlighted(self, style: int, colour: str) -> int:
        """The index of a cell format like STYLE with a solid COLOUR fill."""
        if style >= len(self.xfs):
            raise Unusual("cell style out of range")
        key = (style, colour)
        if key not in self.xf_ids:
            if colour not in self.fill_ids:
                rgb = f"FF{colour}".encode()
                self.new_fills.append(
                    b'<fill><patternFill patternType="solid"><fgColor rgb="' + rgb
                    + b'"/><bgColor rgb="' + rgb + b'"/></patternFill></fill>'
                )  # fmt: skip
                self.fill_ids[colour] = self.fill_count + len(self.new_fills) - 1
            xf = set_attribute(self.xfs[style], b"fillId", str(self.fill_ids[colour]).encode())
            self.new_xfs.append(set_attribute(xf, b"applyFill", b"1"))
            self.xf_ids[key] = len(self.xfs) + len(self.new_xfs) - 1
        return self.xf_ids[key]

    def xml(self) -> bytes:
        xml = self.source
        # The later span first, so the earlier one's offsets still hold.
        edits = sorted(
            [
                (self.fills_span, self.new_fills, self.fill_count),
                (self.xfs_span, self.new_xfs, len(self.xfs)),
            ],
            reverse=True,
        )
        for (start, end), new, count in edits:
            if not new:
                continue
            opening = xml.rfind(b"<", 0, start)
            tag = set_attribute(xml[opening:start], b"count", str(count + len(new)).encode())
            xml = xml[:opening] + tag + xml[start:end] + b"".join(new) + xml[end:]
        return xml


def set_attribute(tag: bytes, name: bytes, value: bytes) -> bytes:
    """TAG (an element's opening, from its '<') with attribute NAME set to VALUE."""
    end = tag.index(b">")
    head = tag[:end]
    pattern = re.compile(rb"\s" + name + rb'="[^"]*"')
    attribute = b" " + name + b'="' + value + b'"'
    if pattern.search(head):
        head = pattern.sub(attribute, head, count=1)
    else:
        first_space = re.match(rb"<[\w:]+", head)
        assert first_space is not None
        head = head[: first_space.end()] + attribute + head[first_space.end() :]
    return head + tag[end:]


def _restyle(xml: bytes, note: CellNote, styles: Styles) -> bytes:
    tag = re.search(rb'<c\b[^>]*?\br="' + note.cell.encode() + rb'"[^>]*>', xml)
    if tag is None:
        raise Unusual(f"cell {note.cell} is not written in the sheet")
    style = re.search(rb'\bs="(\d+)"', tag.group(0))
    highlighted = styles.highlighted(int(style.group(1)) if style else 0, note.colour)
    new_tag = set_attribute(tag.group(0), b"s", str(highlighted).encode())
    return xml[: tag.start()] + new_tag + xml[tag.end() :]


def _free(names: set[str], wanted: str) -> str:
    stem, dot, suffix = wanted.rpartition(".")
    candidate, n = wanted, 1
    while candidate in names:
        n += 1
        candidate = f"{stem}_{n}{dot}{suffix}"
    names.add(candidate)
    return candidate


def _rels_path(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels"


def _add_relationships(rels: bytes | None, comments: str, vml: str) -> tuple[bytes, str]:
    if rels is None:
        rels = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
            b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
        )
    taken = set(re.findall(rb'\bId="([^"]*)"', rels))
    ids = []
    for n in range(1, len(taken) + 3):
        if f"rIdPb{n}".encode() not in taken:
            ids.append(f"rIdPb{n}")
    comments_id, vml_id = ids[0], ids[1]
    new = (
        f'<Relationship Id="{comments_id}" Type="{_COMMENTS_TYPE}" Target="/{comments}"/>'
        f'<Relationship Id="{vml_id}" Type="{_VML_TYPE}" Target="/{vml}"/>'
    ).encode()
    end = rels.rfind(b"</Relationships>")
    if end < 0:
        raise Unusual("relationships not understood")
    return rels[:end] + new + rels[end:], vml_id


def _content_types(xml: bytes, comments_parts: list[str]) -> bytes:
    new = b""
    if not re.search(rb'Extension="vml"', xml, re.IGNORECASE):
        new += f'<Default Extension="vml" ContentType="{_VML_CONTENT}"/>'.encode()
    for part in comments_parts:
        new += f'<Override PartName="/{part}" ContentType="{_COMMENTS_CONTENT}"/>'.encode()
    end = xml.rfind(b"</Types>")
    if end < 0:
        raise Unusual("content types not understood")
    return xml[:end] + new + xml[end:]


def _very_hidden(workbook: bytes, sheet: str) -> bytes:
    """workbook.xml with SHEET (packbuilder's hidden sheet) very hidden again, as a return has
    it."""
    name = sheet.encode()
    tag = re.search(rb'<sheet\b[^>]*\bname="' + re.escape(name) + rb'"[^>]*>', workbook)
    if tag is None:
        return workbook
    return (
        workbook[: tag.start()]
        + set_attribute(tag.group(0), b"state", b"veryHidden")
        + workbook[tag.end() :]
    )


def xml_text(text: str) -> str:
    # &, < and > only, as XML text needs (xml.sax.saxutils.escape would import urllib).
    return escape(_XML_ILLEGAL.sub("", text), quote=False)


def _comments_xml(notes: list[CellNote]) -> bytes:
    comments = "".join(
        f'<comment ref="{n.cell}" authorId="0"><text><t xml:space="preserve">{xml_text(n.text)}'
        "</t></text></comment>"
        for n in notes
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<comments xmlns="{MAIN.decode()}"><authors><author>packbuilder</author></authors>'
        f"<commentList>{comments}</commentList></comments>"
    ).encode()


def _vml(notes: list[CellNote], number: int) -> bytes:
    """The legacy drawing Excel and LibreOffice show comments from: one hidden note per cell."""
    shapes = []
    for k, note in enumerate(notes):
        letters = note.cell.rstrip("0123456789")
        row, col = int(note.cell[len(letters) :]) - 1, column_index(letters)
        height = 40 + 16 * max(3, len(note.text) // 45)
        # Where Excel puts a new note: two columns wide, beside the cell (LibreOffice sizes the
        # note from this anchor, Excel from the style).
        anchor = f"{col + 1}, 15, {max(row - 1, 0)}, 10, {col + 3}, 15, {row + 1}, 4"
        shapes.append(
            f'<v:shape id="_x0000_s{1024 * number + 1 + k}" type="#_x0000_t202" '
            f'style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:320px;'
            f'height:{height}px;z-index:{k + 1};visibility:hidden" fillcolor="#ffffe1" '
            'o:insetmode="auto"><v:fill color2="#ffffe1"/>'
            '<v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
            '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div>'
            '</v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
            f"<x:Anchor>{anchor}</x:Anchor><x:AutoFill>False</x:AutoFill>"
            f"<x:Row>{row}</x:Row><x:Column>{col}</x:Column></x:ClientData></v:shape>"
        )
    return (
        '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:'
        'office" xmlns:x="urn:schemas-microsoft-com:office:excel">'
        f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{number}"/></o:shapelayout>'
        '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
        'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
        '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
        + "".join(shapes)
        + "</xml>"
    ).encode("utf-8")
