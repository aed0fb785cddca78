"""Extract the bundled example programme from the plan's source text into inputs/plan.xlsx.

The example programme ships as the plan register the office would maintain by hand. Its source
is the Accelerated Progress Plan, a Word document converted to text (``../shared/seeds/``):
tab-separated and HTML-fragment tables whose rows sometimes continue after a page break on a
line with no action ID. This script turns that text into the sheets of
``packbuilder/plan/schema.py`` and is kept so the extraction can be rerun and reviewed:

    python tools/extract_seed.py [--seed PATH] [--out inputs/plan.xlsx]

``extract(seed_text, aliases=None)`` does all the reading and returns plain rows
(``ExtractedPlan``); ``workbook_bytes`` only writes them. Officer spellings resolve through
the reviewed alias table ``tools/officer_aliases.csv``; a spelling it does not know stops the
run with a list of every such spelling, so a new one is reviewed before it reaches the plan.
The choices made where the source is ambiguous are explained in docs/example-programme.md.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import datetime as dt
import html
import io
import re
import sys
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.xml.functions import tostring

from packbuilder.plan import schema

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEED = REPO_ROOT.parent / "shared" / "seeds" / "002_36f5ff36c95f9c0d.txt"
DEFAULT_OUT = REPO_ROOT / "inputs" / "plan.xlsx"
DEFAULT_ALIASES = Path(__file__).resolve().with_name("officer_aliases.csv")

# Fixed workbook properties, so a rerun writes the same bytes.
FIXED_TIME = dt.datetime(2023, 7, 1, 0, 0, 0)
CREATOR = "packbuilder tools/extract_seed.py"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

ALIAS_COLUMNS = ("As written", "Officer ID", "Name", "Organisation", "Reviewed note")


class ExtractionError(Exception):
    """The source text is not shaped as the extraction expects; the message says where."""


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class AreaRow:
    number: int
    title: str
    lead: str


@dataclass(frozen=True)
class SubThemeRow:
    code: str
    area: int
    title: str


@dataclass(frozen=True)
class ActionRow:
    id: str
    sub_theme: str
    text: str
    end_date_text: str
    end_date: dt.date | None
    reporting_officer: str
    other_officers: tuple[str, ...]
    officer_text: str
    kpi_codes: tuple[str, ...]
    other_measures: str
    planned_evidence: str
    baseline_progress: str
    baseline_impact: str
    line: int  # line of the seed where the action's row starts


@dataclass(frozen=True)
class OfficerRow:
    id: str
    name: str
    organisation: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class KpiRow:
    code: str
    description: str
    areas: tuple[int, ...]
    unit: str
    polarity: str
    frequency: str
    baseline: float | None
    baseline_text: str
    baseline_date: dt.date | None
    high_impact: bool


@dataclass(frozen=True)
class TargetRow:
    code: str
    date: dt.date
    text: str


@dataclass(frozen=True)
class RiskRow:
    id: str
    date_text: str
    risk: str
    severity: str
    mitigations: str
    severity_after: str
    progress: str


@dataclass(frozen=True)
class ExtractedPlan:
    """Every row of the plan register, in source order, ready to write."""

    areas: tuple[AreaRow, ...]
    sub_themes: tuple[SubThemeRow, ...]
    actions: tuple[ActionRow, ...]
    officers: tuple[OfficerRow, ...]
    kpis: tuple[KpiRow, ...]
    targets: tuple[TargetRow, ...]
    risks: tuple[RiskRow, ...]


# --------------------------------------------------------------------------- cell text

_BLOCK_RE = re.compile(r"<p>|</p>|<ul[^>]*>|</ul>|<li[^>]*>|</li>|•")
_TAG_RE = re.compile(r"<[^>]+>")


@dataclass
class CellText:
    """A table cell as a list of paragraphs and bullets, tags and bullet marks removed.

    ``opens_list`` says the cell's first item starts a list (a bullet or a list block) rather
    than running text: after a page break, running text continues the item above it.
    """

    items: list[str]
    opens_list: bool


def tidy(text: str) -> str:
    """Collapse runs of whitespace to one space and trim; remove the converter's ** marks."""
    return " ".join(text.replace("**", "").split())


