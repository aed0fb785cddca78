"""The safe reader's gate: what a returned file is, and whether it may be parsed at all.

Every file in inputs/returns/PERIOD/ passes through ``screen_file`` before any spreadsheet
parser sees it. The file is recognised by its leading bytes, never by its extension; a zip's
declared sizes and compression ratios are checked against the limits in config; every XML part
is scanned, in its raw bytes and within a bound, for a DTD. A file that fails is refused with
one ``Refusal`` whose code the checks turn into a finding; a file that passes comes back with
its bytes and the few raw parts the reader needs, so nothing is read from disk twice.

The zip is inspected at the byte level by packbuilder.ooxml (parts inflated with zlib directly,
local headers, the DTD scan); this module decides what to refuse from what it finds.

This module only reads. It never writes to inputs/ and never executes anything in a file.
"""

from __future__ import annotations

import enum
import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from packbuilder.ooxml.gate import (
    INFLATABLE,
    XML_PART,
    bom_encoding,
    damaged,
    dtd_in_prolog,
    inflate_part,
    local_header_disagrees,
    part_head,
    part_name,
    stream_part,
)

LOCK_PREFIX = "~$"
# Files Windows (and macOS) keep in any folder: a folder's view settings, its picture previews.
SYSTEM_FILES = frozenset({"desktop.ini", "thumbs.db", "ehthumbs.db", ".ds_store"})

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_MACRO_CONTENT_TYPE = b"application/vnd.ms-excel.sheet.macroEnabled"


class Limits(Protocol):
    """The limits screen_file needs (config's ``[limits]``)."""

    @property
    def max_file_bytes(self) -> int: ...
    @property
    def max_uncompressed_bytes(self) -> int: ...
    @property
    def max_compression_ratio(self) -> float: ...


class Refusal(enum.Enum):
    """Why a file was not parsed. The value is the finding code the checks report."""

    LOCK_FILE = "lock-file"
    SYSTEM_FILE = "system-file"
    EMPTY = "empty-file"
    TOO_LARGE = "file-too-large"
    DAMAGED = "damaged-file"
    PASSWORD = "password-protected"
    LEGACY_XLS = "legacy-xls"
    ODS = "ods-file"
    MACRO = "macro-workbook"
    WORD = "word-document"
    XLSB = "xlsb-file"
    OTHER_DOCUMENT = "other-document"
    UNUSUAL_WORKBOOK = "unusual-workbook"
    OTHER_ZIP = "not-a-workbook"
    CSV = "csv-file"
    HTML = "html-file"
    UNKNOWN = "unknown-format"
    UNCOMPRESSED_TOO_LARGE = "uncompressed-too-large"
    COMPRESSION_RATIO = "compression-ratio"
    DTD = "xml-dtd"


@dataclass
class Screening:
    """The outcome of screening one file: its bytes and hash, and a refusal or its raw parts."""

    path: Path
    size: int
    sha256: str
    data: bytes = b""
    refusal: Refusal | None = None
    detail: str = ""  # what was found, for the finding's value: "part xl/x.xml: ratio 900"
    parts: dict[str, bytes] = field(default_factory=dict)  # raw parts the reader needs
    part_names: tuple[str, ...] = ()

    @property
    def accepted(self) -> bool:
        return self.refusal is None


# Refusals for files that are nobody's return: skipped with a note, counted nowhere.
SKIPPED_REFUSALS = frozenset({Refusal.LOCK_FILE, Refusal.SYSTEM_FILE})


def refusal_in_words(screening: Screening) -> str:
    """Why a file was refused, as a clause for a message ("it is protected with a password")."""
    detail = screening.detail
    words = {
        Refusal.LOCK_FILE: "it is a lock file that Excel leaves beside an open workbook",
        Refusal.SYSTEM_FILE: "it is a file Windows keeps in folders",
        Refusal.EMPTY: "it is empty",
        Refusal.TOO_LARGE: f"it is {detail}, over the size limit",
        Refusal.DAMAGED: f"it is damaged ({detail})",
        Refusal.PASSWORD: "it is protected with a password",
        Refusal.LEGACY_XLS: f"it is in an old Excel format ({detail})",
        Refusal.ODS: "it is an OpenDocument spreadsheet",
        Refusal.MACRO: "it contains macros",
        Refusal.WORD: "it is a Word document",
        Refusal.XLSB: "it is an Excel binary workbook (.xlsb)",
        Refusal.OTHER_DOCUMENT: f"it is {detail}",
        Refusal.UNUSUAL_WORKBOOK: f"it is laid out in a way Excel does not save ({detail})",
        Refusal.OTHER_ZIP: "it is a zip file without a workbook",
        Refusal.CSV: f"it is plain text ({detail})",
        Refusal.HTML: "it is a web page (HTML)",
        Refusal.UNKNOWN: f"it is {detail}",
        Refusal.UNCOMPRESSED_TOO_LARGE: f"it would be {detail} once opened, over the limit",
        Refusal.COMPRESSION_RATIO: "part of it is compressed far more than a real workbook",
        Refusal.DTD: "it contains XML that declares a DTD or entities, which Excel never writes",
    }
    return words[screening.refusal] if screening.refusal is not None else ""


