"""The plan register loader: every finding code, each from a small register made in the test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from openpyxl import load_workbook

from packbuilder.errors import PlanError
from packbuilder.findings import PLAN_CHECKS
from packbuilder.model import EndDate, EndDateKind, KpiTarget, Polarity, Rating, Severity
from packbuilder.plan import schema
from packbuilder.plan.loader import PlanLoad, load_plan, parse_rating
from packbuilder.plan.summary import RatingCounts, plan_counts
from packbuilder.plan.writer import write_plan_workbook

Flat = list[tuple[str, str, str]]
PlanRows = dict[str, list[tuple[object, ...]]]


def load(
    tmp_path: Path,
    rows: PlanRows,
    headers: Mapping[str, Sequence[str]] | None = None,
    drop: Sequence[str] = (),
) -> PlanLoad:
    path = write_plan_workbook(tmp_path / "plan.xlsx", rows, headers)
    if drop:
        workbook = load_workbook(path)
        for sheet in drop:
            del workbook[sheet]
        workbook.save(path)
    return load_plan(path)


def flat(loaded: PlanLoad) -> Flat:
    return [(f.code, f.sheet, f.cell) for f in loaded.findings]


def replace(rows: PlanRows, sheet: str, index: int, header: str, value: object) -> None:
    """Set one cell of ROWS, addressed by its header."""
    row = list(rows[sheet][index])
    row[schema.HEADERS[sheet].index(header)] = value
    rows[sheet][index] = tuple(row)


def test_small_plan_loads_with_no_findings(tmp_path: Path, plan_rows: PlanRows) -> None:
    loaded = load(tmp_path, plan_rows)
    assert loaded.findings == []
    plan = loaded.plan
    assert [a.number for a in plan.areas] == [1, 2]
    assert [s.code for s in plan.sub_themes] == ["1a", "1b", "2a"]
    assert [o.id for o in plan.officers] == ["dir-education", "head-of-comms", "area-2-lead"]
    assert plan.officer("dir-education").aliases == (
        "Director for Education and SEND",
        "Director of Education and SEND, KCC.",
    )
    actions = plan.action_by_id()
    assert list(actions) == ["1A1", "1B1", "2A1"]
    first = actions["1A1"]
    assert (first.area, first.reporting_officer, first.other_officers) == (
        1,
        "head-of-comms",
        ("dir-education",),
    )
    assert first.end_date == EndDate("31 March 2024", dt.date(2024, 3, 31), EndDateKind.DATE)
    assert (first.baseline_progress, first.baseline_impact) == (Rating.AMBER, Rating.NOT_YET_RATED)
    second = actions["1B1"]
    assert (second.baseline_progress, second.baseline_impact) == (Rating.GREEN, Rating.AMBER)
    assert second.baseline_impact_text == "AMBER"
    assert second.other_measures == "Not applicable"
    third = actions["2A1"]
    assert third.area == 2
    assert third.other_officers == ("head-of-comms", "area-2-lead")
    assert third.kpi_codes == ("APP01", "APP02")
    assert third.end_date == EndDate("March 2023 pilot", dt.date(2023, 3, 31), EndDateKind.MONTH)
    assert third.baseline_impact is Rating.NOT_YET_RATED
    assert third.baseline_impact_text == "TBC in September 23 reporting"
    kpis = {k.code: k for k in plan.kpis}
    assert kpis["APP01"].targets == (
        KpiTarget(dt.date(2024, 3, 31), 75.0, "75%"),
        KpiTarget(dt.date(2025, 3, 31), None, "TBC"),
    )
    assert (kpis["APP01"].baseline, kpis["APP01"].standard, kpis["APP01"].high_impact) == (
        60.0,
        50.0,
        True,
    )
    assert (kpis["APP02"].areas, kpis["APP02"].polarity, kpis["APP02"].frequency) == (
        (1, 2),
        Polarity.LOWER,
        "termly",
    )
    assert kpis["APP02"].baseline is None and not kpis["APP02"].high_impact
    (risk,) = plan.risks
    assert (risk.id, risk.date_text, risk.severity, risk.severity_after) == (
        "R01",
        "17/05/23",
        "High",
        "Medium",
    )
    assert (risk.likelihood, risk.impact) == (3, 4)


def test_headers_reordered_and_respelt_still_load(tmp_path: Path, plan_rows: PlanRows) -> None:
    expected = load(tmp_path / "a", plan_rows).plan
    headers = {
        sheet: [f"  {h.upper().replace(' ', '  ')} " for h in reversed(names)]
        for sheet, names in schema.HEADERS.items()
    }
    reversed_rows = {sheet: [tuple(reversed(r)) for r in rows] for sheet, rows in plan_rows.items()}
    loaded = load(tmp_path / "b", reversed_rows, headers)
    assert loaded.findings == []
    assert loaded.plan.actions == expected.actions
    assert loaded.plan.kpis == expected.kpis
    assert loaded.plan.risks == expected.risks
    assert loaded.plan.officers == expected.officers


def test_optional_columns_may_be_left_out(tmp_path: Path) -> None:
    headers = {sheet: schema.REQUIRED[sheet] for sheet in schema.HEADERS}
    rows = {
        schema.AREAS: [(1, "Parents' confidence")],
        schema.SUB_THEMES: [("1a", 1, "Confidence")],
        schema.ACTIONS: [("1A1", "1a", "Publish", "Ongoing", "lead")],
        schema.OFFICERS: [("lead", "Head of Service")],
    }
    loaded = load(tmp_path, rows, headers)
    assert flat(loaded) == [("PLAN-OPEN-END-DATE", "Actions", "D2")]
    assert loaded.plan.actions[0].end_date == EndDate("Ongoing", None, EndDateKind.OPEN)


def test_missing_sheet(tmp_path: Path, plan_rows: PlanRows) -> None:
    loaded = load(tmp_path, plan_rows, drop=[schema.RISKS])
    assert flat(loaded) == [("PLAN-MISSING-SHEET", "Risks", "")]
    assert loaded.findings[0].message == (
        "The plan has no 'Risks' sheet. Add a sheet named 'Risks' with the headers Risk ID, "
        "Date, Risk, Owner, Severity, Mitigations, Severity after mitigation, Progress, Status, "
        "Likelihood, Impact in row 1 (packbuilder init writes one)."
    )


def test_missing_sheet_gives_no_cascade_of_unknown_references(
    tmp_path: Path, plan_rows: PlanRows
) -> None:
    loaded = load(tmp_path, plan_rows, drop=[schema.KPIS])
    assert flat(loaded) == [("PLAN-MISSING-SHEET", "KPIs", "")]
    assert loaded.errors == loaded.findings


def test_missing_header(tmp_path: Path, plan_rows: PlanRows) -> None:
    headers = {
        schema.ACTIONS: [h for h in schema.HEADERS[schema.ACTIONS] if h != "Reporting officer"]
    }
    column = schema.HEADERS[schema.ACTIONS].index("Reporting officer")
    plan_rows[schema.ACTIONS] = [r[:column] + r[column + 1 :] for r in plan_rows[schema.ACTIONS]]
    loaded = load(tmp_path, plan_rows, headers)
    assert flat(loaded) == [("PLAN-MISSING-HEADER", "Actions", "row 1")]
    assert loaded.findings[0].message == (
        "The 'Actions' sheet has no 'Reporting officer' column. Add the header "
        "'Reporting officer' in row 1 (the order of columns does not matter)."
    )
    assert loaded.plan.actions == ()


def test_unknown_header_is_ignored_with_a_note(tmp_path: Path, plan_rows: PlanRows) -> None:
    headers = {schema.OFFICERS: [*schema.HEADERS[schema.OFFICERS], "Phone"]}
    plan_rows[schema.OFFICERS] = [(*r, "01234") for r in plan_rows[schema.OFFICERS]]
    loaded = load(tmp_path, plan_rows, headers)
    assert flat(loaded) == [("PLAN-UNKNOWN-HEADER", "Officers", "F1")]
    assert loaded.findings[0].severity is Severity.INFO


def test_empty_sheet(tmp_path: Path, plan_rows: PlanRows) -> None:
    plan_rows[schema.ACTIONS] = []
    assert flat(load(tmp_path, plan_rows)) == [("PLAN-EMPTY", "Actions", "row 2")]


def test_blank_rows_are_skipped(tmp_path: Path, plan_rows: PlanRows) -> None:
    plan_rows[schema.ACTIONS].insert(1, (None,) * 13)
    plan_rows[schema.ACTIONS].insert(1, ("",) * 13)
    loaded = load(tmp_path, plan_rows)
    assert loaded.findings == []
    assert len(loaded.plan.actions) == 3


def test_missing_value(tmp_path: Path, plan_rows: PlanRows) -> None:
    replace(plan_rows, schema.ACTIONS, 0, "Action", "  ")
    replace(plan_rows, schema.OFFICERS, 2, "Name or role", None)
    assert flat(load(tmp_path, plan_rows)) == [
        ("PLAN-MISSING-VALUE", "Officers", "B4"),
        ("PLAN-MISSING-VALUE", "Actions", "C2"),
    ]


@pytest.mark.parametrize(
    ("sheet", "row", "expected"),
    [
        (schema.AREAS, (2, "Again", ""), ("PLAN-DUPLICATE-AREA", "Areas", "A4")),
        (schema.SUB_THEMES, ("1A", 1, "Again"), ("PLAN-DUPLICATE-SUB-THEME", "Sub-themes", "A5")),
        (
            schema.ACTIONS,
            ("1A1", "1a", "Again", "Ongoing", None, "head-of-comms"),
            ("PLAN-DUPLICATE-ACTION", "Actions", "A5"),
        ),
        (
            schema.OFFICERS,
            ("head-of-comms", "Someone"),
            ("PLAN-DUPLICATE-OFFICER", "Officers", "A5"),
        ),
        (schema.KPIS, ("app01", "Again"), ("PLAN-DUPLICATE-KPI", "KPIs", "A4")),
        (
            schema.KPI_TARGETS,
            ("APP01", "31/03/2024", "80"),
            ("PLAN-DUPLICATE-TARGET", "KPI targets", "B4"),
        ),
        (schema.RISKS, ("R01", "", "Another", "", "Low"), ("PLAN-DUPLICATE-RISK", "Risks", "A3")),
    ],
)
def test_duplicates(
    tmp_path: Path, plan_rows: PlanRows, sheet: str, row: tuple[object, ...], expected: object
) -> None:
    plan_rows[sheet].append(row)
    assert flat(load(tmp_path, plan_rows)) == [expected]


def test_duplicate_action_message_names_the_first_row(tmp_path: Path, plan_rows: PlanRows) -> None:
    plan_rows[schema.ACTIONS].append(plan_rows[schema.ACTIONS][0])
    loaded = load(tmp_path, plan_rows)
    (finding,) = loaded.findings
    assert (finding.message, finding.action_id, finding.value, finding.where) == (
        "Action 1A1 is already given in row 2. Give each action one row with its own ID.",
        "1A1",
        "1A1",
        "plan.xlsx › Actions › A5",
    )
    assert [a.text for a in loaded.plan.actions].count("Publish a communications strategy") == 1


def test_unknown_sub_theme_leaves_the_action_out(tmp_path: Path, plan_rows: PlanRows) -> None:
    replace(plan_rows, schema.ACTIONS, 2, "Sub-theme", "9z")
    loaded = load(tmp_path, plan_rows)
    assert flat(loaded) == [("PLAN-UNKNOWN-SUB-THEME", "Actions", "B4")]
    assert loaded.findings[0].message == (
        "Sub-theme '9z' of action 2A1 is not on the Sub-themes sheet. "
        "Add it there or correct the code."
    )
    assert [a.id for a in loaded.plan.actions] == ["1A1", "1B1"]


def test_sub_theme_matched_ignoring_case(tmp_path: Path, plan_rows: PlanRows) -> None:
    replace(plan_rows, schema.ACTIONS, 0, "Sub-theme", "1A")
    loaded = load(tmp_path, plan_rows)
    assert loaded.findings == []
    assert loaded.plan.actions[0].sub_theme == "1a"


def test_unknown_area(tmp_path: Path, plan_rows: PlanRows) -> None:
    plan_rows[schema.SUB_THEMES].append(("3a", 3, "Health"))
    replace(plan_rows, schema.KPIS, 0, "Areas", "1; 7")
    assert flat(load(tmp_path, plan_rows)) == [
        ("PLAN-UNKNOWN-AREA", "Sub-themes", "B5"),
        ("PLAN-UNKNOWN-AREA", "KPIs", "C2"),
    ]


def test_unknown_officer(tmp_path: Path, plan_rows: PlanRows) -> None:
    replace(plan_rows, schema.AREAS, 1, "Area lead", "area-9-lead")
    replace(plan_rows, schema.ACTIONS, 0, "Reporting officer", "Head of Communications")
    replace(plan_rows, schema.ACTIONS, 2, "Other officers", "head-of-comms; nobody")
    loaded = load(tmp_path, plan_rows)
    assert flat(loaded) == [
        ("PLAN-UNKNOWN-OFFICER", "Areas", "C3"),
        ("PLAN-UNKNOWN-OFFICER", "Actions", "F2"),
        ("PLAN-UNKNOWN-OFFICER", "Actions", "G4"),
    ]
    assert [f.message for f in loaded.findings] == [
        "'area-9-lead' in 'Area lead' is not an officer ID on the Officers sheet. "
        "Add the officer to the Officers sheet, or correct the ID.",
        "'Head of Communications' in 'Reporting officer' is not an officer ID on the Officers "
        "sheet. That is how officer 'head-of-comms' is named: write 'head-of-comms'.",
        "'nobody' in 'Other officers' is not an officer ID on the Officers sheet. "
        "Add the officer to the Officers sheet, or correct the ID. The cell reads "
        "'head-of-comms; nobody'; separate several officer IDs with ';'.",
    ]
    assert [a.id for a in loaded.plan.actions] == ["1B1", "2A1"]
    assert loaded.plan.action_by_id()["2A1"].other_officers == ("head-of-comms",)


def test_officer_found_by_alias_is_named_in_the_message(
    tmp_path: Path, plan_rows: PlanRows
) -> None:
    replace(plan_rows, schema.ACTIONS, 1, "Reporting officer", "Director for Education and SEND")
    (finding,) = load(tmp_path, plan_rows).findings
    assert finding.message.endswith(
        "That is how officer 'dir-education' is named: write 'dir-education'."
    )


def test_unknown_kpi(tmp_path: Path, plan_rows: PlanRows) -> None:
    replace(plan_rows, schema.ACTIONS, 0, "KPI codes", "APP01; APP99")
    plan_rows[schema.KPI_TARGETS].append(("APP77", dt.date(2024, 3, 31), "10"))
    loaded = load(tmp_path, plan_rows)
    assert flat(loaded) == [
        ("PLAN-UNKNOWN-KPI", "KPI targets", "A4"),
        ("PLAN-UNKNOWN-KPI", "Actions", "I2"),
    ]
    assert loaded.plan.action_by_id()["1A1"].kpi_codes == ("APP01",)
    assert loaded.findings[1].message.endswith(
        "The cell reads 'APP01; APP99'; separate several KPI codes with ';'."
    )


def test_a_list_cell_written_with_commas_names_the_separator(
    tmp_path: Path, plan_rows: PlanRows
) -> None:
    replace(plan_rows, schema.ACTIONS, 0, "KPI codes", "APP01, APP02")
    replace(plan_rows, schema.ACTIONS, 2, "Other officers", "head-of-comms, dir-education")
    loaded = load(tmp_path, plan_rows)
    assert sorted((f.code, f.value, f.message) for f in loaded.findings) == [
        (
            "PLAN-UNKNOWN-KPI",
            "APP01, APP02",
            "KPI APP01, APP02 of action 1A1 is not on the KPIs sheet. Add it there, correct the "
            "code, or move the words to 'Other measures as written'. The cell reads "
            "'APP01, APP02': separate KPI codes with ';', not a comma (as in 'A; B').",
        ),
        (
            "PLAN-UNKNOWN-OFFICER",
            "head-of-comms, dir-education",
            "'head-of-comms, dir-education' in 'Other officers' is not an officer ID on the "
            "Officers sheet. Add the officer to the Officers sheet, or correct the ID. The cell "
            "reads 'head-of-comms, dir-education': separate officer IDs with ';', not a comma "
            "(as in 'A; B').",
        ),
    ]


def test_bad_date(tmp_path: Path, plan_rows: PlanRows) -> None:
    replace(plan_rows, schema.ACTIONS, 0, "End date", "next spring")
    replace(plan_rows, schema.KPIS, 1, "Baseline date", "sometime")
    replace(plan_rows, schema.KPI_TARGETS, 0, "Target date", "31/02/2025")
    loaded = load(tmp_path, plan_rows)
    assert flat(loaded) == [
        ("PLAN-BAD-DATE", "KPIs", "I3"),
        ("PLAN-BAD-DATE", "KPI targets", "B2"),
        ("PLAN-BAD-DATE", "Actions", "E2"),
    ]
    assert loaded.findings[2].message == (
        "'End date' must be a date; 'next spring' is not one. "
        "Enter a date such as 31/07/2023 (day first)."
    )
    assert "1A1" not in loaded.plan.action_by_id()


def test_text_dates_are_read_day_first(tmp_path: Path, plan_rows: PlanRows) -> None:
    replace(plan_rows, schema.ACTIONS, 0, "End date", "31/03/2024")
    replace(plan_rows, schema.KPI_TARGETS, 1, "Target date", "01/04/2024")
    loaded = load(tmp_path, plan_rows)
    assert loaded.findings == []
    assert loaded.plan.kpis[0].targets[0].date == dt.date(2024, 4, 1)


def test_bad_rating(tmp_path: Path, plan_rows: PlanRows) -> None:
    replace(plan_rows, schema.ACTIONS, 0, "Baseline progress as written", "Not yet rated")
    replace(plan_rows, schema.ACTIONS, 1, "Baseline impact as written", "Purple")
    loaded = load(tmp_path, plan_rows)
    assert flat(loaded) == [
        ("PLAN-BAD-RATING", "Actions", "L2"),
        ("PLAN-BAD-RATING", "Actions", "M3"),
    ]
    assert [f.message for f in loaded.findings] == [
        "'Not yet rated' is not a rating. Write one of Blue, Green, Amber, Red.",
        "'Purple' is not a rating. Write one of Blue, Green, Amber, Red or Not yet rated.",
    ]


@pytest.mark.parametrize(
    ("sheet", "index", "header", "value", "cell"),
    [
        (schema.KPIS, 0, "Polarity", "up", "E2"),
        (schema.KPIS, 0, "Frequency", "weekly", "F2"),
        (schema.KPIS, 0, "Baseline", "lots", "G2"),
        (schema.KPIS, 0, "Standard", "n/a", "J2"),
        (schema.KPIS, 0, "High impact", "maybe", "K2"),
        (schema.KPIS, 0, "Areas", "1, 2", "C2"),
        (schema.KPI_TARGETS, 1, "Target as written", "about 80", "C3"),
        (schema.RISKS, 0, "Severity", "Critical", "E2"),
        (schema.RISKS, 0, "Severity after mitigation", "Moderate", "G2"),
        (schema.RISKS, 0, "Likelihood", 9, "J2"),
    ],
)
def test_bad_value(
    tmp_path: Path,
    plan_rows: PlanRows,
    sheet: str,
    index: int,
    header: str,
    value: object,
    cell: str,
) -> None:
    replace(plan_rows, sheet, index, header, value)
    loaded = load(tmp_path, plan_rows)
    assert flat(loaded) == [("PLAN-BAD-VALUE", sheet, cell)]


def test_bad_value_messages(tmp_path: Path, plan_rows: PlanRows) -> None:
    replace(plan_rows, schema.KPIS, 0, "Polarity", "up")
    replace(plan_rows, schema.RISKS, 0, "Likelihood", 9)
    plan_rows[schema.OFFICERS].append(("Head Comms", "Second head"))
    loaded = load(tmp_path, plan_rows)
    assert flat(loaded) == [
        ("PLAN-BAD-VALUE", "Officers", "A5"),
        ("PLAN-BAD-VALUE", "KPIs", "E2"),
        ("PLAN-BAD-VALUE", "Risks", "J2"),
    ]
    assert [f.message for f in loaded.findings] == [
        "Officer ID 'Head Comms' must be lower-case letters, digits and hyphens (a slug such as "
        "'head-comms'). Change it here and wherever the plan refers to it.",
        "'Polarity' must be one of higher, lower; it is 'up'.",
        "'Likelihood' must be a whole number from 1 to 5; it is '9'.",
    ]


def test_a_bad_area_number_leaves_its_references_unknown(
    tmp_path: Path, plan_rows: PlanRows
) -> None:
    replace(plan_rows, schema.AREAS, 1, "Area", "two")
    loaded = load(tmp_path, plan_rows)
    assert flat(loaded) == [
        ("PLAN-BAD-VALUE", "Areas", "A3"),
        ("PLAN-UNKNOWN-AREA", "Sub-themes", "B4"),
        ("PLAN-UNKNOWN-AREA", "KPIs", "C3"),
        ("PLAN-UNKNOWN-SUB-THEME", "Actions", "B4"),
    ]


def test_date_cell_that_disagrees_with_the_text(tmp_path: Path, plan_rows: PlanRows) -> None:
    replace(plan_rows, schema.ACTIONS, 0, "End date", dt.date(2024, 3, 30))
    loaded = load(tmp_path, plan_rows)
    assert flat(loaded) == [("PLAN-DATE-MISMATCH", "Actions", "E2")]
    assert loaded.findings[0].severity is Severity.WARNING
    assert loaded.plan.actions[0].end_date.date == dt.date(2024, 3, 30)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Ongoing", [("PLAN-OPEN-END-DATE", "Actions", "D3")]),
        ("To be confirmed in Family Hubs Delivery Plan", [("PLAN-OPEN-END-DATE", "Actions", "D3")]),
        ("When funding allows", [("PLAN-NO-END-DATE", "Actions", "D3")]),
        ("", [("PLAN-NO-END-DATE", "Actions", "D3")]),
    ],
)
def test_end_dates_with_no_date(
    tmp_path: Path, plan_rows: PlanRows, written: str, expected: Flat
) -> None:
    replace(plan_rows, schema.ACTIONS, 1, "End date as written", written)
    loaded = load(tmp_path, plan_rows)
    assert flat(loaded) == expected
    assert not loaded.errors
    assert loaded.plan.action_by_id()["1B1"].end_date.date is None


def test_every_code_has_a_severity_and_meaning() -> None:
    assert all(c.code.startswith("PLAN-") and c.title for c in PLAN_CHECKS)
    assert {c.severity for c in PLAN_CHECKS} == set(Severity)
    assert all(c.family == "plan" for c in PLAN_CHECKS)


@pytest.mark.parametrize(
    ("text", "impact", "expected"),
    [
        ("Amber", False, Rating.AMBER),
        ("  blue ", False, Rating.BLUE),
        ("Not  yet rated", True, Rating.NOT_YET_RATED),
        ("TBC in September 23 reporting", True, Rating.NOT_YET_RATED),
        ("", True, None),
    ],
)
def test_parse_rating(text: str, impact: bool, expected: Rating | None) -> None:
    assert parse_rating(text, impact=impact) is expected


@pytest.mark.parametrize(("text", "impact"), [("TBC", False), ("Purple", True), ("R", False)])
def test_parse_rating_refuses(text: str, impact: bool) -> None:
    with pytest.raises(ValueError):
        parse_rating(text, impact=impact)


def test_missing_file_raises_plan_error_with_a_hint(tmp_path: Path) -> None:
    with pytest.raises(PlanError) as caught:
        load_plan(tmp_path / "plan.xlsx")
    assert caught.value.message == f"The plan register {tmp_path / 'plan.xlsx'} does not exist"
    assert "packbuilder init" in caught.value.hint


def test_a_file_that_is_not_a_workbook_raises_plan_error(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_text("Action ID,Sub-theme\n1A1,1a\n", "utf-8")
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    assert caught.value.message.startswith(
        f"The plan register {path} cannot be read as an Excel workbook"
    )


def test_plan_counts(tmp_path: Path, plan_rows: PlanRows) -> None:
    counts = plan_counts(load(tmp_path, plan_rows).plan)
    assert (
        counts.areas,
        counts.sub_themes,
        counts.actions,
        counts.officers,
        counts.reporting_officers,
        counts.kpis,
        counts.high_impact_kpis,
        counts.risks,
        counts.no_date,
    ) == (2, 3, 3, 3, 2, 2, 1, 1, 0)
    assert [(a.number, a.sub_themes, a.actions) for a in counts.per_area] == [(1, 2, 2), (2, 1, 1)]
    assert counts.per_area[0].progress == RatingCounts(green=1, amber=1)
    assert counts.per_area[0].impact == RatingCounts(amber=1, not_yet_rated=1)
    assert counts.impact == RatingCounts(amber=1, not_yet_rated=2)
    assert [(s.code, s.actions) for s in counts.per_sub_theme] == [("1a", 1), ("1b", 1), ("2a", 1)]
    assert [(o.officer_id, o.reporting, o.for_information) for o in counts.per_officer] == [
        ("dir-education", 2, 1),
        ("head-of-comms", 1, 1),
    ]


def test_kpi_areas_written_with_a_comma_quote_the_cell(tmp_path: Path, plan_rows: PlanRows) -> None:
    replace(plan_rows, schema.KPIS, 0, "Areas", "1, 2")
    (finding,) = load(tmp_path, plan_rows).findings
    assert (finding.code, finding.cell) == ("PLAN-BAD-VALUE", "C2")
    assert finding.message == (
        "'Areas' must list area numbers separated by ';' (such as 1; 3); '1, 2' is not a "
        "number. The cell reads '1, 2': separate area numbers with ';', not a comma (as in "
        "'A; B')."
    )
