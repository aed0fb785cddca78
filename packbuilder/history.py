"""History: every build's merged period, kept in an SQLite database in the workspace.

``build`` records each period here (every action's values and the cell each came from, the
exceptions, the KPI values, the risk register, the plan it used and the build itself), and
reads it back for what no single month can say: last period's values to carry forward, the
direction of travel, "in exception for N periods", trends and plan changes.

The schema is versioned with ``PRAGMA user_version`` and a list of migrations: migration N
takes a database from version N-1 to N, so a user's history survives an upgrade. Later
features add their tables by appending a migration; existing ones are never edited.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packbuilder.checks.registry import REGISTRY
from packbuilder.errors import EnvironmentProblem, WorkspaceError
from packbuilder.kpis.last import PLAN_BASELINE
from packbuilder.merge import RecordedAction
from packbuilder.model import (
    BRAG_ORDER,
    AreaCommentary,
    CellSource,
    ExceptionItem,
    Finding,
    LastValues,
    Override,
    Period,
    PeriodResult,
    Plan,
    Rating,
    ReturnStatus,
    Risk,
)

if TYPE_CHECKING:
    from rich.console import Console

    from packbuilder.config import Config


# --------------------------------------------------------------------------- schema


def _migration_1(db: sqlite3.Connection) -> None:
    """Builds, plan snapshots, action rows with each value's source, exceptions."""
    _run(
        db,
        """
        CREATE TABLE builds (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            build_id TEXT NOT NULL UNIQUE,
            period TEXT NOT NULL,
            built_at TEXT NOT NULL,
            version TEXT NOT NULL,
            config_sha256 TEXT NOT NULL,
            plan_sha256 TEXT NOT NULL,
            inputs_json TEXT NOT NULL,
            counts_json TEXT NOT NULL
        );
        CREATE TABLE plan_snapshots (
            period TEXT PRIMARY KEY,
            plan_sha256 TEXT NOT NULL,
            snapshot_json TEXT NOT NULL
        );
        CREATE TABLE action_rows (
            period TEXT NOT NULL,
            position INTEGER NOT NULL,
            action_id TEXT NOT NULL,
            area INTEGER NOT NULL,
            sub_theme TEXT NOT NULL,
            reporting_officer TEXT NOT NULL,
            progress TEXT,
            impact TEXT,
            previous_progress TEXT,
            previous_impact TEXT,
            return_status TEXT NOT NULL,
            progress_commentary TEXT NOT NULL,
            evidence TEXT NOT NULL,
            revised_end_date TEXT,
            revised_reason TEXT NOT NULL,
            confidence TEXT NOT NULL,
            risks TEXT NOT NULL,
            escalation INTEGER,
            next_milestone TEXT NOT NULL,
            next_milestone_date TEXT,
            overrides_json TEXT NOT NULL,
            PRIMARY KEY (period, action_id)
        );
        CREATE TABLE value_sources (
            period TEXT NOT NULL,
            action_id TEXT NOT NULL,
            field TEXT NOT NULL,
            file TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            sheet TEXT NOT NULL,
            cell TEXT NOT NULL,
            PRIMARY KEY (period, action_id, field)
        );
        CREATE TABLE area_commentary (
            period TEXT NOT NULL,
            area INTEGER NOT NULL,
            progress TEXT NOT NULL,
            impact TEXT NOT NULL,
            concerns TEXT NOT NULL,
            escalations TEXT NOT NULL,
            PRIMARY KEY (period, area)
        );
        CREATE TABLE exceptions (
            period TEXT NOT NULL,
            rule TEXT NOT NULL,
            kind TEXT NOT NULL,
            subject TEXT NOT NULL,
            area INTEGER,
            owner TEXT NOT NULL,
            summary TEXT NOT NULL,
            periods_in_exception INTEGER NOT NULL,
            PRIMARY KEY (period, rule, kind, subject)
        );
        """,
    )


