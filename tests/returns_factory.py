"""Returns made and filled by code, for tests of the reader, the checks and what follows.

A small workspace (config.toml and a four-action plan register), the period's returns made by
``returns make``'s own writer, and helpers that fill a return as an officer would (openpyxl
load and save, which keeps validation, protection and the very hidden sheet). Each check test
starts from a clean, filled return and breaks one thing.
"""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from openpyxl import load_workbook

from packbuilder.checks.context import CheckContext, CheckLimits, context_from_plan
from packbuilder.checks.run import check_file, check_folder
from packbuilder.config import Config, default_config_text, load_config
from packbuilder.model import CheckReport, Finding, LastValues, Period, Plan, ReturnFile
from packbuilder.plan import schema
from packbuilder.plan.writer import write_plan_workbook
from packbuilder.returns import layout

PERIOD = Period(2023, 7)
NEXT = Period(2023, 8)

OFFICERS = [
    ("director-education", "Director of Education and SEND", "KCC", "dir@example.org", ""),
    ("head-of-comms", "Head of Communications", "KCC", "", ""),
    ("nhs-lead", "Designated Clinical Officer", "NHS", "dco@example.org", ""),
]
AREAS = [
    (1, "Parents' confidence", "head-of-comms"),
    (2, "Mainstream inclusion", "nhs-lead"),
]
SUB_THEMES = [("1a", 1, "Confidence is low"), ("2a", 2, "Inclusion in schools")]
ACTIONS = [
    # id, sub-theme, text, end as written, end date, reporting, others, as written, kpis,
    # other measures, evidence, baseline progress, baseline impact
    ("1A1", "1a", "Publish a communications strategy", "31 March 2024", dt.date(2024, 3, 31),
     "head-of-comms", "director-education", "Head of Comms; Director", "", "", "Published",
     "Amber", "Not yet rated"),
    ("1A2", "1a", "Run termly parent forums", "Ongoing", None,
     "director-education", "", "Director", "", "", "Forum notes", "Green", "Amber"),
    ("2A1", "2a", "Mainstream core standards training", "31 May 2023", dt.date(2023, 5, 31),
     "director-education", "nhs-lead", "Director; DCO", "", "", "Training records",
     "Green", "Green"),
    ("2A2", "2a", "Review special schools", "December 2023", None,
     "nhs-lead", "", "DCO", "", "", "", "Red", "Red"),
]  # fmt: skip

DIRECTOR = "director-education"


def write_workspace(root: Path, *, extra_config: str = "") -> Config:
    """A workspace with the default config and the four-action plan register above."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "config.toml").write_text(default_config_text() + extra_config, "utf-8")
    write_plan_workbook(
        root / "inputs" / "plan.xlsx",
        {
            schema.OFFICERS: OFFICERS,
            schema.AREAS: AREAS,
            schema.SUB_THEMES: SUB_THEMES,
            schema.ACTIONS: ACTIONS,
        },
    )
    return load_config(root)


def load_test_plan(config: Config) -> Plan:
    from packbuilder.plan.loader import load_plan

    loaded = load_plan(config.plan_path, config)
    assert not loaded.errors, loaded.errors
    return loaded.plan


# Returns made once per test process for each plan, config, period and last values, then
# copied: making them costs about half a second, and most tests make the same small plan's
# July returns. The copies land where ``returns make`` writes them, with its send list.
_MADE: dict[str, tuple[Path, dict[str, str]]] = {}


def _made_key(config: Config, period: Period, last: dict[str, LastValues]) -> str:
    digest = hashlib.sha256(config.plan_path.read_bytes())
    digest.update((config.root / "config.toml").read_bytes())
    digest.update(f"{period}|{sorted(last.items())!r}".encode())
    return digest.hexdigest()


def make_blank_returns(
    config: Config, period: Period = PERIOD, last: dict[str, LastValues] | None = None
) -> dict[str, Path]:
    """The period's returns as made: officer ID (or "area-N") -> path."""
    from packbuilder.returns.make import write_returns

    plan = load_test_plan(config)
    folder = config.outputs_dir(period) / "returns"
    key = _made_key(config, period, last or {})
    if key in _MADE:
        store, names = _MADE[key]
        shutil.copytree(store, folder, dirs_exist_ok=True)
    else:
        made = write_returns(config, plan, period, last or {})
        store = Path(tempfile.mkdtemp(prefix="made-returns-"))
        atexit.register(shutil.rmtree, store, True)
        shutil.copytree(made.folder, store, dirs_exist_ok=True)
        names = {_owner(path): path.name for path in made.files}
        _MADE[key] = (store, names)
    return {owner: folder / name for owner, name in names.items()}


