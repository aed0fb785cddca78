"""The guarantees of issue 8 over the bundled example: nothing in inputs/ touched, nothing lost
or changed silently, no returned text turned into a formula, link or template code, and a
build killed at any moment or run twice at once leaving one whole, consistent set.

Each test works on its own copy of the repository's workspace (config.toml, inputs/,
templates/). The build's own step-by-step atomicity tests are in tests/test_build.py; these
are the cross-cutting ones, on the real example and through the command line.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from corpus_check import copy_workspace
from hostile_corpus import build_corpus

from packbuilder.cli import main
from packbuilder.config import load_config
from packbuilder.model import Period
from packbuilder.returns import layout

PERIOD = "2023-07"
MARKETING = "2023-07 Return - Marketing and Resident Experience Partner.xlsx"
HOSTILE = (
    '=HYPERLINK("http://x","y")',
    "+1",
    "@SUM(A1)",
    "http://example.com",
    "{{ 7*7 }}",
    "{% if x %}",
    "<b>&amp;",
    "-2+3",
)


def _tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _cli(workspace: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["-C", str(workspace), *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _load(path: Path) -> openpyxl.Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # openpyxl drops sparklines, and says so
        return openpyxl.load_workbook(path)


# --------------------------------------------------------------------------- inputs untouched


def test_every_input_is_byte_identical_after_every_command(tmp_path: Path) -> None:
    workspace = copy_workspace(tmp_path / "ws")
    folder = workspace / "inputs" / "returns" / PERIOD
    source = folder / MARKETING
    other = folder / "2023-07 Return - Chief Nurse NHS Kent and Medway.xlsx"
    build_corpus(source, other, folder / "hostile", slow=False)  # hostile files are inputs too
    before = _tree(workspace / "inputs")
    templates = _tree(workspace / "templates")
    for command, expected in (
        (["returns", "make", "2023-08"], 0),
        (["check", PERIOD], 1),
        (["build", PERIOD], 0),
        (["build", "2023-08"], 0),
    ):
        code, output = _cli(workspace, *command)
        assert code == expected, (command, output)
        assert _tree(workspace / "inputs") == before, command
        assert _tree(workspace / "templates") == templates, command


# --------------------------------------------------------------------------- nothing lost


def _typed(path: Path) -> dict[str, dict[str, object]]:
    """What an officer typed on each reporting row: action -> column key -> cell value."""
    sheet = _load(path)[layout.RETURN_SHEET]
    keys = ("progress", "impact", "progress_commentary", "evidence", "risks", "next_milestone")
    typed: dict[str, dict[str, object]] = {}
    for row in range(layout.FIRST_ROW, sheet.max_row + 1):
        role = sheet[f"{layout.COLUMN_BY_KEY['role'].letter}{row}"].value
        action = sheet[f"A{row}"].value
        if action and role == layout.ROLE_REPORTING:
            typed[str(action)] = {
                k: sheet[f"{layout.COLUMN_BY_KEY[k].letter}{row}"].value for k in keys
            }
            typed[str(action)]["row"] = row
    return typed


_TRACKER_COLUMNS = {
    "progress": "Progress",
    "impact": "Impact",
    "progress_commentary": "Commentary",
    "evidence": "Evidence of impact",
    "risks": "Key risks or issues",
    "next_milestone": "Next milestone",
}


def _hostile_return(workspace: Path) -> dict[str, dict[str, object]]:
    """Fill the marketing partner's return with hostile text, a Red rating and a tidied one."""
    path = workspace / "inputs" / "returns" / PERIOD / MARKETING
    workbook = _load(path)
    sheet = workbook[layout.RETURN_SHEET]
    for index, action in enumerate(_typed(path)):
        row = _typed(path)[action]["row"]
        texts = {
            "progress": "Red" if index else " amber ",
            "impact": "Red",
            "progress_commentary": HOSTILE[index % len(HOSTILE)],
            "evidence": HOSTILE[(index + 1) % len(HOSTILE)],
            "risks": HOSTILE[(index + 2) % len(HOSTILE)],
            "next_milestone": HOSTILE[(index + 3) % len(HOSTILE)],
        }
        for key, value in texts.items():
            cell = sheet[f"{layout.COLUMN_BY_KEY[key].letter}{row}"]
            cell.value = value
            cell.data_type = "s"  # typed as text, as Excel stores '=… typed after an apostrophe
    workbook.save(path)
    return _typed(path)


