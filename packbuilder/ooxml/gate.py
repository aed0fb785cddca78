"""A returned file's zip inspected at the byte level, before any parser sees it.

returns/safe.py decides what to refuse from what this finds:

- every stored or deflated part is inflated with zlib directly, a chunk at a time, never more
  than a byte past the size the directory declares, its checksum checked (``inflate_part``),
  rather than through zipfile's per-part objects: 0.63 → 0.38 ms a file (docs/performance.md);
  zipfile is kept for the parts only it can read (``stream_part``);
- the local header is compared with the central directory (``local_header_disagrees``), since
  another reader may trust the one zipfile does not;
- only the first ``DTD_SCAN_BYTES`` of an XML part are scanned for a DTD or an entity, in every
  encoding the part may announce (``dtd_in_prolog``): a DTD can only sit in the prolog.
"""

from __future__ import annotations

import codecs
import re
import zipfile
import zlib
from collections.abc import Iterator

# How much of each XML part is scanned for a DTD. A DTD can only sit in the prolog, before
# the root element; a prolog longer than this is itself refused (see _dtd_in_prolog).
DTD_SCAN_BYTES = 64 * 1024

# Parts the reader needs raw (workbook.xml for sheet state and the date system, the sheets for
# formulas, core.xml for the recorded modification time). Read whole, within the limits.
RAW_PARTS = re.compile(
    r"^(xl/workbook\.xml|xl/_rels/workbook\.xml\.rels|xl/worksheets/[^/]+\.xml|docProps/core\.xml)$"
)
XML_PART = re.compile(r"\.(xml|rels|vml)$", re.IGNORECASE)

_CHUNK = 1024 * 1024
INFLATABLE = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
# Byte order marks, then the first four bytes of "<?xml" in each encoding without one (the
# XML specification's appendix F); None stands for any encoding that writes ASCII as ASCII.
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
_SNIFFED = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x4c\x6f\xa7\x94", "cp037"),  # EBCDIC
)


def bom_encoding(head: bytes) -> tuple[str | None, int]:
    """The encoding HEAD announces by a byte order mark (and the mark's length), or by how
    "<?xml" is written; None when it writes ASCII as ASCII."""
    for mark, encoding in _BOMS:
        if head.startswith(mark):
            return (None if encoding == "utf-8" else encoding), len(mark)
    for start, encoding in _SNIFFED:
        if head.startswith(start):
            return encoding, 0
    return None, 0


def part_name(info: zipfile.ZipInfo) -> str:
    """A part's name as Excel reads it: some Windows zip tools write backslashes."""
    return info.filename.replace("\\", "/")


class PartProblem(zipfile.BadZipFile):
    """A part that is not what the zip's directory says, in words written here."""


def damaged(error: BaseException) -> str:
    """What is wrong with a damaged zip, in the office's words (never a library's message)."""
    if isinstance(error, PartProblem):
        return str(error)
    return "the zip inside it is cut short or corrupt"


def part_head(data: bytes, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A part's first DTD_SCAN_BYTES, inflated with zlib directly (zipfile when the part is
    encrypted or compressed another way); nothing past them is inflated."""
    if info.compress_type not in INFLATABLE or info.flag_bits & 0x01:
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


def inflate_part(data: bytes, info: zipfile.ZipInfo, keep: dict[str, bytes]) -> bytes:
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
        raise PartProblem(f"{part_name(info)} is cut short")
    wanted = bool(RAW_PARTS.match(part_name(info)))
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
        raise PartProblem(f"{part_name(info)} does not match its checksum")
    if total > info.file_size:
        raise PartProblem(f"{part_name(info)} is larger than its header declares")
    if total < info.file_size:
        raise PartProblem(f"{part_name(info)} is not the size its header declares")
    if wanted:
        keep[part_name(info)] = b"".join(kept)
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


def stream_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, keep: dict[str, bytes]) -> bytes:
    """Inflate one part in chunks, never trusting its header: its first bytes (for the DTD scan).

    Every part is inflated in full, a chunk at a time, so a header that lies about its size is
    caught here rather than by a parser: zipfile stops at the declared size and checks the
    CRC, and a part that ends early or late is damaged. Nothing beyond the declared size (which
    the limits have already bounded) is ever held. Raw parts the reader needs are kept whole.
    """
    wanted = bool(RAW_PARTS.match(part_name(info)))
    chunks: list[bytes] = []
    head = b""
    read = 0
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            read += len(chunk)
            if read > info.file_size:
                raise PartProblem(f"{part_name(info)} is larger than its header declares")
            if len(head) < DTD_SCAN_BYTES:
                head += chunk[: DTD_SCAN_BYTES - len(head)]
            if wanted:
                chunks.append(chunk)
    if read != info.file_size:
        raise PartProblem(f"{part_name(info)} is not the size its header declares")
    if wanted:
        keep[part_name(info)] = b"".join(chunks)
    return head


def local_header_disagrees(data: bytes, info: zipfile.ZipInfo) -> str:
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


_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']""")
# Encodings in which "<!DOCTYPE" and "<!ENTITY" are written as in ASCII: the raw bytes are
# scanned for them as they are.
_ASCII_LIKE = frozenset(
    {"utf_8", "ascii", "latin_1", "iso8859_1", "iso8859_15", "cp1252", "cp1250", "cp1251", "cp1253"}
)


def dtd_in_prolog(head: bytes) -> str:
    """Why the start of an XML part is refused ("" when it is not): a DTD or entity in it.

    An XML parser decides the encoding from a byte order mark, then from how "<?xml" is
    written, then from the declaration (the XML specification's appendix F), and a parser
    that follows the declaration may switch to UTF-16, UTF-7 or EBCDIC after it. The part is
    scanned in its raw bytes and in every encoding so announced; an encoding that cannot be
    decoded here is refused rather than trusted.
    """
    texts = [head]
    announced, skip = bom_encoding(head)
    if announced is not None:
        texts.append(reencoded(head[skip:], announced))
    prolog = texts[-1]
    declared = _DECLARED.match(prolog.lstrip(b"\xef\xbb\xbf"))
    if declared:
        name = declared.group(1).decode("ascii")
        try:
            codec = codecs.lookup(name).name.replace("-", "_")
        except LookupError:
            return f"declares an encoding that cannot be checked ({name})"
        if codec not in _ASCII_LIKE:
            # After the declaration a parser reads in the declared encoding: its text after
            # the declaration is what to scan, whichever way its bytes happen to be aligned.
            end = prolog.find(b">", declared.end()) + 1
            rest = prolog[end:]
            texts += [reencoded(rest, codec), reencoded(rest[1:], codec), reencoded(head, codec)]
    if b"\x00" in head and announced is None:
        # NUL is never in XML written as ASCII: UTF-16 or UTF-32 without a mark.
        texts += [reencoded(head[o:], e) for e in ("utf-16-le", "utf-16-be") for o in (0, 1)]
    for text in texts:
        upper = text.upper() if b"<!" in text else b""  # both declarations start "<!"
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


def reencoded(data: bytes, encoding: str) -> bytes:
    """DATA decoded from ENCODING as far as it goes, as UTF-8 (for a byte search)."""
    return data.decode(encoding, "ignore").encode("utf-8", "ignore")
