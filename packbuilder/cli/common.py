"""What every command of the CLI shares: the workspace it runs in, its console, its period
argument and the one way an error becomes a message, a hint and an exit code.

Imported by each command module of ``packbuilder.cli``; nothing here decides anything about
returns, ratings or reports.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from packbuilder.errors import PackbuilderError, Stopped, environment_fault

if TYPE_CHECKING:
    from rich.console import Console

    from packbuilder.config import Config
    from packbuilder.model import Period

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


class State:
    def __init__(self, workspace: Path, debug: bool) -> None:
        self.workspace = workspace
        self.debug = debug

    def config(self) -> Config:
        from packbuilder.config import load_config

        return load_config(self.workspace)


def new_console(stderr: bool = False) -> Console:
    from rich.console import Console

    # Rich colours only on a terminal and honours NO_COLOR; width fixed off a terminal so
    # piped output and tests read the same everywhere.
    # Error lines are never wrapped, so a message stays one line however long its path.
    width = None if sys.stdout.isatty() else 100
    return Console(stderr=stderr, width=width, highlight=False, soft_wrap=stderr)


def warn_long_paths(config: Config, period: Period | None, names: list[str] | None = None) -> None:
    """Warn (on stderr, so --json stays whole) when a path is too long for Excel on Windows."""
    from packbuilder.paths import long_path_warning

    warning = long_path_warning(config, period, names or ())
    if warning:
        new_console(stderr=True).print(f"[bold yellow]Warning:[/] {warning}", markup=True)


@contextlib.contextmanager
def in_workspace(config: Config, reads_history: bool = True) -> Iterator[None]:
    """Hold the workspace lock for a command that writes, finishing or undoing any build that
    was stopped first (each said on stderr, so --json output stays clean), and refusing a
    damaged, empty or lost history before a command that reads it starts."""
    from packbuilder.commands.recovery import recover_interrupted_builds
    from packbuilder.history import admit_history_file
    from packbuilder.lock import holding_workspace

    with holding_workspace(config):
        if reads_history:
            admit_history_file(config)
        for message in recover_interrupted_builds(config):
            new_console(stderr=True).print(message, markup=False)
        yield


def parse_period(value: str) -> Period:
    from packbuilder.model import Period

    try:
        return Period.parse(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def admitted_period(config: Config, value: str, future: bool) -> Period:
    """PERIOD parsed, and refused when it is before periods.first or too far ahead."""
    from packbuilder.periods import admit_period

    period = parse_period(value)
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
        state = click.get_current_context().find_object(State)
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
            new_console(stderr=True).print(
                "Stopped. Outputs already in place were left as they were."
            )
            sys.exit(128 + stopped.signal_number if isinstance(stopped, Stopped) else 130)

    return wrapper  # type: ignore[return-value]


def _print_error(error: PackbuilderError) -> None:
    from rich.markup import escape

    console = new_console(stderr=True)
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


def count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
