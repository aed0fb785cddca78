"""Saved emails read into plain values: sender, subject, delivery time, attachments.

``returns collect`` reads what the office saved or dragged out of its mailbox: ``.eml`` files
(Python's ``email`` package, which decodes RFC 2231 and RFC 2047 names) and Outlook ``.msg``
files. A ``.msg`` is an OLE compound file of MAPI properties; ``olefile`` (BSD licence) reads
the container and this module reads the few properties collect needs. extract-msg would do it
too, but is GPL-3.0, which the project's MIT licence cannot take in. An email attached to an
email (a forwarded reply) is read too: its attachments arrived with the outer one.

Nothing here writes, and no attachment is opened: each comes back as bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import struct
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path
from typing import Any

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FILETIME_EPOCH = dt.datetime(1601, 1, 1, tzinfo=dt.UTC)

# MAPI property IDs (MS-OXPROPS) read from a .msg.
_SUBJECT = 0x0037
_SENDER_NAME = 0x0C1A
_SENDER_EMAIL = 0x0C1F
_SENDER_SMTP = 0x5D01
_TRANSPORT_HEADERS = 0x007D
_DELIVERY_TIME = 0x0E06
_ATTACH_DATA = 0x3701
_ATTACH_FILENAME = 0x3704
_ATTACH_LONG_FILENAME = 0x3707
_ATTACH_DISPLAY_NAME = 0x3001
_PT_SYSTIME = 0x0040


class UnreadableEmail(Exception):
    """The file claims to be an email but cannot be read as one."""


@dataclass(frozen=True)
class FileAttached:
    name: str  # as the email names it, decoded; not yet made safe
    content: bytes


@dataclass(frozen=True)
class SavedEmail:
    sender: str
    subject: str
    delivered: dt.datetime | None  # when the office's mailbox received it (aware)
    delivered_from: str  # "Received header" | "Date header" | "delivery time" | ""
    attachments: list[FileAttached] = field(default_factory=list)


# --------------------------------------------------------------------------- .eml


def read_eml(data: bytes) -> SavedEmail:
    """An .eml file's sender, subject, delivery time and every attachment, nested ones too."""
    message = BytesParser(policy=policy.default).parsebytes(data)
    if not isinstance(message, EmailMessage) or not (
        message.get("From") or message.get("Received") or message.get("Date")
    ):
        raise UnreadableEmail("no From, Date or Received header")
    delivered, source = _eml_delivery(message)
    attachments = []
    for part in message.walk():
        if part.is_multipart() or part.get_content_type() == "message/rfc822":
            continue
        name = part.get_filename()
        if name is None and part.get_content_disposition() != "attachment":
            continue
        content = part.get_payload(decode=True)
        attachments.append(FileAttached(_decoded_name(name or ""), bytes(content or b"")))
    return SavedEmail(
        sender=_header_text(message.get("From")),
        subject=_header_text(message.get("Subject")),
        delivered=delivered,
        delivered_from=source,
        attachments=attachments,
    )


def _header_text(value: Any) -> str:
    return " ".join(str(value or "").split())


def _decoded_name(name: str) -> str:
    # Outlook and others put RFC 2047 words in a filename parameter, where the standard
    # wants RFC 2231 (which the email package already decodes).
    if "=?" in name:
        with contextlib.suppress(ValueError, LookupError, UnicodeDecodeError):
            name = str(make_header(decode_header(name)))
    return name


def _eml_delivery(message: EmailMessage) -> tuple[dt.datetime | None, str]:
    """The newest Received header's time (the top one: each server adds its own above), else
    the Date header's."""
    for received in message.get_all("Received") or ():
        stamp = _parse_date(str(received).rpartition(";")[2])
        if stamp is not None:
            return stamp, "Received header"
    stamp = _parse_date(str(message.get("Date") or ""))
    return (stamp, "Date header") if stamp is not None else (None, "")


def _parse_date(text: str) -> dt.datetime | None:
    text = " ".join(text.split())
    if not text:
        return None
    try:
        stamp = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=dt.UTC)


# --------------------------------------------------------------------------- .msg


