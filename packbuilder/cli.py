"""The command line: parse arguments, call one library function per command, print the result.

Nothing here decides anything about returns, ratings or reports. Heavy modules are imported
inside the commands that need them, so ``--help`` and ``check`` start fast.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from packbuilder import __version__
from packbuilder.errors import (
    EXIT_ENVIRONMENT,
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    EnvironmentProblem,
    PackbuilderError,
    Stopped,
    environment_fault,
)

if TYPE_CHECKING:
    from rich.console import Console

    from packbuilder.config import Config
    from packbuilder.history_remove import Removal
    from packbuilder.mail.send import Mailing
    from packbuilder.model import CheckReport, Period

EXIT_CODES_HELP = """\b
Exit codes (the same for every command):
  0  the command did its job (warnings and missing returns allowed)
  1  check found errors, or build --strict refused to build
  2  a usage, configuration or plan error
  3  the environment stopped it: an output open in another program,
     the workspace busy with another command, LibreOffice missing for
     --pdf, no space, no permission, a damaged history
  130, 143, 129  stopped by SIGINT (Ctrl+C), SIGTERM or SIGHUP"""

F = TypeVar("F", bound=Callable[..., Any])


class _State:
    def __init__(self, workspace: Path, debug: bool) -> None:
        self.workspace = workspace
        self.debug = debug

    def config(self) -> Config:
        from packbuilder.config import load_config

        return load_config(self.workspace)


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    # Rich colours only on a terminal and honours NO_COLOR; width fixed off a terminal so
    # piped output and tests read the same everywhere.
    # Error lines are never wrapped, so a message stays one line however long its path.
    width = None if sys.stdout.isatty() else 100
    return Console(stderr=stderr, width=width, highlight=False, soft_wrap=stderr)


def _warn_long_paths(config: Config, period: Period | None, names: list[str] | None = None) -> None:
    """Warn (on stderr, so --json stays whole) when a path is too long for Excel on Windows."""
    from packbuilder.paths import long_path_warning

    warning = long_path_warning(config, period, names or ())
    if warning:
        _console(stderr=True).print(f"[bold yellow]Warning:[/] {warning}", markup=True)


@contextlib.contextmanager
def _workspace(config: Config, reads_history: bool = True) -> Iterator[None]:
    """Hold the workspace lock for a command that writes, finishing or undoing any build that
    was stopped first (each said on stderr, so --json output stays clean), and refusing a
    damaged, empty or lost history before a command that reads it starts."""
    from packbuilder.build import recover_interrupted_builds
    from packbuilder.history import admit_history_file
    from packbuilder.lock import holding_workspace

    with holding_workspace(config):
        if reads_history:
            admit_history_file(config)
        for message in recover_interrupted_builds(config):
            _console(stderr=True).print(message, markup=False)
        yield


def _period(value: str) -> Period:
    from packbuilder.model import Period

    try:
        return Period.parse(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _admitted(config: Config, value: str, future: bool) -> Period:
    """PERIOD parsed, and refused when it is before periods.first or too far ahead."""
    from packbuilder.periods import admit_period

    period = _period(value)
    admit_period(config.first_period, period, future=future)
    return period


future_option = click.option(
    "--future",
    is_flag=True,
    help="Allow a period that starts after the end of next month (refused otherwise, as a "
    "likely typo).",
)


def handles_errors(command: F) -> F:
    """Turn a PackbuilderError into one message, a hint and the documented exit code."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        state = click.get_current_context().find_object(_State)
        debug = state is not None and state.debug
        try:
            with _signals_stop_the_command():
                return command(*args, **kwargs)
        except PackbuilderError as error:
            if debug:
                raise
            _print_error(error)
            sys.exit(error.exit_code)
        except Exception as error:  # only the environment's faults; the rest is re-raised
            fault = environment_fault(error)
            if fault is None or debug:
                raise
            _print_error(fault)
            sys.exit(fault.exit_code)
        except KeyboardInterrupt as stopped:
            _console(stderr=True).print("Stopped. Outputs already in place were left as they were.")
            sys.exit(128 + stopped.signal_number if isinstance(stopped, Stopped) else 130)

    return wrapper  # type: ignore[return-value]


