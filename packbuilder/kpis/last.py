"""The last value of each KPI before a period: from history where recorded, else the baseline.

``kpis make`` shows it beside the inputs and the KPI reader measures a big move against it.
History is a later stage: the command layer (``packbuilder.commands.kpis``) reads its KPI
values and passes them in; until a period is recorded, every last value is the plan's baseline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from packbuilder.kpis.rag import format_value
from packbuilder.model import Kpi, Period, Plan

# code to (value, as-at date, the period whose KPI return gave it, or None for the baseline)
HistoryKpiValues = dict[str, tuple[float | None, dt.date | None, Period | None]]

PLAN_BASELINE = "Plan baseline"  # where a value is from when it is the plan's baseline


@dataclass(frozen=True)
class LastKpiValue:
    """A KPI's value as last recorded; ``period`` is None where it is the plan's baseline."""

    value: float | None
    text: str
    as_at: dt.date | None
    period: Period | None

    @property
    def is_baseline(self) -> bool:
        return self.period is None

    @property
    def source(self) -> str:
        """Where the value is from, as a reader says it."""
        return PLAN_BASELINE if self.period is None else self.period.label


def baseline_value(kpi: Kpi) -> LastKpiValue | None:
    """The plan's baseline as a last value, or None where the plan gives none."""
    if kpi.baseline is None and not kpi.baseline_text.strip():
        return None
    return LastKpiValue(kpi.baseline, kpi.baseline_text.strip(), kpi.baseline_date, None)


def last_kpi_values(plan: Plan, recorded: HistoryKpiValues) -> dict[str, LastKpiValue]:
    """Each KPI's last value: history's RECORDED value where it has one, else the baseline.

    A value history recorded as the plan's baseline carried forward is the baseline, not the
    month it was recorded for, so the KPI return says "Plan baseline" until a month's return
    gives a value."""
    values: dict[str, LastKpiValue] = {}
    for kpi in plan.kpis:
        entry = recorded.get(kpi.code)
        baseline = baseline_value(kpi)
        if (
            entry is not None
            and entry[0] is not None
            and (entry[2] is not None or baseline is None)
        ):
            values[kpi.code] = LastKpiValue(entry[0], format_value(entry[0]), entry[1], entry[2])
        elif baseline is not None:
            values[kpi.code] = baseline
    return values
