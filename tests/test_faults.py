"""Faults of the environment: a full disk, a read-only folder, damaged state, a stray signal.

Each reproduction of issue 16 ends in one line, the right exit code, no traceback, nothing of
the office's lost and the state as it was. A full disk and a read-only file system are made
real in a private mount namespace (``unshare -m`` with a small tmpfs), which needs root; where
that is unavailable a patched write stands in, except in CI as root, where the test fails
rather than skip. Everything else runs on the small workspace of tests/returns_factory.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from returns_factory import DIRECTOR, PERIOD, fill_clean, make_blank_returns, write_workspace

import packbuilder.output_set as output_set
from packbuilder.cli import main
from packbuilder.commands.build import build_period
from packbuilder.config import Config, load_config
from packbuilder.history import History
from packbuilder.output_set import JOURNAL

TRACKER = f"tracker-{PERIOD}.xlsx"
REPOSITORY = Path(__file__).resolve().parent.parent


def returns_for(config: Config, changes: dict | None = None) -> None:  # type: ignore[type-arg]
    made = make_blank_returns(config, PERIOD)
    folder = config.returns_dir(PERIOD)
    for officer in (DIRECTOR, "head-of-comms"):
        fill_clean(
            made[officer], folder / made[officer].name, officer, (changes or {}).get(officer)
        )


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small workspace with July built once, copied by each test."""
    config = write_workspace(tmp_path_factory.mktemp("built") / "ws")
    returns_for(config)
    build_period(config, PERIOD)
    return config.root


@pytest.fixture
def config(built_once: Path, tmp_path: Path) -> Config:
    root = tmp_path / "ws"
    shutil.copytree(built_once, root)
    return load_config(root)


def cli(config: Config, *args: str) -> Result:
    return CliRunner().invoke(main, ["-C", str(config.root), *args])