def is_lock_file(path: Path) -> bool:
    """An Excel or LibreOffice owner file left beside an open workbook (``~$Return.xlsx``)."""
    return path.name.startswith(LOCK_PREFIX) or path.name.startswith(".~lock.")


def screen_file(path: Path, limits: Limits) -> Screening:
    """Decide, before any parser opens PATH, whether it is an .xlsx workbook safe to parse."""
    if is_lock_file(path):
        return Screening(path, _size(path), "", refusal=Refusal.LOCK_FILE)
    if path.name.lower() in SYSTEM_FILES:
        return Screening(path, _size(path), "", refusal=Refusal.SYSTEM_FILE)
    size = _size(path)
    if size > limits.max_file_bytes:
        return Screening(path, size, "", refusal=Refusal.TOO_LARGE, detail=f"{size:,} bytes")
    data = path.read_bytes()
    screening = Screening(path, len(data), hashlib.sha256(data).hexdigest(), data)
    refusal, detail = _recognise(data)
    if refusal is None:
        refusal, detail = _inspect_zip(data, limits, screening)
    if refusal is not None:
        screening.refusal, screening.detail = refusal, detail
        screening.parts = {}
    return screening


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _recognise(data: bytes) -> tuple[Refusal | None, str]:
    """Name the format from the leading bytes; None when it may be an Office Open XML zip."""
    if not data:
        return Refusal.EMPTY, "0 bytes"
    if data.startswith(_OLE_MAGIC):
        return _ole_kind(data)
    if data.startswith(_ZIP_MAGIC):
        return None, ""
    if data[:2] in _BIFF_BOF and 4 <= int.from_bytes(data[2:4], "little") <= 20:
        return Refusal.LEGACY_XLS, "Excel 2.0 to 5.0 workbook"
    for magic, what in _OTHER_MAGIC:
        if data.startswith(magic):
            return Refusal.OTHER_DOCUMENT, what
    encoding, text = _text_head(data[:4096])
    if text is None:
        return Refusal.UNKNOWN, "neither a workbook, a document nor text"
    head = text.lstrip("\ufeff \t\r\n").lower()
    if head.startswith(("<!doctype html", "<html", "<table", "<meta", "<head", "<body")):
        return Refusal.HTML, "web page (HTML)"
    if head.startswith("{\\rtf"):
        return Refusal.OTHER_DOCUMENT, "a rich text document (RTF)"
    if head.startswith("<"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in text:
            return Refusal.LEGACY_XLS, "Excel 2003 XML spreadsheet"
        if "opendocument" in text and "spreadsheet" in text:
            return Refusal.ODS, "flat OpenDocument spreadsheet (.fods)"
        return Refusal.OTHER_DOCUMENT, "an XML file"
    if encoding is not None:
        return Refusal.CSV, f"Unicode text ({encoding.upper()}), as Excel's 'Unicode Text' saves"
    return Refusal.CSV, "text or CSV"


# Raw BIFF (an .xls stream outside an OLE container): a BOF record of BIFF2, 3, 4 or 5/8.
_BIFF_BOF = (b"\x09\x00", b"\x09\x02", b"\x09\x04", b"\x09\x08")
_OTHER_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a picture (PNG)"),
    (b"\xff\xd8\xff", "a picture (JPEG)"),
    (b"GIF8", "a picture (GIF)"),
)


