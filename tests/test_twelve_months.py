"""A programme's whole year, month by month, as its officers fill their returns.

A plan of eight actions over four officers is built in the test; each month's returns are made
by ``returns make``, filled with openpyxl as an officer would, checked and built through the
command line. Officers do ordinary things over the year: ratings move; one revised end date is
given once and never typed again; a date typo sits in an otherwise good row; a rating is left
blank; a corrected file is sent beside the first; an officer sends nothing one month; a file
that is not a return lands in the folder. After every build the tracker's cells, its Summary
and history's rows are compared with what the year's script says they must be, computed here
independently of packbuilder: the end date in force, the overdue count, every accepted
commentary, the carried-forward values marked as such, the errors counted (never the
superseded or foreign files) and each command's exit code.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import sqlite3
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from returns_factory import fill

from packbuilder.cli import main
from packbuilder.config import default_config_text
from packbuilder.plan import schema
from packbuilder.plan.writer import write_plan_workbook
from packbuilder.returns import layout

pytestmark = pytest.mark.slow

MONTHS = [f"2024-{m:02d}" for m in range(1, 13)]

OFFICERS = [
    ("alice", "Head of Inclusion", "Council", "alice@example.org", ""),
    ("bob", "Designated Clinical Officer", "NHS", "bob@example.org", ""),
    ("carol", "Head of Commissioning", "Council", "carol@example.org", ""),
    ("dave", "Chair of the Parent Forum", "Parent forum", "dave@example.org", ""),
]
AREAS = [
    (1, "Inclusion in schools", "alice"),
    (2, "Health waiting times", "bob"),
    (3, "Voice", "dave"),
]
SUB_THEMES = [("1a", 1, "Exclusions"), ("2a", 2, "Assessment"), ("3a", 3, "Co-production")]

# Action ID -> (sub-theme, officer, end date (None: "Ongoing"), baseline progress, impact)
ACTIONS: dict[str, tuple[str, str, dt.date | None, str, str]] = {
    "1A1": ("1a", "alice", dt.date(2024, 3, 31), "Amber", "Not yet rated"),
    "1A2": ("1a", "alice", None, "Green", "Amber"),
    "1A3": ("1a", "bob", dt.date(2024, 4, 30), "Amber", "Amber"),
    "2A1": ("2a", "bob", dt.date(2024, 12, 31), "Red", "Red"),
    "2A2": ("2a", "carol", dt.date(2024, 9, 30), "Amber", "Amber"),
    "2A3": ("2a", "carol", dt.date(2024, 12, 31), "Amber", "Not yet rated"),
    "3A1": ("3a", "dave", dt.date(2024, 12, 31), "Amber", "Amber"),
    "3A2": ("3a", "dave", dt.date(2024, 11, 30), "Red", "Amber"),
}

# The one revised end date of the year: 1A1, given with its reason in February, never again.
REVISED_IN = "2024-02"
REVISED_TO = dt.date(2024, 6, 30)
REVISED_REASON = "The exclusions review waits for the new guidance"

# Month -> what goes wrong that month.
DATE_TYPO = ("2024-05", "2A2")  # "31/13/2024" typed as a revised date, with a reason
BLANK_RATING = ("2024-06", "2A3")  # progress left blank
CORRECTED = ("2024-04", "bob")  # a first file with a bad rating, then a corrected one
MISSING = ("2024-08", "dave")  # no return at all
FOREIGN = "2024-09"  # a file that is not a return lands in the folder


def progress_of(action_id: str, month: int) -> str:
    """The progress an officer gives ACTION in MONTH (1-12): ratings that move over the year."""
    script = {
        "1A1": "Green" if month >= 8 else "Amber",
        "1A2": "Blue" if month >= 6 else "Green",
        "1A3": "Green" if month >= 10 else "Amber",
        "2A1": "Red" if month <= 3 else ("Amber" if month <= 9 else "Green"),
        "2A2": "Green" if month >= 9 else "Amber",
        "2A3": "Amber" if month <= 4 else ("Red" if month <= 8 else "Amber"),
        "3A1": "Amber",
        "3A2": "Red" if month <= 2 else ("Amber" if month <= 11 else "Green"),
    }
    return script[action_id]


def impact_of(action_id: str, month: int) -> str:
    if action_id in ("1A1", "2A3") and month <= 3:
        return "Not yet rated"
    return "Green" if progress_of(action_id, month) in ("Green", "Blue") else "Amber"


def commentary_of(action_id: str, period: str) -> str:
    return f"{action_id} in {period}: the work moved on as planned, with the board's support."


def month_end(period: str) -> dt.date:
    year, month = (int(part) for part in period.split("-"))
    return dt.date(year, month, calendar.monthrange(year, month)[1])


# --------------------------------------------------------------------------- the expected year


@dataclass
class Expected:
    """What one action must read after a month's build, worked out from the script above."""

    progress: str
    impact: str
    commentary: str
    end_in_force: dt.date | None
    overdue: bool
    carried: set[str] = field(default_factory=set)  # fields kept from last month for an error
    no_return: bool = False  # the officer sent nothing: every value kept from last month


