"""The hostile and broken input corpus: every kind of bad file an office will one day receive.

Made by code from a clean return (so it follows the current template), never checked in.
``build_corpus`` writes each case into a folder and says what it is; the hardening tests then
check the whole folder and assert that every case is named by at least one finding, that the
clean returns beside it still count, and that nothing printed a traceback. Cases that need
LibreOffice (a real .xls and .ods) are made only where it is installed.
"""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from packbuilder.returns import layout

MiB = 1024 * 1024

# What the hostile cells hold, as the tests expect to read them back.
CONTROL_TEXT = "Met the school_x000B_leads._x0001_ Next: review_x0007_."
CONTROL_READ = "Met the school\nleads. Next: review."
LONG_TEXT = ("Long update. " * 3077).strip()  # 40,000 characters
# Markup an officer might paste, or an attacker plant, in commentary and evidence: a script,
# event handlers, a javascript: URL and links that look like another site's. The web pages
# must show it as text, never as markup or a link.
MARKUP_COMMENTARY = (
    '<script>alert("x")</script> On track. <img src=x onerror="alert(1)"> '
    '<a href="javascript:alert(2)">see plan</a> <b onmouseover=alert(3)>bold</b>'
)
MARKUP_EVIDENCE = (
    "Evidence at https://www.kent.gov.uk.evil.example/login and "
    "<a href='https://kent-gov-uk.example/'>https://www.kent.gov.uk/send</a> "
    "javascript:alert(4) <iframe src=//evil.example></iframe> <svg onload=alert(5)>"
)


@dataclass(frozen=True)
class Case:
    name: str  # the file name in the corpus folder
    what: str  # what the case is, for the docs table
    codes: tuple[str, ...]  # every finding code check_file gives it alone, in order
    slow: bool = False  # bombs: large to make or to refuse
    clean_rows: bool = False  # a return that still counts (normalised or with warnings only)


# --------------------------------------------------------------------------- zip helpers


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _write_parts(parts: dict[str, bytes], target: Path) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _sheet_part(parts: dict[str, bytes], sheet_name: str) -> str:
    """The zip part holding SHEET_NAME, found through workbook.xml and its relationships."""
    workbook = parts["xl/workbook.xml"].decode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    match = re.search(rf'<sheet [^>]*name="{re.escape(sheet_name)}"[^>]*r:id="(rId\d+)"', workbook)
    assert match, f"no sheet {sheet_name} in the clean return"
    target = re.search(rf'<Relationship [^>]*Id="{match.group(1)}"[^>]*Target="([^"]+)"', rels)
    if target is None:
        target = re.search(rf'Target="([^"]+)"[^>]*Id="{match.group(1)}"', rels)
    assert target
    name = target.group(1).lstrip("/")
    return name if name.startswith("xl/") else f"xl/{name}"


def _edit_part(clean: Path, target: Path, part: str, edit: Callable[[str], str]) -> None:
    parts = _parts(clean)
    parts[part] = edit(parts[part].decode()).encode()
    _write_parts(parts, target)


