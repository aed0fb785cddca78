"""The Risks sheet: the risk register as merged this period, with its change since the last.

Written only when the plan or a return has a risk. Severities are shown as one word (High,
Medium, Low) where the register's text starts with one, coloured by the shared RAG formats.
"""

from __future__ import annotations

from packbuilder.tracker.formats import SheetWriter, severity_word


def write(w: SheetWriter) -> None:
    rows = [
        [
            r.risk.id,
            r.risk.date_text,
            r.risk.risk,
            r.risk.owner,
            severity_word(r.risk.severity),
            r.risk.mitigations,
            severity_word(r.risk.severity_after) if r.risk.severity_after else "",
            r.risk.progress,
            r.risk.status,
            r.change,
            r.previous_severity_after,
        ]
        for r in w.result.risks
    ]
    sheet = w.table_sheet(
        "Risks",
        [
            ("Risk ID", 8),
            ("Date", 11),
            ("Risk", 46),
            ("Owner", 20),
            ("Severity", 10),
            ("Mitigations", 46),
            ("Severity after mitigation", 12),
            ("Progress", 36),
            ("Status", 10),
            ("Change since last period", 14),
            ("Previous severity after", 12),
        ],
        rows,
        empty_note="No risk in the register.",
    )
    for col in (4, 6, 10):
        w.word_rule(sheet, 1, len(rows), col, w.severity_formats)