def expected_year() -> dict[str, dict[str, Expected]]:
    """Month -> action -> what the tracker and history must hold, independent of packbuilder."""
    year: dict[str, dict[str, Expected]] = {}
    last: dict[str, Expected] = {}
    for number, period in enumerate(MONTHS, start=1):
        month: dict[str, Expected] = {}
        for action_id, (_, officer, end, baseline_progress, baseline_impact) in ACTIONS.items():
            before = last.get(action_id)
            end_in_force = before.end_in_force if before else end
            if action_id == "1A1" and period == REVISED_IN:
                end_in_force = REVISED_TO
            if (period, officer) == MISSING:
                assert before is not None
                now = Expected(
                    before.progress, before.impact, before.commentary, end_in_force, False
                )
                now.no_return = True
            else:
                progress, carried = progress_of(action_id, number), set()
                if (period, action_id) == BLANK_RATING:
                    assert before is not None
                    progress, carried = before.progress, {"progress"}
                if (period, action_id) == DATE_TYPO:
                    carried = {"revised_end_date"}
                now = Expected(
                    progress,
                    impact_of(action_id, number),
                    commentary_of(action_id, period),
                    end_in_force,
                    False,
                    carried,
                )
            complete = now.progress in ("Green", "Blue")
            now.overdue = (
                now.end_in_force is not None
                and now.end_in_force < month_end(period)
                and not complete
            )
            del baseline_progress, baseline_impact
            month[action_id] = now
        year[period] = month
        last = month
    return year


def expected_check_exit(period: str) -> int:
    """1 in the months with a counted error (the date typo, the blank rating), else 0."""
    return 1 if period in (DATE_TYPO[0], BLANK_RATING[0]) else 0


def expected_errors(period: str) -> int:
    return 1 if period in (DATE_TYPO[0], BLANK_RATING[0]) else 0


# --------------------------------------------------------------------------- the workspace


def write_workspace(root: Path) -> None:
    root.mkdir(parents=True)
    text = default_config_text()
    text = re.sub(r'(?m)^first = "\d{4}-\d{2}"', 'first = "2024-01"', text)
    text = re.sub(r'(?m)^first_period = "\d{4}-\d{2}"', 'first_period = "2024-01"', text)
    (root / "config.toml").write_text(text, "utf-8")
    actions = [
        (
            action_id,
            sub_theme,
            f"Action {action_id}: deliver the agreed change",
            end.strftime("%d %B %Y") if end else "Ongoing",
            end,
            officer,
            "",
            officer,
            "",
            "",
            "",
            progress,
            impact,
        )
        for action_id, (sub_theme, officer, end, progress, impact) in ACTIONS.items()
    ]
    write_plan_workbook(
        root / "inputs" / "plan.xlsx",
        {
            schema.OFFICERS: OFFICERS,
            schema.AREAS: AREAS,
            schema.SUB_THEMES: SUB_THEMES,
            schema.ACTIONS: actions,
        },
    )


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["-C", str(root), *args])
    return result.exit_code, result.output