def read_cell(raw: str) -> CellText:
    """Split a raw cell into items at paragraph, list and bullet boundaries."""
    raw = html.unescape(raw)
    items: list[str] = []
    opens_list = False
    position = 0
    first = True
    for match in [*_BLOCK_RE.finditer(raw), None]:
        end = match.start() if match else len(raw)
        text = tidy(_TAG_RE.sub(" ", raw[position:end]))
        if text:
            items.append(text)
            first = False
        if match is None:
            break
        marker = match.group(0)
        if first and (marker == "•" or marker.startswith("<ul") or marker.startswith("<li")):
            opens_list = True
        position = match.end()
    return CellText(items, opens_list)


def join_cells(parts: Sequence[CellText]) -> list[str]:
    """Join one column's cells across page breaks into one list of items."""
    items: list[str] = []
    for part in parts:
        if not part.items:
            continue
        if items and not part.opens_list:
            items[-1] = f"{items[-1]} {part.items[0]}"
            items.extend(part.items[1:])
        else:
            items.extend(part.items)
    return items


# --------------------------------------------------------------------------- dates

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_FULL_DATE_RE = re.compile(r"^(\d{1,2}) ([A-Za-z]+) (\d{4})$")
_MONTH_YEAR_RE = re.compile(r"\b([A-Z][a-z]+) (\d{4})\b")


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def full_date(text: str) -> dt.date | None:
    """The date a text such as "1 October 2023" names; None for anything else."""
    match = _FULL_DATE_RE.match(text.strip())
    if not match or match.group(2).lower() not in _MONTHS:
        return None
    return dt.date(int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1)))


def month_year_end(text: str) -> dt.date | None:
    """The last day of the first "Month YYYY" in TEXT; None where there is none."""
    for match in _MONTH_YEAR_RE.finditer(text):
        month = _MONTHS.get(match.group(1).lower())
        if month:
            return month_end(int(match.group(2)), month)
    return None


# --------------------------------------------------------------------------- KPI codes

CODE_RE = re.compile(
    r"""\bAPP(?:
        (?P<special>SLT-\d+|\d{2}-\d(?!\d))                    # APPSLT-2, APP44-3
      | \s?(?P<start>\d{2})                                    # APP09, APP 55
        (?:\s*[–-]\s*(?:APP\s?)?(?P<end>\d{2}))?              # – APP64, -31, – 56
        (?:\s+inclusive\b)?
    )""",
    re.VERBOSE,
)


def kpi_codes(text: str) -> list[str]:
    """Every KPI code TEXT names, ranges expanded, "APP 55" written APP55, in order."""
    codes: list[str] = []
    for match in CODE_RE.finditer(text):
        if match.group("special"):
            codes.append(f"APP{match.group('special')}")
            continue
        start = int(match.group("start"))
        end = int(match.group("end") or start)
        if end < start:
            raise ExtractionError(f"KPI range {match.group(0)!r} runs backwards")
        codes.extend(f"APP{number:02d}" for number in range(start, end + 1))
    return codes


def without_codes(text: str) -> str:
    """TEXT with its KPI codes taken out: the measures written in words."""
    return tidy(CODE_RE.sub(" ", text))


def unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


# --------------------------------------------------------------------------- officers


def officer_key(text: str) -> str:
    """The form officer spellings are compared in: spacing, apostrophes, trailing full stop."""
    text = unicodedata.normalize("NFC", tidy(text)).replace("’", "'").replace("‘", "'")
    return text.rstrip(". ").strip()


@dataclass(frozen=True)
class Alias:
    as_written: str
    officer_id: str
    name: str
    organisation: str
    note: str


