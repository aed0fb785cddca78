"""History's store: every build's merged period, kept in an SQLite database in the workspace.

``build`` records each period here (every action's values and the cell each came from, the
exceptions, the KPI values, the risk register, the plan it used and the build itself), and
reads it back for what no single month can say: last period's values to carry forward, the
direction of travel, "in exception for N periods", trends and plan changes. The schema it
reads and writes is ``migrations``'s; the file is admitted by ``admission`` first.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packbuilder.history.admission import admit_history_file, damaged_history
from packbuilder.history.migrations import connect
from packbuilder.history.plan_changes import plain
from packbuilder.kpis.last import PLAN_BASELINE
from packbuilder.merge import RecordedAction
from packbuilder.model import (
    BRAG_ORDER,
    AreaCommentary,
    CellSource,
    ExceptionItem,
    Override,
    Period,
    PeriodResult,
    Rating,
    ReturnStatus,
    Risk,
)

if TYPE_CHECKING:
    from packbuilder.config import Config


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
class RecordedKpi:
    code: str
    value: float | None
    as_at: dt.date | None


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
        self._record_actions(period, result)
        self._record_outcomes(period, result)

    def _record_actions(self, period: str, result: PeriodResult) -> None:
        """Each action's row, the source of each value, the values carried and the areas'
        commentary."""
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
                    json.dumps([plain(o) for o in status.overrides], ensure_ascii=False),
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

    def _record_outcomes(self, period: str, result: PeriodResult) -> None:
        """The exceptions, the KPI values and the risk register."""
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