def made_returns(root: Path, period: str) -> dict[str, Path]:
    """The officers' returns made for PERIOD: officer ID -> path."""
    found: dict[str, Path] = {}
    for path in sorted((root / "outputs" / period / "returns").glob("*.xlsx")):
        workbook = openpyxl.load_workbook(path, read_only=True)
        meta = workbook[layout.META_SHEET]
        values = {r[0]: r[1] for r in meta.iter_rows(min_row=2, max_row=8, values_only=True)}
        workbook.close()
        if values["kind"] == "officer":
            found[str(values["officer_id"])] = path
    return found


def inputs_for(action_id: str, number: int, period: str) -> dict[str, object]:
    """What a careful officer types for ACTION this month (a good row)."""
    progress = progress_of(action_id, number)
    typed: dict[str, object] = {
        "progress": progress,
        "impact": impact_of(action_id, number),
        "progress_commentary": commentary_of(action_id, period),
        "confidence": "Medium",
        "escalation": "No",
        "next_milestone": "Report to the board",
        "next_milestone_date": dt.datetime.combine(month_end(period), dt.time()),
    }
    if progress in ("Green", "Blue"):
        typed["evidence"] = f"Evidence for {action_id} in {period}"
    return typed


def fill_month(root: Path, period: str, number: int) -> None:
    """Every officer's return as they fill it this month, with the year's mishaps."""
    folder = root / "inputs" / "returns" / period
    folder.mkdir(parents=True, exist_ok=True)
    made = made_returns(root, period)
    received: list[tuple[str, str]] = []
    for officer, source in made.items():
        if (period, officer) == MISSING:
            continue
        rows = {
            action_id: inputs_for(action_id, number, period)
            for action_id, spec in ACTIONS.items()
            if spec[1] == officer
        }
        if officer == "alice" and period == REVISED_IN:
            rows["1A1"].update(
                revised_end_date=dt.datetime.combine(REVISED_TO, dt.time()),
                revised_reason=REVISED_REASON,
            )
        if (period, "2A2") == DATE_TYPO and officer == "carol":
            rows["2A2"].update(revised_end_date="31/13/2024", revised_reason="Contract slipped")
        if (period, "2A3") == BLANK_RATING and officer == "carol":
            rows["2A3"]["progress"] = None
        name = f"{officer}-{period}.xlsx"
        if (period, officer) == CORRECTED:
            first = {k: dict(v) for k, v in rows.items()}
            first["1A3"]["progress"] = "Purple"
            fill(source, folder / f"{officer}-{period}-first.xlsx", first)
            received.append((f"{officer}-{period}-first.xlsx", f"{period}-28T09:00:00"))
            name = f"{officer}-{period}-corrected.xlsx"
            received.append((name, f"{period}-28T15:00:00"))
        fill(source, folder / name, rows)
    if period == FOREIGN:
        (folder / "agenda for the board.txt").write_text("Agenda: 1. Apologies\n", "utf-8")
    if received:
        lines = ["file,received", *(f"{f},{t}" for f, t in received)]
        (folder / "received.csv").write_text("\n".join(lines) + "\n", "utf-8")


# --------------------------------------------------------------------------- reading back


