"""The tracker workbook read back with openpyxl: counts, formats, tables, print setup, safe text."""

from __future__ import annotations

import datetime as dt
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from period_fixtures import AUGUST, JULY, A, B, G, N, R, action, check_of, plan_of, returned, update

from packbuilder.config import Config, default_config_text, load_config
from packbuilder.merge import RecordedAction, merge_period
from packbuilder.model import (
    BRAG_ORDER,
    CellSource,
    Direction,
    Kpi,
    KpiRag,
    KpiStatus,
    KpiTarget,
    Override,
    PeriodResult,
    Rating,
    ReturnStatus,
    Risk,
    RiskStatus,
)
from packbuilder.tracker import CUT_MARKER, EXCEL_CELL_LIMIT, TrackerHistory, write_tracker

PLAN = plan_of(
    action("1A1", "ann"),
    action("1A2", "ann", end=dt.date(2023, 5, 31)),
    action("1A3", "bob"),
    action("2A1", "bob", area=2),
    action("2A2", "cat", area=2, progress=R, impact=R),
    action("2A3", "dan", area=2, end=None),
)
LAST = {
    a.id: RecordedAction(JULY, A, N, ReturnStatus.UPDATED, progress_commentary="July")
    for a in PLAN.actions
}
RISKS_LABEL = "Open risks by severity after mitigation"
HOSTILE = {
    "1A1": '=HYPERLINK("https://evil.example","click")',
    "1A2": "+44 7700 900123",
    "1A3": "-5 days late",
    "2A1": "@SUM(A1:A9)",
}


@pytest.fixture
def config(tmp_path: Path) -> Config:
    (tmp_path / "config.toml").write_text(default_config_text(), "utf-8")
    return load_config(tmp_path)


def period_result() -> PeriodResult:
    check = check_of(
        AUGUST,
        PLAN,
        returned(
            "ann",
            update("1A1", 5, G, A, commentary=HOSTILE["1A1"]),
            update("1A2", 6, R, R, commentary=HOSTILE["1A2"], evidence="https://evil.example/x"),
        ),
        returned(
            "bob",
            update("1A3", 5, B, G, commentary=HOSTILE["1A3"], risks="00123"),
            update("2A1", 6, A, N, commentary=HOSTILE["2A1"], evidence="x" * 40_000),
        ),
    )
    override = Override(
        "2A2",
        "progress",
        "Amber",
        "Agreed on the call",
        "Programme office",
        CellSource("2023-08.xlsx", "b" * 64, "Overrides", "C2"),
    )
    statuses, commentary, findings = merge_period(PLAN, check, LAST, [override], JULY)
    kpi = Kpi("APP08", "Plans issued within 20 weeks", areas=(2,), unit="%")
    target = KpiTarget(dt.date(2023, 6, 30), 75.0, "75%")
    kpis = [
        KpiStatus(
            kpi,
            64.0,
            "64%",  # typed with its sign: the tracker shows the number, the unit beside it
            dt.date(2023, 8, 31),
            False,
            target,
            KpiRag.RED,
            "64 < 75",
            60.0,
            Direction.IMPROVED,
        )
    ]
    risks = [
        RiskStatus(
            Risk("R01", "Jun 2023", "Capacity", "High", severity_after="High"), "No change", "High"
        ),
        RiskStatus(
            Risk("R02", "Jun 2023", "Data", "Medium", severity_after="Low"),
            "Severity down",
            "Medium",
        ),
    ]
    return PeriodResult(AUGUST, PLAN, statuses, commentary, check, [], JULY, kpis, risks, findings)


def history_for(result: PeriodResult) -> TrackerHistory:
    from packbuilder.tracker import brag_counts

    return TrackerHistory(
        progress_trend={JULY: {A: 6}, AUGUST: brag_counts(result.actions, "progress")},
        impact_trend={JULY: {N: 6}, AUGUST: brag_counts(result.actions, "impact")},
        kpi_series={"APP08": {JULY: 60.0, AUGUST: 64.0}},
    )