def _migration_2(db: sqlite3.Connection) -> None:
    """KPI values and the risk register, per period."""
    _run(
        db,
        """
        CREATE TABLE kpi_values (
            period TEXT NOT NULL,
            code TEXT NOT NULL,
            value REAL,
            value_text TEXT NOT NULL,
            as_at TEXT,
            carried_forward INTEGER NOT NULL,
            target REAL,
            target_text TEXT NOT NULL,
            rag TEXT NOT NULL,
            rag_reason TEXT NOT NULL,
            note TEXT NOT NULL,
            file TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            sheet TEXT NOT NULL,
            cell TEXT NOT NULL,
            PRIMARY KEY (period, code)
        );
        CREATE TABLE risks (
            period TEXT NOT NULL,
            position INTEGER NOT NULL,
            risk_id TEXT NOT NULL,
            date_text TEXT NOT NULL,
            risk TEXT NOT NULL,
            severity TEXT NOT NULL,
            mitigations TEXT NOT NULL,
            severity_after TEXT NOT NULL,
            progress TEXT NOT NULL,
            status TEXT NOT NULL,
            owner TEXT NOT NULL,
            likelihood INTEGER,
            impact INTEGER,
            change TEXT NOT NULL,
            PRIMARY KEY (period, risk_id)
        );
        """,
    )


def _migration_3(db: sqlite3.Connection) -> None:
    """Values kept from the period before because this period's cell or row was rejected by an
    error, with why in words (what the tracker and the reports said)."""
    _run(
        db,
        """
        CREATE TABLE carried_values (
            period TEXT NOT NULL,
            action_id TEXT NOT NULL,
            field TEXT NOT NULL,
            reason TEXT NOT NULL,
            PRIMARY KEY (period, action_id, field)
        );
        """,
    )


def _migration_4(db: sqlite3.Connection) -> None:
    """The period each action's end date in force was agreed in.

    Rows recorded before this migration name the earliest recorded period, up to their own,
    that already held the same revised end date for the action.
    """
    _run(
        db,
        """
        ALTER TABLE action_rows ADD COLUMN end_date_agreed_in TEXT;
        UPDATE action_rows SET end_date_agreed_in = (
            SELECT MIN(earlier.period) FROM action_rows AS earlier
            WHERE earlier.action_id = action_rows.action_id
              AND earlier.revised_end_date = action_rows.revised_end_date
              AND earlier.period <= action_rows.period
        ) WHERE revised_end_date IS NOT NULL
        """,
    )


def _run(db: sqlite3.Connection, script: str) -> None:
    # executescript() would commit first; a migration must stay inside its transaction.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _migration_1,
    _migration_2,
    _migration_3,
    _migration_4,
]
SCHEMA_VERSION = len(MIGRATIONS)

_PERIOD_TABLES = (
    "plan_snapshots",
    "action_rows",
    "value_sources",
    "area_commentary",
    "exceptions",
    "kpi_values",
    "risks",
    "carried_values",
)


