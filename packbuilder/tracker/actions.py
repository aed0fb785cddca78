"""The Tracker sheet: one row per action, the merged period as the board reads it.

Each value carried forward because of an error says so in words; each overridden value
carries a comment giving who overrode it and why, and the overrides in italics at the end.
"""

from __future__ import annotations

import datetime as dt

from xlsxwriter.worksheet import Worksheet

from packbuilder.merge import carried_words, overrides_for
from packbuilder.model import ActionStatus, Period, Rating
from packbuilder.tracker.formats import Note, SheetWriter, direction_text, rating_text

COLUMNS: tuple[tuple[str, float], ...] = (
    ("Action ID", 9),
    ("Area", 6),
    ("Sub-theme", 9),
    ("Action", 50),
    ("Responsible officer", 22),
    ("Organisation", 16),
    ("End date as written", 16),
    ("End date", 12),
    ("Revised end date", 12),
    ("End date in force", 12),
    ("End date last moved", 14),
    ("Overdue", 9),
    ("Progress", 11),
    ("Impact", 11),
    ("Last progress", 11),
    ("Last impact", 11),
    ("Progress direction", 12),
    ("Impact direction", 12),
    ("Commentary", 50),
    ("Evidence of impact", 40),
    ("Confidence", 11),
    ("Key risks or issues", 30),
    ("Escalation", 10),
    ("Next milestone", 28),
    ("KPI codes", 14),
    ("Return status", 16),
    ("Source file", 24),
    ("Source cell", 14),
    ("Overrides", 30),
)


def write(w: SheetWriter) -> None:
    rows = []
    for s in w.result.actions:
        action = s.action
        officer = w.officers.get(action.reporting_officer)
        source = s.sources.get("progress") or next(iter(sorted(s.sources.items())), ("", None))[1]
        rows.append(
            [
                action.id,
                action.area,
                action.sub_theme,
                action.text,
                officer.name if officer else action.reporting_officer,
                officer.organisation if officer else "",
                action.end_date.text,
                action.end_date.date,
                _carried_date(s, "revised_end_date", s.revised_end_date),
                s.end_date_in_force,
                s.end_date_agreed_in.label if s.end_date_agreed_in else "",
                "Yes" if s.is_overdue(w.period) else "No",
                carried_words(s, "progress", rating_text(s.progress)),
                carried_words(s, "impact", rating_text(s.impact)),
                _previous(s.previous_progress, w.result.previous_period),
                _previous(s.previous_impact, w.result.previous_period),
                direction_text(s.progress_direction),
                direction_text(s.impact_direction),
                carried_words(s, "progress_commentary", s.progress_commentary),
                carried_words(s, "evidence", s.evidence),
                carried_words(s, "confidence", s.confidence),
                carried_words(s, "risks", s.risks),
                carried_words(
                    s,
                    "escalation",
                    "" if s.escalation is None else ("Yes" if s.escalation else "No"),
                ),
                carried_words(
                    s, "next_milestone", _milestone(s.next_milestone, s.next_milestone_date)
                ),
                "; ".join(action.kpi_codes),
                s.return_status.value,
                source.file if source else "",
                f"{source.sheet} › {source.cell}" if source else "",
                Note(_override_text(s)) if s.overrides else "",
            ]
        )
    columns = list(COLUMNS)
    sheet = w.table_sheet("Tracker", columns, rows, freeze_cols=1)
    sheet.set_paper(8)  # A3: the whole row of an action on one page width
    last = len(rows)
    headers = [h for h, _ in columns]
    for name in ("Progress", "Impact", "Last progress", "Last impact"):
        w.brag_rule(sheet, 1, last, headers.index(name))
    _override_comments(w, sheet, headers)


def _override_comments(w: SheetWriter, sheet: Worksheet, headers: list[str]) -> None:
    """A comment on each overridden cell giving the override and its reason."""
    columns = {
        "progress": "Progress",
        "impact": "Impact",
        "progress_commentary": "Commentary",
        "evidence": "Evidence of impact",
        "revised_end_date": "Revised end date",
        "confidence": "Confidence",
        "risks": "Key risks or issues",
        "escalation": "Escalation",
        "next_milestone": "Next milestone",
        "next_milestone_date": "Next milestone",
    }
    for r, s in enumerate(w.result.actions, start=1):
        for attribute, header in columns.items():
            applied = overrides_for(s, attribute)
            if applied:
                note = "\n".join(f"Override by {o.who}: {o.reason}" for o in applied)
                sheet.write_comment(
                    r,
                    headers.index(header),
                    note[:2000],
                    {"author": "packbuilder", "x_scale": 2, "y_scale": 1.5},
                )


def _previous(rating: Rating | None, previous: Period | None) -> str:
    if rating is not None:
        return rating.value
    return "First report" if previous is None else "New"


def _carried_date(
    status: ActionStatus, attribute: str, date: dt.date | None
) -> dt.date | str | None:
    """A date cell, or the date in words when it was carried forward because of an error."""
    if attribute not in status.carried:
        return date
    return carried_words(status, attribute, f"{date:%d %b %Y}" if date else "")


def _milestone(text: str, date: dt.date | None) -> str:
    if date is None:
        return text
    return f"{text} (by {date:%d %b %Y})" if text else f"By {date:%d %b %Y}"


def _override_text(status: ActionStatus) -> str:
    return "\n".join(
        f"{o.field} set to {o.value!s} by {o.who}: {o.reason}" for o in status.overrides
    )
