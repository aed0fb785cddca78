"""The command line: parse arguments, call one library function per command, print the result.

Nothing here decides anything about returns, ratings or reports. Heavy modules are imported
inside the commands that need them, so ``--help`` and ``check`` start fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from packbuilder import __version__
from packbuilder.errors import EXIT_FINDINGS, EXIT_OK, PackbuilderError

if TYPE_CHECKING:
    from rich.console import Console

    from packbuilder.config import Config
    from packbuilder.model import CheckReport, Period

EXIT_CODES_HELP = """\b
Exit codes (the same for every command):
  0  the command did its job (warnings and missing returns allowed)
  1  check found errors, or build --strict refused to build
  2  a usage, configuration or plan error
  3  the environment stopped it: an output open in another program,
     the workspace busy with another build, LibreOffice missing for --pdf"""

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


def _period(value: str) -> Period:
    from packbuilder.model import Period

    try:
        return Period.parse(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def handles_errors(command: F) -> F:
    """Turn a PackbuilderError into one message, a hint and the documented exit code."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        state = click.get_current_context().find_object(_State)
        try:
            return command(*args, **kwargs)
        except PackbuilderError as error:
            if state is not None and state.debug:
                raise
            console = _console(stderr=True)
            console.print(f"[bold red]Error:[/] {error.message}", markup=True)
            if error.hint:
                console.print(f"[bold]What to do:[/] {error.hint}")
            sys.exit(error.exit_code)
        except KeyboardInterrupt:
            _console(stderr=True).print("Stopped. Outputs already in place were left as they were.")
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Example:\n\n\b\n  packbuilder -C ~/send-programme build 2023-08\n\n" + EXIT_CODES_HELP,
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
      packbuilder check 2023-08          check what came back; who to chase
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


@main.command(epilog="Example:\n\n\b\n  packbuilder init ~/send-programme\n\n" + EXIT_CODES_HELP)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@handles_errors
def init(directory: Path) -> None:
    """Create a new, empty workspace in DIRECTORY.

    Writes a commented config.toml, inputs/plan.xlsx with its sheets, headers and one example
    row each, the default Word templates and an empty outputs/ folder.
    """
    from packbuilder.workspace import init_workspace

    written = init_workspace(directory)
    console = _console()
    console.print(f"Created a workspace in {directory} ({len(written)} files).")
    console.print(
        f"Next: edit {directory / 'config.toml'} and {directory / 'inputs/plan.xlsx'}, "
        f"then run: packbuilder -C {directory} plan check"
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
@click.pass_obj
@handles_errors
def returns_make(state: _State, period: str, area_leads_only: bool) -> None:
    """Make one pre-filled return per reporting officer for PERIOD (YYYY-MM).

    Writes outputs/PERIOD/returns/ and send-list.csv (officer, email, file, deadline) for a
    mail merge. Area-lead returns are made too unless config says otherwise.
    """
    from packbuilder.returns.make import make_returns

    config = state.config()
    made = make_returns(config, _period(period), area_leads_only=area_leads_only)
    console = _console()
    console.print(
        f"Made {made.officer_count} officer returns and {made.area_count} area-lead returns "
        f"for {_period(period).label} in {made.folder}"
    )
    console.print(f"Send list: {made.send_list}   Deadline: {made.deadline:%d %B %Y}")


@main.command(
    epilog="Examples:\n\n\b\n  packbuilder check 2023-08\n  packbuilder check 2023-08 --json\n\n"
    + EXIT_CODES_HELP
)
@click.argument("period")
@click.option("--json", "as_json", is_flag=True, help="Print findings as JSON (see docs/json.md).")
@click.pass_obj
@handles_errors
def check(state: _State, period: str, as_json: bool) -> None:
    """Check the returns received for PERIOD (YYYY-MM).

    Reads every file in inputs/returns/PERIOD/, matches each to its officer by its hidden
    sheet, and writes validation.xlsx, feedback workbooks and chase-list.csv. Exits 1 when any
    return has errors.
    """
    from packbuilder.checks.outputs import write_check_outputs
    from packbuilder.checks.run import check_period

    config = state.config()
    _warn_long_paths(config, _period(period))
    report = check_period(config, _period(period))
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
@click.option("--strict", is_flag=True, help="Refuse to build while any return has errors.")
@click.option("--force", is_flag=True, help="Replace outputs edited by hand (keeps a copy).")
@click.option("--pdf", is_flag=True, help="Also convert the Word reports to PDF (LibreOffice).")
@click.pass_obj
@handles_errors
def build(state: _State, period: str, strict: bool, force: bool, pdf: bool) -> None:
    """Build the tracker and the Word reports for PERIOD (YYYY-MM).

    Runs check first, merges the valid returns (carrying forward what is missing or wrong),
    records the month in history.sqlite and writes outputs/PERIOD/.
    """
    from packbuilder.build import build_period
    from packbuilder.build_summary import print_build_summary

    config = state.config()
    console = _console()
    _warn_long_paths(config, _period(period))
    result = build_period(
        config, _period(period), strict=strict, force=force, pdf=pdf, console=console
    )
    print_build_summary(result, config, console)


@main.command(epilog="Example:\n\n\b\n  packbuilder history\n\n" + EXIT_CODES_HELP)
@click.pass_obj
@handles_errors
def history(state: _State) -> None:
    """List the periods recorded in history.sqlite, with each build."""
    from packbuilder.history import print_history

    print_history(state.config(), _console())


@main.group(epilog="Example:\n\n\b\n  packbuilder kpis make 2023-08\n\n" + EXIT_CODES_HELP)
def kpis() -> None:
    """KPI returns for the data team."""


@kpis.command(
    "make", epilog="Example:\n\n\b\n  packbuilder kpis make 2023-08\n\n" + EXIT_CODES_HELP
)
@click.argument("period")
@click.pass_obj
@handles_errors
def kpis_make(state: _State, period: str) -> None:
    """Make the KPI return for PERIOD for the data team to fill in.

    Lists every KPI with its unit, frequency, last value and as-at date and the target in
    force, into outputs/PERIOD/returns/.
    """
    from packbuilder.kpis.make import make_kpi_return

    path = make_kpi_return(state.config(), _period(period))
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