def migrate(db: sqlite3.Connection, upto: int = SCHEMA_VERSION) -> None:
    """Bring the database to schema version ``upto``, one migration per transaction."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise WorkspaceError(
            f"history.sqlite has schema version {version}, newer than this packbuilder "
            f"understands ({SCHEMA_VERSION})",
            hint="Upgrade packbuilder to the version that last wrote this workspace.",
        )
    for number in range(version + 1, upto + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[number - 1](db)
            db.execute(f"PRAGMA user_version = {number}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


def connect(path: Path | str) -> sqlite3.Connection:
    """Open (creating if need be) and migrate a history database."""
    db = sqlite3.connect(str(path), isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    try:
        migrate(db)
    except BaseException:
        db.close()
        raise
    return db


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


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class BuildRecord:
    """One build, as the manifest and ``packbuilder history`` describe it."""

    build_id: str
    period: Period
    built_at: str  # ISO 8601, UTC
    version: str
    config_sha256: str
    plan_sha256: str
    inputs: dict[str, str]  # relative path -> sha256
    counts: dict[str, int]


@dataclass(frozen=True)
class PlanChange:
    """An action added, retired or changed in the plan between two recorded periods."""

    action_id: str
    change: str  # "Added" | "Retired" | "Reassigned" | "End date changed" | "Text changed"
    before: str
    after: str


@dataclass(frozen=True)
class RecordedKpi:
    code: str
    value: float | None
    as_at: dt.date | None


def plan_snapshot(plan: Plan) -> dict[str, Any]:
    """The plan as plain data: stored per period and compared between periods."""
    return {
        "areas": [_plain(a) for a in plan.areas],
        "sub_themes": [_plain(s) for s in plan.sub_themes],
        "actions": [_plain(a) for a in plan.actions],
        "officers": [_plain(o) for o in plan.officers],
        "kpis": [_plain(k) for k in plan.kpis],
        "risks": [_plain(r) for r in plan.risks],
    }


def snapshot_sha256(snapshot: dict[str, Any]) -> str:
    text = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Path):
        return value.name
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _rating(text: str | None) -> Rating | None:
    return Rating(text) if text else None


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _period(text: str | None) -> Period | None:
    return Period.parse(text) if text else None


# --------------------------------------------------------------------------- the database


class History:
    """The history database of one workspace; implements ``HistoryView`` for the reports."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    @classmethod
    @contextmanager
    def open(cls, config: Config, create: bool = False) -> Iterator[History]:
        """Open the workspace's history; without ``create`` a missing file reads as empty.

        Refuses (HistoryUnusable, exit 3) a file that is empty, not SQLite, not packbuilder's
        or damaged, and a missing file while outputs name builds it should hold.
        """
        path = config.history_path
        admit_history_file(config)
        target: Path | str = path if create or path.exists() else ":memory:"
        try:
            db = connect(target)
        except sqlite3.DatabaseError as error:
            raise damaged_history(config, str(error)) from None
        try:
            yield cls(db)
        finally:
            db.close()

    # ---- reading

    def recorded_periods(self) -> list[Period]:
        """Every period with a recorded build, oldest first."""
        rows = self.db.execute("SELECT period FROM plan_snapshots ORDER BY period").fetchall()
        return [Period.parse(r[0]) for r in rows]

    def latest_before(self, period: Period) -> Period | None:
        earlier = [p for p in self.recorded_periods() if p < period]
        return earlier[-1] if earlier else None

    def ratings(self, period: Period) -> dict[str, tuple[Rating | None, Rating | None]]:
        rows = self.db.execute(
            "SELECT action_id, progress, impact FROM action_rows WHERE period = ? "
            "ORDER BY position",
            (str(period),),
        )
        return {r[0]: (_rating(r[1]), _rating(r[2])) for r in rows}

    def recorded_actions(self, period: Period) -> dict[str, RecordedAction]:
        """Every action's recorded values for PERIOD, with the source of each."""
        sources: dict[str, dict[str, CellSource]] = {}
        for action_id, name, file, sha, sheet, cell in self.db.execute(
            "SELECT action_id, field, file, sha256, sheet, cell FROM value_sources "
            "WHERE period = ?",
            (str(period),),
        ):
            sources.setdefault(action_id, {})[name] = CellSource(file, sha, sheet, cell)
        recorded = {}
        for row in self.db.execute(
            "SELECT action_id, progress, impact, return_status, progress_commentary, evidence, "
            "revised_end_date, revised_reason, confidence, risks, escalation, next_milestone, "
            "next_milestone_date, reporting_officer, end_date_agreed_in FROM action_rows "
            "WHERE period = ? "
            "ORDER BY position",
            (str(period),),
        ):
            recorded[row[0]] = RecordedAction(
                period=period,
                progress=_rating(row[1]),
                impact=_rating(row[2]),
                return_status=ReturnStatus(row[3]),
                progress_commentary=row[4],
                evidence=row[5],
                revised_end_date=_date(row[6]),
                revised_reason=row[7],
                confidence=row[8],
                risks=row[9],
                escalation=None if row[10] is None else bool(row[10]),
                next_milestone=row[11],
                next_milestone_date=_date(row[12]),
                reporting_officer=row[13],
                sources=sources.get(row[0], {}),
                end_date_agreed_in=_period(row[14]),
            )
        return recorded

    def carried(self, period: Period) -> dict[str, dict[str, str]]:
        """Action ID to the fields PERIOD carried forward because of an error, each with why."""
        carried: dict[str, dict[str, str]] = {}
        for action_id, name, reason in self.db.execute(
            "SELECT action_id, field, reason FROM carried_values WHERE period = ? "
            "ORDER BY action_id, field",
            (str(period),),
        ):
            carried.setdefault(action_id, {})[name] = reason
        return carried

    def area_commentary(self, period: Period) -> dict[int, AreaCommentary]:
        """Each area lead's commentary as recorded for PERIOD."""
        return {
            row[0]: AreaCommentary(
                area=row[0], progress=row[1], impact=row[2], concerns=row[3], escalations=row[4]
            )
            for row in self.db.execute(
                "SELECT area, progress, impact, concerns, escalations FROM area_commentary "
                "WHERE period = ? ORDER BY area",
                (str(period),),
            )
        }

    def overrides(self, period: Period) -> dict[str, list[Override]]:
        result: dict[str, list[Override]] = {}
        for action_id, text in self.db.execute(
            "SELECT action_id, overrides_json FROM action_rows WHERE period = ?", (str(period),)
        ):
            items = json.loads(text)
            if items:
                result[action_id] = [
                    Override(
                        action_id=action_id,
                        field=i["field"],
                        value=i["value"],
                        reason=i["reason"],
                        who=i["who"],
                        source=CellSource(**i["source"]) if i.get("source") else None,
                    )
                    for i in items
                ]
        return result

    def exceptions(self, period: Period) -> list[ExceptionItem]:
        return [
            ExceptionItem(
                rule=r[0],
                kind=r[1],
                subject=r[2],
                area=r[3],
                owner=r[4],
                summary=r[5],
                periods_in_exception=r[6],
            )
            for r in self.db.execute(
                "SELECT rule, kind, subject, area, owner, summary, periods_in_exception "
                "FROM exceptions WHERE period = ? ORDER BY kind, subject, rule",
                (str(period),),
            )
        ]

    def exception_subjects(self) -> dict[Period, set[tuple[str, str]]]:
        """For every recorded period, the (kind, subject) pairs that were in exception."""
        result: dict[Period, set[tuple[str, str]]] = {p: set() for p in self.recorded_periods()}
        for period, kind, subject in self.db.execute(
            "SELECT period, kind, subject FROM exceptions"
        ):
            result.setdefault(Period.parse(period), set()).add((kind, subject))
        return result

    def brag_counts(self, kind: str) -> dict[Period, dict[Rating, int]]:
        """Per recorded period, how many actions had each rating ("progress" or "impact")."""
        if kind not in ("progress", "impact"):
            raise ValueError(kind)
        result: dict[Period, dict[Rating, int]] = {
            p: {r: 0 for r in (*BRAG_ORDER, Rating.NOT_YET_RATED)} for p in self.recorded_periods()
        }
        for period, rating, count in self.db.execute(
            f"SELECT period, {kind}, COUNT(*) FROM action_rows WHERE {kind} IS NOT NULL "
            f"GROUP BY period, {kind}"
        ):
            result[Period.parse(period)][Rating(rating)] = count
        return result

    def kpi_series(self) -> dict[str, dict[Period, RecordedKpi]]:
        """Per KPI code, its recorded value in each period."""
        result: dict[str, dict[Period, RecordedKpi]] = {}
        for period, code, value, as_at in self.db.execute(
            "SELECT period, code, value, as_at FROM kpi_values ORDER BY period, code"
        ):
            result.setdefault(code, {})[Period.parse(period)] = RecordedKpi(
                code, value, _date(as_at)
            )
        return result

    def kpi_values(self, period: Period) -> dict[str, tuple[float | None, dt.date | None]]:
        """KPI code to (value in force, as-at date) as recorded for PERIOD; empty if none."""
        return {
            code: (value, _date(as_at))
            for code, value, as_at in self.db.execute(
                "SELECT code, value, as_at FROM kpi_values WHERE period = ? ORDER BY code",
                (str(period),),
            )
        }

    def kpi_origins(
        self, period: Period
    ) -> dict[str, tuple[float | None, dt.date | None, bool, bool]]:
        """KPI code to (value in force, as-at date, whether PERIOD's KPI return gave it,
        whether it is the plan's baseline) as recorded for PERIOD."""
        return {
            code: (value, _date(as_at), bool(file), not file and note == PLAN_BASELINE)
            for code, value, as_at, file, note in self.db.execute(
                "SELECT code, value, as_at, file, note FROM kpi_values WHERE period = ? "
                "ORDER BY code",
                (str(period),),
            )
        }

    def risks(self, period: Period) -> list[Risk] | None:
        """The risk register as recorded for PERIOD; None when the period is not recorded."""
        if period not in self.recorded_periods():
            return None
        return [
            Risk(
                id=r[0],
                date_text=r[1],
                risk=r[2],
                severity=r[3],
                mitigations=r[4],
                severity_after=r[5],
                progress=r[6],
                status=r[7],
                owner=r[8],
                likelihood=r[9],
                impact=r[10],
            )
            for r in self.db.execute(
                "SELECT risk_id, date_text, risk, severity, mitigations, severity_after, "
                "progress, status, owner, likelihood, impact FROM risks WHERE period = ? "
                "ORDER BY position",
                (str(period),),
            )
        ]

    def recorded_kpis(self, period: Period) -> list[dict[str, Any]]:
        """PERIOD's KPI rows as recorded (value, target, RAG and why), for ``publish``."""
        cursor = self.db.execute(
            "SELECT code, value, value_text, as_at, carried_forward, target, target_text, rag, "
            "rag_reason, note FROM kpi_values WHERE period = ? ORDER BY code",
            (str(period),),
        )
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def recorded_risks(self, period: Period) -> list[tuple[Risk, str]]:
        """PERIOD's risk register as recorded, each risk with its change since the last."""
        changes = dict(
            self.db.execute(
                "SELECT risk_id, change FROM risks WHERE period = ? ORDER BY position",
                (str(period),),
            ).fetchall()
        )
        return [(risk, changes.get(risk.id, "")) for risk in self.risks(period) or []]

    def plan_snapshot(self, period: Period) -> tuple[str, dict[str, Any]] | None:
        row = self.db.execute(
            "SELECT plan_sha256, snapshot_json FROM plan_snapshots WHERE period = ?",
            (str(period),),
        ).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def builds(self) -> list[BuildRecord]:
        """Every build ever recorded, oldest first (a rebuilt period has several)."""
        return [
            BuildRecord(
                build_id=r[0],
                period=Period.parse(r[1]),
                built_at=r[2],
                version=r[3],
                config_sha256=r[4],
                plan_sha256=r[5],
                inputs=json.loads(r[6]),
                counts=json.loads(r[7]),
            )
            for r in self.db.execute(
                "SELECT build_id, period, built_at, version, config_sha256, plan_sha256, "
                "inputs_json, counts_json FROM builds ORDER BY seq"
            )
        ]

    def has_build(self, build_id: str) -> bool:
        row = self.db.execute("SELECT 1 FROM builds WHERE build_id = ?", (build_id,)).fetchone()
        return row is not None

    def latest_build(self, period: Period) -> BuildRecord | None:
        builds = [b for b in self.builds() if b.period == period]
        return builds[-1] if builds else None

    def period_tables(self) -> list[str]:
        """Every table with a ``period`` column, so a table added by a later migration counts."""
        tables = [
            r[0]
            for r in self.db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
        ]
        return [
            t
            for t in tables
            if any(c[1] == "period" for c in self.db.execute(f"PRAGMA table_info({t})"))
        ]

    def period_rows(self, period: Period) -> dict[str, int]:
        """How many rows each table holds for PERIOD (tables with none left out)."""
        counts = {}
        for table in self.period_tables():
            (count,) = self.db.execute(
                f"SELECT COUNT(*) FROM {table} WHERE period = ?", (str(period),)
            ).fetchone()
            if count:
                counts[table] = int(count)
        return counts

    # ---- writing

    def remove(self, period: Period) -> None:
        """Delete every row of PERIOD, its builds too (inside ``begin``/``commit``)."""
        if not self.db.in_transaction:
            raise RuntimeError("remove() runs inside begin() and commit()")
        for table in self.period_tables():
            self.db.execute(f"DELETE FROM {table} WHERE period = ?", (str(period),))

    def begin(self) -> None:
        """Start the build's one write transaction (the caller commits or rolls back)."""
        self.db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def rollback(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    def record(self, result: PeriodResult, build: BuildRecord, snapshot: dict[str, Any]) -> None:
        """Replace PERIOD's rows with RESULT and log the build (inside ``begin``/``commit``)."""
        if not self.db.in_transaction:
            raise RuntimeError("record() runs inside begin() and commit()")
        period = str(result.period)
        for table in _PERIOD_TABLES:
            self.db.execute(f"DELETE FROM {table} WHERE period = ?", (period,))
        self.db.execute(
            "INSERT INTO builds (build_id, period, built_at, version, config_sha256, "
            "plan_sha256, inputs_json, counts_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                build.build_id,
                period,
                build.built_at,
                build.version,
                build.config_sha256,
                build.plan_sha256,
                json.dumps(build.inputs, sort_keys=True),
                json.dumps(build.counts, sort_keys=True),
            ),
        )
        self.db.execute(
            "INSERT INTO plan_snapshots VALUES (?, ?, ?)",
            (period, build.plan_sha256, json.dumps(snapshot, sort_keys=True, ensure_ascii=False)),
        )
        action_rows, source_rows = [], []
        for position, status in enumerate(result.actions):
            action = status.action
            action_rows.append(
                (
                    period,
                    position,
                    action.id,
                    action.area,
                    action.sub_theme,
                    action.reporting_officer,
                    status.progress.value if status.progress else None,
                    status.impact.value if status.impact else None,
                    status.previous_progress.value if status.previous_progress else None,
                    status.previous_impact.value if status.previous_impact else None,
                    status.return_status.value,
                    status.progress_commentary,
                    status.evidence,
                    status.revised_end_date.isoformat() if status.revised_end_date else None,
                    status.revised_reason,
                    status.confidence,
                    status.risks,
                    None if status.escalation is None else int(status.escalation),
                    status.next_milestone,
                    status.next_milestone_date.isoformat() if status.next_milestone_date else None,
                    json.dumps([_plain(o) for o in status.overrides], ensure_ascii=False),
                    str(status.end_date_agreed_in) if status.end_date_agreed_in else None,
                )
            )
            for name, source in sorted(status.sources.items()):
                source_rows.append(
                    (period, action.id, name, source.file, source.sha256, source.sheet, source.cell)
                )
        self.db.executemany(f"INSERT INTO action_rows VALUES ({', '.join('?' * 22)})", action_rows)
        self.db.executemany("INSERT INTO value_sources VALUES (?, ?, ?, ?, ?, ?, ?)", source_rows)
        self.db.executemany(
            "INSERT INTO carried_values VALUES (?, ?, ?, ?)",
            [
                (period, status.action.id, name, reason)
                for status in result.actions
                for name, reason in status.carried.items()
            ],
        )
        self.db.executemany(
            "INSERT INTO area_commentary VALUES (?, ?, ?, ?, ?, ?)",
            [
                (period, c.area, c.progress, c.impact, c.concerns, c.escalations)
                for c in result.area_commentary.values()
            ],
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO exceptions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    period,
                    e.rule,
                    e.kind,
                    e.subject,
                    e.area,
                    e.owner,
                    e.summary,
                    e.periods_in_exception,
                )
                for e in result.exceptions
            ],
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO kpi_values VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    period,
                    k.kpi.code,
                    k.value,
                    k.value_text,
                    k.as_at.isoformat() if k.as_at else None,
                    int(k.carried_forward),
                    k.target.value if k.target else None,
                    k.target.text if k.target else "",
                    k.rag.value,
                    k.rag_reason,
                    k.note,
                    k.source.file if k.source else "",
                    k.source.sha256 if k.source else "",
                    k.source.sheet if k.source else "",
                    k.source.cell if k.source else "",
                )
                for k in result.kpis
            ],
        )
        risk_rows = result.risks or []
        self.db.executemany(
            "INSERT OR REPLACE INTO risks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    period,
                    position,
                    r.risk.id,
                    r.risk.date_text,
                    r.risk.risk,
                    r.risk.severity,
                    r.risk.mitigations,
                    r.risk.severity_after,
                    r.risk.progress,
                    r.risk.status,
                    r.risk.owner,
                    r.risk.likelihood,
                    r.risk.impact,
                    r.change,
                )
                for position, r in enumerate(risk_rows)
            ],
        )


