"""returns make: the workbooks an officer and an area lead open, read back with openpyxl."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from packbuilder.commands.returns import make_returns
from packbuilder.config import Config, default_config_text, load_config
from packbuilder.errors import PlanError
from packbuilder.model import LastValues, Period, Rating
from packbuilder.plan import schema
from packbuilder.plan.writer import write_plan_workbook
from packbuilder.returns import layout
from packbuilder.returns.make import (
    area_box_cells,
    unique_file_name,
    write_returns,
)

PERIOD = Period(2023, 7)

OFFICERS = [
    ("director-education", "Director of Education and SEND", "KCC", "dir@example.org", ""),
    ("head-of-comms", "Head of Communications: Parents & Carers", "KCC", "", ""),
    ("nhs-lead", "Designated Clinical Officer", "NHS", "dco@example.org", ""),
    ("area-2-lead", "Area 2 lead", "", "", ""),
]
AREAS = [
    (1, "Parents' confidence", "head-of-comms"),
    (2, "Mainstream inclusion", "area-2-lead"),
]
SUB_THEMES = [("1a", 1, "Confidence is low"), ("2a", 2, "Inclusion in schools")]
ACTIONS = [
    # id, sub-theme, text, end as written, end date, reporting, others, as written, kpis,
    # other measures, evidence, baseline progress, baseline impact
    ("1A1", "1a", "Publish a communications strategy", "31 March 2024", dt.date(2024, 3, 31),
     "head-of-comms", "director-education", "Head of Comms; Director", "", "", "Published",
     "Amber", "Not yet rated"),
    ("1A2", "1a", "Run termly parent forums\nacross the county", "Ongoing", None,
     "director-education", "", "Director", "", "", "Forum notes", "Green", "Amber"),
    ("2A1", "2a", "Mainstream core standards training", "25 July 2025", dt.date(2025, 7, 25),
     "director-education", "nhs-lead", "Director; DCO", "", "", "Training records",
     "Amber", "TBC in September 23 reporting"),
    ("2A2", "2a", "+Review special schools (text that looks like a formula)", "December 2023",
     None, "nhs-lead", "", "DCO", "", "", "", "Red", "Red"),
]  # fmt: skip


def write_workspace(root: Path, *, extra_config: str = "") -> Config:
    """A workspace with the default config and a four-action plan register."""
    root.mkdir(parents=True, exist_ok=True)
    text = default_config_text().replace('contact_email = ""', 'contact_email = "pmo@example.org"')
    (root / "config.toml").write_text(text + extra_config, "utf-8")
    write_plan_workbook(
        root / "inputs" / "plan.xlsx",
        {
            schema.OFFICERS: OFFICERS,
            schema.AREAS: AREAS,
            schema.SUB_THEMES: SUB_THEMES,
            schema.ACTIONS: ACTIONS,
        },
    )
    return load_config(root)


@pytest.fixture()
def config(tmp_path: Path) -> Config:
    return write_workspace(tmp_path / "ws")


def sheet_of(path: Path, name: str) -> Worksheet:
    return load_workbook(path)[name]


def return_for(made_files: list[Path], who: str) -> Path:
    matches = [p for p in made_files if p.name.endswith(f"Return - {who}.xlsx")]
    assert len(matches) == 1, [p.name for p in made_files]
    return matches[0]


def validations(sheet: Worksheet) -> dict[str, list[tuple[str, str, str]]]:
    """Validation rules by cell range: (type, formula1, prompt)."""
    found: dict[str, list[tuple[str, str, str]]] = {}
    for rule in sheet.data_validations.dataValidation:
        for cell_range in str(rule.sqref).split():
            found.setdefault(cell_range, []).append(
                (rule.type or "any", rule.formula1 or "", rule.prompt or "")
            )
    return found


def test_one_return_per_reporting_officer_with_safe_unique_names(config: Config) -> None:
    made = make_returns(config, PERIOD)
    names = sorted(p.name for p in made.files)
    assert names == [
        "2023-07 Area 1 commentary - Head of Communications Parents & Carers.xlsx",
        "2023-07 Area 2 commentary - Area 2 lead.xlsx",
        "2023-07 Return - Designated Clinical Officer.xlsx",
        "2023-07 Return - Director of Education and SEND.xlsx",
        "2023-07 Return - Head of Communications Parents & Carers.xlsx",
    ]
    assert made.officer_count == 3
    assert made.area_count == 2
    assert made.deadline == dt.date(2023, 8, 7)
    assert made.folder == config.outputs_dir(PERIOD) / "returns"
    assert sorted(p.name for p in made.folder.iterdir()) == sorted([*names, "send-list.csv"])


def test_unique_file_name_is_windows_safe_and_unique_ignoring_case() -> None:
    taken: set[str] = set()
    first = unique_file_name('2023-07 Return - A/B: "C" <lead>?', taken)
    assert first == "2023-07 Return - A B C lead.xlsx"
    assert unique_file_name("2023-07 return - a b c lead", taken) == (
        "2023-07 return - a b c lead (2).xlsx"
    )
    assert unique_file_name("2023-07 Return - KCC.", taken) == "2023-07 Return - KCC.xlsx"
    for name in taken:
        assert not re.search(r'[<>:"/\\|?*]', name)


def test_return_sheet_rows_reported_first_then_information(config: Config) -> None:
    made = make_returns(config, PERIOD)
    path = return_for(made.files, "Director of Education and SEND")
    workbook = load_workbook(path)
    assert workbook.sheetnames == [
        layout.INSTRUCTIONS_SHEET,
        layout.RETURN_SHEET,
        layout.META_SHEET,
    ]
    sheet = workbook[layout.RETURN_SHEET]
    headers = [sheet[f"{c.letter}{layout.HEADER_ROW}"].value for c in layout.COLUMNS]
    assert headers == [c.header for c in layout.COLUMNS]
    rows = [
        [sheet[f"{letter}{row}"].value for letter in "ABCDEFG"]
        for row in range(layout.FIRST_ROW, sheet.max_row + 1)
    ]
    assert rows == [
        ["1A2", "1", "1a", "Run termly parent forums\nacross the county", "Ongoing",
         "Ongoing (original)", "Reporting"],
        ["2A1", "2", "2a", "Mainstream core standards training", "25 July 2025",
         "25 Jul 2025 (original)", "Reporting"],
        ["1A1", "1", "1a", "Publish a communications strategy", "31 March 2024",
         "31 Mar 2024 (original)", "For information"],
    ]  # fmt: skip
    assert "Director of Education and SEND" in str(sheet["A2"].value)
    assert "July 2023" in str(sheet["A3"].value)
    assert "Monday 07 August 2023" in str(sheet["A3"].value)


def test_text_that_looks_like_a_formula_is_written_as_text(config: Config) -> None:
    made = make_returns(config, PERIOD)
    sheet = sheet_of(return_for(made.files, "Designated Clinical Officer"), layout.RETURN_SHEET)
    cell = sheet[f"D{layout.FIRST_ROW}"]
    assert cell.value == "+Review special schools (text that looks like a formula)"
    assert cell.data_type == "s"


def test_last_values_for_the_first_period_are_the_plan_baseline(config: Config) -> None:
    made = make_returns(config, PERIOD)
    sheet = sheet_of(return_for(made.files, "Director of Education and SEND"), layout.RETURN_SHEET)
    last = [
        [sheet[f"{letter}{row}"].value for letter in "HIJ"]
        for row in range(layout.FIRST_ROW, layout.FIRST_ROW + 3)
    ]
    assert last == [
        ["Green", "Amber", None],
        ["Amber", "Not yet rated", None],
        ["Amber", "Not yet rated", None],
    ]
    # A rating shown is coloured as config.toml says.
    assert sheet[f"H{layout.FIRST_ROW}"].fill.fgColor.rgb == "FF" + config.brag_style(
        Rating.GREEN
    ).colour.lstrip("#")


def test_last_values_given_are_shown_with_their_commentary(config: Config) -> None:
    from packbuilder.plan.loader import load_plan

    plan = load_plan(config.plan_path, config).plan
    last = {
        "1A2": LastValues(Rating.BLUE, Rating.GREEN, "Forums held in all districts", PERIOD),
    }
    made = write_returns(config, plan, PERIOD.next, last)
    sheet = sheet_of(return_for(made.files, "Director of Education and SEND"), layout.RETURN_SHEET)
    assert [sheet[f"{c}{layout.FIRST_ROW}"].value for c in "HIJ"] == [
        "Blue",
        "Green",
        "Forums held in all districts",
    ]
    assert sheet[f"H{layout.FIRST_ROW + 1}"].value is None  # nothing given, nothing invented


def test_the_end_date_in_force_is_shown_locked_with_the_month_it_was_agreed(
    config: Config,
) -> None:
    from packbuilder.plan.loader import load_plan

    plan = load_plan(config.plan_path, config).plan
    last = {
        "2A1": LastValues(
            Rating.AMBER,
            Rating.AMBER,
            "Trainers recruited late",
            PERIOD,
            revised_end_date=dt.date(2025, 12, 31),
            revised_reason="Trainers recruited late",
            end_date_agreed_in=PERIOD,
        ),
    }
    made = write_returns(config, plan, PERIOD.next, last)
    sheet = sheet_of(return_for(made.files, "Director of Education and SEND"), layout.RETURN_SHEET)
    row = layout.FIRST_ROW + 1
    assert [sheet[f"{c}{row}"].value for c in "AEF"] == [
        "2A1",
        "25 July 2025",
        "31 Dec 2025, revised in July 2023",
    ]
    assert sheet[f"F{row}"].protection.locked is True
    assert sheet[f"O{row}"].value is None  # the revised-date input is for a new change only
    assert layout.COLUMN_BY_KEY["revised_end_date"].help.startswith(
        "Only for a new change to the end date in force (column F)"
    )


def test_locked_context_columns_and_unlocked_inputs(config: Config) -> None:
    made = make_returns(config, PERIOD)
    sheet = sheet_of(return_for(made.files, "Director of Education and SEND"), layout.RETURN_SHEET)
    assert sheet.protection.sheet is True
    assert sheet.protection.formatRows is False  # openpyxl: False means "allowed"
    assert sheet.protection.formatColumns is False
    assert sheet.protection.sort is True  # sorting stays off
    assert sheet.protection.password is None
    reporting_rows = (layout.FIRST_ROW, layout.FIRST_ROW + 1)
    information_row = layout.FIRST_ROW + 2
    for column in layout.COLUMNS:
        for row in reporting_rows:
            cell = sheet[f"{column.letter}{row}"]
            assert cell.protection.locked is column.locked, cell.coordinate
        assert sheet[f"{column.letter}{information_row}"].protection.locked is True
    # Locked cells grey; input cells white with a border.
    assert sheet[f"A{layout.FIRST_ROW}"].fill.fgColor.rgb == "FFF2F2F2"
    assert sheet[f"M{layout.FIRST_ROW}"].fill.fgColor.rgb == "FFFFFFFF"
    assert sheet[f"M{layout.FIRST_ROW}"].border.left.style == "thin"
    assert sheet[f"M{information_row}"].fill.fgColor.rgb == "FFF2F2F2"
    assert sheet[f"O{layout.FIRST_ROW}"].number_format == "dd/mm/yyyy"
    assert sheet.freeze_panes == f"B{layout.FIRST_ROW}"


def test_password_from_config_protects_the_sheets(tmp_path: Path) -> None:
    config = write_workspace(tmp_path / "ws")
    text = (config.root / "config.toml").read_text("utf-8")
    (config.root / "config.toml").write_text(
        text.replace('password = ""', 'password = "office"'), "utf-8"
    )
    config = load_config(config.root)
    made = make_returns(config, PERIOD)
    sheet = sheet_of(return_for(made.files, "Designated Clinical Officer"), layout.RETURN_SHEET)
    assert sheet.protection.sheet is True
    assert sheet.protection.password  # a hash of "office"


def test_validation_lists_dates_and_input_messages(config: Config) -> None:
    made = make_returns(config, PERIOD)
    sheet = sheet_of(return_for(made.files, "Director of Education and SEND"), layout.RETURN_SHEET)
    rules = validations(sheet)
    first, last = layout.FIRST_ROW, layout.FIRST_ROW + 1  # two reported actions
    expected_lists = {
        "K": '"Blue,Green,Amber,Red"',
        "L": '"Blue,Green,Amber,Red,Not yet rated"',
        "Q": '"High,Medium,Low"',
        "S": '"Yes,No"',
    }
    for column in layout.COLUMNS:
        if column.locked:
            assert not any(r.startswith(column.letter) for r in rules), column.letter
            continue
        help_text = layout.column_help(column, [1, 2], PERIOD)
        assert "{" not in help_text
        header = rules[f"{column.letter}{layout.HEADER_ROW}"]
        assert header == [("any", "", help_text)]
        [(kind, formula, prompt)] = rules[f"{column.letter}{first}:{column.letter}{last}"]
        assert prompt == help_text
        if column.letter in expected_lists:
            assert (kind, formula) == ("list", expected_lists[column.letter])
        elif column.kind == "date":
            assert kind == "date"
        else:
            assert kind == "any"
    date_rule = next(
        r
        for r in sheet.data_validations.dataValidation
        if str(r.sqref).startswith("O") and r.type == "date"
    )
    assert "31/12/2023" in (date_rule.error or "")
    assert date_rule.showErrorMessage
    # Nothing to choose on the information-only row.
    assert not any(str(layout.FIRST_ROW + 2) in r for r in rules)


def test_rating_inputs_are_coloured_by_conditional_formats(config: Config) -> None:
    made = make_returns(config, PERIOD)
    sheet = sheet_of(return_for(made.files, "Director of Education and SEND"), layout.RETURN_SHEET)
    colours: dict[str, dict[str, str]] = {}
    for cell_range, rules in sheet.conditional_formatting._cf_rules.items():
        for rule in rules:
            value = rule.formula[0].strip('"')
            colours.setdefault(str(cell_range.sqref), {})[value] = rule.dxf.fill.bgColor.rgb
    brag = {r.value: "FF" + config.brag_style(r).colour.lstrip("#") for r in Rating}
    assert colours[f"K{layout.FIRST_ROW}:K{layout.FIRST_ROW + 1}"] == {
        k: v for k, v in brag.items() if k != "Not yet rated"
    }
    assert colours[f"L{layout.FIRST_ROW}:L{layout.FIRST_ROW + 1}"] == brag


def test_print_setup_for_paper(config: Config) -> None:
    made = make_returns(config, PERIOD)
    sheet = sheet_of(return_for(made.files, "Director of Education and SEND"), layout.RETURN_SHEET)
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth or 1) == 1  # 1 is the default, left unwritten
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == f"${layout.HEADER_ROW}:${layout.HEADER_ROW}"
    assert "&P" in (sheet.oddFooter.right.text or "")
    widths = {}  # adjacent columns of one width are stored as one <col min max> range
    for dimension in sheet.column_dimensions.values():
        for index in range(dimension.min, dimension.max + 1):
            widths[index] = dimension.width
    for index, column in enumerate(layout.COLUMNS, start=1):
        assert widths[index] == pytest.approx(column.width, abs=1), column.letter


def test_meta_sheet_is_very_hidden_and_fingerprints_the_rows(config: Config) -> None:
    from packbuilder.plan.fingerprint import plan_fingerprint
    from packbuilder.plan.loader import load_plan

    made = make_returns(config, PERIOD)
    workbook = load_workbook(return_for(made.files, "Director of Education and SEND"))
    meta = workbook[layout.META_SHEET]
    assert meta.sheet_state == "veryHidden"
    assert meta["A1"].value == layout.META_MARKER
    values = {
        meta.cell(row, 1).value: meta.cell(row, 2).value
        for row in range(2, 2 + len(layout.META_KEYS))
    }
    plan = load_plan(config.plan_path, config).plan
    assert values == {
        "template_version": layout.TEMPLATE_VERSION,
        "kind": "officer",
        "period": "2023-07",
        "officer_id": "director-education",
        "area": None,
        "plan_fingerprint": plan_fingerprint(plan),
        "programme": config.settings.programme.name,
    }
    header = [meta.cell(layout.META_ROWS_HEADER, c).value for c in range(1, 5)]
    assert tuple(header) == layout.META_ROWS_COLUMNS
    sheet = workbook[layout.RETURN_SHEET]
    lines = []
    row = layout.META_ROWS_HEADER + 1
    while meta.cell(row, 1).value:
        lines.append(tuple(meta.cell(row, c).value for c in range(1, 5)))
        row += 1
    assert [(a, r, role) for a, r, _, role in lines] == [
        ("1A2", "5", layout.ROLE_REPORTING),
        ("2A1", "6", layout.ROLE_REPORTING),
        ("1A1", "7", layout.ROLE_INFORMATION),
    ]
    for action_id, row_text, fingerprint, _ in lines:
        cells = [sheet[f"{letter}{row_text}"].value for letter in "ABCDE"]
        assert cells[0] == action_id
        assert fingerprint == layout.row_fingerprint(*cells)


def test_send_list_names_every_return(config: Config) -> None:
    made = make_returns(config, PERIOD)
    with made.send_list.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["officer"] for r in rows] == [
        "Head of Communications: Parents & Carers",
        "Director of Education and SEND",
        "Designated Clinical Officer",
        "Head of Communications: Parents & Carers",
        "Area 2 lead",
    ]
    assert {r["deadline"] for r in rows} == {"2023-08-07"}
    assert rows[1]["email"] == "dir@example.org"
    assert sorted(r["file"] for r in rows) == sorted(p.name for p in made.files)


def test_area_lead_return(config: Config) -> None:
    made = make_returns(config, PERIOD)
    [path] = [p for p in made.files if " Area 2 commentary" in p.name]
    workbook = load_workbook(path)
    assert workbook.sheetnames == [
        layout.INSTRUCTIONS_SHEET,
        layout.AREA_SHEET,
        layout.META_SHEET,
    ]
    sheet = workbook[layout.AREA_SHEET]
    assert sheet.protection.sheet is True
    table = [
        [sheet.cell(row, col).value for col in range(1, 9)]
        for row in (layout.FIRST_ROW, layout.FIRST_ROW + 1)
    ]
    assert table == [
        ["2A1", "Mainstream core standards training", "Director of Education and SEND",
         "25 July 2025", "Amber", "Not yet rated", None, "Plan baseline"],
        ["2A2", "+Review special schools (text that looks like a formula)",
         "Designated Clinical Officer", "December 2023", "Red", "Red", None, "Plan baseline"],
    ]  # fmt: skip
    for row in (layout.FIRST_ROW, layout.FIRST_ROW + 1):
        for col in range(1, 9):
            assert sheet.cell(row, col).protection.locked is True
    cells = area_box_cells(2)
    assert list(cells) == [key for key, _, _ in layout.AREA_COMMENTARY_FIELDS]
    for key, label, _ in layout.AREA_COMMENTARY_FIELDS:
        box = sheet[cells[key]]
        assert box.protection.locked is False
        assert box.alignment.wrap_text
        above = sheet.cell(box.row - 1, 1).value
        assert str(above).startswith(label)
        assert sheet.row_dimensions[box.row].height >= 100
    assert not sheet.merged_cells.ranges
    meta = workbook[layout.META_SHEET]
    assert meta.sheet_state == "veryHidden"
    values = {meta.cell(r, 1).value: meta.cell(r, 2).value for r in range(2, 9)}
    assert (values["kind"], values["officer_id"], values["area"]) == (
        "area-lead",
        "area-2-lead",
        "2",
    )
    lines = [
        tuple(meta.cell(layout.META_ROWS_HEADER + i, c).value for c in range(1, 5))
        for i in range(1, 5)
    ]
    assert lines == [
        (key, cells[key], layout.fingerprint(label), "area-commentary")
        for key, label, _ in layout.AREA_COMMENTARY_FIELDS
    ]


def test_area_leads_can_be_turned_off(tmp_path: Path) -> None:
    config = write_workspace(tmp_path / "ws")
    text = (config.root / "config.toml").read_text("utf-8")
    (config.root / "config.toml").write_text(
        text.replace("area_leads = true", "area_leads = false"), "utf-8"
    )
    made = make_returns(load_config(config.root), PERIOD)
    assert made.area_count == 0
    assert all(" Return - " in p.name for p in made.files)


def test_instructions_sheet_tells_the_officer_what_to_do(config: Config) -> None:
    made = make_returns(config, PERIOD)
    sheet = sheet_of(return_for(made.files, "Designated Clinical Officer"), "Instructions")
    text = "\n".join(
        f"{row[0] or ''} | {row[1] or ''}" for row in sheet.iter_rows(values_only=True)
    )
    assert "Designated Clinical Officer (NHS)" in text
    assert "Monday 07 August 2023" in text
    assert "Programme office (pmo@example.org)" in text
    for number in range(1, 6):
        assert f"Step {number} |" in text
    for rating in Rating:
        assert f"{rating.value} | {config.brag_style(rating).definition}" in text
    for column in layout.COLUMNS:
        help_text = layout.column_help(column, [1, 2], PERIOD)
        assert f"{column.letter}. {column.header} | {help_text}" in text
    assert "grey cells" in text
    assert sheet.protection.sheet is True


def test_no_partial_files_are_left_behind(config: Config) -> None:
    made = make_returns(config, PERIOD)
    assert not [p for p in made.folder.iterdir() if "partial" in p.name]


def test_a_plan_with_errors_makes_no_returns(tmp_path: Path) -> None:
    config = write_workspace(tmp_path / "ws")
    broken = [*ACTIONS, ACTIONS[0]]  # a duplicate action ID
    write_plan_workbook(
        config.plan_path,
        {
            schema.OFFICERS: OFFICERS,
            schema.AREAS: AREAS,
            schema.SUB_THEMES: SUB_THEMES,
            schema.ACTIONS: broken,
        },
    )
    with pytest.raises(PlanError, match=r"plan\.xlsx has 1 error,"):
        make_returns(config, PERIOD)
    assert not (config.outputs_dir(PERIOD) / "returns").exists()


def test_column_help_speaks_of_the_plans_own_areas_and_the_periods_dates() -> None:
    area = next(c for c in layout.COLUMNS if c.key == "area")
    revised = next(c for c in layout.COLUMNS if c.key == "revised_end_date")
    milestone = next(c for c in layout.COLUMNS if c.key == "next_milestone_date")
    march = Period(2024, 3)
    assert layout.column_help(area, [1, 2, 3], march) == "Area of weakness (1-3)."
    assert layout.column_help(area, [2, 5], march) == "Area of weakness (2, 5)."
    assert layout.column_help(revised, [1], march) == (
        "Only for a new change to the end date in force (column F), e.g. 30/06/2024. Leave blank "
        "to keep the date in force."
    )
    assert layout.column_help(milestone, [1], march) == (
        "When the next milestone is due, e.g. 30/04/2024."
    )
