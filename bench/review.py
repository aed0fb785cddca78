"""Benchmark row for ``packbuilder review``: six recorded months of the large council's
portfolio (2,000 actions), reviewed as a whole process; prints the median of the runs.

    python bench/review.py            # 5 runs
    python bench/review.py --runs 3

The six months are recorded straight into a fresh history (no returns are read): ratings
that move month by month, evidence text on most actions, end dates revised on some, a KPI
series per area and a risk register, so every section of the pack has rows to write.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource  # POSIX only, like the benchmark machine
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from packbuilder.config import default_config_text, load_config
from packbuilder.history import BuildRecord, History, plan_snapshot, snapshot_sha256
from packbuilder.model import (
    Action,
    ActionStatus,
    Area,
    AreaCommentary,
    CheckReport,
    Direction,
    EndDate,
    EndDateKind,
    Kpi,
    KpiRag,
    KpiStatus,
    KpiTarget,
    Officer,
    Period,
    PeriodResult,
    Plan,
    Rating,
    ReturnStatus,
    Risk,
    RiskStatus,
    SubTheme,
)

ACTIONS, OFFICERS, AREAS = 2000, 600, 9
MONTHS = [Period(2023, m) for m in range(7, 13)]
RATINGS = [Rating.RED, Rating.AMBER, Rating.GREEN, Rating.BLUE]


def council_plan() -> Plan:
    per_area = ACTIONS // AREAS + 1
    actions = tuple(
        Action(
            id=f"{1 + n // per_area}A{n % per_area + 1}",
            sub_theme=f"{1 + n // per_area}a",
            area=1 + n // per_area,
            text=f"Deliver improvement {n} for children and young people with SEND",
            end_date=EndDate("31/03/2024", dt.date(2024, 3, 31), EndDateKind.DATE),
            reporting_officer=f"officer-{n % OFFICERS}",
        )
        for n in range(ACTIONS)
    )
    return Plan(
        areas=tuple(Area(a, f"Area of weakness {a}", f"Area {a} lead") for a in range(1, 10)),
        sub_themes=tuple(SubTheme(f"{a}a", a, f"Sub-theme {a}a") for a in range(1, 10)),
        actions=actions,
        officers=tuple(Officer(f"officer-{o}", f"Officer {o}") for o in range(OFFICERS)),
        kpis=tuple(
            Kpi(
                f"APP{k:02d}",
                f"Indicator {k}",
                areas=(1 + k % AREAS,),
                unit="%",
                baseline=40.0,
                standard=50.0,
                targets=(KpiTarget(dt.date(2024, 3, 31), 70.0, "70%"),),
            )
            for k in range(1, 65)  # the council size of bench/synth.py: APP01 … APP64
        ),
    )


def record_months(root: Path) -> None:
    (root / "config.toml").write_text(default_config_text(), "utf-8")
    config = load_config(root)
    plan = council_plan()
    rng = random.Random(6)
    progress = {a.id: rng.randrange(4) for a in plan.actions}
    snapshot = plan_snapshot(plan)
    with History.open(config, create=True) as history:
        for index, period in enumerate(MONTHS):
            statuses = []
            for action in plan.actions:
                progress[action.id] = min(3, max(0, progress[action.id] + rng.choice((-1, 0, 1))))
                revised = dt.date(2024, 6, 30) if index >= 3 and rng.random() < 0.1 else None
                statuses.append(
                    ActionStatus(
                        action=action,
                        progress=RATINGS[progress[action.id]],
                        impact=RATINGS[max(0, progress[action.id] - 1)],
                        previous_progress=None,
                        previous_impact=None,
                        return_status=ReturnStatus.UPDATED,
                        progress_commentary="Work continues as planned this month.",
                        evidence=rng.choice(("", "Audit shows plans improved", f"Month {index}")),
                        revised_end_date=revised,
                        revised_reason="Capacity" if revised else "",
                        end_date_agreed_in=period if revised else None,
                    )
                )
            result = PeriodResult(
                period=period,
                plan=plan,
                actions=statuses,
                area_commentary={
                    a: AreaCommentary(a, progress=f"Area {a} moved on in {period.label}.")
                    for a in range(1, 10)
                },
                check=CheckReport(period, [], [], [], []),
                exceptions=[],
                previous_period=MONTHS[index - 1] if index else None,
                kpis=[
                    KpiStatus(
                        k,
                        45.0 + index,
                        "",
                        period.last_day,
                        False,
                        k.targets[0],
                        KpiRag.AMBER,
                        "",
                        None,
                        Direction.NOT_COMPARABLE,
                    )
                    for k in plan.kpis
                ],
                risks=[
                    RiskStatus(Risk(f"R{r}", "2023", f"Risk {r}", "High"), "No change")
                    for r in range(1, 21)
                ],
            )
            history.begin()
            history.record(
                result,
                BuildRecord(
                    str(period),
                    period,
                    "2024-01-01T00:00:00+00:00",
                    "bench",
                    "c" * 64,
                    snapshot_sha256(snapshot),
                    {},
                    {},
                ),
                snapshot,
            )
            history.commit()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        record_months(root)
        command = [
            sys.executable,
            "-m",
            "packbuilder",
            "-C",
            str(root),
            "review",
            str(MONTHS[0]),
            str(MONTHS[-1]),
        ]
        times, cpu = [], []
        for _ in range(args.runs):
            used = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime)
        pack = next((root / "outputs").glob("review-*/*.docx"))
        print(
            f"review, 6 months x {ACTIONS:,} actions: median {statistics.median(times):.2f} s "
            f"over {args.runs} runs (min {min(times):.2f} s); CPU of both processes median "
            f"{statistics.median(cpu):.2f} s; load average {os.getloadavg()[0]:.1f}; "
            f"pack {pack.stat().st_size:,} bytes"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
