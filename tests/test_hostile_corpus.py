"""The hostile and broken corpus, checked: every bad file named with its finding, nothing lost.

A small workspace (tests/returns_factory.py) with two officers' clean returns in the period's
folder, and the corpus (tests/hostile_corpus.py) made from the third officer's clean return
beside them. received.csv says the corpus arrived first, as an officer's broken attempts
before the good one would. Each case is checked alone against its expected codes, then the
whole folder is checked in-process and through the command line. The bombs are marked slow.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hostile_corpus import CONTROL_READ, LONG_TEXT, MARKUP_COMMENTARY, Case, build_corpus
from returns_factory import (
    DIRECTOR,
    PERIOD,
    check_dir,
    check_one,
    context,
    fill_clean,
    make_blank_returns,
    reported,
    write_workspace,
)

from packbuilder.checks import run as run_module
from packbuilder.checks.context import CheckContext
from packbuilder.config import Config
from packbuilder.model import FileStatus, ReturnFile, Severity

CLEAN_OFFICERS = ("head-of-comms", "nhs-lead")


class Workspace:
    def __init__(self, root: Path) -> None:
        self.config: Config = write_workspace(root)
        blank = make_blank_returns(self.config)
        self.folder = self.config.returns_dir(PERIOD)
        sources = root / "sources"
        self.clean = fill_clean(blank[DIRECTOR], sources / "director.xlsx", DIRECTOR)
        self.other = fill_clean(blank["nhs-lead"], sources / "nhs-lead.xlsx", "nhs-lead")
        self.clean_names = []
        for officer in CLEAN_OFFICERS:
            name = f"2023-07 Return - {officer}.xlsx"
            fill_clean(blank[officer], self.folder / name, officer)
            self.clean_names.append(name)
        self.ctx: CheckContext = context(self.config)

    def received(self, cases: list[Case], under: str) -> None:
        """received.csv: the corpus on 1 August, the clean returns on 3 August; saved by Excel
        on Windows as "CSV (Comma delimited)", so in cp1252 with CRLF (the dash below)."""
        lines = ["file,received", "Notes – not sent.docx,31/07/2023 17:00"]
        lines += [f"{c.name},2023-08-01 09:00" for c in cases]
        lines += [f"{name},03/08/2023 09:00" for name in self.clean_names]
        (self.folder / "received.csv").write_bytes("\r\n".join(lines).encode("cp1252"))
        assert (self.folder / under).is_dir()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def fast_cases(workspace: Workspace) -> list[Case]:
    cases = build_corpus(workspace.clean, workspace.other, workspace.folder / "corpus", slow=False)
    workspace.received(cases, "corpus")
    return cases


def _codes(file: ReturnFile) -> list[str]:
    return sorted({f.code for f in file.findings})


def _alone(workspace: Workspace, cases: list[Case], under: str) -> dict[str, list[str]]:
    return {
        c.name: _codes(check_one(workspace.folder / under / c.name, workspace.ctx)) for c in cases
    }


def test_the_corpus_covers_every_kind_of_bad_file(fast_cases: list[Case]) -> None:
    names = {c.name for c in fast_cases}
    assert len(fast_cases) == len(names)
    assert {"empty.xlsx", "billion-laughs.xlsx", "last-cell.xlsx", "merged-inputs.xlsx"} <= names
    if shutil.which("soffice"):
        assert {"legacy.xls", "legacy-renamed.xlsx"} <= names


def test_each_case_alone_gets_exactly_its_findings(
    workspace: Workspace, fast_cases: list[Case]
) -> None:
    expected = {c.name: sorted(set(c.codes)) for c in fast_cases}
    assert _alone(workspace, fast_cases, "corpus") == expected


def test_every_case_that_is_not_clean_is_refused_or_queried(
    workspace: Workspace, fast_cases: list[Case]
) -> None:
    for case in fast_cases:
        file = check_one(workspace.folder / "corpus" / case.name, workspace.ctx)
        errors = [f for f in file.findings if f.severity is Severity.ERROR]
        queries = [f for f in file.findings if f.severity is not Severity.INFO]
        if case.clean_rows:
            assert (case.name, file.status, errors) == (case.name, FileStatus.COUNTED, [])
            assert [u.action_id for u in file.updates] == reported(DIRECTOR)
            assert not any(u.row_rejected or u.rejected for u in file.updates), case.name
        elif case.codes in (("lock-file",), ("system-file",)):
            assert file.status is FileStatus.SKIPPED, case.name
        else:
            assert file.status is not FileStatus.COUNTED or queries, case.name


def _update(workspace: Workspace, name: str, action_id: str = "1A2") -> dict[str, object]:
    file = check_one(workspace.folder / "corpus" / name, workspace.ctx)
    update = next(u for u in file.updates if u.action_id == action_id)
    return {
        "progress": update.progress.value if update.progress else None,
        "progress_commentary": update.progress_commentary,
        "revised_end_date": update.revised_end_date,
        "revised_reason": update.revised_reason,
    }


def test_clean_cases_keep_their_values_as_typed(
    workspace: Workspace, fast_cases: list[Case]
) -> None:
    assert _update(workspace, "dates-1904.xlsx")["revised_end_date"] == dt.date(2024, 3, 31)
    assert _update(workspace, "date-as-text.xlsx")["revised_end_date"] == dt.date(2023, 12, 31)
    assert _update(workspace, "control-characters.xlsx")["progress_commentary"] == CONTROL_READ
    assert _update(workspace, "markup-in-text.xlsx")["progress_commentary"] == MARKUP_COMMENTARY
    # The first action row is hidden: it is read all the same.
    assert _update(workspace, "hidden-rows-extra-sheet.xlsx") == _update(
        workspace, "wrong-dimension.xlsx"
    )
    assert _update(workspace, "wrong-dimension.xlsx") == {
        "progress": "Amber",
        "progress_commentary": "Work on 1A2 is on track this month.",
        "revised_end_date": None,
        "revised_reason": "",
    }


def test_text_over_the_cell_limit_is_cut_with_a_warning(
    workspace: Workspace, fast_cases: list[Case]
) -> None:
    file = check_one(workspace.folder / "corpus" / "text-40000.xlsx", workspace.ctx)
    update = next(u for u in file.updates if u.action_id == "1A2")
    limit = workspace.config.settings.limits.max_chars_per_cell
    assert update.progress_commentary == LONG_TEXT[:limit]
    [cut] = [f for f in file.findings if f.code == "text-truncated"]
    assert (cut.severity, cut.cell) == (Severity.WARNING, "M5")
    assert f"{len(LONG_TEXT):,}" in cut.message and f"{limit:,}" in cut.message


def test_error_values_and_merges_are_reported_as_the_officer_sees_them(
    workspace: Workspace, fast_cases: list[Case]
) -> None:
    error = check_one(workspace.folder / "corpus" / "error-cell.xlsx", workspace.ctx)
    assert [(f.code, f.cell, f.value) for f in error.findings] == [
        ("rating-not-allowed", "K5", "#DIV/0!")
    ]
    merged = check_one(workspace.folder / "corpus" / "merged-inputs.xlsx", workspace.ctx)
    assert [(f.code, f.cell, f.value) for f in merged.findings] == [
        ("merged-cells", "K5", "K5:M5"),
        ("rating-missing", "L5", ""),  # what the officer typed there went into K5
        ("commentary-missing", "M5", ""),
    ]
    extra = check_one(workspace.folder / "corpus" / "hidden-rows-extra-sheet.xlsx", workspace.ctx)
    assert [(f.code, f.severity, f.sheet) for f in extra.findings] == [
        ("extra-sheet", Severity.INFO, "My notes")
    ]


def test_clean_returns_beside_the_corpus_still_count(
    workspace: Workspace, fast_cases: list[Case]
) -> None:
    report = check_dir(workspace.folder, workspace.config, workspace.ctx)
    by_name = {f.name: f for f in report.files}
    for name, officer in zip(workspace.clean_names, CLEAN_OFFICERS, strict=True):
        file = by_name[name]
        assert (file.status, file.officer_id, file.findings) == (FileStatus.COUNTED, officer, [])
        assert [u.action_id for u in file.updates] == reported(officer)
        assert not any(u.row_rejected or u.rejected for u in file.updates)
    for case in fast_cases:
        named = [f for f in by_name[case.name].findings if f.file == case.name]
        if case.clean_rows:  # the director's clean copies: the newest counts, the rest give way
            assert by_name[case.name].status in (FileStatus.COUNTED, FileStatus.SUPERSEDED)
            continue
        assert named, f"{case.name} has no finding naming it"
        assert set(case.codes) <= {f.code for f in named}, case.name
    counted = [f.name for f in report.files if f.status is FileStatus.COUNTED]
    assert sorted(counted) == sorted([*workspace.clean_names, max(counted)])


def _cli(workspace: Workspace, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "packbuilder", "-C", str(workspace.config.root), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_command_on_the_corpus_names_every_file_and_prints_no_traceback(
    workspace: Workspace, fast_cases: list[Case]
) -> None:
    plain = _cli(workspace, "check", "2023-07")
    assert "Traceback" not in plain.stdout + plain.stderr
    assert plain.returncode == 1, plain.stdout + plain.stderr
    # The files that are not returns are named, the first twenty, then a count.
    not_returns = re.split(
        r"Not read:|Still to chase:|Every finding:", plain.stdout.split("Not returns:\n")[1]
    )[0]
    named_lines = [line.strip() for line in not_returns.strip().splitlines()]
    assert "Warning" not in plain.stderr and "site-packages" not in plain.stderr
    listed = json.loads(_cli(workspace, "check", "2023-07", "--json").stdout)["files"]
    foreign = sorted(f["file"] for f in listed if f["status"] == "Not a return")
    shown = min(len(foreign), 20)
    assert [line.split(": ")[0] for line in named_lines[:shown]] == foreign[:shown]
    if len(foreign) > 20:
        assert named_lines[-1] == f"and {len(foreign) - 20} more: see validation.xlsx"
    else:
        assert len(named_lines) == len(foreign)
    as_json = _cli(workspace, "check", "2023-07", "--json")
    assert "Traceback" not in as_json.stderr
    assert as_json.returncode == 1
    document = json.loads(as_json.stdout)
    status = {f["file"]: f["status"] for f in document["files"]}
    named = {f["file"] for f in document["findings"]}
    for name in workspace.clean_names:
        assert status[name] == "Counted"
    for case in fast_cases:
        assert case.name in status, case.name
        assert case.clean_rows or case.name in named, case.name
    assert document["missing"]["officers"] == []


@pytest.mark.slow
def test_the_bombs_are_refused_unread(workspace: Workspace) -> None:
    out = workspace.folder.parent / "bombs"  # another period's folder: the fast cases stay put
    cases = build_corpus(workspace.clean, workspace.other, out, slow=True, fast=False)
    assert {c.name for c in cases} == {
        "zip-bomb.xlsx",
        "huge-shared-string.xlsx",
        "lying-sizes.xlsx",
    }
    expected = {c.name: sorted(set(c.codes)) for c in cases}
    found = {c.name: _codes(check_one(out / c.name, workspace.ctx)) for c in cases}
    assert found == expected
    lying = check_one(out / "lying-sizes.xlsx", workspace.ctx)
    assert "checksum" in lying.findings[0].value  # caught by inflating, not by the declared size


# --------------------------------------------------------------------------- each limit


def _limited(tmp_path: Path, **limits: float) -> tuple[Config, dict[str, Path]]:
    """A workspace whose config.toml sets LIMITS, and the period's blank returns."""
    import re

    from packbuilder.config import load_config

    config = write_workspace(tmp_path / "ws")
    text = config.root.joinpath("config.toml").read_text("utf-8")
    for key, value in limits.items():
        text, count = re.subn(rf"(?m)^{key} = .*$", f"{key} = {value}", text)
        assert count == 1, key
    config.root.joinpath("config.toml").write_text(text, "utf-8")
    config = load_config(config.root)
    return config, make_blank_returns(config)


