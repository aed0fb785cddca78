"""The console summary of ``check``: counts, findings by code, the files that are not returns,
and who to chase.

Superseded returns and files that are not returns are counted once, in one line, and their
findings are left out of the table (they are in validation.xlsx).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from packbuilder.check_outputs.jsonout import summary_counts
from packbuilder.check_outputs.summary import (
    FOLDER_NOTICES,
    chase_lines,
    code_title,
    foreign_lines,
    not_counted_line,
)
from packbuilder.model import CheckReport, Plan, Severity

if TYPE_CHECKING:
    from rich.console import Console

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
            table.add_row(code, f"[{style}]{severity.value}[/]", str(count), code_title(code))
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


def _order(severity: Severity) -> int:
    return {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}[severity]
