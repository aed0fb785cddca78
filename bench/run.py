"""packbuilder's benchmark: whole processes, side by side with a naive peer, in one command.

    python bench/run.py                      # every size, 5 runs each (median)
    python bench/run.py --quick              # the smoke size, once
    python bench/run.py --sizes 600,council --runs 3

For each size it times, as whole processes and alternating with the peer in the same loop:
``packbuilder --help``; ``check`` against the peer's reading step; ``build`` (tracker and both
reports) against the peer's whole script; and ``check`` and ``build`` on an empty returns
folder, so the cost per return, (wall - empty wall) / returns, leaves start-up out. Peak memory
is the largest total PSS of the process and all its children (RSS where PSS is not available),
sampled every 20 ms with psutil: PSS shares each page among the processes that map it, so the
forked workers' inherited pages are not counted twice as a sum of RSS would. Sampling PSS
takes about a quarter of a core, so it runs in one extra, untimed run of each command after
the timed ones: the timed runs are not slowed by their own measurement.
The table is printed and written to bench/results.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psutil

from bench import synth
from packbuilder.plan.plan_cache import CACHE_DIR

SAMPLE_SECONDS = 0.02
RESULTS = synth.BENCH_DIR / "results.md"
PEER = synth.BENCH_DIR / "peer.py"
DEFAULT_SIZES = ("example", "600", "6000", "council")
MEMORY_METHOD = (
    "total PSS of the process tree (RSS where PSS is unavailable), sampled every 20 ms with psutil "
    "in one extra, untimed run of each command"
)

# The Windows imitation of CI (docs/windows.md): no os.fork, only the spawn start method.
SPAWN_ONLY = {
    "PACKBUILDER_IMITATE_WINDOWS": "1",
    "PYTHONPATH": str(Path(__file__).resolve().parent.parent / ".ci" / "windows"),
}
SPAWN_CHECK = "check (spawn only)"
SPAWN_BUILD = "build (spawn only)"

# The commands timed at each size. build at 6,000 returns is left to --full: the peer's whole
# script (to_excel and a docxtpl table of every action) takes minutes there.
COMMANDS: dict[str, tuple[str, ...]] = {
    "smoke": ("help", "check", "build"),
    "example": ("help", "check", "build", "spawn"),
    "600": ("check", "build"),
    "6000": ("check",),
    "council": ("check", "build"),
}


@dataclass
class Sample:
    wall: float  # seconds
    peak_mib: float
    exit_code: int


@dataclass
class Row:
    """One timed command at one size, with every run's sample."""

    size: str
    returns: int
    command: str  # "check", "build", "check (empty)", "peer read", "help", …
    runner: str  # "packbuilder" | "peer"
    samples: list[Sample] = field(default_factory=list)  # the timed runs
    memory: list[Sample] = field(default_factory=list)  # the memory run(s), not timed
    failure: str = ""

    @property
    def walls(self) -> list[float]:
        return [s.wall for s in self.samples]

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def minimum(self) -> float:
        return min(self.walls)

    @property
    def peak_mib(self) -> float:
        return max((s.peak_mib for s in self.memory or self.samples), default=0.0)


@dataclass
class Target:
    text: str
    met: bool | None  # None: not measured


@dataclass
class Results:
    rows: list[Row]
    runs: int
    sizes: list[str]
    notes: list[str] = field(default_factory=list)

    def row(self, size: str, command: str) -> Row | None:
        for row in self.rows:
            if row.size == size and row.command == command:
                return row
        return None


# --------------------------------------------------------------------------- measuring


def measure(
    command: list[str],
    ok_codes: tuple[int, ...] = (0,),
    *,
    memory: bool = False,
    env: dict[str, str] | None = None,
) -> Sample:
    """Run COMMAND to the end; its wall time, and with MEMORY the peak memory of its whole
    process tree (then the wall time is not used: reading every process's PSS 50 times a
    second takes a quarter of a core, which a timed run on two cores cannot spare)."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, env=env)
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, _tree_memory(process))
                done.wait(SAMPLE_SECONDS)

        sampler = threading.Thread(target=sample, daemon=True)
        if memory:
            sampler.start()
        code = process.wait()
        wall = time.perf_counter() - start
        done.set()
        if memory:
            sampler.join()
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace")
        # check exits 1 for findings; a traceback is a crash whatever the exit code.
        if code not in ok_codes or "Traceback (most recent call last)" in stderr:
            last = stderr.strip().splitlines()[-1] if stderr.strip() else "no message"
            raise CommandFailed(f"exit {code}: {last}", f"{' '.join(command)}\n{stderr[-3000:]}")
    return Sample(wall, peak / 2**20, code)


def _tree_memory(process: psutil.Process) -> int:
    """The tree's memory now: the sum of PSS where the platform reports it, else of RSS."""
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        # A worker may end between listing and reading.
        with contextlib.suppress(psutil.Error):
            total += _member_memory(member)
    return total


