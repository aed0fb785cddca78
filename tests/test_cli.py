"""The command line through click's runner: help, version, init, plan check and exit codes."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from packbuilder import __version__
from packbuilder.cli import EXIT_CODES_HELP, main
from packbuilder.commands.init import example_plan_rows
from packbuilder.config import default_config_text
from packbuilder.plan import schema
from packbuilder.plan.writer import write_plan_workbook

EXIT_CODE_LINES = [line.strip() for line in EXIT_CODES_HELP.splitlines()[1:]]


def walk(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], bool]]:
    """Every command and group under GROUP as (words to type, is a group)."""
    found: list[tuple[tuple[str, ...], bool]] = []
    for name, command in sorted(group.commands.items()):
        words = (*path, name)
        if isinstance(command, click.Group):
            found.append((words, True))
            found.extend(walk(command, words))
        else:
            found.append((words, False))
    return found


COMMANDS = [words for words, is_group in walk(main) if not is_group]
GROUPS = [(), *(words for words, is_group in walk(main) if is_group)]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def one_paragraph(text: str) -> str:
    """Output with line wrapping undone, so messages compare whatever the console width."""
    return " ".join(text.split())


def _words(text: str) -> str:
    """Output as words: wrapping, table rules and ellipses (ASCII or not) set aside."""
    return one_paragraph(re.sub(r"[─━│┃┏┓┗┛┡┩╇+|…]|-{3,}|\.\.\.", " ", text))


def test_the_walk_finds_every_command() -> None:
    assert COMMANDS == [
        ("build",),
        ("check",),
        ("history", "check"),
        ("history", "remove"),
        ("history", "restore"),
        ("init",),
        ("kpis", "make"),
        ("plan", "check"),
        ("publish",),
        ("returns", "chase"),
        ("returns", "collect"),
        ("returns", "make"),
        ("returns", "send"),
        ("review",),
    ]


@pytest.mark.parametrize("words", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example_and_the_exit_codes(words: tuple[str, ...]) -> None:
    result = run(*words, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output
    assert f"packbuilder {' '.join(words)}" in result.output
    lines = [line.strip() for line in result.output.splitlines()]
    for line in EXIT_CODE_LINES:
        assert line in lines


def test_main_help_shows_the_monthly_cycle_and_the_exit_codes() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "packbuilder returns make 2023-08" in result.output
    lines = [line.strip() for line in result.output.splitlines()]
    for line in EXIT_CODE_LINES:
        assert line in lines


@pytest.mark.parametrize(
    "words",
    [pytest.param(words) for words in GROUPS],
    ids=lambda words: " ".join(words) or "packbuilder",
)
def test_every_group_has_help_with_an_example_and_the_exit_codes(words: tuple[str, ...]) -> None:
    result = run(*words, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output
    lines = [line.strip() for line in result.output.splitlines()]
    assert all(line in lines for line in EXIT_CODE_LINES)


def test_version() -> None:
    result = run("--version")
    assert (result.exit_code, result.output) == (0, f"packbuilder, version {__version__}\n")


def test_init_then_plan_check(tmp_path: Path) -> None:
    folder = tmp_path / "x"
    made = run("init", folder)
    assert made.exit_code == 0, made.output
    assert made.output.splitlines()[0].startswith(f"Created a workspace in {folder} (")
    checked = run("-C", folder, "plan", "check")
    assert checked.exit_code == 0, checked.output
    assert one_paragraph(checked.output).startswith(
        "plan.xlsx: 1 area of weakness, 1 sub-theme, 1 action, 2 officers (1 reporting), "
        "1 KPI (1 high impact), 1 risk."
    )
    assert checked.output.endswith("No errors.\n")


def test_init_refuses_an_existing_workspace(tmp_path: Path) -> None:
    assert run("init", tmp_path).exit_code == 0
    again = run("init", tmp_path)
    assert again.exit_code == 2
    assert one_paragraph(again.output) == one_paragraph(
        f"Error: {tmp_path} is already a workspace: it has a config.toml\n"
        f"What to do: Choose a new folder, or work in this one with: "
        f"packbuilder -C {tmp_path} plan check"
    )


def test_plan_check_outside_a_workspace(tmp_path: Path) -> None:
    result = run("-C", tmp_path, "plan", "check")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert one_paragraph(result.stderr) == one_paragraph(
        f"Error: {tmp_path.resolve()} is not a packbuilder workspace: "
        "neither it nor a folder above it has a config.toml\n"
        "What to do: Run the command inside a workspace, pass -C DIR, or create one with: "
        "packbuilder init DIR"
    )


def test_plan_check_with_an_unknown_config_key(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        default_config_text().replace("deadline_day = 7", "dealine_day = 7"), "utf-8"
    )
    result = run("-C", tmp_path, "plan", "check")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "unknown key 'returns.dealine_day'. Did you mean 'returns.deadline_day'?" in (
        one_paragraph(result.stderr)
    )


def test_plan_check_with_no_plan(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(default_config_text(), "utf-8")
    result = run("-C", tmp_path, "plan", "check")
    assert result.exit_code == 2
    plan = tmp_path.resolve() / "inputs" / "plan.xlsx"
    assert one_paragraph(result.stderr).startswith(
        f"Error: The plan register {plan} does not exist What to do: Check that inputs/plan.xlsx"
    )


def test_plan_check_with_a_plan_error_lists_it(tmp_path: Path) -> None:
    assert run("init", tmp_path).exit_code == 0
    rows = example_plan_rows()
    action = list(rows[schema.ACTIONS][0])
    action[schema.HEADERS[schema.ACTIONS].index("Sub-theme")] = "9z"
    rows[schema.ACTIONS] = [tuple(action)]
    write_plan_workbook(tmp_path / "inputs" / "plan.xlsx", rows)
    result = run("-C", tmp_path, "plan", "check")
    assert result.exit_code == 2
    text = one_paragraph(result.output)
    assert "PLAN-UNKNOWN-SUB-THEME" in text
    assert "plan.xlsx › Actions › B2" in text
    assert text.endswith("1 error, 0 warnings")


def test_plan_check_with_warnings_only_exits_0(tmp_path: Path) -> None:
    assert run("init", tmp_path).exit_code == 0
    rows = example_plan_rows()
    action = list(rows[schema.ACTIONS][0])
    action[schema.HEADERS[schema.ACTIONS].index("End date as written")] = "When funding allows"
    rows[schema.ACTIONS] = [tuple(action)]
    write_plan_workbook(tmp_path / "inputs" / "plan.xlsx", rows)
    result = run("-C", tmp_path, "plan", "check")
    assert result.exit_code == 0
    assert "PLAN-NO-END-DATE" in result.output
    assert result.output.endswith("No errors, 1 warning.\n")


def test_plan_check_on_the_bundled_example_warns_about_wrong_side_kpi_targets() -> None:
    """The example's APP57 and APP62 targets sit on the wrong side of their baselines."""
    repository = Path(__file__).resolve().parent.parent
    result = run("-C", repository, "plan", "check")
    assert result.exit_code == 0, result.output
    wrong_side = [line for line in result.output.splitlines() if "KPI-TARGET-WRONG-SIDE" in line]
    assert [("APP57" in line, "APP62" in line) for line in wrong_side] == [
        (True, False),
        (False, True),
    ]
    assert result.output.rstrip().endswith("No errors, 3 warnings.")


