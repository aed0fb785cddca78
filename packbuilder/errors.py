"""The program's own errors, as distinct from findings about a return.

A finding is data about an input and never stops a run. These exceptions stop a command; the
command line turns each into one line and a hint, with the exit code that DESIGN.md fixes.
"""

from __future__ import annotations

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