def _check(config: Config) -> dict[str, ReturnFile]:
    from packbuilder.commands.check import check_period

    return {f.name: f for f in check_period(config, PERIOD).files}


def _refused_with(file: ReturnFile) -> list[tuple[str, FileStatus, int]]:
    return [(f.code, file.status, len(file.updates)) for f in file.findings]


def test_limit_max_file_bytes(tmp_path: Path) -> None:
    config, blank = _limited(tmp_path, max_file_bytes=5000)
    fill_clean(blank[DIRECTOR], config.returns_dir(PERIOD) / "a.xlsx", DIRECTOR)
    file = _check(config)["a.xlsx"]
    assert _refused_with(file) == [("file-too-large", FileStatus.REJECTED, 0)]
    assert "over the limit of 5,000 bytes" in file.findings[0].message


def test_limit_max_uncompressed_bytes(tmp_path: Path) -> None:
    config, blank = _limited(tmp_path, max_uncompressed_bytes=20000)
    fill_clean(blank[DIRECTOR], config.returns_dir(PERIOD) / "a.xlsx", DIRECTOR)
    file = _check(config)["a.xlsx"]
    assert _refused_with(file) == [("uncompressed-too-large", FileStatus.REJECTED, 0)]


def test_limit_max_compression_ratio(tmp_path: Path) -> None:
    config, blank = _limited(tmp_path, max_compression_ratio=20.0)
    long = {"progress_commentary": "On track. " * 3000, "evidence": "Minutes. " * 3000}
    change = {a: long for a in reported(DIRECTOR)}
    fill_clean(blank[DIRECTOR], config.returns_dir(PERIOD) / "a.xlsx", DIRECTOR, change)
    file = _check(config)["a.xlsx"]
    assert _refused_with(file) == [("compression-ratio", FileStatus.REJECTED, 0)]