def read_aliases(path: Path) -> list[Alias]:
    """The reviewed alias table; every officer ID has one name and one organisation."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != ALIAS_COLUMNS:
            raise ExtractionError(
                f"{path}: the header must be {', '.join(ALIAS_COLUMNS)}; "
                f"found {', '.join(reader.fieldnames or ())}"
            )
        aliases = [
            Alias(
                as_written=row["As written"],
                officer_id=row["Officer ID"].strip(),
                name=row["Name"].strip(),
                organisation=row["Organisation"].strip(),
                note=row["Reviewed note"].strip(),
            )
            for row in reader
        ]
    seen: dict[str, tuple[str, str]] = {}
    keys: dict[str, str] = {}
    for number, alias in enumerate(aliases, start=2):
        identity = (alias.name, alias.organisation)
        if seen.setdefault(alias.officer_id, identity) != identity:
            raise ExtractionError(
                f"{path}, row {number}: officer {alias.officer_id} is named "
                f"{seen[alias.officer_id]} elsewhere; give every row of one officer the same "
                "name and organisation"
            )
        key = officer_key(alias.as_written)
        if keys.setdefault(key, alias.officer_id) != alias.officer_id:
            raise ExtractionError(
                f"{path}, row {number}: {alias.as_written!r} is already given to "
                f"{keys[key]}; one spelling can name only one officer"
            )
    return aliases


def split_officers(paragraph: str, keys: dict[str, str]) -> list[tuple[str, str]] | None:
    """Read one paragraph of an officer cell as one or more known spellings.

    Returns (spelling as written, officer ID) pairs, the fewest that cover the paragraph,
    separated by spaces or "and"; None when the paragraph cannot be covered.
    """
    written = tidy(paragraph)
    compared = written.replace("’", "'").replace("‘", "'")
    ordered = sorted(keys, key=len, reverse=True)
    best: dict[int, list[tuple[str, str]] | None] = {}

    def cover(start: int) -> list[tuple[str, str]] | None:
        if start in best:
            return best[start]
        best[start] = None
        result: list[tuple[str, str]] | None = None
        for key in ordered:
            if not compared.startswith(key, start):
                continue
            end = start + len(key)
            while end < len(compared) and compared[end] == ".":
                end += 1
            rest = compared[end:]
            if rest and not rest[0].isspace():
                continue
            piece = (written[start:end].strip(), keys[key])
            stripped = rest.lstrip()
            if not stripped:
                candidate: list[tuple[str, str]] | None = [piece]
            else:
                skip = len(rest) - len(stripped)
                if stripped.startswith("and "):
                    skip += 4
                tail = cover(end + skip)
                candidate = [piece, *tail] if tail is not None else None
            if candidate is not None and (result is None or len(candidate) < len(result)):
                result = candidate
        best[start] = result
        return result

    return cover(0)


# --------------------------------------------------------------------------- actions

_AREA_RE = re.compile(r"^(\d)\.\s+(.+)$")
_SUB_THEME_RE = re.compile(r"^(\d)([a-j])\)\s+(.+)$")
_ACTION_ID_RE = re.compile(r"^(\d)([A-J])(\d+):\s*")
_SEPARATOR_RE = re.compile(r"^-*$")


@dataclass
class _RawAction:
    id: str
    sub_theme: str
    line: int
    columns: list[list[CellText]] = field(default_factory=lambda: [[] for _ in range(7)])


def _section(lines: list[str], start: str, end: str | None) -> tuple[int, int]:
    """Line indexes of the section from the line that reads START to the one that reads END."""

    def find(marker: str, after: int) -> int:
        for index in range(after, len(lines)):
            if lines[index].strip() == marker or lines[index].startswith(marker + "\t"):
                return index
        raise ExtractionError(f"the seed has no line reading {marker!r} after line {after + 1}")

    first = find(start, 0)
    last = find(end, first + 1) if end else len(lines)
    return first, last


def _plain(raw: str) -> str:
    return tidy(_TAG_RE.sub(" ", html.unescape(raw)))


def _read_action_tables(
    lines: list[str], first: int, last: int
) -> tuple[list[AreaRow], list[SubThemeRow], list[_RawAction]]:
    areas: list[AreaRow] = []
    sub_themes: list[SubThemeRow] = []
    actions: list[_RawAction] = []
    current_sub_theme: SubThemeRow | None = None
    current: _RawAction | None = None
    for index in range(first + 1, last):
        line = lines[index]
        cells = line.split("\t")
        if len(cells) == 1 or all(not _plain(cell) for cell in cells[1:]):
            text = _plain(line)
            if not text:
                continue
            if match := _SUB_THEME_RE.match(text):
                area = int(match.group(1))
                if not areas or areas[-1].number != area:
                    raise ExtractionError(
                        f"line {index + 1}: sub-theme {text[:40]!r} outside area {area}"
                    )
                current_sub_theme = SubThemeRow(
                    match.group(1) + match.group(2), area, match.group(3)
                )
                sub_themes.append(current_sub_theme)
                current = None
                continue
            if len(cells) == 1 and (match := _AREA_RE.match(text)):
                number = int(match.group(1))
                areas.append(AreaRow(number, match.group(2), f"area-{number}-lead"))
                current_sub_theme = None
                current = None
                continue
            if len(cells) == 1:
                raise ExtractionError(f"line {index + 1}: unexpected text {text[:60]!r}")
        if len(cells) != 7:
            raise ExtractionError(
                f"line {index + 1}: an action table row has {len(cells)} cells, not 7"
            )
        first_cell = _plain(cells[0])
        if all(_SEPARATOR_RE.match(cell.strip()) for cell in cells):
            continue  # a table's closing rule
        if first_cell.startswith("Action") and _plain(cells[1]) == "By when":  # a header row
            current = None
            continue
        raw_first = cells[0].strip().removeprefix("<p>")
        if match := _ACTION_ID_RE.match(raw_first):
            if current_sub_theme is None:
                raise ExtractionError(f"line {index + 1}: action before any sub-theme")
            action_id = f"{match.group(1)}{match.group(2)}{match.group(3)}"
            expected = current_sub_theme.code.upper()
            if action_id[:2] != expected:
                raise ExtractionError(
                    f"line {index + 1}: action {action_id} under sub-theme {current_sub_theme.code}"
                )
            current = _RawAction(action_id, current_sub_theme.code, index + 1)
            actions.append(current)
            cells = [cells[0].replace(match.group(0), "", 1), *cells[1:]]
        elif current is None or current.sub_theme != (
            current_sub_theme.code if current_sub_theme else ""
        ):
            raise ExtractionError(f"line {index + 1}: a continued row with no action above it")
        for column, cell in enumerate(cells):
            current.columns[column].append(read_cell(cell))
    return areas, sub_themes, actions


def _build_action(
    raw: _RawAction,
    keys: dict[str, str],
    unresolved: list[str],
    spellings: dict[str, list[str]],
) -> ActionRow:
    text, by_when, officer, progress, impact, evidence, measures = (
        join_cells(column) for column in raw.columns
    )
    end_date_text = " ".join(by_when)
    officer_ids: list[str] = []
    for paragraph in officer:
        pieces = split_officers(paragraph, keys)
        if pieces is None:
            unresolved.append(f"{raw.id} (line {raw.line}): {paragraph!r}")
            continue
        for spelling, officer_id in pieces:
            officer_ids.append(officer_id)
            if spelling not in spellings.setdefault(officer_id, []):
                spellings[officer_id].append(spelling)
    officer_ids = list(unique(officer_ids))
    measure_text = "\n".join(item for item in map(without_codes, measures) if item)
    return ActionRow(
        id=raw.id,
        sub_theme=raw.sub_theme,
        text="\n".join(text),
        end_date_text=end_date_text,
        end_date=full_date(end_date_text),
        reporting_officer=officer_ids[0] if officer_ids else "",
        other_officers=tuple(officer_ids[1:]),
        officer_text="\n".join(officer),
        kpi_codes=unique(code for item in measures for code in kpi_codes(item)),
        other_measures=measure_text,
        planned_evidence="\n".join(evidence),
        baseline_progress=" ".join(progress),
        baseline_impact=" ".join(impact),
        line=raw.line,
    )


# --------------------------------------------------------------------------- risks


def _read_risks(lines: list[str], first: int, last: int) -> list[RiskRow]:
    rows: list[list[list[CellText]]] = []
    for index in range(first + 1, last):
        line = lines[index]
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != 6:
            if len(cells) == 1:
                break  # the text after the register
            raise ExtractionError(f"line {index + 1}: a risk row has {len(cells)} cells, not 6")
        if cells[0].strip():
            rows.append([[] for _ in range(6)])
        elif not rows:
            raise ExtractionError(f"line {index + 1}: a continued risk row with no risk above it")
        for column, cell in enumerate(cells):
            rows[-1][column].append(read_cell(cell))
    risks = []
    for number, columns in enumerate(rows, start=1):
        date, risk, severity, mitigations, after, progress = (join_cells(c) for c in columns)
        risks.append(
            RiskRow(
                id=f"R{number:02d}",
                date_text=" ".join(date),
                risk=" ".join(risk),
                severity=" ".join(severity),
                mitigations="\n".join(mitigations),
                severity_after=" ".join(after),
                progress=" ".join(progress),
            )
        )
    return risks


# --------------------------------------------------------------------------- KPIs

# Where the description's words do not decide the unit or the polarity, the choice is made
# here by code, with the reason; docs/example-programme.md lists them.
UNIT_BY_CODE = {
    "APP32": "per 1,000",  # "per 1,000 of the total 0 to 18-year-old age bracket"
    "APP44": "number",  # "Wheelchair assessments": a count of assessments
}
LOWER_IS_BETTER_BY_CODE = {
    "APP16": "requests made by parents should fall as schools' offer is trusted (sub-theme 1b)",
    "APP32": "the rate of EHCPs is above England's; the plan aims to meet needs without one",
    "APP35": "a context measure; read as needs met without early help",
    "APP36": "a context measure; read as needs met without children's social care",
    "APP37": "fewer children with an EHCP open to youth justice",
    "APP38": "fewer children with an EHCP given an out of court disposal",
}
_LOWER_WORDS = re.compile(
    r"waiting|absence|exclusion|suspension|\bgap\b|vacanc|upheld|appeals|NEET|"
    r"alternative provision|\bEHE\b",
    re.IGNORECASE,
)
_SURVEY_WORDS = re.compile(r"parents that|parents accessing .* agreed|survey", re.IGNORECASE)
_ANNUAL_WORDS = re.compile(r"Foundation Stage|Key stage|GCSE|absence|attendance", re.IGNORECASE)


def kpi_unit(code: str, description: str) -> str:
    """%, number or score, read from the description."""
    if code in UNIT_BY_CODE:
        return UNIT_BY_CODE[code]
    if re.search(r"attainment 8|progress 8", description, re.IGNORECASE):
        return "score"
    # A standard pass gap is a gap between the shares of pupils passing: a percentage.
    if re.search(r"percentage|%|standard pass", description, re.IGNORECASE):
        return "%"
    if description.lower().startswith("number"):
        return "number"
    raise ExtractionError(f"{code}: no unit for {description!r}; add it to UNIT_BY_CODE")


def kpi_polarity(code: str, description: str) -> str:
    """ "lower" where less is better (waits, absence, exclusions, gaps…), else "higher"."""
    if code in LOWER_IS_BETTER_BY_CODE or _LOWER_WORDS.search(description):
        return "lower"
    return "higher"


def kpi_frequency(description: str) -> str:
    """termly for surveys, annual for attainment and absence, monthly for the rest."""
    if _SURVEY_WORDS.search(description):
        return "termly"
    if _ANNUAL_WORDS.search(description):
        return "annual"
    return "monthly"


_BASELINE_RE = re.compile(r"^([\d,]+(?:\.\d+)?)\s*(?:\((.+)\))?$")
_SCHOOL_YEAR_RE = re.compile(r"whole year (?:20)?(\d{2})/(\d{2})", re.IGNORECASE)


def baseline(text: str, default_date: dt.date) -> tuple[float | None, dt.date | None]:
    """The number a baseline states and the date it was measured, where it states one.

    A bracketed month ("May 2023") dates it at that month's end; a school year ("Whole year
    2021/22") at the end of its summer term, 31 July; otherwise the table's heading date.
    """
    match = _BASELINE_RE.match(text.strip())
    if not match:
        return None, None
    value = float(match.group(1).replace(",", ""))
    note = match.group(2)
    if not note:
        return value, default_date
    if school_year := _SCHOOL_YEAR_RE.search(note):
        return value, dt.date(2000 + int(school_year.group(2)), 7, 31)
    if month := month_year_end(note):
        return value, month
    raise ExtractionError(f"baseline {text!r}: no date can be read from {note!r}")


@dataclass
class _HighImpactRow:
    code: str
    description: str
    baseline_text: str
    baseline_date: dt.date
    targets: list[TargetRow]


def _read_high_impact_lists(lines: list[str], first: int, last: int) -> dict[str, list[int]]:
    areas: dict[str, list[int]] = {}
    area: int | None = None
    for index in range(first + 1, last):
        text = lines[index].strip()
        if match := re.match(r"^Area (\d) - ", text):
            area = int(match.group(1))
        elif text.startswith("- ") and area is not None:
            for code in kpi_codes(text):
                if area not in areas.setdefault(code, []):
                    areas[code].append(area)
    return areas


def _read_high_impact_tables(
    lines: list[str], first: int, last: int
) -> tuple[list[_HighImpactRow], list[str]]:
    """The table rows with a KPI code, and the rows without one (as "area N: text")."""
    rows: list[_HighImpactRow] = []
    not_codes: list[str] = []
    area = 0
    target_dates: list[tuple[int, dt.date]] = []
    baseline_date = dt.date.min
    for index in range(first, last):
        cells = [tidy(cell) for cell in lines[index].split("\t")]
        if match := re.match(
            r"^High impact KPI's for each area of weakness – Area (\d) table", cells[0]
        ):
            area = int(match.group(1))
            continue
        if cells[0] == "KPI ID":
            target_dates = [
                (column, date)
                for column, heading in enumerate(cells)
                if "target" in heading.lower() and (date := month_year_end(heading))
            ]
            baseline_date = month_year_end(cells[2]) or dt.date.min
            if len(cells) != 11 or len(target_dates) != 4 or baseline_date == dt.date.min:
                raise ExtractionError(f"line {index + 1}: unexpected high-impact table header")
            continue
        if len(cells) != 11:
            continue
        codes = kpi_codes(cells[0])
        if codes != [cells[0]]:
            not_codes.append(f"area {area}: {cells[0]} – {cells[1]} (baseline {cells[2]!r})")
            continue
        rows.append(
            _HighImpactRow(
                code=cells[0],
                description=cells[1],
                baseline_text=cells[2],
                baseline_date=baseline_date,
                targets=[TargetRow(cells[0], date, cells[column]) for column, date in target_dates],
            )
        )
    return rows, not_codes


def _read_scorecard_list(lines: list[str], first: int) -> dict[str, str]:
    described: dict[str, str] = {}
    for index in range(first + 1, len(lines)):
        cells = lines[index].split("\t")
        if len(cells) == 1 and not cells[0].strip():
            continue
        if len(cells) != 2 or not re.fullmatch(r"APP\d{2}", cells[0].strip()):
            raise ExtractionError(
                f"line {index + 1}: not a scorecard KPI row: {lines[index][:60]!r}"
            )
        described[cells[0].strip()] = tidy(cells[1])
    return described


def _code_order(code: str) -> tuple[int, int, str]:
    match = re.fullmatch(r"APP(\d{2})", code)
    return (0, int(match.group(1)), "") if match else (1, 0, code)


# --------------------------------------------------------------------------- extraction


def extract(seed_text: str, aliases: Sequence[Alias] | None = None) -> ExtractedPlan:
    """Read the whole plan from the seed text; raise ExtractionError naming what is wrong.

    ALIASES defaults to the reviewed table beside this script.
    """
    if aliases is None:
        aliases = read_aliases(DEFAULT_ALIASES)
    lines = seed_text.splitlines()
    first, last = _section(
        lines,
        "Area of weakness identified in the original inspection.",
        "Consolidating and building on the APP",
    )
    areas, sub_themes, raw_actions = _read_action_tables(lines, first, last)

    keys = {officer_key(alias.as_written): alias.officer_id for alias in aliases}
    unresolved: list[str] = []
    spellings: dict[str, list[str]] = {}
    actions = [_build_action(raw, keys, unresolved, spellings) for raw in raw_actions]
    if unresolved:
        raise ExtractionError(
            "these officer spellings are not in the alias table; review each and add a row "
            "to tools/officer_aliases.csv:\n  " + "\n  ".join(unresolved)
        )

    identity = {alias.officer_id: (alias.name, alias.organisation) for alias in aliases}
    officers = [
        OfficerRow(officer_id, *identity[officer_id], tuple(spellings[officer_id]))
        for officer_id in unique(
            officer_id
            for action in actions
            for officer_id in (action.reporting_officer, *action.other_officers)
        )
    ]
    officers += [OfficerRow(area.lead, f"Area {area.number} lead", "", ()) for area in areas]

    risk_first, risk_last = _section(lines, "Date\tRisk", "Measuring impact")
    risks = _read_risks(lines, risk_first, risk_last)

    list_first, table_first = _section(
        lines, "High Impact Measures for the Areas of Weakness", "List of APP Scorecard KPI's"
    )
    table_first = next(
        index
        for index in range(list_first, table_first)
        if lines[index].startswith("High impact KPI's for each area of weakness")
    )
    areas_of = _read_high_impact_lists(lines, list_first, table_first)
    card_first = _section(lines, "List of APP Scorecard KPI's", None)[0]
    table_rows = _read_high_impact_tables(lines, table_first, card_first)[0]
    described = _read_scorecard_list(lines, _section(lines, "APP code", None)[0])

    high_impact = {row.code: row for row in table_rows}
    referenced = {code for action in actions for code in action.kpi_codes}
    undescribed = sorted(referenced - described.keys() - high_impact.keys(), key=_code_order)
    if undescribed:
        raise ExtractionError(
            "actions name KPI codes that neither the scorecard list nor a high-impact table "
            f"describes: {', '.join(undescribed)}"
        )
    codes = sorted({*described, *high_impact}, key=_code_order)
    kpis: list[KpiRow] = []
    targets: list[TargetRow] = []
    for code in codes:
        row = high_impact.get(code)
        # The scorecard list's words where it has the code: the tables repeat them with slips
        # (APP41's row says autism for ADHD; APP17's says "issues" for "issued").
        description = described[code] if code in described else high_impact[code].description
        unit = kpi_unit(code, description)
        polarity = kpi_polarity(code, description)
        frequency = kpi_frequency(description)
        value, date = baseline(row.baseline_text, row.baseline_date) if row else (None, None)
        kpis.append(
            KpiRow(
                code=code,
                description=description,
                areas=tuple(sorted(areas_of.get(code, ()))),
                unit=unit,
                polarity=polarity,
                frequency=frequency,
                baseline=value,
                baseline_text=row.baseline_text if row else "",
                baseline_date=date,
                high_impact=row is not None,
            )
        )
        if row:
            targets.extend(row.targets)
    return ExtractedPlan(
        areas=tuple(areas),
        sub_themes=tuple(sub_themes),
        actions=tuple(actions),
        officers=tuple(officers),
        kpis=tuple(kpis),
        targets=tuple(targets),
        risks=tuple(risks),
    )


def high_impact_rows_without_code(seed_text: str) -> list[str]:
    """High-impact table rows that name no KPI code (left out of the KPI sheet)."""
    lines = seed_text.splitlines()
    first = next(
        index
        for index, line in enumerate(lines)
        if line.startswith("High impact KPI's for each area of weakness")
    )
    last = _section(lines, "List of APP Scorecard KPI's", None)[0]
    return _read_high_impact_tables(lines, first, last)[1]


# --------------------------------------------------------------------------- writing

_WIDE = {
    "Title": 60,
    "Action": 60,
    "Planned evidence of impact": 60,
    "Description": 60,
    "Risk": 50,
    "Mitigations": 70,
    "Other measures as written": 45,
    "Officer as written": 40,
    "Aliases": 60,
    "Name or role": 45,
    "Progress": 30,
    "Baseline as written": 24,
    "End date as written": 22,
    "Reporting officer": 30,
    "Other officers": 30,
    "KPI codes": 30,
    "Baseline impact as written": 22,
    "Baseline progress as written": 14,
    "Officer ID": 40,
    "Area lead": 14,
    "Areas": 10,
    "Target as written": 12,
    "Severity after mitigation": 14,
}
_DATE_HEADERS = {"End date", "Baseline date", "Target date"}


def example_address(officer_id: str) -> str:
    """An illustrative address on example.org (reserved for examples, RFC 2606), so the
    example's month can be sent, collected and chased end to end."""
    return f"{officer_id}@example.org"


