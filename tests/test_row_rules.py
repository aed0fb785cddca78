"""The row rules of checks/rules.py, tested on rows built in memory.

Each rule gets a table: a row as the officer left it (cells as read, and the update they were
read into), the action's last recorded values, and the findings the rule yields, flattened and
compared exactly (code, severity, cell, value and message). The reading of a real return stays
tested in test_checks.py; here only the judging is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import fields

import pytest

from packbuilder.checks import comparison, dates, ratings
from packbuilder.checks.context import ActionFacts, CheckContext, Place
from packbuilder.checks.rows import RowCheck
from packbuilder.checks.rules import ROW_RULES, RowRule
from packbuilder.findings import REGISTRY
from packbuilder.model import ActionUpdate, Finding, LastValues, Period, Rating
from packbuilder.returns.read import ReturnRow

PERIOD = Period(2023, 8)  # judged as at 31 August 2023
ROW = 7
R, A, G, B, NYR = Rating.RED, Rating.AMBER, Rating.GREEN, Rating.BLUE, Rating.NOT_YET_RATED

Flat = tuple[str, str, str, str, str]  # code, severity, cell, value, message


def facts(end_date: dt.date | None = dt.date(2024, 3, 31)) -> ActionFacts:
    end_text = end_date.strftime("%d %B %Y") if end_date else "Ongoing"
    return ActionFacts("1A1", 1, "1a", "Publish a strategy", end_text, end_date, "head-of-comms")


def last(
    progress: Rating | None = A,
    impact: Rating | None = A,
    commentary: str = "",
    revised_end_date: dt.date | None = None,
) -> LastValues:
    return LastValues(progress, impact, commentary, Period(2023, 7), revised_end_date)


def row_check(
    update: dict[str, object],
    *,
    before: LastValues | None = None,
    first_report: bool = False,
    end_date: dt.date | None = dt.date(2024, 3, 31),
    low_confidence: tuple[str, ...] = ("Low",),
) -> RowCheck:
    """One reporting row of head-of-comms' return, its cells as typed and its update as read."""
    action = facts(end_date)
    read = ActionUpdate("1A1", ROW, **update)  # type: ignore[arg-type]
    cells: dict[str, object] = {}
    for field in fields(ActionUpdate):
        value = update.get(field.name)
        if field.name in ("sources", "rejected", "row_rejected") or value in (None, ""):
            continue
        cells[field.name] = value.value if isinstance(value, Rating) else value
    if update.get("escalation") is not None:
        cells["escalation"] = "Yes" if update["escalation"] else "No"
    ctx = CheckContext(
        period=PERIOD,
        first_report=first_report,
        actions={action.id: action},
        officer_names={"head-of-comms": "Head of Communications"},
        officer_emails={},
        areas={1: "head-of-comms"},
        last_values={action.id: before} if before is not None else {},
        low_confidence=low_confidence,
    )
    place = Place("Return.xlsx", "head-of-comms", "Return")
    return RowCheck(ReturnRow(ROW, cells), action, read, ctx, place)  # type: ignore[arg-type]


def flat(findings: Iterator[Finding]) -> list[Flat]:
    return [(f.code, f.severity.value, f.cell, f.value, f.message) for f in findings]


def judged(rule: RowRule, check: RowCheck) -> list[Flat]:
    found = list(rule(check))
    for f in found:  # every finding names its place as an officer sees it
        assert (f.file, f.sheet, f.officer_id, f.action_id) == (
            "Return.xlsx",
            "Return",
            "head-of-comms",
            "1A1",
        )
    return flat(iter(found))


D = dt.date
RATING_MISSING = "{} BRAG for action 1A1 is blank. Choose one from the list in {}."
COMMENTARY_MISSING = (
    "Action 1A1 is rated {} but has no progress commentary. Say what is happening and what is "
    "being done about it in M7."
)
NO_REASON = (
    "Action 1A1 has a new revised end date ({}) but no reason. Say why the date moved in P7, or "
    "leave the revised end date blank to keep the end date in force ({})."
)
NO_EVIDENCE = "Action 1A1 is rated {} but gives no evidence of impact. Describe the evidence in N7."
ABOVE = "Action 1A1 has impact {} above progress {}. Check both ratings."
WORSE = (
    "{} BRAG for action 1A1 is {}, worse than {} last period. Say why in the progress commentary."
)
OVERDUE = (
    "Action 1A1 was due by {} and progress is {}, not complete. Give a revised end date with a "
    "reason, or rate it complete."
)
COPIED = (
    "The progress commentary for action 1A1 is the same as last period's. Say what has happened "
    "this month."
)
LOW = (
    "Confidence in delivering action 1A1 is {}. Say what would raise it in the commentary or the "
    "key risks."
)
ESCALATION = (
    "Escalation to the board is asked for on action 1A1. Make sure the commentary says what the "
    "board is asked to do."
)


