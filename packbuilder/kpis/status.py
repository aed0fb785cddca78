"""Each KPI's status for a period: the value in force, the target in force, RAG and direction.

Build calls ``kpi_statuses`` after the check; the tracker's KPI scorecard, the reports and the
Red-KPI exception rule read the ``KpiStatus`` objects it returns, and history records them.
The value in force is, in order: this period's KPI return; else the last value history
recorded, carried forward with its as-at date; else the plan's baseline with its date. The
baseline counts as a value for RAG, as the plan itself rates its June 2023 baselines against
the June 2023 targets; it is marked as the baseline so nobody mistakes it for a new figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from packbuilder.config import Config
from packbuilder.kpis.last import PLAN_BASELINE, LastKpiValue, baseline_value
from packbuilder.kpis.rag import (
    NoStandard,
    format_value,
    kpi_direction,
    rate_kpi,
    target_in_force,
    with_unit,
)
from packbuilder.kpis.read import KpiReading, KpiValue
from packbuilder.kpis.targets import on_wrong_side
from packbuilder.model import (
    Finding,
    Kpi,
    KpiRag,
    KpiStatus,
    KpiTarget,
    Period,
    Plan,
)


def kpi_status(
    kpi: Kpi,
    period: Period,
    current: KpiValue | None,
    last: LastKpiValue | None,
    previous_value: float | None,
    no_standard: NoStandard = "red",
) -> KpiStatus:
    """One KPI's status for PERIOD from this period's value (CURRENT) or else LAST or the
    baseline; PREVIOUS_VALUE is the value in force at the last recorded period (None: first)."""
    target = target_in_force(kpi, period)
    if current is not None and current.value is not None:
        rag, reason = rate_kpi(kpi, current.value, target, no_standard)
        reason += _not_yet_due_words(kpi, target, period, rag) + _target_caution(kpi, target)
        return KpiStatus(
            kpi=kpi,
            value=current.value,
            value_text=current.text,
            as_at=current.as_at,
            carried_forward=False,
            target=target,
            rag=rag,
            rag_reason=reason,
            previous_value=previous_value,
            direction=kpi_direction(kpi, previous_value, current.value),
            note=current.note,
            source=current.source,
        )
    earlier = last if last is not None and last.value is not None else baseline_value(kpi)
    value = earlier.value if earlier is not None else None
    rag, reason = rate_kpi(kpi, value, target, no_standard)
    if earlier is not None and value is not None:
        reason += (
            _not_yet_due_words(kpi, target, period, rag)
            + _carried_words(earlier)
            + _target_caution(kpi, target)
        )
    elif earlier is None:
        reason = "Not rated: no value has been recorded and the plan gives no baseline"
    return KpiStatus(
        kpi=kpi,
        value=value,
        value_text=earlier.text if earlier is not None else "",
        as_at=earlier.as_at if earlier is not None else None,
        carried_forward=earlier is not None and value is not None and _before(earlier, period),
        target=target,
        rag=rag,
        rag_reason=reason,
        previous_value=previous_value,
        direction=kpi_direction(kpi, previous_value, value),
        note=PLAN_BASELINE if earlier is not None and earlier.is_baseline else "",
    )


def _not_yet_due_words(kpi: Kpi, target: KpiTarget | None, period: Period, rag: KpiRag) -> str:
    """Which target a KPI was rated against and when it is due, while that target (the
    plan's first, before any is reached) is after PERIOD, so a Red months before the target
    is due is never read as a target missed."""
    if target is None or target.value is None or rag is KpiRag.NOT_RATED:
        return ""
    if target.date <= period.last_day:
        return ""
    amount = with_unit(kpi.unit, format_value(target.value))
    first = f"the first target, {amount} by {target.date:%B %Y}"
    if rag is KpiRag.GREEN:
        return f"; {first}, is met before it is due"
    if kpi.standard is not None:
        return f"; rated against the standard: {first}, is not yet due"
    return f"; rated against {first}, which is not yet due"


def _target_caution(kpi: Kpi, target: KpiTarget | None) -> str:
    if target is None or not on_wrong_side(kpi, target):
        return ""
    return "; check the target: it is on the wrong side of the baseline"


def _carried_words(earlier: LastKpiValue) -> str:
    when = f"as at {earlier.as_at:%d/%m/%Y}" if earlier.as_at else "date not given"
    if earlier.is_baseline:
        return f"; the plan's baseline ({when}), no value recorded since"
    assert earlier.period is not None
    return f"; carried forward from {earlier.period.label} ({when})"


def _before(earlier: LastKpiValue, period: Period) -> bool:
    """A value is carried forward unless it was measured in PERIOD itself (a baseline dated
    this month, say)."""
    if earlier.period is not None:
        return earlier.period < period
    return earlier.as_at is None or Period.of(earlier.as_at) < period


def kpi_statuses(
    config: Config,
    plan: Plan,
    period: Period,
    reading: KpiReading,
    last_period: Period | None,
    recorded: Mapping[str, tuple[float | None, dt.date | None]],
) -> tuple[list[KpiStatus], list[Finding]]:
    """Every KPI in the plan for PERIOD, with the KPI return's findings.

    READING is the KPI return as the checker read it (``check_kpi_period``); RECORDED is each
    KPI's (value in force, as-at date) as history recorded it for LAST_PERIOD, the latest
    recorded period before PERIOD (None, and nothing recorded, for the first).
    """
    no_standard = config.settings.kpis.no_standard
    statuses = []
    for kpi in plan.kpis:
        value, as_at = recorded.get(kpi.code, (None, None))
        last = (
            LastKpiValue(value, format_value(value), as_at, last_period)
            if value is not None and last_period is not None
            else None
        )
        statuses.append(
            kpi_status(kpi, period, reading.values.get(kpi.code), last, value, no_standard)
        )
    return statuses, list(reading.findings)
