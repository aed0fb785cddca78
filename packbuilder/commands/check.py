"""``packbuilder check PERIOD``: the plan loaded once, history's last values, then the check.

The checker (``checks.run``) is given everything it compares with: the plan, each action's
values before the period and each KPI's last value. This module reads them from the workspace
and history, so the checker never opens history itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from packbuilder.check_outputs.outputs import CheckOutputs, write_check_outputs
from packbuilder.checks.run import check_received
from packbuilder.commands.kpis import read_last_kpi_values
from packbuilder.commands.plan import checked_plan
from packbuilder.config import Config
from packbuilder.history import read_last_values
from packbuilder.model import CheckReport, LastValues, Period, Plan
from packbuilder.returns.make import baseline_values


@dataclass(frozen=True)
class CheckRun:
    """What ``packbuilder check`` did: the plan it checked against, what it found, what it wrote."""

    plan: Plan
    report: CheckReport
    written: CheckOutputs


def check_and_write(config: Config, period: Period) -> CheckRun:
    """Check every file received for PERIOD and write validation.xlsx, the feedback workbooks
    and chase-list.csv: the plan loaded once for all of it."""
    plan = checked_plan(config)
    report = check_with_plan(config, plan, period)
    return CheckRun(plan, report, write_check_outputs(config, plan, report))


def check_period(config: Config, period: Period) -> CheckReport:
    """Load the plan and check every file received for PERIOD."""
    return check_with_plan(config, checked_plan(config), period)


def check_with_plan(config: Config, plan: Plan, period: Period) -> CheckReport:
    """Check every file received for PERIOD against PLAN, already loaded."""
    return check_received(
        config,
        plan,
        period,
        last_values_for_check(config, plan, period),
        read_last_kpi_values(config, plan, period),
    )


def last_values_for_check(config: Config, plan: Plan, period: Period) -> dict[str, LastValues]:
    """History's last values, else the plan's baseline (never for the first period)."""
    if period <= config.first_period:
        return {}
    return read_last_values(config, period) or baseline_values(plan)
