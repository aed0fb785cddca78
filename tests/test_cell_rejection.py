"""An error rejects the cell, not the whole row: two months built as the office would build them.

July's returns are clean, and the director agrees a revised end date for 1A2. In August the
director rates 1A2 Red with commentary but types the revised end date "31/13/2024", and gives
2A1 an impact of "Purple". The ratings and commentary that are valid enter; the bad cells keep
July's values and say so in words in the tracker, the reports and history; the feedback
workbook still lists both errors; September's return shows what August accepted.
"""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import docx
import openpyxl
import pytest
from returns_factory import (
    DIRECTOR,
    NEXT,
    PERIOD,
    fill_clean,
    load_test_plan,
    make_blank_returns,
    write_workspace,
)

from packbuilder.commands.build import build_period
from packbuilder.commands.check import check_period
from packbuilder.commands.returns import read_values_before
from packbuilder.config import Config
from packbuilder.history import History
from packbuilder.model import Period, Rating, ReturnStatus
from packbuilder.returns import layout
from packbuilder.returns.make import shown_after_check

COMMENTARY = "Venue lost; the spring forum moves to October."
DATE_WHY = "this month's date could not be read as a date"
RATING_WHY = "this month's rating was not valid"


def send(config: Config, period: Period, director: dict[str, dict[str, object]]) -> None:
    """The director's and the head of communications' returns, filled; the NHS lead sends none."""
    made = make_blank_returns(
        config, period, read_values_before(config, load_test_plan(config), period)
    )
    folder = config.returns_dir(period)
    fill_clean(made[DIRECTOR], folder / made[DIRECTOR].name, DIRECTOR, director)
    fill_clean(made["head-of-comms"], folder / made["head-of-comms"].name, "head-of-comms")


