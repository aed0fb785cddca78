"""The command line: parse arguments, call one library function per command, print the result.

Nothing here decides anything about returns, ratings or reports. The commands live beside this
module by group (``returns``, ``month``, ``history``) over what they share (``common``); here
are the ``packbuilder`` group itself, ``init`` and the process's exit. Heavy modules are
imported inside the commands that need them, so ``--help`` and ``check`` start fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from packbuilder import __version__
from packbuilder.cli import history, month, returns
from packbuilder.cli.common import EXIT_CODES_HELP, State, handles_errors, new_console

__all__ = ["EXIT_CODES_HELP", "main", "run"]


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
    ctx.obj = State(workspace, debug)
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
    from packbuilder.commands.init import init_workspace

    written = init_workspace(directory)
    console = new_console()
    console.print(f"Created a workspace in {directory} ({len(written)} files).")
    console.print(
        f"Next: put your programme's and board's names in {directory / 'config.toml'}, replace "
        f"the example rows in {directory / 'inputs/plan.xlsx'} (its Instructions sheet says "
        f"how), then run: packbuilder -C {directory} plan check"
    )


main.add_command(returns.plan)
main.add_command(returns.returns)
main.add_command(returns.kpis)
main.add_command(month.check)
main.add_command(month.build)
main.add_command(month.publish)
main.add_command(month.review)
main.add_command(history.history)


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
