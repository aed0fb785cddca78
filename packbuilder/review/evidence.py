"""The evidence bank: the office's documents in inputs/evidence/, mapped to actions and areas.

The office files each document in a folder named for the action (``1A1``) or area
(``Area 3``) it supports, or lists it in ``index.xlsx`` (columns File, Supports, Date) with
the actions or areas it supports, separated by commas. A file's date is the index's, else a
date at the start of its name (``2023-09-14 panel minutes.pdf``), else the day it was last
modified. Evidence files are never opened: only their names, sizes and hashes are read.

The review copies every file into its own evidence/ folder, so the folder can be zipped and
sent whole. A name that Windows refuses (``:``, ``?``, a trailing dot, ``CON`` …) is copied
under a safe name and the change is reported, so the copy opens everywhere.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from packbuilder.dates import parse_uk_date
from packbuilder.model import Plan, column_letter
from packbuilder.output_set import sha256_of

EVIDENCE_FOLDER = "inputs/evidence"
INDEX_NAME = "index.xlsx"
COPY_FOLDER = "evidence"

_WINDOWS_REFUSED = re.compile(r'[<>:"|?*\\\x00-\x1f]')
_WINDOWS_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\..*)?$", re.IGNORECASE)
_DATE_IN_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_AREA = re.compile(r"^area[\s_-]*(\d+)$", re.IGNORECASE)


@dataclass(frozen=True)
class EvidenceFile:
    """One document of the evidence bank and where the review's copy of it goes."""

    name: str  # path under inputs/evidence/, as the office named it (posix)
    copy: str  # path inside the review folder: evidence/…
    size: int
    sha256: str
    date: dt.date | None
    date_from: str  # "index" | "file name" | "file modified"
    supports: tuple[str, ...]  # action IDs and "Area N", in plan order; () when unmapped
    note: str = ""  # a renamed copy or an index problem, in words


@dataclass(frozen=True)
class EvidenceBank:
    files: tuple[EvidenceFile, ...] = ()
    problems: tuple[str, ...] = ()  # index rows and files that could not be used, in words
    sources: dict[str, Path] = field(default_factory=dict)  # name -> the file to copy

    def supporting(self, subject: str) -> list[EvidenceFile]:
        return [f for f in self.files if subject in f.supports]

    @property
    def unmapped(self) -> list[EvidenceFile]:
        return [f for f in self.files if not f.supports]

    @property
    def renamed(self) -> list[EvidenceFile]:
        return [f for f in self.files if f.copy != f"{COPY_FOLDER}/{f.name}"]


def windows_problem(part: str) -> str:
    """Why Windows refuses this file or folder name, in words; "" when it accepts it."""
    bad = sorted(set(_WINDOWS_REFUSED.findall(part)))
    if bad:
        shown = " ".join(repr(c)[1:-1] if c.isprintable() else f"U+{ord(c):04X}" for c in bad)
        return f"Windows refuses {shown} in a file name"
    if _WINDOWS_RESERVED.match(part):
        return f"Windows reserves the name {part.split('.')[0].upper()}"
    if part.endswith((".", " ")):
        return "Windows refuses a name ending in a dot or a space"
    return ""


def safe_part(part: str) -> str:
    """PART with what Windows refuses replaced, so the copy opens on every system."""
    safe = _WINDOWS_REFUSED.sub("_", part).rstrip(". ") or "_"
    if _WINDOWS_RESERVED.match(safe):
        safe = f"_{safe}"
    return safe


def subject_of(folder: str, plan: Plan) -> str:
    """The action ID or "Area N" a folder name stands for; "" when it names neither."""
    actions = {a.id.casefold(): a.id for a in plan.actions}
    areas = {a.number for a in plan.areas}
    text = folder.strip()
    if text.casefold() in actions:
        return actions[text.casefold()]
    match = _AREA.match(text)
    number = int(match.group(1)) if match else int(text) if text.isdigit() else None
    if number is not None and number in areas:
        return f"Area {number}"
    return ""


