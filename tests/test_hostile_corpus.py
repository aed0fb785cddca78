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
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_corpus import CONTROL_READ, LONG_TEXT, Case, build_corpus
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
        """received.csv: the corpus on 1 August, the clean returns on 3 August."""
        lines = ["file,received"]
        lines += [f"{c.name},2023-08-01 09:00" for c in cases]
        lines += [f"{name},2023-08-03 09:00" for name in self.clean_names]
        (self.folder / "received.csv").write_text("\n".join(lines) + "\n", "utf-8")
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
            assert not any(u.has_errors for u in file.updates), case.name
        elif case.name.startswith("~$"):
            assert file.status is FileStatus.SKIPPED
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
    assert (cut.severity, cut.cell) == (Severity.WARNING, "L5")
    assert f"{len(LONG_TEXT):,}" in cut.message and f"{limit:,}" in cut.message


def test_error_values_and_merges_are_reported_as_the_officer_sees_them(
    workspace: Workspace, fast_cases: list[Case]
) -> None:
    error = check_one(workspace.folder / "corpus" / "error-cell.xlsx", workspace.ctx)
    assert [(f.code, f.cell, f.value) for f in error.findings] == [
        ("rating-not-allowed", "J5", "#DIV/0!")
    ]
    merged = check_one(workspace.folder / "corpus" / "merged-inputs.xlsx", workspace.ctx)
    assert [(f.code, f.cell, f.value) for f in merged.findings] == [
        ("merged-cells", "J5", "J5:L5"),
        ("rating-missing", "K5", ""),  # what the officer typed there went into J5
        ("commentary-missing", "L5", ""),
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
        assert not any(u.has_errors for u in file.updates)
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
    assert "CRC" in lying.findings[0].value  # caught by inflating, not by the declared size
