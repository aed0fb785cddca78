"""KPI RAG rules: target in force, rating, direction, and the plan's wrong-side targets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from packbuilder.kpis.last import LastKpiValue
from packbuilder.kpis.rag import format_value, kpi_direction, rate_kpi, target_in_force
from packbuilder.kpis.read import KpiValue
from packbuilder.kpis.status import kpi_status
from packbuilder.kpis.targets import target_side_findings
from packbuilder.model import (
    Direction,
    Finding,
    Kpi,
    KpiRag,
    KpiTarget,
    Period,
    Plan,
    Polarity,
    Severity,
)

JUNE_2023 = dt.date(2023, 6, 30)
DECEMBER_2023 = dt.date(2023, 12, 31)
JULY_2024 = dt.date(2024, 7, 31)
JULY_2025 = dt.date(2025, 7, 31)


def seed_kpi(
    code: str,
    baseline: float,
    june: float | None,
    december: float | None,
    polarity: Polarity = Polarity.HIGHER,
) -> Kpi:
    """A high-impact KPI as the seed writes it: four dated targets, the later two TBC."""

    def target(date: dt.date, value: float | None) -> KpiTarget:
        return KpiTarget(date, value, "TBC" if value is None else format_value(value))

    return Kpi(
        code=code,
        description=f"{code} as the plan describes it",
        unit="%",
        polarity=polarity,
        frequency="annual",
        baseline=baseline,
        baseline_text=format_value(baseline),
        baseline_date=JUNE_2023,
        targets=(
            target(JUNE_2023, june),
            target(DECEMBER_2023, december),
            target(JULY_2024, None),
            target(JULY_2025, None),
        ),
        high_impact=True,
    )


# --------------------------------------------------------------------------- target in force


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("2023-05", JUNE_2023),  # before the first target: the first
        ("2023-06", JUNE_2023),  # on the target's own month end
        ("2023-11", JUNE_2023),
        ("2023-12", DECEMBER_2023),
        ("2024-06", DECEMBER_2023),
        ("2024-07", JULY_2024),
        ("2026-01", JULY_2025),
    ],
)
def test_target_in_force_is_the_latest_on_or_before_the_period_end(
    period: str, expected: dt.date
) -> None:
    kpi = seed_kpi("APP08", 64, 75, 90)
    target = target_in_force(kpi, Period.parse(period))
    assert target is not None and target.date == expected


def test_target_in_force_ignores_the_order_targets_are_listed_in() -> None:
    kpi = seed_kpi("APP08", 64, 75, 90)
    shuffled = Kpi(**{**kpi.__dict__, "targets": tuple(reversed(kpi.targets))})
    target = target_in_force(shuffled, Period(2023, 12))
    assert target is not None and target.value == 90


def test_no_targets_means_no_target_in_force() -> None:
    assert target_in_force(Kpi("APP99", "No targets yet"), Period(2023, 7)) is None


# --------------------------------------------------------------------------- the RAG table

# Per polarity: target, standard, and three values: one meeting the target (and the standard),
# one meeting the standard only, one meeting neither.
LEVELS = {
    Polarity.HIGHER: {"target": 75.0, "standard": 60.0, "both": 80.0, "standard_only": 65.0,
                      "neither": 50.0},
    Polarity.LOWER: {"target": 50.0, "standard": 60.0, "both": 40.0, "standard_only": 55.0,
                     "neither": 70.0},
}  # fmt: skip

R, A, G, N = KpiRag.RED, KpiRag.AMBER, KpiRag.GREEN, KpiRag.NOT_RATED

# (standard, target) -> RAG of a value present or carried forward. Standard: none, met or not
# met (by the value chosen); target: met, not met, TBC or absent. A missing value is Not rated.
RAG_BY_STANDARD_AND_TARGET: dict[tuple[str, str], KpiRag] = {
    ("none", "met"): G,
    ("none", "not met"): R,
    ("none", "TBC"): N,
    ("none", "absent"): N,
    ("met", "met"): G,
    ("met", "not met"): A,
    ("met", "TBC"): N,
    ("met", "absent"): N,
    ("not met", "met"): G,  # a value meeting the target meets the standard too
    ("not met", "not met"): R,
    ("not met", "TBC"): N,
    ("not met", "absent"): N,
}
RAG_TABLE: list[tuple[str, str, str, KpiRag]] = [
    (standard, target, value, N if value == "missing" else rag)
    for (standard, target), rag in RAG_BY_STANDARD_AND_TARGET.items()
    for value in ("present", "missing", "carried forward")
]


def _value_for(polarity: Polarity, standard: str, target: str) -> float:
    levels = LEVELS[polarity]
    if target == "met":
        return levels["both"]
    if standard == "met":
        return levels["standard_only"]
    return levels["neither"]


def _table_kpi(polarity: Polarity, standard: str, target: str) -> tuple[Kpi, KpiTarget | None]:
    levels = LEVELS[polarity]
    target_value = None if target == "TBC" else levels["target"]
    dated = KpiTarget(JUNE_2023, target_value, "TBC" if target_value is None else "75")
    kpi = Kpi(
        code="APP01",
        description="A KPI",
        polarity=polarity,
        baseline=None,
        standard=None if standard == "none" else levels["standard"],
        targets=() if target == "absent" else (dated,),
    )
    return kpi, None if target == "absent" else dated


@pytest.mark.parametrize("polarity", list(Polarity))
@pytest.mark.parametrize(("standard", "target", "value", "expected"), RAG_TABLE)
def test_rag_for_every_polarity_standard_target_and_value(
    polarity: Polarity, standard: str, target: str, value: str, expected: KpiRag
) -> None:
    kpi, dated = _table_kpi(polarity, standard, target)
    number = _value_for(polarity, standard, target)
    period = Period(2023, 8)
    current = KpiValue(number, format_value(number), dt.date(2023, 8, 31))
    last = LastKpiValue(number, format_value(number), dt.date(2023, 7, 31), Period(2023, 7))
    if value == "present":
        status = kpi_status(kpi, period, current, None, None)
        assert (status.carried_forward, status.as_at) == (False, dt.date(2023, 8, 31))
    elif value == "missing":
        status = kpi_status(kpi, period, None, None, None)
        assert status.value is None
    else:
        status = kpi_status(kpi, period, None, last, number)
        assert (status.carried_forward, status.as_at) == (True, dt.date(2023, 7, 31))
        assert "carried forward from July 2023 (as at 31/07/2023)" in status.rag_reason
    assert status.target == dated
    assert status.rag is expected, status.rag_reason
    if value != "missing":
        assert rate_kpi(kpi, number, dated) == (status.rag, status.rag_reason.split("; ")[0])


@pytest.mark.parametrize(
    ("polarity", "standard", "value", "target", "no_standard", "expected"),
    [
        (Polarity.HIGHER, None, 64, 75, "red", (R, "64 against a target of 75 (higher is "
         "better): target not met, and the plan sets no standard")),
        (Polarity.HIGHER, None, 64, 75, "amber", (A, "64 against a target of 75 (higher is "
         "better): target not met, and the plan sets no standard")),
        (Polarity.HIGHER, None, 75, 75, "red", (G, "75 against a target of 75 (higher is "
         "better): target met")),
        (Polarity.LOWER, None, 64.6, 50, "red", (R, "64.6 against a target of 50 (lower is "
         "better): target not met, and the plan sets no standard")),
        (Polarity.LOWER, None, 50, 50, "red", (G, "50 against a target of 50 (lower is "
         "better): target met")),
        (Polarity.HIGHER, 60, 65, 75, "red", (A, "65 against a target of 75 (higher is "
         "better): standard of 60 met, target not met")),
        (Polarity.LOWER, 60, 61, 50, "amber", (R, "61 against a target of 50 (lower is "
         "better): standard of 60 not met")),
        (Polarity.HIGHER, None, 7399, 7000, "red", (G, "7,399 against a target of 7,000 "
         "(higher is better): target met")),
    ],
)  # fmt: skip
def test_rate_kpi_words(
    polarity: Polarity,
    standard: float | None,
    value: float,
    target: float,
    no_standard: str,
    expected: tuple[KpiRag, str],
) -> None:
    kpi = Kpi("APP01", "A KPI", polarity=polarity, standard=standard)
    dated = KpiTarget(JUNE_2023, target, format_value(target))
    assert rate_kpi(kpi, value, dated, "amber" if no_standard == "amber" else "red") == expected


@pytest.mark.parametrize(
    ("value", "target", "expected"),
    [
        (None, KpiTarget(JUNE_2023, 75, "75"), "Not rated: no value has been recorded"),
        (64, None, "Not rated: the plan sets no target for this KPI"),
        (
            64,
            KpiTarget(DECEMBER_2023, None, "TBC"),
            "Not rated: the target for December 2023 is 'TBC', not yet a number",
        ),
    ],
)
def test_not_rated_says_why(value: float | None, target: KpiTarget | None, expected: str) -> None:
    assert rate_kpi(Kpi("APP01", "A KPI"), value, target) == (KpiRag.NOT_RATED, expected)


# --------------------------------------------------------------------------- direction


@pytest.mark.parametrize(
    ("polarity", "previous", "current", "expected"),
    [
        (Polarity.HIGHER, 60, 64, Direction.IMPROVED),
        (Polarity.HIGHER, 64, 60, Direction.WORSE),
        (Polarity.HIGHER, 64, 64, Direction.SAME),
        (Polarity.LOWER, 64.6, 60, Direction.IMPROVED),
        (Polarity.LOWER, 60, 64.6, Direction.WORSE),
        (Polarity.LOWER, 60, 60, Direction.SAME),
        (Polarity.HIGHER, None, 64, Direction.NEW),
        (Polarity.LOWER, None, None, Direction.NEW),
        (Polarity.HIGHER, 64, None, Direction.NOT_COMPARABLE),
    ],
)
def test_direction_uses_polarity(
    polarity: Polarity, previous: float | None, current: float | None, expected: Direction
) -> None:
    assert kpi_direction(Kpi("APP01", "A KPI", polarity=polarity), previous, current) is expected


def test_status_direction_against_the_previous_recorded_value() -> None:
    kpi = seed_kpi("APP20", 64.6, 50, 30, Polarity.LOWER)
    current = KpiValue(58.0, "58", dt.date(2023, 8, 31))
    status = kpi_status(kpi, Period(2023, 8), current, None, 64.6)
    assert (status.previous_value, status.direction, status.rag) == (
        64.6,
        Direction.IMPROVED,
        KpiRag.RED,
    )


# --------------------------------------------------------------------------- the seed's June 2023


# The seed's high-impact tables: baseline June 2023, target June 2023, the RAG it publishes,
# and the December 2023 target. All are percentages; APP20 alone is lower-is-better.
SEED_JUNE_2023 = [
    ("APP08", 64, 75, 90, Polarity.HIGHER, KpiRag.RED),
    ("APP09", 46, 65, 80, Polarity.HIGHER, KpiRag.RED),
    ("APP10", 41, 55, 70, Polarity.HIGHER, KpiRag.RED),
    ("APP18", 49.1, 75, 80, Polarity.HIGHER, KpiRag.RED),
    ("APP12", 42, 65, 80, Polarity.HIGHER, KpiRag.RED),
    ("APP13", 49, 65, 80, Polarity.HIGHER, KpiRag.RED),
    ("APP17", 13.2, 60, 80, Polarity.HIGHER, KpiRag.RED),
    ("APP20", 64.6, 50, 30, Polarity.LOWER, KpiRag.RED),
    ("APP22", 19.0, 65, 75, Polarity.HIGHER, KpiRag.RED),
    ("APP04", 52, 65, 80, Polarity.HIGHER, KpiRag.RED),
    ("APP31", 40.8, None, None, Polarity.HIGHER, KpiRag.NOT_RATED),  # the seed's "TBC"
]


@pytest.mark.parametrize(("code", "baseline", "june", "december", "polarity", "published"),
                         SEED_JUNE_2023)  # fmt: skip
def test_the_seeds_published_june_2023_rags(
    code: str,
    baseline: float,
    june: float | None,
    december: float | None,
    polarity: Polarity,
    published: KpiRag,
) -> None:
    kpi = seed_kpi(code, baseline, june, december, polarity)
    status = kpi_status(kpi, Period(2023, 6), None, None, None)
    assert (status.value, status.as_at, status.carried_forward) == (baseline, JUNE_2023, False)
    assert status.rag is published, status.rag_reason
    assert status.direction is Direction.NEW


def test_app08_reason_reads_as_the_board_would_say_it() -> None:
    status = kpi_status(seed_kpi("APP08", 64, 75, 90), Period(2023, 6), None, None, None)
    assert status.rag_reason == (
        "64 against a target of 75 (higher is better): target not met, and the plan sets no "
        "standard; the plan's baseline (as at 30/06/2023), no value recorded since"
    )
    assert status.note == "Plan baseline"


def test_the_baseline_carries_forward_against_the_december_target() -> None:
    status = kpi_status(seed_kpi("APP08", 64, 75, 90), Period(2023, 12), None, None, 64)
    assert status.carried_forward is True
    assert status.target is not None and status.target.value == 90
    assert (status.rag, status.direction) == (KpiRag.RED, Direction.SAME)


def test_no_value_and_no_baseline_is_not_rated() -> None:
    kpi = Kpi("APP99", "New KPI", targets=(KpiTarget(JUNE_2023, 75, "75"),))
    status = kpi_status(kpi, Period(2023, 7), None, None, None)
    assert (status.rag, status.rag_reason, status.value) == (
        KpiRag.NOT_RATED,
        "Not rated: no value has been recorded and the plan gives no baseline",
        None,
    )


# --------------------------------------------------------------------------- wrong-side targets


def _plan(*kpis: Kpi) -> Plan:
    return Plan((), (), (), (), kpis=kpis, source=Path("plan.xlsx"))


def test_targets_on_the_wrong_side_of_the_baseline_are_warned_about() -> None:
    app57 = seed_kpi("APP57", 13.3, None, 80, Polarity.LOWER)  # total absence
    app62 = seed_kpi("APP62", 89, None, 70, Polarity.HIGHER)  # attendance
    app08 = seed_kpi("APP08", 64, 75, 90)
    app20 = seed_kpi("APP20", 64.6, 50, 30, Polarity.LOWER)
    findings = target_side_findings(_plan(app57, app62, app08, app20))
    assert findings == [
        Finding(
            code="KPI-TARGET-WRONG-SIDE",
            severity=Severity.WARNING,
            message="KPI APP57 (lower is better) has a target of 80 for December 2023, above "
            "its baseline of 13.3: it would be rated Green for getting worse. Check the target "
            "(is it another measure's, or is the polarity wrong?) and correct the KPI targets "
            "or KPIs sheet; until then packbuilder rates against the target as written.",
            file="plan.xlsx",
            sheet="KPI targets",
            value="80",
        ),
        Finding(
            code="KPI-TARGET-WRONG-SIDE",
            severity=Severity.WARNING,
            message="KPI APP62 (higher is better) has a target of 70 for December 2023, below "
            "its baseline of 89: it would be rated Green for getting worse. Check the target "
            "(is it another measure's, or is the polarity wrong?) and correct the KPI targets "
            "or KPIs sheet; until then packbuilder rates against the target as written.",
            file="plan.xlsx",
            sheet="KPI targets",
            value="70",
        ),
    ]


def test_a_wrong_side_target_is_rated_as_written_with_a_caution() -> None:
    app57 = seed_kpi("APP57", 13.3, None, 80, Polarity.LOWER)
    status = kpi_status(app57, Period(2023, 12), None, None, 13.3)
    assert status.rag is KpiRag.GREEN
    assert status.rag_reason.endswith("; check the target: it is on the wrong side of the baseline")
