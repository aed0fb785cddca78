"""The safe reader's gate: what a returned file is, and whether it may be parsed at all.

Every file in inputs/returns/PERIOD/ passes through ``screen_file`` before any spreadsheet
parser sees it. The file is recognised by its leading bytes, never by its extension; a zip's
declared sizes and compression ratios are checked against the limits in config; every XML part
is scanned, in its raw bytes and within a bound, for a DTD. A file that fails is refused with
one ``Refusal`` whose code the checks turn into a finding; a file that passes comes back with
its bytes and the few raw parts the reader needs, so nothing is read from disk twice.

This module only reads. It never writes to inputs/ and never executes anything in a file.
"""

from __future__ import annotations

import enum
import hashlib
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

LOCK_PREFIX = "~$"

# How much of each XML part is scanned for a DTD. A DTD can only sit in the prolog, before
# the root element; a prolog longer than this is itself refused (see _dtd_in_prolog).
DTD_SCAN_BYTES = 64 * 1024

# Parts the reader needs raw (workbook.xml for sheet state and the date system, the sheets for
# formulas, core.xml for the recorded modification time). Read whole, within the limits.
_RAW_PARTS = re.compile(
    r"^(xl/workbook\.xml|xl/_rels/workbook\.xml\.rels|xl/worksheets/[^/]+\.xml|docProps/core\.xml)$"
)
_XML_PART = re.compile(r"\.(xml|rels|vml)$", re.IGNORECASE)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_CHUNK = 1024 * 1024
_INFLATABLE = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
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
    EMPTY = "empty-file"
    TOO_LARGE = "file-too-large"
    DAMAGED = "damaged-file"
    PASSWORD = "password-protected"
    LEGACY_XLS = "legacy-xls"
    ODS = "ods-file"
    MACRO = "macro-workbook"
    WORD = "word-document"
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


def is_lock_file(path: Path) -> bool:
    """An Excel or LibreOffice owner file left beside an open workbook (``~$Return.xlsx``)."""
    return path.name.startswith(LOCK_PREFIX) or path.name.startswith(".~lock.")


def screen_file(path: Path, limits: Limits) -> Screening:
    """Decide, before any parser opens PATH, whether it is an .xlsx workbook safe to parse."""
    if is_lock_file(path):
        return Screening(path, _size(path), "", refusal=Refusal.LOCK_FILE)
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
        # An OLE container is either a legacy .xls or an encrypted .xlsx; the stream names
        # are stored in UTF-16 in the directory, so a plain search of the bytes tells them apart.
        if "EncryptedPackage".encode("utf-16-le") in data:
            return Refusal.PASSWORD, "encrypted workbook"
        return Refusal.LEGACY_XLS, "Excel 97-2003 workbook"
    if data.startswith(_ZIP_MAGIC):
        return None, ""
    head = data[:2048].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head", b"<body")):
        return Refusal.HTML, "web page (HTML)"
    if head.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in data[:4096]:
        return Refusal.LEGACY_XLS, "Excel 2003 XML spreadsheet"
    if _looks_like_text(data[:4096]):
        return Refusal.CSV, "text (CSV)"
    return Refusal.UNKNOWN, f"starts with {data[:8].hex(' ')}"


def _looks_like_text(sample: bytes) -> bool:
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = sample.decode("cp1252")
        except UnicodeDecodeError:
            return False
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return printable >= 0.95 * max(len(text), 1)


def _inspect_zip(data: bytes, limits: Limits, screening: Screening) -> tuple[Refusal | None, str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        return Refusal.DAMAGED, f"damaged zip: {error}"
    with archive:
        names = {info.filename for info in infos}
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
            return Refusal.DAMAGED, f"damaged zip: {error}"
        if kind is not None:
            return kind
        total = sum(info.file_size for info in infos)
        if total > limits.max_uncompressed_bytes:
            return Refusal.UNCOMPRESSED_TOO_LARGE, f"{total:,} bytes uncompressed"
        for info in infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > 64 * 1024 and ratio > limits.max_compression_ratio:
                return Refusal.COMPRESSION_RATIO, f"{info.filename}: ratio {ratio:,.0f}"
        try:
            for info in infos:
                problem = _local_header_disagrees(data, info)
                if problem:
                    return Refusal.DAMAGED, f"{info.filename}: {problem}"
                if info.is_dir():
                    continue
                if info.compress_type in _INFLATABLE and not info.flag_bits & 0x01:
                    head = _inflate_part(data, info, keep=screening.parts)
                else:  # another compression method, or encrypted: zipfile decides
                    head = _stream_part(archive, info, keep=screening.parts)
                if _XML_PART.search(info.filename):
                    problem = _dtd_in_prolog(head)
                    if problem:
                        return Refusal.DTD, f"{info.filename}: {problem}"
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError) as error:
            return Refusal.DAMAGED, f"damaged zip: {error}"
        except NotImplementedError as error:  # a compression method zipfile does not know
            return Refusal.DAMAGED, f"damaged zip: {error}"
    return None, ""


