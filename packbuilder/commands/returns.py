"""``packbuilder returns make PERIOD``: last values from history, then the returns written.

The officers' returns show each action's last recorded values (else the plan's baseline); the
area leads' returns made with ``--area-leads`` show this month's ratings as the check counts
them. This module reads the one from history and runs the check for the other, and hands both
to the returns writer (``returns.make.write_returns``).
"""

from __future__ import annotations

from packbuilder.commands.check import check_with_plan
from packbuilder.commands.plan import required_plan
from packbuilder.config import Config
from packbuilder.history import read_last_values
from packbuilder.model import LastValues, Period, Plan
from packbuilder.returns.make import MadeReturns, last_values, shown_after_check, write_returns


def make_returns(config: Config, period: Period, area_leads_only: bool = False) -> MadeReturns:
    """Write the period's returns (or only the area leads') and the send list."""
    plan = required_plan(config, "no returns were made")
    last = read_values_before(config, plan, period)
    area_ratings = (
        shown_after_check(plan, last, check_with_plan(config, plan, period))
        if area_leads_only
        else None
    )
    return write_returns(
        config, plan, period, last, area_leads_only=area_leads_only, area_ratings=area_ratings
    )


def read_values_before(config: Config, plan: Plan, period: Period) -> dict[str, LastValues]:
    """Each action's values before PERIOD: from history where recorded, else the baseline."""
    # No history database yet means nothing recorded; opening one would create it.
    recorded = read_last_values(config, period) if config.history_path.exists() else {}
    return last_values(plan, recorded)