def test_limit_max_cells_per_sheet(tmp_path: Path) -> None:
    config, blank = _limited(tmp_path, max_cells_per_sheet=50)
    fill_clean(blank[DIRECTOR], config.returns_dir(PERIOD) / "a.xlsx", DIRECTOR)
    file = _check(config)["a.xlsx"]
    assert _refused_with(file) == [("sheet-too-large", FileStatus.REJECTED, 0)]
    assert "beyond 50 cells" in file.findings[0].message


def test_limit_max_chars_per_cell_cuts_with_a_warning_and_the_row_counts(tmp_path: Path) -> None:
    config, blank = _limited(tmp_path, max_chars_per_cell=100)
    text = "Forum held; " + "x" * 140
    change = {"1A2": {"progress_commentary": text}}
    fill_clean(blank[DIRECTOR], config.returns_dir(PERIOD) / "a.xlsx", DIRECTOR, change)
    file = _check(config)["a.xlsx"]
    assert [(f.code, f.cell) for f in file.findings] == [("text-truncated", "M5")]
    assert file.status is FileStatus.COUNTED
    update = next(u for u in file.updates if u.action_id == "1A2")
    assert update.progress_commentary == text[:100]


def test_limit_max_findings_per_file(tmp_path: Path) -> None:
    config, blank = _limited(tmp_path, max_findings_per_file=2)
    wrong = {"progress": "Purple", "impact": "Mauve", "confidence": "Certain", "escalation": "?"}
    change = {a: wrong for a in reported(DIRECTOR)}
    fill_clean(blank[DIRECTOR], config.returns_dir(PERIOD) / "a.xlsx", DIRECTOR, change)
    file = _check(config)["a.xlsx"]
    assert [f.code for f in file.findings] == [
        "rating-not-allowed",
        "rating-not-allowed",
        "too-many-findings",
    ]
    assert file.findings[-1].message.startswith("6 more findings")


