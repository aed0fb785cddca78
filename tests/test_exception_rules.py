"""Each exception rule, its switch in config, and the run of periods read from history."""

from __future__ import annotations

import dataclasses
import datetime as dt

from period_fixtures import (
    AUGUST,
    JULY,
    A,
    G,
    R,
    action,
    check_of,
    error_at,
    plan_of,
    returned,
    update,
)

from packbuilder.config import Exceptions
from packbuilder.exception_rules import (
    EXCEPTION_RULES,
    period_exceptions,
    periods_in_exception,
    switched_on,
)
from packbuilder.model import (
    ActionStatus,
    Direction,
    FileStatus,
    Kpi,
    KpiRag,
    KpiStatus,
    Period,
    ReturnStatus,
    Risk,
    RiskStatus,
)

PLAN = plan_of(
    action("1A1", "ann"),
    action("1A2", "ann", end=dt.date(2023, 6, 30)),
    action("2A1", "bob", area=2),
    action("3A1", "cat", area=3),
)
ACTIONS = PLAN.action_by_id()


def status(action_id: str, progress=A, impact=A, previous=(A, A), **values) -> ActionStatus:  # type: ignore[no-untyped-def]
    made = ActionStatus(
        ACTIONS[action_id], progress, impact, previous[0], previous[1], ReturnStatus.UPDATED
    )
    for name, value in values.items():
        setattr(made, name, value)
    return made


def run(statuses, check=None, kpis=(), risks=(), rules=None, recorded=None):  # type: ignore[no-untyped-def]
    return [
        (e.rule, e.subject)
        for e in period_exceptions(
            rules or Exceptions(),
            ["Low"],
            AUGUST,
            PLAN,
            statuses,
            check or check_of(AUGUST, PLAN, *[returned(o) for o in ("ann", "bob", "cat")]),
            list(kpis),
            list(risks),
            recorded or {},
        )
    ]


def test_red_progress_and_red_impact() -> None:
    assert run(
        [status("1A1", progress=R, previous=(R, A)), status("2A1", impact=R, previous=(A, R))]
    ) == [
        ("red-progress", "1A1"),
        ("red-impact", "2A1"),
    ]


def test_overdue_uses_the_end_date_in_force_and_ignores_complete_actions() -> None:
    assert run([status("1A2")]) == [("overdue", "1A2")]
    assert run([status("1A2", progress=G, previous=(G, A))]) == []
    assert run([status("1A2", revised_end_date=dt.date(2023, 12, 31))]) == []


def test_overdue_against_a_revised_end_date_says_when_it_was_revised() -> None:
    late = status("1A2", revised_end_date=dt.date(2023, 8, 15), end_date_agreed_in=Period(2023, 7))
    [item] = period_exceptions(
        Exceptions(),
        ["Low"],
        AUGUST,
        PLAN,
        [late],
        check_of(AUGUST, PLAN, *[returned(o) for o in ("ann", "bob", "cat")]),
        [],
        [],
        {},
    )
    assert (item.rule, item.summary.split(":")[0]) == (
        "overdue",
        "Past its end date of 15 Aug 2023 (revised in July 2023) and not complete",
    )


def test_worse_than_last_period_names_the_move() -> None:
    worse = period_exceptions(
        Exceptions(),
        ["Low"],
        AUGUST,
        PLAN,
        [status("1A1", previous=(G, A))],
        check_of(AUGUST, PLAN, returned("ann"), returned("bob"), returned("cat")),
        [],
        [],
        {},
    )
    assert [(e.rule, e.summary) for e in worse] == [
        ("worse", "Progress Green → Amber since last period")
    ]
    assert status("1A1", previous=(None, None)).progress_direction is Direction.NEW
    assert run([status("1A1", previous=(None, None))]) == []


def test_low_confidence_and_escalation() -> None:
    assert run([status("1A1", confidence="Low"), status("2A1", confidence="High")]) == [
        ("low-confidence", "1A1")
    ]
    assert run([status("1A1", escalation=True), status("2A1", escalation=False)]) == [
        ("escalation", "1A1")
    ]


