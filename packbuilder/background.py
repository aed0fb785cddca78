"""Run one step of the build in a forked process while the main process does another.

``build`` writes the tracker and renders the Word reports from the same merged period; neither
needs the other, and a machine has two cores or more. ``ForkedCall`` starts FUNC(*ARGS) in a
forked copy of the process (so the arguments are shared, not pickled) and hands back its
answer. When fork does not exist, or the call fails or its process dies for any reason, FUNC
runs again in the main process, so a real error is raised exactly where it was before and the
answer is always the one the main process would have computed.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

R = TypeVar("R")

_FAILED = "packbuilder-background-failed"


class ForkedCall(Generic[R]):
    """FUNC(*ARGS), started at once in a forked process; ``result()`` waits for it."""

    def __init__(self, func: Callable[..., R], *args: Any) -> None:
        self._func = func
        self._args = args
        self._connection: Connection | None = None
        self._process: Any = None
        if "fork" not in multiprocessing.get_all_start_methods():
            return
        flush_std_streams()  # or the forked process would write the buffered text again
        context = multiprocessing.get_context("fork")
        ours, theirs = context.Pipe(duplex=False)
        try:
            self._process = context.Process(target=_call, args=(func, args, theirs), daemon=True)
            self._process.start()
        except OSError:  # no process to spare: run in the main process, as without fork
            self._process = None
            ours.close()
        else:
            self._connection = ours
        finally:
            theirs.close()

    def result(self) -> R:
        """The call's answer: the forked process's, or computed here if it gave none."""
        answer: Any = _FAILED
        if self._connection is not None:
            with contextlib.suppress(Exception):  # any failure: run here instead, below
                answer = self._connection.recv()
        self.close()
        if isinstance(answer, str) and answer == _FAILED:
            return self._func(*self._args)
        value: R = answer
        return value

    def close(self) -> None:
        """Stop the forked process if it still runs; idempotent."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process = None


def flush_std_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()


def _call(func: Callable[..., Any], args: tuple[Any, ...], connection: Connection) -> None:
    try:
        answer = func(*args)
    except BaseException:  # the main process runs FUNC again and raises it there
        answer = _FAILED
    with contextlib.suppress(Exception):
        connection.send(answer)
