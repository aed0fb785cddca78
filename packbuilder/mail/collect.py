"""``returns collect PERIOD SOURCE…``: the returns in saved emails, put where check reads them.

SOURCE is any mix of saved emails (``.eml``, Outlook ``.msg``), folders of them, and loose
workbooks. Every spreadsheet attachment goes into inputs/returns/PERIOD/ as received, and a row
in that folder's ``collected.csv`` records when the office's mailbox received it (the newest
Received header, else the Date header; a .msg file's delivery time), from whom and under what
subject: check reads it as it reads the office's own received.csv, for the newest-return and
late-return rules. Collect only adds: a file with identical content is skipped, a different
file with a taken name gets a suffix, and no file or row is ever changed or removed. A return
whose hidden sheet names another period goes to that period's folder, and says so. Anything
else attached (pictures, signatures, PDFs, zips) is listed and left.

A workbook is only ever opened through the safe reader (screen_file, then read_workbook in an
isolated worker), and only to learn the period its hidden sheet states.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from packbuilder.errors import WorkspaceError
from packbuilder.findings import finding
from packbuilder.isolation import map_isolated
from packbuilder.mail.saved import (
    OLE_MAGIC,
    FileAttached,
    SavedEmail,
    UnreadableEmail,
    read_eml,
    read_msg,
)
from packbuilder.model import Finding, Period, Severity
from packbuilder.paths import COLLECTED_CSV, RECEIVED_CSV
from packbuilder.returns.read import UnreadableWorkbook, read_workbook
from packbuilder.returns.safe import Refusal, screen_file

if TYPE_CHECKING:
    from packbuilder.config import Config, Limits

COLLECTED_COLUMNS = ("file", "received", "sender", "subject", "source", "sha256")
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv"})
EMAIL_SUFFIXES = frozenset({".eml", ".msg"})
# Refusals that still mean "a spreadsheet": check reports them to the officer.
_SPREADSHEET_REFUSALS = frozenset(
    {
        Refusal.PASSWORD,
        Refusal.LEGACY_XLS,
        Refusal.ODS,
        Refusal.MACRO,
        Refusal.DAMAGED,
        Refusal.UNCOMPRESSED_TOO_LARGE,
        Refusal.COMPRESSION_RATIO,
        Refusal.DTD,
        Refusal.CSV,
    }
)
_RESERVED_NAMES = frozenset({RECEIVED_CSV, COLLECTED_CSV})
_WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{n}" for n in range(1, 10)}
    | {f"lpt{n}" for n in range(1, 10)}
)
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_MAX_NAME = 150


@dataclass(frozen=True)
class Placed:
    """A spreadsheet collect put into a period's folder."""

    path: Path
    period: Period
    source: str  # the email (or loose file) it came from
    received: str  # ISO time, "" when unknown