# --------------------------------------------------------------------------- derived views


def plan_changes(before: dict[str, Any] | None, plan: Plan) -> list[PlanChange]:
    """Actions added, retired, reassigned or changed since the snapshot BEFORE."""
    if before is None:
        return []
    old = {a["id"]: a for a in before.get("actions", [])}
    changes: list[PlanChange] = []
    current = {a.id: a for a in plan.actions}
    for action in plan.actions:
        previous = old.get(action.id)
        if previous is None:
            changes.append(PlanChange(action.id, "Added", "", action.text))
            continue
        if previous.get("reporting_officer") != action.reporting_officer:
            changes.append(
                PlanChange(
                    action.id,
                    "Reassigned",
                    str(previous.get("reporting_officer", "")),
                    action.reporting_officer,
                )
            )
        old_end = str(previous.get("end_date", {}).get("text", ""))
        if old_end != action.end_date.text:
            changes.append(PlanChange(action.id, "End date changed", old_end, action.end_date.text))
        if previous.get("text") != action.text:
            changes.append(
                PlanChange(action.id, "Text changed", str(previous.get("text", "")), action.text)
            )
    for action_id, previous in old.items():
        if action_id not in current:
            changes.append(PlanChange(action_id, "Retired", str(previous.get("text", "")), ""))
    return changes


