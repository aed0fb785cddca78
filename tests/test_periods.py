"""Periods kept in order: refusals before anything is written, skipped months and months built
out of order said in words, ``history remove``, and config lists checked against their sets.

The command line runs through click's runner with exact output; "today" is fixed at
15 August 2023, so next month (the last period allowed without --future) is September 2023.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner, Result
from returns_factory import write_workspace

import packbuilder.periods as periods
from packbuilder.cli import main
from packbuilder.commands.build import build_period
from packbuilder.config import Config, load_config
from packbuilder.errors import PeriodError
from packbuilder.history import History
from packbuilder.lock import workspace_lock
from packbuilder.model import Period
from packbuilder.periods import admit_period, listed, order_findings, skipped_months

TODAY = dt.date(2023, 8, 15)
JULY, AUGUST, SEPTEMBER = Period(2023, 7), Period(2023, 8), Period(2023, 9)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(periods, "today", lambda: TODAY)


def run(*args: str | Path, given: str | None = None) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], input=given)


def one_paragraph(text: str) -> str:
    """Output with line wrapping undone, so messages compare whatever the console width."""
    return " ".join(text.split())


def everything_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


# --------------------------------------------------------------------------- pure rules


@pytest.mark.parametrize(
    ("period", "future", "refused"),
    [
        ("2023-06", False, "2023-06 is before the programme's first period, 2023-07"),
        ("2023-06", True, "2023-06 is before the programme's first period, 2023-07"),
        ("2023-07", False, ""),
        ("2023-09", False, ""),  # next month: returns are made before the month ends
        ("2023-10", False, "2023-10 starts after the end of next month (September 2023)"),
        ("2023-10", True, ""),
        ("2030-01", False, "2030-01 starts after the end of next month (September 2023)"),
    ],
)
def test_admit_period(period: str, future: bool, refused: str) -> None:
    if refused:
        with pytest.raises(PeriodError) as error:
            admit_period(JULY, Period.parse(period), future=future, on=TODAY)
        assert error.value.message.startswith(refused)
        assert error.value.exit_code == 2
    else:
        admit_period(JULY, Period.parse(period), future=future, on=TODAY)


def test_next_month_is_counted_in_calendar_months() -> None:
    admit_period(JULY, Period(2024, 1), on=dt.date(2023, 12, 31))
    with pytest.raises(PeriodError):
        admit_period(JULY, Period(2024, 2), on=dt.date(2023, 12, 31))
    admit_period(JULY, Period(2024, 2), on=dt.date(2024, 1, 1))


def test_skipped_months_and_how_they_read() -> None:
    assert skipped_months(JULY, JULY, AUGUST) == []
    assert skipped_months(JULY, JULY, Period(2023, 10)) == [AUGUST, SEPTEMBER]
    assert skipped_months(JULY, None, JULY) == []
    assert skipped_months(JULY, None, SEPTEMBER) == [JULY, AUGUST]
    assert listed([AUGUST]) == "August 2023"
    assert listed([SEPTEMBER, AUGUST]) == "August 2023 and September 2023"
    assert listed([JULY, AUGUST, SEPTEMBER]) == "July 2023 to September 2023 (3 months)"
    assert listed([JULY, SEPTEMBER, Period(2023, 12)]) == (
        "July 2023, September 2023 and December 2023"
    )


@pytest.mark.parametrize(
    ("recorded", "period", "expected"),
    [
        ([], JULY, []),
        ([JULY], AUGUST, []),
        ([JULY, AUGUST], AUGUST, []),
        (
            [JULY],
            SEPTEMBER,
            [
                (
                    "period-months-skipped",
                    "September 2023 is compared with July 2023, the latest month recorded "
                    "before it: August 2023 was not built.",
                )
            ],
        ),
        (
            [],
            SEPTEMBER,
            [
                (
                    "period-months-skipped",
                    "September 2023 is the first month recorded, though the programme starts "
                    "in July 2023: July 2023 and August 2023 were not built, so there is "
                    "nothing to compare with.",
                )
            ],
        ),
        (
            [JULY, SEPTEMBER],
            AUGUST,
            [
                (
                    "period-built-out-of-order",
                    "September 2023 was built without August 2023: rebuild it so that the "
                    "later figures follow from this month's.",
                )
            ],
        ),
        (
            [JULY, AUGUST, SEPTEMBER, Period(2023, 10)],
            AUGUST,
            [
                (
                    "period-built-out-of-order",
                    "September 2023 and October 2023 were built from an earlier build of "
                    "August 2023: rebuild them, in order, so that the later figures follow "
                    "from this month's.",
                )
            ],
        ),
    ],
)
def test_order_findings(
    recorded: list[Period], period: Period, expected: list[tuple[str, str]]
) -> None:
    found = order_findings(JULY, recorded, period)
    assert [(f.code, f.message) for f in found] == expected
    assert all(f.severity.value == "warning" for f in found)


# --------------------------------------------------------------------------- refusals


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return write_workspace(tmp_path / "ws")


BEFORE_FIRST = (
    "Error: {period} is before the programme's first period, 2023-07 (July 2023), set by "
    "periods.first in config.toml, so nothing was done\n"
    "What to do: Check the year of the period; if the programme really started earlier, change "
    "periods.first in config.toml.\n"
)
TOO_FAR = (
    "Error: {period} starts after the end of next month (September 2023), so nothing was done\n"
    "What to do: Check the year of the period; to prepare a later month on purpose, run the "
    "command again with --future.\n"
)


@pytest.mark.parametrize(
    ("words", "period", "message"),
    [
        (("check",), "1999-01", BEFORE_FIRST),
        (("check",), "2030-01", TOO_FAR),
        (("check", "--json"), "2030-01", TOO_FAR),
        (("build",), "2023-06", BEFORE_FIRST),
        (("build",), "2023-10", TOO_FAR),
        (("returns", "make"), "2022-12", BEFORE_FIRST),
        (("returns", "make"), "2023-10", TOO_FAR),
        (("kpis", "make"), "2023-06", BEFORE_FIRST),
        (("kpis", "make"), "2024-01", TOO_FAR),
    ],
)
def test_a_period_out_of_range_is_refused_and_nothing_is_written(
    config: Config, words: tuple[str, ...], period: str, message: str
) -> None:
    before = everything_under(config.root)
    result = run("-C", config.root, *words, period)
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        message.format(period=period),
    )
    assert everything_under(config.root) == before  # no outputs folder, no history.sqlite


def test_future_lets_a_later_month_through(config: Config) -> None:
    result = run("-C", config.root, "returns", "make", "2023-10", "--future")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "Made 3 officer returns and 2 area-lead returns for October 2023"
    )


def test_a_mistyped_year_before_the_first_period_is_refused_and_records_nothing(
    tmp_path: Path,
) -> None:
    """Reproduction: with periods.first = 2024-01, 'build 2023-02' (meant 2024-02) built
    "February 2023 (first report)" without a word, and the next build compared with it."""
    config = write_workspace(tmp_path / "ws")
    text = (config.root / "config.toml").read_text("utf-8")
    (config.root / "config.toml").write_text(
        text.replace('first = "2023-07"', 'first = "2024-01"'), "utf-8"
    )
    result = run("-C", config.root, "build", "2023-02")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: 2023-02 is before the programme's first period, 2024-01 (January 2024), set by "
        "periods.first in config.toml, so nothing was done\n"
        "What to do: Check the year of the period; if the programme really started earlier, "
        "change periods.first in config.toml.\n"
    )
    assert not (config.root / "outputs" / "2023-02").exists()
    with History.open(load_config(config.root)) as history:
        assert history.recorded_periods() == []
        assert history.builds() == []


# --------------------------------------------------------------------------- config sets


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'low_confidence = ["Low"]',
            'low_confidence = ["Lo"]',
            "Error: config.toml: 'returns.low_confidence' = ['Lo']: 'Lo' is not one of "
            "returns.confidence (High, Medium, Low). Did you mean 'Low'?\n"
            "What to do: In config.toml, give returns.low_confidence only values from "
            "returns.confidence, spelt as there.\n",
        ),
        (
            'low_confidence = ["Low"]',
            'low_confidence = ["Low", "very low"]',
            "Error: config.toml: 'returns.low_confidence' = ['Low', 'very low']: 'very low' is "
            "not one of returns.confidence (High, Medium, Low).\n"
            "What to do: In config.toml, give returns.low_confidence only values from "
            "returns.confidence, spelt as there.\n",
        ),
        (
            'low_confidence = ["Low"]',
            'low_confidence = ["low"]',
            "Error: config.toml: 'returns.low_confidence' = ['low']: 'low' is not one of "
            "returns.confidence (High, Medium, Low). Did you mean 'Low'?\n"
            "What to do: In config.toml, give returns.low_confidence only values from "
            "returns.confidence, spelt as there.\n",
        ),
        (
            'confidence = ["High", "Medium", "Low"]',
            'confidence = ["Confident", "Unsure", "Not confident"]',
            "Error: config.toml: 'returns.low_confidence' = ['Low']: 'Low' is not one of "
            "returns.confidence (Confident, Unsure, Not confident).\n"
            "What to do: In config.toml, give returns.low_confidence only values from "
            "returns.confidence, spelt as there.\n",
        ),
        (
            'high_risk_levels = ["High"]',
            'high_risk_levels = ["Severe"]',
            "Error: config.toml: 'exceptions.high_risk_levels' = ['Severe']: 'Severe' is not "
            "one of the risk register's severities (High, Medium, Low).\n"
            "What to do: In config.toml, give exceptions.high_risk_levels only values from the "
            "risk register's severities, spelt as there.\n",
        ),
    ],
)
def test_a_config_list_outside_its_set_is_refused(
    config: Config, old: str, new: str, message: str
) -> None:
    path = config.root / "config.toml"
    text = path.read_text("utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), "utf-8")
    result = run("-C", config.root, "check", "2023-07")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)


def test_a_config_list_inside_its_set_is_accepted(config: Config) -> None:
    path = config.root / "config.toml"
    text = path.read_text("utf-8").replace(
        'low_confidence = ["Low"]', 'low_confidence = ["Medium", "Low"]'
    )
    path.write_text(text.replace('high_risk_levels = ["High"]', "high_risk_levels = []"), "utf-8")
    settings = load_config(config.root).settings
    assert settings.returns.low_confidence == ["Medium", "Low"]
    assert settings.exceptions.high_risk_levels == []


# --------------------------------------------------------------------------- months in order


@pytest.fixture(scope="module")
def july_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with July 2023 built (no returns came back: the plan's ratings carried)."""
    config = write_workspace(tmp_path_factory.mktemp("july") / "ws")
    build_period(config, JULY)
    return config.root


