"""Create a new, empty workspace: the shape every later command expects to find.

``packbuilder init DIR`` calls ``init_workspace``. Everything it writes comes from package data
(the commented default config.toml and the Word templates) and from the plan schema, so it works
from an installed package without this repository.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from packbuilder.config import CONFIG_NAME, Paths, default_config_text, enclosing_workspace
from packbuilder.errors import WorkspaceError
from packbuilder.plan import schema
from packbuilder.plan.writer import write_plan_workbook

# A target in the example needs a date to be a target at all; the schema's example row leaves
# it for the office to fill in, so the example plan gets the end of the first year.
_EXAMPLE_TARGET_DATE = dt.date(2024, 3, 31)


def example_plan_rows() -> dict[str, list[tuple[object, ...]]]:
    """The schema's one example row per sheet, made consistent so the example plan loads.

    The example area's lead is an officer ID, so it gets its own row on the Officers sheet.
    """
    rows = {sheet: [tuple(row)] for sheet, row in schema.EXAMPLE_ROWS.items()}
    officer_ids = {str(row[0]) for row in rows[schema.OFFICERS]}
    lead_column = schema.HEADERS[schema.AREAS].index("Area lead")
    for area in rows[schema.AREAS]:
        lead = str(area[lead_column] or "")
        if lead and lead not in officer_ids:
            role = lead.replace("-", " ").capitalize()
            rows[schema.OFFICERS].append((lead, role, "", "", ""))
            officer_ids.add(lead)
    date_column = schema.HEADERS[schema.KPI_TARGETS].index("Target date")
    rows[schema.KPI_TARGETS] = [
        tuple(
            _EXAMPLE_TARGET_DATE if i == date_column and value is None else value
            for i, value in enumerate(row)
        )
        for row in rows[schema.KPI_TARGETS]
    ]
    return rows


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


def init_workspace(directory: Path) -> list[Path]:
    """Create a workspace in DIRECTORY (made if absent); return the files written.

    Refuses a folder that already holds a config.toml, so an existing workspace is never
    overwritten.
    """
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
        config_path.write_text(default_config_text(), encoding="utf-8")
        written = [config_path]
        written.append(write_plan_workbook(directory / paths.plan, example_plan_rows()))
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
