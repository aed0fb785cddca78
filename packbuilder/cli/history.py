"""``packbuilder history``: the recorded periods listed, history checked, restored from a backup,
or a period taken out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from packbuilder.cli.common import (
    EXIT_CODES_HELP,
    State,
    handles_errors,
    in_workspace,
    new_console,
    parse_period,
)
from packbuilder.errors import EnvironmentProblem

if TYPE_CHECKING:
    from packbuilder.commands.remove_period import Removal


@click.group(
    invoke_without_command=True,
    epilog="Examples:\n\n\b\n  packbuilder history\n  packbuilder history check\n"
    "  packbuilder history restore history-20230901-101500.sqlite\n"
    "  packbuilder history remove 2023-08\n\n" + EXIT_CODES_HELP,
)
@click.pass_context
@handles_errors
def history(ctx: click.Context) -> None:
    """List the periods recorded in history.sqlite, with each build.

    With a command, check history, restore it from backups/, or change what it holds (see
    'packbuilder history COMMAND --help'). A build stopped part way is finished or undone first.
    """
    if ctx.invoked_subcommand is None:
        from packbuilder.console.history import print_history

        state: State = ctx.obj
        config = state.config()
        with in_workspace(config):
            print_history(config, new_console())


@history.command(
    "check", epilog="Example:\n\n\b\n  packbuilder history check\n\n" + EXIT_CODES_HELP
)
@click.pass_obj
@handles_errors
def history_check(state: State) -> None:
    """Run SQLite's integrity check on history.sqlite and on each backup in backups/.

    Says which periods each holds. Exits 3 when history.sqlite is damaged, empty or missing.
    """
    from packbuilder.commands.backups import check_history

    config = state.config()
    console = new_console()
    from packbuilder.lock import holding_workspace

    # Not recovering a stopped build first: that would read history, which may be damaged.
    with holding_workspace(config):
        current, backups = check_history(config)
    name = config.settings.paths.history
    if current.sound:
        console.print(f"{name}: sound; holds {current.holds()}.", markup=False)
    else:
        console.print(f"{name}: {'; '.join(current.problems[:3])}.", markup=False)
    for backup in backups:
        state_words = f"holds {backup.holds()}" if backup.sound else "; ".join(backup.problems[:3])
        console.print(f"  backup {backup.path.name}: {state_words}", markup=False)
    if not backups:
        console.print(f"No backups yet in {config.settings.backups.folder}/.", markup=False)
    if not current.sound:
        raise EnvironmentProblem(
            f"{name} cannot be used",
            hint="Restore a sound backup: packbuilder history restore NAME (from the list above).",
        )


@history.command(
    "restore",
    epilog="Example:\n\n\b\n  packbuilder history restore history-20230901-101500.sqlite\n\n"
    + EXIT_CODES_HELP,
)
@click.argument("backup")
@click.option("--yes", is_flag=True, help="Restore without asking (after showing what it holds).")
@click.pass_obj
@handles_errors
def history_restore(state: State, backup: str, yes: bool) -> None:
    """Put BACKUP (a file in backups/) back as history.sqlite, after showing what it holds.

    The file it replaces is kept in backups/ as history-replaced-DATE-TIME.sqlite. Periods
    built after the backup was taken are listed: rebuild them.
    """
    from packbuilder.commands.backups import HistoryHealth, find_backup, restore_history

    config = state.config()
    console = new_console()
    source = find_backup(config, backup)

    def confirm(checked: HistoryHealth) -> bool:
        console.print(f"{source.name} holds {checked.holds()}.", markup=False)
        if yes:
            return True
        try:
            return click.confirm(f"Replace {config.settings.paths.history} with it?", default=False)
        except click.Abort:
            return False

    restored = restore_history(config, source, confirm)
    if restored is None:
        console.print("Nothing was restored.")
        return
    kept = (
        f"; the file it replaced is kept as {restored.replaced.relative_to(config.root).as_posix()}"
        if restored.replaced is not None
        else ""
    )
    where = config.settings.paths.history
    console.print(f"Restored {where} from {source.name}{kept}.", markup=False)
    if restored.to_rebuild:
        months = ", ".join(str(p) for p in restored.to_rebuild)
        console.print(
            f"Outputs of {months} name builds this backup does not hold: rebuild them.",
            markup=False,
        )


@history.command(
    "remove",
    epilog="Examples:\n\n\b\n  packbuilder history remove 2023-08\n"
    "  packbuilder history remove 2023-08 --yes\n\n" + EXIT_CODES_HELP,
)
@click.argument("period")
@click.option("--yes", is_flag=True, help="Remove without asking (after showing what goes).")
@click.pass_obj
@handles_errors
def history_remove(state: State, period: str, yes: bool) -> None:
    """Take PERIOD (YYYY-MM) out of history.sqlite, keeping its outputs.

    Shows what it removes (every row history holds for the month, its builds too) and asks
    first. The outputs folder is kept, renamed outputs/PERIOD.removed-N. The next build of a
    later month then compares with the month recorded before this one.
    """
    from packbuilder.commands.remove_period import remove_period
    from packbuilder.console.history import print_removal

    config = state.config()
    console = new_console()

    def confirm(removal: Removal) -> bool:
        print_removal(removal, config, console)
        if yes:
            return True
        try:
            return click.confirm(f"Remove {removal.period.label} from history?", default=False)
        except click.Abort:
            return False

    removed = remove_period(config, parse_period(period), confirm)
    if removed is None:
        console.print("Nothing was removed.")
        return
    where = config.settings.paths.history
    kept = (
        f"; its outputs are in {removed.renamed.relative_to(config.root).as_posix()}/"
        if removed.renamed is not None
        else ""
    )
    console.print(f"Removed {removed.period.label} from {where}{kept}.")
