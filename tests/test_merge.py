"""The merge rules, each with a plan and returns built in the test."""

from __future__ import annotations

import datetime as dt

from period_fixtures import (
    AUGUST,
    JULY,
    A,
    G,
    N,
    R,
    action,
    area_return,
    check_of,
    error_at,
    plan_of,
    returned,
    update,
)

from packbuilder.merge import (
    CARRIED_FIELDS,
    RecordedAction,
    carried_words,
    merge_period,
    overrides_for,
)
from packbuilder.model import (
    CellSource,
    Direction,
    FileStatus,
    Override,
    Period,
    ReturnStatus,
)
from packbuilder.overrides import parse_override_rows

PLAN = plan_of(
    action("1A1", "ann", progress=A, impact=N, impact_text="TBC in September 23 reporting"),
    action("1A2", "ann"),
    action("2A1", "bob", area=2, progress=R, impact=R),
)

JULY_ROWS = {
    "1A1": RecordedAction(
        JULY,
        A,
        N,
        ReturnStatus.UPDATED,
        progress_commentary="July words",
        evidence="July evidence",
        revised_end_date=dt.date(2024, 6, 30),
        revised_reason="Recruitment",
        confidence="Medium",
        sources={"progress": CellSource("ann-july.xlsx", "a" * 64, "Return", "J5")},
    ),
    "1A2": RecordedAction(JULY, G, A, ReturnStatus.UPDATED, progress_commentary="1A2 July"),
    "2A1": RecordedAction(JULY, R, R, ReturnStatus.UPDATED, progress_commentary="2A1 July"),
}


def by_id(statuses: list) -> dict:  # type: ignore[type-arg]
    return {s.action.id: s for s in statuses}


def test_valid_rows_enter_with_their_sources_and_direction() -> None:
    check = check_of(AUGUST, PLAN, returned("ann", update("1A1", 5, G, A), update("1A2", 6, G, G)))
    statuses, _, findings = merge_period(PLAN, check, JULY_ROWS, [], JULY)
    s = by_id(statuses)["1A1"]
    assert (s.progress, s.impact, s.return_status) == (G, A, ReturnStatus.UPDATED)
    assert (s.previous_progress, s.previous_impact) == (A, N)
    assert s.progress_direction is Direction.IMPROVED
    assert s.impact_direction is Direction.NOT_COMPARABLE
    assert s.sources["progress"].where == "ann.xlsx › Return › J5"
    assert s.progress_commentary == "1A1 commentary"
    assert findings == []
    assert [x.action.id for x in statuses] == ["1A1", "1A2", "2A1"]


def test_no_return_keeps_every_last_value() -> None:
    check = check_of(AUGUST, PLAN, returned("ann", update("1A1", 5, G, A), update("1A2", 6, G, G)))
    statuses, _, _ = merge_period(PLAN, check, JULY_ROWS, [], JULY)
    s = by_id(statuses)["2A1"]
    assert s.return_status is ReturnStatus.NO_RETURN
    assert (s.progress, s.impact, s.previous_progress) == (R, R, R)
    assert s.progress_direction is Direction.SAME
    assert s.progress_commentary == "2A1 July"


def test_first_report_without_a_return_takes_the_plan_baseline() -> None:
    statuses, _, _ = merge_period(PLAN, check_of(JULY, PLAN), {}, [], None)
    s = by_id(statuses)["1A1"]
    assert s.return_status is ReturnStatus.FIRST_REPORT
    assert (s.progress, s.impact) == (A, N)
    assert s.progress_direction is Direction.NEW
    assert s.progress_commentary == "TBC in September 23 reporting"


