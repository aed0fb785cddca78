"""The workspace lock: one writing command at a time in a workspace.

Every command that writes in the workspace (``check``, ``returns make``, ``kpis make``,
``build``, the history commands and the email commands) holds it, so two of them never write
the same partial file or read a set another is moving. A second command waits a few seconds,
then says the workspace is busy (exit 3). It sits below every stage, beside ``errors``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from packbuilder.errors import EnvironmentProblem

if TYPE_CHECKING:
    from packbuilder.config import Config

LOCK_NAME = ".packbuilder.lock"
WAIT_SECONDS = 5.0  # how long a second command waits for the first before saying it is busy


def workspace_lock(config: Config, wait: float = 0) -> Any:
    """The workspace's lock file; released even if the command crashes."""
    from filelock import FileLock

    return FileLock(str(config.root / LOCK_NAME), timeout=wait)


@contextmanager
def holding_workspace(config: Config) -> Iterator[None]:
    """Hold the workspace lock for the block, waiting up to WAIT_SECONDS for it."""
    from filelock import Timeout

    lock = workspace_lock(config, WAIT_SECONDS)
    try:
        lock.acquire()
    except Timeout:
        raise EnvironmentProblem(
            "Another packbuilder command is running in this workspace "
            f"(waited {WAIT_SECONDS:g} seconds)",
            hint="Wait for it to finish, then run the command again.",
        ) from None
    try:
        yield
    finally:
        lock.release()
