"""One display rule for KPI values, baselines and targets in the reports: the number with the
KPI's unit once, "as at" once, and a target not yet due says so with its date."""

from __future__ import annotations

import datetime as dt

import pytest

from packbuilder.model import Kpi, KpiTarget, Period
from packbuilder.reports.context import kpi_amount, kpi_target_text

PERCENT = Kpi("NS01", "Families who rate the local offer as helpful", unit="%")
WEEKS = Kpi("NS02", "Average weeks to finish an assessment", unit="weeks")
PLAIN = Kpi("NS03", "Families at the forum")
COUNTED = Kpi("NS04", "Appeals lodged", unit="number")
RATE = Kpi("NS05", "Exclusions", unit="per 1,000")
PERCENT_IN_WORDS = Kpi("NS06", "Attendance", unit="percent")


@pytest.mark.parametrize(
    ("kpi", "number", "written", "shown"),
    [
        (PERCENT, 71.0, "71%", "71%"),
        (PERCENT, 71.0, "71", "71%"),
        (PERCENT, 52.0, "52% (Nov 2023)", "52%"),
        (PERCENT, 12.5, "12.5 %", "12.5%"),
        (WEEKS, 30.0, "30", "30 weeks"),
        (WEEKS, 30.0, "30 weeks", "30 weeks"),
        (PLAIN, 1200.0, "1200", "1,200"),
        (PLAIN, 58.0, "58", "58"),
        (COUNTED, 69.4, "69.4", "69.4"),
        (RATE, 4.5, "4.5", "4.5 per 1,000"),
        (PERCENT_IN_WORDS, 91.0, "91", "91%"),
        (PERCENT, None, "TBC", "TBC"),
    ],
)
def test_a_kpi_amount_is_the_number_with_its_unit_once(
    kpi: Kpi, number: float | None, written: str, shown: str
) -> None:
    assert kpi_amount(kpi, number, written) == shown


def test_a_target_says_when_it_is_due_and_whether_it_is_due_yet() -> None:
    target = KpiTarget(dt.date(2027, 12, 31), 60.0, "60")
    assert kpi_target_text(PERCENT, target, Period(2026, 11)) == "60% by Dec 2027 (not yet due)"
    assert kpi_target_text(PERCENT, target, Period(2027, 12)) == "60% by Dec 2027"
    tbc = KpiTarget(dt.date(2027, 3, 31), None, "TBC")
    assert kpi_target_text(WEEKS, tbc, Period(2027, 6)) == "TBC by Mar 2027"
    assert kpi_target_text(WEEKS, None, Period(2027, 6)) == "No target"
