"""``packbuilder check PERIOD``: the plan loaded once, history's last values, then the check.

The checker (``checks.run``) is given everything it compares with: the plan, each action's
values before the period and each KPI's last value. This module reads them from the workspace
and history, so the checker never opens history itself.
"""

from __future__ import annotations

from packbuilder import wording
from packbuilder.checks.run import check_received
from packbuilder.commands.kpis import read_last_kpi_values
from packbuilder.config import Config
from packbuilder.errors import PlanError
from packbuilder.history import read_last_values
from packbuilder.model import CheckReport, LastValues, Period, Plan
from packbuilder.plan.loader import load_plan
from packbuilder.returns.make import baseline_values


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


def checked_plan(config: Config) -> Plan:
    """The workspace's plan; a PlanError if the register has errors, as nothing can be
    checked against it."""
    loaded = load_plan(config.plan_path, config)
    if loaded.errors:
        raise PlanError(
            f"The plan register has {wording.count(len(loaded.errors), 'error')}",
            hint="Run 'packbuilder plan check' to list them, fix inputs/plan.xlsx, then check "
            "again.",
            findings=list(loaded.errors),
        )
    return loaded.plan


def last_values_for_check(config: Config, plan: Plan, period: Period) -> dict[str, LastValues]:
    """History's last values, else the plan's baseline (never for the first period)."""
    if period <= config.first_period:
        return {}
    return read_last_values(config, period) or baseline_values(plan)
