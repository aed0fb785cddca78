"""packbuilder init: a new workspace that validates and whose example plan loads cleanly."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import pytest
from openpyxl import load_workbook

from packbuilder.commands.init import init_workspace, workspace_config_text
from packbuilder.config import default_config_text, load_config
from packbuilder.errors import WorkspaceError
from packbuilder.model import Period
from packbuilder.plan import guide, schema
from packbuilder.plan.loader import load_plan


def test_init_writes_the_workspace_shape(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "programme"
    written = init_workspace(folder, Period(2026, 11))
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
    assert (folder / "config.toml").read_text("utf-8") == workspace_config_text(Period(2026, 11))
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
    assert workbook.sheetnames == [guide.INSTRUCTIONS_SHEET, *schema.HEADERS]
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
    from packbuilder.commands.init import example_plan_rows
    from packbuilder.plan import schema
    from packbuilder.plan.loader import load_plan
    from packbuilder.plan.writer import write_plan_workbook

    rows = example_plan_rows()
    action = list(rows[schema.ACTIONS][0])
    action[2] = "=Review the offer with parents"
    rows[schema.ACTIONS] = [tuple(action)]
    path = write_plan_workbook(tmp_path / "plan.xlsx", rows)
    assert load_plan(path).plan.actions[0].text == "=Review the offer with parents"


def test_init_starts_the_programme_this_month_under_a_neutral_board(tmp_path: Path) -> None:
    init_workspace(tmp_path / "ws", Period(2026, 11))
    config = load_config(tmp_path / "ws")
    assert config.first_period == Period(2026, 11)
    assert config.is_dfe_month(Period(2026, 11)) and config.is_dfe_month(Period(2027, 1))
    assert not config.is_dfe_month(Period(2026, 12))
    assert config.settings.programme.board == "Improvement Board"
    text = (tmp_path / "ws" / "config.toml").read_text("utf-8")
    assert "Strategic Improvement" not in text and "APP" not in text
    assert text.count("\n") == default_config_text().count("\n")


def test_the_example_plan_is_dated_from_the_first_period(tmp_path: Path) -> None:
    init_workspace(tmp_path / "ws", Period(2026, 11))
    loaded = load_plan(tmp_path / "ws" / "inputs" / "plan.xlsx")
    assert loaded.findings == []
    (action,) = loaded.plan.actions
    assert action.end_date.date == dt.date(2027, 10, 31)
    assert action.kpi_codes == ("KPI01",)
    (kpi,) = loaded.plan.kpis
    assert [t.date for t in kpi.targets] == [dt.date(2027, 10, 31)]


def test_the_new_plan_explains_itself_with_instructions_and_dropdowns(new_workspace: Path) -> None:
    workbook = load_workbook(new_workspace / "inputs" / "plan.xlsx")
    instructions = [
        " | ".join(str(c) for c in row if c)
        for row in workbook[guide.INSTRUCTIONS_SHEET].iter_rows(values_only=True)
    ]
    assert "Sheet 'Actions'" in instructions
    assert (
        "KPI codes | Optional. Codes from the KPIs sheet, separated by ';' (KPI01; KPI02)."
        in instructions
    )
    assert (
        "Reporting officer | Required. The officer ID (from the Officers sheet) of the one "
        "officer who rates the action." in instructions
    )
    assert any("separate them with ';'" in line for line in instructions)

    def rules(sheet_name: str) -> dict[str, tuple[str | None, str | None, str | None]]:
        sheet = workbook[sheet_name]
        return {
            str(rule.sqref): (rule.type, rule.formula1, rule.prompt)
            for rule in sheet.data_validations.dataValidation
        }

    kpis = rules(schema.KPIS)
    assert kpis["E2:E1000"] == (
        "list",
        '"higher,lower"',
        "higher (more is better) or lower (less is better).",
    )
    assert kpis["F2:F1000"][:2] == ("list", '"monthly,termly,annual"')
    assert kpis["K2:K1000"][:2] == ("list", '"yes,no"')
    assert rules(schema.RISKS)["E2:E1000"][:2] == ("list", '"High,Medium,Low"')
    assert rules(schema.AREAS)["A2:A1000"][0] == "whole"
    actions = rules(schema.ACTIONS)
    assert actions["L2:L1000"][:2] == ("list", '"Blue,Green,Amber,Red"')
    assert actions["M2:M1000"][:2] == ("list", '"Blue,Green,Amber,Red,Not yet rated"')
    assert actions["A2:A1000"][2] == "Required. The sub-theme in capitals and a number: 1A1, 1A2 …"


def test_init_refuses_a_folder_inside_a_workspace(new_workspace: Path) -> None:
    inside = new_workspace / "inputs" / "second"
    with pytest.raises(WorkspaceError) as caught:
        init_workspace(inside)
    assert caught.value.message == (
        f"{inside} is inside the workspace {new_workspace.resolve()}: a workspace cannot hold "
        "another"
    )
    assert not inside.exists()


def test_a_command_finds_the_workspace_from_a_folder_inside_it(new_workspace: Path) -> None:
    inner = new_workspace / "inputs" / "returns"
    assert load_config(inner).root == new_workspace.resolve()
