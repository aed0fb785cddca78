"""Nothing silent around the period's folder: workbooks saved beside it and received.csv rows
that are not used are named, in words, with what to do."""

from __future__ import annotations

from pathlib import Path

import pytest
from returns_factory import (
    DIRECTOR,
    check_dir,
    context,
    fill_clean,
    make_blank_returns,
    write_workspace,
)

from packbuilder.config import Config
from packbuilder.model import Severity

FOLDER_CODES = {
    "return-in-wrong-folder",
    "received-row-unmatched",
    "received-time-unreadable",
    "received-csv-headers",
}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, dict[str, Path]]:
    config = write_workspace(tmp_path_factory.mktemp("silent") / "ws")
    return config, make_blank_returns(config)


def folder_findings(report: object) -> list[tuple[str, str, str]]:
    return [
        (f.code, f.severity.value, f.message)
        for f in report.findings  # type: ignore[attr-defined]
        if f.code in FOLDER_CODES
    ]


def test_received_csv_rows_that_are_not_used_are_named(
    workspace: tuple[Config, dict[str, Path]], tmp_path: Path
) -> None:
    config, made = workspace
    folder = tmp_path / "inputs" / "returns" / "2023-07"
    fill_clean(made[DIRECTOR], folder / "director.xlsx", DIRECTOR)
    (folder / "received.csv").write_text(
        "file,received\ndirector.xlsx,8 March 2024\nDirectors return.xlsx,2023-08-04 09:15\n,\n",
        "utf-8",
    )
    report = check_dir(folder, config, context(config))
    assert folder_findings(report) == [
        (
            "received-time-unreadable",
            "warning",
            "Row 2 of received.csv gives '8 March 2024' as the time 'director.xlsx' arrived, "
            "which is not a time packbuilder reads, so the file is judged by its own times. "
            "Write it as 2024-03-08 09:15 or 08/03/2024 09:15.",
        ),
        (
            "received-row-unmatched",
            "warning",
            "Row 3 of received.csv names 'Directors return.xlsx', which is not a file in this "
            "period's folder, so the row was not used. Correct the file name in received.csv "
            "to match the file.",
        ),
    ]
    director = next(f for f in report.files if f.name == "director.xlsx")
    assert director.received_source != "received.csv"


def test_received_csv_without_its_columns_is_named(
    workspace: tuple[Config, dict[str, Path]], tmp_path: Path
) -> None:
    config, made = workspace
    folder = tmp_path / "inputs" / "returns" / "2023-07"
    fill_clean(made[DIRECTOR], folder / "director.xlsx", DIRECTOR)
    (folder / "received.csv").write_text("Attachment;Arrived\nx.xlsx;today\n", "utf-8")
    report = check_dir(folder, config, context(config))
    assert [m for _, _, m in folder_findings(report)] == [
        "received.csv has the columns 'Attachment;Arrived', so none of it was read. Give it "
        "the columns file and received."
    ]


def test_workbooks_beside_the_periods_folder_are_named_with_where_to_move_them(
    workspace: tuple[Config, dict[str, Path]], tmp_path: Path
) -> None:
    config, made = workspace
    returns = tmp_path / "inputs" / "returns"
    folder = returns / "2023-07"
    folder.mkdir(parents=True)
    fill_clean(made[DIRECTOR], returns / "director.xlsx", DIRECTOR)
    fill_clean(made[DIRECTOR], returns / "July 2023" / "director (2).xlsx", DIRECTOR)
    (returns / "README.md").write_text("notes", "utf-8")
    fill_clean(made[DIRECTOR], returns / "2023-06" / "june.xlsx", DIRECTOR)
    report = check_dir(folder, config, context(config))
    assert folder_findings(report) == [
        (
            "return-in-wrong-folder",
            "warning",
            "'director (2).xlsx' is in inputs/returns/July 2023/, not in "
            "inputs/returns/2023-07/, so it was not read. If it is a return for July 2023, move "
            "it into inputs/returns/2023-07/ and check again.",
        ),
        (
            "return-in-wrong-folder",
            "warning",
            "'director.xlsx' is in inputs/returns/, not in inputs/returns/2023-07/, so it was not "
            "read. If it is a return for July 2023, move it into inputs/returns/2023-07/ and "
            "check again.",
        ),
    ]
    assert all(f.severity is not Severity.ERROR for f in report.findings)
