"""``packbuilder build`` on a small workspace: two months, the set written whole, the guarantees."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import warnings
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from returns_factory import DIRECTOR, NEXT, PERIOD, fill_clean, make_blank_returns, write_workspace

import packbuilder.output_set as output_set
from packbuilder.cli import main
from packbuilder.commands.build import build_period
from packbuilder.commands.recovery import recover_interrupted_build
from packbuilder.config import Config, load_config
from packbuilder.errors import EnvironmentProblem, StrictRefusal
from packbuilder.history import History
from packbuilder.lock import workspace_lock
from packbuilder.model import Period, ReturnStatus
from packbuilder.output_set import JOURNAL

TRACKER = f"tracker-{PERIOD}.xlsx"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def returns_for(config: Config, period: Period, changes: dict | None = None) -> None:  # type: ignore[type-arg]
    """Fill the director's and the head of communications' returns; the NHS lead sends none."""
    made = make_blank_returns(config, period)
    folder = config.returns_dir(period)
    for officer in (DIRECTOR, "head-of-comms"):
        fill_clean(
            made[officer], folder / made[officer].name, officer, (changes or {}).get(officer)
        )


@pytest.fixture
def config(tmp_path: Path) -> Config:
    config = write_workspace(tmp_path / "ws")
    returns_for(config, PERIOD)
    return config


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workspace of ``config`` with July built once, copied by each test that needs it."""
    config = write_workspace(tmp_path_factory.mktemp("built") / "ws")
    returns_for(config, PERIOD)
    build_period(config, PERIOD)
    return config.root


@pytest.fixture
def built_config(built_once: Path, tmp_path: Path) -> Config:
    return load_config(Path(shutil.copytree(built_once, tmp_path / "ws")))


