"""History printed for the console: the table ``packbuilder history`` shows, and what
``packbuilder history remove`` would take out.

The CLI calls ``print_history`` for ``packbuilder history`` without a command; it reads the
recorded periods and builds through ``packbuilder.history`` and prints them with rich.
``print_removal`` prints the ``Removal`` that ``packbuilder.commands.remove_period`` hands its
confirmation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from packbuilder.history import History

if TYPE_CHECKING:
    from rich.console import Console

    from packbuilder.commands.remove_period import Removal
    from packbuilder.config import Config


def print_history(config: Config, console: Console) -> None:
    """A table of the recorded periods: last build time, packbuilder version and counts."""
    from rich.table import Table

    with History.open(config) as history:
        periods = history.recorded_periods()
        builds = history.builds()
    if not periods:
        console.print(
            f"No period recorded yet in {config.settings.paths.history}. "
            "Run: packbuilder build PERIOD"
        )
        return
    table = Table(title=f"History: {config.settings.programme.name}")
    for header in ("Period", "Built (UTC)", "Builds", "packbuilder", "Actions"):
        table.add_column(header)
    for header in ("Returns", "Exceptions", "Errors"):
        table.add_column(header, justify="right")
    for period in periods:
        mine = [b for b in builds if b.period == period]
        last = mine[-1]
        counts = last.counts
        table.add_row(
            str(period),
            last.built_at.replace("T", " ")[:16],
            str(len(mine)),
            last.version,
            str(counts.get("actions", 0)),
            f"{counts.get('returns_counted', 0)} of {counts.get('returns_expected', 0)}",
            str(counts.get("exceptions", 0)),
            str(counts.get("errors", 0)),
        )
    console.print(table)


def print_removal(removal: Removal, config: Config, console: Console) -> None:
    """What REMOVAL takes out, where the outputs go, and which later month to rebuild."""
    month = removal.period.label
    console.print(
        f"{config.settings.paths.history} holds {month} ({removal.period}): {removal.rows_text()}."
    )
    if removal.outputs is not None and removal.renamed is not None:
        console.print(
            f"Its outputs folder {removal.outputs.relative_to(config.root).as_posix()}/ is "
            f"kept, renamed {removal.renamed.relative_to(config.root).as_posix()}/."
        )
    else:
        console.print("It has no outputs folder.")
    if removal.after is not None:
        since = (
            f"to compare with {removal.before.label}"
            if removal.before is not None
            else "as the first month recorded"
        )
        console.print(
            f"{removal.after.label} was built comparing with {month}: rebuild it {since}."
        )
