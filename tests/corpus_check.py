"""``packbuilder check`` on the example's July returns with the whole hostile corpus beside them.

Copies the repository's workspace (config.toml, inputs/, templates/) into a temporary folder,
builds the corpus there from two of the example's clean returns, records in received.csv that
the corpus arrived before every real return (as broken first attempts would), then runs
``packbuilder check 2023-07 --json`` as a subprocess and samples the resident memory of the
command and its worker processes every 20 ms. Prints wall time and peak memory; checks that
every clean return still counts and every corpus file is named with one of its findings.

    .venv/bin/python tests/corpus_check.py          # prints the figures
    pytest tests/test_hostile_corpus.py -k example -s  # the same, as a test
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parent))

from hostile_corpus import Case, build_corpus

REPOSITORY = Path(__file__).resolve().parent.parent
PERIOD = "2023-07"


@dataclass
class Figures:
    files: int
    corpus: int
    counted_before: list[str]
    counted_after: list[str]
    statuses: dict[str, str]
    named: dict[str, set[str]]  # file -> the codes of the findings naming it
    cases: list[Case]
    exit_code: int
    seconds: float
    peak_mb: float
    traceback: bool

    def report(self) -> str:
        return (
            f"check {PERIOD}: {self.files} files ({self.corpus} hostile), "
            f"{len(self.counted_after)} counted (without the corpus {len(self.counted_before)}), "
            f"exit {self.exit_code}, {self.seconds:.1f} s wall, "
            f"peak {self.peak_mb:.0f} MB resident (command and workers)"
        )


def copy_workspace(destination: Path) -> Path:
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPOSITORY / "config.toml", destination / "config.toml")
    for folder in ("inputs", "templates"):
        shutil.copytree(REPOSITORY / folder, destination / folder)
    return destination


def _check(workspace: Path) -> tuple[dict[str, object], int, float, float, bool]:
    """Run check --json; its document, exit code, wall seconds and peak resident MB."""
    command = [sys.executable, "-m", "packbuilder", "-C", str(workspace), "check", PERIOD]
    started = time.perf_counter()
    process = subprocess.Popen(
        [*command, "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        try:
            root = psutil.Process(process.pid)
        except psutil.NoSuchProcess:
            return
        while not done.is_set():
            total = 0
            try:
                for member in [root, *root.children(recursive=True)]:
                    try:
                        total += member.memory_info().rss
                    except psutil.NoSuchProcess:
                        continue
            except psutil.NoSuchProcess:
                break
            peak = max(peak, total)
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate(timeout=600)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    traceback = "Traceback" in stdout + stderr
    return json.loads(stdout), process.returncode, seconds, peak / 2**20, traceback


def _clean_returns(document: dict[str, object]) -> list[str]:
    files = document["files"]
    assert isinstance(files, list)
    errors = {f["file"] for f in document["findings"] if f["severity"] != "info"}  # type: ignore[attr-defined,index]
    return [
        f["file"]
        for f in files
        if f["status"] == "Counted" and f["kind"] == "officer" and f["file"] not in errors
    ]


def run(work: Path, *, slow: bool = True) -> Figures:
    """Check the example's July returns alone, then with the corpus beside them."""
    workspace = copy_workspace(work / "workspace")
    folder = workspace / "inputs" / "returns" / PERIOD
    before, _, _, _, _ = _check(workspace)
    counted_before = sorted(
        f["file"]
        for f in before["files"]  # type: ignore[attr-defined]
        if f["status"] == "Counted"
    )
    # The corpus starts from two officers' returns that check clean (no error or warning).
    clean, other = (folder / name for name in _clean_returns(before)[:2])
    cases = build_corpus(clean, other, folder / "hostile", slow=slow)
    with (folder / "received.csv").open("a", encoding="utf-8") as received:
        for case in cases:
            received.write(f"{case.name},2023-07-31T08:00:00\n")
    after, exit_code, seconds, peak_mb, traceback = _check(workspace)
    files = after["files"]
    assert isinstance(files, list)
    named: dict[str, set[str]] = {}
    for finding in after["findings"]:  # type: ignore[attr-defined]
        named.setdefault(finding["file"], set()).add(finding["code"])
    return Figures(
        files=len(files),
        corpus=len(cases),
        counted_before=counted_before,
        counted_after=sorted(f["file"] for f in files if f["status"] == "Counted"),
        statuses={f["file"]: f["status"] for f in files},
        named=named,
        cases=cases,
        exit_code=exit_code,
        seconds=seconds,
        peak_mb=peak_mb,
        traceback=traceback,
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="corpus-check-") as work:
        figures = run(Path(work))
    print(figures.report())
    for case in figures.cases:
        codes = ", ".join(sorted(figures.named.get(case.name, set()))) or "(none)"
        print(f"  {case.name:32} {figures.statuses[case.name]:13} {codes}")


if __name__ == "__main__":
    main()