def tracker(root: Path, period: str) -> tuple[dict[str, dict[str, object]], dict[str, object]]:
    """The Tracker sheet's rows by action ID, and the Summary's key figures by label."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        book = openpyxl.load_workbook(root / "outputs" / period / f"tracker-{period}.xlsx")
    sheet = book["Tracker"]
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    actions = {str(r[0]): dict(zip(header, r, strict=True)) for r in rows[1:] if r[0]}
    summary = {str(r[0]): r[2] for r in book["Summary"].iter_rows(values_only=True) if r[0]}
    return actions, summary


def history_rows(root: Path, period: str) -> dict[str, dict[str, object]]:
    db = sqlite3.connect(root / "history.sqlite")
    db.row_factory = sqlite3.Row
    rows = {
        str(r["action_id"]): dict(r)
        for r in db.execute("SELECT * FROM action_rows WHERE period = ?", (period,))
    }
    carried = db.execute(
        "SELECT action_id, field FROM carried_values WHERE period = ?", (period,)
    ).fetchall()
    for action_id, name in carried:
        rows[action_id].setdefault("carried", set()).add(name)  # type: ignore[union-attr]
    db.close()
    return rows


def as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value[:10])
    return None


# --------------------------------------------------------------------------- the year


def test_a_year_of_months_reads_as_the_officers_said(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    write_workspace(root)
    year = expected_year()
    for number, period in enumerate(MONTHS, start=1):
        code, output = run(root, "returns", "make", period)
        assert code == 0, output
        fill_month(root, period, number)

        code, output = run(root, "check", period)
        assert code == expected_check_exit(period), f"{period}: check said\n{output}"
        code, output = run(root, "build", period)
        assert code == 0, f"{period}: build said\n{output}"

        expected = year[period]
        actions, summary = tracker(root, period)
        recorded = history_rows(root, period)
        where = f"{period}"
        overdue = sum(1 for e in expected.values() if e.overdue)
        assert summary["Overdue actions"] == overdue, where
        assert summary["Errors in returns"] == expected_errors(period), where
        for action_id, want in expected.items():
            row, kept = actions[action_id], recorded[action_id]
            here = f"{period} {action_id}"
            # The tracker: ratings (in words where carried), commentary, end date in force.
            for name, column in (("progress", "Progress"), ("impact", "Impact")):
                value = str(row[column])
                assert value.split(",")[0] == getattr(want, name), here
                assert ("carried forward" in value) == (name in want.carried), (here, value)
            assert want.commentary in str(row["Commentary"]), here
            assert as_date(row["End date in force"]) == want.end_in_force, here
            assert row["Overdue"] == ("Yes" if want.overdue else "No"), here
            # History: the same values, and what was carried.
            assert kept["progress"] == want.progress, here
            assert kept["impact"] == want.impact, here
            assert kept["progress_commentary"] == want.commentary, here
            in_force = as_date(kept["revised_end_date"]) or ACTIONS[action_id][2]
            assert in_force == want.end_in_force, here
            assert set(kept.get("carried", set())) >= want.carried - {"revised_end_date"}, here  # type: ignore[arg-type]

        # Only the officers whose counted return has errors are chased for them, and get feedback.
        feedback = root / "outputs" / period / "feedback"
        chased = (feedback / "chase-list.csv").read_text("utf-8-sig").splitlines()[1:]
        wrong = {"carol"} if expected_errors(period) else set()
        missing = {MISSING[1]} if period == MISSING[0] else set()
        assert sorted(line.split(",")[2] for line in chased) == sorted(
            ["errors"] * len(wrong) + ["missing"] * len(missing)
        ), (period, chased)
        assert {p.name.split("-")[0] for p in feedback.glob("*.xlsx")} == wrong, period

        if period >= REVISED_IN:
            assert recorded["1A1"]["end_date_agreed_in"] == REVISED_IN, period
            if "revised_end_date" in want.carried:
                assert "carried forward" in str(row["Revised end date"]), here
            status = str(row["Return status"])
            assert status.startswith("No return") == want.no_return, (here, status)
            assert (
                kept["return_status"].startswith("no-return") == want.no_return
                or ("no return" in str(kept["return_status"]).lower()) == want.no_return
            ), (here, kept["return_status"])
