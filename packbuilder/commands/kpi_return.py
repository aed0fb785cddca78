"""``packbuilder kpis make PERIOD``: the data team's KPI return, with each KPI's last value.

Kept apart from ``commands.kpis`` so that checking, which reads KPI values, does not import
the KPI return's writer.
"""

from __future__ import annotations

from pathlib import Path

from packbuilder.commands.kpis import read_last_kpi_values
from packbuilder.commands.plan import required_plan
from packbuilder.config import Config
from packbuilder.kpis.make import kpi_return_path, write_kpi_return
from packbuilder.model import Period


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
