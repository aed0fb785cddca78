"""The program's own errors, as distinct from findings about a return.

A finding is data about an input and never stops a run. These exceptions stop a command; the
command line turns each into one line and a hint, with its exit code: the same for every
command, as README.md lists them (0 done, 1 findings, 2 usage, config or plan, 3 environment).
"""

from __future__ import annotations

import errno
import sqlite3

EXIT_OK = 0
EXIT_FINDINGS = 1  # check found errors, or build --strict refused
EXIT_USAGE = 2  # usage, configuration or plan error
EXIT_ENVIRONMENT = 3  # an output locked, the workspace busy, a tool missing


class PackbuilderError(Exception):
    """Base class: a message for the user and a hint on what to do."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class ConfigError(PackbuilderError):
    """config.toml is missing, unreadable or invalid."""


class WorkspaceError(PackbuilderError):
    """The folder is not a workspace, or a path in it is missing."""


class PlanError(PackbuilderError):
    """The plan register has errors that stop the command."""

    def __init__(self, message: str, hint: str = "", findings: list[object] | None = None):
        super().__init__(message, hint)
        self.findings = findings or []


class PeriodError(PackbuilderError):
    """A period a command may not work on: before the programme's first, too far ahead, or
    not recorded when it should be."""


class StrictRefusal(PackbuilderError):
    """build --strict refused because a return has errors."""

    exit_code = EXIT_FINDINGS


class EnvironmentProblem(PackbuilderError):
    """Something outside packbuilder stopped it: a locked output, a busy workspace, no tool."""

    exit_code = EXIT_ENVIRONMENT


def environment_fault(error: BaseException) -> EnvironmentProblem | None:
    """The one-line problem for a fault of the environment, or None when ERROR is not one.

    A full disk, a folder without permission, a read-only file system, a path of the wrong
    kind, or a damaged or locked database: what happened, where, and what to do. The CLI turns
    what this returns into one line and exit 3, so no traceback reaches the office.
    """
    original = error
    # xlsxwriter wraps the OSError of its closing write in FileCreateError(error).
    wrapped = error.args[0] if error.args else None
    if type(error).__name__ == "FileCreateError" and isinstance(wrapped, BaseException):
        original = wrapped
    if isinstance(original, sqlite3.Error):
        return _database_fault(original)
    if not isinstance(original, OSError):
        return None
    where = f" ({original.filename})" if original.filename else ""
    number = original.errno
    if number in (errno.ENOSPC, errno.EDQUOT):
        return EnvironmentProblem(
            f"The disk is full{where}, so the command stopped; what was in place was kept",
            hint="Free some space on that disk and run the command again.",
        )
    if number == errno.EROFS:
        return EnvironmentProblem(
            f"The folder is on a read-only file system{where}, so nothing could be written",
            hint="Run the command in a workspace you can write to (copy it first if need be).",
        )
    if isinstance(original, PermissionError):
        return EnvironmentProblem(
            f"Permission denied{where}: the file is open in another program or you may not "
            "write there, so the command stopped; what was in place was kept",
            hint="Close the file if it is open (in Excel or Word, say), or ask for write "
            "access to the workspace, and run the command again.",
        )
    if isinstance(original, FileExistsError | NotADirectoryError):
        return EnvironmentProblem(
            f"A file stands where packbuilder needs a folder{where}",
            hint="Move that file elsewhere (it is not packbuilder's) and run the command again.",
        )
    if isinstance(original, IsADirectoryError):
        return EnvironmentProblem(
            f"A folder stands where packbuilder writes a file{where}",
            hint="Move that folder elsewhere (it is not packbuilder's) and run the command again.",
        )
    reason = original.strerror or str(original)
    return EnvironmentProblem(
        f"The system refused a file operation{where}: {reason}",
        hint="Fix the cause named above and run the command again.",
    )


def _database_fault(error: BaseException) -> EnvironmentProblem:
    text = str(error)
    if "readonly" in text or "read-only" in text:
        return EnvironmentProblem(
            f"The history database cannot be written ({text})",
            hint="Give yourself write access to history.sqlite and its folder, then run the "
            "command again.",
        )
    if "full" in text:
        return EnvironmentProblem(
            f"The disk is full ({text}), so the command stopped; history was left as it was",
            hint="Free some space on that disk and run the command again.",
        )
    if "locked" in text or "busy" in text:
        return EnvironmentProblem(
            f"The history database is locked by another program ({text})",
            hint="Close any program that has history.sqlite open and run the command again.",
        )
    return EnvironmentProblem(
        f"The history database is damaged ({text})",
        hint="Run 'packbuilder history check' to see what it holds, and 'packbuilder history "
        "restore' to put back a copy from backups/.",
    )


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the command is, so it stops as SIGINT stops it: every
    clean-up runs (a build's transaction and moves are undone) and the exit code says which."""

    def __init__(self, signal_number: int) -> None:
        super().__init__(signal_number)
        self.signal_number = signal_number