def tracker_rows(path: Path) -> dict[str, dict[str, object]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # openpyxl drops sparklines, and says so
        sheet = openpyxl.load_workbook(path)["Tracker"]
    rows = list(sheet.iter_rows(values_only=True))
    return {str(r[0]): dict(zip(rows[0], r, strict=True)) for r in rows[1:]}  # type: ignore[arg-type]


def outputs_state(config: Config, period: Period = PERIOD) -> dict[str, str]:
    folder = config.outputs_dir(period)
    return {
        p.relative_to(folder).as_posix(): sha(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "returns" not in p.relative_to(folder).parts
    }


def assert_consistent(config: Config, period: Period = PERIOD) -> dict:  # type: ignore[type-arg]
    """The folder is exactly the set its manifest describes, and history recorded that build."""
    folder = config.outputs_dir(period)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    described = {o["path"]: o["sha256"] for o in manifest["outputs"]}
    found = outputs_state(config, period)
    found.pop("manifest.json")
    for kept in manifest["kept_edits"]:
        assert found.pop(kept["path"]) == kept["sha256"]
    assert found == described
    with History.open(config) as history:
        latest = history.latest_build(period)
        assert latest is not None and latest.build_id == manifest["build_id"]
    assert not (folder / JOURNAL).exists()
    return manifest


def test_two_months_write_trackers_with_direction_changes_and_manifest(config: Config) -> None:
    july = build_period(config, PERIOD)
    assert july.result.previous_period is None
    rows = tracker_rows(config.outputs_dir(PERIOD) / TRACKER)
    assert rows["1A1"]["Progress direction"] == "– New"
    assert rows["1A1"]["Last progress"] == "First report"
    assert rows["2A2"]["Return status"] == ReturnStatus.FIRST_REPORT.value

    returns_for(config, NEXT, {"head-of-comms": {"1A1": {"progress": "Green", "evidence": "Plan"}}})
    august = build_period(config, NEXT)
    assert august.result.previous_period == PERIOD
    rows = tracker_rows(config.outputs_dir(NEXT) / f"tracker-{NEXT}.xlsx")
    assert (rows["1A1"]["Last progress"], rows["1A1"]["Progress"]) == ("Amber", "Green")
    assert rows["1A1"]["Progress direction"] == "▲ Improved"
    assert rows["2A2"]["Return status"] == ReturnStatus.NO_RETURN.value
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        changes = openpyxl.load_workbook(config.outputs_dir(NEXT) / f"tracker-{NEXT}.xlsx")
    change_rows = list(changes["Changes"].iter_rows(min_row=2, values_only=True))
    assert ("Progress changed", "1A1") in [(r[0], r[1]) for r in change_rows]

    manifest = assert_consistent(config, NEXT)
    inputs = {i["path"]: i for i in manifest["inputs"]}
    assert "config.toml" in inputs and "inputs/plan.xlsx" in inputs
    returned = [p for p in inputs if p.startswith("inputs/returns/2023-08/")]
    assert len(returned) == 2
    plan = config.plan_path
    assert inputs["inputs/plan.xlsx"] == {
        "path": "inputs/plan.xlsx",
        "sha256": sha(plan),
        "size": plan.stat().st_size,
    }
    assert manifest["packbuilder"] and manifest["config_sha256"] and manifest["built_at"]
    assert {o["path"] for o in manifest["outputs"]} >= {
        f"tracker-{NEXT}.xlsx",
        f"assurance-report-{NEXT}-DfE.docx" if False else f"exception-report-{NEXT}.docx",
        "validation.xlsx",
    }


def test_two_builds_give_the_same_tracker_bytes_and_input_hashes(config: Config) -> None:
    build_period(config, PERIOD)
    first = assert_consistent(config)
    tracker = (config.outputs_dir(PERIOD) / TRACKER).read_bytes()
    build_period(config, PERIOD)
    second = assert_consistent(config)
    assert (config.outputs_dir(PERIOD) / TRACKER).read_bytes() == tracker
    assert first["inputs"] == second["inputs"]
    assert first["config_sha256"] == second["config_sha256"]
    assert first["plan_sha256"] == second["plan_sha256"]
    tracker_hashes = [
        [o["sha256"] for o in m["outputs"] if o["path"] == TRACKER] for m in (first, second)
    ]
    assert tracker_hashes[0] == tracker_hashes[1]
    assert first["build_id"] != second["build_id"]


def test_strict_refuses_while_a_return_has_errors(config: Config) -> None:
    made = make_blank_returns(config, PERIOD)
    broken = config.returns_dir(PERIOD) / made[DIRECTOR].name
    fill_clean(made[DIRECTOR], broken, DIRECTOR, {"1A2": {"progress": "Purple"}})
    with pytest.raises(StrictRefusal) as refused:
        build_period(config, PERIOD, strict=True)
    assert refused.value.exit_code == 1
    assert not (config.outputs_dir(PERIOD) / "manifest.json").exists()
    with History.open(config) as history:
        assert history.recorded_periods() == []
    built = build_period(config, PERIOD)
    statuses = {s.action.id: s for s in built.result.actions}
    # Without --strict the build goes on: the bad rating keeps the plan's, the rest enters.
    assert statuses["1A2"].return_status is ReturnStatus.CELLS_CARRIED
    assert statuses["1A2"].carried == {"progress": "this month's rating was not valid"}
    assert statuses["2A1"].return_status is ReturnStatus.UPDATED


def test_strict_refuses_while_the_offices_own_words_are_missing(config: Config) -> None:
    """The test plan's first month has exceptions and no narrative file: --strict lists each
    missing piece and builds nothing."""
    with pytest.raises(StrictRefusal) as refused:
        build_period(config, PERIOD, strict=True)
    message = refused.value.message
    assert refused.value.exit_code == 1
    assert message.startswith("--strict: ")
    assert "of the office's own words are missing from the reports, so nothing was built: " in (
        message
    )
    assert "The assurance report's summary; The exception report's summary; " in message
    assert "What is asked of the board about " in message
    assert refused.value.hint.startswith(f"Write them in inputs/narrative/{PERIOD}.toml")
    assert not (config.outputs_dir(PERIOD) / "manifest.json").exists()
    with History.open(config) as history:
        assert history.recorded_periods() == []


def test_a_hand_edited_output_is_kept_without_force_and_beside_it_with_force(
    built_config: Config,
) -> None:
    config = built_config  # July built
    tracker = config.outputs_dir(PERIOD) / TRACKER
    tracker.write_bytes(tracker.read_bytes() + b"edited")
    edited = sha(tracker)
    with pytest.raises(EnvironmentProblem, match="changed since the last build") as stopped:
        build_period(config, PERIOD)
    assert sha(tracker) == edited
    assert stopped.value.hint.endswith(
        f"kept beside the new one as tracker-{PERIOD}.edited-1.xlsx."
    )

    built = build_period(config, PERIOD, force=True)
    kept = config.outputs_dir(PERIOD) / f"tracker-{PERIOD}.edited-1.xlsx"
    assert built.kept_edits == [kept]
    assert sha(kept) == edited
    assert sha(tracker) != edited
    assert_consistent(config)


def test_an_output_open_in_another_program_stops_the_build_and_keeps_the_old_set(
    built_config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = built_config  # July built
    before = outputs_state(config)
    real_replace = os.replace

    def locked(source: object, destination: object) -> None:
        if Path(str(destination)).name == TRACKER:
            raise PermissionError(13, "The process cannot access the file")
        real_replace(source, destination)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", locked)  # as replace_file calls it
    with pytest.raises(EnvironmentProblem, match="open in another program") as stopped:
        build_period(config, PERIOD)
    assert stopped.value.exit_code == 3
    monkeypatch.undo()
    assert outputs_state(config) == before
    assert_consistent(config)


STEPS = [
    "check outputs written",
    "reports written",
    "tracker written",
    "journal written",
    "history recorded",
    "moved aside outputs/2023-07/manifest.json",
    f"moved in {TRACKER}",
    "manifest written",
    "history committed",
]


class Stop(Exception):
    """A build stopped at a chosen step."""


@pytest.mark.parametrize("crash", [False, True], ids=["exception", "crash"])
@pytest.mark.parametrize("step", STEPS)
def test_a_build_stopped_at_any_step_leaves_one_whole_set(
    built_config: Config, monkeypatch: pytest.MonkeyPatch, step: str, crash: bool
) -> None:
    config = built_config  # July built
    before = outputs_state(config)
    changed = {"head-of-comms": {"1A1": {"progress": "Green", "evidence": "Strategy published"}}}
    returns_for(config, PERIOD, changed)

    def stop_at(name: str) -> None:
        if name == step:
            raise Stop(name)

    monkeypatch.setattr(output_set, "checkpoint", stop_at)
    if crash:  # a killed process runs no clean-up: only what reached the disk remains
        monkeypatch.setattr(output_set, "_abandon", lambda config, journal: None)
    with pytest.raises(Stop):
        build_period(config, PERIOD)
    monkeypatch.undo()

    recover_interrupted_build(config, PERIOD)
    manifest = assert_consistent(config)
    rows = tracker_rows(config.outputs_dir(PERIOD) / TRACKER)
    if step == "history committed":
        assert rows["1A1"]["Progress"] == "Green"
    else:
        assert outputs_state(config) == before
        assert rows["1A1"]["Progress"] == "Amber"
    with History.open(config) as history:
        assert history.ratings(PERIOD)["1A1"][0].value == rows["1A1"]["Progress"]  # type: ignore[union-attr]
    assert manifest["period"] == str(PERIOD)
    build_period(config, PERIOD)
    assert tracker_rows(config.outputs_dir(PERIOD) / TRACKER)["1A1"]["Progress"] == "Green"
    assert_consistent(config)


def test_a_second_build_at_once_is_told_the_workspace_is_busy(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("packbuilder.lock.WAIT_SECONDS", 0.2)
    with (
        workspace_lock(config),
        pytest.raises(EnvironmentProblem, match="Another packbuilder command") as busy,
    ):
        build_period(config, PERIOD)
    assert busy.value.exit_code == 3


def test_build_and_history_commands(config: Config) -> None:
    runner = CliRunner()
    built = runner.invoke(main, ["-C", str(config.root), "build", str(PERIOD)])
    assert built.exit_code == 0, built.output
    assert "Built July 2023 (first report)." in built.output
    assert "Returns: 2 of 3 counted; 1 missing; 0 errors in returns." in built.output
    lines = built.output.splitlines()
    chase = lines.index("  Still to chase (feedback/chase-list.csv):")
    assert lines[chase + 1].endswith(": no return")
    assert lines[chase + 2].startswith("Written to ")
    assert f"  {TRACKER}" in built.output
    listed = runner.invoke(main, ["-C", str(config.root), "history"])
    assert listed.exit_code == 0
    row = next(line for line in listed.output.splitlines() if "2023-07" in line)
    assert [c.strip() for c in row.split("│")[1:-1]][2:] == ["1", "0.1.0", "4", "2 of 3", "3", "0"]


def test_recovery_removes_every_file_a_killed_build_left_half_written(tmp_path: Path) -> None:
    config = write_workspace(tmp_path / "ws")
    target = config.outputs_dir(PERIOD)
    (target / "feedback").mkdir(parents=True)
    leftovers = [
        target / ".manifest.json.partial",
        target / ".tracker-2023-07.partial.xlsx",
        target / "feedback" / ".chase-list.partial.csv",
        target / ".assurance-report-2023-07.docx.4242.tmp",
    ]
    for path in leftovers:
        path.write_bytes(b"half")
    kept = target / "notes.txt"
    kept.write_text("the office's own file", "utf-8")
    message = recover_interrupted_build(config, PERIOD)
    assert [p.exists() for p in leftovers] == [False] * len(leftovers)
    assert kept.read_text("utf-8") == "the office's own file"
    assert message == "Files left half-written by a stopped build were removed."


def test_the_build_reports_its_steps_in_order_for_a_progress_display(config: Config) -> None:
    steps: list[int] = []
    build_period(config, PERIOD, step=steps.append)
    assert steps == [0, 1, 2, 3, 4, 5]


def test_the_progress_bar_shows_the_steps_on_a_terminal_only() -> None:
    from io import StringIO

    from rich.console import Console

    from packbuilder.console.build import build_progress

    with build_progress(Console(file=StringIO())) as step:
        assert step is None  # piped output and tests: no bar
    buffer = StringIO()
    with build_progress(Console(file=buffer, force_terminal=True, width=100)) as step:
        assert step is not None
        step(0)
        step(3)
    assert "Writing the tracker and reports" in buffer.getvalue()