def _text_head(sample: bytes) -> tuple[str | None, str | None]:
    """(the Unicode encoding, the text) of a file that is text; (None, None) when it is not."""
    encoding, skip = bom_encoding(sample)
    if encoding is None and sample.count(b"\x00") > len(sample) // 4:
        # UTF-16 without a mark: every other byte of ASCII text is zero.
        even = sample[0::2].count(b"\x00")
        encoding = "utf-16-be" if even > sample[1::2].count(b"\x00") else "utf-16-le"
    if encoding is not None:
        text = sample[skip:].decode(encoding, "replace")
    else:
        try:
            text = sample.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start >= len(sample) - 3:  # a character cut by the sample's end
                text = sample[: error.start].decode("utf-8")
            else:
                try:
                    text = sample.decode("cp1252")
                except UnicodeDecodeError:
                    return None, None
    printable = sum(ch.isprintable() or ch in "\r\n\t\ufeff" for ch in text)
    if printable < 0.95 * max(len(text), 1):
        return None, None
    return (None if encoding == "cp037" else encoding), text


_OLE_FREE = 0xFFFFFFFA  # sector numbers from here up are markers, not sectors


def _ole_kind(data: bytes) -> tuple[Refusal, str]:
    """What an OLE2 container (an Office 97-2003 file) holds, from the names in its directory."""
    names = {name.lower() for name in _ole_names(data)}
    if not names:  # a directory that cannot be followed: fall back on the names' bytes
        names = {
            name.lower()
            for name in ("EncryptedPackage", "Workbook", "Book", "WordDocument")
            if name.encode("utf-16-le") in data
        }
    if "encryptedpackage" in names:
        return Refusal.PASSWORD, "an Office file encrypted with a password"
    if "workbook" in names:
        return Refusal.LEGACY_XLS, "Excel 97-2003 workbook"
    if "book" in names:
        return Refusal.LEGACY_XLS, "Excel 5.0/95 workbook"
    if "worddocument" in names:
        return Refusal.WORD, "Word 97-2003 document (.doc)"
    if "powerpoint document" in names:
        return Refusal.OTHER_DOCUMENT, "a PowerPoint 97-2003 presentation"
    if any(name.startswith("__substg1.0_") for name in names):
        return Refusal.OTHER_DOCUMENT, "an Outlook message (.msg)"
    if "nativecontent_main" in names:
        return Refusal.OTHER_DOCUMENT, "a Quattro Pro spreadsheet"
    if "_vba_project" in names or "vba" in names:
        return Refusal.OTHER_DOCUMENT, "a macro project (VBA), not a workbook"
    return Refusal.OTHER_DOCUMENT, "an Office 97-2003 file that is not a workbook"


def _ole_names(data: bytes) -> list[str]:
    """The stream and storage names in an OLE2 container's directory ([] when it is damaged).

    The directory is a chain of sectors in the file allocation table, whose sectors the header
    lists (the first 109; enough for any file under the size limit's default of 20 MB at 4 KB
    sectors). Every step is bounded: a loop or an index out of range ends the walk.
    """
    if len(data) < 512:
        return []
    shift = int.from_bytes(data[30:32], "little")
    if shift not in (9, 12):
        return []
    size = 1 << shift

    def sector(number: int) -> bytes:
        return data[(number + 1) * size : (number + 2) * size]

    fat: list[int] = []
    for slot in range(109):
        number = int.from_bytes(data[76 + 4 * slot : 80 + 4 * slot], "little")
        if number >= _OLE_FREE:
            continue
        raw = sector(number)
        fat.extend(int.from_bytes(raw[i : i + 4], "little") for i in range(0, len(raw), 4))
    names: list[str] = []
    number = int.from_bytes(data[48:52], "little")
    seen: set[int] = set()
    while number < _OLE_FREE and number not in seen and len(seen) < 4096:
        seen.add(number)
        raw = sector(number)
        for start in range(0, len(raw) - 127, 128):
            length = int.from_bytes(raw[start + 64 : start + 66], "little")
            if raw[start + 66] in (1, 2) and 2 <= length <= 64:
                names.append(raw[start : start + length - 2].decode("utf-16-le", "replace"))
        number = fat[number] if number < len(fat) else _OLE_FREE
    return names