def _set_cell_xml(sheet_xml: str, ref: str, cell_xml: str) -> str:
    """Replace cell REF (which must exist in the row) with CELL_XML."""
    pattern = re.compile(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', re.S)
    assert pattern.search(sheet_xml), f"cell {ref} not in sheet"
    return pattern.sub(cell_xml, sheet_xml, count=1)


# --------------------------------------------------------------------------- openpyxl edits


def _with_openpyxl(clean: Path, target: Path, edit: Callable[..., None]) -> None:
    workbook = load_workbook(clean)
    edit(workbook)
    workbook.save(target)


def _first_input(clean: Path) -> int:
    return layout.FIRST_ROW


# --------------------------------------------------------------------------- the corpus


def corpus_cases() -> list[Case]:
    """Every case, made nowhere: for the docs table (tools/gen_hardening_doc.py)."""
    return build_corpus(Path(), Path(), Path(), dry=True)


def build_corpus(
    clean: Path,
    other_officer: Path,
    out: Path,
    *,
    slow: bool = True,
    fast: bool = True,
    dry: bool = False,
) -> list[Case]:
    """Write every case into OUT from CLEAN (a valid, filled return) and another officer's.

    SLOW and FAST choose the bombs (large to make and to refuse) and the rest; DRY lists every
    case, those that need LibreOffice included, and writes nothing.
    """
    cases: list[Case] = []
    parts = {} if dry else _parts(clean)
    return_part = "" if dry else _sheet_part(parts, layout.RETURN_SHEET)
    if not dry:
        out.mkdir(parents=True, exist_ok=True)
    row = _first_input(clean)
    j, l_col = f"{_col('progress')}{row}", f"{_col('progress_commentary')}{row}"
    n, o = f"{_col('revised_end_date')}{row}", f"{_col('revised_reason')}{row}"

    def add(case: Case, make: Callable[[Path], None]) -> None:
        if (case.slow and not slow) or (not case.slow and not fast):
            return
        if not dry:
            make(out / case.name)
        cases.append(case)

    # -- not a workbook at all
    add(Case("empty.xlsx", "zero bytes", ("empty-file",)), lambda p: p.write_bytes(b""))
    add(
        Case(
            "truncated.xlsx", "a zip cut off half way (an interrupted download)", ("damaged-file",)
        ),
        lambda p: p.write_bytes(clean.read_bytes()[: clean.stat().st_size // 2]),
    )
    add(
        Case("csv-renamed.xlsx", "a CSV file renamed .xlsx", ("csv-file",)),
        lambda p: p.write_text("Action ID,Progress\n1A1,Green\n", "utf-8"),
    )
    add(
        Case(
            "html-renamed.xlsx",
            "an HTML table saved as .xlsx (as some web systems export)",
            ("html-file",),
        ),
        lambda p: p.write_text(
            "<html><body><table><tr><td>1A1</td><td>Green</td></tr></table></body></html>",
            "utf-8",
        ),
    )
    add(
        Case(
            "~$Return - locked.xlsx",
            "an Excel lock file, left while the return was open",
            ("lock-file",),
        ),
        lambda p: p.write_bytes(b"\x0bA. N. Officer" + b" " * 40 + b"\x00" * 110),
    )
    add(
        Case("return-renamed.xls", "a good .xlsx return renamed .xls", (), clean_rows=True),
        lambda p: shutil.copyfile(clean, p),
    )
    add(
        Case("word-document.docx", "a Word document sent by mistake", ("word-document",)),
        _make_docx,
    )
    add(Case("spreadsheet.ods", "an OpenDocument spreadsheet", ("ods-file",)), _make_ods)

    # -- other workbooks
    add(
        Case(
            "password-protected.xlsx",
            "the return, encrypted with a password to open",
            ("password-protected",),
        ),
        lambda p: _encrypt(clean, p),
    )
    add(
        Case(
            "macro-enabled.xlsm",
            "the return saved as macro-enabled with a VBA project",
            ("macro-workbook",),
        ),
        lambda p: _make_xlsm(clean, p),
    )
    if dry or shutil.which("soffice"):
        add(
            Case("legacy.xls", "the return saved as Excel 97-2003 (.xls)", ("legacy-xls",)),
            lambda p: _convert(clean, p, "xls"),
        )
        add(
            Case("legacy-renamed.xlsx", "an Excel 97-2003 file renamed .xlsx", ("legacy-xls",)),
            lambda p: shutil.copyfile(out / "legacy.xls", p),
        )

    # -- XML attacks
    add(
        Case(
            "billion-laughs.xlsx",
            "entity expansion (billion laughs) in sharedStrings.xml",
            ("xml-dtd",),
        ),
        lambda p: _billion_laughs(clean, p, parts),
    )
    add(
        Case(
            "external-entity.xlsx",
            "an external entity (file:///etc/passwd) in workbook.xml",
            ("xml-dtd",),
        ),
        lambda p: _edit_part(clean, p, "xl/workbook.xml", _xxe),
    )

    # -- XML in other encodings: a parser follows the declaration or the byte order mark
    for name, what, part in (
        (
            "dtd-utf16be-after-utf8-prolog.xlsx",
            "a UTF-8 prolog naming UTF-16BE, then a DOCTYPE "
            "with an external parameter entity in UTF-16BE",
            "xl/workbook.xml",
        ),
        ("dtd-utf16.xlsx", "styles.xml in UTF-16 with a DOCTYPE", "xl/styles.xml"),
        ("dtd-utf32.xlsx", "workbook.xml in UTF-32 with a DOCTYPE", "xl/workbook.xml"),
        (
            "dtd-utf7.xlsx",
            "workbook.xml declared UTF-7, its DOCTYPE written in UTF-7",
            "xl/workbook.xml",
        ),
        ("dtd-ebcdic.xlsx", "workbook.xml in EBCDIC (IBM037) with a DOCTYPE", "xl/workbook.xml"),
    ):
        add(
            Case(name, what, ("xml-dtd",)),
            lambda p, n=name, part=part: _foreign_dtd(parts, p, part, n),
        )

    # -- other programs' files, each named for what it is
    add(
        Case("word-97.doc", "a Word 97-2003 document (an OLE2 container)", ("word-document",)),
        lambda p: p.write_bytes(_ole(["WordDocument", "1Table", "\x05SummaryInformation"])),
    )
    add(
        Case("word-97-renamed.xlsx", "a Word 97-2003 document renamed .xlsx", ("word-document",)),
        lambda p: p.write_bytes(_ole(["WordDocument", "1Table"])),
    )
    add(
        Case("slides.ppt", "a PowerPoint 97-2003 presentation", ("other-document",)),
        lambda p: p.write_bytes(_ole(["PowerPoint Document", "Current User"])),
    )
    add(
        Case("vbaProject.bin", "a VBA macro project taken out of a workbook", ("other-document",)),
        lambda p: p.write_bytes(_ole(["VBA", "_VBA_PROJECT", "PROJECT"])),
    )
    add(
        Case(
            "biff-raw.xls",
            "a raw BIFF8 stream (an .xls without its OLE2 container)",
            ("legacy-xls",),
        ),
        lambda p: p.write_bytes(b"\x09\x08\x10\x00\x00\x06\x05\x00" + b"\x00" * 120),
    )
    add(
        Case("binary.xlsb", "an Excel binary workbook (.xlsb)", ("xlsb-file",)),
        lambda p: _write_parts(
            {"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x83\x01\x00"}, p
        ),
    )
    add(
        Case("flat.fods", "a flat OpenDocument spreadsheet (one XML file)", ("ods-file",)),
        lambda p: p.write_text(_FLAT_ODS, "utf-8"),
    )
    add(
        Case("letter.rtf", "a rich text (RTF) document", ("other-document",)),
        lambda p: p.write_text("{\\rtf1\\ansi Update for August: all on track.\\par}", "ascii"),
    )
    add(
        Case("export.xml", "a plain XML file", ("other-document",)),
        lambda p: p.write_text('<?xml version="1.0"?><actions><a id="1A1"/></actions>', "utf-8"),
    )
    add(
        Case(
            "unicode-text.txt",
            "Excel's 'Unicode Text' export (UTF-16, tab separated)",
            ("csv-file",),
        ),
        lambda p: p.write_bytes("Action ID\tProgress\r\n1A1\tGreen\r\n".encode("utf-16")),
    )
    add(
        Case("utf16.csv", "a CSV file in UTF-16 without a byte order mark", ("csv-file",)),
        lambda p: p.write_bytes("Action ID,Progress\r\n1A1,Green\r\n".encode("utf-16-le")),
    )

    # -- what Excel opens though Excel did not write it
    add(
        Case(
            "backslash-names.xlsx",
            "the return re-zipped by a Windows tool with backslashes in its part names",
            (),
            clean_rows=True,
        ),
        lambda p: _write_parts({k.replace("/", "\\"): v for k, v in parts.items()}, p),
    )
    add(
        Case(
            "workbook-elsewhere.xlsx",
            "the return's workbook moved out of xl/ (wb/), its relationships following",
            ("unusual-workbook",),
        ),
        lambda p: _workbook_elsewhere(parts, p),
    )
    add(
        Case("desktop.ini", "Windows' folder settings file", ("system-file",)),
        lambda p: p.write_text("[.ShellClassInfo]\r\nIconResource=x\r\n", "utf-16"),
    )
    add(
        Case("Thumbs.db", "Windows' picture previews (an OLE2 container)", ("system-file",)),
        lambda p: p.write_bytes(_ole(["Catalog", "256_1"])),
    )

    # -- bombs and lies
    add(
        Case(
            "zip-bomb.xlsx",
            "a small file whose Return sheet inflates to 120 MB",
            ("uncompressed-too-large",),
            slow=True,
        ),
        lambda p: _zip_bomb(clean, p, return_part),
    )
    add(
        Case(
            "huge-shared-string.xlsx",
            "a single shared string of 60 MB",
            ("uncompressed-too-large",),
            slow=True,
        ),
        lambda p: _huge_shared_string(clean, p, parts),
    )
    add(
        Case(
            "lying-sizes.xlsx",
            "zip headers that declare 1 KB for an 80 MB part",
            ("damaged-file",),
            slow=True,
        ),
        lambda p: _lying_sizes(clean, p, return_part, megabytes=80),
    )
    add(
        Case(
            "lying-local-header.xlsx",
            "a local header declaring 1 KB where the central directory says 2 MB",
            ("damaged-file",),
        ),
        lambda p: _lying_sizes(clean, p, return_part, megabytes=2, central=False, noise=True),
    )
    add(
        Case(
            "ratio-bomb.xlsx",
            "a part of 40 MB of zeros compressed a thousandfold, under the size limit",
            ("compression-ratio",),
        ),
        lambda p: _ratio_bomb(clean, p, parts),
    )
    add(
        Case(
            "last-cell.xlsx",
            "a value in XFD1048576 (an enormous declared range)",
            ("sheet-too-large",),
        ),
        lambda p: _edit_part(clean, p, return_part, _last_cell),
    )
    add(
        Case(
            "wrong-dimension.xlsx",
            "a <dimension> of A1:B2 that would hide every action row",
            (),
            clean_rows=True,
        ),
        lambda p: _edit_part(clean, p, return_part, _wrong_dimension),
    )

    # -- cell content
    add(
        Case(
            "control-characters.xlsx",
            "control characters and _x000B_ escapes in commentary",
            ("text-cleaned",),
            clean_rows=True,
        ),
        lambda p: _raw_text(clean, p, l_col, CONTROL_TEXT.encode()),
    )
    add(
        Case(
            "markup-in-text.xlsx",
            "a script, event handlers, javascript: and look-alike links in commentary and "
            "evidence (shown as text on the web pages)",
            (),
            clean_rows=True,
        ),
        lambda p: _with_openpyxl(
            clean,
            p,
            lambda wb: _set_pair(
                wb, l_col, MARKUP_COMMENTARY, f"{_col('evidence')}{row}", MARKUP_EVIDENCE
            ),
        ),
    )
    add(
        Case(
            "formula-cached.xlsx",
            "a formula with a cached value in the progress cell",
            ("formula", "evidence-missing"),
        ),
        lambda p: _edit_part(
            clean,
            p,
            return_part,
            lambda x: _set_cell_xml(
                x, j, f'<c r="{j}" t="str"><f>"Gr"&amp;"een"</f><v>Green</v></c>'
            ),
        ),
    )
    add(
        Case(
            "formula-uncached.xlsx",
            "a formula with no cached value in the progress cell",
            ("formula", "rating-missing"),
        ),
        lambda p: _edit_part(
            clean, p, return_part, lambda x: _set_cell_xml(x, j, f'<c r="{j}"><f>1+1</f></c>')
        ),
    )
    add(
        Case(
            "error-cell.xlsx",
            "an error value (#DIV/0!) in the progress cell",
            ("rating-not-allowed",),
        ),
        lambda p: _edit_part(
            clean,
            p,
            return_part,
            lambda x: _set_cell_xml(x, j, f'<c r="{j}" t="e"><v>#DIV/0!</v></c>'),
        ),
    )
    add(
        Case(
            "merged-inputs.xlsx",
            "input cells merged across progress, impact and commentary",
            ("merged-cells", "rating-missing", "commentary-missing"),
        ),
        lambda p: _with_openpyxl(
            clean,
            p,
            lambda wb: wb[layout.RETURN_SHEET].merge_cells(
                f"{layout.COLUMN_BY_KEY['progress'].letter}{row}:"
                f"{layout.COLUMN_BY_KEY['progress_commentary'].letter}{row}"
            ),
        ),
    )
    add(
        Case(
            "hidden-rows-extra-sheet.xlsx",
            "an action row hidden and a sheet of notes added",
            ("extra-sheet",),
            clean_rows=True,
        ),
        lambda p: _with_openpyxl(clean, p, _hide_row_add_sheet),
    )
    add(
        Case(
            "validation-bypassed.xlsx",
            "a rating pasted over the dropdown: 'Purple'",
            ("rating-not-allowed",),
        ),
        lambda p: _with_openpyxl(clean, p, lambda wb: _set(wb, j, "Purple")),
    )
    add(
        Case(
            "dates-1904.xlsx",
            "a workbook in the 1904 date system with a revised date",
            (),
            clean_rows=True,
        ),
        lambda p: _dates_1904(clean, p, row),
    )
    add(
        Case(
            "date-out-of-range.xlsx",
            "a revised end date of day 2,958,466 (after 31/12/9999)",
            ("not-a-date",),
        ),
        lambda p: _edit_part(
            clean,
            p,
            return_part,
            lambda x: _set_cell_xml(x, n, f'<c r="{n}"><v>2958466</v></c>'),
        ),
    )
    add(
        Case(
            "date-as-text.xlsx",
            "a revised end date typed as text '31/12/2023'",
            ("date-from-text",),
            clean_rows=True,
        ),
        lambda p: _with_openpyxl(
            clean,
            p,
            lambda wb: _set_pair(wb, n, "31/12/2023", o, "Supplier delayed"),
        ),
    )
    add(
        Case(
            "text-40000.xlsx",
            "commentary of 40,000 characters (over Excel's cell limit)",
            ("text-truncated",),
            clean_rows=True,
        ),
        lambda p: _raw_text(clean, p, l_col, LONG_TEXT.encode()),
    )

    # -- identity
    add(
        Case("meta-deleted.xlsx", "the return with its hidden sheet deleted", ("not-a-return",)),
        lambda p: _with_openpyxl(clean, p, lambda wb: wb.remove(wb[layout.META_SHEET])),
    )
    add(
        Case(
            "meta-other-officer.xlsx",
            "another officer's hidden sheet pasted into the return",
            ("row-added", "row-missing", "info-row-filled"),
        ),
        lambda p: _swap_meta(clean, other_officer, p),
    )
    add(
        Case(
            "meta-other-period.xlsx",
            "a return whose hidden sheet is for another period",
            ("wrong-period",),
        ),
        lambda p: _with_openpyxl(clean, p, _other_period),
    )
    add(
        Case(
            "fingerprint-mismatch.xlsx",
            "locked action text edited (the fingerprint no longer matches)",
            ("locked-text-changed",),
        ),
        lambda p: _with_openpyxl(clean, p, lambda wb: _set(wb, f"D{row}", "Something else")),
    )
    return cases


# --------------------------------------------------------------------------- foreign files


_FLAT_ODS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<office:document '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'office:mimetype="application/vnd.oasis.opendocument.spreadsheet"><office:body>'
    "<office:spreadsheet/></office:body></office:document>\n"
)


def _foreign_dtd(parts: dict[str, bytes], target: Path, part: str, name: str) -> None:
    """PART of the clean return rewritten with a DOCTYPE in the encoding NAME is about."""
    body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", parts[part]).decode()
    root = re.match(r"<([\w:]+)", body)
    assert root
    doctype = (
        f'<!DOCTYPE {root.group(1)} [<!ENTITY % ext SYSTEM "http://example.invalid/x"> %ext;]>'
    )
    if "utf16be" in name:
        data = b'<?xml version="1.0" encoding="UTF-16BE"?>' + (doctype + body).encode("utf-16-be")
    elif "utf16" in name:
        data = ('<?xml version="1.0" encoding="UTF-16"?>' + doctype + body).encode("utf-16")
    elif "utf32" in name:
        data = ('<?xml version="1.0" encoding="UTF-32"?>' + doctype + body).encode("utf-32")
    elif "utf7" in name:
        data = b'<?xml version="1.0" encoding="UTF-7"?>' + (doctype + body).encode("utf-7")
    else:
        data = ('<?xml version="1.0" encoding="IBM037"?>' + doctype + body).encode("cp037")
    _write_parts({**parts, part: data}, target)


def _workbook_elsewhere(parts: dict[str, bytes], target: Path) -> None:
    moved = {("wb/" + k[3:] if k.startswith("xl/") else k): v for k, v in parts.items()}
    for name in ("_rels/.rels", "[Content_Types].xml"):
        moved[name] = moved[name].replace(b"/xl/", b"/wb/").replace(b'"xl/', b'"wb/')
    _write_parts(moved, target)


def _ole(streams: list[str]) -> bytes:
    """A minimal OLE2 (Compound File) container whose directory names STREAMS, all empty.

    Sector 0 is the allocation table, sector 1 the directory: enough for any reader that
    follows the directory, as packbuilder's does, to see what the file is.
    """
    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[24:34] = (
        (0x3E).to_bytes(2, "little")
        + (3).to_bytes(2, "little")
        + b"\xfe\xff"
        + (9).to_bytes(2, "little")
        + (6).to_bytes(2, "little")
    )
    header[44:48] = (1).to_bytes(4, "little")  # one FAT sector
    header[48:52] = (1).to_bytes(4, "little")  # the directory starts at sector 1
    header[56:60] = (4096).to_bytes(4, "little")
    header[60:64] = end.to_bytes(4, "little")
    header[68:72] = end.to_bytes(4, "little")
    header[76:80] = (0).to_bytes(4, "little")
    for slot in range(1, 109):
        header[76 + 4 * slot : 80 + 4 * slot] = free.to_bytes(4, "little")
    fat = bytearray(free.to_bytes(4, "little") * 128)
    fat[0:8] = fat_sector.to_bytes(4, "little") + end.to_bytes(4, "little")
    entries = bytearray()
    names = ["Root Entry", *streams]
    assert len(names) <= 4, "one directory sector holds four entries"
    for number, name in enumerate(names):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entry[0 : len(encoded)] = encoded
        entry[64:66] = len(encoded).to_bytes(2, "little")
        entry[66] = 5 if number == 0 else 2
        entry[67] = 1
        right = number + 1 if 0 < number < len(names) - 1 else free
        child = 1 if number == 0 and len(names) > 1 else free
        entry[68:80] = (
            free.to_bytes(4, "little") + right.to_bytes(4, "little") + (child).to_bytes(4, "little")
        )
        entry[116:120] = end.to_bytes(4, "little")
        entries += entry
    entries += bytes(512 - len(entries))
    return bytes(header) + bytes(fat) + bytes(entries)


# --------------------------------------------------------------------------- case makers


def _set(workbook: object, ref: str, value: object) -> None:
    workbook[layout.RETURN_SHEET][ref] = value  # type: ignore[index]


def _set_pair(workbook: object, ref1: str, v1: object, ref2: str, v2: object) -> None:
    _set(workbook, ref1, v1)
    _set(workbook, ref2, v2)


def _hide_row_add_sheet(workbook: object) -> None:
    sheet = workbook[layout.RETURN_SHEET]  # type: ignore[index]
    sheet.row_dimensions[layout.FIRST_ROW].hidden = True
    notes = workbook.create_sheet("My notes")  # type: ignore[attr-defined]
    notes["A1"] = "Draft figures, ask finance"


def _other_period(workbook: object) -> None:
    meta = workbook[layout.META_SHEET]  # type: ignore[index]
    for cells in meta.iter_rows(min_row=2, max_row=2 + len(layout.META_KEYS)):
        if cells[0].value == "period":
            cells[1].value = "2019-01"


def _swap_meta(clean: Path, other: Path, target: Path) -> None:
    """Replace the meta sheet's part with the other officer's (as a copy-paste of sheets does)."""
    mine, theirs = _parts(clean), _parts(other)
    part = _sheet_part(mine, layout.META_SHEET)
    their_part = _sheet_part(theirs, layout.META_SHEET)
    mine[part] = theirs[their_part]
    if "xl/sharedStrings.xml" in theirs and "xl/sharedStrings.xml" in mine:
        # Shared strings are workbook-wide: keep the meta sheet's own strings by making it inline.
        mine[part] = _inline_strings(theirs[their_part].decode(), theirs["xl/sharedStrings.xml"])
    _write_parts(mine, target)


def _inline_strings(sheet_xml: str, shared: bytes) -> bytes:
    strings = [
        re.sub(r"<[^>]+>", "", item)
        for item in re.findall(r"<si>(.*?)</si>", shared.decode(), re.S)
    ]

    def inline(match: re.Match[str]) -> str:
        ref, index = match.group(1), int(match.group(2))
        return f'<c r="{ref}" t="inlineStr"><is><t>{strings[index]}</t></is></c>'

    return re.sub(r'<c r="([A-Z]+\d+)"[^>]*t="s"[^>]*><v>(\d+)</v></c>', inline, sheet_xml).encode()


def _billion_laughs(clean: Path, target: Path, parts: dict[str, bytes]) -> None:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    ]
    doctype = "<!DOCTYPE sst [" + "".join(entities) + "]>"
    shared = parts.get("xl/sharedStrings.xml", b"").decode()
    if not shared:
        shared = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"></sst>'
    shared = re.sub(r"^(<\?xml[^>]*\?>)?", lambda m: (m.group(0) or "") + doctype, shared, count=1)
    shared = shared.replace("</sst>", "<si><t>&lol9;</t></si></sst>")
    new = dict(parts)
    new["xl/sharedStrings.xml"] = shared.encode()
    _write_parts(new, target)


def _xxe(workbook_xml: str) -> str:
    doctype = '<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    workbook_xml = re.sub(
        r"^(<\?xml[^>]*\?>)?", lambda m: (m.group(0) or "") + doctype, workbook_xml, count=1
    )
    return workbook_xml.replace(
        "</workbook>",
        '<definedNames><definedName name="x">&xxe;</definedName></definedNames></workbook>',
        1,
    )