@pytest.mark.parametrize(
    ("update", "expected"),
    [
        pytest.param(
            {},
            [
                ("rating-missing", "error", "K7", "", RATING_MISSING.format("Progress", "K7")),
                ("rating-missing", "error", "L7", "", RATING_MISSING.format("Impact", "L7")),
            ],
            id="both-blank",
        ),
        pytest.param(
            {"progress": A},
            [("rating-missing", "error", "L7", "", RATING_MISSING.format("Impact", "L7"))],
            id="impact-blank",
        ),
        pytest.param({"progress": A, "impact": NYR}, [], id="impact-not-yet-rated"),
    ],
)
def test_rating_missing(update: dict[str, object], expected: list[Flat]) -> None:
    assert judged(ratings.rating_missing, row_check(update)) == expected


@pytest.mark.parametrize(
    ("update", "expected"),
    [
        pytest.param(
            {"progress": R, "impact": A},
            [("commentary-missing", "error", "M7", "", COMMENTARY_MISSING.format("Red"))],
            id="red-progress-names-red",
        ),
        pytest.param(
            {"progress": G, "impact": A},
            [("commentary-missing", "error", "M7", "", COMMENTARY_MISSING.format("Amber"))],
            id="amber-impact",
        ),
        pytest.param(
            {"progress": R, "impact": R, "progress_commentary": "Delayed by recruitment"},
            [],
            id="red-with-words",
        ),
        pytest.param({"progress": G, "impact": G}, [], id="green"),
    ],
)
def test_commentary_missing(update: dict[str, object], expected: list[Flat]) -> None:
    assert judged(ratings.commentary_missing, row_check(update)) == expected


ACCEPTED_JUNE = last(revised_end_date=D(2024, 6, 30))


@pytest.mark.parametrize(
    ("update", "setting", "expected"),
    [
        pytest.param(
            {"progress": A, "revised_end_date": D(2024, 6, 30)},
            {},
            [
                (
                    "revised-date-no-reason",
                    "error",
                    "P7",
                    "",
                    NO_REASON.format("30 June 2024", "31 March 2024"),
                )
            ],
            id="new-date-no-reason",
        ),
        pytest.param(
            {
                "progress": A,
                "revised_end_date": D(2024, 6, 30),
                "revised_reason": "Consultation extended",
            },
            {},
            [],
            id="new-date-with-reason",
        ),
        pytest.param(
            {"progress": A, "revised_end_date": D(2024, 3, 31)}, {}, [], id="plan-date-again"
        ),
        pytest.param(
            {"progress": A, "revised_end_date": D(2024, 6, 30)},
            {"before": ACCEPTED_JUNE},
            [],
            id="accepted-revision-again",
        ),
        pytest.param(
            {"progress": A, "revised_end_date": D(2024, 9, 30)},
            {"before": ACCEPTED_JUNE},
            [
                (
                    "revised-date-no-reason",
                    "error",
                    "P7",
                    "",
                    NO_REASON.format("30 September 2024", "30 June 2024"),
                )
            ],
            id="revision-of-a-revision",
        ),
        pytest.param(
            {"progress": A, "revised_end_date": D(2024, 6, 30)},
            {"end_date": None},
            [
                (
                    "revised-date-no-reason",
                    "error",
                    "P7",
                    "",
                    NO_REASON.format("30 June 2024", "no date"),
                )
            ],
            id="plan-has-no-date",
        ),
    ],
)
def test_revised_date_without_reason(
    update: dict[str, object], setting: dict[str, object], expected: list[Flat]
) -> None:
    check = row_check(update, **setting)  # type: ignore[arg-type]
    assert judged(dates.revised_date_without_reason, check) == expected


@pytest.mark.parametrize(
    ("update", "expected"),
    [
        pytest.param(
            {"progress": B, "impact": G},
            [("evidence-missing", "warning", "N7", "", NO_EVIDENCE.format("Blue"))],
            id="names-the-best-rating",
        ),
        pytest.param(
            {"progress": A, "impact": G},
            [("evidence-missing", "warning", "N7", "", NO_EVIDENCE.format("Green"))],
            id="green-impact",
        ),
        pytest.param(
            {"progress": G, "impact": G, "evidence": "Survey results"}, [], id="with-evidence"
        ),
        pytest.param({"progress": A, "impact": A}, [], id="amber"),
    ],
)
def test_evidence_missing(update: dict[str, object], expected: list[Flat]) -> None:
    assert judged(ratings.evidence_missing, row_check(update)) == expected


