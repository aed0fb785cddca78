"""Draw the assurance report's charts in a worker process, beside the rest of the build.

Importing matplotlib and drawing the two charts is the largest single cost of a small build,
and none of the build's other steps need it. ``build`` starts a ``ChartWorker`` first thing:
the worker imports matplotlib while the returns are checked and merged, draws as soon as the
chart data is known, and the main process writes the tracker meanwhile. The pictures are the
same bytes as when drawn in the main process (the same functions draw them).

The worker is forked, so it shares the configuration without pickling it and holds no thread
or lock of the main process. Where fork does not exist, or when the worker fails for any
reason, the charts are drawn in the main process instead, which also raises any real error
exactly as before.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import Any

from packbuilder.background import flush_std_streams
from packbuilder.config import Config
from packbuilder.reports.charts import ChartData, ChartImages, draw_chart_images

_PARENT_CHECK_SECONDS = 1.0  # how often a waiting worker checks that the build still runs


class ChartWorker:
    """One forked process that draws one set of charts on request."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._data: ChartData | None = None
        self._images: ChartImages | None = None
        self._connection: Connection | None = None
        self._process: Any = None
        if "fork" not in multiprocessing.get_all_start_methods():
            return
        flush_std_streams()  # or the forked process would write the buffered text again
        context = multiprocessing.get_context("fork")
        ours, theirs = context.Pipe()
        try:
            self._process = context.Process(
                target=_serve, args=(config, theirs, ours, os.getpid()), daemon=True
            )
            self._process.start()
        except OSError:  # no process to spare: draw here, as without a worker
            self._process = None
            ours.close()
        else:
            self._connection = ours
        finally:
            theirs.close()

    def submit(self, data: ChartData) -> None:
        """Ask for the charts of DATA; returns at once."""
        self._data = data
        if self._connection is None:
            return
        try:
            self._connection.send(data)
        except (OSError, ValueError):
            self._stop()

    def images(self) -> ChartImages:
        """The charts of the submitted data: the worker's, or drawn here if it has none."""
        if self._data is None:
            raise RuntimeError("no chart data was submitted")
        if self._images is None and self._connection is not None:
            with contextlib.suppress(Exception):  # any failure: draw here instead, below
                answer = self._connection.recv()
                if isinstance(answer, ChartImages):
                    self._images = answer
            self._stop()
        if self._images is None:
            self._images = draw_chart_images(self.config, self._data)
        return self._images

    def close(self) -> None:
        self._stop()

    def _stop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process = None


@contextlib.contextmanager
def chart_worker(config: Config) -> Iterator[ChartWorker]:
    """A ChartWorker that is always stopped, however the build ends."""
    worker = ChartWorker(config)
    try:
        yield worker
    finally:
        worker.close()


def _serve(config: Config, connection: Connection, parent_end: Connection, parent: int) -> None:
    """In the worker: import matplotlib at once, then draw the one request that comes."""
    parent_end.close()
    from packbuilder.reports import charts

    charts.warm_up()
    while not connection.poll(_PARENT_CHECK_SECONDS):
        if os.getppid() != parent:  # the build is gone: nobody will ask
            return
    try:
        data = connection.recv()
    except (EOFError, OSError):
        return
    try:
        answer: object = draw_chart_images(config, data)
    except Exception as error:  # the main process draws again and raises it there
        answer = repr(error)
    with contextlib.suppress(OSError):
        connection.send(answer)