def state(root: Path) -> dict[str, str]:
    """Every file of the workspace but the lock, the backups and the plan cache, with its hash."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
        and p.name != ".packbuilder.lock"
        and not {"backups", ".packbuilder-cache"} & set(p.parts)
    }


def partials(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if ".partial" in p.name or p.name.endswith("-journal") or p.name.startswith(".staging")
    )


def one_error_line(result: Result, words: str) -> None:
    """Exit 3, no traceback, and one 'Error:' line saying WORDS (and one 'What to do:')."""
    output = result.output
    assert result.exit_code == 3, output
    assert "Traceback" not in output
    errors = [line for line in output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, output
    assert words in errors[0], output
    assert any(line.startswith("What to do:") for line in output.splitlines()), output


def consistent(config: Config, checked: bool = False) -> dict:  # type: ignore[type-arg]
    """outputs/PERIOD is the set its manifest describes (but what CHECKED, a later check,
    rewrote), history recorded that build, and no journal is left."""
    folder = config.outputs_dir(PERIOD)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    with History.open(config) as history:
        latest = history.latest_build(PERIOD)
        assert latest is not None and latest.build_id == manifest["build_id"]
    for output in manifest["outputs"]:
        if checked and output["path"].startswith(output_set.CHECK_OUTPUTS):
            continue
        path = folder / output["path"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == output["sha256"], path
    assert not (folder / JOURNAL).exists()
    return manifest


# --------------------------------------------------------------------------- real mounts


def _unshare_works() -> bool:
    if shutil.which("unshare") is None or sys.platform != "linux":
        return False
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, timeout=30)
    return probe.returncode == 0


UNSHARE = _unshare_works()


def needs_unshare() -> None:
    """Skip without a private mount namespace, but fail in CI as root: there it must run."""
    if UNSHARE:
        return
    if os.environ.get("CI") == "true" and hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.fail("unshare -m is unavailable in CI as root; the real-mount tests must run")
    pytest.skip("no private mount namespace here (unshare -m needs root); patched tests cover it")


def in_private_mount(workspace: Path, mount: Path, script: str) -> subprocess.CompletedProcess[str]:
    """Copy WORKSPACE onto a 4 MB tmpfs at MOUNT, run SCRIPT there ($WS is the copy, $PB the
    packbuilder command), then copy the workspace back over WORKSPACE for the test to read."""
    mount.mkdir()
    packbuilder = f"{shlex.quote(sys.executable)} -m packbuilder"
    whole = textwrap.dedent(
        f"""\
        set -u
        mount -t tmpfs -o size=4m tmpfs {shlex.quote(str(mount))} || exit 90
        WS={shlex.quote(str(mount / "ws"))}
        PB="{packbuilder}"
        cp -a {shlex.quote(str(workspace))} "$WS"
        {textwrap.dedent(script)}
        status=$?
        mount -o remount,rw {shlex.quote(str(mount))} 2>/dev/null
        rm -f "$WS/filler"
        rm -rf {shlex.quote(str(workspace))} && cp -a "$WS" {shlex.quote(str(workspace))}
        exit $status
        """
    )
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", whole],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPOSITORY,
    )
    assert done.returncode != 90, done.stderr
    return done


def _env_result(done: subprocess.CompletedProcess[str]) -> Result:
    """A CompletedProcess seen as a click Result, for one_error_line."""
    return Result(
        runner=CliRunner(),
        stdout_bytes=(done.stdout + done.stderr).encode(),
        stderr_bytes=b"",
        output_bytes=(done.stdout + done.stderr).encode(),
        return_value=None,
        exit_code=done.returncode,
        exception=None,
    )


@pytest.mark.parametrize("free_kb", [0, 60, 300, 450, 700])
def test_a_full_disk_stops_a_build_with_one_line_and_nothing_changed(
    config: Config, tmp_path: Path, free_kb: int
) -> None:
    needs_unshare()
    returns_for(config, {"head-of-comms": {"1A1": {"progress": "Green", "evidence": "Done"}}})
    before = state(config.root)
    # The filler takes all but FREE_KB of the tmpfs, so the build runs out part way.
    done = in_private_mount(
        config.root,
        tmp_path / "mnt",
        f"""
        dd if=/dev/zero of="$WS/filler" bs=1k 2>/dev/null
        avail=$(df -k --output=avail "$WS" | tail -1)
        rm -f "$WS/filler"
        avail=$(df -k --output=avail "$WS" | tail -1)
        dd if=/dev/zero of="$WS/filler" bs=1k count=$((avail - {free_kb})) 2>/dev/null
        $PB -C "$WS" build {PERIOD}
        """,
    )
    assert "Traceback" not in done.stdout + done.stderr
    assert partials(config.root) == []
    if done.returncode == 0 and free_kb >= 450:  # room enough after all: a whole new set
        consistent(config)
        return
    one_error_line(_env_result(done), "disk is full")
    assert state(config.root) == before
    assert cli(config, "build", str(PERIOD)).exit_code == 0  # and with room, the next build works
    consistent(config)


@pytest.mark.parametrize("command", ["build", "check", "returns make", "history"])
def test_a_read_only_workspace_is_one_line_and_exit_3(
    config: Config, tmp_path: Path, command: str
) -> None:
    needs_unshare()
    before = state(config.root)
    done = in_private_mount(
        config.root,
        tmp_path / "mnt",
        f"""
        mount -o remount,ro {shlex.quote(str(tmp_path / "mnt"))}
        $PB -C "$WS" {command} {PERIOD if command != "history" else ""}
        """,
    )
    one_error_line(_env_result(done), "read-only file system")
    assert state(config.root) == before


def test_a_read_only_history_file_is_one_line_and_exit_3(config: Config, tmp_path: Path) -> None:
    needs_unshare()
    before = state(config.root)
    done = in_private_mount(
        config.root,
        tmp_path / "mnt",
        """
        mount --bind "$WS/history.sqlite" "$WS/history.sqlite"
        mount -o remount,ro,bind "$WS/history.sqlite"
        $PB -C "$WS" build 2023-07
        """,
    )
    one_error_line(_env_result(done), "history database cannot be written")
    assert state(config.root) == before
    assert partials(config.root) == []


def test_check_into_a_read_only_outputs_folder_is_one_line(config: Config, tmp_path: Path) -> None:
    needs_unshare()
    before = state(config.root)
    done = in_private_mount(
        config.root,
        tmp_path / "mnt",
        """
        mount --bind "$WS/outputs" "$WS/outputs"
        mount -o remount,ro,bind "$WS/outputs"
        $PB -C "$WS" check 2023-07
        """,
    )
    one_error_line(_env_result(done), "read-only file system")
    assert state(config.root) == before


# --------------------------------------------------------------------------- patched writes


def test_no_space_while_writing_the_manifest_leaves_no_partial_and_the_old_set(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The patched stand-in for the real full disk, so it runs everywhere."""
    returns_for(config, {"head-of-comms": {"1A1": {"progress": "Green", "evidence": "Done"}}})
    before = state(config.root)
    real_fsync = os.fsync

    def full(handle: int) -> None:
        raise OSError(28, "No space left on device", ".manifest.json.partial")

    def fsync(handle: int) -> None:
        real_fsync(handle)

    monkeypatch.setattr(output_set, "checkpoint", lambda step: None)
    original = output_set.write_json

    def write_json(path: Path, data: dict) -> None:  # type: ignore[type-arg]
        if path.name == "manifest.json":
            monkeypatch.setattr(output_set.os, "fsync", full)
            try:
                original(path, data)
            finally:
                monkeypatch.setattr(output_set.os, "fsync", fsync)
        else:
            original(path, data)

    monkeypatch.setattr(output_set, "write_json", write_json)
    result = cli(config, "build", str(PERIOD))
    one_error_line(result, "The disk is full (.manifest.json.partial)")
    assert state(config.root) == before
    assert partials(config.root) == []


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (OSError(28, "No space left on device", "x"), "The disk is full (x)"),
        (OSError(30, "Read-only file system", "x"), "read-only file system (x)"),
        (PermissionError(13, "Permission denied", "outputs/.staging-2023-07"), "Permission denied"),
        (sqlite3.OperationalError("database or disk is full"), "The disk is full"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "cannot be written"),
        (sqlite3.DatabaseError("database disk image is malformed"), "history database is damaged"),
    ],
    ids=["no-space", "read-only", "permission", "sqlite-full", "sqlite-readonly", "malformed"],
)
def test_each_fault_of_the_environment_is_one_line_and_exit_3(
    config: Config, monkeypatch: pytest.MonkeyPatch, error: Exception, words: str
) -> None:
    before = state(config.root)

    def fail(*args: object) -> None:
        raise error

    monkeypatch.setattr(output_set, "staging_dir", fail)
    one_error_line(cli(config, "build", str(PERIOD)), words)
    assert state(config.root) == before