def read_msg(path: Path) -> SavedEmail:
    """An Outlook .msg file's sender, subject, delivery time and attachments."""
    import olefile

    try:
        ole = olefile.OleFileIO(str(path))
    except (OSError, ValueError, struct.error) as error:  # olefile raises OSError for non-OLE
        raise UnreadableEmail(f"not an Outlook message: {error}") from None
    try:
        streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=False)}
        if not any(s.startswith("__substg1.0_") for s in streams):
            raise UnreadableEmail("an OLE file, but not an Outlook message")
        return _read_msg_storage(ole, streams, "", top=True)
    except (OSError, ValueError, struct.error) as error:
        raise UnreadableEmail(f"damaged Outlook message: {error}") from None
    finally:
        ole.close()


def _read_msg_storage(ole: Any, streams: set[str], prefix: str, *, top: bool) -> SavedEmail:
    def stream(name: str) -> bytes | None:
        full = prefix + name
        return bytes(ole.openstream(full).read()) if full in streams else None

    def text(prop: int) -> str:
        unicode = stream(f"__substg1.0_{prop:04X}001F")
        if unicode is not None:
            return unicode.decode("utf-16-le", "replace").rstrip("\x00")
        ansi = stream(f"__substg1.0_{prop:04X}001E")
        return ansi.decode("cp1252", "replace").rstrip("\x00") if ansi is not None else ""

    sender_address = text(_SENDER_SMTP) or text(_SENDER_EMAIL)
    sender = text(_SENDER_NAME)
    if sender_address and "@" in sender_address:
        sender = f"{sender} <{sender_address}>" if sender else sender_address
    delivered, source = None, ""
    properties = stream("__properties_version1.0")
    if properties is not None:
        # The property stream's header is 32 bytes for the message itself and 24 for an
        # embedded one; then 16-byte entries: tag, flags, value (MS-OXMSG 2.4).
        stamp = _systime(properties[32 if top else 24 :], _DELIVERY_TIME)
        if stamp is not None:
            delivered, source = stamp, "delivery time"
    if delivered is None:
        headers = text(_TRANSPORT_HEADERS)
        if headers:
            parsed = BytesParser(policy=policy.default).parsebytes(
                headers.encode("utf-8", "replace"), headersonly=True
            )
            if isinstance(parsed, EmailMessage):
                delivered, source = _eml_delivery(parsed)
    attachments: list[FileAttached] = []
    storages = sorted(
        {
            s[len(prefix) :].split("/")[0]
            for s in streams
            if s.startswith(prefix + "__attach_version1.0_#")
        }
    )
    for storage in storages:
        inner = f"{prefix}{storage}/"
        embedded = f"{inner}__substg1.0_{_ATTACH_DATA:04X}000D/"
        if any(s.startswith(embedded) for s in streams):
            nested = _read_msg_storage(ole, streams, embedded, top=False)
            attachments.extend(nested.attachments)
            continue
        data = stream(f"{storage}/__substg1.0_{_ATTACH_DATA:04X}0102")
        name = ""
        for prop in (_ATTACH_LONG_FILENAME, _ATTACH_FILENAME, _ATTACH_DISPLAY_NAME):
            name = _attachment_text(ole, streams, inner, prop)
            if name:
                break
        attachments.append(FileAttached(name, data or b""))
    return SavedEmail(
        sender=" ".join(sender.split()),
        subject=" ".join(text(_SUBJECT).split()),
        delivered=delivered,
        delivered_from=source,
        attachments=attachments,
    )


def _attachment_text(ole: Any, streams: set[str], inner: str, prop: int) -> str:
    for suffix, encoding in (("001F", "utf-16-le"), ("001E", "cp1252")):
        name = f"{inner}__substg1.0_{prop:04X}{suffix}"
        if name in streams:
            return bytes(ole.openstream(name).read()).decode(encoding, "replace").rstrip("\x00")
    return ""


def _systime(entries: bytes, prop: int) -> dt.datetime | None:
    wanted = (prop << 16) | _PT_SYSTIME
    for offset in range(0, len(entries) - 15, 16):
        tag, _flags, value = struct.unpack_from("<IIQ", entries, offset)
        if tag == wanted and value:
            try:
                return _FILETIME_EPOCH + dt.timedelta(microseconds=value // 10)
            except OverflowError:
                return None
    return None


def sender_address(sender: str) -> str:
    """The address in a From value (``Name <a@b>`` -> ``a@b``)."""
    return parseaddr(sender)[1]