def test_a_rejected_row_keeps_last_values_text_dates_and_sources_and_says_why() -> None:
    ann = returned(
        "ann",
        update("1A1", 5, R, R, row_rejected="locked-text-changed"),
        update("1A2", 6, G, G),
        findings=[error_at("ann.xlsx", "1A1")],
    )
    statuses, _, _ = merge_period(PLAN, check_of(AUGUST, PLAN, ann), JULY_ROWS, [], JULY)
    s = by_id(statuses)["1A1"]
    assert s.return_status is ReturnStatus.ERRORS
    assert (s.progress, s.impact, s.progress_commentary) == (A, N, "July words")
    assert (s.evidence, s.revised_end_date, s.revised_reason, s.confidence) == (
        "July evidence",
        dt.date(2024, 6, 30),
        "Recruitment",
        "Medium",
    )
    assert s.sources["progress"].file == "ann-july.xlsx"
    assert set(s.carried) == set(CARRIED_FIELDS)
    assert carried_words(s, "progress", "Amber") == (
        "Amber, carried forward: this month's row had its locked text changed"
    )
    assert by_id(statuses)["1A2"].return_status is ReturnStatus.UPDATED
    assert by_id(statuses)["1A2"].carried == {}


def test_a_rejected_cell_keeps_its_last_value_and_the_rest_of_the_row_enters() -> None:
    # The revised end date was typed "31/13/2024": not a date, so it and its reason keep
    # July's; the impact was "Purple": July's impact stays; everything else is August's.
    row = update(
        "1A1",
        5,
        R,
        None,
        commentary="Recruitment has slipped again",
        revised_reason="Panel postponed",
        confidence="Low",
        rejected={"revised_end_date": "not-a-date", "impact": "rating-not-allowed"},
    )
    row.sources["revised_reason"] = CellSource("ann.xlsx", "0" * 64, "Return", "N5")
    ann = returned("ann", row, update("1A2", 6, G, G), findings=[error_at("ann.xlsx", "1A1")])
    statuses, _, _ = merge_period(PLAN, check_of(AUGUST, PLAN, ann), JULY_ROWS, [], JULY)
    s = by_id(statuses)["1A1"]
    assert s.return_status is ReturnStatus.CELLS_CARRIED
    assert (s.progress, s.impact, s.confidence) == (R, N, "Low")
    assert s.progress_commentary == "Recruitment has slipped again"
    assert (s.revised_end_date, s.revised_reason) == (dt.date(2024, 6, 30), "Recruitment")
    assert s.carried == {
        "impact": "this month's rating was not valid",
        "revised_end_date": "this month's date could not be read as a date",
        "revised_reason": "this month's date could not be read as a date",
    }
    # The rejected cells are not the source of what is shown; the accepted ones are.
    assert s.sources["progress"].where == "ann.xlsx › Return › J5"
    assert "impact" not in s.sources and "revised_reason" not in s.sources
    assert (s.previous_progress, s.progress_direction) == (A, Direction.WORSE)
    assert carried_words(s, "impact", "Not yet rated") == (
        "Not yet rated, carried forward: this month's rating was not valid"
    )
    assert carried_words(s, "revised_reason", "Recruitment") == (
        "Carried forward (this month's date could not be read as a date): Recruitment"
    )
    assert carried_words(s, "progress", "Red") == "Red"


def test_a_red_with_no_commentary_enters_as_red_and_only_the_commentary_is_carried() -> None:
    row = update("2A1", 5, A, R, progress_commentary="", rejected={})
    row.rejected["progress_commentary"] = "commentary-missing"
    statuses, _, _ = merge_period(
        PLAN, check_of(AUGUST, PLAN, returned("bob", row)), JULY_ROWS, [], JULY
    )
    s = by_id(statuses)["2A1"]
    assert (s.progress, s.impact, s.return_status) == (A, R, ReturnStatus.CELLS_CARRIED)
    assert s.progress_commentary == "2A1 July"
    assert carried_words(s, "progress_commentary", s.progress_commentary) == (
        "Carried forward (no commentary was given this month): 2A1 July"
    )


def test_a_rating_left_blank_keeps_last_periods_rating_and_says_so() -> None:
    row = update("1A2", 6, None, G, rejected={"progress": "rating-missing"})
    ann = returned("ann", update("1A1", 5, A, N), row)
    statuses, _, _ = merge_period(PLAN, check_of(AUGUST, PLAN, ann), JULY_ROWS, [], JULY)
    s = by_id(statuses)["1A2"]
    assert (s.progress, s.impact, s.progress_direction) == (G, G, Direction.SAME)
    assert carried_words(s, "progress", "Green") == (
        "Green, carried forward: this month's rating was left blank"
    )


