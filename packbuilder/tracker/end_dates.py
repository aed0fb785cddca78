"""The End dates sheet: actions overdue, due in the next three months, or revised.

Overdue actions come first, then those falling due, then those whose date was revised;
within each, by the date in force and the action's id.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from packbuilder.merge import carried_words
from packbuilder.tracker.formats import SheetWriter, rating_text


def write(w: SheetWriter) -> None:
    end = w.period.last_day
    soon = _add_months(end, 3)
    rows: list[tuple[tuple[int, dt.date, str], list[Any]]] = []
    for s in w.result.actions:
        due = s.end_date_in_force
        reasons = []
        if s.is_overdue(w.period):
            reasons.append("Overdue")
        complete = s.progress is not None and s.progress.is_complete
        if due is not None and end < due <= soon and not complete:
            reasons.append("Due in the next three months")
        if s.end_date_agreed_in == w.period:
            reasons.append("Moved this period")
        elif s.revised_end_date is not None:
            reasons.append("Revised")
        if not reasons:
            continue
        order = 0 if "Overdue" in reasons else 1 if reasons[0].startswith("Due") else 2
        days = (end - due).days if due is not None and "Overdue" in reasons else ""
        rows.append(
            (
                (order, due or dt.date.max, s.action.id),
                [
                    "; ".join(reasons),
                    s.action.id,
                    s.action.area,
                    s.action.text,
                    w.officer_name(s.action.reporting_officer),
                    s.action.end_date.text,
                    s.action.end_date.date,
                    s.revised_end_date,
                    carried_words(s, "revised_reason", s.revised_reason),
                    s.end_date_agreed_in.label if s.end_date_agreed_in else "",
                    due,
                    days,
                    rating_text(s.progress),
                ],
            )
        )
    rows.sort(key=lambda item: item[0])
    sheet = w.table_sheet(
        "End dates",
        [
            ("Why listed", 20),
            ("Action ID", 9),
            ("Area", 6),
            ("Action", 46),
            ("Responsible officer", 22),
            ("End date as written", 16),
            ("End date", 12),
            ("Revised end date", 12),
            ("Reason for revised date", 30),
            ("Agreed in", 14),
            ("Date in force", 12),
            ("Days overdue", 9),
            ("Progress", 11),
        ],
        [r for _, r in rows],
        empty_note="No action is overdue, revised or due in the next three months.",
    )
    w.brag_rule(sheet, 1, len(rows), 12)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))
