"""One test per check code: a clean return made by ``returns make`` and filled as an officer
would, with one thing broken, checked, and its findings compared exactly."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from returns_factory import (
    DIRECTOR,
    NEXT,
    PERIOD,
    check_dir,
    check_one,
    context,
    copy,
    fill_area,
    fill_clean,
    flat,
    make_blank_returns,
    write_workspace,
)

from packbuilder.checks.context import CheckLimits
from packbuilder.config import Config
from packbuilder.findings import REGISTRY
from packbuilder.model import FileStatus, LastValues, Rating, Severity
from packbuilder.returns import layout

# The director reports 1A2 (row 5) and 2A1 (row 6), and sees 1A1 (row 7) for information.


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, dict[str, Path]]:
    config = write_workspace(tmp_path_factory.mktemp("checks") / "ws")
    return config, make_blank_returns(config)


@pytest.fixture()
def config(workspace: tuple[Config, dict[str, Path]]) -> Config:
    return workspace[0]


@pytest.fixture()
def made(workspace: tuple[Config, dict[str, Path]]) -> dict[str, Path]:
    return workspace[1]


def director(made: dict[str, Path], tmp_path: Path, change: dict | None = None, **kw) -> Path:  # type: ignore[type-arg]
    return fill_clean(made[DIRECTOR], tmp_path / "return.xlsx", DIRECTOR, change, **kw)


def test_clean_return_has_no_findings(
    config: Config, made: dict[str, Path], tmp_path: Path
) -> None:
    result = check_one(director(made, tmp_path), context(config))
    assert result.status is FileStatus.COUNTED
    assert result.findings == []
    assert [(u.action_id, u.progress, u.rejected, u.row_rejected) for u in result.updates] == [
        ("1A2", Rating.AMBER, {}, ""),
        ("2A1", Rating.GREEN, {}, ""),
    ]
    assert result.updates[0].sources["progress"].where == "return.xlsx › Return › K5"


ROW_CASES = [
    # (code, change to the director's clean inputs, expected (code, cell, action) findings)
    ("rating-normalised", {"1A2": {"progress": " amber\u00a0"}},
     [("rating-normalised", "K5", "1A2")]),
    ("rating-letter", {"1A2": {"progress": "A"}}, [("rating-letter", "K5", "1A2")]),
    ("rating-not-allowed", {"1A2": {"progress": "Amber/Red"}},
     [("rating-not-allowed", "K5", "1A2")]),
    ("not-yet-rated-progress", {"1A2": {"progress": "Not yet rated"}},
     [("not-yet-rated-progress", "K5", "1A2")]),
    ("rating-missing", {"1A2": {"impact": None}}, [("rating-missing", "L5", "1A2")]),
    ("commentary-missing", {"1A2": {"progress_commentary": None}},
     [("commentary-missing", "M5", "1A2")]),
    ("confidence-not-allowed", {"1A2": {"confidence": "Fairly"}},
     [("confidence-not-allowed", "Q5", "1A2")]),
    ("choice-normalised", {"1A2": {"confidence": "high "}}, [("choice-normalised", "Q5", "1A2")]),
    ("yesno-not-allowed", {"1A2": {"escalation": "Maybe"}}, [("yesno-not-allowed", "S5", "1A2")]),
    ("not-a-date", {"1A2": {"next_milestone_date": "soon"}}, [("not-a-date", "U5", "1A2")]),
    ("date-from-text", {"1A2": {"next_milestone_date": "30/09/2023"}},
     [("date-from-text", "U5", "1A2")]),
    ("revised-date-no-reason", {"1A2": {"revised_end_date": dt.datetime(2023, 12, 31)}},
     [("revised-date-no-reason", "P5", "1A2")]),
    ("formula", {"1A2": {"next_milestone": '="Draft"&" to board"'}}, [("formula", "T5", "1A2")]),
    ("text-cleaned", {"1A2": {"risks": "Staffing_x000B_ gaps"}}, [("text-cleaned", "R5", "")]),
    ("info-row-filled", {"1A1": {"progress": "Green"}}, [("info-row-filled", "K7", "1A1")]),
]  # fmt: skip


@pytest.mark.parametrize(("code", "change", "expected"), ROW_CASES, ids=[c[0] for c in ROW_CASES])
def test_row_rule(
    config: Config,
    made: dict[str, Path],
    tmp_path: Path,
    code: str,
    change: dict,
    expected: list,  # type: ignore[type-arg]
) -> None:
    result = check_one(director(made, tmp_path, change), context(config))
    assert flat(result.findings) == expected
    finding = result.findings[0]
    assert finding.severity is REGISTRY[code].severity
    assert finding.where.startswith("return.xlsx › Return › ")
    # An error in a row's cell rejects that cell (its field), never the whole row.
    rejected = {(u.action_id, key, c) for u in result.updates for key, c in u.rejected.items()}
    letters = {column.letter: column.key for column in layout.COLUMNS}
    field = letters[finding.cell.rstrip("0123456789")]
    is_error = finding.severity is Severity.ERROR
    assert rejected == ({(expected[0][2], field, code)} if is_error else set())
    assert [u.row_rejected for u in result.updates] == ["", ""]


def test_day_number_in_a_cell_without_a_date_format(
    config: Config, made: dict[str, Path], tmp_path: Path
) -> None:
    path = director(made, tmp_path, {"1A2": {"next_milestone_date": 45199}})
    workbook = load_workbook(path)
    workbook[layout.RETURN_SHEET]["U5"].number_format = "General"
    workbook.save(path)
    result = check_one(path, context(config))
    assert flat(result.findings) == [("date-from-number", "U5", "1A2")]
    assert result.updates[0].next_milestone_date == dt.date(2023, 9, 30)


def test_rating_messages_speak_to_the_officer(
    config: Config, made: dict[str, Path], tmp_path: Path
) -> None:
    result = check_one(director(made, tmp_path, {"1A2": {"progress": "Gren"}}), context(config))
    assert result.findings[0].message == (
        "Progress BRAG 'Gren' is not one of Blue, Green, Amber, Red. "
        "Choose one from the list in K5."
    )
    result = check_one(director(made, tmp_path, {"1A2": {"progress": "G"}}), context(config))
    assert result.updates[0].progress is Rating.GREEN


def test_text_over_the_limit_is_cut_with_a_warning(
    config: Config, made: dict[str, Path], tmp_path: Path
) -> None:
    path = director(made, tmp_path, {"1A2": {"risks": "x" * 500}})
    result = check_one(path, context(config, limits=CheckLimits(max_chars_per_cell=100)))
    assert flat(result.findings) == [("text-truncated", "R5", "")]
    assert result.updates[0].risks == "x" * 100


def test_findings_are_capped_with_a_final_count(
    config: Config, made: dict[str, Path], tmp_path: Path
) -> None:
    change = {"1A2": {"progress": "?", "impact": "?", "confidence": "?", "escalation": "?"}}
    path = director(made, tmp_path, change)
    result = check_one(path, context(config, limits=CheckLimits(max_findings_per_file=2)))
    assert [f.code for f in result.findings] == [
        "rating-not-allowed",
        "rating-not-allowed",
        "too-many-findings",
    ]
    assert result.findings[-1].value == "2"


def _edit(path: Path, sheet: str, cells: dict[str, object]) -> Path:
    workbook = load_workbook(path)
    for ref, value in cells.items():
        workbook[sheet][ref] = value
    workbook.save(path)
    return path


def test_locked_text_changed(config: Config, made: dict[str, Path], tmp_path: Path) -> None:
    path = director(made, tmp_path, cells={"D5": "Run parent forums when we can"})
    result = check_one(path, context(config))
    assert flat(result.findings) == [("locked-text-changed", "D5", "1A2")]
    assert [u.row_rejected for u in result.updates] == ["locked-text-changed", ""]


def test_plan_changed_since_the_return_was_made(
    config: Config, made: dict[str, Path], tmp_path: Path
) -> None:
    path = director(made, tmp_path, cells={"D5": "Run parent forums each term"})
    _edit(
        path,
        layout.META_SHEET,
        {"C13": layout.row_fingerprint("1A2", "1", "1a", "Run parent forums each term", "Ongoing")},
    )
    result = check_one(path, context(config))
    assert flat(result.findings) == [("plan-changed", "A5", "1A2")]
    assert (result.updates[0].row_rejected, result.updates[0].rejected) == ("", {})


def test_row_missing_added_and_duplicated(
    config: Config, made: dict[str, Path], tmp_path: Path
) -> None:
    path = director(made, tmp_path, cells={"A6": "9Z9", "A7": "1A2"})
    result = check_one(path, context(config))
    assert flat(result.findings) == [
        ("row-added", "A6", ""),
        ("row-duplicated", "A7", "1A2"),
        ("row-missing", "", "2A1"),
    ]
    assert [u.row_rejected for u in result.updates] == ["row-duplicated"]


@pytest.mark.parametrize(
    ("meta", "code", "status"),
    [
        ({"B4": "2023-06"}, "wrong-period", FileStatus.REJECTED),
        ({"B2": "0"}, "template-version", FileStatus.REJECTED),
        ({"B5": "someone-else"}, "unknown-officer", FileStatus.REJECTED),
        ({"A1": "my notes"}, "not-a-return", FileStatus.NOT_A_RETURN),
        ({"B3": "budget"}, "not-a-return", FileStatus.NOT_A_RETURN),
    ],
)
def test_identity_from_the_hidden_sheet(
    config: Config,
    made: dict[str, Path],
    tmp_path: Path,
    meta: dict[str, object],
    code: str,
    status: FileStatus,
) -> None:
    path = _edit(director(made, tmp_path), layout.META_SHEET, meta)
    result = check_one(path, context(config))
    assert [f.code for f in result.findings] == [code]
    assert result.status is status


def test_officer_who_no_longer_reports(
    config: Config, made: dict[str, Path], tmp_path: Path
) -> None:
    path = _edit(director(made, tmp_path), layout.META_SHEET, {"B5": "nhs-lead"})
    ctx = context(config)
    ctx.actions["2A2"] = ctx.actions["2A2"].__class__(
        **{**ctx.actions["2A2"].__dict__, "reporting_officer": DIRECTOR}
    )
    result = check_one(path, ctx)
    assert [f.code for f in result.findings] == ["officer-no-actions"]


def test_meta_sheet_made_visible_is_still_read(
    config: Config, made: dict[str, Path], tmp_path: Path
) -> None:
    path = director(made, tmp_path)
    workbook = load_workbook(path)
    workbook[layout.META_SHEET].sheet_state = "visible"
    workbook.save(path)
    result = check_one(path, context(config))
    assert [(f.code, f.severity) for f in result.findings] == [("meta-sheet-shown", Severity.INFO)]
    workbook[layout.META_SHEET].sheet_state = "hidden"  # as LibreOffice may save it
    workbook.save(path)
    assert check_one(path, context(config)).findings == []


def test_comparison_with_last_period(config: Config, made: dict[str, Path], tmp_path: Path) -> None:
    last = {
        "1A2": LastValues(
            Rating.GREEN, Rating.AMBER, "Work on 1A2 is on track this month.", PERIOD
        ),
        "2A1": LastValues(Rating.GREEN, Rating.GREEN, "", PERIOD),
    }
    path = _edit(director(made, tmp_path), layout.META_SHEET, {"B4": str(NEXT)})
    result = check_one(path, context(config, NEXT, last=last))
    assert flat(result.findings) == [
        ("rating-worse", "K5", "1A2"),
        ("commentary-copied", "M5", "1A2"),
    ]
    # The first period makes no comparison, whatever it is given.
    first = check_one(director(made, tmp_path), context(config, PERIOD, last=last))
    assert first.findings == []


def test_area_lead_return(config: Config, made: dict[str, Path], tmp_path: Path) -> None:
    ctx = context(config)
    full = fill_area(
        made["area-1"],
        tmp_path / "a1.xlsx",
        {"progress": "Good month", "impact": "Parents report more confidence"},
    )
    result = check_one(full, ctx)
    assert (result.findings, result.area) == ([], 1)
    assert result.area_commentary is not None
    assert result.area_commentary.impact == "Parents report more confidence"
    blank = check_one(copy(made["area-1"], tmp_path / "a1-blank.xlsx"), ctx)
    assert [f.code for f in blank.findings] == ["area-commentary-blank"] * 2
    wrong = _edit(copy(made["area-1"], tmp_path / "a9.xlsx"), layout.META_SHEET, {"B6": "9"})
    assert [f.code for f in check_one(wrong, ctx).findings] == ["unknown-area"]


def _received(folder: Path, rows: list[tuple[str, str]]) -> None:
    lines = ["file,received"] + [f"{name},{when}" for name, when in rows]
    (folder / "received.csv").write_text("\n".join(lines) + "\n", "utf-8")


def test_two_returns_from_one_officer_by_received_csv(
    config: Config, made: dict[str, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    fill_clean(made[DIRECTOR], folder / "b-first.xlsx", DIRECTOR)
    fill_clean(made[DIRECTOR], folder / "a-second.xlsx", DIRECTOR)
    _received(folder, [("b-first.xlsx", "2023-08-02 09:00"), ("a-second.xlsx", "04/08/2023 10:30")])
    report = check_dir(folder, config, context(config))
    assert report.counted_officer_returns()[DIRECTOR].name == "a-second.xlsx"
    older = next(f for f in report.files if f.name == "b-first.xlsx")
    assert older.status is FileStatus.SUPERSEDED
    assert older.superseded_by == "a-second.xlsx"
    superseded = [f for f in report.findings if f.code == "superseded"]
    assert [(f.file, f.severity) for f in superseded] == [("b-first.xlsx", Severity.WARNING)]
    assert "a-second.xlsx" in superseded[0].message and "received.csv" in superseded[0].message


def _set_core_time(path: Path, stamp: str) -> None:
    import zipfile

    data = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            data[name] = archive.read(name)
    core = data["docProps/core.xml"].decode()
    core = re.sub(r"(<dcterms:modified[^>]*>)[^<]*", lambda m: m.group(1) + stamp, core)
    data["docProps/core.xml"] = core.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part in data.items():
            archive.writestr(name, part)


def test_two_returns_by_recorded_time_then_file_name(
    config: Config, made: dict[str, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    newer = fill_clean(made[DIRECTOR], folder / "a.xlsx", DIRECTOR)
    older = fill_clean(made[DIRECTOR], folder / "b.xlsx", DIRECTOR)
    _set_core_time(newer, "2023-08-05T10:00:00Z")
    _set_core_time(older, "2023-08-01T10:00:00Z")
    report = check_dir(folder, config, context(config))
    assert report.counted_officer_returns()[DIRECTOR].name == "a.xlsx"
    assert next(f for f in report.files if f.name == "a.xlsx").received_source == "file properties"
    _set_core_time(newer, "2023-08-01T10:00:00Z")  # a tie: the later file name counts
    report = check_dir(folder, config, context(config))
    assert report.counted_officer_returns()[DIRECTOR].name == "b.xlsx"


def test_two_returns_by_file_system_time(
    config: Config, made: dict[str, Path], tmp_path: Path
) -> None:
    import os
    import zipfile

    folder = tmp_path / "in"
    paths = []
    for name in ("a.xlsx", "b.xlsx"):
        path = fill_clean(made[DIRECTOR], folder / name, DIRECTOR)
        with zipfile.ZipFile(path) as archive:
            parts = {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}
        with zipfile.ZipFile(path, "w") as archive:
            for part_name, part in parts.items():
                archive.writestr(part_name, part)
        paths.append(path)
    os.utime(paths[0], (1_700_000_000, 1_700_000_000))
    os.utime(paths[1], (1_600_000_000, 1_600_000_000))
    report = check_dir(folder, config, context(config))
    counted = report.counted_officer_returns()[DIRECTOR]
    assert (counted.name, counted.received_source) == ("a.xlsx", "file system")


def test_late_return_and_missing_returns(
    config: Config, made: dict[str, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    fill_clean(made[DIRECTOR], folder / "director.xlsx", DIRECTOR)
    _received(folder, [("director.xlsx", "2023-08-09 17:00")])
    report = check_dir(folder, config, context(config))
    assert [(f.code, f.file, f.officer_id) for f in report.findings] == [
        ("late-return", "director.xlsx", DIRECTOR),
        ("missing-return", "", "head-of-comms"),
        ("missing-return", "", "nhs-lead"),
        ("missing-area-return", "", ""),
        ("missing-area-return", "", ""),
    ]
    assert "07 August 2023" in report.findings[0].message
    assert "dco@example.org" in report.findings[2].message
    assert report.missing_officers() == ["head-of-comms", "nhs-lead"]


def test_missing_folder_means_every_return_is_missing(config: Config, tmp_path: Path) -> None:
    report = check_dir(tmp_path / "nowhere", config, context(config))
    assert report.files == []
    assert len(report.missing_officers()) == 3


def test_every_registered_code_is_exercised_by_a_test() -> None:
    from packbuilder.returns.safe import Refusal

    source = "\n".join(p.read_text("utf-8") for p in Path(__file__).parent.glob("test_*.py"))
    used = {r.value for r in Refusal if f"Refusal.{r.name}" in source}
    untested = [code for code in REGISTRY if f'"{code}"' not in source and code not in used]
    assert untested == []


LAST_WITH_REVISION = {
    "2A1": LastValues(
        Rating.AMBER,
        Rating.AMBER,
        "Training delayed.",
        PERIOD,
        revised_end_date=dt.date(2023, 12, 31),
        revised_reason="Trainers recruited late",
        end_date_agreed_in=PERIOD,
    )
}


@pytest.mark.parametrize(
    ("typed", "last", "expected"),
    [
        # The plan's end date (31 May 2023) is in force and has passed: overdue.
        (None, {}, [("overdue", "K6", "2A1")]),
        # A revision agreed last month is in force: the officer types nothing and is asked
        # nothing, not even whether it is overdue.
        (None, LAST_WITH_REVISION, []),
        # Typing the date already in force again is not a new revision: no reason asked.
        (dt.datetime(2023, 12, 31), LAST_WITH_REVISION, []),
        # A new date is a new revision and needs its reason.
        (dt.datetime(2024, 1, 31), LAST_WITH_REVISION, [("revised-date-no-reason", "P6", "2A1")]),
        # A new date already past is overdue against the new date.
        (
            dt.datetime(2023, 7, 31),
            LAST_WITH_REVISION,
            [("revised-date-no-reason", "P6", "2A1"), ("overdue", "O6", "2A1")],
        ),
    ],
)
def test_the_end_date_in_force_is_not_asked_for_again(
    config: Config,
    made: dict[str, Path],
    tmp_path: Path,
    typed: dt.datetime | None,
    last: dict[str, LastValues],
    expected: list[tuple[str, str, str]],
) -> None:
    change = {"2A1": {"progress": "Amber", "impact": "Amber", "revised_end_date": typed}}
    path = _edit(director(made, tmp_path, change), layout.META_SHEET, {"B4": str(NEXT)})
    result = check_one(path, context(config, NEXT, last=last))
    assert flat(result.findings) == expected


def _as_version_1(path: Path) -> Path:
    """The return as template version 1 made it: no "End date in force" column (F)."""
    workbook = load_workbook(path)
    workbook[layout.RETURN_SHEET].delete_cols(6)
    workbook[layout.META_SHEET]["B2"] = "1"
    workbook.save(path)
    return path


def test_a_return_made_by_template_version_1_is_read_with_its_own_columns(
    config: Config, made: dict[str, Path], tmp_path: Path
) -> None:
    change = {"1A2": {"progress": "Gren", "risks": "Staff turnover"}}
    path = _as_version_1(director(made, tmp_path, change))
    result = check_one(path, context(config))
    assert result.status is FileStatus.COUNTED
    assert [(f.code, f.severity, f.cell) for f in result.findings] == [
        ("template-version-older", Severity.INFO, ""),
        ("rating-not-allowed", Severity.ERROR, "J5"),
    ]
    assert "Choose one from the list in J5." in result.findings[1].message
    first, second = result.updates
    assert (first.impact, first.risks, first.next_milestone_date) == (
        Rating.AMBER,
        "Staff turnover",
        dt.date(2023, 9, 30),
    )
    assert first.sources["risks"].where == "return.xlsx › Return › Q5"
    assert (second.progress, second.evidence) == (Rating.GREEN, "Training records for 40 staff")
