"""KPI RAG ratings: which target is in force, whether a value meets it, and which way it moved.

Pure functions of the plan's KPI definitions and a value; ``status.py`` gathers the values and
the history, and the tracker and reports show what these functions decide. The definitions are
the plan's own: Green, the target is achieved; Amber, the standard is achieved but the target is
not; Red, the standard is not achieved. Where a KPI has no standard (none of the example's has
one), a missed target is Red, or Amber when config.toml says ``no_standard = "amber"``. Nothing
is guessed: no value, no target or a target still "TBC" is Not rated, with the reason in words.
"""

from __future__ import annotations

from typing import Literal

from packbuilder.model import Direction, Kpi, KpiRag, KpiTarget, Period, Polarity

NoStandard = Literal["red", "amber"]

_POLARITY_WORDS = {Polarity.HIGHER: "higher is better", Polarity.LOWER: "lower is better"}


def format_value(value: float) -> str:
    """A KPI value as a reader writes it: ``64``, ``64.6``, ``7,399``, ``-0.25``."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


# Units that name the kind of number rather than a unit of measure: shown as the number alone.
COUNT_UNITS = frozenset({"", "number", "count", "score", "no.", "#"})
PERCENT_UNITS = frozenset({"%", "percent", "percentage"})


def with_unit(unit: str, amount: str) -> str:
    """AMOUNT (a number as written) with the KPI's UNIT once: ``71%``, ``30 weeks``, ``58``."""
    unit = " ".join(unit.split())
    if unit.lower() in COUNT_UNITS:
        return amount
    if unit.lower() in PERCENT_UNITS:
        return f"{amount}%"
    return f"{amount} {unit}"


def target_in_force(kpi: Kpi, period: Period) -> KpiTarget | None:
    """The latest dated target on or before the period's last day; before the first, the first.

    None only when the plan sets no target at all for the KPI.
    """
    if not kpi.targets:
        return None
    ordered = sorted(kpi.targets, key=lambda target: target.date)
    reached = [target for target in ordered if target.date <= period.last_day]
    return reached[-1] if reached else ordered[0]


def achieves(polarity: Polarity, value: float, level: float) -> bool:
    """Whether VALUE achieves LEVEL (a target or a standard): at or above it, or at or below."""
    return value >= level if polarity is Polarity.HIGHER else value <= level


def rate_kpi(
    kpi: Kpi, value: float | None, target: KpiTarget | None, no_standard: NoStandard = "red"
) -> tuple[KpiRag, str]:
    """The RAG of VALUE against TARGET (the target in force), and why, in words."""
    if value is None:
        return KpiRag.NOT_RATED, "Not rated: no value has been recorded"
    if target is None:
        return KpiRag.NOT_RATED, "Not rated: the plan sets no target for this KPI"
    when = target.date.strftime("%B %Y")
    if target.value is None:
        written = target.text.strip() or "TBC"
        return (
            KpiRag.NOT_RATED,
            f"Not rated: the target for {when} is {written!r}, not yet a number",
        )
    against = (
        f"{format_value(value)} against a target of {format_value(target.value)} "
        f"({_POLARITY_WORDS[kpi.polarity]})"
    )
    if achieves(kpi.polarity, value, target.value):
        return KpiRag.GREEN, f"{against}: target met"
    if kpi.standard is None:
        rag = KpiRag.AMBER if no_standard == "amber" else KpiRag.RED
        return rag, f"{against}: target not met, and the plan sets no standard"
    standard = format_value(kpi.standard)
    if achieves(kpi.polarity, value, kpi.standard):
        return KpiRag.AMBER, f"{against}: standard of {standard} met, target not met"
    return KpiRag.RED, f"{against}: standard of {standard} not met"


def kpi_direction(kpi: Kpi, previous: float | None, current: float | None) -> Direction:
    """Direction of travel from PREVIOUS to CURRENT, judged by the KPI's polarity."""
    if previous is None:
        return Direction.NEW
    if current is None:
        return Direction.NOT_COMPARABLE
    if current == previous:
        return Direction.SAME
    better = current > previous if kpi.polarity is Polarity.HIGHER else current < previous
    return Direction.IMPROVED if better else Direction.WORSE