def test_a_next_milestone_and_its_date_stay_together() -> None:
    july = {
        "1A1": RecordedAction(
            JULY,
            A,
            N,
            ReturnStatus.UPDATED,
            next_milestone="Panel",
            next_milestone_date=JULY.last_day,
        )
    }
    row = update(
        "1A1", 5, A, N, next_milestone="Board paper", rejected={"next_milestone_date": "not-a-date"}
    )
    statuses, _, _ = merge_period(
        PLAN, check_of(AUGUST, PLAN, returned("ann", row)), july, [], JULY
    )
    s = by_id(statuses)["1A1"]
    assert (s.next_milestone, s.next_milestone_date) == ("Panel", JULY.last_day)
    assert set(s.carried) == {"next_milestone", "next_milestone_date"}


def test_in_the_first_report_a_rejected_cell_keeps_the_plans_rating_or_nothing() -> None:
    row = update(
        "1A1",
        5,
        None,
        G,
        rejected={"progress": "rating-not-allowed", "confidence": "confidence-not-allowed"},
        confidence="",
    )
    statuses, _, _ = merge_period(PLAN, check_of(JULY, PLAN, returned("ann", row)), {}, [], None)
    s = by_id(statuses)["1A1"]
    assert (s.progress, s.impact, s.confidence) == (A, G, "")
    assert (s.previous_progress, s.return_status) == (None, ReturnStatus.CELLS_CARRIED)
    assert carried_words(s, "confidence", "") == (
        "None recorded, carried forward: this month's confidence was not one of the choices"
    )


def test_an_override_replaces_a_carried_value_and_is_no_longer_marked_carried() -> None:
    row = update("2A1", 5, None, R, rejected={"progress": "rating-not-allowed"})
    check = check_of(AUGUST, PLAN, returned("bob", row))
    overrides = [override("2A1", "progress", "Amber")]
    statuses, _, _ = merge_period(PLAN, check, JULY_ROWS, overrides, JULY)
    s = by_id(statuses)["2A1"]
    assert (s.progress, s.carried, s.return_status) == (A, {}, ReturnStatus.UPDATED)


def test_a_row_missing_from_a_counted_return_is_carried_as_errors() -> None:
    ann = returned("ann", update("1A2", 6, G, G))
    statuses, _, _ = merge_period(PLAN, check_of(AUGUST, PLAN, ann), JULY_ROWS, [], JULY)
    assert by_id(statuses)["1A1"].return_status is ReturnStatus.ERRORS


def test_superseded_and_rejected_returns_never_enter() -> None:
    old = returned("ann", update("1A1", 5, R, R), name="old.xlsx", status=FileStatus.SUPERSEDED)
    new = returned("ann", update("1A1", 5, G, A), update("1A2", 6, G, G), name="new.xlsx")
    bob = returned("bob", update("2A1", 5, G, G), status=FileStatus.REJECTED)
    statuses, _, _ = merge_period(PLAN, check_of(AUGUST, PLAN, old, new, bob), JULY_ROWS, [], JULY)
    s = by_id(statuses)
    assert s["1A1"].progress is G
    assert s["1A1"].sources["progress"].file == "new.xlsx"
    assert s["2A1"].return_status is ReturnStatus.NO_RETURN


def test_a_rating_left_blank_on_a_valid_row_keeps_the_last_rating() -> None:
    ann = returned("ann", update("1A1", 5, G, None), update("1A2", 6, G, G))
    statuses, _, _ = merge_period(PLAN, check_of(AUGUST, PLAN, ann), JULY_ROWS, [], JULY)
    assert by_id(statuses)["1A1"].impact is N


def test_area_commentary_comes_from_counted_area_lead_returns() -> None:
    check = check_of(AUGUST, PLAN, area_return(2, "Area two moved on"))
    _, commentary, _ = merge_period(PLAN, check, JULY_ROWS, [], JULY)
    assert list(commentary) == [2]
    assert commentary[2].progress == "Area two moved on"


