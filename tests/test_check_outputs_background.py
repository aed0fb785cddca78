"""validation.xlsx written by a forked process while the feedback workbooks are written (a long
findings table): the same workbook, and the same error when it cannot be replaced."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from returns_factory import DIRECTOR, PERIOD, fill_clean, make_blank_returns, write_workspace

from packbuilder.checks import outputs as outputs_module
from packbuilder.checks.outputs import write_check_outputs
from packbuilder.commands.check import check_period
from packbuilder.config import Config
from packbuilder.errors import EnvironmentProblem
from packbuilder.model import CheckReport


@pytest.fixture()
def checked(tmp_path: Path) -> tuple[Config, CheckReport]:
    config = write_workspace(tmp_path / "ws")
    made = make_blank_returns(config)
    folder = config.returns_dir(PERIOD)
    fill_clean(made[DIRECTOR], folder / "director.xlsx", DIRECTOR, {"1A2": {"progress": "Gren"}})
    fill_clean(made["head-of-comms"], folder / "comms.xlsx", "head-of-comms")
    return config, check_period(config, PERIOD)


def test_a_long_findings_table_written_beside_the_feedback_is_the_same_workbook(
    checked: tuple[Config, CheckReport], monkeypatch: pytest.MonkeyPatch
) -> None:
    config, report = checked
    serial = load_workbook(write_check_outputs(config, report).validation)["Findings"]
    expected = list(serial.iter_rows(values_only=True))
    monkeypatch.setattr(outputs_module, "_BACKGROUND_FINDINGS", 1)
    outputs = write_check_outputs(config, report)
    sheet = load_workbook(outputs.validation)["Findings"]
    assert list(sheet.iter_rows(values_only=True)) == expected
    assert sheet.freeze_panes == "A2" and list(sheet.tables) == ["Findings"]
    assert [p.name for p in outputs.feedback] == ["director.xlsx"]


def test_a_findings_table_that_cannot_be_replaced_is_reported_when_written_beside_the_feedback(
    checked: tuple[Config, CheckReport], monkeypatch: pytest.MonkeyPatch
) -> None:
    config, report = checked
    monkeypatch.setattr(outputs_module, "_BACKGROUND_FINDINGS", 1)
    real_replace = os.replace

    def locked(source: Any, dest: Any) -> None:
        if Path(dest).name == "validation.xlsx":
            raise PermissionError(dest)
        real_replace(source, dest)

    monkeypatch.setattr(os, "replace", locked)  # as replace_file calls it
    with pytest.raises(EnvironmentProblem, match=r"validation\.xlsx is open in another program"):
        write_check_outputs(config, report)
