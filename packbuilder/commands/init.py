"""Create a new, empty workspace: the shape every later command expects to find.

``packbuilder init DIR`` calls ``init_workspace``. Everything it writes comes from package data
(the commented default config.toml and the Word templates) and from the plan schema, so it works
from an installed package without this repository.
"""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from packbuilder.config import CONFIG_NAME, Paths, default_config_text, enclosing_workspace
from packbuilder.errors import WorkspaceError
from packbuilder.model import Period
from packbuilder.plan import schema
from packbuilder.plan.writer import write_plan_workbook


def example_plan_rows(first: Period | None = None) -> dict[str, list[tuple[object, ...]]]:
    """The schema's one example row per sheet, made consistent so the example plan loads.

    The example area's lead is an officer ID, so it gets its own row on the Officers sheet.
    Its dates fall within the programme's first year from FIRST (this month by default), so
    a new workspace's first report has nothing overdue that the office did not write.
    """
    first = first or Period.of(dt.date.today())
    year_end = first.shift(11).last_day
    rows = {sheet: [tuple(row)] for sheet, row in schema.EXAMPLE_ROWS.items()}
    dated = {
        (schema.ACTIONS, "End date as written"): f"{year_end:%d %B %Y}".lstrip("0"),
        (schema.KPI_TARGETS, "Target date"): year_end,
        (schema.RISKS, "Date"): f"{first.first_day:%d/%m/%Y}",
    }
    for (sheet, header), value in dated.items():
        column = schema.HEADERS[sheet].index(header)
        rows[sheet] = [(*row[:column], value, *row[column + 1 :]) for row in rows[sheet]]
    officer_ids = {str(row[0]) for row in rows[schema.OFFICERS]}
    lead_column = schema.HEADERS[schema.AREAS].index("Area lead")
    for area in rows[schema.AREAS]:
        lead = str(area[lead_column] or "")
        if lead and lead not in officer_ids:
            role = lead.replace("-", " ").capitalize()
            rows[schema.OFFICERS].append((lead, role, "", "", ""))
            officer_ids.add(lead)
    return rows


def workspace_config_text(first: Period) -> str:
    """The default config.toml with the programme starting in FIRST (DfE months from it)."""
    text = default_config_text()
    for key in ("first", "first_period"):
        text = re.sub(
            rf'^{key} = "\d{{4}}-\d{{2}}"$', f'{key} = "{first}"', text, count=1, flags=re.M
        )
    return text


def _copy_tree(source: Traversable, target: Path) -> list[Path]:
    written: list[Path] = []
    target.mkdir(parents=True, exist_ok=True)
    for entry in sorted(source.iterdir(), key=lambda e: e.name):
        if entry.name.startswith((".", "__")):
            continue
        if entry.is_dir():
            written.extend(_copy_tree(entry, target / entry.name))
        else:
            destination = target / entry.name
            destination.write_bytes(entry.read_bytes())
            written.append(destination)
    return written


def init_workspace(directory: Path, first: Period | None = None) -> list[Path]:
    """Create a workspace in DIRECTORY (made if absent); return the files written.

    The programme starts in FIRST, this month by default. Refuses a folder that already holds
    a config.toml, or that is inside another workspace, so no workspace is ever overwritten or
    hidden inside another.
    """
    first = first or Period.of(dt.date.today())
    if directory.exists() and not directory.is_dir():
        raise WorkspaceError(
            f"{directory} is a file, not a folder",
            hint="Choose a new folder name for the workspace.",
        )
    config_path = directory / CONFIG_NAME
    if config_path.exists():
        raise WorkspaceError(
            f"{directory} is already a workspace: it has a {CONFIG_NAME}",
            hint="Choose a new folder, or work in this one with: "
            f"packbuilder -C {directory} plan check",
        )
    enclosing = enclosing_workspace(directory.resolve().parent)
    if enclosing is not None:
        raise WorkspaceError(
            f"{directory} is inside the workspace {enclosing}: a workspace cannot hold another",
            hint="Choose a folder outside that workspace for the new one, or work in that one "
            f"with: packbuilder -C {enclosing} plan check",
        )
    paths = Paths()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        config_path.write_text(workspace_config_text(first), encoding="utf-8")
        written = [config_path]
        written.append(
            write_plan_workbook(directory / paths.plan, example_plan_rows(first), guide=True)
        )
        for folder in (paths.returns, paths.kpis, paths.overrides, paths.narrative, paths.outputs):
            (directory / folder).mkdir(parents=True, exist_ok=True)
        templates = resources.files("packbuilder").joinpath("data/templates")
        written.extend(_copy_tree(templates, directory / paths.templates))
    except PermissionError as error:
        raise WorkspaceError(
            f"Cannot write the workspace in {directory}: {error.strerror}",
            hint="Choose a folder you can write to.",
        ) from None
    return written
