"""History's safety net: rolling backups, ``history check`` and ``history restore``.

Beside ``history``: before every build (and every ``history remove``) the database is copied
with SQLite's online backup into ``backups/history-YYYYMMDD-HHMMSS.sqlite`` at the workspace
root, keeping the last ``backups.kept``. ``history check`` runs SQLite's integrity check
and says which periods the database holds; ``history restore`` shows what a backup holds and
puts it back, first keeping a copy of what it replaces. Commands hold the workspace lock.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from packbuilder.config import Config
from packbuilder.errors import EnvironmentProblem, WorkspaceError
from packbuilder.history import SQLITE_HEADER, admit_history_file, integrity_problems
from packbuilder.lock import holding_workspace
from packbuilder.model import Period

PREFIX = "history-"


@dataclass(frozen=True)
class HistoryHealth:
    """What one history file holds, and what is wrong with it ([] when sound)."""

    path: Path
    problems: list[str]
    periods: list[Period]
    builds: int

    @property
    def sound(self) -> bool:
        return not self.problems

    def holds(self) -> str:
        """ "2023-07, 2023-08 (3 builds)", or "no period"."""
        if not self.periods:
            return "no period"
        builds = f"{self.builds} build" + ("" if self.builds == 1 else "s")
        return f"{', '.join(str(p) for p in self.periods)} ({builds})"


def backups_dir(config: Config) -> Path:
    return config.path(config.settings.backups.folder)


def list_backups(config: Config) -> list[Path]:
    """The backups, oldest first (their names sort by the time they were taken)."""
    folder = backups_dir(config)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"{PREFIX}*.sqlite") if p.is_file())


def back_up_history(config: Config) -> Path | None:
    """Copy history into backups/ (online backup: consistent even mid-write); prune to the
    last N. None when there is no history yet. A copy that cannot be finished leaves nothing."""
    source = config.history_path
    if not source.is_file():
        return None
    admit_history_file(config)
    destination = _free_name(backups_dir(config), PREFIX)
    _copy_database(source, destination)
    kept = config.settings.backups.kept
    rolling = [p for p in list_backups(config) if p.name[len(PREFIX)].isdigit()]
    for old in rolling[:-kept]:
        old.unlink()
    return destination


def _free_name(folder: Path, prefix: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"{prefix}{stamp}.sqlite"
    number = 2
    while path.exists():
        path = folder / f"{prefix}{stamp}-{number}.sqlite"
        number += 1
    return path


def _copy_database(source: Path, destination: Path) -> None:
    """SOURCE copied into DESTINATION through a partial file, synced, then renamed."""
    partial = destination.with_name(f".{destination.name}.partial")
    try:
        reading = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        try:
            writing = sqlite3.connect(str(partial))
            try:
                reading.backup(writing)
            finally:
                writing.close()
        finally:
            reading.close()
        with partial.open("rb+") as stream:
            os.fsync(stream.fileno())
        os.replace(partial, destination)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def health(path: Path) -> HistoryHealth:
    """The integrity check of the database at PATH, and the periods and builds it holds."""
    if not path.is_file():
        return HistoryHealth(path, ["there is no such file"], [], 0)
    with path.open("rb") as stream:
        header = stream.read(len(SQLITE_HEADER))
    if not header:
        return HistoryHealth(path, ["it is empty (0 bytes)"], [], 0)
    if header != SQLITE_HEADER:
        return HistoryHealth(path, ["it is not an SQLite database"], [], 0)
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        return HistoryHealth(path, [str(error)], [], 0)
    try:
        problems = integrity_problems(db)
        periods: list[Period] = []
        builds = 0
        if not problems:
            try:
                periods = [
                    Period.parse(r[0])
                    for r in db.execute("SELECT period FROM plan_snapshots ORDER BY period")
                ]
                builds = int(db.execute("SELECT COUNT(*) FROM builds").fetchone()[0])
            except sqlite3.Error as error:
                problems = [f"it is not packbuilder's history ({error})"]
        return HistoryHealth(path, problems, periods, builds)
    finally:
        db.close()


def check_history(config: Config) -> tuple[HistoryHealth, list[HistoryHealth]]:
    """The workspace's history and each backup, checked."""
    return health(config.history_path), [health(p) for p in list_backups(config)]


def find_backup(config: Config, name: str) -> Path:
    """The backup called NAME (a file name in backups/, or a path)."""
    candidates = [Path(name), backups_dir(config) / name, backups_dir(config) / f"{name}.sqlite"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    listed = ", ".join(p.name for p in list_backups(config)) or "none"
    raise WorkspaceError(
        f"No backup called {name} (in {config.settings.backups.folder}/: {listed})",
        hint="Run 'packbuilder history check' to list the backups and what each holds.",
    )


@dataclass(frozen=True)
class Restored:
    """A backup put back: what it holds, where the file it replaced was kept, and the periods
    whose outputs name a build the restored history does not hold (to rebuild)."""

    backup: HistoryHealth
    replaced: Path | None
    to_rebuild: list[Period]


def restore_history(
    config: Config, backup: Path, confirm: Callable[[HistoryHealth], bool]
) -> Restored | None:
    """Put BACKUP in place of history once CONFIRM (shown what it holds) agrees.

    Refuses a backup that fails its integrity check. The file it replaces, if any, is first
    kept in backups/ as history-replaced-YYYYMMDD-HHMMSS.sqlite (byte for byte, damaged or
    not). None when CONFIRM declines.
    """

    checked = health(backup)
    if not checked.sound:
        raise EnvironmentProblem(
            f"{backup.name} cannot be restored: {'; '.join(checked.problems[:3])}",
            hint="Choose another backup ('packbuilder history check' lists them).",
        )
    with holding_workspace(config):
        if not confirm(checked):
            return None
        target = config.history_path
        replaced = None
        if target.exists():
            replaced = _free_name(backups_dir(config), "history-replaced-")
            os.replace(target, replaced)
        try:
            _copy_database(backup, target)
        except BaseException:
            if replaced is not None:
                os.replace(replaced, target)
            raise
        for leftover in ("-journal", "-wal", "-shm"):
            Path(f"{target}{leftover}").unlink(missing_ok=True)
        return Restored(checked, replaced, _outputs_newer_than(config, target))


def _outputs_newer_than(config: Config, history: Path) -> list[Period]:
    """Periods whose manifest names a build that HISTORY does not hold."""
    import json

    db = sqlite3.connect(f"{history.resolve().as_uri()}?mode=ro", uri=True)
    try:
        known = {r[0] for r in db.execute("SELECT build_id FROM builds")}
    finally:
        db.close()
    newer = []
    outputs = config.path(config.settings.paths.outputs)
    for manifest in sorted(outputs.glob("*/manifest.json")):
        try:
            period = Period.parse(manifest.parent.name)
            build_id = json.loads(manifest.read_text("utf-8")).get("build_id")
        except (ValueError, OSError, AttributeError):
            continue
        if build_id and build_id not in known:
            newer.append(period)
    return newer
