"""The office's own words for the reports: inputs/narrative/PERIOD.toml.

The reports are generated; the summary paragraphs and what is asked of the board are the
office's. They live in a small TOML file per period so a rebuild never loses them and nobody
hand-edits a generated document. Reading it is the only I/O here; a missing, unreadable or
mistyped file becomes warning findings, never a stopped build.

The format (documented in docs/template-context.md)::

    [assurance]
    summary = \"\"\"First paragraph.

    Second paragraph.\"\"\"

    [exception]
    summary = "One paragraph."
    default_ask = "To note."   # optional: the ask for every exception without its own

    [dfe]                      # optional: the DfE version's summary, else the assurance one
    summary = "..."

    [asks."red-progress:2A2"]  # RULE:SUBJECT of one exception
    ask = "What the board is asked to do."

    [public]                   # optional: the families' progress page (packbuilder.site)
    summary = "..."
    [public.areas]             # optional: this month's words per area of weakness
    1 = "..."
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from packbuilder.findings import finding
from packbuilder.model import ExceptionItem, Finding

SECTIONS = ("assurance", "exception", "dfe")
_TOP_KEYS = (*SECTIONS, "asks", "public")


def ask_key(item: ExceptionItem) -> str:
    """The key of an exception's ask in the narrative file: ``rule:subject``."""
    return f"{item.rule}:{item.subject}"


@dataclass(frozen=True)
class Narrative:
    """The words read from one period's narrative file (empty where absent)."""

    relative_path: str  # as the office sees it: inputs/narrative/2023-08.toml
    exists: bool
    summaries: dict[str, str] = field(default_factory=dict)  # section -> text
    asks: dict[str, str] = field(default_factory=dict)  # "rule:subject" -> text
    findings: tuple[Finding, ...] = ()
    default_ask: str = ""  # [exception] default_ask: for exceptions with no ask of their own
    public_areas: dict[int, str] = field(default_factory=dict)  # [public.areas]: number -> text

    def summary(self, section: str) -> str:
        return self.summaries.get(section, "").strip()

    def placeholder(self, what: str) -> str:
        """The line a reader sees where the office's words are missing: plain words, never a
        file name or key (build lists those for the office)."""
        return f"The office has not yet written {what} for this report."


def paragraphs(text: str) -> list[str]:
    """Split the office's text into paragraphs at blank lines; single line breaks are kept."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [block for block in blocks if block]


def read_narrative(path: Path, relative_path: str) -> Narrative:
    """Read one narrative file. Problems become warning findings naming the file and key."""
    if not path.is_file():
        return Narrative(relative_path, exists=False)
    try:
        raw = tomllib.loads(path.read_text("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        return Narrative(
            relative_path,
            exists=True,
            findings=(_finding("narrative-unreadable", relative_path, error=error),),
        )
    return parse_narrative(raw, relative_path)


def parse_narrative(raw: dict[str, object], relative_path: str) -> Narrative:
    """Validate a parsed narrative file: known sections, text values, one ask per exception."""
    findings: list[Finding] = []
    summaries: dict[str, str] = {}
    asks: dict[str, str] = {}
    default_ask = ""
    public_areas: dict[int, str] = {}
    for key, value in raw.items():
        if key not in _TOP_KEYS:
            findings.append(_unknown(relative_path, key, f"use one of: {', '.join(_TOP_KEYS)}"))
        elif key == "asks":
            asks = _read_asks(value, relative_path, findings)
        elif key == "public" and isinstance(value, dict):
            summaries["public"] = str(value.get("summary", ""))
            public_areas = _read_public(value, relative_path, findings)
        elif isinstance(value, dict) and isinstance(value.get("summary", ""), str):
            summaries[key] = str(value.get("summary", ""))
            allowed = ("summary", "default_ask") if key == "exception" else ("summary",)
            if key == "exception" and isinstance(value.get("default_ask", ""), str):
                default_ask = str(value.get("default_ask", "")).strip()
            findings.extend(
                _unknown(relative_path, f"{key}.{extra}", f"the keys here are {', '.join(allowed)}")
                for extra in value
                if extra not in allowed
            )
        else:
            findings.append(_finding("narrative-invalid", relative_path, key=key))
    return Narrative(
        relative_path, True, summaries, asks, tuple(findings), default_ask, public_areas
    )


def _read_public(
    value: dict[str, object], relative_path: str, findings: list[Finding]
) -> dict[int, str]:
    """[public]: summary = "text", and [public.areas] with the words per area number."""
    areas: dict[int, str] = {}
    for extra in value:
        if extra not in ("summary", "areas"):
            findings.append(
                _unknown(relative_path, f"public.{extra}", "the keys here are summary, areas")
            )
    if not isinstance(value.get("summary", ""), str):
        findings.append(_finding("narrative-invalid", relative_path, variant="public-summary"))
    table = value.get("areas", {})
    entries = table.items() if isinstance(table, dict) else []
    for number, text in entries:
        if str(number).isdigit() and isinstance(text, str):
            areas[int(number)] = text
        else:
            findings.append(
                _finding("narrative-invalid", relative_path, variant="public-area", number=number)
            )
    return areas


def _read_asks(value: object, relative_path: str, findings: list[Finding]) -> dict[str, str]:
    asks: dict[str, str] = {}
    if not isinstance(value, dict):
        findings.append(_finding("narrative-invalid", relative_path, variant="asks"))
        return asks
    for key, entry in value.items():
        if isinstance(entry, dict) and isinstance(entry.get("ask"), str):
            asks[key] = str(entry["ask"])
            findings.extend(
                _unknown(relative_path, f'asks."{key}".{extra}', "the only key here is 'ask'")
                for extra in entry
                if extra != "ask"
            )
        else:
            findings.append(_finding("narrative-invalid", relative_path, variant="ask", key=key))
    return asks


def unmatched_asks(narrative: Narrative, exceptions: list[ExceptionItem]) -> list[Finding]:
    """Asks for exceptions that are not in this period's list: probably a mistyped key."""
    keys = {ask_key(item) for item in exceptions}
    return [
        _finding("narrative-ask-unmatched", narrative.relative_path, key=key)
        for key in narrative.asks
        if key not in keys
    ]


def missing_words(narrative: Narrative, what: str, action_id: str = "") -> Finding:
    """The warning listed by build for each placeholder shown in a report."""
    return _finding("narrative-missing", narrative.relative_path, action_id=action_id, what=what)


def _unknown(relative_path: str, key: str, hint: str) -> Finding:
    return _finding("narrative-unknown-key", relative_path, value=key, hint=hint)


def _finding(
    code: str, relative_path: str, value: str = "", action_id: str = "", **fields: object
) -> Finding:
    """CODE's finding on the narrative file, its message from the registry with FIELDS."""
    return finding(
        code,
        file=relative_path,
        sheet="",
        cell="",
        value=value,
        officer_id="",
        action_id=action_id,
        **fields,
    )
