"""Rules over the whole folder: two returns from one officer, late returns, missing returns.

Two returns from one officer (or for one area): the newest counts. "Newest" is judged by the
first source every one of them has: the time in received.csv, else in collected.csv (the
delivery times 'returns collect' recorded), else the time recorded in the file
(docProps/core.xml), else the file system's; a tie goes to the later file name. The older ones
are SUPERSEDED with a finding naming the newer. Lateness is judged only from received.csv and
collected.csv, the records of arrival: a file's own times say when it was saved, not when it
came. Where both name a file, the office's own received.csv counts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path, PureWindowsPath

from packbuilder.checks.context import CheckContext, Place
from packbuilder.model import FileStatus, Finding, Period, ReturnFile

SOURCES = ("received.csv", "collected.csv", "file properties", "file system")
_ARRIVAL_RECORDS = frozenset(SOURCES[:2])
_FILE_HEADERS = ("file", "file name", "filename", "name")
_TIME_HEADERS = ("received", "received at", "received_at", "time", "date")
_TIME_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y")


def read_received_csv(path: Path) -> dict[str, dt.datetime]:
    """File name -> when it arrived, from received.csv (columns file, received); {} if absent.

    Times are ISO (2023-08-04 09:15) or day first (04/08/2023 09:15); an unreadable line is
    not used (received_csv_findings warns of it), and its file is judged by its own times. The
    file is UTF-8, with or without a byte order mark, else what Excel's "CSV (Comma delimited)"
    saves on Windows (cp1252).
    """
    if not path.is_file():
        return {}
    arrived: dict[str, dt.datetime] = {}
    try:
        reader = csv.DictReader(io.StringIO(_csv_text(path), newline=""))
        fields = {name.strip().lower(): name for name in reader.fieldnames or ()}
        file_key = next((fields[h] for h in _FILE_HEADERS if h in fields), None)
        time_key = next((fields[h] for h in _TIME_HEADERS if h in fields), None)
        if file_key is None or time_key is None:
            return {}
        for line in reader:
            stamp = parse_time((line.get(time_key) or "").strip())
            name = (line.get(file_key) or "").strip()
            if stamp is not None and name:
                arrived[PureWindowsPath(name).name] = stamp
    except csv.Error:  # a line the csv module cannot split: what was read so far stands
        pass
    return arrived


def _csv_text(path: Path) -> str:
    """The office's CSV as text: UTF-8 (with or without a byte order mark), else cp1252."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")  # five bytes cp1252 leaves undefined


def received_csv_findings(path: Path, names: set[str]) -> Iterator[Finding]:
    """A warning for each row of received.csv (or collected.csv) that is not used: its file
    name matches no file in the folder, or its time cannot be read. NAMES: the folder's files.
    """
    if not path.is_file():
        return
    try:
        yield from _unused_rows(path, names)
    except csv.Error:  # a line the csv module cannot split: the rows read so far were judged
        return


def _unused_rows(path: Path, names: set[str]) -> Iterator[Finding]:
    reader = csv.DictReader(io.StringIO(_csv_text(path), newline=""))
    fields = {name.strip().lower(): name for name in reader.fieldnames or ()}
    file_key = next((fields[h] for h in _FILE_HEADERS if h in fields), None)
    time_key = next((fields[h] for h in _TIME_HEADERS if h in fields), None)
    if file_key is None or time_key is None:
        yield Place("").finding(
            "received-csv-headers",
            value=", ".join(reader.fieldnames or ()),
            record=path.name,
        )
        return
    for number, line in enumerate(reader, start=2):
        name = (line.get(file_key) or "").strip()
        time_text = (line.get(time_key) or "").strip()
        if not name and not time_text:
            continue
        if PureWindowsPath(name).name not in names:
            yield Place("").finding(
                "received-row-unmatched", value=name, record=path.name, row=number
            )
        elif parse_time(time_text) is None:
            yield Place("").finding(
                "received-time-unreadable",
                value=time_text,
                record=path.name,
                row=number,
                name=name,
            )


_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def misplaced_workbooks(target: Path, period: Period) -> Iterator[Finding]:
    """A warning for each workbook near TARGET, the period's folder, but not in it, so not
    read: in the returns folder itself, or in a subfolder of it that is not named as a period
    (inputs/returns/March 2024/)."""
    returns_root = target.parent
    if not returns_root.is_dir():
        return
    places: list[Path] = []
    for entry in sorted(returns_root.iterdir()):
        if entry.is_file():
            places.append(entry)
        elif entry.is_dir() and entry != target and not entry.name.startswith("."):
            if _is_period(entry.name):
                continue
            places.extend(sorted(p for p in entry.rglob("*") if p.is_file()))
    for path in places:
        if path.suffix.lower() not in _WORKBOOK_SUFFIXES or path.name.startswith((".", "~$")):
            continue
        yield Place("").finding(
            "return-in-wrong-folder",
            value=path.name,
            where=_shown(path.parent, returns_root),
            folder=_shown(target, returns_root),
            period_label=period.label,
        )


