"""Rules on the dates of one reporting row. The period is judged as at its last day."""

from __future__ import annotations

from collections.abc import Iterator

from packbuilder.checks.rows import RowCheck
from packbuilder.model import Finding


def revised_date_without_reason(check: RowCheck) -> Iterator[Finding]:
    update = check.update
    if update.revised_end_date is not None and not update.revised_reason:
        yield check.finding(
            "revised-date-no-reason",
            "revised_reason",
            value="",
            date=update.revised_end_date.strftime("%d %B %Y"),
        )


def overdue(check: RowCheck) -> Iterator[Finding]:
    """The end date in force (revised, else the plan's) has passed and progress is not complete."""
    update = check.update
    due = update.revised_end_date or check.facts.end_date
    if due is None or update.progress is None or update.progress.is_complete:
        return
    if due < check.ctx.period.last_day:
        key = "revised_end_date" if update.revised_end_date else "progress"
        yield check.finding(
            "overdue", key, date=due.strftime("%d %B %Y"), rating=update.progress.value
        )
