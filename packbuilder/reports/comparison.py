"""What a report compares with: the previous period (monthly) or the previous DfE month (the
DfE version), read from history once and described for the templates.

Part of the template context (packbuilder.reports.context).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from packbuilder.config import Config
from packbuilder.model import (
    HistoryView,
    Period,
    PeriodResult,
    Rating,
)
from packbuilder.periods import listed, months_between
from packbuilder.reports.context_cells import Context


@dataclass(frozen=True)
class Comparison:
    """What a report compares this period's ratings with.

    ``period`` is None for a first report. ``ratings`` maps action ID to the (progress, impact)
    recorded for that period; ``recorded`` is False when history holds nothing for it.
    """

    period: Period | None
    ratings: Mapping[str, tuple[Rating | None, Rating | None]] = field(default_factory=dict)
    dfe: bool = False
    recorded: bool = True
    skipped: tuple[Period, ...] = ()  # months between the two that were not built

    def previous(self, action_id: str) -> tuple[Rating | None, Rating | None]:
        return self.ratings.get(action_id, (None, None))


def monthly_comparison(result: PeriodResult) -> Comparison:
    """Compare with the previous period, as the merge recorded it on each action."""
    if result.previous_period is None:
        return Comparison(None)
    ratings = {s.action.id: (s.previous_progress, s.previous_impact) for s in result.actions}
    skipped = tuple(months_between(result.previous_period, result.period))
    return Comparison(result.previous_period, ratings, skipped=skipped)


def dfe_comparison(config: Config, result: PeriodResult, history: HistoryView) -> Comparison:
    """Compare with the previous DfE month as recorded in history, not the previous month.

    The first DfE report has nothing to compare with.
    """
    previous = config.previous_dfe_month(result.period)
    if previous is None:
        return Comparison(None, dfe=True)
    ratings = history.ratings(previous)
    return Comparison(previous, ratings, dfe=True, recorded=bool(ratings))


def comparison_context(comparison: Comparison) -> Context:
    if comparison.period is None:
        whom = "to the Department for Education" if comparison.dfe else "of the programme"
        return {
            "is_first": True,
            "period": "",
            "heading": "What changed: first report",
            "since": "",
            "sentence": f"This is the first report {whom}: there is no earlier report to "
            "compare with, so no changes are shown.",
        }
    label = comparison.period.label
    since = f"since the last DfE report ({label})" if comparison.dfe else f"since {label}"
    if not comparison.recorded:
        sentence = f"No ratings are recorded for {label}, so changes cannot be shown."
    elif comparison.dfe:
        sentence = (
            "Changes are shown against the last report to the Department for Education, "
            f"for {label}."
        )
    elif comparison.skipped:
        sentence = (
            f"Changes are shown against the report for {label}, the latest one before this: "
            f"no report was built for {listed(comparison.skipped)}."
        )
    else:
        sentence = f"Changes are shown against the report for {label}."
    return {
        "is_first": False,
        "period": label,
        "heading": f"What changed {since}",
        "since": since,
        "sentence": sentence,
    }