def _is_period(name: str) -> bool:
    try:
        Period.parse(name)
    except ValueError:
        return False
    return True


def _shown(folder: Path, returns_root: Path) -> str:
    """A folder as the office knows it: inputs/returns/2024-03/."""
    return f"{folder.relative_to(returns_root.parent.parent).as_posix()}/"


def parse_time(text: str) -> dt.datetime | None:
    try:
        stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        stamp = None
        for form in _TIME_FORMATS:
            try:
                stamp = dt.datetime.strptime(text, form)
                break
            except ValueError:
                continue
    if stamp is not None and stamp.tzinfo is not None:
        # Every time is compared in the office's local time: a file's recorded time (UTC) and
        # the file system's are turned into it, and received.csv is written in it.
        stamp = stamp.astimezone().replace(tzinfo=None)
    return stamp


def check_folder_files(
    files: list[ReturnFile],
    received: dict[str, dt.datetime],
    ctx: CheckContext,
    expected_officers: list[str],
    expected_areas: list[int],
    collected: dict[str, dt.datetime] | None = None,
) -> Iterator[Finding]:
    """Apply received.csv's (else collected.csv's) times and the folder-wide rules. Findings
    about a file are added to that file; the findings yielded (missing returns) belong to no
    file."""
    for file in files:
        if file.status is FileStatus.SKIPPED:
            continue
        if file.name in received:
            file.received_at, file.received_source = received[file.name], "received.csv"
        elif collected and file.name in collected:
            file.received_at, file.received_source = collected[file.name], "collected.csv"
    for older, found in supersede(files, ctx):
        older.findings.append(found)
    for file in files:
        file.findings.extend(late_return(file, ctx))
    yield from missing_returns(files, ctx, expected_officers, expected_areas)


def late_return(file: ReturnFile, ctx: CheckContext) -> Iterator[Finding]:
    if (
        file.status is FileStatus.COUNTED
        and ctx.deadline is not None
        and file.received_source in _ARRIVAL_RECORDS
        and file.received_at is not None
        and file.received_at.date() > ctx.deadline
    ):
        yield Place(file.name, file.officer_id).finding(
            "late-return",
            value=file.received_at.strftime("%d %B %Y %H:%M"),
            deadline=ctx.deadline.strftime("%d %B %Y"),
        )


def supersede(files: list[ReturnFile], ctx: CheckContext) -> Iterator[tuple[ReturnFile, Finding]]:
    """Mark all but the newest counted return per officer (or area) SUPERSEDED."""
    groups: dict[tuple[str, str], list[ReturnFile]] = {}
    for file in files:
        if file.status is not FileStatus.COUNTED or file.kind is None:
            continue
        sender = file.officer_id if file.officer_id else f"area {file.area}"
        groups.setdefault((file.kind.value, sender), []).append(file)
    for (_, sender), group in groups.items():
        if len(group) < 2:
            continue
        ordered = newest_first(group)
        newest = ordered[0]
        name = ctx.officer_names.get(sender, sender)
        for older in ordered[1:]:
            older.status = FileStatus.SUPERSEDED
            older.superseded_by = newest.name
            found = Place(older.name, older.officer_id).finding(
                "superseded",
                value=older.name,
                officer_name=name,
                newer=newest.name,
                source=_why(older, newest),
            )
            yield older, found


def _why(older: ReturnFile, newest: ReturnFile) -> str:
    if older.received_at == newest.received_at:
        return "same time: the later file name counts"
    sources = sorted({older.received_source, newest.received_source}, key=SOURCES.index)
    return "newer by " + " and ".join(sources)


def newest_first(group: list[ReturnFile]) -> list[ReturnFile]:
    """The newest return first, by each file's best-known time; ties by the later file name.

    Each file's time is its received.csv time, else the time recorded in the file, else the
    file system's (check_file and check_folder_files set received_at in that order).
    """
    return sorted(group, key=lambda f: (f.received_at or dt.datetime.min, f.name), reverse=True)


def missing_returns(
    files: list[ReturnFile],
    ctx: CheckContext,
    expected_officers: list[str],
    expected_areas: list[int],
) -> Iterator[Finding]:
    counted = [f for f in files if f.status is FileStatus.COUNTED]
    officers = {f.officer_id for f in counted if f.officer_id}
    areas = {f.area for f in counted if f.area is not None and not f.officer_id}
    for officer in expected_officers:
        if officer not in officers:
            email = ctx.officer_emails.get(officer, "")
            yield Place("", officer).finding(
                "missing-return",
                value=officer,
                officer_name=ctx.officer_names.get(officer, officer),
                email=f" ({email})" if email else "",
                period_label=ctx.period.label,
            )
    for area in expected_areas:
        if area not in areas:
            yield Place("").finding(
                "missing-area-return",
                value=str(area),
                area=area,
                lead=ctx.areas.get(area, ""),
                period_label=ctx.period.label,
            )
