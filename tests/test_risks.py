"""The risk register per period: changes since last period, and the top risks."""

from __future__ import annotations

import pytest

from packbuilder.kpis.risks import risk_statuses, top_risks
from packbuilder.model import Plan, Risk, RiskStatus


def risk(
    risk_id: str,
    severity: str = "High",
    after: str = "",
    status: str = "Open",
    text: str = "",
) -> Risk:
    return Risk(
        id=risk_id,
        date_text="17/05/23",
        risk=text or f"Risk {risk_id}",
        severity=severity,
        severity_after=after or severity,
        status=status,
        owner="Programme director",
    )


def plan_with(*risks: Risk) -> Plan:
    return Plan((), (), (), (), risks=risks)


def changes(statuses: list[RiskStatus]) -> list[tuple[str, str, str]]:
    return [(s.risk.id, s.change, s.previous_severity_after) for s in statuses]


@pytest.mark.parametrize(
    ("previous", "current", "expected"),
    [
        # the first report compares with nothing
        (None, [risk("R01")], [("R01", "First report", "")]),
        (None, [risk("R01", status="Closed")], [("R01", "Closed", "")]),
        # new: in this period's register, not in the last
        ([risk("R01")], [risk("R01"), risk("R02", "Low")],
         [("R01", "No change", "High"), ("R02", "New", "")]),
        # closed: gone from the register, or marked Closed
        ([risk("R01"), risk("R02")], [risk("R01")],
         [("R01", "No change", "High"), ("R02", "Closed", "High")]),
        ([risk("R01")], [risk("R01", status="Closed")], [("R01", "Closed", "High")]),
        # a risk closed last period and still closed, or since removed, is not news
        ([risk("R01", status="Closed")], [risk("R01", status="closed")],
         [("R01", "No change", "High")]),
        ([risk("R01", status="Closed")], [], []),
        # severity after mitigation decides up and down, whatever the severity before it
        ([risk("R01", "High", "Medium")], [risk("R01", "High", "High")],
         [("R01", "Severity up", "Medium")]),
        ([risk("R01", "High", "High")], [risk("R01", "High", "Low")],
         [("R01", "Severity down", "High")]),
        ([risk("R01", "Medium", "Medium")], [risk("R01", "High", "Medium")],
         [("R01", "No change", "Medium")]),
        # a blank severity after mitigation reads as the severity
        ([risk("R01", "Medium", "Medium")], [Risk("R01", "", "Risk", "High")],
         [("R01", "Severity up", "Medium")]),
    ],
)  # fmt: skip
def test_what_changed_since_last_period(
    previous: list[Risk] | None, current: list[Risk], expected: list[tuple[str, str, str]]
) -> None:
    assert changes(risk_statuses(plan_with(*current), previous)) == expected


def test_top_risks_by_severity_after_mitigation_then_severity_then_id() -> None:
    statuses = risk_statuses(
        plan_with(
            risk("R10", "High", "High"),
            risk("R02", "High", "Medium"),
            risk("R03", "Medium", "Medium"),
            risk("R04", "High", "High", status="Closed"),
            risk("R05", "Low", "Low"),
            risk("R9", "High", "High"),
            risk("R06", "Medium", "High"),
        ),
        [risk("R04"), risk("R07")],
    )
    assert [s.risk.id for s in top_risks(statuses, 10)] == ["R9", "R10", "R06", "R02", "R03", "R05"]
    assert [s.risk.id for s in top_risks(statuses, 2)] == ["R9", "R10"]


def test_top_risks_puts_r2_before_r10_and_leaves_closed_risks_out() -> None:
    statuses = risk_statuses(
        plan_with(
            risk("R10"),
            risk("R2"),
            risk("R1", status="Closed"),
            risk("R11", "Medium"),
            risk("R3", status=" closed "),
        ),
        [risk("R1"), risk("R3"), risk("R4")],  # R4 gone from the register: closed
    )
    assert [(s.risk.id, s.change) for s in top_risks(statuses)] == [
        ("R2", "New"),
        ("R10", "New"),
        ("R11", "New"),
    ]
    assert [s.risk.id for s in top_risks(statuses, 1)] == ["R2"]
