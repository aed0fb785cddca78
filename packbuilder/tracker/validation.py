"""The Validation sheet: every finding of the period, the tracker's own included.

Written last, because writing the sheets before it can raise findings of its own (text cut
at Excel's cell limit); each row gives the status of the file the finding came from.
"""

from __future__ import annotations

from packbuilder.model import KpiRag
from packbuilder.tracker.formats import SheetWriter


def write(w: SheetWriter) -> None:
    # The tracker's own warnings (text cut) are raised while writing the sheets before.
    findings = [*w.result.check.findings, *w.result.findings, *w.findings]
    status_of = w.result.check.file_status_of()
    rows = [
        [
            f.severity.value,
            f.code,
            f.file,
            f.sheet,
            f.cell,
            w.officer_name(f.officer_id) if f.officer_id else "",
            f.action_id,
            f.value,
            f.message,
            status.value if (status := status_of.get(id(f))) else "",
        ]
        for f in findings
    ]
    sheet = w.table_sheet(
        "Validation",
        [
            ("Severity", 9),
            ("Code", 22),
            ("File", 26),
            ("Sheet", 12),
            ("Cell", 7),
            ("Officer", 22),
            ("Action", 8),
            ("Value found", 24),
            ("Message", 70),
            ("File status", 13),
        ],
        rows,
        empty_note="No finding.",
    )
    w.word_rule(
        sheet,
        1,
        len(rows),
        0,
        {
            "error": w.rag_formats[KpiRag.RED],
            "warning": w.rag_formats[KpiRag.AMBER],
        },
    )
