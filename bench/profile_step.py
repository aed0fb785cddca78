"""Where the time goes: one packbuilder command on a benchmark workspace under cProfile.

    python bench/profile_step.py 600 check            # the cached 600-return workspace
    python bench/profile_step.py council build --top 40

The command runs in this process with the worker pool replaced by a plain loop, so the work
the workers would do (reading and checking each return) shows in the same profile; the wall
time is therefore not the benchmark's. Prints the functions by cumulative and by own time, and
saves the raw profile beside the workspace for snakeviz or pstats.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import run, synth


def _in_process(func: Callable[[Any], Any], items: Sequence[Any], **_options: Any) -> list[Any]:
    """map_isolated's answers, computed here, one item after another."""
    from packbuilder.processes import Outcome

    return [Outcome(index, func(item)) for index, item in enumerate(items)]


def profile(size: str, command: str, top: int, work_dir: Path = synth.WORK_DIR) -> str:
    """Profile COMMAND (check or build) on SIZE's workspace; the report as text."""
    import packbuilder.processes
    from packbuilder.cli import main

    workspace = run.workspace_for(size, work_dir, print)
    if workspace is None:
        raise SystemExit(f"no workspace for {size}")
    synth.reset(workspace.root)
    packbuilder.processes.map_isolated = _in_process  # type: ignore[assignment]
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    # The command's own console output is not wanted here: only the profile.
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
        try:
            main(["-C", str(workspace.root), command, workspace.period], standalone_mode=False)
        except SystemExit:
            pass
        finally:
            profiler.disable()
    wall = time.perf_counter() - start
    saved = workspace.root.parent / f"{command}.prof"
    profiler.dump_stats(saved)
    synth.reset(workspace.root)
    out = io.StringIO()
    out.write(f"{command} on {size} ({workspace.returns} returns), in one process: {wall:.2f} s\n")
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    out.write(f"Raw profile: {saved}\n")
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("size", choices=sorted(synth.SIZES))
    parser.add_argument("command", choices=("check", "build"))
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)
    print(profile(args.size, args.command, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