def _member_memory(member: psutil.Process) -> int:
    info = member.memory_full_info() if _HAS_PSS else member.memory_info()
    return int(getattr(info, "pss", info.rss))


_HAS_PSS = sys.platform.startswith("linux")


class CommandFailed(Exception):
    """A timed command crashed or exited with a code its job does not allow."""

    def __init__(self, summary: str, detail: str) -> None:
        super().__init__(summary)
        self.summary = summary
        self.detail = detail


# --------------------------------------------------------------------------- the plan of runs


@dataclass(frozen=True)
class Step:
    """One command to time: how to run it, and what to do before each run."""

    command: str
    runner: str
    argv: list[str]
    prepare: Callable[[], None]
    ok_codes: tuple[int, ...] = (0,)
    env: dict[str, str] | None = None  # None: this process's environment


def steps_for(size: str, workspace: synth.Workspace, scratch: Path, full: bool) -> list[Step]:
    """The steps timed at SIZE, packbuilder's and the peer's interleaved in pairs."""
    commands = COMMANDS.get(size, ("check", "build"))
    if full and "build" not in commands:
        commands = (*commands, "build")
    period = workspace.period
    root, empty = workspace.root, workspace.empty
    peer_out = scratch / "peer"

    def reset(folder: Path) -> Callable[[], None]:
        return lambda: synth.reset(folder)

    def reset_plan_changed() -> None:
        # As after the office edits the register: no load of it is cached (plan_cache.py).
        synth.reset(root)
        shutil.rmtree(root / CACHE_DIR, ignore_errors=True)

    def clear_peer() -> None:
        shutil.rmtree(peer_out, ignore_errors=True)

    def peer(folder: Path, read_only: bool) -> list[str]:
        argv = [sys.executable, str(PEER), str(folder / "inputs/returns" / period), str(peer_out)]
        return [*argv, "--read-only"] if read_only else argv

    def pb(folder: Path, *args: str) -> list[str]:
        return synth.packbuilder_command(folder, *args)

    steps: list[Step] = []
    if "help" in commands:
        steps.append(Step("help", "packbuilder", pb(root, "--help"), lambda: None))
    if "check" in commands:
        steps += [
            Step("check", "packbuilder", pb(root, "check", period), reset(root), (0, 1)),
            Step("peer read", "peer", peer(root, True), clear_peer),
            Step("check (empty)", "packbuilder", pb(empty, "check", period), reset(empty), (0, 1)),
            Step("peer read (empty)", "peer", peer(empty, True), clear_peer),
        ]
        if size in ("600", "6000"):
            steps.append(
                Step(
                    PLAN_CHANGED,
                    "packbuilder",
                    pb(root, "check", period),
                    reset_plan_changed,
                    (0, 1),
                )
            )
    if "spawn" in commands:
        # As on Windows: workers started by spawn only, every file still read in a worker.
        spawn = {**os.environ, **SPAWN_ONLY}
        steps += [
            Step(SPAWN_CHECK, "packbuilder", pb(root, "check", period), reset(root), (0, 1), spawn),
            Step(SPAWN_BUILD, "packbuilder", pb(root, "build", period), reset(root), (0,), spawn),
        ]
    if "build" in commands:
        steps += [
            Step("build", "packbuilder", pb(root, "build", period), reset(root)),
            Step("peer read+write", "peer", peer(root, False), clear_peer),
            Step("build (empty)", "packbuilder", pb(empty, "build", period), reset(empty)),
            Step("peer read+write (empty)", "peer", peer(empty, False), clear_peer),
        ]
    return steps