def read_evidence_bank(folder: Path, plan: Plan) -> EvidenceBank:
    """Every file under FOLDER with what it supports, its size, hash and date."""
    if not folder.is_dir():
        return EvidenceBank()
    index_path = folder / INDEX_NAME
    index, problems = _read_index(index_path, plan) if index_path.is_file() else ({}, [])
    order = {a.id: i for i, a in enumerate(plan.actions)}
    order.update({f"Area {a.number}": -100 + a.number for a in plan.areas})
    files, sources = [], {}
    found = sorted(p for p in folder.rglob("*") if p.is_file() and p != index_path)
    names = {p.relative_to(folder).as_posix() for p in found}
    for name in sorted(set(index) - names):
        problems.append(f"{INDEX_NAME} lists {name}, which is not in {EVIDENCE_FOLDER}/.")
    for path in found:
        name = path.relative_to(folder).as_posix()
        if path.name.startswith("~$") or path.name.startswith("."):
            continue  # Office lock files and hidden files are not evidence
        parts = name.split("/")
        supports = set(index.get(name, (None, ()))[1])
        folder_subject = subject_of(parts[0], plan) if len(parts) > 1 else ""
        if folder_subject:
            supports.add(folder_subject)
        notes = [p for p in (windows_problem(part) for part in parts) if p]
        copy = "/".join([COPY_FOLDER, *(safe_part(part) for part in parts)])
        note = ""
        if notes:
            note = f"{notes[0]}, so the copy is named {copy.split('/', 1)[1]}."
        elif not supports and len(parts) > 1:
            note = f"The folder {parts[0]} is not an action ID or an area of this plan."
        try:
            stat = path.stat()
            digest = sha256_of(path)
        except OSError as error:
            problems.append(
                f"{EVIDENCE_FOLDER}/{name} could not be read ({error.strerror or error}), so it "
                "is not in the pack; close it or check its permissions and run the review again."
            )
            continue
        indexed_date = index.get(name, (None, ()))[0]
        date, date_from = _date_of(path.name, stat.st_mtime, indexed_date)
        files.append(
            EvidenceFile(
                name=name,
                copy=copy,
                size=stat.st_size,
                sha256=digest,
                date=date,
                date_from=date_from,
                supports=tuple(sorted(supports, key=lambda s: order.get(s, 10**6))),
                note=note,
            )
        )
        sources[name] = path
    return EvidenceBank(tuple(_unique_copies(files)), tuple(problems), sources)


def _unique_copies(files: list[EvidenceFile]) -> Iterable[EvidenceFile]:
    """Two names made safe the same way ("a:b" and "a?b") get numbered copies."""
    taken: set[str] = set()
    for item in files:
        copy, number = item.copy, 1
        while copy.casefold() in taken:
            number += 1
            stem, dot, suffix = item.copy.rpartition(".")
            copy = f"{stem} ({number}).{suffix}" if dot else f"{item.copy} ({number})"
        taken.add(copy.casefold())
        yield item if copy == item.copy else dataclasses.replace(item, copy=copy)


def _date_of(name: str, modified: float, indexed: dt.date | None) -> tuple[dt.date | None, str]:
    if indexed is not None:
        return indexed, "index"
    match = _DATE_IN_NAME.match(name)
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups())), "file name"
        except ValueError:
            pass
    return dt.datetime.fromtimestamp(modified, dt.UTC).date(), "file modified"


def _read_index(
    path: Path, plan: Plan
) -> tuple[dict[str, tuple[dt.date | None, tuple[str, ...]]], list[str]]:
    """index.xlsx's rows: file name -> (date, what it supports); problems in words."""
    # openpyxl loads only when the evidence folder has an index to read: about 0.5 s.
    from openpyxl import load_workbook

    where = f"{EVIDENCE_FOLDER}/{INDEX_NAME}"
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # any unreadable workbook is reported the same
        return {}, [f"{where} could not be read ({error}); save it again as .xlsx."]
    try:
        sheet = workbook.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        title = sheet.title
    finally:
        workbook.close()
    if not rows:
        return {}, []
    headers = [str(h or "").strip().casefold() for h in rows[0]]
    columns: dict[str, int] = {
        name: headers.index(name) for name in ("file", "supports", "date") if name in headers
    }
    if "file" not in columns or "supports" not in columns:
        return {}, [
            f"{where} › {title} › row 1 needs the headers File and Supports (and Date); "
            "add them and run the review again."
        ]
    index: dict[str, tuple[dt.date | None, tuple[str, ...]]] = {}
    problems = []
    for number, row in enumerate(rows[1:], start=2):

        def cell(name: str, row: tuple[object, ...] = row) -> object:
            position = columns.get(name)
            return row[position] if position is not None and position < len(row) else None

        name = str(cell("file") or "").strip().replace("\\", "/")
        if not name:
            continue
        subjects = []
        for part in re.split(r"[,;]", str(cell("supports") or "")):
            if not part.strip():
                continue
            subject = subject_of(part, plan)
            if subject:
                subjects.append(subject)
            else:
                letter = column_letter(columns["supports"])
                problems.append(
                    f"{where} › {title} › {letter}{number}: '{part.strip()}' is not an action "
                    "ID or an area of this plan; correct it and run the review again."
                )
        date = _index_date(cell("date"))
        if date is None and cell("date") not in (None, ""):
            letter = column_letter(columns["date"])
            problems.append(
                f"{where} › {title} › {letter}{number}: '{cell('date')}' is not a date, so the "
                f"date of {name} is taken from its name or the file; type it as 14/09/2023."
            )
        previous = index.get(name, (None, ()))
        index[name] = (date or previous[0], (*previous[1], *subjects))
    return index, problems


def _index_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return parse_uk_date(value.strip())
    return None