def read_sheet(path: Path, name: str) -> list[tuple[object, ...]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # openpyxl drops sparklines, and says so
        return list(openpyxl.load_workbook(path)[name].iter_rows(values_only=True))


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.fixture(scope="module")
def august(tmp_path_factory: pytest.TempPathFactory) -> Config:
    config = write_workspace(tmp_path_factory.mktemp("cells") / "ws")
    send(
        config,
        PERIOD,
        {"1A2": {"revised_end_date": dt.datetime(2024, 3, 31), "revised_reason": "Venue booked"}},
    )
    build_period(config, PERIOD)
    send(
        config,
        NEXT,
        {
            "1A2": {
                "progress": "Red",
                "impact": "Amber",
                "progress_commentary": COMMENTARY,
                "revised_end_date": "31/13/2024",
                "revised_reason": "Venue lost",
            },
            "2A1": {"impact": "Purple"},
        },
    )
    build_period(config, NEXT)
    return config


def test_the_valid_cells_of_a_row_enter_and_the_bad_ones_keep_last_months(august: Config) -> None:
    rows = read_sheet(august.outputs_dir(NEXT) / f"tracker-{NEXT}.xlsx", "Tracker")
    tracker = {str(r[0]): dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    one_a_two = tracker["1A2"]
    assert (one_a_two["Progress"], one_a_two["Impact"]) == ("Red", "Amber")
    assert one_a_two["Commentary"] == COMMENTARY
    assert one_a_two["Revised end date"] == f"31 Mar 2024, carried forward: {DATE_WHY}"
    assert one_a_two["Return status"] == ReturnStatus.CELLS_CARRIED.value
    assert tracker["2A1"]["Progress"] == "Green"
    assert tracker["2A1"]["Impact"] == f"Green, carried forward: {RATING_WHY}"
    assert tracker["1A1"]["Return status"] == ReturnStatus.UPDATED.value

    end_dates = read_sheet(august.outputs_dir(NEXT) / f"tracker-{NEXT}.xlsx", "End dates")
    reasons = {r[1]: r[8] for r in end_dates[1:]}
    assert reasons["1A2"] == f"Carried forward ({DATE_WHY}): Venue booked"

    with History.open(august) as history:
        recorded = history.recorded_actions(NEXT)["1A2"]
        assert (recorded.progress, recorded.impact) == (Rating.RED, Rating.AMBER)
        assert recorded.progress_commentary == COMMENTARY
        assert (recorded.revised_end_date, recorded.revised_reason) == (
            dt.date(2024, 3, 31),
            "Venue booked",
        )
        assert history.carried(NEXT) == {
            "1A2": {"revised_end_date": DATE_WHY, "revised_reason": DATE_WHY},
            "2A1": {"impact": RATING_WHY},
        }


def test_the_reports_give_the_officers_commentary_and_say_what_was_carried(august: Config) -> None:
    folder = august.outputs_dir(NEXT)
    exceptions = docx_text(folder / f"exception-report-{NEXT}.docx")
    assert COMMENTARY in exceptions
    assert "No commentary given." not in exceptions
    assurance = "\n".join(
        docx_text(path) for path in sorted(folder.glob(f"assurance-report-{NEXT}*.docx"))
    )
    assert f"Green, carried forward: {RATING_WHY}" in assurance


def test_the_feedback_lists_every_error_and_next_month_shows_what_was_accepted(
    august: Config,
) -> None:
    (feedback,) = (august.outputs_dir(NEXT) / "feedback").glob("*.xlsx")
    validation = read_sheet(august.outputs_dir(NEXT) / "validation.xlsx", "Findings")
    errors = {(r[0], r[6]) for r in validation[1:] if r[1] == "error"}
    assert {("not-a-date", "1A2"), ("rating-not-allowed", "2A1")} <= errors
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        sheet = openpyxl.load_workbook(feedback)[layout.RETURN_SHEET]
    commented = {cell.coordinate for row in sheet.iter_rows() for cell in row if cell.comment}
    where = {str(sheet.cell(r, 1).value): r for r in range(layout.FIRST_ROW, sheet.max_row + 1)}
    assert {
        f"{layout.COLUMN_BY_KEY['revised_end_date'].letter}{where['1A2']}",
        f"{layout.COLUMN_BY_KEY['impact'].letter}{where['2A1']}",
    } <= commented

    september = make_blank_returns(
        august, Period(2023, 9), read_values_before(august, load_test_plan(august), Period(2023, 9))
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        sheet = openpyxl.load_workbook(september[DIRECTOR])[layout.RETURN_SHEET]
    where = {str(sheet.cell(r, 1).value): r for r in range(layout.FIRST_ROW, sheet.max_row + 1)}

    def shown(action_id: str, key: str) -> object:
        return sheet[f"{layout.COLUMN_BY_KEY[key].letter}{where[action_id]}"].value

    assert (shown("1A2", "last_progress"), shown("1A2", "last_impact")) == ("Red", "Amber")
    assert shown("1A2", "last_commentary") == COMMENTARY
    assert shown("2A1", "last_impact") == "Green"


def test_an_area_lead_sees_this_months_accepted_ratings_and_the_kept_one(tmp_path: Path) -> None:
    config = write_workspace(tmp_path / "ws")
    made = make_blank_returns(config, PERIOD)
    fill_clean(
        made[DIRECTOR],
        config.returns_dir(PERIOD) / made[DIRECTOR].name,
        DIRECTOR,
        {"1A2": {"progress": "Purple", "impact": "Red", "progress_commentary": "Venue lost"}},
    )
    plan = load_test_plan(config)
    last = read_values_before(config, plan, PERIOD)
    shown = shown_after_check(plan, last, check_period(config, PERIOD))
    # 1A2's progress "Purple" is rejected: the plan's Green stands; its impact and words enter.
    assert (shown["1A2"].progress, shown["1A2"].impact) == (Rating.GREEN, Rating.RED)
    assert (shown["1A2"].commentary, shown["1A2"].source) == ("Venue lost", "This month's return")
    assert shown["2A1"].progress is Rating.GREEN
