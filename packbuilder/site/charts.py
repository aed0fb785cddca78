"""Chart geometry for the web pages: inline SVG drawn by the templates from these numbers.

Every chart has the same figures in a table beside it and a text alternative, so the shapes
here carry nothing a reader would otherwise miss.
"""

from __future__ import annotations

from dataclasses import dataclass

from packbuilder.model import Rating

# Fill and text colours per rating, chosen for contrast (white on the dark two, black on the
# light two: every pair at least 4.5:1), with a pattern name so a chart reads in black and white.
RATING_FILL = {
    Rating.BLUE: ("#005EA5", "#FFFFFF"),
    Rating.GREEN: ("#00703C", "#FFFFFF"),
    Rating.AMBER: ("#FFBF47", "#0B0C0C"),
    Rating.RED: ("#B10E1E", "#FFFFFF"),
    Rating.NOT_YET_RATED: ("#DEE0E2", "#0B0C0C"),
}


@dataclass(frozen=True)
class Bar:
    """One rectangle and its label, in SVG user units."""

    x: float
    y: float
    width: float
    height: float
    fill: str
    label: str  # drawn beside or inside the bar; also the <title> a pointer shows
    text_x: float
    text_y: float
    text_fill: str


@dataclass(frozen=True)
class StackedChart:
    """Per period, the number of actions at each progress rating, stacked bottom to top."""

    width: int
    height: int
    bars: tuple[Bar, ...]
    axis_labels: tuple[tuple[float, float, str], ...]  # (x, y, text) under each column


def stacked_chart(columns: list[tuple[str, list[tuple[Rating, int]]]]) -> StackedChart:
    """Stacked columns, one per period: COLUMNS is (label, [(rating, count), ...])."""
    column_width, gap, plot_height, top = 56, 24, 160, 8
    tallest = max((sum(n for _, n in counts) for _, counts in columns), default=0) or 1
    bars: list[Bar] = []
    labels: list[tuple[float, float, str]] = []
    for index, (label, counts) in enumerate(columns):
        x = gap + index * (column_width + gap)
        bottom = float(top + plot_height)
        for rating, count in counts:
            if not count:
                continue
            height = plot_height * count / tallest
            fill, text_fill = RATING_FILL[rating]
            bottom -= height
            bars.append(
                Bar(
                    x,
                    bottom,
                    column_width,
                    height,
                    fill,
                    f"{rating.value}: {count}",
                    x + column_width / 2,
                    bottom + height / 2 + 5,
                    text_fill if height >= 16 else "none",
                )
            )
        labels.append((x + column_width / 2, top + plot_height + 18, label))
    width = gap + max(len(columns), 1) * (column_width + gap)
    return StackedChart(width, top + plot_height + 28, tuple(bars), tuple(labels))


@dataclass(frozen=True)
class LineChart:
    """A KPI's values over the recorded periods, with its target as a dashed line."""

    width: int
    height: int
    points: tuple[tuple[float, float, str], ...]  # (x, y, label) of each recorded value
    path: str  # the polyline's points attribute
    target_y: float | None
    target_label: str
    axis_labels: tuple[tuple[float, float, str], ...]


def line_chart(
    values: list[tuple[str, float | None]], target: float | None, unit: str
) -> LineChart:
    """A line through VALUES ((period label, value)) scaled with TARGET in view."""
    step, left, top, plot_height = 64, 40, 12, 120
    known = [v for _, v in values if v is not None]
    scale = [*known, *([target] if target is not None else [])]
    low, high = (min(scale), max(scale)) if scale else (0.0, 1.0)
    # A margin above and below so that labels clear the line; percentages stay within 0-100.
    margin = (high - low) * 0.3 or max(abs(high) * 0.1, 1.0)
    low, high = low - margin, high + margin
    if unit == "%" and scale and min(scale) >= 0 and max(scale) <= 100:
        low, high = max(low, 0.0), min(high, 100.0)

    def y_of(value: float) -> float:
        return top + plot_height * (1 - (value - low) / (high - low))

    points: list[tuple[float, float, str]] = []
    labels: list[tuple[float, float, str]] = []
    suffix = "%" if unit == "%" else ""
    for index, (label, value) in enumerate(values):
        x = left + index * step
        labels.append((x, top + plot_height + 20, label))
        if value is not None:
            points.append((x, y_of(value), f"{value:g}{suffix}"))
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
    target_y = y_of(target) if target is not None else None
    target_label = f"target {target:g}{suffix}" if target is not None else ""
    width = left + max(len(values) - 1, 1) * step + 130
    return LineChart(
        width, top + plot_height + 30, tuple(points), path, target_y, target_label, tuple(labels)
    )
