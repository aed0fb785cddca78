"""The Exceptions sheet: every item one exception rule or more flagged this period.

The rules ran in ``checks``; this sheet only lists what they found, one row per exception,
with the officer's name in place of the id for actions and returns.
"""

from __future__ import annotations

from packbuilder.tracker.formats import SheetWriter


def write(w: SheetWriter) -> None:
    rows = [
        [
            e.rule,
            e.kind,
            e.subject,
            e.area if e.area is not None else "",
            w.officer_name(e.owner) if e.kind in ("action", "return") else e.owner,
            e.summary,
            e.periods_in_exception,
        ]
        for e in w.result.exceptions
    ]
    w.table_sheet(
        "Exceptions",
        [
            ("Rule", 15),
            ("Kind", 8),
            ("Subject", 12),
            ("Area", 6),
            ("Owner", 24),
            ("Summary", 70),
            ("Periods in exception", 11),
        ],
        rows,
        empty_note="No exception this period.",
    )
