"""What ``check`` found, in the words every output uses: the files not counted, the files that
are not returns, and who to chase (the console, the tracker and the reports all say it so).

Superseded returns and files that are not returns are counted once, in one line, and their
findings are left out of the table (they are in validation.xlsx).
"""

from __future__ import annotations

from packbuilder.check_outputs.outputs import chase_rows
from packbuilder.findings import REGISTRY
from packbuilder.model import CheckReport, FileStatus, Plan

# Findings about what was left unread around the period's folder: each is printed in words,
# since a count by code would not say which file to move or which row to correct.
FOLDER_NOTICES = frozenset(
    {
        "return-in-wrong-folder",
        "received-row-unmatched",
        "received-time-unreadable",
        "received-csv-headers",
    }
)


def not_counted_line(report: CheckReport) -> str:
    """Superseded returns and files that are not returns, counted once each: they count in no
    total, and their findings are in validation.xlsx. "" when there are none."""
    parts = []
    superseded = len(report.superseded())
    if superseded:
        parts.append(f"{superseded:,} superseded {'return' if superseded == 1 else 'returns'}")
    others = len(report.not_returns())
    if others:
        parts.append(not_returns_phrase(others))
    return f"Not counted: {'; '.join(parts)}: see validation.xlsx." if parts else ""


def not_returns_phrase(count: int) -> str:
    """'1,357 files that are not returns', in the same words wherever the count is shown."""
    what = "file that is not a return" if count == 1 else "files that are not returns"
    return f"{count:,} {what}"


# How many files that are not returns the console names; validation.xlsx lists them all.
FOREIGN_SHOWN = 20


def foreign_lines(report: CheckReport, limit: int = FOREIGN_SHOWN) -> list[str]:
    """One line per file that is not a return (what it is), at most LIMIT and a line for more."""
    foreign = [f for f in report.files if f.status is FileStatus.NOT_A_RETURN]
    lines = [
        f"{file.name}: {code_title(file.findings[0].code) if file.findings else 'not a return'}"
        for file in foreign[:limit]
    ]
    if len(foreign) > limit:
        lines.append(f"and {len(foreign) - limit} more: see validation.xlsx")
    return lines


def chase_lines(report: CheckReport, plan: Plan) -> list[str]:
    """One line per officer still to chase: who, their email where known, and why."""
    lines = []
    for officer, email, reason, file in chase_rows(report, plan):
        contact = f" <{email}>" if email else ""
        what = "no return" if reason == "missing" else f"errors in {file}"
        lines.append(f"{officer}{contact}: {what}")
    return lines


def code_title(code: str) -> str:
    """What a code means, from the findings registry."""
    return REGISTRY[code].title if code in REGISTRY else code