def plan_drift(history: History, period: Period, plan_sha256: str) -> Finding | None:
    """A warning when PERIOD was recorded with another plan than the one building it now."""
    recorded = history.plan_snapshot(period)
    if recorded is None or recorded[0] == plan_sha256:
        return None
    return Finding(
        code="plan-changed-since-build",
        severity=REGISTRY["plan-changed-since-build"].severity,
        message=f"{period.label} was built before with a different plan; this rebuild uses "
        "today's plan, so its actions, officers or targets may differ from the first build.",
        file="plan.xlsx",
    )


def read_last_values(config: Config, period: Period) -> dict[str, LastValues]:
    """Each action's values for the latest recorded period before PERIOD; {} if none."""
    with History.open(config) as history:
        previous = history.latest_before(period)
        if previous is None:
            return {}
        return {
            action_id: LastValues(
                progress=row.progress,
                impact=row.impact,
                commentary=row.progress_commentary,
                period=previous,
                revised_end_date=row.revised_end_date,
                revised_reason=row.revised_reason,
                end_date_agreed_in=row.end_date_agreed_in,
            )
            for action_id, row in history.recorded_actions(previous).items()
        }


def kpi_values(
    config: Config, before: Period
) -> dict[str, tuple[float | None, dt.date | None, Period | None]]:
    """Each KPI's latest recorded value before BEFORE: (value, as-at date, where it is from).

    Where it is from is the period whose KPI return gave the value, or None where the value
    is the plan's baseline carried forward, so a value carried from month to month is still
    said to be from the month (or the plan) that gave it.
    """
    with History.open(config) as history:
        found: dict[str, tuple[float | None, dt.date | None, Period | None]] = {}
        for period in history.recorded_periods():
            if period >= before:
                break
            for code, (value, as_at, from_return, baseline) in history.kpi_origins(period).items():
                if value is None:
                    continue
                earlier = found.get(code)
                if from_return or (earlier is None and not baseline):
                    origin: Period | None = period
                elif baseline:
                    origin = None
                else:
                    assert earlier is not None
                    origin = earlier[2]
                found[code] = (value, as_at, origin)
        return found


def print_history(config: Config, console: Console) -> None:
    """A table of the recorded periods: last build time, packbuilder version and counts."""
    from rich.table import Table

    with History.open(config) as history:
        periods = history.recorded_periods()
        builds = history.builds()
    if not periods:
        console.print(
            f"No period recorded yet in {config.settings.paths.history}. "
            "Run: packbuilder build PERIOD"
        )
        return
    table = Table(title=f"History: {config.settings.programme.name}")
    for header in ("Period", "Built (UTC)", "Builds", "packbuilder", "Actions"):
        table.add_column(header)
    for header in ("Returns", "Exceptions", "Errors"):
        table.add_column(header, justify="right")
    for period in periods:
        mine = [b for b in builds if b.period == period]
        last = mine[-1]
        counts = last.counts
        table.add_row(
            str(period),
            last.built_at.replace("T", " ")[:16],
            str(len(mine)),
            last.version,
            str(counts.get("actions", 0)),
            f"{counts.get('returns_counted', 0)} of {counts.get('returns_expected', 0)}",
            str(counts.get("exceptions", 0)),
            str(counts.get("errors", 0)),
        )
    console.print(table)
