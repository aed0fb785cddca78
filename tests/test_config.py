"""config.toml: one clear message per mistake, and the dates and DfE months it decides."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from packbuilder.config import Config, load_config, parse_settings
from packbuilder.config import default_config_text as default_text
from packbuilder.errors import ConfigError, WorkspaceError
from packbuilder.model import Period

REPOSITORY = Path(__file__).resolve().parent.parent
MISSING_HINT = "Compare with the commented config.toml that 'packbuilder init' writes."
FIX_HINT = "Fix the key named above in config.toml and run the command again."


def config_from(text: str, tmp_path: Path) -> Config:
    (tmp_path / "config.toml").write_text(text, "utf-8")
    return load_config(tmp_path)


def edited(old: str, new: str) -> str:
    text = default_text()
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_default_config_validates(tmp_path: Path) -> None:
    config = config_from(default_text(), tmp_path)
    assert config.first_period == Period(2023, 7)
    assert config.plan_path == tmp_path.resolve() / "inputs" / "plan.xlsx"


def test_every_default_key_has_a_comment_above_its_group() -> None:
    """Each key, or the run of keys and tables it belongs to, has a comment above it."""
    lines = default_text().splitlines()
    for number, line in enumerate(lines):
        if re.match(r"^[a-z_]+ = ", line):
            above = number - 1
            while re.match(r"^([a-z_]+ = |\[)", lines[above]):
                above -= 1
            assert lines[above].startswith("#"), line


# Tables whose keys are the office's own (periods, area numbers), not settings.
FREE_FORM = ("deadlines", "changes")


def _shape(table: dict[str, Any]) -> dict[str, Any]:
    return {
        k: _shape(v) if isinstance(v, dict) and k not in FREE_FORM else type(v).__name__
        for k, v in table.items()
    }


def test_bundled_example_config_matches_the_default_with_its_own_programme() -> None:
    bundled = (REPOSITORY / "config.toml").read_text("utf-8")
    default = default_text()
    assert _shape(tomllib.loads(bundled)) == _shape(tomllib.loads(default))
    comments = [line for line in bundled.splitlines() if line.startswith("#")]
    assert comments == [line for line in default.splitlines() if line.startswith("#")]
    settings = load_config(REPOSITORY).settings
    assert settings.programme.name == "Kent Local Area SEND Accelerated Progress Plan (APP)"
    assert settings.programme.short_name == "the APP"
    assert settings.programme.organisation == "Kent Local Area SEND Partnership"
    assert settings.programme.board == "SEND Strategic Improvement and Assurance Board (SIAB)"
    assert settings.programme.contact_name == "SEND Programme Office (Partnership Delivery Group)"
    assert (settings.periods.first, settings.dfe.first_period, settings.dfe.every_months) == (
        "2023-07",
        "2023-07",
        2,
    )
    assert settings.returns.deadline_day == 7


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        pytest.param(
            edited("[programme]", "[programe]"),
            "config.toml: missing key 'programme'.\n"
            "config.toml: unknown key 'programe'. Did you mean 'programme'?",
            MISSING_HINT,
            id="unknown-section",
        ),
        pytest.param(
            edited("deadline_day = 7", "dealine_day = 7"),
            "config.toml: missing key 'returns.deadline_day'.\n"
            "config.toml: unknown key 'returns.dealine_day'. Did you mean 'returns.deadline_day'?",
            MISSING_HINT,
            id="unknown-key",
        ),
        pytest.param(
            default_text() + "\n[extras]\nwhatever = 1\n",
            "config.toml: unknown key 'extras'.",
            FIX_HINT,
            id="unknown-key-no-guess",
        ),
        pytest.param(
            edited("deadline_day = 7", 'deadline_day = "seven"'),
            "config.toml: 'returns.deadline_day' = 'seven': it must be a whole number, such as "
            "7 (no quotes).",
            FIX_HINT,
            id="wrong-type",
        ),
        pytest.param(
            edited("deadline_day = 7", "deadline_day = 7.5"),
            "config.toml: 'returns.deadline_day' = 7.5: it must be a whole number, such as 7, "
            "not a fraction.",
            FIX_HINT,
            id="fraction",
        ),
        pytest.param(
            edited("area_leads = true", 'area_leads = "maybe"'),
            "config.toml: 'returns.area_leads' = 'maybe': it must be true or false (no quotes).",
            FIX_HINT,
            id="not-true-or-false",
        ),
        pytest.param(
            edited("deadline_day = 7", "deadline_day = 31"),
            "config.toml: 'returns.deadline_day' = 31: it must be 28 or less.",
            FIX_HINT,
            id="out-of-range",
        ),
        pytest.param(
            edited('name = "Improvement Plan"\n', ""),
            "config.toml: missing key 'programme.name'.",
            MISSING_HINT,
            id="missing-key",
        ),
        pytest.param(
            edited('colour = "#C00000"\nfont = "#FFFFFF"\ndefinition = "Actions delayed',
                   'colour = "red"\nfont = "#FFFFFF"\ndefinition = "Actions delayed'),
            "config.toml: 'brag.red.colour' = 'red': 'red' is not a colour: "
            "write it as #RRGGBB.",
            FIX_HINT,
            id="bad-colour",
        ),
        pytest.param(
            edited('first = "2023-07"', 'first = "July 2023"'),
            "config.toml: 'periods.first' = 'July 2023': 'July 2023' is not a "
            "period: write the month as YYYY-MM, e.g. 2023-07.",
            FIX_HINT,
            id="bad-period",
        ),
        pytest.param(
            edited("months = []", 'months = ["2023-07", "2023-13"]'),
            "config.toml: 'dfe.months' = ['2023-07', '2023-13']: '2023-13' is not "
            "a period: write the month as YYYY-MM, e.g. 2023-07.",
            FIX_HINT,
            id="bad-dfe-month",
        ),
        pytest.param(
            edited('first = "2023-07"', "first = 2023-07"),
            "config.toml is not valid TOML: Expected newline or end of document after a "
            "statement (at line 42, column 13)",
            "Check quotes and brackets on that line; every text value needs quotes.",
            id="not-toml",
        ),
    ],
)  # fmt: skip
def test_config_errors(tmp_path: Path, text: str, message: str, hint: str) -> None:
    with pytest.raises(ConfigError) as caught:
        config_from(text, tmp_path)
    assert (caught.value.message, caught.value.hint) == (message, hint)


def test_parse_settings_names_the_file_given() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings(edited("deadline_day = 7", "dealine_day = 7"), Path("other.toml"))
    assert caught.value.message.startswith("other.toml: missing key 'returns.deadline_day'.")


def test_a_folder_without_config_is_not_a_workspace(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError) as caught:
        load_config(tmp_path)
    assert caught.value.message == (
        f"{tmp_path.resolve()} is not a packbuilder workspace: "
        "neither it nor a folder above it has a config.toml"
    )


def months(config: Config, first: str, count: int) -> list[str]:
    start = Period.parse(first)
    return [str(p) for p in (start.shift(i) for i in range(count)) if config.is_dfe_month(p)]


def test_dfe_every_second_month_from_the_first_period(tmp_path: Path) -> None:
    config = config_from(default_text(), tmp_path)
    assert months(config, "2023-05", 12) == ["2023-07", "2023-09", "2023-11", "2024-01", "2024-03"]
    assert config.previous_dfe_month(Period(2023, 9)) == Period(2023, 7)
    assert config.previous_dfe_month(Period(2023, 10)) == Period(2023, 9)
    assert config.previous_dfe_month(Period(2023, 7)) is None
    assert config.previous_dfe_month(Period(2023, 8)) == Period(2023, 7)


def test_dfe_months_named_outright(tmp_path: Path) -> None:
    config = config_from(edited("months = []", 'months = ["2023-08", "2023-12"]'), tmp_path)
    assert months(config, "2023-07", 12) == ["2023-08", "2023-12"]
    assert config.previous_dfe_month(Period(2023, 12)) == Period(2023, 8)
    assert config.previous_dfe_month(Period(2023, 8)) is None


def test_dfe_every_three_months(tmp_path: Path) -> None:
    config = config_from(edited("every_months = 2", "every_months = 3"), tmp_path)
    assert months(config, "2023-07", 10) == ["2023-07", "2023-10", "2024-01", "2024-04"]


def test_deadline_is_a_day_of_the_following_month(tmp_path: Path) -> None:
    config = config_from(default_text(), tmp_path)
    assert config.deadline(Period(2023, 7)) == dt.date(2023, 8, 7)
    assert config.deadline(Period(2023, 12)) == dt.date(2024, 1, 7)


def test_deadline_override_for_one_period(tmp_path: Path) -> None:
    config = config_from(
        edited("deadlines = {}", 'deadlines = { "2023-08" = 2023-09-12 }'), tmp_path
    )
    assert config.deadline(Period(2023, 8)) == dt.date(2023, 9, 12)
    assert config.deadline(Period(2023, 9)) == dt.date(2023, 10, 7)


def test_values_the_validator_coerces_arrive_as_their_type(tmp_path: Path) -> None:
    """One validator decides: a quoted whole number or a text date is read as what it names."""
    text = edited("deadline_day = 7", 'deadline_day = "7"')
    text = text.replace("deadlines = {}", 'deadlines = { "2023-08" = "2023-09-12" }')
    text = text.replace("move_threshold_percent = 25.0", "move_threshold_percent = 30")
    settings = config_from(text, tmp_path).settings
    assert settings.returns.deadline_day == 7
    assert settings.returns.deadlines == {"2023-08": dt.date(2023, 9, 12)}
    assert settings.kpis.move_threshold_percent == 30.0
    assert isinstance(settings.kpis.move_threshold_percent, float)


def test_settings_are_frozen_and_copied_with_changes(tmp_path: Path) -> None:
    settings = config_from(default_text(), tmp_path).settings
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.returns.deadline_day = 9  # type: ignore[misc]
    moved = dataclasses.replace(settings.paths, outputs="elsewhere")
    assert (moved.outputs, moved.plan, settings.paths.outputs) == (
        "elsewhere",
        "inputs/plan.xlsx",
        "outputs",
    )


def test_every_problem_in_one_file_is_listed_at_once(tmp_path: Path) -> None:
    text = edited("deadline_day = 7", 'deadline_day = "seven"')
    text = text.replace("every_months = 2", "every_months = 13")
    with pytest.raises(ConfigError) as caught:
        config_from(text, tmp_path)
    assert caught.value.message == (
        "config.toml: 'returns.deadline_day' = 'seven': it must be a whole number, such as 7 "
        "(no quotes).\n"
        "config.toml: 'dfe.every_months' = 13: it must be 12 or less."
    )


def test_reading_config_imports_no_validation_library(tmp_path: Path) -> None:
    """config.toml is checked by packbuilder's own validator: no command pays for importing
    pydantic (0.1 to 0.2 s of start-up; docs/performance.md)."""
    (tmp_path / "config.toml").write_text(default_text(), "utf-8")
    script = (
        "import sys; from pathlib import Path; from packbuilder.config import load_config; "
        f"load_config(Path({str(tmp_path)!r})); "
        "print(sorted(m for m in sys.modules if m.partition('.')[0].startswith('pydantic')))"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert run.stdout == "[]\n"
