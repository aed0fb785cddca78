"""Charts for the assurance report: BRAG by area of weakness and BRAG across periods.

Drawn with matplotlib's Agg canvas (no display, no pyplot), imported only when a report is
rendered so other commands start fast. Bars take the configured BRAG colours and hatching,
and every segment carries its count, so a chart reads on a black-and-white printout. The
numbers come from the template context, so the chart and the text always agree.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from packbuilder.config import Config
from packbuilder.model import Rating

DPI = 200
WIDTH_INCHES = 6.7  # the text width of an A4 page with 2 cm margins
STACK_ORDER = (Rating.RED, Rating.AMBER, Rating.GREEN, Rating.BLUE, Rating.NOT_YET_RATED)
"""Worst first, so the Red segment sits on the axis where the eye starts."""


@dataclass(frozen=True)
class ChartData:
    """What the charts show, taken from the assurance report's context (plain, picklable)."""

    areas: list[str]
    progress: list[dict[str, int]]
    impact: list[dict[str, int]]
    periods: list[str]
    trend: list[dict[str, int]]


@dataclass(frozen=True)
class ChartImages:
    """The PNG bytes of each chart, drawn once and placed in every report that shows it."""

    by_area: bytes
    over_time: bytes


def draw_chart_images(config: Config, data: ChartData) -> ChartImages:
    """Both charts of DATA, as PNG bytes."""
    return ChartImages(
        by_area=brag_by_area_png(config, data.areas, data.progress, data.impact),
        over_time=brag_over_time_png(config, data.periods, data.trend),
    )


def warm_up() -> None:
    """Import what drawing needs, so a worker is ready before its data is."""
    # matplotlib (about 0.5 s to import: docs/performance.md) only where a chart is drawn.
    import matplotlib.backends.backend_agg
    import matplotlib.figure  # noqa: F401


def _draw(
    config: Config,
    axes: Any,
    labels: Sequence[str],
    series: Sequence[Mapping[str, int]],
    horizontal: bool,
) -> list[Any]:
    """Stack one bar per label; return one handle per rating drawn, for the legend."""
    positions = list(range(len(labels)))
    base = [0.0] * len(labels)
    handles = []
    for rating in STACK_ORDER:
        values = [float(counts.get(rating.name.lower(), 0)) for counts in series]
        if not any(values):
            continue
        style = config.brag_style(rating)
        common = {
            "color": style.colour,
            "edgecolor": style.font,
            "linewidth": 0.6,
            "hatch": style.pattern or None,
            "label": rating.value,
        }
        if horizontal:
            bars = axes.barh(positions, values, left=base, height=0.62, **common)
        else:
            bars = axes.bar(positions, values, bottom=base, width=0.55, **common)
        handles.append(bars)
        for index, value in enumerate(values):
            if not value:
                continue
            middle = base[index] + value / 2
            x, y = (middle, index) if horizontal else (index, middle)
            axes.text(
                x,
                y,
                f"{value:.0f}",
                ha="center",
                va="center",
                fontsize=7,
                color=style.font,
                fontweight="bold",
                bbox={"boxstyle": "round,pad=0.15", "facecolor": style.colour, "edgecolor": "none"},
            )
            base[index] += value
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=7.5)
    if horizontal:
        axes.set_yticks(positions, labels)
        if not axes.yaxis_inverted():  # axes sharing y share the inversion too
            axes.invert_yaxis()
        axes.xaxis.get_major_locator().set_params(integer=True)
    else:
        axes.set_xticks(positions, labels)
        axes.yaxis.get_major_locator().set_params(integer=True)
    return handles


def _png(figure: Any) -> bytes:
    # matplotlib (about 0.5 s to import: docs/performance.md) only where a chart is drawn.
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    # No software stamp, so the same data makes the same bytes.
    figure.savefig(
        buffer,
        format="png",
        dpi=DPI,
        metadata={"Software": None},
        pil_kwargs={"compress_level": 3},  # most of the size saving for a third of the time
    )
    return buffer.getvalue()


def brag_by_area_png(
    config: Config,
    areas: Sequence[str],
    progress: Sequence[Mapping[str, int]],
    impact: Sequence[Mapping[str, int]],
) -> bytes:
    """Two panels of stacked bars, progress and impact, one bar per area of weakness.

    Counts are keyed ``blue`` … ``not_yet_rated``, as in the template context.
    """
    # matplotlib (about 0.5 s to import: docs/performance.md) only where a chart is drawn.
    from matplotlib.figure import Figure

    height = 1.3 + 0.3 * max(len(areas), 1)
    figure = Figure(figsize=(WIDTH_INCHES, height))
    _margins(figure, left=0.65, right=0.15, top=0.3, bottom=0.7)
    left, right = figure.subplots(1, 2, sharey=True, gridspec_kw={"wspace": 0.06})
    handles: dict[str, Any] = {}
    for axes, title, series in ((left, "Progress", progress), (right, "Impact", impact)):
        axes.set_title(title, fontsize=9, fontweight="bold")
        for handle in _draw(config, axes, areas, series, horizontal=True):
            handles.setdefault(handle.get_label(), handle)
        axes.set_xlabel("Actions", fontsize=7.5)
    figure.legend(
        list(handles.values()),
        list(handles),
        loc="lower center",
        ncols=len(handles),
        fontsize=7.5,
        frameon=False,
    )
    return _png(figure)


def brag_over_time_png(
    config: Config, periods: Sequence[str], progress: Sequence[Mapping[str, int]]
) -> bytes:
    """Stacked bars of progress ratings, one bar per recorded period."""
    # matplotlib (about 0.5 s to import: docs/performance.md) only where a chart is drawn.
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_INCHES, 2.7))
    _margins(figure, left=0.6, right=1.3, top=0.15, bottom=0.35)
    axes = figure.subplots()
    handles = _draw(config, axes, periods, progress, horizontal=False)
    axes.set_ylabel("Actions", fontsize=7.5)
    axes.set_xlim(-0.6, max(len(periods), 4) - 0.4)
    figure.legend(
        handles[::-1],  # top to bottom, as the segments are stacked
        [h.get_label() for h in handles[::-1]],
        loc="center right",
        fontsize=7.5,
        frameon=False,
    )
    return _png(figure)


def _margins(figure: Any, left: float, right: float, top: float, bottom: float) -> None:
    """Fixed margins in inches: one drawing pass, where a layout engine would take several."""
    width, height = figure.get_size_inches()
    figure.subplots_adjust(
        left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height
    )