def _join(values: Iterable[object]) -> str:
    return f"{schema.LIST_SEPARATOR} ".join(str(value) for value in values)


def sheet_rows(plan: ExtractedPlan) -> dict[str, list[tuple[object, ...]]]:
    """The rows of each sheet, in the order of schema.HEADERS; None for an empty cell."""

    def cell(value: object) -> object:
        return None if value in ("", ()) else value

    rows: dict[str, list[tuple[object, ...]]] = {
        schema.AREAS: [(a.number, a.title, a.lead) for a in plan.areas],
        schema.SUB_THEMES: [(s.code, s.area, s.title) for s in plan.sub_themes],
        schema.ACTIONS: [
            (
                a.id,
                a.sub_theme,
                a.text,
                a.end_date_text,
                a.end_date,
                a.reporting_officer,
                _join(a.other_officers),
                a.officer_text,
                _join(a.kpi_codes),
                a.other_measures,
                a.planned_evidence,
                a.baseline_progress,
                a.baseline_impact,
            )
            for a in plan.actions
        ],
        schema.OFFICERS: [
            (o.id, o.name, o.organisation, example_address(o.id), _join(o.aliases))
            for o in plan.officers
        ],
        schema.KPIS: [
            (
                k.code,
                k.description,
                _join(k.areas),
                k.unit,
                k.polarity,
                k.frequency,
                k.baseline,
                k.baseline_text,
                k.baseline_date,
                None,
                "yes" if k.high_impact else "no",
            )
            for k in plan.kpis
        ],
        schema.KPI_TARGETS: [(t.code, t.date, t.text) for t in plan.targets],
        schema.RISKS: [
            (
                r.id,
                r.date_text,
                r.risk,
                "",
                r.severity,
                r.mitigations,
                r.severity_after,
                r.progress,
                "Open",
                None,
                None,
            )
            for r in plan.risks
        ],
    }
    for name, sheet in rows.items():
        for row in sheet:
            if len(row) != len(schema.HEADERS[name]):
                raise ExtractionError(
                    f"{name}: a row has {len(row)} cells for {len(schema.HEADERS[name])} headers"
                )
    return {
        name: [tuple(cell(value) for value in row) for row in sheet] for name, sheet in rows.items()
    }


