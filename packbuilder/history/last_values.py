"""What the next month reads from history: each action's and each KPI's last recorded values.

``returns make`` pre-fills the officers' returns, and ``check``, ``build`` and ``kpis make``
compare with last period, from these two readers; each opens the workspace's history
(``store.History``) for the one question and closes it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from packbuilder.history.store import History
from packbuilder.model import LastValues, Period

if TYPE_CHECKING:
    from packbuilder.config import Config


def read_last_values(config: Config, period: Period) -> dict[str, LastValues]:
    """Each action's values for the latest recorded period before PERIOD; {} if none."""
    with History.open(config) as history:
        previous = history.latest_before(period)
        if previous is None:
            return {}
        return {
            action_id: LastValues(
                progress=row.progress,
                impact=row.impact,
                commentary=row.progress_commentary,
                period=previous,
                revised_end_date=row.revised_end_date,
                revised_reason=row.revised_reason,
                end_date_agreed_in=row.end_date_agreed_in,
            )
            for action_id, row in history.recorded_actions(previous).items()
        }


def kpi_values(
    config: Config, before: Period
) -> dict[str, tuple[float | None, dt.date | None, Period | None]]:
    """Each KPI's latest recorded value before BEFORE: (value, as-at date, where it is from).

    Where it is from is the period whose KPI return gave the value, or None where the value
    is the plan's baseline carried forward, so a value carried from month to month is still
    said to be from the month (or the plan) that gave it.
    """
    with History.open(config) as history:
        found: dict[str, tuple[float | None, dt.date | None, Period | None]] = {}
        for period in history.recorded_periods():
            if period >= before:
                break
            for code, (value, as_at, from_return, baseline) in history.kpi_origins(period).items():
                if value is None:
                    continue
                earlier = found.get(code)
                if from_return or (earlier is None and not baseline):
                    origin: Period | None = period
                elif baseline:
                    origin = None
                else:
                    assert earlier is not None
                    origin = earlier[2]
                found[code] = (value, as_at, origin)
        return found
