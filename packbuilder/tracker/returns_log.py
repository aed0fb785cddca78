"""The Returns log sheet: every file received, and every officer or area lead with none.

Files are listed by name, then the officers and (when area leads return) the areas missing
a return, so the office can see at a glance who to chase.
"""

from __future__ import annotations

from typing import Any

from packbuilder.model import FileStatus, KpiRag, ReturnKind
from packbuilder.tracker.formats import SheetWriter


def write(w: SheetWriter) -> None:
    check = w.result.check
    rows: list[list[Any]] = []
    for f in sorted(check.files, key=lambda f: (f.name.casefold(), f.name)):
        who = (
            w.officer_name(f.officer_id)
            if f.officer_id
            else (f"Area {f.area} lead" if f.area is not None else "")
        )
        rows.append(
            [
                f.name,
                who,
                "Area lead" if f.kind is ReturnKind.AREA_LEAD else "Officer" if f.kind else "",
                f.status.value,
                f"{f.received_at:%d %b %Y %H:%M}" if f.received_at else "",
                f.received_source,
                len(f.errors),
                len(f.warnings),
                f.superseded_by,
                f.sha256,
            ]
        )
    for officer_id in check.missing_officers():
        rows.append(
            [
                "",
                w.officer_name(officer_id),
                "Officer",
                "No return",
                "",
                "",
                0,
                0,
                "",
                "",
            ]
        )
    for area in check.missing_areas() if w.config.settings.returns.area_leads else []:
        rows.append(["", f"Area {area} lead", "Area lead", "No return", "", "", 0, 0, "", ""])
    sheet = w.table_sheet(
        "Returns log",
        [
            ("File", 30),
            ("Officer", 24),
            ("Kind", 10),
            ("Status", 12),
            ("Received", 16),
            ("Time from", 14),
            ("Errors", 8),
            ("Warnings", 9),
            ("Superseded by", 24),
            ("sha256", 30),
        ],
        rows,
        empty_note="No file received.",
    )
    status_formats = {
        FileStatus.COUNTED.value: w.rag_formats[KpiRag.GREEN],
        FileStatus.REJECTED.value: w.rag_formats[KpiRag.RED],
        FileStatus.NOT_A_RETURN.value: w.rag_formats[KpiRag.RED],
        "No return": w.rag_formats[KpiRag.AMBER],
    }
    w.word_rule(sheet, 1, len(rows), 3, status_formats)
