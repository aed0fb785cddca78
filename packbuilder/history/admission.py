"""History's opening checks: what is refused before history.sqlite is read or created.

Every command that opens history (``store.History.open``, ``history check`` and ``restore``
through ``history_backup``) first admits the file here: an empty, foreign or damaged file,
or a missing one while the outputs name builds it recorded, stops the command (exit 3)
rather than being read, or silently started afresh.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from packbuilder.errors import EnvironmentProblem
from packbuilder.model import Period

if TYPE_CHECKING:
    from packbuilder.config import Config


# --------------------------------------------------------------------------- opening checks

SQLITE_HEADER = b"SQLite format 3\x00"
_RESTORE_HINT = (
    "Run 'packbuilder history check' to see what it and each backup hold, then 'packbuilder "
    "history restore NAME' to put back a copy from backups/ (one is taken before every build)."
)


class HistoryUnusable(EnvironmentProblem):
    """history.sqlite is empty, foreign, damaged or missing while outputs name its builds."""


def damaged_history(config: Config, detail: str) -> HistoryUnusable:
    return HistoryUnusable(
        f"{config.settings.paths.history} is damaged ({detail}), so nothing was read or written",
        hint=_RESTORE_HINT,
    )


def admit_history_file(config: Config) -> None:
    """Refuse a history file that packbuilder must not read or silently re-create."""
    path, name = config.history_path, config.settings.paths.history
    if path.is_dir() or (path.is_symlink() and not path.exists()):
        raise HistoryUnusable(
            f"{name} is not a file", hint=f"Move {name} aside and restore it from backups/."
        )
    if not path.exists():
        named = builds_named_by_outputs(config)
        if named:
            raise HistoryUnusable(
                f"{name} is missing, but {named[0]} names a build it recorded, so history "
                "was not started afresh",
                hint=_RESTORE_HINT,
            )
        return
    with path.open("rb") as stream:
        header = stream.read(len(SQLITE_HEADER))
    if not header:
        raise HistoryUnusable(
            f"{name} is empty (0 bytes), so it holds none of the builds; it was not used",
            hint=_RESTORE_HINT,
        )
    if header != SQLITE_HEADER:
        raise HistoryUnusable(
            f"{name} is not an SQLite database (damaged, or another file put in its place)",
            hint=_RESTORE_HINT,
        )
    try:
        probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            problems = integrity_problems(probe, quick=True)
            tables = {r[0] for r in probe.execute("SELECT name FROM sqlite_master")}
        finally:
            probe.close()
    except sqlite3.DatabaseError as error:
        problems, tables = [str(error)], set()
    if problems:
        raise damaged_history(config, "; ".join(problems[:3]))
    named = builds_named_by_outputs(config) if "builds" not in tables else []
    if named:
        raise HistoryUnusable(
            f"{name} holds no builds, but {named[0]} names one it recorded, so history was not "
            "started afresh",
            hint=_RESTORE_HINT,
        )


def builds_named_by_outputs(config: Config) -> list[str]:
    """outputs/PERIOD/manifest.json files that name a build (as paths relative to the root)."""
    outputs = config.path(config.settings.paths.outputs)
    named = []
    for manifest in sorted(outputs.glob("*/manifest.json")):
        try:
            Period.parse(manifest.parent.name)
            text = manifest.read_text("utf-8")
        except (ValueError, OSError):
            continue
        if '"build_id"' in text:
            named.append(manifest.relative_to(config.root).as_posix())
    return named


def integrity_problems(db: sqlite3.Connection, quick: bool = False) -> list[str]:
    """SQLite's integrity check (QUICK: its quick check, for every opening), and whether the
    tables are packbuilder's: [] when sound."""
    pragma = "quick_check" if quick else "integrity_check"
    try:
        rows = [str(r[0]) for r in db.execute(f"PRAGMA {pragma}").fetchall()]
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        return [str(error)]
    problems = [] if rows == ["ok"] else rows
    if not problems and tables and "builds" not in tables:
        problems.append("it has tables, but not packbuilder's (another program's database?)")
    return problems
