"""packbuilder init: a new workspace that validates and whose example plan loads cleanly."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from openpyxl import load_workbook

from packbuilder.config import default_config_text, load_config
from packbuilder.errors import WorkspaceError
from packbuilder.plan import schema
from packbuilder.plan.loader import load_plan
from packbuilder.workspace import init_workspace


def test_init_writes_the_workspace_shape(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "programme"
    written = init_workspace(folder)
    templates = sorted(
        entry.name
        for entry in resources.files("packbuilder").joinpath("data/templates").iterdir()
        if entry.is_file() and not entry.name.startswith((".", "__"))
    )
    assert written == [
        folder / "config.toml",
        folder / "inputs" / "plan.xlsx",
        *(folder / "templates" / name for name in templates),
    ]
    assert (folder / "config.toml").read_text("utf-8") == default_config_text()
    for empty in ("inputs/returns", "inputs/kpis", "inputs/overrides", "inputs/narrative"):
        assert (folder / empty).is_dir()
    assert list((folder / "outputs").iterdir()) == []


def test_the_new_workspace_validates_and_its_plan_loads_with_no_findings(
    new_workspace: Path,
) -> None:
    config = load_config(new_workspace)
    loaded = load_plan(config.plan_path, config)
    assert loaded.findings == []
    assert [a.id for a in loaded.plan.actions] == ["1A1"]
    assert [o.id for o in loaded.plan.officers] == ["head-of-communications", "area-1-lead"]


def test_the_example_plan_is_laid_out_for_the_office(new_workspace: Path) -> None:
    workbook = load_workbook(new_workspace / "inputs" / "plan.xlsx")
    assert workbook.sheetnames == list(schema.HEADERS)
    for name, headers in schema.HEADERS.items():
        sheet = workbook[name]
        assert [c.value for c in sheet[1]] == list(headers)
        assert all(c.font.bold for c in sheet[1])
        assert sheet.freeze_panes == "A2"
        assert sheet.max_row >= 2
        assert sheet["A2"].alignment.wrap_text
    assert workbook[schema.ACTIONS].column_dimensions["C"].width == 60


def test_init_refuses_a_folder_with_a_config(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("# mine\n", "utf-8")
    with pytest.raises(WorkspaceError) as caught:
        init_workspace(tmp_path)
    assert caught.value.message == f"{tmp_path} is already a workspace: it has a config.toml"
    assert (tmp_path / "config.toml").read_text("utf-8") == "# mine\n"
    assert not (tmp_path / "inputs").exists()


def test_init_refuses_a_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("", "utf-8")
    with pytest.raises(WorkspaceError) as caught:
        init_workspace(path)
    assert caught.value.message == f"{path} is a file, not a folder"


def test_register_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    from packbuilder.plan import schema
    from packbuilder.plan.loader import load_plan
    from packbuilder.plan.writer import write_plan_workbook
    from packbuilder.workspace import example_plan_rows

    rows = example_plan_rows()
    action = list(rows[schema.ACTIONS][0])
    action[2] = "=Review the offer with parents"
    rows[schema.ACTIONS] = [tuple(action)]
    path = write_plan_workbook(tmp_path / "plan.xlsx", rows)
    assert load_plan(path).plan.actions[0].text == "=Review the offer with parents"
