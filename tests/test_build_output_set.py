"""packbuilder.output_set on its own: a set of outputs moved into place whole, with a ledger that
is not history, and recovered from its journal without a build.

The build's own guarantees through history are in tests/test_build.py and tests/test_faults.py;
these show the set needs nothing of a build: any ledger, any files.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from returns_factory import PERIOD, write_workspace

import packbuilder.output_set as output_set
from packbuilder.config import Config
from packbuilder.output_set import JOURNAL, MANIFEST, SetEntry, commit_set, read_manifest


class Ledger:
    """A ledger in memory: what was recorded, and whether it was committed or rolled back."""

    def __init__(self, fail_on_record: bool = False) -> None:
        self.events: list[str] = []
        self.entries: list[SetEntry] = []
        self.fail_on_record = fail_on_record

    def begin(self) -> None:
        self.events.append("begin")

    def record(self, entry: SetEntry) -> None:
        if self.fail_on_record:
            raise OSError(28, "No space left on device", "ledger")
        self.entries.append(entry)
        self.events.append("record")

    def commit(self) -> None:
        self.events.append("commit")

    def rollback(self) -> None:
        self.events.append("rollback")


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return write_workspace(tmp_path / "ws")


def staged(config: Config, files: dict[str, str]) -> Path:
    staging = output_set.staging_dir(config, PERIOD)
    for rel, text in files.items():
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        (staging / rel).write_text(text, "utf-8")
    return staging


def commit(config: Config, staging: Path, ledger: Ledger, force: bool = False) -> Path:
    return commit_set(
        config,
        PERIOD,
        staging,
        ledger,
        force=force,
        built_before=False,
        plan_sha256="p" * 64,
        counts={"actions": 4},
    ).manifest


def test_a_set_moves_in_whole_and_its_manifest_names_every_file(config: Config) -> None:
    ledger = Ledger()
    manifest_path = commit(config, staged(config, {"a.txt": "one", "sub/b.txt": "two"}), ledger)
    target = config.outputs_dir(PERIOD)
    assert (target / "a.txt").read_text("utf-8") == "one"
    assert (target / "sub" / "b.txt").read_text("utf-8") == "two"
    assert not (target / JOURNAL).exists()
    manifest = read_manifest(target)
    assert manifest is not None and manifest_path == target / MANIFEST
    assert list(manifest) == [
        "packbuilder",
        "period",
        "build_id",
        "built_at",
        "config_sha256",
        "plan_sha256",
        "inputs",
        "outputs",
        "counts",
        "kept_edits",
    ]
    assert [o["path"] for o in manifest["outputs"]] == ["a.txt", "sub/b.txt"]
    assert manifest["counts"] == {"actions": 4} and manifest["plan_sha256"] == "p" * 64
    assert ledger.events == ["begin", "record", "commit"]
    (entry,) = ledger.entries
    assert entry.build_id == manifest["build_id"]
    assert entry.inputs == {i["path"]: i["sha256"] for i in manifest["inputs"]}
    assert "config.toml" in entry.inputs


def test_a_ledger_that_fails_leaves_the_previous_set_in_place(config: Config) -> None:
    commit(config, staged(config, {"a.txt": "one"}), Ledger())
    target = config.outputs_dir(PERIOD)
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    failing = Ledger(fail_on_record=True)
    with pytest.raises(OSError, match="No space"):
        commit(config, staged(config, {"a.txt": "two", "c.txt": "new"}), failing)
    assert failing.events == ["begin", "rollback"]
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before


def test_a_hand_edit_is_refused_then_kept_beside_with_force(config: Config) -> None:
    commit(config, staged(config, {"a.txt": "one"}), Ledger())
    target = config.outputs_dir(PERIOD)
    (target / "a.txt").write_text("edited by hand", "utf-8")
    with pytest.raises(Exception, match="changed since the last build"):
        commit(config, staged(config, {"a.txt": "two"}), Ledger())
    committed = commit_set(
        config,
        PERIOD,
        staged(config, {"a.txt": "two"}),
        Ledger(),
        force=True,
        built_before=True,
        plan_sha256="p" * 64,
        counts={},
    )
    assert committed.kept_edits == [target / "a.edited-1.txt"]
    assert (target / "a.edited-1.txt").read_text("utf-8") == "edited by hand"
    assert (target / "a.txt").read_text("utf-8") == "two"


@pytest.mark.parametrize("recorded", [True, False])
def test_recovery_asks_the_ledger_whether_the_stopped_set_was_recorded(
    config: Config, monkeypatch: pytest.MonkeyPatch, recorded: bool
) -> None:
    commit(config, staged(config, {"a.txt": "one"}), Ledger())
    target = config.outputs_dir(PERIOD)

    class Killed(BaseException):
        pass

    def stop(step: str) -> None:
        if step == "manifest written":
            raise Killed(step)

    monkeypatch.setattr(output_set, "checkpoint", stop)
    monkeypatch.setattr(output_set, "_abandon", lambda config, journal: None)
    with pytest.raises(Killed):
        commit(config, staged(config, {"a.txt": "two"}), Ledger())
    monkeypatch.undo()
    build_id = json.loads((target / JOURNAL).read_text("utf-8"))["build_id"]
    asked: list[str] = []

    def is_recorded(asked_id: str) -> bool:
        asked.append(asked_id)
        return recorded

    message = output_set.recover_interrupted_build(config, PERIOD, is_recorded)
    assert asked == [build_id]
    assert not (target / JOURNAL).exists()
    if recorded:
        assert message.endswith("stopped after it finished; tidied up.")
        assert (target / "a.txt").read_text("utf-8") == "two"
    else:
        assert message.endswith("stopped part way; its changes were undone.")
        assert (target / "a.txt").read_text("utf-8") == "one"


def test_the_output_set_imports_no_history_and_no_stage() -> None:
    """It sits below every stage: what a set means is handed in, never imported."""
    source = Path(output_set.__file__).read_text("utf-8")
    imported = {
        node.module
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module
    } | {
        alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    ours = {name for name in imported if name.startswith("packbuilder")}
    assert ours <= {
        "packbuilder",
        "packbuilder.config",
        "packbuilder.errors",
        "packbuilder.model",
        "packbuilder.replace",
    }