def _print_error(error: PackbuilderError) -> None:
    from rich.markup import escape

    console = _console(stderr=True)
    # Escaped: a message may quote "[email.smtp]" or a file name with brackets.
    console.print(f"[bold red]Error:[/] {escape(error.message)}", markup=True)
    if error.hint:
        console.print(f"[bold]What to do:[/] {escape(error.hint)}")


@contextlib.contextmanager
def _signals_stop_the_command() -> Iterator[None]:
    """SIGTERM and SIGHUP raise Stopped, so they end a command as Ctrl+C does.

    Only in this process: a forked worker that inherits the handler dies by the signal, as it
    did before. Windows has neither signal; there nothing is installed.
    """
    import os
    import signal
    import threading

    names = [n for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)]
    if not names or threading.current_thread() is not threading.main_thread():
        yield
        return
    owner = os.getpid()

    def stop(number: int, frame: object) -> None:
        if os.getpid() != owner:
            signal.signal(number, signal.SIG_DFL)
            os.kill(os.getpid(), number)
            return
        raise Stopped(number)

    numbers = [getattr(signal, n) for n in names]
    previous = {number: signal.signal(number, stop) for number in numbers}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Example:\n\n\b\n  packbuilder -C ~/improvement-plan build 2023-08\n\n"
    + EXIT_CODES_HELP,
)
@click.version_option(__version__, "--version", prog_name="packbuilder")
@click.option(
    "-C",
    "--workspace",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default="the current folder",
    help="The workspace folder (the one holding config.toml).",
)
@click.option("--debug", is_flag=True, help="Show a traceback for errors (for reporting bugs).")
@click.pass_context
def main(ctx: click.Context, workspace: Path, debug: bool) -> None:
    """Monthly returns, checks, master tracker and Word packs for an improvement plan.

    \b
    The monthly cycle:
      packbuilder returns make 2023-08   pre-filled returns for every officer
      packbuilder returns send 2023-08   an email (draft) per officer, return attached
      packbuilder returns collect 2023-08 SAVED-EMAILS   returns from replies into inputs/
      packbuilder check 2023-08          check what came back; who to chase
      packbuilder returns chase 2023-08  reminders and feedback emails
      packbuilder build 2023-08          tracker, assurance and exception reports
    """
    ctx.obj = _State(workspace, debug)
    _never_fail_on_a_character()
    # A library's warnings (openpyxl's about features it skips) are for its developers; an
    # office would read them, with their site-packages paths, as something going wrong.
    import warnings

    warnings.filterwarnings("ignore", module=r"openpyxl(\.|$)")


def _never_fail_on_a_character() -> None:
    """A console that cannot show a character (cp1252 on Windows, or output redirected there)
    prints a replacement for it instead of stopping the command with UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


@main.command(epilog="Example:\n\n\b\n  packbuilder init ~/improvement-plan\n\n" + EXIT_CODES_HELP)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@handles_errors
def init(directory: Path) -> None:
    """Create a new, empty workspace in DIRECTORY (not inside another workspace).

    Writes a commented config.toml whose programme starts this month, inputs/plan.xlsx with an
    Instructions sheet, its sheets, headers and one example row each to replace (see
    docs/plan-register.md), the default Word templates and an empty outputs/ folder.
    """
    from packbuilder.workspace import init_workspace

    written = init_workspace(directory)
    console = _console()
    console.print(f"Created a workspace in {directory} ({len(written)} files).")
    console.print(
        f"Next: put your programme's and board's names in {directory / 'config.toml'}, replace "
        f"the example rows in {directory / 'inputs/plan.xlsx'} (its Instructions sheet says "
        f"how), then run: packbuilder -C {directory} plan check"
    )


@main.group(epilog="Example:\n\n\b\n  packbuilder plan check\n\n" + EXIT_CODES_HELP)
def plan() -> None:
    """The plan register (inputs/plan.xlsx)."""


@plan.command("check", epilog="Example:\n\n\b\n  packbuilder plan check\n\n" + EXIT_CODES_HELP)
@click.pass_obj
@handles_errors
def plan_check(state: _State) -> None:
    """Load the plan register, list its problems and count its contents.

    Counts actions per area of weakness, sub-theme, officer and rating, and reports every
    problem with its sheet and cell. Exits 2 when the plan has errors.
    """
    from packbuilder.kpis.targets import review_plan
    from packbuilder.plan.summary import print_plan_summary

    config = state.config()
    loaded = review_plan(config)
    print_plan_summary(loaded, _console())
    _warn_long_paths(config, None, [o.name for o in loaded.plan.officers])
    if loaded.errors:
        sys.exit(2)


@main.group(epilog="Example:\n\n\b\n  packbuilder returns make 2023-08\n\n" + EXIT_CODES_HELP)
def returns() -> None:
    """Officers' return workbooks."""