def copy_of(root: Path, tmp_path: Path) -> Config:
    shutil.copytree(root, tmp_path / "ws")
    return load_config(tmp_path / "ws")


def comparison_sentence(config: Config, period: Period) -> str:
    document = docx.Document(str(config.outputs_dir(period) / f"assurance-report-{period}.docx"))
    return next(p.text for p in document.paragraphs if p.text.startswith("Changes are shown"))


def test_a_skipped_month_is_compared_with_the_latest_recorded_and_named(
    july_built: Path, tmp_path: Path
) -> None:
    config = copy_of(july_built, tmp_path)
    result = run("-C", config.root, "build", "2023-09")
    assert result.exit_code == 0, result.output
    lines = one_paragraph(result.stdout)
    assert lines.startswith(
        "Built September 2023 (compared with July 2023; not built: August 2023)."
    )
    assert (
        "warning: September 2023 is compared with July 2023, the latest month recorded before "
        "it: August 2023 was not built." in lines
    )
    assert comparison_sentence(config, SEPTEMBER) == (
        "Changes are shown against the report for July 2023, the latest one before this: no "
        "report was built for August 2023."
    )
    with History.open(config) as history:
        assert history.recorded_periods() == [JULY, SEPTEMBER]
    tracker = openpyxl.load_workbook(config.outputs_dir(SEPTEMBER) / "tracker-2023-09.xlsx")
    assert str(tracker["Summary"]["A2"].value).startswith(
        "As at 30 September 2023; compared with July 2023 (not built: August 2023). "
    )