def load(path: Path) -> Workbook:
    with warnings.catch_warnings():
        # openpyxl cannot keep sparklines and says so; reading is all these tests do.
        warnings.simplefilter("ignore", UserWarning)
        return openpyxl.load_workbook(path)


@pytest.fixture
def written(config: Config, tmp_path: Path) -> tuple[Path, PeriodResult, list]:  # type: ignore[type-arg]
    result = period_result()
    path = tmp_path / "tracker-2023-08.xlsx"
    findings = write_tracker(path, config, result, history_for(result))
    return path, result, findings


def rows_under(ws, label: str) -> list[list[object]]:  # type: ignore[no-untyped-def]
    """The table rows below a section label on the Summary sheet, up to the first blank row."""
    cells = [c for row in ws.iter_rows() for c in row if c.value == label]
    assert cells, label
    row = cells[0].row + 2
    found = []
    while ws.cell(row, 2).value:
        found.append([ws.cell(row, c).value for c in range(1, ws.max_column + 1)])
        row += 1
    return found


def test_summary_counts_match_counts_made_from_the_plan_and_returns(written) -> None:  # type: ignore[no-untyped-def]
    path, _, _ = written
    # Independently: the ratings each action should have after the merge and the override.
    expected = {
        "progress": {"1A1": G, "1A2": R, "1A3": B, "2A1": A, "2A2": A, "2A3": A},
        "impact": {"1A1": A, "1A2": R, "1A3": G, "2A1": N, "2A2": N, "2A3": N},
    }
    ws = load(path)["Summary"]
    for kind, label, ratings in (
        ("progress", "Progress by area of weakness", list(BRAG_ORDER)),
        ("impact", "Impact by area of weakness", [*BRAG_ORDER, Rating.NOT_YET_RATED]),
    ):
        table = rows_under(ws, label)
        for area, row in zip((1, 2, None), table, strict=True):
            ids = [i for i in expected[kind] if area is None or i.startswith(str(area))]
            counts = [sum(1 for i in ids if expected[kind][i] is r) for r in ratings]
            assert row[2 : 2 + len(ratings) + 1] == [*counts, len(ids)], (kind, area)
    figures = {ws.cell(r, 1).value: ws.cell(r, 3).value for r in range(5, 13)}
    assert figures["Returns received"] == 2
    assert figures["Returns expected"] == 4
    assert figures["Overdue actions"] == 1  # 1A2: Red, ended May 2023
    assert figures["No return (values carried forward)"] == 2


def test_summary_counts_only_open_risks(config: Config, tmp_path: Path) -> None:
    result = period_result()
    result.risks += [
        RiskStatus(Risk("R03", "Jun 2023", "Estates", "High", status="Closed"), "Closed", "High"),
        RiskStatus(Risk("R04", "Jun 2023", "Dropped", "Medium"), "Closed", "Medium"),
    ]
    path = tmp_path / "tracker-2023-08.xlsx"
    write_tracker(path, config, result, history_for(result))
    ws = load(path)["Summary"]
    label = next(c for row in ws.iter_rows() for c in row if c.value == RISKS_LABEL)
    counts = {ws.cell(label.row + n, 2).value: ws.cell(label.row + n, 3).value for n in (1, 2, 3)}
    assert counts == {"High": 1, "Medium": 0, "Low": 1}  # R01 High, R02 Low after mitigation