@returns.command(
    "make",
    epilog="Examples:\n\n\b\n  packbuilder returns make 2023-08\n"
    "  packbuilder returns make 2023-08 --area-leads\n\n" + EXIT_CODES_HELP,
)
@click.argument("period")
@click.option(
    "--area-leads",
    "area_leads_only",
    is_flag=True,
    help="Make only the area-lead returns (run after check, so leads see this month's ratings).",
)
@future_option
@click.pass_obj
@handles_errors
def returns_make(state: _State, period: str, area_leads_only: bool, future: bool) -> None:
    """Make one pre-filled return per reporting officer for PERIOD (YYYY-MM).

    Writes outputs/PERIOD/returns/ and send-list.csv (officer, email, file, deadline,
    officer_id, area) for a mail merge or 'returns send'. Area-lead returns are made too
    unless config says otherwise.
    """
    from packbuilder.commands.returns import make_returns

    config = state.config()
    month = _admitted(config, period, future)
    with _workspace(config):
        made = make_returns(config, month, area_leads_only=area_leads_only)
    console = _console()
    console.print(
        f"Made {made.officer_count} officer returns and {made.area_count} area-lead returns "
        f"for {month.label} in {made.folder}"
    )
    console.print(f"Send list: {made.send_list}   Deadline: {made.deadline:%d %B %Y}")


def _smtp_options(command: F) -> F:
    command = click.option(
        "--resend",
        multiple=True,
        metavar="NAME",
        help="Send this one again (an officer ID, or area-N), even if sent.csv says it went.",
    )(command)
    return click.option(
        "--smtp",
        is_flag=True,
        help="Also send through the SMTP server in config.toml, recording each in sent.csv.",
    )(command)


@returns.command(
    "send",
    epilog="Examples:\n\n\b\n  packbuilder returns send 2023-08\n"
    "  packbuilder returns send 2023-08 --smtp\n\n" + EXIT_CODES_HELP,
)
@click.argument("period")
@_smtp_options
@click.pass_obj
@handles_errors
def returns_send(state: _State, period: str, smtp: bool, resend: tuple[str, ...]) -> None:
    """Write an email for every return made for PERIOD, with the return attached.

    Drafts (.eml, opened by Outlook as ready to send) go to outputs/PERIOD/emails/returns/;
    no mail login is needed. With --smtp they are also sent, never twice on a rerun. Exits 3
    when a message could not be sent (see docs/email.md).
    """
    from packbuilder.mail.send import send_returns

    config = state.config()
    with _workspace(config, reads_history=False):
        mailing = send_returns(config, _period(period), smtp=smtp, resend=resend)
    _print_mailing(mailing, config, "emails with returns")