def _slow_reader(path: Path, ctx: CheckContext) -> ReturnFile:
    import time

    from packbuilder.checks import run

    if path.name == "stuck.xlsx":
        time.sleep(120)
    return run.check_file(path, ctx)


def _greedy_reader(path: Path, ctx: CheckContext) -> ReturnFile:
    from packbuilder.checks import run

    if path.name == "greedy.xlsx":
        hoard = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GB, 64 MB at a time
        del hoard
    else:
        need = bytearray(50 * 1024 * 1024)  # a large return's reading, within the ceiling
        del need
    return run.check_file(path, ctx)


def _patch_reader(monkeypatch: pytest.MonkeyPatch, reader: object) -> None:
    """Replace check_file in the workers, however they start.

    The workers are given ``run._check_item`` by reference: a forked worker inherits the patch,
    a spawned one (Windows) imports this module by name and finds READER through _READERS.
    """
    from packbuilder.checks import run

    monkeypatch.setattr(run, "_check_item", _READERS[reader])  # type: ignore[index]


def _slow_item(ctx: CheckContext, kpi_job: Any, item: Any) -> object:
    if not isinstance(item, Path):
        return _ORIGINAL_ITEM(ctx, kpi_job, item)
    return _slow_reader(item, ctx)


def _greedy_item(ctx: CheckContext, kpi_job: Any, item: Any) -> object:
    if not isinstance(item, Path):
        return _ORIGINAL_ITEM(ctx, kpi_job, item)
    return _greedy_reader(item, ctx)