@pytest.mark.parametrize(
    ("update", "expected"),
    [
        pytest.param(
            {"progress": A, "impact": G},
            [("impact-above-progress", "warning", "L7", "Green", ABOVE.format("Green", "Amber"))],
            id="green-over-amber",
        ),
        pytest.param(
            {"progress": R, "impact": B},
            [("impact-above-progress", "warning", "L7", "Blue", ABOVE.format("Blue", "Red"))],
            id="blue-over-red",
        ),
        pytest.param({"progress": G, "impact": G}, [], id="equal"),
        pytest.param({"progress": R, "impact": NYR}, [], id="not-yet-rated"),
        pytest.param({"impact": G}, [], id="no-progress"),
    ],
)
def test_impact_above_progress(update: dict[str, object], expected: list[Flat]) -> None:
    assert judged(ratings.impact_above_progress, row_check(update)) == expected


@pytest.mark.parametrize(
    ("update", "setting", "expected"),
    [
        pytest.param(
            {"progress": A, "impact": G},
            {"before": last(G, G)},
            [
                (
                    "rating-worse",
                    "warning",
                    "K7",
                    "Amber",
                    WORSE.format("Progress", "Amber", "Green"),
                )
            ],
            id="progress-worse",
        ),
        pytest.param(
            {"progress": R, "impact": R},
            {"before": last(B, A)},
            [
                ("rating-worse", "warning", "K7", "Red", WORSE.format("Progress", "Red", "Blue")),
                ("rating-worse", "warning", "L7", "Red", WORSE.format("Impact", "Red", "Amber")),
            ],
            id="both-worse",
        ),
        pytest.param({"progress": G, "impact": G}, {"before": last(A, A)}, [], id="better"),
        pytest.param(
            {"progress": R, "impact": R},
            {"before": last(B, B), "first_report": True},
            [],
            id="first-report",
        ),
        pytest.param({"progress": R, "impact": R}, {}, [], id="no-last-values"),
        pytest.param(
            {"progress": A, "impact": R}, {"before": last(A, NYR)}, [], id="was-not-yet-rated"
        ),
        pytest.param(
            {"progress": A, "impact": NYR}, {"before": last(A, G)}, [], id="now-not-yet-rated"
        ),
    ],
)
def test_rating_worse(
    update: dict[str, object], setting: dict[str, object], expected: list[Flat]
) -> None:
    check = row_check(update, **setting)  # type: ignore[arg-type]
    assert judged(comparison.rating_worse, check) == expected


JUNE_2023 = D(2023, 6, 30)


@pytest.mark.parametrize(
    ("update", "setting", "expected"),
    [
        pytest.param(
            {"progress": A},
            {"end_date": JUNE_2023},
            [("overdue", "warning", "K7", "Amber", OVERDUE.format("30 June 2023", "Amber"))],
            id="plan-date-passed",
        ),
        pytest.param({"progress": G}, {"end_date": JUNE_2023}, [], id="passed-but-complete"),
        pytest.param(
            {"progress": R, "revised_end_date": D(2023, 8, 1)},
            {},
            [("overdue", "warning", "O7", "01/08/2023", OVERDUE.format("01 August 2023", "Red"))],
            id="new-revision-passed",
        ),
        pytest.param(
            {"progress": A, "revised_end_date": D(2023, 12, 31)},
            {"end_date": JUNE_2023},
            [],
            id="new-revision-ahead",
        ),
        pytest.param(
            {"progress": A},
            {"end_date": JUNE_2023, "before": last(revised_end_date=D(2023, 12, 31))},
            [],
            id="accepted-revision-ahead",
        ),
        pytest.param(
            {"progress": A},
            {"before": last(revised_end_date=D(2023, 7, 31))},
            [("overdue", "warning", "K7", "Amber", OVERDUE.format("31 July 2023", "Amber"))],
            id="accepted-revision-passed",
        ),
        pytest.param({"progress": A}, {"end_date": D(2023, 8, 31)}, [], id="due-on-last-day"),
        pytest.param({"progress": A}, {"end_date": None}, [], id="no-date"),
        pytest.param({}, {"end_date": JUNE_2023}, [], id="no-progress"),
    ],
)
def test_overdue(
    update: dict[str, object], setting: dict[str, object], expected: list[Flat]
) -> None:
    assert judged(dates.overdue, row_check(update, **setting)) == expected  # type: ignore[arg-type]


ON_TRACK = last(commentary="On track.")


