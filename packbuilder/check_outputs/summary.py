"""The console summary of ``check``: counts, findings by code, the files that are not returns,
and who to chase.

Superseded returns and files that are not returns are counted once, in one line, and their
findings are left out of the table (they are in validation.xlsx).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from packbuilder.check_outputs.jsonout import summary_counts
from packbuilder.check_outputs.outputs import chase_rows
from packbuilder.findings import REGISTRY
from packbuilder.model import CheckReport, FileStatus, Plan, Severity

if TYPE_CHECKING:
    from rich.console import Console


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

_STYLE = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def print_check_summary(report: CheckReport, plan: Plan, console: Console) -> None:
    """Returns expected, received, valid, with errors, missing; findings by code; who to chase."""
    from rich.table import Table

    counts = summary_counts(report)
    console.print(f"[bold]Returns for {report.period.label}[/]")
    console.print(
        f"Expected {counts['expected']}, received {counts['received']}, "
        f"valid {counts['valid']}, with errors {counts['with_errors']}, "
        f"missing {counts['missing']}."
    )
    uncounted = not_counted_line(report)
    if uncounted:
        console.print(uncounted)
    by_code = Counter((f.code, f.severity) for f in report.counted_findings())
    if by_code:
        table = Table(title="Findings by code", title_justify="left")
        table.add_column("Code")
        table.add_column("Severity")
        table.add_column("Count", justify="right")
        table.add_column("What")
        for (code, severity), count in sorted(
            by_code.items(), key=lambda item: (_order(item[0][1]), item[0][0])
        ):
            style = _STYLE[severity]
            table.add_row(code, f"[{style}]{severity.value}[/]", str(count), _title(code))
        console.print(table)
    else:
        console.print("No findings.")
    foreign = foreign_lines(report)
    if foreign:
        console.print("[bold]Not returns:[/]")
        console.print("\n".join(f"  {line}" for line in foreign), markup=False)
    notices = [f for f in report.findings if f.code in FOLDER_NOTICES]
    if notices:
        from rich.markup import escape

        console.print("[bold]Not read:[/]")
        for notice in notices:
            console.print(f"  {escape(notice.message)}")
    chase = chase_lines(report, plan)
    if chase:
        console.print("[bold]Still to chase:[/]")
        # One print of every line, each rendered as its own print would render it: a print
        # call costs about 0.3 ms, and a large programme's empty folder lists thousands.
        from rich.text import Text

        console.print(Text("\n").join(console.render_str(f"  {line}") for line in chase))


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
        f"{file.name}: {_title(file.findings[0].code) if file.findings else 'not a return'}"
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


def _title(code: str) -> str:
    """What a code means, from the findings registry."""
    return REGISTRY[code].title if code in REGISTRY else code


def _order(severity: Severity) -> int:
    return {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}[severity]
