"""The KPI use cases: each KPI's last value from history, and ``kpis make``.

The KPI return shows each KPI's last value beside its inputs, and the KPI reader measures a
big move against it; both take those values from here, read from history once.
"""

from __future__ import annotations

from pathlib import Path

from packbuilder.config import Config
from packbuilder.history import kpi_values
from packbuilder.kpis.last import LastKpiValue, last_kpi_values
from packbuilder.kpis.make import kpi_return_path, write_kpi_return
from packbuilder.kpis.read import KpiReading, check_kpi_period
from packbuilder.model import Period, Plan
from packbuilder.returns.writing import required_plan


def read_last_kpi_values(config: Config, plan: Plan, period: Period) -> dict[str, LastKpiValue]:
    """Each KPI's last value before PERIOD: history's where recorded, else the plan's baseline."""
    # No history database yet means nothing recorded; opening one would create it.
    recorded = kpi_values(config, before=period) if config.history_path.exists() else {}
    return last_kpi_values(plan, recorded)


def make_kpi_return(config: Config, period: Period) -> Path:
    """Write the KPI return for PERIOD from the plan and the last recorded values."""
    plan = required_plan(config, "no KPI return was made")
    return write_kpi_return(
        config,
        plan,
        period,
        read_last_kpi_values(config, plan, period),
        kpi_return_path(config, period),
    )


def check_kpis(config: Config, plan: Plan, period: Period) -> KpiReading:
    """The period's KPI return read and checked against each KPI's last value."""
    return check_kpi_period(config, plan, period, read_last_kpi_values(config, plan, period))