@returns.command(
    "collect",
    epilog="Examples:\n\n\b\n  packbuilder returns collect 2023-08 ~/saved-emails\n"
    "  packbuilder returns collect 2023-08 reply.eml reply.msg Return.xlsx\n\n" + EXIT_CODES_HELP,
)
@click.argument("period")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_obj
@handles_errors
def returns_collect(state: _State, period: str, sources: tuple[Path, ...]) -> None:
    """Put the returns in saved emails (.eml, .msg), folders of them, or workbooks into
    inputs/returns/PERIOD/, with when each arrived in collected.csv.

    Never overwrites or removes a file; identical files are skipped; anything that is not a
    spreadsheet is listed and left. Exits 2 when an email or attachment was refused.
    """
    from packbuilder.mail.collect import collect_returns

    config = state.config()
    with _workspace(config, reads_history=False):
        collection = collect_returns(config, _period(period), list(sources))
    console = _console()
    for placed in collection.placed:
        received = f"received {placed.received}" if placed.received else "no time of receipt"
        added = f"Added {placed.path.relative_to(config.root)} ({received})"
        console.print(added, markup=False, soft_wrap=True)
    for found in collection.findings:
        line = f"{found.severity.value}: {found.message} [{found.code}]"
        console.print(line, markup=False, soft_wrap=True)
    console.print(
        f"Collected {_count(len(collection.placed), 'return')} from "
        f"{_count(collection.emails, 'saved email')}."
    )
    if collection.refused:
        sys.exit(EXIT_USAGE)


@returns.command(
    "chase",
    epilog="Examples:\n\n\b\n  packbuilder returns chase 2023-08\n"
    "  packbuilder returns chase 2023-08 --smtp\n\n" + EXIT_CODES_HELP,
)
@click.argument("period")
@_smtp_options
@click.pass_obj
@handles_errors
def returns_chase(state: _State, period: str, smtp: bool, resend: tuple[str, ...]) -> None:
    """Check PERIOD afresh, then write reminders and feedback emails.

    An officer with no return gets a reminder with the return attached again; one whose
    return has errors gets the feedback workbook and what to fix; one whose return is valid
    gets nothing. Drafts go to outputs/PERIOD/emails/chase/; --smtp sends them.
    """
    from packbuilder.checks.outputs import write_check_outputs
    from packbuilder.commands.check import check_period
    from packbuilder.mail.chase import chase_returns

    config = state.config()
    with _workspace(config):
        report = check_period(config, _period(period))
        written = write_check_outputs(config, report)
        mailing = chase_returns(config, report, written.feedback, smtp=smtp, resend=resend)
    _print_mailing(mailing, config, "reminders and feedback emails")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _print_mailing(mailing: Mailing, config: Config, what: str) -> None:
    console = _console()
    console.print(
        f"Wrote {len(mailing.drafts)} {what} as drafts in {mailing.folder.relative_to(config.root)}"
    )
    for letter in mailing.without_address:
        console.print(
            f"No usable email address in the plan for {letter.recipient_name}: draft has no To",
            markup=False,
        )
    failed = False
    for outcome in mailing.outcomes:
        detail = f" ({outcome.detail})" if outcome.detail else ""
        line = f"{outcome.status}: {outcome.letter.name}{detail}"
        console.print(line, markup=False, soft_wrap=True)
        failed = failed or outcome.status in ("refused", "failed", "unknown")
    if mailing.sent_csv is not None:
        console.print(f"Record: {mailing.sent_csv.relative_to(config.root)}")
    if failed:
        sys.exit(EXIT_ENVIRONMENT)


@main.command(
    epilog="Examples:\n\n\b\n  packbuilder check 2023-08\n  packbuilder check 2023-08 --json\n\n"
    + EXIT_CODES_HELP
)
@click.argument("period")
@click.option("--json", "as_json", is_flag=True, help="Print findings as JSON (see docs/json.md).")
@future_option
@click.pass_obj
@handles_errors
def check(state: _State, period: str, as_json: bool, future: bool) -> None:
    """Check the returns received for PERIOD (YYYY-MM).

    Reads every file in inputs/returns/PERIOD/, matches each to its officer by its hidden
    sheet, and writes validation.xlsx, feedback workbooks and chase-list.csv. Exits 1 when any
    return has errors.
    """
    from packbuilder.checks.outputs import write_check_outputs
    from packbuilder.commands.check import check_period

    config = state.config()
    month = _admitted(config, period, future)
    _warn_long_paths(config, month)
    with _workspace(config):
        report = check_period(config, month)
        written = write_check_outputs(config, report)
    if as_json:
        from packbuilder.checks.jsonout import report_json

        # JSON is UTF-8 whatever the console's code page, for whatever program reads it.
        document = report_json(report, config)
        binary = getattr(sys.stdout, "buffer", None)
        if binary is None:  # a stream of text only: it takes the text as it is
            click.echo(document)
        else:
            sys.stdout.flush()
            binary.write(document.encode("utf-8") + b"\n")
            binary.flush()
    else:
        _print_check(report, config, written.validation, _console())
    sys.exit(EXIT_OK if report.valid else EXIT_FINDINGS)