_ORIGINAL_ITEM = run_module._check_item
_READERS = {_slow_reader: _slow_item, _greedy_reader: _greedy_item}


def test_limit_worker_timeout_seconds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config, blank = _limited(tmp_path, worker_timeout_seconds=1.0)
    folder = config.returns_dir(PERIOD)
    fill_clean(blank[DIRECTOR], folder / "stuck.xlsx", DIRECTOR)
    fill_clean(blank["nhs-lead"], folder / "good.xlsx", "nhs-lead")
    _patch_reader(monkeypatch, _slow_reader)
    files = _check(config)
    assert _refused_with(files["stuck.xlsx"]) == [("unreadable", FileStatus.REJECTED, 0)]
    assert "took longer than 1 s" in files["stuck.xlsx"].findings[0].message
    assert (files["good.xlsx"].status, files["good.xlsx"].findings) == (FileStatus.COUNTED, [])


@pytest.mark.skipif(sys.platform == "win32", reason="no memory ceiling on Windows")
def test_limit_worker_memory_mb_whatever_the_command_already_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mmap

    config, blank = _limited(tmp_path, worker_memory_mb=200)
    folder = config.returns_dir(PERIOD)
    fill_clean(blank[DIRECTOR], folder / "greedy.xlsx", DIRECTOR)
    fill_clean(blank["nhs-lead"], folder / "good.xlsx", "nhs-lead")
    _patch_reader(monkeypatch, _greedy_reader)
    # 2 GB of address space reserved (not used) by the command before it forks its workers, as
    # thread stacks and libraries reserve on a many-core machine: the ceiling comes on top.
    reserved = mmap.mmap(-1, 2 * 1024 * 1024 * 1024)
    try:
        files = _check(config)
    finally:
        reserved.close()
    assert _refused_with(files["greedy.xlsx"]) == [("unreadable", FileStatus.REJECTED, 0)]
    assert "memory" in files["greedy.xlsx"].findings[0].message
    assert (files["good.xlsx"].status, files["good.xlsx"].findings) == (FileStatus.COUNTED, [])


# --------------------------------------------------------------------------- the real example


@pytest.mark.slow
def test_check_on_the_example_with_the_whole_corpus_beside_it(tmp_path: Path) -> None:
    from corpus_check import run

    figures = run(tmp_path)
    print("\n" + figures.report())  # the figures, shown with -s; never asserted
    assert (figures.exit_code, figures.traceback) == (1, False)
    assert figures.counted_after == figures.counted_before  # every real return still counts
    for case in figures.cases:
        codes = figures.named.get(case.name, set())
        if case.clean_rows:
            assert figures.statuses[case.name] in ("Counted", "Superseded"), case.name
        else:
            assert codes & set(case.codes), (case.name, codes)
    # A generous ceiling: the bombs are refused unread, so nothing near their size is held.
    assert figures.peak_mb < 1500


def test_the_hardening_page_is_generated_from_the_corpus_and_the_registry() -> None:
    import importlib.util

    tool = Path(__file__).parent.parent / "tools" / "gen_hardening_doc.py"
    spec = importlib.util.spec_from_file_location("gen_hardening_doc", tool)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = Path(__file__).parent.parent / "docs" / "hardening.md"
    assert page.read_text("utf-8") == module.render(), (
        "docs/hardening.md is out of date: run python tools/gen_hardening_doc.py"
    )


# Words that are a library's or the program's, never the office's.
_NOT_THE_OFFICE_S_WORDS = re.compile(
    r"Traceback|Error\b|Exception|errno|zlib|zipfile|calamine|openpyxl|lxml|site-packages|"
    r"Bad CRC|failed to|Cannot detect|starts with [0-9a-f]{2} |\\x[0-9a-f]{2}|\bb'|"
    r"Tabelle1|not-a-workbook|unknown-format"
)


def test_no_message_carries_a_library_s_words_or_an_internal_code(
    workspace: Workspace, fast_cases: list[Case]
) -> None:
    from packbuilder.findings import CHECKS

    for check in CHECKS:
        assert not _NOT_THE_OFFICE_S_WORDS.search(check.template), check.code
    report = check_dir(workspace.folder, workspace.config, workspace.ctx)
    codes = {c.code for c in CHECKS if "-" in c.code}
    for finding in report.findings:
        assert not _NOT_THE_OFFICE_S_WORDS.search(finding.message), finding.message
        assert not any(code in finding.message for code in codes), finding.message