def _zip_kind(data: bytes, archive: zipfile.ZipFile, names: set[str]) -> tuple[Refusal, str] | None:
    if "mimetype" in names:
        with archive.open("mimetype") as stream:  # never read whole: its size may lie
            mimetype = stream.read(200)
        if b"spreadsheet" in mimetype:
            return Refusal.ODS, mimetype.decode("ascii", "replace")
        return Refusal.OTHER_ZIP, mimetype.decode("ascii", "replace")
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            return Refusal.WORD, "Word document"
        if "xl/workbook.bin" in names:
            return Refusal.OTHER_ZIP, "Excel binary workbook (.xlsb)"
        return Refusal.OTHER_ZIP, "zip file without a workbook"
    content_types = b""
    if "[Content_Types].xml" in names:
        content_types = _part_head(data, archive, archive.getinfo("[Content_Types].xml"))
    if "xl/vbaProject.bin" in names or _MACRO_CONTENT_TYPE in content_types:
        return Refusal.MACRO, "workbook with macros (.xlsm)"
    return None


def _part_head(data: bytes, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A part's first DTD_SCAN_BYTES, inflated with zlib directly (zipfile when the part is
    encrypted or compressed another way); nothing past them is inflated."""
    if info.compress_type not in _INFLATABLE or info.flag_bits & 0x01:
        with archive.open(info) as stream:
            return stream.read(DTD_SCAN_BYTES)
    start = info.header_offset
    name_length = int.from_bytes(data[start + 26 : start + 28], "little")
    extra_length = int.from_bytes(data[start + 28 : start + 30], "little")
    begin = start + 30 + name_length + extra_length
    raw = data[begin : begin + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        return raw[:DTD_SCAN_BYTES]
    return zlib.decompressobj(-15).decompress(raw, DTD_SCAN_BYTES)


def _inflate_part(data: bytes, info: zipfile.ZipInfo, keep: dict[str, bytes]) -> bytes:
    """Inflate one stored or deflated part with zlib, never trusting its header: its first
    bytes (for the DTD scan).

    The same promise as _stream_part, without zipfile's per-part objects: the part is inflated
    in full, a chunk at a time, never more than a byte past its declared size; its CRC is
    checked over the declared size (a header that understates the size fails here, as in
    zipfile), and a part that ends early or late is damaged. Raw parts the reader needs are
    kept whole. The local header has been checked against the directory (_local_header_disagrees).
    """
    start = info.header_offset
    name_length = int.from_bytes(data[start + 26 : start + 28], "little")
    extra_length = int.from_bytes(data[start + 28 : start + 30], "little")
    begin = start + 30 + name_length + extra_length
    raw = data[begin : begin + info.compress_size]
    if len(raw) != info.compress_size:
        raise zipfile.BadZipFile(f"{info.filename} is cut short")
    wanted = bool(_RAW_PARTS.match(info.filename))
    if info.compress_type == zipfile.ZIP_STORED:
        pieces: Iterator[bytes] = iter((raw,))
    else:
        pieces = _inflated(raw, info.file_size)
    crc = total = 0
    head = b""
    kept: list[bytes] = []
    for chunk in pieces:
        room = info.file_size - total
        crc = zlib.crc32(chunk[:room], crc)
        total += len(chunk)
        if len(chunk) > room:
            break
        if len(head) < DTD_SCAN_BYTES:
            head += chunk[: DTD_SCAN_BYTES - len(head)]
        if wanted:
            kept.append(chunk)
    if total >= info.file_size and crc != info.CRC:
        raise zipfile.BadZipFile(f"Bad CRC-32 for file {info.filename!r}")
    if total > info.file_size:
        raise zipfile.BadZipFile(f"{info.filename} is larger than its header declares")
    if total < info.file_size:
        raise zipfile.BadZipFile(f"{info.filename} is not the size its header declares")
    if wanted:
        keep[info.filename] = b"".join(kept)
    return head


def _inflated(raw: bytes, limit: int) -> Iterator[bytes]:
    """RAW (a deflate stream) inflated a chunk at a time, stopping a byte past LIMIT."""
    inflater = zlib.decompressobj(-15)
    produced = 0
    while produced <= limit:
        chunk = inflater.decompress(raw, min(_CHUNK, limit + 1 - produced))
        raw = inflater.unconsumed_tail
        if not chunk:
            return
        produced += len(chunk)
        yield chunk


def _stream_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, keep: dict[str, bytes]) -> bytes:
    """Inflate one part in chunks, never trusting its header: its first bytes (for the DTD scan).

    Every part is inflated in full, a chunk at a time, so a header that lies about its size is
    caught here rather than by a parser: zipfile stops at the declared size and checks the
    CRC, and a part that ends early or late is damaged. Nothing beyond the declared size (which
    the limits have already bounded) is ever held. Raw parts the reader needs are kept whole.
    """
    wanted = bool(_RAW_PARTS.match(info.filename))
    chunks: list[bytes] = []
    head = b""
    read = 0
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            read += len(chunk)
            if read > info.file_size:
                raise zipfile.BadZipFile(f"{info.filename} is larger than its header declares")
            if len(head) < DTD_SCAN_BYTES:
                head += chunk[: DTD_SCAN_BYTES - len(head)]
            if wanted:
                chunks.append(chunk)
    if read != info.file_size:
        raise zipfile.BadZipFile(f"{info.filename} is not the size its header declares")
    if wanted:
        keep[info.filename] = b"".join(chunks)
    return head


def _local_header_disagrees(data: bytes, info: zipfile.ZipInfo) -> str:
    """Why a part's local header contradicts the central directory ("" when it does not).

    zipfile trusts the central directory; another reader may trust the local header. When
    sizes are not deferred to a data descriptor (flag bit 3), both must say the same.
    """
    start = info.header_offset
    header = data[start : start + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        return "no local header where the directory points"
    flags = int.from_bytes(header[6:8], "little")
    if flags & 0x08:
        return ""
    compressed = int.from_bytes(header[18:22], "little")
    size = int.from_bytes(header[22:26], "little")
    if 0xFFFFFFFF in (compressed, size):  # zip64: the real sizes are in the extra field
        return ""
    if (compressed, size) != (info.compress_size, info.file_size):
        return f"local header says {size:,} bytes, directory says {info.file_size:,}"
    return ""


_PROLOG_ITEM = re.compile(rb"\s*(<\?.*?\?>|<!--.*?-->)", re.DOTALL)


def _dtd_in_prolog(head: bytes) -> str:
    """Why the start of an XML part is refused ("" when it is not): a DTD or entity in it."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:4].count(b"\x00") >= 2:
        # UTF-16 XML would hide "<!DOCTYPE" from a byte search: decode before scanning.
        for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
            try:
                head = head.decode(encoding, "ignore").encode("utf-8")
                break
            except UnicodeDecodeError:
                continue
    upper = head.upper() if b"<!" in head else b""  # both declarations start "<!"
    if b"<!DOCTYPE" in upper:
        return "declares a DTD (<!DOCTYPE)"
    if b"<!ENTITY" in upper:
        return "declares an entity (<!ENTITY)"
    position = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while True:
        match = _PROLOG_ITEM.match(head, position)
        if not match:
            break
        position = match.end()
    if len(head) >= DTD_SCAN_BYTES and not head[position:].strip():
        return f"its prolog is longer than {DTD_SCAN_BYTES:,} bytes"
    return ""


def assert_defused(openpyxl: bool = False) -> None:
    """Make sure XML from a returned file is parsed through defusedxml, before the first parse.

    Called by the reader (and, with ``openpyxl=True``, before openpyxl opens a returned file),
    not at start-up, so ``--help`` stays fast. openpyxl only uses defusedxml when it is
    installed; defusedxml is a required dependency of packbuilder.
    """
    import defusedxml.ElementTree  # noqa: F401  (required: fail loudly if it is missing)

    if openpyxl:
        from openpyxl import xml as openpyxl_xml

        if not getattr(openpyxl_xml, "DEFUSEDXML", False):
            raise RuntimeError(
                "openpyxl is not using defusedxml; reinstall packbuilder with its dependencies"
            )
