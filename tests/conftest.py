"""Shared fixtures: a small valid plan register, made by code in the test's own folder."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from filelock import FileLock

from packbuilder.commands.build import build_period
from packbuilder.commands.init import init_workspace
from packbuilder.config import load_config
from packbuilder.model import Period
from packbuilder.plan import schema

PlanRows = dict[str, list[tuple[object, ...]]]

# The second CI run imitates Windows (.ci/windows/sitecustomize.py, Makefile test-windows).
IMITATING_WINDOWS = os.environ.get("PACKBUILDER_IMITATE_WINDOWS") == "1"
FORK = "fork" in multiprocessing.get_all_start_methods()

# How a reader that aborted is reported: by its signal on Linux and macOS, by its exit code on
# Windows (where there are no signals).
CRASHED = re.compile(r"the reader (crashed \(SIGABRT\)|stopped unexpectedly \(exit code \d+\))")


def pytest_sessionstart(session: pytest.Session) -> None:
    # The imitation must have taken hold, or this run would only repeat the first. This runs in
    # the pytest process and again in each xdist worker, where the tests actually run: a worker
    # started without the imitation's environment stops the run here.
    if IMITATING_WINDOWS and (problem := imitation_problem()):
        where = os.environ.get("PYTEST_XDIST_WORKER", "the pytest process")
        raise pytest.UsageError(
            f"PACKBUILDER_IMITATE_WINDOWS=1 but {problem} in {where}: run make test-windows, "
            "which sets PYTHONPATH=.ci/windows, PYTHONIOENCODING=cp1252 and PYTHONUTF8=0"
        )


def imitation_problem() -> str:
    """What of the Windows imitation is missing in this process ("" when nothing is)."""
    if hasattr(os, "fork") or multiprocessing.get_all_start_methods() != ["spawn"]:
        return "fork is still reachable"
    if sys.flags.utf8_mode:
        return "Python's UTF-8 mode is on"
    if os.environ.get("PYTHONIOENCODING") != "cp1252":
        return "the console is not cp1252"
    return ""


def pytest_report_header() -> str:
    if IMITATING_WINDOWS:
        return f"imitating Windows: spawn only, console {sys.stdout.encoding}"
    return f"start methods: {', '.join(multiprocessing.get_all_start_methods())}"


def small_plan_rows() -> PlanRows:
    """Two areas, three sub-themes, three actions, three officers, two KPIs and a risk.

    Loads with no findings at all; each loader test breaks one thing in a copy of it.
    """
    return {
        schema.AREAS: [
            (1, "Parents' confidence", "head-of-comms"),
            (2, "Mainstream inclusion", "area-2-lead"),
        ],
        schema.SUB_THEMES: [
            ("1a", 1, "Confidence is low"),
            ("1b", 1, "Information for families"),
            ("2a", 2, "Inclusion in schools"),
        ],
        schema.ACTIONS: [
            # id, sub-theme, text, end as written, end date, reporting, others, as written,
            # KPI codes, other measures, evidence, baseline progress, baseline impact
            ("1A1", "1a", "Publish a communications strategy", "31 March 2024",
             dt.date(2024, 3, 31), "head-of-comms", "dir-education",
             "Head of Communications. Director of Education.", "APP01", "", "Published",
             "Amber", "Not yet rated"),
            ("1B1", "1b", "Run parent forums", "30 September 2023", None, "dir-education", "",
             "Director of Education and SEND, KCC.", "", "Not applicable", "Forum notes",
             "green", " AMBER "),
            ("2A1", "2a", "Mainstream core standards training", "March 2023 pilot", None,
             "dir-education", "head-of-comms; area-2-lead", "Director; Head of Comms",
             "APP01; app02", "Number of red risks", "Training records", "Blue",
             "TBC in September 23 reporting"),
        ],
        schema.OFFICERS: [
            ("dir-education", "Director of Education and SEND", "KCC", "",
             "Director for Education and SEND; Director of Education and SEND, KCC."),
            ("head-of-comms", "Head of Communications", "KCC", "comms@example.org", ""),
            ("area-2-lead", "Area 2 lead", "", "", ""),
        ],
        schema.KPIS: [
            ("APP01", "Complaints answered on time", "1", "%", "higher", "monthly", 60, "60%",
             dt.date(2023, 3, 31), 50, "yes"),
            ("APP02", "Suspensions", "1; 2", "number", "Lower", "termly", None, "TBC", None,
             None, ""),
        ],
        schema.KPI_TARGETS: [
            ("APP01", dt.date(2025, 3, 31), "TBC"),
            ("APP01", dt.date(2024, 3, 31), "75%"),
        ],
        schema.RISKS: [
            ("R01", "17/05/23", "Capacity to deliver the plan", "Programme director", "High",
             "Recruit", "Medium", "Recruitment under way", "Open", 3, 4),
        ],
    }  # fmt: skip


@pytest.fixture()
def plan_rows() -> PlanRows:
    """A fresh copy of the small valid plan's rows, to change in the test."""
    return small_plan_rows()


@pytest.fixture()
def new_workspace(tmp_path: Path) -> Path:
    """A workspace made by ``packbuilder init``."""
    folder = tmp_path / "workspace"
    init_workspace(folder)
    return folder


REPOSITORY = Path(__file__).resolve().parent.parent
EXAMPLE_MONTHS = (Period(2023, 7), Period(2023, 8))


def copy_example(destination: Path) -> Path:
    """The bundled example's own files (config, inputs, templates) copied to DESTINATION."""
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPOSITORY / "config.toml", destination / "config.toml")
    for folder in ("inputs", "templates"):
        shutil.copytree(REPOSITORY / folder, destination / folder)
    return destination


@pytest.fixture(scope="session")
def built_example(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The bundled example with July and August built, once per run: READ ONLY.

    A build of the example takes seconds of CPU; several modules only read its outputs. Under
    xdist the workers share one build (the first to ask makes it, under a lock, in the run's
    own temporary folder). A test that writes in the workspace takes ``built_example_copy``.
    """
    if worker_id == "master":  # not under xdist: this session's own folder
        return _build_example(tmp_path_factory.mktemp("built-example") / "ws")
    shared = tmp_path_factory.getbasetemp().parent  # pytest-N/, shared by this run's workers
    with FileLock(str(shared / "built-example.lock")):
        root = shared / "built-example" / "ws"
        if not (root / "outputs" / str(EXAMPLE_MONTHS[-1]) / "manifest.json").is_file():
            shutil.rmtree(root.parent, ignore_errors=True)
            _build_example(root)
    return root


def _build_example(root: Path) -> Path:
    config = load_config(copy_example(root))
    for month in EXAMPLE_MONTHS:
        build_period(config, month)
    return root


@pytest.fixture()
def built_example_copy(built_example: Path, tmp_path: Path) -> Iterator[Path]:
    """A fresh copy of the built example for one test to write in."""
    yield Path(shutil.copytree(built_example, tmp_path / "built-example"))