def _inspect_zip(data: bytes, limits: Limits, screening: Screening) -> tuple[Refusal | None, str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        return Refusal.DAMAGED, damaged(error)
    with archive:
        names = {part_name(info) for info in infos}
        screening.part_names = tuple(sorted(names))
        try:
            kind = _zip_kind(data, archive, names)
        except (
            zipfile.BadZipFile,
            zlib.error,
            OSError,
            ValueError,
            EOFError,
            NotImplementedError,
        ) as error:
            return Refusal.DAMAGED, damaged(error)
        if kind is not None:
            return kind
        total = sum(info.file_size for info in infos)
        if total > limits.max_uncompressed_bytes:
            return Refusal.UNCOMPRESSED_TOO_LARGE, f"{total:,} bytes uncompressed"
        for info in infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > 64 * 1024 and ratio > limits.max_compression_ratio:
                return Refusal.COMPRESSION_RATIO, f"{part_name(info)}: ratio {ratio:,.0f}"
        try:
            for info in infos:
                problem = local_header_disagrees(data, info)
                if problem:
                    return Refusal.DAMAGED, f"{part_name(info)}: {problem}"
                if info.is_dir():
                    continue
                if info.compress_type in INFLATABLE and not info.flag_bits & 0x01:
                    head = inflate_part(data, info, keep=screening.parts)
                else:  # another compression method, or encrypted: zipfile decides
                    head = stream_part(archive, info, keep=screening.parts)
                if XML_PART.search(info.filename):
                    problem = dtd_in_prolog(head)
                    if problem:
                        return Refusal.DTD, f"{part_name(info)}: {problem}"
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError) as error:
            return Refusal.DAMAGED, damaged(error)
        except NotImplementedError as error:  # a compression method zipfile does not know
            return Refusal.DAMAGED, damaged(error)
    return None, ""


def _zip_kind(data: bytes, archive: zipfile.ZipFile, names: set[str]) -> tuple[Refusal, str] | None:
    by_name = {part_name(info): info for info in archive.infolist()}
    if "mimetype" in names:
        with archive.open(by_name["mimetype"]) as stream:  # never read whole: its size may lie
            mimetype = stream.read(200)
        if b"spreadsheet" in mimetype:
            return Refusal.ODS, "OpenDocument spreadsheet (.ods)"
        if b"text" in mimetype:
            return Refusal.OTHER_DOCUMENT, "an OpenDocument text document (.odt)"
        return Refusal.OTHER_DOCUMENT, "an OpenDocument file that is not a spreadsheet"
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            return Refusal.WORD, "Word document"
        if "xl/workbook.bin" in names:
            return Refusal.XLSB, "Excel binary workbook (.xlsb)"
        if "ppt/presentation.xml" in names:
            return Refusal.OTHER_DOCUMENT, "a PowerPoint presentation"
        elsewhere = sorted(n for n in names if n.lower().endswith(("workbook.xml", "workbook.bin")))
        if elsewhere:
            return Refusal.UNUSUAL_WORKBOOK, f"its workbook is stored as '{elsewhere[0]}'"
        return Refusal.OTHER_ZIP, "a zip file without a workbook"
    content_types = b""
    if "[Content_Types].xml" in names:
        content_types = part_head(data, archive, by_name["[Content_Types].xml"])
    if "xl/vbaProject.bin" in names or _MACRO_CONTENT_TYPE in content_types:
        return Refusal.MACRO, "workbook with macros (.xlsm)"
    return None


_ENTITY_PROBE = b'<!DOCTYPE a [<!ENTITY e "expanded">]><a>&e;</a>'


def assert_defused(openpyxl: bool = False) -> None:
    """Make sure XML from a returned file is parsed without resolving entities, before the first
    parse.

    Called by the reader (and, with ``openpyxl=True``, before openpyxl opens a returned file),
    not at start-up, so ``--help`` stays fast. The reader parses through defusedxml, a required
    dependency. openpyxl parses workbook.xml and relationships with lxml when lxml is
    installed (python-docx brings it), through a parser that resolves no entity and fetches
    nothing, and the sheets with defusedxml; the probe proves that no parser it reaches
    expands an entity, whichever it chose.
    """
    import defusedxml.ElementTree  # noqa: F401  (required: fail loudly if it is missing)

    if openpyxl and not _openpyxl_checked:
        from openpyxl.xml import functions

        for parse in (functions.fromstring, _first_of_iterparse(functions.iterparse)):
            if _expands_entities(parse):
                raise RuntimeError(
                    "openpyxl's XML parser would expand entities; reinstall packbuilder with "
                    "its dependencies"
                )
        _openpyxl_checked.append(True)


_openpyxl_checked: list[bool] = []  # the probe runs once per process


def _first_of_iterparse(iterparse: object) -> object:
    def parse(data: bytes) -> object:
        for _event, element in iterparse(io.BytesIO(data)):  # type: ignore[operator]
            return element
        return None

    return parse


def _expands_entities(parse: object) -> bool:
    """Whether PARSE (bytes -> element) gives back the probe's entity expanded."""
    try:
        element = parse(_ENTITY_PROBE)  # type: ignore[operator]
    except Exception:  # refused: defusedxml's EntitiesForbidden, or lxml's own
        return False
    return "expanded" in "".join(element.itertext()) if element is not None else False
