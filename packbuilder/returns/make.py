"""Make the month's return workbooks: the first step of the monthly cycle.

``packbuilder returns make PERIOD`` (``packbuilder.commands.returns``) reads the plan and the
last recorded values and, through ``write_returns``, writes one pre-filled workbook per
reporting officer (and one per area lead) into
``outputs/PERIOD/returns/``, with ``send-list.csv`` for a mail merge. The workbooks follow
``packbuilder.returns.layout`` exactly, because the checker reads them back by it: the hidden
meta sheet says whose return it is, for which period, and fingerprints every locked row.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from packbuilder.config import Config
from packbuilder.errors import EnvironmentProblem
from packbuilder.model import (
    CheckReport,
    LastValues,
    Officer,
    Period,
    Plan,
)
from packbuilder.plan.fingerprint import plan_fingerprint
from packbuilder.replace import replace_file
from packbuilder.returns.area_return import ShownRatings, write_area_return
from packbuilder.returns.officer_return import write_officer_return

SEND_LIST = "send-list.csv"
SEND_LIST_AREA_LEADS = "send-list-area-leads.csv"  # --area-leads keeps the officers' list
SEND_LIST_COLUMNS = ("officer", "email", "file", "deadline", "officer_id", "area")
_MAX_NAME = 80  # characters of a person's name or role kept in a file name


@dataclass(frozen=True)
class MadeReturns:
    """What ``returns make`` wrote."""

    folder: Path
    send_list: Path
    officer_count: int
    area_count: int
    deadline: dt.date
    files: list[Path]


# --------------------------------------------------------------------------- writing


def write_returns(
    config: Config,
    plan: Plan,
    period: Period,
    last: dict[str, LastValues],
    *,
    area_leads_only: bool = False,
    area_ratings: dict[str, ShownRatings] | None = None,
    made_at: dt.datetime | None = None,
) -> MadeReturns:
    """Write the returns for PLAN with the LAST values given; the pure-input half of make.

    ``area_ratings`` replaces the last values on area-lead returns (this month's ratings after
    check); ``made_at`` fixes the workbooks' creation time (for reproducible examples).
    """
    folder = config.outputs_dir(period) / "returns"
    folder.mkdir(parents=True, exist_ok=True)
    deadline = config.deadline(period)
    plan_fp = plan_fingerprint(plan)
    officers = plan.officer_by_id()
    taken: set[str] = set()
    files: list[Path] = []
    send_rows: list[tuple[str, ...]] = []
    officer_count = 0
    if not area_leads_only:
        for officer in plan.reporting_officers():
            path = folder / unique_file_name(f"{period} Return - {officer.name}", taken)
            write_officer_return(
                path,
                config=config,
                plan=plan,
                period=period,
                officer=officer,
                last=last,
                plan_fp=plan_fp,
                made_at=made_at,
            )
            files.append(path)
            send_rows.append(
                (officer.name, officer.email, path.name, deadline.isoformat(), officer.id, "")
            )
            officer_count += 1
    area_count = 0
    if area_leads_only or config.settings.returns.area_leads:
        shown = area_ratings if area_ratings is not None else _shown_from_last(plan, last)
        for area in plan.areas:
            lead = officers.get(area.lead) or Officer(id=area.lead, name=area.lead)
            path = folder / unique_file_name(
                f"{period} Area {area.number} commentary - {lead.name}", taken
            )
            write_area_return(
                path,
                config=config,
                plan=plan,
                period=period,
                area=area,
                lead=lead,
                shown=shown,
                plan_fp=plan_fp,
                made_at=made_at,
            )
            files.append(path)
            send_rows.append(
                (lead.name, lead.email, path.name, deadline.isoformat(), lead.id, str(area.number))
            )
            area_count += 1
    send_list = folder / (SEND_LIST_AREA_LEADS if area_leads_only else SEND_LIST)
    _write_send_list(send_list, send_rows)
    return MadeReturns(folder, send_list, officer_count, area_count, deadline, files)


# --------------------------------------------------------------------------- values shown


def baseline_values(plan: Plan) -> dict[str, LastValues]:
    """The plan's own ratings, shown as 'last' where history has nothing for an action."""
    return {
        a.id: LastValues(a.baseline_progress, a.baseline_impact, "", None) for a in plan.actions
    }


def last_values(plan: Plan, recorded: dict[str, LastValues]) -> dict[str, LastValues]:
    """Each action's values before the period: history's RECORDED values where there are any,
    else the plan's baseline."""
    values = baseline_values(plan)
    values.update({k: v for k, v in recorded.items() if k in values})
    return values


def shown_after_check(
    plan: Plan, last: dict[str, LastValues], report: CheckReport
) -> dict[str, ShownRatings]:
    """The ratings REPORT counted for the period, else the LAST values, for area leads."""
    shown = _shown_from_last(plan, last)
    for officer_return in report.counted_officer_returns().values():
        for update in officer_return.updates:
            last_shown = shown.get(update.action_id)
            if update.row_rejected or last_shown is None:
                continue
            # A cell an error rejected (or a rating left blank) keeps what was shown before:
            # the merge's rule, so the area lead sees what the tracker will show.
            progress, impact = update.progress, update.impact
            commentary = update.progress_commentary
            if progress is None or "progress" in update.rejected:
                progress = last_shown.progress
            if impact is None or "impact" in update.rejected:
                impact = last_shown.impact
            if "progress_commentary" in update.rejected:
                commentary = last_shown.commentary
            shown[update.action_id] = ShownRatings(
                progress, impact, commentary, "This month's return"
            )
    return shown


def _shown_from_last(plan: Plan, last: dict[str, LastValues]) -> dict[str, ShownRatings]:
    shown = {}
    for action in plan.actions:
        value = last.get(action.id)
        if value is None:
            shown[action.id] = ShownRatings(None, None, "", "No rating yet")
        elif value.period is None:
            shown[action.id] = ShownRatings(value.progress, value.impact, "", "Plan baseline")
        else:
            source = f"Last reported: {value.period.label}"
            shown[action.id] = ShownRatings(value.progress, value.impact, value.commentary, source)
    return shown


# --------------------------------------------------------------------------- file names


_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_SPACES = re.compile(r"\s+")


def unique_file_name(stem: str, taken: set[str]) -> str:
    """A Windows-safe ``.xlsx`` name from STEM, unique (ignoring case) among TAKEN."""
    safe = _SPACES.sub(" ", _UNSAFE.sub(" ", stem)).strip(" .")
    if len(safe) > _MAX_NAME + 20:
        safe = safe[: _MAX_NAME + 20].rstrip(" .")
    name = f"{safe}.xlsx"
    number = 2
    while name.casefold() in taken:
        name = f"{safe} ({number}).xlsx"
        number += 1
    taken.add(name.casefold())
    return name


# --------------------------------------------------------------------------- send list


def _write_send_list(path: Path, rows: list[tuple[str, ...]]) -> None:
    """send-list.csv for a mail merge, in UTF-8 with a BOM so Excel reads names rightly."""
    partial = path.with_name(f".{path.name}.partial")
    with partial.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")  # as Excel on Windows writes CSV
        writer.writerow(SEND_LIST_COLUMNS)
        writer.writerows(rows)
    try:
        replace_file(partial, path)
    except PermissionError:
        partial.unlink(missing_ok=True)
        raise EnvironmentProblem(
            f"{path.name} is open in another program, so it was not replaced",
            hint=f"Close {path.name} and run the command again.",
        ) from None