def _print_check(report: CheckReport, config: Config, validation: Path, console: Console) -> None:
    from packbuilder.checks.summary import print_check_summary

    print_check_summary(report, config, console)
    console.print(f"Every finding: {validation.relative_to(config.root)}")


@main.command(
    epilog="Examples:\n\n\b\n  packbuilder build 2023-08\n"
    "  packbuilder build 2023-08 --strict --pdf\n\n" + EXIT_CODES_HELP
)
@click.argument("period")
@click.option(
    "--strict",
    is_flag=True,
    help="Refuse to build while any return has errors, or while the office's own words "
    "(inputs/narrative/PERIOD.toml) are missing from the reports.",
)
@click.option("--force", is_flag=True, help="Replace outputs edited by hand (keeps a copy).")
@click.option("--pdf", is_flag=True, help="Also convert the Word reports to PDF (LibreOffice).")
@future_option
@click.pass_obj
@handles_errors
def build(state: _State, period: str, strict: bool, force: bool, pdf: bool, future: bool) -> None:
    """Build the tracker and the Word reports for PERIOD (YYYY-MM).

    Runs check first, merges the valid returns (carrying forward what is missing or wrong),
    records the month in history.sqlite and writes outputs/PERIOD/.
    """
    from packbuilder.build import build_period
    from packbuilder.build_summary import print_build_summary

    config = state.config()
    console = _console()
    month = _admitted(config, period, future)
    _warn_long_paths(config, month)
    result = build_period(config, month, strict=strict, force=force, pdf=pdf, console=console)
    print_build_summary(result, config, console)


@main.command(epilog="Example:\n\n\b\n  packbuilder publish 2023-08\n\n" + EXIT_CODES_HELP)
@click.argument("period")
@click.pass_obj
@handles_errors
def publish(state: _State, period: str) -> None:
    """Rewrite the families' page and the board's dashboard for PERIOD (YYYY-MM).

    Writes outputs/PERIOD/site/ from what history recorded for the month, as one set, and
    updates the manifest's entries for it. 'build' writes the site too.
    """
    from packbuilder.publish import publish_period

    config = state.config()
    published = publish_period(config, _period(period))
    console = _console()
    site = config.outputs_dir(published.period) / "site"
    console.print(
        f"Published {published.period.label}: {len(published.pages)} pages in "
        f"{site.relative_to(config.root).as_posix()}/"
    )
    for page in published.pages:
        console.print(f"  {page.relative_to(config.root).as_posix()}")