def override(action_id: str, field: str, value: str, cell: str = "C2") -> Override:
    return Override(
        action_id,
        field,
        value,
        "Agreed on the call of 4 Sept",
        "Programme office",
        CellSource("2023-08.xlsx", "b" * 64, "Overrides", cell),
    )


def test_overrides_apply_after_the_merge_and_are_recorded_with_their_reason() -> None:
    check = check_of(AUGUST, PLAN)
    overrides = [
        override("2A1", "progress", "Amber"),
        override("2A1", "revised end date", "31/12/2023"),
    ]
    statuses, _, findings = merge_period(PLAN, check, JULY_ROWS, overrides, JULY)
    s = by_id(statuses)["2A1"]
    assert s.progress is A
    assert s.revised_end_date == dt.date(2023, 12, 31)
    assert s.return_status is ReturnStatus.NO_RETURN
    assert s.sources["progress"].where == "2023-08.xlsx › Overrides › C2"
    assert [o.reason for o in overrides_for(s, "progress")] == ["Agreed on the call of 4 Sept"]
    assert s.progress_direction is Direction.IMPROVED
    assert findings == []


def test_bad_overrides_become_findings_and_change_nothing() -> None:
    overrides = [
        override("9Z9", "progress", "Amber", "C2"),
        override("2A1", "progress", "Purple", "C3"),
        override("2A1", "colour", "Blue", "C4"),
    ]
    statuses, _, findings = merge_period(PLAN, check_of(AUGUST, PLAN), JULY_ROWS, overrides, JULY)
    assert by_id(statuses)["2A1"].progress is R
    assert [(f.code, f.cell) for f in findings] == [
        ("override-unknown-action", "C2"),
        ("override-bad-value", "C3"),
        ("override-unknown-field", "C4"),
    ]


def test_override_rows_read_with_findings_for_bad_rows() -> None:
    rows: list[list[object]] = [
        ["Action ID", "Field", "Value", "Reason", "Who"],
        ["2A1", "Progress BRAG", "amber", "Call with officer", "PO"],
        ["2A1", "confidence", "low", "Call", "PO"],
        ["2A1", "impact", "Pink", "Call", "PO"],
        ["2A1", "progress", "Green", "", "PO"],
        [None, None, None, None, None],
        ["2A1", "revised end date", dt.datetime(2023, 12, 31), "Call", "PO"],
        ["2A1", "commentary", '=HYPERLINK("x")', "Call", "PO"],
    ]
    overrides, findings = parse_override_rows(rows, "o.xlsx", "c" * 64, "Sheet1", ["High", "Low"])
    assert [(o.field, o.value, o.source.cell if o.source else "") for o in overrides] == [
        ("progress", "amber", "C2"),
        ("confidence", "Low", "C3"),
        ("revised end date", "2023-12-31", "C7"),
        ("commentary", '=HYPERLINK("x")', "C8"),
    ]
    assert [(f.code, f.cell) for f in findings] == [
        ("override-bad-value", "C4"),
        ("override-no-reason", "D5"),
    ]


def test_override_sheet_without_its_columns_is_one_finding() -> None:
    overrides, findings = parse_override_rows(
        [["Action", "Value"], ["1A1", "Red"]], "o.xlsx", "c" * 64, "Sheet1", ["Low"]
    )
    assert overrides == []
    assert {f.code for f in findings} == {"overrides-missing-column"}


# --------------------------------------------------------------------------- end date in force

DEC_2023 = dt.date(2023, 12, 31)
MAR_2024 = dt.date(2024, 3, 31)
JUN_2024 = dt.date(2024, 6, 30)
DATED = plan_of(action("1A2", "ann", end=DEC_2023), action("2A1", "bob", area=2))
JULY_REVISED = {
    "1A2": RecordedAction(
        JULY,
        A,
        A,
        ReturnStatus.UPDATED,
        progress_commentary="Revised in July",
        revised_end_date=MAR_2024,
        revised_reason="Consultation extended",
        sources={"revised_end_date": CellSource("ann-july.xlsx", "a" * 64, "Return", "O5")},
        end_date_agreed_in=JULY,
    ),
    "2A1": RecordedAction(JULY, R, R, ReturnStatus.UPDATED),
}


