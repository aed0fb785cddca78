"""What Windows does differently, tested on any platform: the office's CSV files as Excel saves
them, a console in cp1252, files held for a moment by a scanner, and many-core laptops.

The whole suite also runs imitating Windows' process model and console (Makefile test-windows,
docs/windows.md); these tests pin the behaviour that imitation cannot reach.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from returns_factory import PERIOD, write_workspace

from packbuilder import isolation
from packbuilder.checks.folder import read_received_csv
from packbuilder.plan import schema
from packbuilder.plan.writer import write_plan_workbook
from packbuilder.replace import replace_file

AUGUST_4 = dt.datetime(2023, 8, 4, 9, 15)


@pytest.mark.parametrize(
    "encoded",
    [
        "file,received\r\nRésumé – director.xlsx,04/08/2023 09:15\r\n".encode("cp1252"),
        "file,received\nRésumé – director.xlsx,2023-08-04 09:15\n".encode(),
        "\ufefffile,received\r\nRésumé – director.xlsx,04/08/2023 09:15\r\n".encode(),
    ],
    ids=["excel-csv-cp1252", "utf-8", "utf-8-bom"],
)
def test_received_csv_is_read_as_excel_on_windows_saves_it(tmp_path: Path, encoded: bytes) -> None:
    path = tmp_path / "received.csv"
    path.write_bytes(encoded)
    assert read_received_csv(path) == {"Résumé – director.xlsx": AUGUST_4}


def test_received_csv_names_a_file_by_its_windows_path(tmp_path: Path) -> None:
    path = tmp_path / "received.csv"
    path.write_bytes(b"file,received\r\nC:\\Mail\\return.xlsx,04/08/2023 09:15\r\n")
    assert read_received_csv(path) == {"return.xlsx": AUGUST_4}


def test_a_recorded_time_in_utc_is_compared_in_local_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from packbuilder.checks.folder import parse_time

    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    try:
        # 23:30 UTC on 31 July is 00:30 on 1 August in a British summer, as received.csv says.
        assert parse_time("2023-07-31T23:30:00Z") == dt.datetime(2023, 8, 1, 0, 30)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def _workspace_with_a_polish_officer(root: Path) -> Path:
    from returns_factory import ACTIONS, AREAS, OFFICERS, SUB_THEMES

    config = write_workspace(root)
    officers = [(o[0], "Łucja Dvořák", *o[2:]) if o[0] == "nhs-lead" else o for o in OFFICERS]
    write_plan_workbook(
        config.plan_path,
        {
            schema.OFFICERS: officers,
            schema.AREAS: AREAS,
            schema.SUB_THEMES: SUB_THEMES,
            schema.ACTIONS: ACTIONS,
        },
    )
    return root


def _run(root: Path, *args: str, encoding: str = "cp1252") -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONUTF8": "0"}
    return subprocess.run(
        [sys.executable, "-m", "packbuilder", "-C", str(root), *args],
        capture_output=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_a_cp1252_console_shows_a_name_it_cannot_spell_and_json_stays_utf8(
    tmp_path: Path,
) -> None:
    root = _workspace_with_a_polish_officer(tmp_path / "ws")
    plain = _run(root, "check", str(PERIOD))
    assert b"Traceback" not in plain.stdout + plain.stderr
    assert plain.returncode == 0, plain.stderr.decode("cp1252", "replace")
    assert "?ucja Dvo?ák" in plain.stdout.decode("cp1252")  # replaced, not a crash
    as_json = _run(root, "check", str(PERIOD), "--json")
    assert as_json.returncode == 0
    document = json.loads(as_json.stdout.decode("utf-8"))
    assert any("Łucja Dvořák" in f["message"] for f in document["findings"])


def test_chase_list_opens_in_excel_with_its_dashes_and_names(tmp_path: Path) -> None:
    from packbuilder.checks.outputs import write_check_outputs
    from packbuilder.commands.check import check_period
    from packbuilder.config import load_config

    root = _workspace_with_a_polish_officer(tmp_path / "ws")
    config = load_config(root)  # no returns: every officer is to chase
    outputs = write_check_outputs(config, check_period(config, PERIOD))
    raw = outputs.chase_list.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the mark Excel needs to read UTF-8
    assert raw.count(b"\r\n") == raw.count(b"\n") > 1
    assert "Łucja Dvořák" in raw.decode("utf-8-sig")


def test_workers_are_capped_where_wait_watches_at_most_63_handles(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert isolation.worker_cap("win32") * 2 <= 63
    monkeypatch.setattr(isolation.os, "cpu_count", lambda: 64)
    monkeypatch.setattr(isolation.sys, "platform", "win32")
    assert isolation.default_workers(500) == 31
    monkeypatch.setattr(isolation.sys, "platform", "linux")
    assert isolation.default_workers(500) == 64


def _sharing_violation(winerror: int) -> OSError:
    error = PermissionError(errno.EACCES, "The process cannot access the file")
    error.winerror = winerror  # type: ignore[attr-defined]  # as Windows sets it
    return error


class _Flaky:
    """os.replace that fails with ERRORS, in turn, before it succeeds."""

    def __init__(self, *errors: OSError) -> None:
        self.errors = list(errors)
        self.calls = 0
        self.real = os.replace

    def __call__(self, source: object, destination: object) -> None:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        self.real(source, destination)  # type: ignore[arg-type]


@pytest.mark.parametrize("winerror", [32, 33, 5])
def test_a_file_held_for_a_moment_is_replaced_after_a_short_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, winerror: int
) -> None:
    source, target = tmp_path / ".new.partial", tmp_path / "tracker.xlsx"
    source.write_text("new", "utf-8")
    target.write_text("old", "utf-8")
    flaky = _Flaky(_sharing_violation(winerror), _sharing_violation(winerror))
    monkeypatch.setattr(os, "replace", flaky)
    replace_file(source, target)
    assert (flaky.calls, target.read_text("utf-8"), source.exists()) == (3, "new", False)


@pytest.mark.parametrize(
    "error",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        OSError(errno.EROFS, "Read-only file system"),
        PermissionError(errno.EACCES, "Permission denied"),  # Linux: no winerror, no waiting
    ],
    ids=["no-space", "read-only", "permission-on-linux"],
)
def test_an_error_that_cannot_pass_is_raised_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError
) -> None:
    source, target = tmp_path / ".new.partial", tmp_path / "tracker.xlsx"
    source.write_text("new", "utf-8")
    flaky = _Flaky(error, error)
    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(OSError) as raised:
        replace_file(source, target)
    assert (raised.value is error, flaky.calls) == (True, 1)


def test_access_denied_on_a_missing_target_is_not_a_sharing_violation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target = tmp_path / ".new.partial", tmp_path / "tracker.xlsx"
    source.write_text("new", "utf-8")
    flaky = _Flaky(_sharing_violation(5))
    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(PermissionError):
        replace_file(source, target)
    assert flaky.calls == 1


def test_a_file_held_for_longer_is_reported_after_the_retry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target = tmp_path / ".new.partial", tmp_path / "tracker.xlsx"
    source.write_text("new", "utf-8")
    target.write_text("old", "utf-8")
    flaky = _Flaky(*[_sharing_violation(32)] * 100)
    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(PermissionError):
        replace_file(source, target, retry_seconds=0.3)
    assert 2 <= flaky.calls < 100
    assert target.read_text("utf-8") == "old"


def test_a_path_over_excel_s_limit_is_named_by_check_and_build(tmp_path: Path) -> None:
    from packbuilder.config import load_config
    from packbuilder.paths import EXCEL_PATH_LIMIT, long_path_warning

    deep = tmp_path / ("OneDrive - Kent County Council" + "x" * 10) / ("SEND APP" + "y" * 20)
    root = _workspace_with_a_polish_officer(deep / "ws")
    config = load_config(root)
    assert long_path_warning(config, PERIOD) == ""  # short names: under the limit
    folder = config.returns_dir(PERIOD)
    folder.mkdir(parents=True)
    name = "Return from the Designated Clinical Officer, corrected after the call " * 2
    received = folder / f"{name.strip()[: 250 - len(str(folder))]}.xlsx"
    received.write_bytes(b"")
    warning = long_path_warning(config, PERIOD)
    assert warning.startswith("The path ") and f"over the {EXCEL_PATH_LIMIT}" in warning
    assert str(config.outputs_dir(PERIOD) / "feedback") in warning  # the longest: its feedback
    done = _run(root, "check", str(PERIOD), "--json", encoding="utf-8")
    assert b"Warning: The path" in done.stderr
    json.loads(done.stdout)  # the JSON on stdout is whole


def test_plan_check_warns_of_a_return_name_too_long_for_excel(tmp_path: Path) -> None:
    deep = tmp_path / ("z" * 150)
    root = _workspace_with_a_polish_officer(deep / "ws")
    done = _run(root, "plan", "check", encoding="utf-8")
    assert done.returncode == 0, done.stderr
    shown = f"{os.sep}returns{os.sep}2000-01 Return - Director of Education and SEND.xlsx is "
    assert shown.encode() in done.stderr
