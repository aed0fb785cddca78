"""The benchmark cannot rot: its smallest size runs once, end to end, through bench/run.py.

A synthetic programme of 20 officers is made with packbuilder's own ``returns make``, filled,
checked and built, and the naive peer reads and writes the same files. Only the table's shape
is asserted: every row present and every figure a positive number. Timings are never
asserted; the benchmark prints them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# bench/ is a folder of scripts beside the package, not part of it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import run

pytestmark = pytest.mark.slow

EXPECTED_COMMANDS = [
    "help",
    "check",
    "peer read",
    "check (empty)",
    "peer read (empty)",
    "build",
    "peer read+write",
    "build (empty)",
    "peer read+write (empty)",
]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> run.Results:
    work = tmp_path_factory.mktemp("bench-work")
    return run.benchmark(["smoke"], runs=1, work_dir=work, log=lambda _text: None)


def test_every_command_is_timed_once(results: run.Results) -> None:
    assert [row.command for row in results.rows] == EXPECTED_COMMANDS
    for row in results.rows:
        assert row.failure == "", f"{row.command}: {row.failure}"
        assert len(row.samples) == 1
        # memory is sampled in one extra run, never in the timed one
        assert len(row.memory) == 1
        assert row.samples[0].peak_mib == 0 and row.memory[0].peak_mib > 0


def test_figures_are_positive_numbers(results: run.Results) -> None:
    for row in results.rows:
        assert row.returns > 20
        assert row.median > 0
        assert row.minimum > 0
        assert row.peak_mib > 0
    for command in ("check", "build"):
        packbuilder = results.row("smoke", command)
        assert packbuilder is not None
        ratio = run.ratio_to_peer(results, packbuilder)
        assert ratio is not None and ratio > 0
        assert run.per_return_ms(results, packbuilder) is not None


def test_the_table_has_a_line_per_row(results: run.Results, tmp_path: Path) -> None:
    output = tmp_path / "results.md"
    run.write_results(results, output)
    text = output.read_text("utf-8")
    table = [line for line in text.splitlines() if line.startswith("| smoke |")]
    assert len(table) == len(EXPECTED_COMMANDS)
    assert "failed" not in text
    assert "≤ 0.3 s" in text  # the --help target is judged
