"""KPI statuses for a period: this month's return, carried forward values and the baseline."""

from __future__ import annotations

import datetime as dt

from kpi_fixtures import AUGUST, END_JULY, JULY, config, fill, plan

from packbuilder.config import Config
from packbuilder.kpis.read import KpiReading, KpiValue
from packbuilder.kpis.status import KpiHistory, kpi_statuses
from packbuilder.model import Direction, KpiRag, KpiStatus, Period, Plan, Rating

__all__ = ["config", "plan"]  # fixtures

END_AUGUST = dt.date(2023, 8, 31)
R, A, G, N = KpiRag.RED, KpiRag.AMBER, KpiRag.GREEN, KpiRag.NOT_RATED


class RecordedKpis:
    """History as the build records it: the value in force per KPI per recorded period."""

    def __init__(self, values: dict[Period, dict[str, tuple[float | None, dt.date | None]]]):
        self.values = values

    def recorded_periods(self) -> list[Period]:
        return sorted(self.values)

    def ratings(self, period: Period) -> dict[str, tuple[Rating | None, Rating | None]]:
        return {}

    def kpi_values(self, period: Period) -> dict[str, tuple[float | None, dt.date | None]]:
        return self.values.get(period, {})


def seen(statuses: list[KpiStatus]) -> list[tuple[object, ...]]:
    return [
        (s.kpi.code, s.value, s.as_at, s.carried_forward, s.rag, s.previous_value, s.direction)
        for s in statuses
    ]


def test_first_report_rates_the_baselines_and_warns_of_the_missing_return(
    config: Config, plan: Plan
) -> None:
    statuses, findings = kpi_statuses(config, plan, JULY, None)
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
    history: KpiHistory = RecordedKpis(
        {JULY: {"APP01": (64, END_JULY), "APP02": (3, END_JULY), "APP40": (7000, END_JULY)}}
    )
    statuses, findings = kpi_statuses(config, plan, AUGUST, history)
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
    statuses, findings = kpi_statuses(config, plan, AUGUST, None, reading)
    assert (statuses[0].value, statuses[0].rag, findings) == (80, G, [])


def test_the_latest_recorded_period_before_this_one_counts(config: Config, plan: Plan) -> None:
    history = RecordedKpis(
        {
            Period(2023, 6): {"APP01": (50, dt.date(2023, 6, 30))},
            JULY: {"APP01": (64, END_JULY)},
            AUGUST: {"APP01": (99, END_AUGUST)},  # a build of this period already recorded
        }
    )
    statuses, _ = kpi_statuses(config, plan, AUGUST, history)
    assert seen(statuses)[0] == ("APP01", 64, END_JULY, True, A, 64, Direction.SAME)
