"""``packbuilder history remove PERIOD``: take a month out of history, keeping its outputs.

For a month built by mistake (a mistyped year before periods were checked, say) or built too
early. Every row history holds for the month goes, in every table, its builds too, so the next
build compares with the month recorded before it. Its outputs folder is kept, renamed
``PERIOD.removed-N`` (N the first free number), so nothing the office sent is lost and a new
build of the month starts clean. It holds the workspace lock, as ``build`` does, from the
moment it reads what it will remove until the rows are gone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from packbuilder.commands.backups import back_up_history
from packbuilder.commands.recovery import recover_interrupted_build
from packbuilder.config import Config
from packbuilder.errors import EnvironmentProblem, PeriodError
from packbuilder.history import History
from packbuilder.lock import holding_workspace
from packbuilder.model import Period

# History's tables in the words the office uses; a table added later shows by its name.
TABLE_WORDS = {
    "builds": ("build", "builds"),
    "plan_snapshots": ("plan snapshot", "plan snapshots"),
    "action_rows": ("action row", "action rows"),
    "value_sources": ("value source", "value sources"),
    "area_commentary": ("area commentary", "area commentaries"),
    "exceptions": ("exception", "exceptions"),
    "kpi_values": ("KPI value", "KPI values"),
    "risks": ("risk", "risks"),
}


@dataclass(frozen=True)
class Removal:
    """What removing a period takes out of history, and what becomes of its outputs."""

    period: Period
    rows: dict[str, int]  # table -> rows for the period
    outputs: Path | None  # the period's outputs folder, when there is one
    renamed: Path | None  # where that folder goes
    before: Period | None  # the recorded month before it
    after: Period | None  # the recorded month after it, when it was built comparing with it

    def rows_text(self) -> str:
        """ "116 action rows, 12 risks, 2 builds", in the tables' order."""
        parts = []
        for table, count in self.rows.items():
            one, many = TABLE_WORDS.get(table, (f"row in {table}", f"rows in {table}"))
            parts.append(f"{count:,} {one if count == 1 else many}")
        return ", ".join(parts)


def removed_name(folder: Path) -> Path:
    """FOLDER.removed-N beside FOLDER, N the first number not taken."""
    number = 1
    while folder.with_name(f"{folder.name}.removed-{number}").exists():
        number += 1
    return folder.with_name(f"{folder.name}.removed-{number}")


def remove_period(
    config: Config, period: Period, confirm: Callable[[Removal], bool]
) -> Removal | None:
    """Remove PERIOD from history once CONFIRM agrees; None when it does not.

    Refuses a period history does not hold. The rows are deleted inside one transaction that
    commits only once the outputs folder is renamed, so either both happen or neither.
    """
    with holding_workspace(config):
        recover_interrupted_build(config, period)
        with History.open(config) as history:
            removal = _describe(config, history, period)
            if not confirm(removal):
                return None
            outputs, renamed = removal.outputs, removal.renamed
            back_up_history(config)
            history.begin()
            try:
                history.remove(period)
                if outputs is not None and renamed is not None:
                    _rename(outputs, renamed, config)
                history.commit()
            except BaseException:
                history.rollback()
                if outputs is not None and renamed is not None and renamed.is_dir():
                    renamed.rename(outputs)
                raise
        return removal


def _describe(config: Config, history: History, period: Period) -> Removal:
    rows = history.period_rows(period)
    if not rows:
        recorded = history.recorded_periods()
        held = ", ".join(str(p) for p in recorded) if recorded else "none"
        raise PeriodError(
            f"{period} is not recorded in {config.settings.paths.history} (recorded: {held}), "
            "so nothing was removed",
            hint="Run 'packbuilder history' to list the recorded periods.",
        )
    order = [t for t in TABLE_WORDS if t in rows] + sorted(t for t in rows if t not in TABLE_WORDS)
    recorded = [p for p in history.recorded_periods() if p != period]
    folder = config.outputs_dir(period)
    outputs = folder if folder.is_dir() else None
    after = min((p for p in recorded if p > period), default=None)
    # The next month compared with this one only if it was last built after it.
    last_built = {b.period: index for index, b in enumerate(history.builds())}
    if after is not None and last_built.get(after, -1) < last_built.get(period, -1):
        after = None
    return Removal(
        period=period,
        rows={t: rows[t] for t in order},
        outputs=outputs,
        renamed=removed_name(folder) if outputs is not None else None,
        before=max((p for p in recorded if p < period), default=None),
        after=after,
    )


def _rename(folder: Path, renamed: Path, config: Config) -> None:
    try:
        folder.rename(renamed)
    except OSError as error:
        raise EnvironmentProblem(
            f"{folder.relative_to(config.root).as_posix()} could not be renamed "
            f"({error.strerror}), so nothing was removed",
            hint="Close any file from that folder open in another program (Excel or Word, "
            "say) and run the command again.",
        ) from None