def test_missing_and_invalid_returns_per_officer() -> None:
    check = check_of(
        AUGUST,
        PLAN,
        returned(
            "ann",
            update("1A1", 5, R, R, row_rejected="locked-text-changed"),
            findings=[error_at("ann.xlsx", "1A1")],
        ),
        returned("bob", status=FileStatus.REJECTED),
    )
    assert run([], check=check) == [
        ("missing-return", "cat"),
        ("invalid-return", "ann"),
        ("invalid-return", "bob"),
    ]


def test_red_kpi_and_high_risk_after_mitigation() -> None:
    kpi = Kpi("APP08", "Plans issued in 20 weeks", areas=(4,))
    kpis = [
        KpiStatus(
            kpi,
            64,
            "64",
            None,
            False,
            None,
            KpiRag.RED,
            "64 against a target of 75",
            None,
            Direction.NEW,
        ),
        KpiStatus(
            Kpi("APP09", "x"), 80, "80", None, False, None, KpiRag.GREEN, "", None, Direction.NEW
        ),
    ]
    risks = [
        RiskStatus(Risk("R01", "", "Capacity", "High", severity_after="High"), "No change"),
        RiskStatus(Risk("R02", "", "Data", "High", severity_after="Medium"), "No change"),
        RiskStatus(
            Risk("R03", "", "Funding", "High", severity_after="High", status="Closed"), "Closed"
        ),
    ]
    assert run([], kpis=kpis, risks=risks) == [("red-kpi", "APP08"), ("high-risk", "R01")]
    assert run([], risks=risks, rules=Exceptions(high_risk_levels=["High", "Medium"])) == [
        ("high-risk", "R01"),
        ("high-risk", "R02"),
    ]


def test_every_rule_can_be_switched_off() -> None:
    off = Exceptions(
        red_progress=False,
        red_impact=False,
        overdue=False,
        worse=False,
        low_confidence=False,
        escalation=False,
        missing_return=False,
        invalid_return=False,
        red_kpi=False,
        high_risk=False,
    )
    statuses = [
        status("1A2", progress=R, impact=R, previous=(G, G), confidence="Low", escalation=True)
    ]
    assert run(statuses, check=check_of(AUGUST, PLAN), rules=off) == []
    assert len(run(statuses, check=check_of(AUGUST, PLAN))) == 9


def test_every_switch_in_config_names_one_registered_rule() -> None:
    switches = [f.name for f in dataclasses.fields(Exceptions) if f.name != "high_risk_levels"]
    assert list(EXCEPTION_RULES) == switches


def test_only_the_rules_switched_on_are_looked_up() -> None:
    rules = Exceptions(red_impact=False, worse=False, high_risk=False)
    assert switched_on(rules) == [
        "red_progress",
        "overdue",
        "low_confidence",
        "escalation",
        "missing_return",
        "invalid_return",
        "red_kpi",
    ]
    statuses = [status("1A1", progress=R, impact=R, previous=(G, G))]
    assert run(statuses, check=check_of(AUGUST, PLAN), rules=rules) == [
        ("red-progress", "1A1"),
        ("missing-return", "ann"),
        ("missing-return", "bob"),
        ("missing-return", "cat"),
    ]


def test_periods_in_exception_counts_the_recorded_consecutive_run() -> None:
    june, may = Period(2023, 6), Period(2023, 5)
    recorded = {
        JULY: {("action", "1A1")},
        june: {("action", "1A1"), ("action", "2A1")},
        may: set(),
    }
    assert periods_in_exception(recorded, AUGUST, "action", "1A1") == 3
    assert periods_in_exception(recorded, AUGUST, "action", "2A1") == 1
    items = period_exceptions(
        Exceptions(),
        ["Low"],
        AUGUST,
        PLAN,
        [status("1A1", progress=R, previous=(R, A))],
        check_of(AUGUST, PLAN, returned("ann"), returned("bob"), returned("cat")),
        [],
        [],
        recorded,
    )
    assert [(i.subject, i.periods_in_exception) for i in items] == [("1A1", 3)]