def test_xlsxwriter_file_create_error_is_one_line(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xlsxwriter.exceptions import FileCreateError

    import packbuilder.check_outputs.outputs as outputs_module

    def fail(*args: object) -> None:
        raise FileCreateError(OSError(30, "Read-only file system", "validation.xlsx"))

    monkeypatch.setattr(outputs_module, "write_validation", fail)
    one_error_line(cli(config, "check", str(PERIOD)), "read-only file system (validation.xlsx)")


# --------------------------------------------------------------------------- wrong kinds


def test_a_file_where_feedback_goes_is_kept_and_refused(config: Config) -> None:
    folder = config.outputs_dir(PERIOD)
    shutil.rmtree(folder / "feedback", ignore_errors=True)
    (folder / "feedback").write_text("my file", "utf-8")
    one_error_line(cli(config, "check", str(PERIOD)), "A file stands where")
    result = cli(config, "build", str(PERIOD))
    if (folder / "feedback").is_file():
        assert result.exit_code in (0, 3), result.output
        assert "Traceback" not in result.output
    assert (folder / "feedback").read_text("utf-8") == "my file"


def test_a_file_where_the_period_folder_goes_is_kept_and_refused(config: Config) -> None:
    folder = config.outputs_dir(PERIOD)
    shutil.rmtree(folder)
    folder.write_text("notes", "utf-8")
    one_error_line(cli(config, "build", str(PERIOD)), "A file stands where packbuilder needs")
    assert folder.read_text("utf-8") == "notes"


def test_a_folder_where_validation_goes_is_kept_and_refused(config: Config) -> None:
    validation = config.outputs_dir(PERIOD) / "validation.xlsx"
    validation.unlink()
    validation.mkdir()
    (validation / "mine.txt").write_text("mine", "utf-8")
    one_error_line(cli(config, "check", str(PERIOD)), "A folder stands where")
    one_error_line(cli(config, "build", str(PERIOD)), "is not a file packbuilder wrote")
    assert (validation / "mine.txt").read_text("utf-8") == "mine"


def test_a_folder_at_the_trackers_path_is_refused_and_its_notes_kept(config: Config) -> None:
    folder = config.outputs_dir(PERIOD)
    before = state(config.root)
    tracker = folder / TRACKER
    tracker.unlink()
    tracker.mkdir()
    (tracker / "my-notes.txt").write_text("notes", "utf-8")
    one_error_line(cli(config, "build", str(PERIOD)), f"outputs/{PERIOD}/{TRACKER} is not a file")
    assert (tracker / "my-notes.txt").read_text("utf-8") == "notes"
    after = state(config.root)
    assert after.pop(f"outputs/{PERIOD}/{TRACKER}/my-notes.txt")
    before.pop(f"outputs/{PERIOD}/{TRACKER}")
    assert after == before


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges")
def test_a_link_at_an_outputs_path_is_refused(config: Config, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.xlsx"
    elsewhere.write_bytes(b"theirs")
    tracker = config.outputs_dir(PERIOD) / TRACKER
    tracker.unlink()
    tracker.symlink_to(elsewhere)
    one_error_line(cli(config, "build", str(PERIOD)), "is not a file packbuilder wrote")
    assert tracker.is_symlink() and elsewhere.read_bytes() == b"theirs"


# --------------------------------------------------------------------------- hand edits


@pytest.mark.parametrize("manifest", ["missing", "garbage", "not-an-object"])
def test_an_edit_is_kept_beside_when_the_manifest_is_missing_or_unreadable(
    config: Config, manifest: str
) -> None:
    folder = config.outputs_dir(PERIOD)
    tracker = folder / TRACKER
    tracker.write_bytes(tracker.read_bytes() + b"edited")
    edited = tracker.read_bytes()
    if manifest == "missing":
        (folder / "manifest.json").unlink()
    elif manifest == "garbage":
        (folder / "manifest.json").write_bytes(os.urandom(300))
    else:
        (folder / "manifest.json").write_text("[1, 2]", "utf-8")
    result = cli(config, "build", str(PERIOD))
    assert result.exit_code == 0, result.output
    kept = folder / f"tracker-{PERIOD}.edited-1.xlsx"
    assert kept.read_bytes() == edited
    assert f"Your edited copy was kept as outputs/{PERIOD}/{kept.name}" in result.output
    assert tracker.read_bytes() != edited
    manifest_data = consistent(config)
    # Every other output is the same bytes as before (no save time in them), so only the
    # edited one is kept, even with no manifest to vouch for the rest.
    assert [k["path"] for k in manifest_data["kept_edits"]] == [kept.name]


def test_an_output_identical_to_its_new_version_is_not_kept_as_an_edit(config: Config) -> None:
    folder = config.outputs_dir(PERIOD)
    (folder / "manifest.json").unlink()
    assert cli(config, "build", str(PERIOD)).exit_code == 0
    assert not list(folder.rglob("*.edited-*"))  # every output's bytes are reproducible
    consistent(config)


def test_files_written_before_the_first_build_are_not_treated_as_edits(tmp_path: Path) -> None:
    config = write_workspace(tmp_path / "ws")
    returns_for(config)
    assert cli(config, "check", str(PERIOD)).exit_code in (0, 1)
    assert cli(config, "build", str(PERIOD)).exit_code == 0
    assert not list(config.outputs_dir(PERIOD).rglob("*.edited-*"))


# --------------------------------------------------------------------------- history


def _damage(path: Path, how: str) -> None:
    if how == "truncated":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif how == "random":
        path.write_bytes(random.Random(16).randbytes(path.stat().st_size))
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "foreign":
        path.unlink()
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE contacts (name TEXT)")
        db.commit()
        db.close()
    elif how == "no-tables":  # a sound SQLite file holding nothing
        path.unlink()
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE scratch (x)")
        db.execute("DROP TABLE scratch")
        db.commit()
        db.close()
    elif how == "corrupt-page":
        data = bytearray(path.read_bytes())
        for offset in range(4096 * 2, min(len(data), 4096 * 6)):
            data[offset] = 0xA5
        path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "how", ["truncated", "random", "empty", "foreign", "no-tables", "corrupt-page"]
)
@pytest.mark.parametrize("command", ["history", "check", "build"])
def test_damaged_empty_or_foreign_history_is_refused_and_left_alone(
    config: Config, how: str, command: str
) -> None:
    _damage(config.history_path, how)
    before = state(config.root)
    args = [command] if command == "history" else [command, str(PERIOD)]
    result = cli(config, *args)
    one_error_line(result, "history.sqlite")
    assert "history check" in result.output or "history restore" in result.output
    assert state(config.root) == before


def test_missing_history_is_not_started_afresh_while_outputs_name_its_builds(
    config: Config,
) -> None:
    config.history_path.unlink()
    before = state(config.root)
    one_error_line(cli(config, "build", str(PERIOD)), "history.sqlite is missing")
    assert not config.history_path.exists()
    assert state(config.root) == before


def test_each_build_backs_up_history_keeping_the_last_n(built_once: Path, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(built_once, root)
    shutil.rmtree(root / "backups", ignore_errors=True)
    text = (root / "config.toml").read_text("utf-8").replace("kept = 10", "kept = 2")
    (root / "config.toml").write_text(text, "utf-8")
    config = load_config(root)
    for _ in range(3):
        assert cli(config, "build", str(PERIOD)).exit_code == 0
    backups = sorted((root / "backups").iterdir())
    assert len(backups) == 2
    assert all(p.name.startswith("history-") and p.suffix == ".sqlite" for p in backups)
    for backup in backups:
        db = sqlite3.connect(backup)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT DISTINCT period FROM builds").fetchall() == [(str(PERIOD),)]
        db.close()
    assert "backups/" in (REPOSITORY / ".gitignore").read_text("utf-8").splitlines()


def test_history_check_and_restore_put_back_a_sound_copy(config: Config) -> None:
    assert cli(config, "build", str(PERIOD)).exit_code == 0  # takes a backup of July's history
    (backup,) = sorted((config.root / "backups").glob("history-*.sqlite"))
    checked = cli(config, "history", "check")
    assert checked.exit_code == 0, checked.output
    assert f"history.sqlite: sound; holds {PERIOD} (2 builds)." in checked.output
    assert f"backup {backup.name}: holds {PERIOD} (1 build)" in checked.output

    _damage(config.history_path, "random")
    damaged = config.history_path.read_bytes()
    checked = cli(config, "history", "check")
    one_error_line(checked, "history.sqlite cannot be used")
    assert f"backup {backup.name}: holds {PERIOD} (1 build)" in checked.output

    declined = CliRunner().invoke(
        main, ["-C", str(config.root), "history", "restore", backup.name], input="n\n"
    )
    assert declined.exit_code == 0 and "Nothing was restored." in declined.output
    assert config.history_path.read_bytes() == damaged

    restored = cli(config, "history", "restore", backup.name, "--yes")
    assert restored.exit_code == 0, restored.output
    assert f"{backup.name} holds {PERIOD} (1 build)." in restored.output
    assert "Restored history.sqlite from" in restored.output
    replaced = next((config.root / "backups").glob("history-replaced-*.sqlite"))
    assert replaced.read_bytes() == damaged  # what it replaced is kept, byte for byte
    assert f"Outputs of {PERIOD} name builds this backup does not hold" in restored.output
    assert cli(config, "history").exit_code == 0
    assert cli(config, "build", str(PERIOD)).exit_code == 0
    consistent(config)


def test_history_restore_refuses_a_damaged_backup_or_an_unknown_name(config: Config) -> None:
    assert cli(config, "build", str(PERIOD)).exit_code == 0
    (backup,) = sorted((config.root / "backups").glob("history-*.sqlite"))
    before = config.history_path.read_bytes()
    unknown = cli(config, "history", "restore", "history-nope.sqlite", "--yes")
    assert unknown.exit_code == 2 and "No backup called history-nope.sqlite" in unknown.output
    _damage(backup, "empty")
    one_error_line(cli(config, "history", "restore", backup.name, "--yes"), "cannot be restored")
    assert config.history_path.read_bytes() == before


# --------------------------------------------------------------------------- the journal


@pytest.mark.parametrize("content", [b"", b"\xff\xfe garbage \x00", b'{"build_id": 3}', b"[]"])
def test_an_unreadable_journal_is_moved_aside_with_a_warning(
    config: Config, content: bytes
) -> None:
    folder = config.outputs_dir(PERIOD)
    (folder / JOURNAL).write_bytes(content)
    result = cli(config, "build", str(PERIOD))
    assert result.exit_code == 0, result.output
    assert f"Warning: outputs/{PERIOD}/{JOURNAL} could not be read" in " ".join(
        result.output.split()
    )
    assert (folder / ".build-journal.unreadable-1.json").read_bytes() == content
    consistent(config)


def test_the_journal_and_manifest_are_synced_before_they_are_used(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(handle: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{handle}") if sys.platform == "linux" else "")
        real_fsync(handle)

    monkeypatch.setattr(output_set.os, "fsync", fsync)
    build_period(config, PERIOD)
    folder = str(config.outputs_dir(PERIOD))
    if sys.platform == "linux":
        assert f"{folder}/.{JOURNAL}.partial" in synced
        assert f"{folder}/.manifest.json.partial" in synced
        assert synced.count(folder) >= 2  # the folder, after each rename


# --------------------------------------------------------------------------- concurrency


def _packbuilder(config: Config, *args: str, **more: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "packbuilder", "-C", str(config.root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **more,  # type: ignore[call-overload]
    )


def test_two_checks_at_once_both_finish_without_a_race(config: Config) -> None:
    alone = cli(config, "check", str(PERIOD)).exit_code
    for _ in range(3):
        pair = [_packbuilder(config, "check", str(PERIOD)) for _ in range(2)]
        outputs = [process.communicate(timeout=120) for process in pair]
        for process, (stdout, stderr) in zip(pair, outputs, strict=True):
            assert "Traceback" not in stdout + stderr
            assert process.returncode == alone, stdout + stderr
    assert partials(config.root) == []


@pytest.mark.parametrize("command", [["check", str(PERIOD)], ["returns", "make", str(PERIOD)]])
def test_a_writing_command_waits_then_says_the_workspace_is_busy(
    config: Config, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    from packbuilder.lock import workspace_lock

    monkeypatch.setattr("packbuilder.lock.WAIT_SECONDS", 0.3)
    before = state(config.root)
    with workspace_lock(config):
        started = time.monotonic()
        result = cli(config, *command)
    assert time.monotonic() - started >= 0.3
    one_error_line(result, "Another packbuilder command is running in this workspace")
    assert state(config.root) == before


# --------------------------------------------------------------------------- signals


STOP_AT = """
import os, signal, sys
import packbuilder.output_set as output_set
step, number = sys.argv[1], int(sys.argv[2])
def stop(name):
    if name == step:
        os.kill(os.getpid(), number)
output_set.checkpoint = stop
sys.argv = ["packbuilder", *sys.argv[3:]]
from packbuilder.cli import run
run()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="Windows has neither SIGTERM nor SIGHUP")
@pytest.mark.parametrize(
    ("step", "name", "code"),
    [
        ("check outputs written", "SIGTERM", 143),
        ("history recorded", "SIGTERM", 143),
        (f"moved in {TRACKER}", "SIGTERM", 143),
        ("manifest written", "SIGHUP", 129),
    ],
)
def test_sigterm_or_sighup_at_a_step_stops_like_ctrl_c(
    config: Config, step: str, name: str, code: int
) -> None:
    returns_for(config, {"head-of-comms": {"1A1": {"progress": "Green", "evidence": "Done"}}})
    before = state(config.root)
    number = int(getattr(signal, name))
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            STOP_AT,
            step,
            str(number),
            "-C",
            str(config.root),
            "build",
            "2023-07",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPOSITORY / "tests",
    )
    assert done.returncode == code, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "Stopped. Outputs already in place were left as they were." in done.stderr
    assert state(config.root) == before  # undone on the way out, as after Ctrl+C
    assert partials(config.root) == []
    consistent(config)


# --------------------------------------------------------------------------- after a crash


STEPS = [
    "check outputs written",
    "reports written",
    "tracker written",
    "journal written",
    "history recorded",
    f"moved aside outputs/{PERIOD}/manifest.json",
    f"moved in {TRACKER}",
    "manifest written",
    "history committed",
]


class Killed(BaseException):
    """A build killed at a step: no clean-up of its own runs."""


@pytest.mark.parametrize("command", ["check", "history"])
@pytest.mark.parametrize("step", STEPS)
def test_check_and_history_after_a_killed_build_recover_first(
    config: Config, monkeypatch: pytest.MonkeyPatch, step: str, command: str
) -> None:
    returns_for(config, {"head-of-comms": {"1A1": {"progress": "Green", "evidence": "Done"}}})

    def stop_at(name: str) -> None:
        if name == step:
            raise Killed(name)

    monkeypatch.setattr(output_set, "checkpoint", stop_at)
    monkeypatch.setattr(output_set, "_abandon", lambda config, journal: None)
    with pytest.raises(Killed):
        build_period(config, PERIOD)
    monkeypatch.undo()

    journal_left = (config.outputs_dir(PERIOD) / JOURNAL).exists()
    args = [command] if command == "history" else [command, str(PERIOD)]
    result = cli(config, *args)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    if journal_left:
        assert f"{PERIOD}: An earlier build of this period was stopped" in result.output
    # Recovered: the folder is one whole set, as history says.
    manifest = consistent(config, checked=command == "check")
    if command == "history":
        row = next(line for line in result.output.splitlines() if line.startswith(f"│ {PERIOD}"))
        builds = 2 if step == "history committed" else 1
        assert [c.strip() for c in row.split("│")[1:-1]][2] == str(builds)
    assert manifest["period"] == str(PERIOD)