def test_every_sheet_filters_freezes_and_prints_landscape_one_page_wide(written) -> None:  # type: ignore[no-untyped-def]
    path, _, _ = written
    wb = load(path)
    assert wb.sheetnames == [
        "Summary",
        "Tracker",
        "Changes",
        "End dates",
        "Exceptions",
        "KPI scorecard",
        "Risks",
        "Returns log",
        "Validation",
    ]
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        # Excel leaves out a fit of 1 page, the default: the Summary prints on one page.
        pages_high = (None, 1) if ws.title == "Summary" else (0,)
        assert ws.page_setup.fitToHeight in pages_high, ws.title
        assert ws.page_setup.fitToWidth in (None, 1), ws.title
        assert "Page &P of &N" in (ws.oddFooter.right.text or ""), ws.title
        assert "August 2023" in (ws.oddFooter.center.text or ""), ws.title
        assert "Improvement Plan" in (ws.oddFooter.left.text or ""), ws.title
        if ws.title != "Summary":
            assert ws.print_title_rows == "$1:$1", ws.title
            assert len(ws.tables) == 1, ws.title
            assert ws.freeze_panes in ("A2", "B2"), ws.title
    tracker = wb["Tracker"]
    assert tracker.tables["Tracker"].ref == "A1:AC7"
    assert tracker.freeze_panes == "B2"
    assert tracker.cell(1, 13).value == "Progress"


def test_brag_columns_carry_the_configured_colours_and_the_word(written, config: Config) -> None:  # type: ignore[no-untyped-def]
    path, _, _ = written
    wb = load(path)
    tracker = wb["Tracker"]
    headers = [c.value for c in tracker[1]]
    rules: dict[str, dict[str, str]] = {}
    begins: dict[str, dict[str, str]] = {}  # "Amber, carried forward: …" keeps Amber's colour
    for cf in tracker.conditional_formatting:
        for rule in cf.rules:
            if rule.type == "beginsWith":
                begins.setdefault(str(cf.sqref), {})[rule.text] = rule.dxf.fill.bgColor.rgb
            else:
                rules.setdefault(str(cf.sqref), {})[rule.formula[0].strip('"')] = (
                    rule.dxf.fill.bgColor.rgb
                )
    for name in ("Progress", "Impact", "Last progress", "Last impact"):
        letter = openpyxl.utils.get_column_letter(headers.index(name) + 1)
        colours = {r.value: "FF" + config.brag_style(r).colour.lstrip("#") for r in Rating}
        assert rules[f"{letter}2:{letter}7"] == colours
        assert begins[f"{letter}2:{letter}7"] == {f"{w},": c for w, c in colours.items()}
    assert [tracker.cell(r, 13).value for r in range(2, 8)] == [
        "Green",
        "Red",
        "Blue",
        "Amber",
        "Amber",
        "Amber",
    ]
    scorecard = wb["KPI scorecard"]
    rag = {
        rule.formula[0].strip('"'): rule.dxf.fill.bgColor.rgb
        for cf in scorecard.conditional_formatting
        for rule in cf.rules
    }
    assert rag["Red"] == "FFC00000"
    assert scorecard.cell(2, 12).value == "Red"
    # Figures are numbers (they sort and filter), the unit in its own column, whatever was typed.
    assert [scorecard.cell(2, c).value for c in (4, 7, 9)] == ["%", 75, 64]
    assert scorecard.cell(2, 14).value == "▲ Improved"
    risks = wb["Risks"]
    assert {str(cf.sqref) for cf in risks.conditional_formatting} == {"E2:E3", "G2:G3", "K2:K3"}