def time_size(
    size: str,
    workspace: synth.Workspace,
    runs: int,
    full: bool = False,
    log: Callable[[str], None] = print,
) -> list[Row]:
    """Time every step at SIZE RUNS times, alternating packbuilder and peer in each run."""
    with tempfile.TemporaryDirectory(prefix="packbuilder-bench-") as scratch:
        steps = steps_for(size, workspace, Path(scratch), full)
        rows = {s.command: Row(size, workspace.returns, s.command, s.runner) for s in steps}
        # The timed runs, then one more of each step that samples memory and is not timed.
        for run in range(runs + 1):
            memory = run == runs
            # Pairs swap order each run, so neither side always meets a warm or cold cache.
            ordered = _paired(steps, swap=run % 2 == 1)
            for step in ordered:
                row = rows[step.command]
                if row.failure:
                    continue
                step.prepare()
                try:
                    sample = measure(step.argv, step.ok_codes, memory=memory, env=step.env)
                except CommandFailed as error:
                    row.failure = error.summary
                    log(f"[{size}] {step.command} failed: {error.detail}")
                    continue
                if memory:
                    row.memory.append(sample)
                    log(f"[{size}] memory run {step.command}: {sample.peak_mib:.0f} MiB")
                else:
                    row.samples.append(sample)
                    log(f"[{size}] run {run + 1}/{runs} {step.command}: {sample.wall:.2f} s")
        for folder in (workspace.root, workspace.empty):
            synth.reset(folder)
        return list(rows.values())


def _paired(steps: list[Step], swap: bool) -> list[Step]:
    if not swap:
        return steps
    ordered: list[Step] = []
    index = 0
    while index < len(steps):
        step = steps[index]
        following = steps[index + 1] if index + 1 < len(steps) else None
        if following is not None and step.runner != following.runner:
            ordered += [following, step]
            index += 2
        else:
            ordered.append(step)
            index += 1
    return ordered


def workspace_for(size: str, work_dir: Path, log: Callable[[str], None]) -> synth.Workspace | None:
    if size == "example":
        workspace = synth.example_workspace(work_dir)
        if workspace is None:
            log("[example] skipped: this checkout has no bundled example (inputs/plan.xlsx)")
        return workspace
    if size not in synth.SIZES:
        raise SystemExit(f"unknown size {size!r}: choose from {', '.join(synth.SIZES)}")
    return synth.synthetic_workspace(synth.SIZES[size], work_dir)


def benchmark(
    sizes: list[str],
    runs: int,
    work_dir: Path = synth.WORK_DIR,
    full: bool = False,
    log: Callable[[str], None] = print,
    on_size: Callable[[Results], None] | None = None,
) -> Results:
    """Make (or reuse) each size's workspace and time it."""
    results = Results([], runs, sizes)
    for size in sizes:
        if on_size is not None and results.rows:
            on_size(results)
        workspace = workspace_for(size, work_dir, log)
        if workspace is None:
            results.notes.append(f"{size}: skipped, no bundled example in this checkout")
            continue
        log(f"[{size}] {workspace.returns} returns, {workspace.actions or 'example'} actions")
        results.rows += time_size(size, workspace, runs, full, log)
    return results


# --------------------------------------------------------------------------- the table


PLAN_CHANGED = "check (plan changed)"
PEER_OF = {"check": "peer read", PLAN_CHANGED: "peer read", "build": "peer read+write"}


def per_return_ms(results: Results, row: Row) -> float | None:
    """(median wall - median wall on an empty returns folder) / returns, in milliseconds."""
    if row.failure or not row.samples or row.returns == 0 or "empty" in row.command:
        return None
    if row.command == "help":
        return None
    empty = results.row(row.size, f"{row.command} (empty)")
    if empty is None or empty.failure or not empty.samples:
        return None
    return (row.median - empty.median) / row.returns * 1000


def ratio_to_peer(results: Results, row: Row) -> float | None:
    """How many times faster than the peer doing the same job (peer median / median)."""
    peer = results.row(row.size, PEER_OF.get(row.command, ""))
    if peer is None or peer.failure or not peer.samples or row.failure or not row.samples:
        return None
    return peer.median / row.median


def target(results: Results, row: Row) -> Target | None:
    """The issue's target for this row, and whether it was met."""
    if row.runner != "packbuilder" or "empty" in row.command:
        return None
    ok = not row.failure and bool(row.samples)
    size, command = row.size, row.command
    if command == "help":
        return Target("≤ 0.3 s", ok and row.median <= 0.3)
    if size == "example" and command == "check":
        return Target("≤ 0.6 s", ok and row.median <= 0.6)
    if size == "example" and command == "build":
        return Target("≤ 2 s", ok and row.median <= 2.0)
    if size == "example" and command == SPAWN_CHECK:
        return Target("≤ 0.8 s", ok and row.median <= 0.8)
    if size == "example" and command == SPAWN_BUILD:
        return Target("≤ 2.6 s", ok and row.median <= 2.6)
    if size == "600" and command in ("check", PLAN_CHANGED):
        ratio = ratio_to_peer(results, row)
        return Target("≥ 10× peer", None if ratio is None else ratio >= 10)
    if size == "6000" and command in ("check", PLAN_CHANGED):
        return Target("≤ 10 s, ≤ 512 MiB", ok and row.median <= 10 and row.peak_mib <= 512)
    if size == "council" and command == "build":
        return Target("≤ 10 s, ≤ 1 GiB", ok and row.median <= 10 and row.peak_mib <= 1024)
    return None


