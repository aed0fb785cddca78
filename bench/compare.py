"""Before and after: this checkout's packbuilder against another checkout's, side by side.

    python bench/compare.py --baseline ../packbuilder-before
    python bench/compare.py --baseline ../packbuilder-before --sizes example,600 --runs 7

Each checkout makes its own workspaces with its own packbuilder (returns made by one version
are that version's template), under its own ``bench/work/``. Then ``check`` and ``build`` are
timed as whole processes, alternating the two checkouts in the same loop (the pair's order
swaps every run, so neither always meets a warm or cold cache). It prints each median, the
ratio after/before and the spread of each side's runs, which is the machine's noise.
The baseline needs its own virtual environment in ``.venv`` (``make`` there makes it).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import synth

HERE = Path(__file__).resolve().parent.parent

_PREPARE = """
import json, sys
sys.path.insert(0, {root!r})
from bench import synth
size = {size!r}
ws = synth.example_workspace() if size == "example" else synth.synthetic_workspace(
    synth.SIZES[size], log=False)
print(json.dumps({{"root": str(ws.root), "period": ws.period, "returns": ws.returns}}))
"""


@dataclass
class Side:
    name: str  # "before" | "after"
    checkout: Path
    walls: dict[str, list[float]] = field(default_factory=dict)

    @property
    def python(self) -> Path:
        return self.checkout / ".venv" / "bin" / "python"


def prepare(side: Side, size: str) -> dict[str, str]:
    """SIZE's workspace made by SIDE's own packbuilder: its root, period and return count."""
    done = subprocess.run(
        [str(side.python), "-c", _PREPARE.format(root=str(side.checkout), size=size)],
        cwd=side.checkout,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{side.name}: could not make the {size} workspace:\n{done.stderr}")
    made: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    return made


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr.decode()}")
    # Faster than any real run: say what it printed, so such a median is not trusted blindly.
    if wall < 0.15:
        print(
            f"  note: {' '.join(argv[-2:])} took {wall:.2f} s, exit {done.returncode}: "
            f"{done.stdout.decode()[-300:]!r} {done.stderr.decode()[-300:]!r}",
            flush=True,
        )
    return wall


def compare(sides: list[Side], sizes: list[str], runs: int) -> list[str]:
    lines = [
        "| size | command | before (median) | after (median) | after / before "
        "| spread before | spread after |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for size in sizes:
        spaces = {side.name: prepare(side, size) for side in sides}
        for command in ("check", "build"):
            walls: dict[str, list[float]] = {side.name: [] for side in sides}
            for run in range(runs):
                for side in sides if run % 2 == 0 else reversed(sides):
                    space = spaces[side.name]
                    root = Path(space["root"])
                    synth.reset(root)
                    argv = [str(side.python), "-m", "packbuilder", "-C", str(root)]
                    walls[side.name].append(timed([*argv, command, space["period"]]))
            for side in sides:
                synth.reset(Path(spaces[side.name]["root"]))
            before, after = (statistics.median(walls[s.name]) for s in sides)
            spread = [f"{min(walls[s.name]):.2f}–{max(walls[s.name]):.2f} s" for s in sides]
            lines.append(
                f"| {size} ({spaces['after']['returns']} returns) | {command} | {before:.2f} s "
                f"| {after:.2f} s | {after / before:.2f} | {spread[0]} | {spread[1]} |"
            )
            print(lines[-1], flush=True)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True, help="the checkout to compare")
    parser.add_argument("--sizes", default="example,600", help="comma-separated sizes")
    parser.add_argument("--runs", type=int, default=5, help="runs per command; the median counts")
    args = parser.parse_args(argv)
    sides = [Side("before", args.baseline.resolve()), Side("after", HERE)]
    for side in sides:
        if not side.python.is_file():
            raise SystemExit(f"{side.checkout} has no .venv: run make there first")
    lines = compare(sides, [s.strip() for s in args.sizes.split(",") if s.strip()], args.runs)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