def _zip_bomb(clean: Path, target: Path, return_part: str) -> None:
    parts = _parts(clean)
    row = '<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>' + "A" * 1000 + "</t></is></c></row>"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name != return_part:
                archive.writestr(name, data)
        with archive.open(return_part, "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.'
                b'org/spreadsheetml/2006/main"><sheetData>'
            )
            chunk = "".join(row.format(n=n) for n in range(1, 1001)).encode()
            for _ in range(120):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")


def _huge_shared_string(clean: Path, target: Path, parts: dict[str, bytes]) -> None:
    shared = parts.get("xl/sharedStrings.xml", b"").decode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name != "xl/sharedStrings.xml":
                archive.writestr(name, data)
        head, _, tail = shared.rpartition("</sst>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(head.encode() + b"<si><t>")
            for _ in range(60):
                part.write(b"B" * MiB)
            part.write(b"</t></si></sst>" + tail.encode())


def _lying_sizes(
    clean: Path,
    target: Path,
    return_part: str,
    *,
    megabytes: int,
    central: bool = True,
    noise: bool = False,
) -> None:
    """Deflate a sheet of MEGABYTES, then make its local header (and, when CENTRAL, its central
    directory entry) declare 1,024 bytes uncompressed."""
    parts = _parts(clean)
    buffer = io.BytesIO()
    # Noise does not compress, so only the lie itself can give the part away.
    filler = random.Random(8).randbytes(megabytes * MiB).hex()[: megabytes * MiB].encode()
    body = b"<!-- " + (filler if noise else b"x" * (megabytes * MiB)) + b" -->"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name != return_part:
                archive.writestr(name, data)
        archive.writestr(return_part, body)
    data = bytearray(buffer.getvalue())
    name = return_part.encode()
    # (signature, offset of the uncompressed size, offset of the name's length, of the name)
    headers = [(b"PK\x03\x04", 22, 26, 30)]
    if central:
        headers.append((b"PK\x01\x02", 24, 28, 46))
    for signature, size_at, length_at, name_at in headers:
        start = 0
        while (found := data.find(signature, start)) != -1:
            length = int.from_bytes(data[found + length_at : found + length_at + 2], "little")
            if data[found + name_at : found + name_at + length] == name:
                declared = int.from_bytes(data[found + size_at : found + size_at + 4], "little")
                assert declared == len(body)
                data[found + size_at : found + size_at + 4] = (1024).to_bytes(4, "little")
            start = found + 4
    target.write_bytes(bytes(data))


def _ratio_bomb(clean: Path, target: Path, parts: dict[str, bytes]) -> None:
    """A workbook within the size limit with one part of 40 MB of zeros (a ratio near 1,000)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        archive.writestr("xl/media/padding.bin", bytes(40 * MiB))


def _last_cell(sheet_xml: str) -> str:
    sheet_xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', sheet_xml)
    return sheet_xml.replace(
        "</sheetData>",
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
        1,
    )


def _wrong_dimension(sheet_xml: str) -> str:
    if "<dimension " in sheet_xml:
        return re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:B2"/>', sheet_xml)
    return sheet_xml.replace("<sheetViews>", '<dimension ref="A1:B2"/><sheetViews>', 1)


def _raw_text(clean: Path, target: Path, ref: str, raw: bytes) -> None:
    """Put RAW into cell REF's XML as is (openpyxl would escape or cut what it writes)."""
    marker = "ZZRAWTEXTZZ"
    staged = target.with_suffix(".staged.xlsx")
    _with_openpyxl(clean, staged, lambda wb: _set(wb, ref, marker))
    parts = _parts(staged)
    staged.unlink()
    for name in list(parts):
        if name.endswith(".xml") and marker.encode() in parts[name]:
            parts[name] = parts[name].replace(marker.encode(), raw)
    _write_parts(parts, target)


def _col(key: str) -> str:
    """The Return sheet's column letter for a field, as today's template writes it."""
    return layout.COLUMN_BY_KEY[key].letter


def _dates_1904(clean: Path, target: Path, row: int) -> None:
    import datetime as dt

    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    def edit(workbook: object) -> None:
        workbook.epoch = CALENDAR_MAC_1904  # type: ignore[attr-defined]
        sheet = workbook[layout.RETURN_SHEET]  # type: ignore[index]
        sheet[f"{_col('revised_end_date')}{row}"] = dt.date(2024, 3, 31)
        sheet[f"{_col('revised_end_date')}{row}"].number_format = "dd/mm/yyyy"
        sheet[f"{_col('revised_reason')}{row}"] = "Waiting for the new framework"

    _with_openpyxl(clean, target, edit)


def _encrypt(clean: Path, target: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    with clean.open("rb") as source, target.open("wb") as out:
        OOXMLFile(source).encrypt("secret", out)


def _make_xlsm(clean: Path, target: Path) -> None:
    parts = _parts(clean)
    types = parts["[Content_Types].xml"].decode()
    types = types.replace(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    ).replace(
        "</Types>",
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
    )
    parts["[Content_Types].xml"] = types.encode()
    parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    _write_parts(parts, target)


def _make_docx(target: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Update for August: all on track.")
    document.save(str(target))


def _make_ods(target: Path) -> None:
    if shutil.which("soffice"):
        return _convert_blank_ods(target)
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr(
            "content.xml",
            '<?xml version="1.0"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>',
        )
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
    return None


def _convert_blank_ods(target: Path) -> None:
    source = target.with_suffix(".csv")
    source.write_text("Action ID,Progress\n1A1,Green\n", "utf-8")
    try:
        _soffice(source, target.parent, "ods")
    finally:
        source.unlink()


def _convert(clean: Path, target: Path, fmt: str) -> None:
    work = target.parent / f".convert-{target.stem}"
    work.mkdir(exist_ok=True)
    source = work / f"source{clean.suffix}"
    shutil.copyfile(clean, source)
    _soffice(source, work, fmt)
    (work / f"source.{fmt}").replace(target)
    shutil.rmtree(work)


def _soffice(source: Path, outdir: Path, fmt: str) -> None:
    profile = outdir / ".lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile.resolve()}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env=_tool_environment(),
    )
    shutil.rmtree(profile, ignore_errors=True)


def _tool_environment() -> dict[str, str]:
    """This environment without the Windows imitation (docs/windows.md): LibreOffice is a tool
    that makes the corpus, not a part of packbuilder, and its own Python must keep fork."""
    imitation = ("PACKBUILDER_IMITATE_WINDOWS", "PYTHONPATH", "LOCPATH", "LC_ALL")
    return {k: v for k, v in os.environ.items() if k not in imitation}
