"""The Risks sheet of the plan register."""

from __future__ import annotations

from packbuilder.model import (
    Risk,
)
from packbuilder.plan import schema
from packbuilder.plan.cells import Reader, Row


def read_risks(reader: Reader, rows: list[Row]) -> list[Risk]:
    sheet = schema.RISKS
    risks: dict[str, Risk] = {}
    first_row: dict[str, int] = {}
    for row in rows:
        risk_id = reader.required(row, sheet, "Risk ID")
        text = reader.required(row, sheet, "Risk")
        severity = reader.required(row, sheet, "Severity")
        if severity:
            severity = reader.choice(row, sheet, "Severity", schema.SEVERITIES, "")
        after = reader.choice(row, sheet, "Severity after mitigation", schema.SEVERITIES, "")
        likelihood = reader.integer(row, sheet, "Likelihood", 1, 5)
        impact = reader.integer(row, sheet, "Impact", 1, 5)
        if not risk_id or not text or not severity:
            continue
        if risk_id in risks:
            reader.add(
                "PLAN-DUPLICATE-RISK",
                sheet,
                row.cell("Risk ID"),
                risk_id,
                first_row=first_row[risk_id],
            )
            continue
        first_row[risk_id] = row.number
        risks[risk_id] = Risk(
            id=risk_id,
            date_text=row.text("Date"),
            risk=text,
            severity=severity,
            mitigations=row.text("Mitigations"),
            severity_after=after,
            progress=row.text("Progress"),
            status=row.text("Status"),
            owner=row.text("Owner"),
            likelihood=likelihood,
            impact=impact,
        )
    return list(risks.values())