@main.group(
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

        state: _State = ctx.obj
        config = state.config()
        with _workspace(config):
            print_history(config, _console())


@history.command(
    "check", epilog="Example:\n\n\b\n  packbuilder history check\n\n" + EXIT_CODES_HELP
)
@click.pass_obj
@handles_errors
def history_check(state: _State) -> None:
    """Run SQLite's integrity check on history.sqlite and on each backup in backups/.

    Says which periods each holds. Exits 3 when history.sqlite is damaged, empty or missing.
    """
    from packbuilder.history_backup import check_history

    config = state.config()
    console = _console()
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
def history_restore(state: _State, backup: str, yes: bool) -> None:
    """Put BACKUP (a file in backups/) back as history.sqlite, after showing what it holds.

    The file it replaces is kept in backups/ as history-replaced-DATE-TIME.sqlite. Periods
    built after the backup was taken are listed: rebuild them.
    """
    from packbuilder.history_backup import HistoryHealth, find_backup, restore_history

    config = state.config()
    console = _console()
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
def history_remove(state: _State, period: str, yes: bool) -> None:
    """Take PERIOD (YYYY-MM) out of history.sqlite, keeping its outputs.

    Shows what it removes (every row history holds for the month, its builds too) and asks
    first. The outputs folder is kept, renamed outputs/PERIOD.removed-N. The next build of a
    later month then compares with the month recorded before this one.
    """
    from packbuilder.history_remove import print_removal, remove_period

    config = state.config()
    console = _console()

    def confirm(removal: Removal) -> bool:
        print_removal(removal, config, console)
        if yes:
            return True
        try:
            return click.confirm(f"Remove {removal.period.label} from history?", default=False)
        except click.Abort:
            return False

    removed = remove_period(config, _period(period), confirm)
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


@main.command(epilog="Example:\n\n\b\n  packbuilder review 2023-07 2023-12\n\n" + EXIT_CODES_HELP)
@click.argument("first", metavar="FROM")
@click.argument("last", metavar="TO")
@click.pass_obj
@handles_errors
def review(state: _State, first: str, last: str) -> None:
    """Write the DfE six-month review pack for the recorded months FROM to TO (YYYY-MM).

    Reads history alone (no return is read again) and the evidence documents in
    inputs/evidence/, and writes outputs/review-FROM-TO/: the Word pack, the evidence
    workbook, a copy of every evidence file and manifest.json.
    """
    from packbuilder.make_review import make_review

    config = state.config()
    console = _console()
    written = make_review(config, _period(first), _period(last))
    folder = written.folder.relative_to(config.root).as_posix()
    console.print(f"Wrote {folder}/:", markup=False)
    for path in (written.pack, written.workbook):
        console.print(f"  {path.name}", markup=False)
    bank = written.bank
    console.print(
        f"Evidence: {len(bank.files)} files copied, {len(bank.unmapped)} not mapped to an "
        "action or area"
    )
    for item in bank.files:
        if item.note:
            console.print(f"  {item.name}: {item.note}", markup=False, soft_wrap=True)
    for problem in bank.problems:
        console.print(f"  {problem}", markup=False, soft_wrap=True)
    if written.template_note:
        console.print(written.template_note, markup=False, soft_wrap=True)


@main.group(epilog="Example:\n\n\b\n  packbuilder kpis make 2023-08\n\n" + EXIT_CODES_HELP)
def kpis() -> None:
    """KPI returns for the data team."""


@kpis.command(
    "make", epilog="Example:\n\n\b\n  packbuilder kpis make 2023-08\n\n" + EXIT_CODES_HELP
)
@click.argument("period")
@future_option
@click.pass_obj
@handles_errors
def kpis_make(state: _State, period: str, future: bool) -> None:
    """Make the KPI return for PERIOD for the data team to fill in.

    Lists every KPI with its unit, frequency, last value and as-at date and the target in
    force, into outputs/PERIOD/returns/.
    """
    from packbuilder.commands.kpi_return import make_kpi_return

    config = state.config()
    month = _admitted(config, period, future)
    with _workspace(config):
        path = make_kpi_return(config, month)
    _console().print(f"Made the KPI return: {path}")


def run() -> None:
    """The packbuilder command: main, then an exit that does not tidy up the heap.

    By the time a command returns, every output is written, moved into place and closed and
    every worker process has stopped. A large check or build still holds hundreds of megabytes
    of small objects, which Python would free one by one as it exits (a fifth of a second for
    6,000 returns). So, once stdout and stderr are flushed, the process ends at once with the
    command's exit code, as mypy's command does. Tests call ``main`` and are unaffected.
    """
    import contextlib
    import os

    try:
        main.main(prog_name="packbuilder")
    except SystemExit as done:
        code = done.code
        if code is None:
            code = 0
        elif not isinstance(code, int):  # sys.exit("message"): printed, exit status 1
            print(code, file=sys.stderr)
            code = 1
        for stream in (sys.stdout, sys.stderr):
            # A reader that stopped early (| head), or a stream already closed.
            with contextlib.suppress(BrokenPipeError, ValueError):
                stream.flush()
        os._exit(code)
