"""History's schema: the migrations that take a database from one version to the next.

Opening history (``store.History.open``) calls ``connect``, which brings the database up to
``SCHEMA_VERSION`` before anything reads or writes it. The schema is versioned with
``PRAGMA user_version`` and a list of migrations: migration N takes a database from version
N-1 to N, so a user's history survives an upgrade. Later features add their tables by
appending a migration; existing ones are never edited.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from packbuilder.errors import WorkspaceError

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
