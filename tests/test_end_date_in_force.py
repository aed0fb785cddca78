"""The end date in force, month after month: a revised end date agreed in January is still in
force in February, when the officer rates the action and leaves the date alone.

A plan whose action 1A2 is due on 31 December 2023; the programme starts in January 2024. In
January the director revises 1A2 to 31 March 2024 with a reason. February's return is made by
``returns make`` from history, as the officer receives it, and filled without a revised date.
"""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from returns_factory import (
    ACTIONS,
    AREAS,
    DIRECTOR,
    OFFICERS,
    SUB_THEMES,
    clean_inputs,
    fill_clean,
    load_test_plan,
    make_blank_returns,
)

from packbuilder.cli import main
from packbuilder.commands.build import build_period
from packbuilder.commands.check import check_period
from packbuilder.commands.returns import read_values_before
from packbuilder.config import Config, default_config_text, load_config
from packbuilder.history import History
from packbuilder.model import Period, Severity
from packbuilder.plan import schema
from packbuilder.plan.writer import write_plan_workbook
from packbuilder.returns import layout

JANUARY, FEBRUARY = Period(2024, 1), Period(2024, 2)
ORIGINAL, REVISED = dt.date(2023, 12, 31), dt.date(2024, 3, 31)
REASON = "The consultation with families was extended to the end of March."


def _workspace(root: Path) -> Config:
    """The returns factory's plan with 1A2 due on 31 December 2023, starting January 2024."""
    root.mkdir(parents=True)
    text = default_config_text().replace('first = "2023-07"', 'first = "2024-01"')
    assert 'first = "2024-01"' in text
    (root / "config.toml").write_text(text, "utf-8")
    actions = [
        (*a[:3], "31 December 2023", ORIGINAL, *a[5:]) if a[0] == "1A2" else a for a in ACTIONS
    ]
    write_plan_workbook(
        root / "inputs" / "plan.xlsx",
        {
            schema.OFFICERS: OFFICERS,
            schema.AREAS: AREAS,
            schema.SUB_THEMES: SUB_THEMES,
            schema.ACTIONS: actions,
        },
    )
    return load_config(root)


def _send(config: Config, period: Period, director: dict[str, dict[str, object]]) -> Path:
    """Make the period's returns from history and file the director's and the comms head's."""
    made = make_blank_returns(
        config, period, read_values_before(config, load_test_plan(config), period)
    )
    folder = config.returns_dir(period)
    fill_clean(made["head-of-comms"], folder / made["head-of-comms"].name, "head-of-comms")
    return fill_clean(made[DIRECTOR], folder / made[DIRECTOR].name, DIRECTOR, director)


def _tracker(config: Config, period: Period) -> openpyxl.Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # openpyxl drops sparklines, and says so
        return openpyxl.load_workbook(config.outputs_dir(period) / f"tracker-{period}.xlsx")


def _rows(workbook: openpyxl.Workbook, sheet: str) -> dict[str, dict[str, object]]:
    rows = list(workbook[sheet].iter_rows(values_only=True))
    key = rows[0].index("Action ID")
    return {str(r[key]): dict(zip(rows[0], r, strict=True)) for r in rows[1:]}  # type: ignore[arg-type]


def _docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def january(tmp_path_factory: pytest.TempPathFactory) -> Config:
    config = _workspace(tmp_path_factory.mktemp("end-date") / "ws")
    _send(
        config,
        JANUARY,
        {"1A2": {"revised_end_date": dt.datetime(2024, 3, 31), "revised_reason": REASON}},
    )
    assert [f for f in check_period(config, JANUARY).findings if f.action_id == "1A2"] == []
    build_period(config, JANUARY)
    return config


@pytest.fixture(scope="module")
def february(january: Config) -> tuple[Config, Path]:
    words = {**clean_inputs("1A2"), "progress_commentary": "Forums held in two districts."}
    return january, _send(january, FEBRUARY, {"1A2": words})