def test_an_earlier_month_built_after_a_later_one_compares_with_the_one_before_and_warns(
    july_built: Path, tmp_path: Path
) -> None:
    config = copy_of(july_built, tmp_path)
    build_period(config, SEPTEMBER)
    august = build_period(config, AUGUST)
    assert august.result.previous_period == JULY
    assert [
        (f.code, f.message) for f in august.result.findings if f.code.startswith("period-")
    ] == [
        (
            "period-built-out-of-order",
            "September 2023 was built without August 2023: rebuild it so that the later figures "
            "follow from this month's.",
        )
    ]
    assert (
        comparison_sentence(config, AUGUST) == "Changes are shown against the report for July 2023."
    )


# --------------------------------------------------------------------------- history remove


@pytest.fixture(scope="module")
def two_months_built(july_built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = copy_of(july_built, tmp_path_factory.mktemp("two"))
    build_period(config, AUGUST)
    return config.root


def rows_of(config: Config, period: Period) -> dict[str, int]:
    """Rows for PERIOD in every table of history.sqlite with a period column."""
    db = sqlite3.connect(config.history_path)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        counts = {}
        for table in tables:
            columns = [c[1] for c in db.execute(f"PRAGMA table_info({table})")]
            if "period" in columns:
                (counts[table],) = db.execute(
                    f"SELECT COUNT(*) FROM {table} WHERE period = ?", (str(period),)
                ).fetchone()
        return counts
    finally:
        db.close()


SHOWN = (
    "history.sqlite holds August 2023 (2023-08): 1 build, 1 plan snapshot, 4 action rows, "
    "{exceptions} exceptions.\n"
    "Its outputs folder outputs/2023-08/ is kept, renamed outputs/2023-08.removed-1/.\n"
)


def shown(config: Config) -> str:
    """What remove shows for August: no returns came back, so no sources; no KPIs or risks
    in the plan; the exceptions (red ratings, missing returns) as recorded."""
    counts = rows_of(config, AUGUST)
    assert counts["exceptions"] > 1
    return SHOWN.format(exceptions=counts["exceptions"])


def test_history_remove_with_yes_takes_every_row_out_and_keeps_the_outputs(
    two_months_built: Path, tmp_path: Path
) -> None:
    config = copy_of(two_months_built, tmp_path)
    outputs = everything_under(config.outputs_dir(AUGUST))
    before = shown(config)
    result = run("-C", config.root, "history", "remove", "2023-08", "--yes")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == before + (
        "Removed August 2023 from history.sqlite; its outputs are in outputs/2023-08.removed-1/.\n"
    )
    assert set(rows_of(config, AUGUST).values()) == {0}
    assert rows_of(config, JULY)["action_rows"] == 4
    assert not config.outputs_dir(AUGUST).exists()
    assert everything_under(config.root / "outputs" / "2023-08.removed-1") == outputs
    listed_now = run("-C", config.root, "history")
    assert "2023-07" in listed_now.stdout and "2023-08" not in listed_now.stdout
    # The next build of August compares with July again and starts a clean folder.
    rebuilt = build_period(config, AUGUST)
    assert rebuilt.result.previous_period == JULY


def test_history_remove_asks_first(two_months_built: Path, tmp_path: Path) -> None:
    config = copy_of(two_months_built, tmp_path)
    before = shown(config)
    declined = run("-C", config.root, "history", "remove", "2023-08", given="n\n")
    assert (declined.exit_code, declined.stdout) == (
        0,
        before + "Remove August 2023 from history? [y/N]: n\nNothing was removed.\n",
    )
    assert rows_of(config, AUGUST)["action_rows"] == 4
    assert config.outputs_dir(AUGUST).is_dir()
    no_answer = run("-C", config.root, "history", "remove", "2023-08", given="")
    assert no_answer.stdout.endswith("Nothing was removed.\n")
    assert rows_of(config, AUGUST)["action_rows"] == 4
    agreed = run("-C", config.root, "history", "remove", "2023-08", given="y\n")
    assert (agreed.exit_code, agreed.stdout) == (
        0,
        before + "Remove August 2023 from history? [y/N]: y\n"
        "Removed August 2023 from history.sqlite; its outputs are in outputs/2023-08.removed-1/.\n",
    )
    assert set(rows_of(config, AUGUST).values()) == {0}


def test_history_remove_of_an_earlier_month_says_which_month_to_rebuild(
    two_months_built: Path, tmp_path: Path
) -> None:
    config = copy_of(two_months_built, tmp_path)
    (config.root / "outputs" / "2023-07.removed-1").mkdir()
    result = run("-C", config.root, "history", "remove", "2023-07", "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [
        "Its outputs folder outputs/2023-07/ is kept, renamed outputs/2023-07.removed-2/.",
        "August 2023 was built comparing with July 2023: rebuild it as the first month recorded.",
        "Removed July 2023 from history.sqlite; its outputs are in outputs/2023-07.removed-2/.",
    ]
    with History.open(config) as history:
        assert history.recorded_periods() == [AUGUST]


def test_history_remove_of_a_period_not_recorded_is_refused(
    two_months_built: Path, tmp_path: Path
) -> None:
    config = copy_of(two_months_built, tmp_path)
    result = run("-C", config.root, "history", "remove", "2023-09", "--yes")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "Error: 2023-09 is not recorded in history.sqlite (recorded: 2023-07, 2023-08), so "
        "nothing was removed\nWhat to do: Run 'packbuilder history' to list the recorded "
        "periods.\n",
    )
    assert config.outputs_dir(AUGUST).is_dir()