@pytest.mark.parametrize(
    ("update", "setting", "expected"),
    [
        pytest.param(
            {"progress": A, "progress_commentary": "On track."},
            {"before": ON_TRACK},
            [("commentary-copied", "warning", "M7", "On track.", COPIED)],
            id="same-words",
        ),
        pytest.param(
            {"progress": A, "progress_commentary": "On\ntrack."},
            {"before": ON_TRACK},
            [("commentary-copied", "warning", "M7", "On\ntrack.", COPIED)],
            id="same-words-other-spacing",
        ),
        pytest.param(
            {"progress": A, "progress_commentary": "x" * 100},
            {"before": last(commentary="x" * 100)},
            [("commentary-copied", "warning", "M7", "x" * 80, COPIED)],
            id="value-cut-at-80",
        ),
        pytest.param(
            {"progress": A, "progress_commentary": "Strategy drafted."},
            {"before": ON_TRACK},
            [],
            id="new-words",
        ),
        pytest.param({"progress": A}, {"before": last(commentary="  ")}, [], id="last-blank"),
        pytest.param(
            {"progress": A, "progress_commentary": "On track."},
            {"before": ON_TRACK, "first_report": True},
            [],
            id="first-report",
        ),
    ],
)
def test_commentary_copied(
    update: dict[str, object], setting: dict[str, object], expected: list[Flat]
) -> None:
    check = row_check(update, **setting)  # type: ignore[arg-type]
    assert judged(comparison.commentary_copied, check) == expected


@pytest.mark.parametrize(
    ("update", "setting", "expected"),
    [
        pytest.param(
            {"confidence": "Low"},
            {},
            [("low-confidence", "warning", "Q7", "Low", LOW.format("Low"))],
            id="low",
        ),
        pytest.param({"confidence": "Medium"}, {}, [], id="medium"),
        pytest.param(
            {"confidence": "Medium"},
            {"low_confidence": ("Medium", "Low")},
            [("low-confidence", "warning", "Q7", "Medium", LOW.format("Medium"))],
            id="medium-counted-low-by-config",
        ),
        pytest.param({}, {}, [], id="blank"),
    ],
)
def test_low_confidence(
    update: dict[str, object], setting: dict[str, object], expected: list[Flat]
) -> None:
    check = row_check(update, **setting)  # type: ignore[arg-type]
    assert judged(ratings.low_confidence, check) == expected


@pytest.mark.parametrize(
    ("update", "expected"),
    [
        pytest.param(
            {"escalation": True}, [("escalation", "warning", "S7", "Yes", ESCALATION)], id="yes"
        ),
        pytest.param({"escalation": False}, [], id="no"),
        pytest.param({}, [], id="blank"),
    ],
)
def test_escalation(update: dict[str, object], expected: list[Flat]) -> None:
    assert judged(ratings.escalation, row_check(update)) == expected


ROW_RULE_CODES = {
    "rating-missing",
    "commentary-missing",
    "revised-date-no-reason",
    "evidence-missing",
    "impact-above-progress",
    "rating-worse",
    "overdue",
    "commentary-copied",
    "low-confidence",
    "escalation",
}


def test_the_tables_cover_every_row_rule_and_code() -> None:
    tested = {
        ratings.rating_missing,
        ratings.commentary_missing,
        dates.revised_date_without_reason,
        ratings.evidence_missing,
        ratings.impact_above_progress,
        comparison.rating_worse,
        dates.overdue,
        comparison.commentary_copied,
        ratings.low_confidence,
        ratings.escalation,
    }
    assert set(ROW_RULES) == tested
    assert set(REGISTRY) >= ROW_RULE_CODES
    tables = (
        test_rating_missing,
        test_commentary_missing,
        test_revised_date_without_reason,
        test_evidence_missing,
        test_impact_above_progress,
        test_rating_worse,
        test_overdue,
        test_commentary_copied,
        test_low_confidence,
        test_escalation,
    )
    expected_codes = {
        flat_finding[0]
        for table in tables
        for param in table.pytestmark[0].args[1]  # type: ignore[attr-defined]
        for flat_finding in param.values[-1]
    }
    assert expected_codes == ROW_RULE_CODES


def test_a_row_breaking_every_rule_lists_findings_in_rule_order() -> None:
    """The rules run in ROW_RULES' order, and so their findings are listed in it."""
    check = row_check(
        {
            "progress": R,
            "impact": G,
            "revised_end_date": D(2023, 8, 1),
            "progress_commentary": "",
            "confidence": "Low",
            "escalation": True,
        },
        before=last(B, B, commentary=""),
    )
    found = [f for rule in ROW_RULES for f in rule(check)]
    assert [(f.code, f.cell) for f in found] == [
        ("commentary-missing", "M7"),
        ("revised-date-no-reason", "P7"),
        ("evidence-missing", "N7"),
        ("impact-above-progress", "L7"),
        ("rating-worse", "K7"),
        ("rating-worse", "L7"),
        ("overdue", "O7"),
        ("low-confidence", "Q7"),
        ("escalation", "S7"),
    ]
    assert {f.code for f in found} | {"rating-missing", "commentary-copied"} == ROW_RULE_CODES