def _in_force(plan_updates: list, last: dict, overrides: list | None = None) -> tuple:  # type: ignore[type-arg]
    check = check_of(AUGUST, DATED, returned("ann", *plan_updates))
    statuses, _, _ = merge_period(DATED, check, last, overrides or [], JULY if last else None)
    s = by_id(statuses)["1A2"]
    return s.revised_end_date, s.revised_reason, s.end_date_agreed_in, s.end_date_in_force


def test_a_revised_end_date_with_its_reason_is_agreed_this_period() -> None:
    typed = update("1A2", 5, A, A, revised_end_date=MAR_2024, revised_reason="Consultation")
    assert _in_force([typed], {}) == (MAR_2024, "Consultation", AUGUST, MAR_2024)


def test_an_agreed_revised_end_date_stays_in_force_when_the_next_return_leaves_it_blank() -> None:
    check = check_of(AUGUST, DATED, returned("ann", update("1A2", 5, A, A)))
    statuses, _, _ = merge_period(DATED, check, JULY_REVISED, [], JULY)
    s = by_id(statuses)["1A2"]
    assert (s.revised_end_date, s.revised_reason, s.end_date_agreed_in) == (
        MAR_2024,
        "Consultation extended",
        JULY,
    )
    assert s.end_date_in_force == MAR_2024
    assert not s.is_overdue(Period(2024, 2))
    assert s.sources["revised_end_date"].file == "ann-july.xlsx"
    assert s.end_date_in_force_text == "31 Mar 2024, revised in July 2023"


def test_the_date_in_force_typed_again_is_not_a_new_revision() -> None:
    typed = update("1A2", 5, A, A, revised_end_date=MAR_2024, revised_reason="")
    assert _in_force([typed], JULY_REVISED) == (
        MAR_2024,
        "Consultation extended",
        JULY,
        MAR_2024,
    )


def test_a_new_revised_end_date_replaces_the_one_in_force() -> None:
    typed = update("1A2", 5, A, A, revised_end_date=JUN_2024, revised_reason="Supplier late")
    assert _in_force([typed], JULY_REVISED) == (JUN_2024, "Supplier late", AUGUST, JUN_2024)


def test_a_rejected_row_or_cell_or_no_return_keeps_the_end_date_in_force() -> None:
    kept = (MAR_2024, "Consultation extended", JULY, MAR_2024)
    row = update("1A2", 5, A, A, row_rejected="locked-text-changed", revised_end_date=JUN_2024)
    assert _in_force([row], JULY_REVISED) == kept
    no_reason = update("1A2", 5, A, A, rejected={"revised_reason": "revised-date-no-reason"})
    no_reason.revised_end_date = JUN_2024
    assert _in_force([no_reason], JULY_REVISED) == kept
    not_a_date = update("1A2", 5, A, A, rejected={"revised_end_date": "not-a-date"})
    assert _in_force([not_a_date], JULY_REVISED) == kept
    check = check_of(AUGUST, DATED)
    statuses, _, _ = merge_period(DATED, check, JULY_REVISED, [], JULY)
    assert by_id(statuses)["1A2"].end_date_agreed_in == JULY


def test_an_override_sets_or_withdraws_the_revised_end_date_with_its_reason() -> None:
    moved = _in_force([], JULY_REVISED, [override("1A2", "revised end date", "30/06/2024")])
    assert moved == (JUN_2024, "Agreed on the call of 4 Sept", AUGUST, JUN_2024)
    withdrawn = _in_force([], JULY_REVISED, [override("1A2", "revised end date", "")])
    assert withdrawn == (None, "Agreed on the call of 4 Sept", AUGUST, DEC_2023)
    with_reason = _in_force(
        [],
        JULY_REVISED,
        [
            override("1A2", "revised end date", "30/06/2024"),
            override("1A2", "revised reason", "Board agreed a later date"),
        ],
    )
    assert with_reason[1] == "Board agreed a later date"
