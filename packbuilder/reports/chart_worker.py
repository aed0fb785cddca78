"""Draw the assurance report's charts in a worker process, beside the rest of the build.

Importing matplotlib and drawing the two charts is the largest single cost of a small build,
and none of the build's other steps need it. ``build`` starts a ``ChartWorker`` first thing:
the worker imports matplotlib while the returns are checked and merged, draws as soon as the
chart data is known, and the main process writes the tracker meanwhile. The pictures are the
same bytes as when drawn in the main process (the same functions draw them).

The worker is a ``processes.BackgroundCall`` that warms up before its data is sent: forked, so
it shares the configuration without pickling it. Where fork does not exist, or when the worker
fails for any reason, the charts are drawn in the main process instead, which also raises any
real error exactly as before. This class only keeps the images once drawn, since the reports
ask for them more than once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from packbuilder.config import Config
from packbuilder.processes import BackgroundCall
from packbuilder.reports import charts
from packbuilder.reports.charts import ChartData, ChartImages, draw_chart_images


class ChartWorker:
    """One forked process that draws one set of charts on request."""

    def __init__(self, config: Config) -> None:
        self._call = BackgroundCall(
            draw_chart_images, config, warm_up=charts.warm_up, more_to_come=True
        )
        self._submitted = False
        self._images: ChartImages | None = None

    def submit(self, data: ChartData) -> None:
        """Ask for the charts of DATA; returns at once."""
        self._submitted = True
        self._call.send(data)

    def images(self) -> ChartImages:
        """The charts of the submitted data: the worker's, or drawn here if it has none."""
        if not self._submitted:
            raise RuntimeError("no chart data was submitted")
        if self._images is None:
            self._images = self._call.result()
        return self._images

    def close(self) -> None:
        self._call.close()


@contextlib.contextmanager
def chart_worker(config: Config) -> Iterator[ChartWorker]:
    """A ChartWorker that is always stopped, however the build ends."""
    worker = ChartWorker(config)
    try:
        yield worker
    finally:
        worker.close()