def workbook_bytes(plan: ExtractedPlan) -> bytes:
    """The plan register as an .xlsx file, byte for byte the same on every run."""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for name, rows in sheet_rows(plan).items():
        sheet = workbook.create_sheet(name)
        headers = schema.HEADERS[name]
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
        for column, header in enumerate(headers, start=1):
            letter = get_column_letter(column)
            sheet.column_dimensions[letter].width = _WIDE.get(header, max(12, len(header) + 2))
            sheet.cell(1, column).font = bold
            for (data_cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                data_cell.alignment = wrap
                if header in _DATE_HEADERS:
                    data_cell.number_format = "d mmm yyyy"
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(rows) + 1)}"
    properties = workbook.properties
    properties.creator = CREATOR
    properties.lastModifiedBy = CREATOR
    properties.title = "Plan register: the bundled example programme"
    properties.created = FIXED_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    properties.modified = FIXED_TIME  # openpyxl stamps the time of saving; put it back
    return _fixed_zip(buffer.getvalue(), {"docProps/core.xml": tostring(properties.to_tree())})


def _fixed_zip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """Rewrite a zip with fixed member times (and the given members replaced)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            target.writestr(member, replace.get(info.filename, source.read(info.filename)))
    return output.getvalue()


# --------------------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Extract the example programme's plan register from the seed text.",
        epilog="Example: python tools/extract_seed.py --out inputs/plan.xlsx",
    )
    parser.add_argument("--seed", type=Path, default=DEFAULT_SEED, help="the plan as text")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the workbook to write")
    parser.add_argument(
        "--aliases",
        type=Path,
        default=DEFAULT_ALIASES,
        help="the reviewed officer alias table (CSV)",
    )
    arguments = parser.parse_args(argv)
    if not arguments.seed.is_file():
        print(f"Error: no seed at {arguments.seed}; give its path with --seed", file=sys.stderr)
        return 2
    try:
        aliases = read_aliases(arguments.aliases)
        plan = extract(arguments.seed.read_text(encoding="utf-8"), aliases)
    except ExtractionError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    used = {officer.id for officer in plan.officers}
    for alias in aliases:
        if alias.officer_id not in used:
            print(
                f"Note: alias row {alias.as_written!r} names an officer no action uses",
                file=sys.stderr,
            )
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_bytes(workbook_bytes(plan))
    print(
        f"Wrote {arguments.out}: {len(plan.areas)} areas, {len(plan.sub_themes)} sub-themes, "
        f"{len(plan.actions)} actions, {len(plan.officers)} officers, {len(plan.kpis)} KPIs, "
        f"{len(plan.targets)} KPI targets, {len(plan.risks)} risks"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
