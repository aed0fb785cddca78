"""History: every build's merged period, kept in an SQLite database in the workspace.

``build`` records each period here and reads it back for what no single month can say: last
period's values to carry forward, the direction of travel, "in exception for N periods",
trends and plan changes. The package is split by concern: ``migrations`` (the versioned
schema), ``admission`` (what is refused before the file is opened), ``store`` (the
``History`` class that reads and records periods), ``plan_changes`` (plan snapshots, the
changes between two and drift) and ``last_values`` (what the next month reads). Printing
history for the console lives beside the CLI, in ``packbuilder.console.history``.
"""

from packbuilder.history.admission import (
    SQLITE_HEADER,
    HistoryUnusable,
    admit_history_file,
    builds_named_by_outputs,
    damaged_history,
    integrity_problems,
)
from packbuilder.history.last_values import kpi_values, read_last_values
from packbuilder.history.migrations import MIGRATIONS, SCHEMA_VERSION, connect, migrate
from packbuilder.history.plan_changes import (
    plan_changes,
    plan_drift,
    plan_snapshot,
    snapshot_sha256,
)
from packbuilder.history.store import BuildRecord, History, RecordedKpi
from packbuilder.model import PlanChange  # the tracker's Changes sheet reads it from model

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SQLITE_HEADER",
    "BuildRecord",
    "History",
    "HistoryUnusable",
    "PlanChange",
    "RecordedKpi",
    "admit_history_file",
    "builds_named_by_outputs",
    "connect",
    "damaged_history",
    "integrity_problems",
    "kpi_values",
    "migrate",
    "plan_changes",
    "plan_drift",
    "plan_snapshot",
    "read_last_values",
    "snapshot_sha256",
]