def test_charts_and_sparklines_are_native(written) -> None:  # type: ignore[no-untyped-def]
    path, _, _ = written
    charts = load(path)["Summary"]._charts
    assert [(c.tagname, c.grouping) for c in charts] == [
        ("barChart", "stacked"),
        ("barChart", "stacked"),
        ("barChart", "stacked"),
        ("barChart", "stacked"),
    ]
    assert [c.type for c in charts] == ["bar", "bar", "col", "col"]
    assert [len(c.series) for c in charts] == [4, 4, 4, 4]
    with zipfile.ZipFile(path) as package:
        sheets = [n for n in package.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = "".join(package.read(n).decode() for n in sheets)
    assert xml.count("<x14:sparkline>") == 1
    assert "<hyperlink" not in xml


def test_returned_text_stays_text(written) -> None:  # type: ignore[no-untyped-def]
    path, _, _ = written
    tracker = load(path)["Tracker"]
    headers = [c.value for c in tracker[1]]
    commentary = headers.index("Commentary") + 1
    for row in range(2, 6):
        cell = tracker.cell(row, commentary)
        assert cell.data_type == "s"
        assert cell.value == HOSTILE[tracker.cell(row, 1).value]
        assert cell.hyperlink is None
    evidence = tracker.cell(3, headers.index("Evidence of impact") + 1)
    assert (evidence.value, evidence.data_type, evidence.hyperlink) == (
        "https://evil.example/x",
        "s",
        None,
    )
    risks = tracker.cell(4, headers.index("Key risks or issues") + 1)
    assert (risks.value, risks.data_type) == ("00123", "s")


def test_text_over_the_cell_limit_is_cut_with_a_marker_and_a_warning(written) -> None:  # type: ignore[no-untyped-def]
    path, _, findings = written
    tracker = load(path)["Tracker"]
    headers = [c.value for c in tracker[1]]
    cell = tracker.cell(5, headers.index("Evidence of impact") + 1)
    assert len(cell.value) == EXCEL_CELL_LIMIT
    assert cell.value.endswith(CUT_MARKER)
    assert [(f.code, f.sheet, f.cell) for f in findings] == [("tracker-text-cut", "Tracker", "T5")]
    validation = load(path)["Validation"]
    assert "tracker-text-cut" in [c.value for c in validation["B"]]


def test_overrides_show_with_their_reason(written) -> None:  # type: ignore[no-untyped-def]
    path, _, _ = written
    tracker = load(path)["Tracker"]
    headers = [c.value for c in tracker[1]]
    progress = tracker.cell(6, headers.index("Progress") + 1)
    assert progress.value == "Amber"
    assert "Override by Programme office: Agreed on the call" in progress.comment.text
    note = tracker.cell(6, headers.index("Overrides") + 1).value
    assert note == "progress set to Amber by Programme office: Agreed on the call"
    assert tracker.cell(6, headers.index("Source file") + 1).value == "2023-08.xlsx"


def test_changes_end_dates_and_returns_log(written) -> None:  # type: ignore[no-untyped-def]
    path, _, _ = written
    wb = load(path)
    changes = [[c.value for c in row] for row in wb["Changes"].iter_rows(min_row=2)]
    assert [(r[0], r[1], r[5], r[6]) for r in changes] == [
        ("Progress changed", "1A1", "Amber", "Green"),
        ("Impact changed", "1A1", "Not yet rated", "Amber"),
        ("Progress changed", "1A2", "Amber", "Red"),
        ("Impact changed", "1A2", "Not yet rated", "Red"),
        ("Progress changed", "1A3", "Amber", "Blue"),
        ("Impact changed", "1A3", "Not yet rated", "Green"),
    ]
    ends = [[c.value for c in row] for row in wb["End dates"].iter_rows(min_row=2)]
    assert [(r[0], r[1]) for r in ends] == [("Overdue", "1A2")]
    log = [[c.value for c in row] for row in wb["Returns log"].iter_rows(min_row=2)]
    assert [(r[0], r[1], r[3]) for r in log] == [
        ("ann.xlsx", "Ann", "Counted"),
        ("bob.xlsx", "Bob", "Counted"),
        (None, "Cat", "No return"),
        (None, "Dan", "No return"),
        (None, "Area 1 lead", "No return"),
        (None, "Area 2 lead", "No return"),
    ]


def test_the_same_inputs_give_the_same_bytes(config: Config, tmp_path: Path) -> None:
    one, two = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    for path in (one, two):
        result = period_result()
        write_tracker(path, config, result, history_for(result))
    assert one.read_bytes() == two.read_bytes()
