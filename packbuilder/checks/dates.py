"""Rules on the dates of one reporting row. The period is judged as at its last day.

The end date in force before this return is the revised date history last accepted (carried
to the check in ``LastValues``), else the plan's own. A revised end date typed in the return is
a new revision only when it differs from that date: an officer who types the date in force
again is not asked for a reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from packbuilder.checks.rows import RowCheck
from packbuilder.model import Finding


def _in_force(check: RowCheck) -> dt.date | None:
    """The end date in force before this return: the accepted revision, else the plan's."""
    last = check.ctx.last_values.get(check.facts.id)
    revised = last.revised_end_date if last is not None else None
    return revised or check.facts.end_date


def _new_revision(check: RowCheck) -> dt.date | None:
    typed = check.update.revised_end_date
    return typed if typed is not None and typed != _in_force(check) else None


def revised_date_without_reason(check: RowCheck) -> Iterator[Finding]:
    update = check.update
    revised = _new_revision(check)
    if revised is not None and not update.revised_reason:
        in_force = _in_force(check)
        yield check.finding(
            "revised-date-no-reason",
            "revised_reason",
            value="",
            date=revised.strftime("%d %B %Y"),
            in_force=in_force.strftime("%d %B %Y") if in_force else "no date",
        )


def overdue(check: RowCheck) -> Iterator[Finding]:
    """The end date in force (a new revision, else the one before) has passed and progress
    is not complete."""
    update = check.update
    revised = _new_revision(check)
    due = revised or _in_force(check)
    if due is None or update.progress is None or update.progress.is_complete:
        return
    if due < check.ctx.period.last_day:
        key = "revised_end_date" if revised else "progress"
        yield check.finding(
            "overdue", key, date=due.strftime("%d %B %Y"), rating=update.progress.value
        )