@dataclass
class Collection:
    """What collect did: the files added and a finding for everything else."""

    period: Period
    placed: list[Placed] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    emails: int = 0

    @property
    def refused(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


@dataclass(frozen=True)
class _Candidate:
    source: str
    email: SavedEmail | None  # None: a loose workbook
    attached: FileAttached


def collect_returns(config: Config, period: Period, sources: Sequence[Path]) -> Collection:
    """Put every spreadsheet in SOURCES into inputs/returns/ (PERIOD's folder, or the folder of
    the period its hidden sheet states), recording each in that folder's collected.csv."""
    collection = Collection(period)
    candidates: list[_Candidate] = []
    for path in _expand(sources):
        candidates.extend(_read_source(path, config, collection))
    limits = config.settings.limits
    with tempfile.TemporaryDirectory(prefix="packbuilder-collect-") as scratch:
        spreadsheets: list[tuple[_Candidate, str, Path | None]] = []
        for number, candidate in enumerate(candidates):
            kept = _screen(candidate, Path(scratch) / f"{number}.bin", limits, collection)
            if kept is not None:
                spreadsheets.append((candidate, *kept))
        stated = _stated_periods([p for _, _, p in spreadsheets if p is not None], limits)
        folders = _Folders(config)
        for candidate, name, screened in spreadsheets:
            target = period
            said = stated.get(screened, "") if screened is not None else ""
            other = _other_period(said, period)
            if other is not None:
                target = other
                collection.findings.append(
                    finding(
                        "other-period-return",
                        file=candidate.source,
                        value=candidate.attached.name,
                        stated=other.label,
                        period=period.label,
                        folder=_relative(config.returns_dir(other), config.root),
                    )
                )
            placed = folders.place(candidate, name, target, collection)
            if placed is not None:
                collection.placed.append(placed)
    return collection


# --------------------------------------------------------------------------- sources


def _expand(sources: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for source in sources:
        if source.is_dir():
            files.extend(
                path
                for path in sorted(source.rglob("*"))
                if path.is_file()
                and not any(part.startswith(".") for part in path.relative_to(source).parts)
            )
        elif source.is_file():
            files.append(source)
        else:
            raise WorkspaceError(
                f"{source} does not exist",
                hint="Give saved emails (.eml, .msg), folders of them, or workbooks.",
            )
    return files


def _read_source(path: Path, config: Config, collection: Collection) -> list[_Candidate]:
    """The attachments of a saved email, or a loose file as itself."""
    size = path.stat().st_size
    suffix = path.suffix.lower()
    if suffix not in EMAIL_SUFFIXES:
        return [_Candidate(path.name, None, FileAttached(path.name, path.read_bytes()))]
    collection.emails += 1
    limit = config.settings.email.max_message_bytes
    if size > limit:
        collection.findings.append(
            finding("email-too-large", file=path.name, value=f"{size:,} bytes", limit=f"{limit:,}")
        )
        return []
    try:
        with path.open("rb") as handle:
            is_ole = handle.read(8) == OLE_MAGIC
        email = read_msg(path) if is_ole else read_eml(path.read_bytes())
    except UnreadableEmail as error:
        collection.findings.append(
            finding(
                "unreadable-email", file=path.name, value=str(error), period=str(collection.period)
            )
        )
        return []
    if email.delivered is None:
        collection.findings.append(finding("no-delivery-time", file=path.name))
    return [_Candidate(path.name, email, attached) for attached in email.attachments]


# --------------------------------------------------------------------------- screening


def _screen(
    candidate: _Candidate, scratch: Path, limits: Limits, collection: Collection
) -> tuple[str, Path | None] | None:
    """(safe name, screened copy to read or None) for a spreadsheet; None for anything else,
    with a finding saying why it was left."""
    attached = candidate.attached
    name = safe_name(attached.name)
    if name != attached.name:
        collection.findings.append(
            finding(
                "unsafe-attachment-name", file=candidate.source, value=attached.name, saved=name
            )
        )
    if len(attached.content) > limits.max_file_bytes:
        collection.findings.append(
            finding(
                "attachment-too-large",
                file=candidate.source,
                value=attached.name,
                size=f"{len(attached.content):,}",
                limit=f"{limits.max_file_bytes:,}",
            )
        )
        return None
    scratch.write_bytes(attached.content)
    screening = screen_file(scratch, limits)
    suffix = Path(name).suffix.lower()
    if screening.accepted:
        if suffix not in SPREADSHEET_SUFFIXES:
            name = f"{name}.xlsx"
        return name, scratch
    if screening.refusal in _SPREADSHEET_REFUSALS and suffix in SPREADSHEET_SUFFIXES:
        return name, None
    kind = _kind(attached.content, suffix, screening.refusal)
    collection.findings.append(
        finding("attachment-left", file=candidate.source, value=attached.name, kind=kind)
    )
    return None


_PICTURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")


def _kind(content: bytes, suffix: str, refusal: Refusal | None) -> str:
    """What a file that is not a spreadsheet is, in the office's words."""
    if content.startswith(b"%PDF"):
        return "a PDF document"
    if content.startswith(_PICTURES):
        return "a picture"
    if refusal is Refusal.WORD:
        return "a Word document"
    if refusal is Refusal.OTHER_ZIP:
        return "a zip file"
    return f"a {suffix} file" if suffix else "a file of unknown type"


def safe_name(name: str) -> str:
    """NAME as a plain file name: no folders, no ``..``, no characters or device names
    Windows refuses, not hidden, not a lock file, not too long."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(_UNSAFE.sub("_", name).split())
    name = name.lstrip(".~$ ").rstrip(". ")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    if stem.casefold() in _WINDOWS_DEVICES or not stem:
        stem = f"attachment {stem}".strip()
    if len(stem) > _MAX_NAME:
        stem = stem[:_MAX_NAME].rstrip(". ")
    return f"{stem}.{suffix}" if suffix else stem


def _stated_periods(paths: list[Path], limits: Limits) -> dict[Path, str]:
    """The period each screened workbook's hidden sheet states ("" for none), read in isolated
    workers like check's, so a workbook that crashes the reader costs only itself."""
    outcomes = map_isolated(
        functools.partial(_stated_period, limits),
        paths,
        timeout=limits.worker_timeout_seconds,
        memory_mb=limits.worker_memory_mb,
    )
    return {path: outcome.value or "" for path, outcome in zip(paths, outcomes, strict=True)}


def _stated_period(limits: Limits, path: Path) -> str:
    screening = screen_file(path, limits)
    if not screening.accepted:
        return ""
    try:
        read = read_workbook(screening, limits)
    except UnreadableWorkbook:
        return ""
    return read.meta.get("period", "") if read.meta_sheet else ""


def _other_period(stated: str, period: Period) -> Period | None:
    try:
        said = Period.parse(stated)
    except ValueError:
        return None
    return said if said != period else None


# --------------------------------------------------------------------------- placing


class _Folders:
    """The period folders collect adds to, with the content already in each (by hash)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.hashes: dict[Path, dict[str, str]] = {}

    def _known(self, folder: Path) -> dict[str, str]:
        if folder not in self.hashes:
            known: dict[str, str] = {}
            if folder.is_dir():
                for path in sorted(folder.rglob("*")):
                    if path.is_file() and path.name not in _RESERVED_NAMES:
                        digest = hashlib.sha256(path.read_bytes()).hexdigest()
                        known.setdefault(digest, path.relative_to(folder).as_posix())
            self.hashes[folder] = known
        return self.hashes[folder]

    def place(
        self, candidate: _Candidate, name: str, period: Period, collection: Collection
    ) -> Placed | None:
        folder = self.config.returns_dir(period)
        content = candidate.attached.content
        digest = hashlib.sha256(content).hexdigest()
        known = self._known(folder)
        if digest in known:
            collection.findings.append(
                finding(
                    "duplicate-attachment",
                    file=candidate.source,
                    value=candidate.attached.name,
                    existing=known[digest],
                )
            )
            return None
        folder.mkdir(parents=True, exist_ok=True)
        path = _write_new(folder, name, content)
        if path.name != name:
            collection.findings.append(
                finding(
                    "attachment-renamed",
                    file=candidate.source,
                    value=candidate.attached.name,
                    folder=_relative(folder, self.config.root),
                    saved=path.name,
                )
            )
        known[digest] = path.name
        email = candidate.email
        received = email.delivered.isoformat() if email and email.delivered else ""
        _append_collected(
            folder / COLLECTED_CSV,
            (
                path.name,
                received,
                email.sender if email else "",
                email.subject if email else "",
                candidate.source,
                digest,
            ),
        )
        return Placed(path, period, candidate.source, received)


def _write_new(folder: Path, name: str, content: bytes) -> Path:
    """Write CONTENT under NAME in FOLDER, or NAME (2), (3)…: never over an existing file."""
    stem, suffix = Path(name).stem, Path(name).suffix
    number = 1
    while True:
        candidate = name if number == 1 else f"{stem} ({number}){suffix}"
        number += 1
        if candidate.casefold() in _RESERVED_NAMES:
            continue
        path = folder / candidate
        try:
            with path.open("xb") as handle:  # "x": fails rather than replace a file
                handle.write(content)
        except FileExistsError:
            continue
        return path


def _append_collected(path: Path, row: tuple[str, ...]) -> None:
    new = not path.is_file()
    with path.open("a", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        if new:
            writer.writerow(COLLECTED_COLUMNS)
        writer.writerow(row)
        handle.flush()
        os.fsync(handle.fileno())


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
