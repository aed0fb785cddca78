"""KPI trend charts for the review pack: the value month by month against its baseline,
its standard and the target in force.

Drawn with matplotlib's Agg canvas like the assurance report's charts. Each line has its own
dash pattern and marker as well as its colour, and is named in the legend, so the chart reads
in black and white; the same figures are in a table beside it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

DPI = 150
WIDTH_INCHES = 6.7


@dataclass(frozen=True)
class KpiChart:
    """What one KPI's chart shows (plain, so a worker process can draw it)."""

    code: str
    months: list[str]  # "Jul 23" …
    values: list[float | None]
    targets: list[float | None]  # the target in force in each month
    baseline: float | None
    standard: float | None
    unit: str


def kpi_chart_png(chart: KpiChart) -> bytes:
    # matplotlib loads only when a KPI chart is drawn: about 1 s of imports.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_INCHES, 2.1))
    FigureCanvasAgg(figure)
    width, height = figure.get_size_inches()
    figure.subplots_adjust(
        left=0.7 / width, right=1 - 1.7 / width, top=1 - 0.15 / height, bottom=0.35 / height
    )
    axes = figure.subplots()
    positions = list(range(len(chart.months)))
    _line(axes, positions, chart.values, "Value", "#1F3864", "-", "o", 2.0)
    if any(t is not None for t in chart.targets):
        _line(axes, positions, chart.targets, "Target", "#2E7D32", "--", "^", 1.2)
    for label, level, colour, dashes in (
        ("Baseline", chart.baseline, "#595959", ":"),
        ("Standard", chart.standard, "#B26B00", "-."),
    ):
        if level is not None:
            axes.axhline(level, color=colour, linestyle=dashes, linewidth=1.1, label=label)
    axes.set_xticks(positions, chart.months)
    axes.set_xlim(-0.4, max(len(positions), 2) - 0.6)
    axes.tick_params(labelsize=7.5)
    if chart.unit:
        axes.set_ylabel(chart.unit, fontsize=7.5)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=7.5, frameon=False)
    buffer = io.BytesIO()
    # No software stamp, so the same history makes the same bytes.
    figure.savefig(
        buffer, format="png", dpi=DPI, metadata={"Software": None}, pil_kwargs={"compress_level": 3}
    )
    return buffer.getvalue()


def _line(
    axes: Any,
    positions: Sequence[int],
    values: Sequence[float | None],
    label: str,
    colour: str,
    style: str,
    marker: str,
    width: float,
) -> None:
    points = [(x, v) for x, v in zip(positions, values, strict=True) if v is not None]
    if not points:
        axes.plot([], [], color=colour, linestyle=style, marker=marker, label=f"{label}: none")
        return
    xs, ys = zip(*points, strict=True)
    axes.plot(
        xs,
        ys,
        color=colour,
        linestyle=style,
        marker=marker,
        linewidth=width,
        markersize=4,
        label=label,
    )


def draw_all(charts: Sequence[KpiChart]) -> list[bytes]:
    """Every chart's PNG, in order."""
    return [kpi_chart_png(chart) for chart in charts]
