"""Each KPI's last value, read from history for the stages that compare with it.

The KPI return shows each KPI's last value beside its inputs (``commands.kpi_return``), and
the KPI reader measures a big move against it (``check``); both take those values from here.
"""

from __future__ import annotations

from packbuilder.config import Config
from packbuilder.history import kpi_values
from packbuilder.kpis.last import LastKpiValue, last_kpi_values
from packbuilder.kpis.read import KpiReading, check_kpi_period
from packbuilder.model import Period, Plan


def read_last_kpi_values(config: Config, plan: Plan, period: Period) -> dict[str, LastKpiValue]:
    """Each KPI's last value before PERIOD: history's where recorded, else the plan's baseline."""
    # No history database yet means nothing recorded; opening one would create it.
    recorded = kpi_values(config, before=period) if config.history_path.exists() else {}
    return last_kpi_values(plan, recorded)


def check_kpis(config: Config, plan: Plan, period: Period) -> KpiReading:
    """The period's KPI return read and checked against each KPI's last value."""
    return check_kpi_period(config, plan, period, read_last_kpi_values(config, plan, period))