def test_every_returned_value_reaches_the_tracker_or_a_finding(tmp_path: Path) -> None:
    workspace = copy_workspace(tmp_path / "ws")
    hostile = _hostile_return(workspace)
    code, output = _cli(workspace, "build", PERIOD)
    assert code == 0, output
    tracker = _load(workspace / "outputs" / PERIOD / f"tracker-{PERIOD}.xlsx")
    rows = list(tracker["Tracker"].iter_rows(values_only=True))
    by_action = {str(r[0]): dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    validation = list(tracker["Validation"].iter_rows(values_only=True))
    noted = {(r[2], r[4]): r[1] for r in validation[1:]}  # (file, cell) -> code
    folder = workspace / "inputs" / "returns" / PERIOD
    compared = changed = 0
    for path in sorted(folder.glob("*Return*.xlsx")):
        for action, typed in _typed(path).items():
            row = by_action[action]
            if row["Source file"] != path.name or row["Return status"] != "Updated":
                continue
            for key, column in _TRACKER_COLUMNS.items():
                value, shown = typed[key], row[column]
                cell = f"{layout.COLUMN_BY_KEY[key].letter}{typed['row']}"
                compared += 1
                if (value or None) == shown:
                    continue
                changed += 1
                assert (path.name, cell) in noted, (path.name, cell, value, shown)
    assert compared > 400
    assert changed >= 1  # the ' amber ' typed above, tidied to Amber with a note
    first = next(iter(hostile))
    assert by_action[first]["Progress"] == "Amber"
    assert (
        noted[(MARKETING, f"{layout.COLUMN_BY_KEY['progress'].letter}{hostile[first]['row']}")]
        == "rating-normalised"
    )


# --------------------------------------------------------------------------- no code from text


_FIELD = re.compile(r"<w:(instrText|fldSimple|hyperlink)\b[^>]*>", re.S)


def _docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_returned_text_never_becomes_a_formula_link_or_template_code(tmp_path: Path) -> None:
    workspace = copy_workspace(tmp_path / "ws")
    plain = copy_workspace(tmp_path / "plain")
    _hostile_return(workspace)
    for folder in (workspace, plain):
        code, output = _cli(folder, "build", PERIOD)
        assert code == 0, output
    outputs, plain_outputs = workspace / "outputs" / PERIOD, plain / "outputs" / PERIOD

    tracker = _load(outputs / f"tracker-{PERIOD}.xlsx")
    found = set()
    for sheet in tracker:
        assert not sheet._hyperlinks, sheet.title
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value in HOSTILE:
                    assert cell.data_type == "s", (sheet.title, cell.coordinate, cell.value)
                    found.add(cell.value)
                if cell.data_type == "f":
                    assert not any(h.lstrip("=+@-") in str(cell.value) for h in HOSTILE[:3])
    assert found == set(HOSTILE)

    reports = sorted(outputs.glob("*.docx"))
    assert reports
    exception = _docx_text(outputs / f"exception-report-{PERIOD}.docx")
    assert "{{ 7*7 }}" in exception or "{% if x %}" in exception
    seen = set()
    for report in reports:
        text = _docx_text(report)
        seen |= {h for h in HOSTILE if h in text}
        with (
            zipfile.ZipFile(report) as docx_zip,
            zipfile.ZipFile(plain_outputs / report.name) as plain_zip,
        ):
            xml = docx_zip.read("word/document.xml").decode()
            plain_xml = plain_zip.read("word/document.xml").decode()
        # The same fields and links as the report built from untouched returns: none added.
        assert len(_FIELD.findall(xml)) == len(_FIELD.findall(plain_xml)), report.name
        assert "http://x" not in "".join(re.findall(r'w:instr="[^"]*"', xml))
    assert "49" not in "".join(h for h in seen)
    assert seen >= {"{{ 7*7 }}", "{% if x %}", '=HYPERLINK("http://x","y")'}, seen


# --------------------------------------------------------------------------- killed builds


def _consistent(workspace: Path, allowed: set[str]) -> str:
    """The period's folder is exactly its manifest's set, and history recorded that build."""
    from packbuilder.commands.recovery import recover_interrupted_build
    from packbuilder.history import History
    from packbuilder.output_set import JOURNAL, read_manifest

    config = load_config(workspace)
    period = Period(2023, 7)
    recover_interrupted_build(config, period)
    folder = config.outputs_dir(period)
    manifest = read_manifest(folder)
    assert manifest is not None
    described = {o["path"]: o["sha256"] for o in manifest["outputs"]}
    found = {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "manifest.json" and "returns" not in p.parts[-2:-1]
    }
    assert found == described
    assert not (folder / JOURNAL).exists()
    with History.open(config) as history:
        latest = history.latest_build(period)
    assert latest is not None and latest.build_id == manifest["build_id"]
    assert manifest["build_id"] in allowed or not allowed
    return str(manifest["build_id"])


def _start_build(workspace: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "packbuilder", "-C", str(workspace), "build", PERIOD],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the kill takes its workers too
    )


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_build_killed_at_random_moments_leaves_one_whole_set(tmp_path: Path) -> None:
    workspace = copy_workspace(tmp_path / "ws")
    code, output = _cli(workspace, "build", PERIOD)
    assert code == 0, output
    builds = {_consistent(workspace, set())}
    _hostile_return(workspace)  # so that the new set differs from the previous one
    started = time.perf_counter()
    complete = _start_build(workspace)
    complete.communicate(timeout=300)
    full = time.perf_counter() - started
    builds.add(_consistent(workspace, set()))
    delays = [random.Random(seed).uniform(0.2, full) for seed in range(4)]
    print(
        f"\nbuild of the example: {full:.1f} s; killed after "
        + ", ".join(f"{d:.2f} s" for d in delays)
    )
    for delay in delays:
        process = _start_build(workspace)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=60)
        manifest_id = _consistent(workspace, set())
        builds.add(manifest_id)
        code, output = _cli(workspace, "build", PERIOD)  # and the next build still works
        assert code == 0, output
        builds.add(_consistent(workspace, set()))


@pytest.mark.slow
def test_two_builds_at_once_the_second_waits_or_is_told_the_workspace_is_busy(
    tmp_path: Path,
) -> None:
    workspace = copy_workspace(tmp_path / "ws")
    first = _start_build(workspace)
    staging = workspace / "outputs" / f".staging-{PERIOD}"
    deadline = time.monotonic() + 120
    while first.poll() is None and not staging.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert first.poll() is None, "the first build ended before the second could start"
    second = subprocess.run(
        [sys.executable, "-m", "packbuilder", "-C", str(workspace), "build", PERIOD],
        capture_output=True,
        text=True,
        timeout=120,
    )
    stdout, stderr = first.communicate(timeout=300)
    # The second waits up to 5 seconds for the first: then it either builds after it or says
    # the workspace is busy; never both at once.
    assert first.returncode == 0, stdout + stderr
    if second.returncode == 3:
        assert "Another packbuilder command is running" in second.stdout + second.stderr
    else:
        assert second.returncode == 0 and "Built July 2023" in second.stdout, second.stderr
    assert "Traceback" not in second.stdout + second.stderr + stdout + stderr
    _consistent(workspace, set())
    assert json.loads((workspace / "outputs" / PERIOD / "manifest.json").read_text("utf-8"))
