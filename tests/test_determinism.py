"""The same inputs and history give the same bytes, whatever the clock says.

The bundled example's two months are built in two copies of the workspace, the second at a
later time on the clock, and every output the manifests list (tracker, validation.xlsx,
feedback workbooks, the Word reports with the DfE version, the web pages) must hash the same;
so must what ``check`` writes afterwards. Only the manifest's own build id and build time, its
record of which build this was, may differ.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import time
import zipfile
from pathlib import Path

from click.testing import CliRunner
from corpus_check import copy_workspace

from packbuilder.cli import main
from packbuilder.fixed_time import ZIP_TIME

MONTHS = ("2023-07", "2023-08")
# A zip entry's timestamp counts in two seconds; a document property in one.
CLOCK_STEP = 2.1
# What a manifest records about the build itself rather than about its files.
BUILD_RECORD = {"build_id", "built_at"}


def _run(workspace: Path, *args: str) -> int:
    result = CliRunner().invoke(main, ["-C", str(workspace), *args])
    assert "Traceback" not in result.output, result.output
    return result.exit_code


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _build_both_months(workspace: Path, started: dict[str, float]) -> dict[str, dict[str, object]]:
    """Build each month (after the clock has moved on since the other copy's build of it)."""
    manifests = {}
    for month in MONTHS:
        if month in started:
            time.sleep(max(0.0, started[month] + CLOCK_STEP - time.time()))
        started[month] = time.time()
        assert _run(workspace, "build", month) == 0
        folder = workspace / "outputs" / month
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
        on_disk = _hashes(folder)
        on_disk.pop("manifest.json")
        assert on_disk == {o["path"]: o["sha256"] for o in manifest["outputs"]}
        manifests[month] = manifest
    return manifests


def _built_both_months(
    built_example: Path, copy: Path, started: dict[str, float]
) -> dict[str, dict[str, object]]:
    """The example built once for the run (conftest.py), copied: each month's manifest, and
    when it was built (to the second above), as ``_build_both_months`` gives them."""
    workspace = Path(shutil.copytree(built_example, copy))
    manifests = {}
    for month in MONTHS:
        folder = workspace / "outputs" / month
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
        on_disk = _hashes(folder)
        on_disk.pop("manifest.json")
        assert on_disk == {o["path"]: o["sha256"] for o in manifest["outputs"]}
        started[month] = dt.datetime.fromisoformat(manifest["built_at"]).timestamp() + 1
        manifests[month] = manifest
    return manifests


def test_the_example_s_two_months_give_the_same_bytes_at_another_time(
    tmp_path: Path, built_example: Path
) -> None:
    started: dict[str, float] = {}
    first = _built_both_months(built_example, tmp_path / "first", started)
    second = _build_both_months(copy_workspace(tmp_path / "second"), started)
    for month in MONTHS:
        outputs = {o["path"] for o in first[month]["outputs"]}  # type: ignore[attr-defined]
        assert {
            f"assurance-report-{month}.docx",
            f"exception-report-{month}.docx",
            f"tracker-{month}.xlsx",
            "validation.xlsx",
            "site/public/index.html",
            "site/board/index.html",
        } <= outputs
        assert any(path.startswith("feedback/") and path.endswith(".xlsx") for path in outputs)
        assert first[month]["build_id"] != second[month]["build_id"]
        assert {k: v for k, v in first[month].items() if k not in BUILD_RECORD} == {
            k: v for k, v in second[month].items() if k not in BUILD_RECORD
        }
    assert "assurance-report-2023-07-DfE.docx" in {
        o["path"]
        for o in first["2023-07"]["outputs"]  # type: ignore[attr-defined]
    }

    # check, run again on a built month, writes the same validation and feedback bytes.
    written = []
    for copy in ("first", "second"):
        workspace = tmp_path / copy
        time.sleep(CLOCK_STEP if copy == "second" else 0)
        assert _run(workspace, "check", "2023-08") == 1  # the example's August has an error
        hashes = _hashes(workspace / "outputs" / "2023-08")
        hashes.pop("manifest.json")  # the build's, with its own id and time
        written.append(hashes)
    assert written[0] == written[1]
    assert {"validation.xlsx", "feedback/chase-list.csv"} <= set(written[0])


def test_the_word_reports_are_dated_the_period_s_last_day(built_example: Path) -> None:
    workspace = built_example
    for name in ("assurance-report-2023-07.docx", "assurance-report-2023-07-DfE.docx"):
        data = (workspace / "outputs" / "2023-07" / name).read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            assert {i.date_time for i in package.infolist()} == {ZIP_TIME}
            core = package.read("docProps/core.xml")
        assert b">2023-07-31T12:00:00Z</dcterms:created>" in core
        assert b">2023-07-31T12:00:00Z</dcterms:modified>" in core
