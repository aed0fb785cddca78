"""KPI statuses for a period: this month's return, carried forward values and the baseline."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from kpi_fixtures import AUGUST, END_JULY, JULY, config, fill, plan

from packbuilder.config import Config
from packbuilder.kpis.last import last_kpi_values
from packbuilder.kpis.read import KpiReading, KpiValue, check_kpi_period
from packbuilder.kpis.status import kpi_status, kpi_statuses
from packbuilder.model import (
    Direction,
    Kpi,
    KpiRag,
    KpiStatus,
    KpiTarget,
    Period,
    Plan,
    Polarity,
)

__all__ = ["config", "plan"]  # fixtures

END_AUGUST = dt.date(2023, 8, 31)
R, A, G, N = KpiRag.RED, KpiRag.AMBER, KpiRag.GREEN, KpiRag.NOT_RATED


def reading_without_history(config: Config, plan: Plan, period: Period) -> KpiReading:
    """The KPI return as the checker reads it with nothing recorded: last values are the
    plan's baselines."""
    return check_kpi_period(config, plan, period, last_kpi_values(plan, {}))


def seen(statuses: list[KpiStatus]) -> list[tuple[object, ...]]:
    return [
        (s.kpi.code, s.value, s.as_at, s.carried_forward, s.rag, s.previous_value, s.direction)
        for s in statuses
    ]


def test_first_report_rates_the_baselines_and_warns_of_the_missing_return(
    config: Config, plan: Plan
) -> None:
    statuses, findings = kpi_statuses(
        config, plan, JULY, reading_without_history(config, plan, JULY), None, {}
    )
    assert seen(statuses) == [
        ("APP01", 60, dt.date(2023, 3, 31), True, A, None, Direction.NEW),
        ("APP02", None, None, False, N, None, Direction.NEW),
        ("APP40", 7399, dt.date(2023, 5, 31), True, N, None, Direction.NEW),
        ("APP47", 40, None, True, N, None, Direction.NEW),
    ]
    assert statuses[0].rag_reason == (
        "60 against a target of 75 (higher is better): standard of 50 met, target not met; "
        "the plan's baseline (as at 31/03/2023), no value recorded since"
    )
    assert [f.code for f in findings] == ["KPI-NO-RETURN"]


def test_this_months_values_else_carried_forward_with_direction(config: Config, plan: Plan) -> None:
    fill(config, {"M5": 70, "N5": END_AUGUST, "O5": "Survey of 412 parents"}, AUGUST)
    recorded = {"APP01": (64, END_JULY), "APP02": (3, END_JULY), "APP40": (7000, END_JULY)}
    reading = reading_without_history(config, plan, AUGUST)
    statuses, findings = kpi_statuses(config, plan, AUGUST, reading, JULY, recorded)
    assert seen(statuses) == [
        ("APP01", 70, END_AUGUST, False, A, 64, Direction.IMPROVED),
        ("APP02", 3, END_JULY, True, N, 3, Direction.SAME),
        ("APP40", 7000, END_JULY, True, N, 7000, Direction.SAME),
        ("APP47", 40, None, True, N, None, Direction.NEW),
    ]
    assert (statuses[0].note, statuses[0].value_text) == ("Survey of 412 parents", "70")
    assert statuses[0].source is not None
    assert statuses[0].source.where == "2023-08.xlsx › KPIs › M5"
    assert statuses[1].rag_reason == (
        "Not rated: the plan sets no target for this KPI; carried forward from July 2023 "
        "(as at 31/07/2023)"
    )
    # APP40 is monthly and due; APP02 is termly and not due in August.
    assert [(f.code, f.cell) for f in findings] == [("KPI-DUE-NO-VALUE", "M7")]


def test_the_checkers_reading_is_used_as_given(config: Config, plan: Plan) -> None:
    reading = KpiReading(
        path=config.kpis_path(AUGUST),
        values={"APP01": KpiValue(80, "80", END_AUGUST)},
        recognised=True,
    )
    statuses, findings = kpi_statuses(config, plan, AUGUST, reading, None, {})
    assert (statuses[0].value, statuses[0].rag, findings) == (80, G, [])


def test_the_last_recorded_value_is_carried_forward_as_last_periods(
    config: Config, plan: Plan
) -> None:
    reading = reading_without_history(config, plan, AUGUST)
    statuses, _ = kpi_statuses(config, plan, AUGUST, reading, JULY, {"APP01": (64, END_JULY)})
    assert seen(statuses)[0] == ("APP01", 64, END_JULY, True, A, 64, Direction.SAME)
    assert statuses[0].rag_reason.endswith("carried forward from July 2023 (as at 31/07/2023)")


# A new council's KPI: its first target is more than a year after its first month.
FIRST_TARGET = KpiTarget(dt.date(2027, 12, 31), 60.0, "60")
NEW_KPI = Kpi("NS01", "Families who rate the local offer as helpful", unit="%",
              baseline=52.0, baseline_text="52% (Nov 2023)", baseline_date=dt.date(2023, 11, 30),
              targets=(FIRST_TARGET, KpiTarget(dt.date(2028, 12, 31), 70.0, "70")))  # fmt: skip
NOVEMBER_2026 = Period(2026, 11)


@pytest.mark.parametrize(
    ("kpi", "value", "period", "rag", "reason"),
    [
        (NEW_KPI, 58.0, NOVEMBER_2026, R,
         "58 against a target of 60 (higher is better): target not met, and the plan sets no "
         "standard; rated against the first target, 60% by December 2027, which is not yet "
         "due"),
        (replace(NEW_KPI, standard=50.0), 58.0, NOVEMBER_2026, A,
         "58 against a target of 60 (higher is better): standard of 50 met, target not met; "
         "rated against the standard: the first target, 60% by December 2027, is not yet due"),
        (replace(NEW_KPI, standard=55.0), 54.0, NOVEMBER_2026, R,
         "54 against a target of 60 (higher is better): standard of 55 not met; rated against "
         "the standard: the first target, 60% by December 2027, is not yet due"),
        (NEW_KPI, 62.0, NOVEMBER_2026, G,
         "62 against a target of 60 (higher is better): target met; the first target, 60% by "
         "December 2027, is met before it is due"),
        (replace(NEW_KPI, unit="weeks", polarity=Polarity.LOWER, baseline=75.0), 70.0,
         NOVEMBER_2026, R,
         "70 against a target of 60 (lower is better): target not met, and the plan sets no "
         "standard; rated against the first target, 60 weeks by December 2027, which is not "
         "yet due"),
        # once the target's month is reached it is simply the target in force
        (NEW_KPI, 58.0, Period(2027, 12), R,
         "58 against a target of 60 (higher is better): target not met, and the plan sets no "
         "standard"),
    ],
)  # fmt: skip
def test_a_kpi_rated_against_a_target_not_yet_due_says_which_and_when(
    kpi: Kpi, value: float, period: Period, rag: KpiRag, reason: str
) -> None:
    status = kpi_status(kpi, period, KpiValue(value, str(value), period.last_day), None, None)
    assert (status.rag, status.rag_reason) == (rag, reason)


def test_the_baseline_in_a_new_councils_first_month_says_its_target_is_not_yet_due() -> None:
    status = kpi_status(NEW_KPI, NOVEMBER_2026, None, None, None)
    assert (status.rag, status.rag_reason) == (
        R,
        "52 against a target of 60 (higher is better): target not met, and the plan sets no "
        "standard; rated against the first target, 60% by December 2027, which is not yet due; "
        "the plan's baseline (as at 30/11/2023), no value recorded since",
    )
