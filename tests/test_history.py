"""History: recording periods, rebuilds, direction across periods, migrations, plan changes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from period_fixtures import AUGUST, JULY, A, G, N, R, action, check_of, plan_of, returned, update
from rich.console import Console

from packbuilder.config import Config, default_config_text, load_config
from packbuilder.console.history import print_history
from packbuilder.errors import WorkspaceError
from packbuilder.history import (
    SCHEMA_VERSION,
    BuildRecord,
    History,
    connect,
    migrate,
    plan_changes,
    plan_drift,
    plan_snapshot,
    read_last_values,
    snapshot_sha256,
)
from packbuilder.merge import merge_period
from packbuilder.model import (
    CheckReport,
    Direction,
    ExceptionItem,
    LastValues,
    Period,
    PeriodResult,
    Plan,
    ReturnStatus,
    Risk,
    RiskStatus,
)

PLAN = plan_of(action("1A1", "ann"), action("1A2", "ann"), action("2A1", "bob", area=2))


@pytest.fixture
def config(tmp_path: Path) -> Config:
    (tmp_path / "config.toml").write_text(default_config_text(), "utf-8")
    return load_config(tmp_path)


def record(config: Config, period: Period, check: CheckReport, plan: Plan = PLAN) -> PeriodResult:
    """Merge PERIOD against what history holds and record it, as build does."""
    with History.open(config, create=True) as history:
        previous = history.latest_before(period)
        last = history.recorded_actions(previous) if previous else {}
        statuses, commentary, _ = merge_period(plan, check, last, [], previous)
        result = PeriodResult(
            period=period,
            plan=plan,
            actions=statuses,
            area_commentary=commentary,
            check=check,
            exceptions=[
                ExceptionItem("red-progress", s.action.id, "action", s.action.area, "x", "Red")
                for s in statuses
                if s.progress is R
            ],
            previous_period=previous,
            risks=[
                RiskStatus(Risk("R01", "2023", "Capacity", "High", severity_after="High"), "New")
            ],
        )
        snapshot = plan_snapshot(plan)
        history.begin()
        history.record(
            result,
            BuildRecord(
                build_id=f"{period}-{len(history.builds())}",
                period=period,
                built_at="2023-09-04T10:00:00+00:00",
                version="0.1.0",
                config_sha256="c" * 64,
                plan_sha256=snapshot_sha256(snapshot),
                inputs={"inputs/plan.xlsx": "d" * 64},
                counts={"actions": len(statuses), "returns_counted": 1, "returns_expected": 2},
            ),
            snapshot,
        )
        history.commit()
        return result


def test_an_empty_workspace_has_no_history_and_creates_no_file(config: Config) -> None:
    assert read_last_values(config, JULY) == {}
    assert not config.history_path.exists()


def test_two_periods_give_last_values_and_direction(config: Config) -> None:
    record(
        config,
        JULY,
        check_of(JULY, PLAN, returned("ann", update("1A1", 5, R, N), update("1A2", 6, A, A))),
    )
    august = record(
        config,
        AUGUST,
        check_of(AUGUST, PLAN, returned("ann", update("1A1", 5, A, N), update("1A2", 6, R, A))),
    )
    statuses = {s.action.id: s for s in august.actions}
    assert statuses["1A1"].progress_direction is Direction.IMPROVED
    assert statuses["1A2"].progress_direction is Direction.WORSE
    assert statuses["2A1"].return_status is ReturnStatus.NO_RETURN
    assert august.previous_period == JULY

    assert read_last_values(config, AUGUST)["1A1"] == LastValues(R, N, "1A1 commentary", JULY)
    assert read_last_values(config, Period(2023, 9))["1A2"].progress is R
    with History.open(config) as history:
        assert history.recorded_periods() == [JULY, AUGUST]
        assert history.ratings(AUGUST)["1A2"] == (R, A)
        assert history.brag_counts("progress")[AUGUST][R] == 1
        recorded = history.recorded_actions(AUGUST)["1A1"]
        assert recorded.sources["progress"].where == "ann.xlsx › Return › J5"
        assert history.exception_subjects()[JULY] == {("action", "1A1")}
        assert history.risks(AUGUST) == [
            Risk("R01", "2023", "Capacity", "High", severity_after="High")
        ]
        assert history.risks(Period(2023, 6)) is None


def test_rebuilding_a_period_replaces_its_rows(config: Config) -> None:
    record(
        config,
        JULY,
        check_of(JULY, PLAN, returned("ann", update("1A1", 5, R, N), update("1A2", 6, A, A))),
    )
    record(
        config,
        JULY,
        check_of(JULY, PLAN, returned("ann", update("1A1", 5, G, G), update("1A2", 6, A, A))),
    )
    with History.open(config) as history:
        assert history.recorded_periods() == [JULY]
        assert history.ratings(JULY)["1A1"] == (G, G)
        assert len(history.ratings(JULY)) == 3
        assert [b.period for b in history.builds()] == [JULY, JULY]
        assert history.exceptions(JULY) == []


def test_a_failed_record_leaves_the_period_as_it_was(config: Config) -> None:
    record(
        config,
        JULY,
        check_of(JULY, PLAN, returned("ann", update("1A1", 5, R, N), update("1A2", 6, A, A))),
    )
    with History.open(config) as history:
        history.begin()
        history.db.execute("DELETE FROM action_rows WHERE period = '2023-07'")
        history.rollback()
        assert history.ratings(JULY)["1A1"] == (R, N)


def test_history_records_what_was_carried_forward_because_of_an_error_in_words(
    config: Config,
) -> None:
    july = returned(
        "ann", update("1A1", 5, R, N, revised_end_date=dt.date(2024, 4, 30)), update("1A2", 6, A, A)
    )
    july.updates[0].revised_reason = "Panel moved"  # a revision: the plan says 31 March 2024
    record(config, JULY, check_of(JULY, PLAN, july))
    # August: the ratings and commentary enter; the revised date "31/13/2024" is rejected.
    row = update("1A1", 5, A, A, commentary="Panel met", revised_reason="Slipped")
    row.rejected["revised_end_date"] = "not-a-date"
    record(config, AUGUST, check_of(AUGUST, PLAN, returned("ann", row, update("1A2", 6, G, G))))
    why = "this month's date could not be read as a date"
    with History.open(config) as history:
        assert history.carried(AUGUST) == {"1A1": {"revised_end_date": why, "revised_reason": why}}
        august = history.recorded_actions(AUGUST)["1A1"]
        assert (august.progress, august.impact, august.progress_commentary) == (A, A, "Panel met")
        assert (august.revised_end_date, august.revised_reason) == (
            dt.date(2024, 4, 30),
            "Panel moved",
        )
        assert august.return_status is ReturnStatus.CELLS_CARRIED
    # A rebuild with the cell put right records nothing carried.
    row = update("1A1", 5, A, A, revised_end_date=dt.date(2024, 6, 30), revised_reason="Slipped")
    record(config, AUGUST, check_of(AUGUST, PLAN, returned("ann", row, update("1A2", 6, G, G))))
    with History.open(config) as history:
        assert history.carried(AUGUST) == {}


def test_a_version_1_database_with_data_migrates_to_today(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    old = sqlite3.connect(path, isolation_level=None)
    migrate(old, upto=1)
    old.execute("INSERT INTO plan_snapshots VALUES ('2023-07', 'abc', '{\"actions\": []}')")
    old.execute(
        "INSERT INTO action_rows VALUES ('2023-07', 0, '1A1', 1, '1a', 'ann', 'Red', 'Amber', "
        "NULL, NULL, 'Updated', 'words', '', NULL, '', 'Low', '', 1, '', NULL, '[]')"
    )
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    old.close()

    db = connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    history = History(db)
    assert history.carried(JULY) == {}
    assert history.ratings(JULY)["1A1"] == (R, A)
    assert history.recorded_actions(JULY)["1A1"].escalation is True
    assert history.kpi_series() == {}
    assert history.risks(JULY) == []
    db.close()


def test_a_version_3_database_learns_when_each_revised_end_date_was_agreed(
    tmp_path: Path,
) -> None:
    path = tmp_path / "history.sqlite"
    old = sqlite3.connect(path, isolation_level=None)
    migrate(old, upto=3)
    rows = (
        ("2023-07", "1A1", None),
        ("2023-08", "1A1", "'2024-03-31'"),
        ("2023-09", "1A1", "'2024-03-31'"),
        ("2023-10", "1A1", "'2024-06-30'"),
        ("2023-10", "1A2", None),
    )
    for period, action_id, revised in rows:
        old.execute(
            f"INSERT INTO action_rows VALUES ('{period}', 0, '{action_id}', 1, '1a', 'ann', "
            f"'Red', 'Amber', NULL, NULL, 'Updated', 'words', '', {revised or 'NULL'}, '', "
            "'Low', '', 1, '', NULL, '[]')"
        )
    old.close()

    db = connect(path)
    agreed = db.execute(
        "SELECT period, action_id, end_date_agreed_in FROM action_rows ORDER BY period, action_id"
    ).fetchall()
    assert agreed == [
        ("2023-07", "1A1", None),
        ("2023-08", "1A1", "2023-08"),
        ("2023-09", "1A1", "2023-08"),
        ("2023-10", "1A1", "2023-10"),
        ("2023-10", "1A2", None),
    ]
    recorded = History(db).recorded_actions(Period(2023, 9))["1A1"]
    assert (recorded.revised_end_date, recorded.end_date_agreed_in) == (
        dt.date(2024, 3, 31),
        Period(2023, 8),
    )
    db.close()


def test_a_database_from_a_newer_packbuilder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(WorkspaceError, match="newer"):
        connect(path)


def test_plan_changes_added_retired_reassigned_and_rebuild_warning(config: Config) -> None:
    record(config, JULY, check_of(JULY, PLAN))
    changed = dataclasses.replace(
        PLAN,
        actions=(
            dataclasses.replace(PLAN.actions[0], reporting_officer="bob"),
            PLAN.actions[2],
            action("3A1", "cat", area=3, end=dt.date(2024, 1, 31)),
        ),
    )
    with History.open(config) as history:
        recorded = history.plan_snapshot(JULY)
        assert recorded is not None
        changes = plan_changes(recorded[1], changed)
        assert [(c.action_id, c.change, c.before, c.after) for c in changes] == [
            ("1A1", "Reassigned", "ann", "bob"),
            ("3A1", "Added", "", "Deliver the work of action 3A1"),
            ("1A2", "Retired", "Deliver the work of action 1A2", ""),
        ]
        sha = snapshot_sha256(plan_snapshot(changed))
        warning = plan_drift(history, JULY, sha)
        assert warning is not None and warning.code == "plan-changed-since-build"
        assert plan_drift(history, JULY, recorded[0]) is None
        assert plan_drift(history, AUGUST, sha) is None


def test_print_history_lists_recorded_periods(config: Config) -> None:
    console = Console(width=120, record=True)
    print_history(config, console)
    assert "No period recorded yet" in console.export_text()
    record(config, JULY, check_of(JULY, PLAN))
    record(config, AUGUST, check_of(AUGUST, PLAN))
    record(config, AUGUST, check_of(AUGUST, PLAN))
    console = Console(width=120, record=True)
    print_history(config, console)
    lines = [line for line in console.export_text().splitlines() if "2023-0" in line]
    assert len(lines) == 2
    cells = [[cell.strip() for cell in line.split("│")[1:-1]] for line in lines]
    assert cells == [
        ["2023-07", "2023-09-04 10:00", "1", "0.1.0", "3", "1 of 2", "0", "0"],
        ["2023-08", "2023-09-04 10:00", "2", "0.1.0", "3", "1 of 2", "0", "0"],
    ]