def test_january_accepts_the_revised_end_date_and_reports_it_moved(january: Config) -> None:
    tracker = _tracker(january, JANUARY)
    end_dates = _rows(tracker, "End dates")["1A2"]
    assert (end_dates["Why listed"], end_dates["Reason for revised date"]) == (
        "Due in the next three months; Moved this period",
        REASON,
    )
    rows = _rows(tracker, "Tracker")
    assert (rows["1A2"]["End date in force"], rows["1A2"]["End date last moved"]) == (
        dt.datetime(2024, 3, 31),
        "January 2024",
    )
    report = _docx_text(january.outputs_dir(JANUARY) / f"assurance-report-{JANUARY}.docx")
    assert (
        f"1A2 | Director of Education and SEND | 31 December 2023 | 31 Mar 2024, revised in "
        f"January 2024 | {REASON} | Officer's return"
    ) in report


def test_februarys_return_shows_the_end_date_in_force_locked(
    february: tuple[Config, Path],
) -> None:
    _, path = february
    sheet = openpyxl.load_workbook(path)[layout.RETURN_SHEET]
    rows = range(layout.FIRST_ROW, sheet.max_row + 1)
    row = next(r for r in rows if sheet[f"A{r}"].value == "1A2")
    assert sheet[f"E{row}"].value == "31 December 2023"
    assert sheet[f"F{row}"].value == "31 Mar 2024, revised in January 2024"
    assert sheet[f"F{row}"].protection.locked is True
    revised = layout.COLUMN_BY_KEY["revised_end_date"].letter
    assert sheet[f"{revised}{row}"].value is None


def test_february_check_asks_nothing_about_the_date_left_alone(
    february: tuple[Config, Path],
) -> None:
    config, _ = february
    report = check_period(config, FEBRUARY)
    assert [(f.code, f.cell) for f in report.findings if f.action_id == "1A2"] == []
    assert not [f for f in report.findings if f.severity is Severity.ERROR]
    checked = CliRunner().invoke(main, ["-C", str(config.root), "check", str(FEBRUARY)])
    assert checked.exit_code == 0, checked.output


def test_february_build_keeps_the_end_date_in_force(february: tuple[Config, Path]) -> None:
    config, _ = february
    built = build_period(config, FEBRUARY)
    status = next(s for s in built.result.actions if s.action.id == "1A2")
    assert (status.end_date_in_force, status.revised_reason, status.end_date_agreed_in) == (
        REVISED,
        REASON,
        JANUARY,
    )
    assert not status.is_overdue(FEBRUARY)
    assert ("overdue", "1A2") not in {(e.rule, e.subject) for e in built.result.exceptions}

    tracker = _tracker(config, FEBRUARY)
    row = _rows(tracker, "Tracker")["1A2"]
    assert (
        row["End date"],
        row["Revised end date"],
        row["End date in force"],
        row["End date last moved"],
        row["Overdue"],
    ) == (
        dt.datetime(2023, 12, 31),
        dt.datetime(2024, 3, 31),
        dt.datetime(2024, 3, 31),
        "January 2024",
        "No",
    )
    end_dates = _rows(tracker, "End dates")
    assert end_dates["1A2"]["Why listed"] == "Due in the next three months; Revised"
    assert (end_dates["1A2"]["Agreed in"], end_dates["1A2"]["Days overdue"]) == (
        "January 2024",
        None,
    )

    exceptions = _docx_text(config.outputs_dir(FEBRUARY) / f"exception-report-{FEBRUARY}.docx")
    assert "1A2" not in exceptions
    assurance = _docx_text(config.outputs_dir(FEBRUARY) / f"assurance-report-{FEBRUARY}.docx")
    assert "No end date moved in February 2024." in assurance

    with History.open(config) as history:
        recorded = history.recorded_actions(FEBRUARY)["1A2"]
    assert (recorded.revised_end_date, recorded.revised_reason, recorded.end_date_agreed_in) == (
        REVISED,
        REASON,
        JANUARY,
    )