def test_history_remove_waits_for_no_build_it_refuses_while_one_runs(
    two_months_built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("packbuilder.lock.WAIT_SECONDS", 0.2)
    config = copy_of(two_months_built, tmp_path)
    lock = workspace_lock(config)
    lock.acquire()
    try:
        result = run("-C", config.root, "history", "remove", "2023-08", "--yes")
    finally:
        lock.release()
    assert (result.exit_code, result.stdout, result.stderr) == (
        3,
        "",
        "Error: Another packbuilder command is running in this workspace (waited 0.2 seconds)\n"
        "What to do: Wait for it to finish, then run the command again.\n",
    )
    assert rows_of(config, AUGUST)["action_rows"] == 4


def test_history_alone_still_lists_the_periods(two_months_built: Path) -> None:
    result = run("-C", two_months_built, "history")
    assert result.exit_code == 0
    assert [line.split()[1] for line in result.stdout.splitlines() if "│ 2023-" in line] == [
        "2023-07",
        "2023-08",
    ]


def test_a_month_built_by_mistake_before_the_first_can_be_taken_out(
    july_built: Path, tmp_path: Path
) -> None:
    """A mistyped month recorded by an earlier packbuilder (the library builds any month it is
    given) is removed like any other; July, built before it, was not compared with it."""
    config = copy_of(july_built, tmp_path)
    build_period(config, Period(2022, 8))
    with History.open(config) as history:
        assert history.recorded_periods() == [Period(2022, 8), JULY]
    result = run("-C", config.root, "history", "remove", "2022-08", "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [
        "Its outputs folder outputs/2022-08/ is kept, renamed outputs/2022-08.removed-1/.",
        "Removed August 2022 from history.sqlite; its outputs are in outputs/2022-08.removed-1/.",
    ]
    with History.open(config) as history:
        assert history.recorded_periods() == [JULY]