@pytest.mark.parametrize(
    ("args", "code", "start"),
    [
        (["--version"], 0, f"packbuilder, version {__version__}"),
        (["plan", "check"], 0, "plan.xlsx: 1 area of weakness"),
        (["check", "2023-13"], 2, ""),
    ],
    ids=["version", "plan check", "usage error"],
)
def test_the_installed_command_exits_with_the_command_s_code_and_all_its_output(
    tmp_path: Path, args: list[str], code: int, start: str
) -> None:
    import subprocess
    import sys

    assert run("init", tmp_path / "ws").exit_code == 0
    done = subprocess.run(
        [sys.executable, "-m", "packbuilder", "-C", str(tmp_path / "ws"), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == code, done.stderr
    assert done.stdout.startswith(start)
    if code == 0:
        assert done.stdout.endswith("\n") and "Traceback" not in done.stderr
        direct = run("-C", tmp_path / "ws", *args)
        # A console that cannot show box drawing (cp1252, as on Windows) gets ASCII rules.
        assert _words(done.stdout) == _words(direct.output)
    else:
        assert "is not a period" in done.stderr and "Traceback" not in done.stderr


def test_a_command_run_in_a_subfolder_finds_its_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("init", tmp_path / "ws").exit_code == 0
    monkeypatch.chdir(tmp_path / "ws" / "inputs" / "returns")
    result = run("plan", "check")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("plan.xlsx: 1 area of weakness")
    assert result.output.endswith("No errors.\n")


def test_init_inside_a_workspace_is_refused(tmp_path: Path) -> None:
    assert run("init", tmp_path / "ws").exit_code == 0
    result = run("init", tmp_path / "ws" / "inputs")
    assert result.exit_code == 2
    assert one_paragraph(result.stderr).startswith(
        f"Error: {tmp_path / 'ws' / 'inputs'} is inside the workspace {(tmp_path / 'ws').resolve()}"
    )