def _owner(path: Path) -> str:
    """The officer ID (or "area-N") a return was made for, from its hidden sheet."""
    workbook = load_workbook(path, read_only=True)
    meta = workbook[layout.META_SHEET]
    values = {row[0]: row[1] for row in meta.iter_rows(min_row=2, max_row=8, values_only=True)}
    workbook.close()
    return str(values["officer_id"] if values["kind"] == "officer" else f"area-{values['area']}")


def clean_inputs(action_id: str) -> dict[str, object]:
    """Inputs that pass every check for the test plan's actions (nothing overdue, no gaps)."""
    inputs: dict[str, object] = {
        "progress": "Amber",
        "impact": "Amber",
        "progress_commentary": f"Work on {action_id} is on track this month.",
        "confidence": "High",
        "escalation": "No",
        "next_milestone": "Draft to the board",
        "next_milestone_date": dt.datetime(2023, 9, 30),
    }
    if action_id == "2A1":  # its end date has passed: complete, with evidence
        inputs.update(progress="Green", impact="Green", evidence="Training records for 40 staff")
    return inputs


def fill(
    source: Path,
    dest: Path,
    rows: Mapping[str, Mapping[str, object]],
    *,
    cells: Mapping[str, object] | None = None,
) -> Path:
    """Copy SOURCE to DEST with the inputs typed in: action ID -> column key -> value.

    ``cells`` sets any other cell of the Return (or Area commentary) sheet by reference.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    workbook = load_workbook(source)
    name = layout.RETURN_SHEET if layout.RETURN_SHEET in workbook.sheetnames else layout.AREA_SHEET
    sheet = workbook[name]
    where = {
        str(sheet.cell(r, 1).value): r
        for r in range(layout.FIRST_ROW, sheet.max_row + 1)
        if sheet.cell(r, 1).value
    }
    for action_id, values in rows.items():
        for key, value in values.items():
            sheet[f"{layout.COLUMN_BY_KEY[key].letter}{where[action_id]}"] = value
    for ref, value in (cells or {}).items():
        sheet[ref] = value
    workbook.save(dest)
    return dest


def reported(officer_id: str) -> list[str]:
    return [a[0] for a in ACTIONS if a[5] == officer_id]


def fill_clean(
    source: Path,
    dest: Path,
    officer_id: str,
    change: Mapping[str, Mapping[str, object]] | None = None,
    *,
    cells: Mapping[str, object] | None = None,
) -> Path:
    """A return filled so that it checks clean, with CHANGE applied on top."""
    rows = {a: clean_inputs(a) for a in reported(officer_id)}
    for action_id, values in (change or {}).items():
        rows.setdefault(action_id, {}).update(values)
    return fill(source, dest, rows, cells=cells)


def fill_area(source: Path, dest: Path, texts: Mapping[str, str]) -> Path:
    """An area-lead return with the commentary fields given (key -> text)."""
    workbook = load_workbook(source)
    meta = workbook[layout.META_SHEET]
    cells = {
        str(meta.cell(r, 1).value): str(meta.cell(r, 2).value)
        for r in range(layout.META_ROWS_HEADER + 1, meta.max_row + 1)
    }
    sheet = workbook[layout.AREA_SHEET]
    for key, text in texts.items():
        sheet[cells[key]] = text
    dest.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(dest)
    return dest


def context(
    config: Config,
    period: Period = PERIOD,
    *,
    last: dict[str, LastValues] | None = None,
    limits: CheckLimits | None = None,
) -> CheckContext:
    plan = load_test_plan(config)
    return context_from_plan(
        plan,
        period,
        first_report=period <= config.first_period,
        last_values=last,
        confidence=tuple(config.settings.returns.confidence),
        low_confidence=tuple(config.settings.returns.low_confidence),
        deadline=config.deadline(period),
        limits=limits,
    )


def check_one(path: Path, ctx: CheckContext) -> ReturnFile:
    return check_file(path, ctx)


def check_dir(folder: Path, config: Config, ctx: CheckContext) -> CheckReport:
    plan = load_test_plan(config)
    return check_folder(
        folder,
        ctx,
        expected_officers=[o.id for o in plan.reporting_officers()],
        expected_areas=sorted(ctx.areas),
    )


def flat(findings: Iterable[Finding]) -> list[tuple[str, str, str]]:
    """Findings as (code, cell, action) for exact comparison in tests."""
    return [(f.code, f.cell, f.action_id) for f in findings]


def codes(findings: Iterable[Finding]) -> list[str]:
    return [f.code for f in findings]


def copy(source: Path, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, dest)
    return dest
