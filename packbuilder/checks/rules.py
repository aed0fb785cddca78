"""The row rules, registered in one place, in the order their findings are listed."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from packbuilder.checks import comparison, dates, ratings
from packbuilder.checks.rows import RowCheck
from packbuilder.model import Finding

RowRule = Callable[[RowCheck], Iterator[Finding]]

ROW_RULES: tuple[RowRule, ...] = (
    ratings.rating_missing,
    ratings.commentary_missing,
    dates.revised_date_without_reason,
    ratings.evidence_missing,
    ratings.impact_above_progress,
    comparison.rating_worse,
    dates.overdue,
    comparison.commentary_copied,
    ratings.low_confidence,
    ratings.escalation,
)