def flatness(results: Results) -> list[str]:
    """Cost per return from 600 to 6,000 returns: flat within 25 %."""
    lines = []
    for command in ("check", "build"):
        small, large = results.row("600", command), results.row("6000", command)
        if small is None or large is None:
            continue
        a, b = per_return_ms(results, small), per_return_ms(results, large)
        if a is None or b is None or a <= 0:
            continue
        change = (b - a) / a * 100
        verdict = "met" if abs(change) <= 25 else "missed"
        lines.append(
            f"Cost per return of `{command}`, 600 → 6,000 returns: {a:.2f} → {b:.2f} ms "
            f"({change:+.0f} %; target within 25 %: {verdict})."
        )
    return lines


HEADER = (
    "size",
    "returns",
    "command",
    "median s",
    "min s",
    "peak MiB",
    "ms/return",
    "× peer",
    "target",
    "",
)


def table_rows(results: Results) -> list[tuple[str, ...]]:
    """The table's cells, one tuple per row, in HEADER's order."""
    cells = []
    for row in results.rows:
        if row.failure or not row.samples:
            failure = row.failure[:80] if row.failure else "not run"
            cells.append(
                (row.size, str(row.returns), row.command, "failed", "", "", "", "", "", failure)
            )
            continue
        per_return = per_return_ms(results, row)
        ratio = ratio_to_peer(results, row)
        goal = target(results, row)
        verdict = (
            "" if goal is None else ("—" if goal.met is None else ("met" if goal.met else "missed"))
        )
        cells.append(
            (
                row.size,
                str(row.returns),
                f"{row.command}" if row.runner == "packbuilder" else f"_{row.command}_",
                f"{row.median:.2f}",
                f"{row.minimum:.2f}",
                f"{row.peak_mib:.0f}",
                "" if per_return is None else f"{per_return:.2f}",
                "" if ratio is None else f"{ratio:.1f}",
                "" if goal is None else goal.text,
                verdict,
            )
        )
    return cells


def render(results: Results) -> str:
    """The results as Markdown: the table, then the flatness check and the conditions."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(cells) + " |" for cells in table_rows(results)]
    lines.append("")
    lines += flatness(results)
    lines += [f"Note: {note}" for note in results.notes]
    return "\n".join(lines)


def conditions(results: Results) -> str:
    cpu = platform.processor() or platform.machine()
    memory = psutil.virtual_memory().total / 2**30
    return (
        f"{dt.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores ({cpu}), {memory:.1f} GiB, "
        f"Python {platform.python_version()}, {platform.system()}; median of {results.runs} "
        f"run(s) per command; peak memory: {MEMORY_METHOD}. Peer rows are in italics; × peer is "
        "the peer's median over packbuilder's; ms/return is (median − median on an empty "
        "returns folder) / returns."
    )


def write_results(results: Results, path: Path = RESULTS) -> None:
    text = (
        "# packbuilder benchmark results\n\n"
        "Written by `python bench/run.py` (`make bench`); overwritten each run.\n\n"
        f"{conditions(results)}\n\n{render(results)}\n"
    )
    path.write_text(text, "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--sizes",
        default=",".join(DEFAULT_SIZES),
        help=f"comma-separated, from: {', '.join(synth.SIZES)} (default: %(default)s)",
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per command; the median counts")
    parser.add_argument("--quick", action="store_true", help="the smoke size, one run")
    parser.add_argument("--full", action="store_true", help="also time build at 6,000 returns")
    parser.add_argument("--work", type=Path, default=synth.WORK_DIR, help="cache of workspaces")
    parser.add_argument("--output", type=Path, default=RESULTS, help="the Markdown results file")
    args = parser.parse_args(argv)
    sizes = ["smoke"] if args.quick else [s.strip() for s in args.sizes.split(",") if s.strip()]
    runs = 1 if args.quick else args.runs
    # The file is written after each size too, so a long run's early sizes are not lost.
    results = benchmark(
        sizes,
        runs,
        args.work,
        args.full,
        lambda t: print(t, file=sys.stderr),
        lambda partial: write_results(partial, args.output),
    )
    print(conditions(results))
    print()
    print(render(results))
    write_results(results, args.output)
    print(f"\nWritten to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
