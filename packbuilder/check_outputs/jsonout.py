"""``check --json``: the report as JSON for other tools. The schema is docs/json.md and
``SCHEMA`` below; a test validates the output against it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from packbuilder.model import CheckReport, Finding, ReturnFile

if TYPE_CHECKING:
    from packbuilder.config import Config

SCHEMA_VERSION = 1

_FINDING = {
    "type": "object",
    "required": ["code", "severity", "message", "file", "sheet", "cell", "value", "officer_id",
                 "action_id"],
    "properties": {
        "code": {"type": "string"},
        "severity": {"enum": ["error", "warning", "info"]},
        "message": {"type": "string"},
        "file": {"type": "string"},
        "sheet": {"type": "string"},
        "cell": {"type": "string"},
        "value": {"type": "string"},
        "officer_id": {"type": "string"},
        "action_id": {"type": "string"},
    },
}  # fmt: skip

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["schema_version", "period", "valid", "counts", "files", "missing", "findings"],
    "properties": {
        "schema_version": {"type": "integer"},
        "period": {"type": "string"},
        "valid": {"type": "boolean"},
        "deadline": {"type": "string"},
        "counts": {
            "type": "object",
            "required": ["expected", "received", "valid", "with_errors", "missing"],
            "properties": {
                k: {"type": "integer"}
                for k in ("expected", "received", "valid", "with_errors", "missing")
            },
        },
        "files": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["file", "sha256", "status", "kind", "officer_id", "area", "period",
                             "received_at", "received_source", "superseded_by", "errors",
                             "warnings"],
                "properties": {
                    "file": {"type": "string"},
                    "sha256": {"type": "string"},
                    "status": {"enum": ["Counted", "Superseded", "Rejected", "Not a return",
                                        "Skipped"]},
                    "kind": {"enum": ["officer", "area-lead", None]},
                    "officer_id": {"type": "string"},
                    "area": {"type": ["integer", "null"]},
                    "period": {"type": "string"},
                    "received_at": {"type": ["string", "null"]},
                    "received_source": {"type": "string"},
                    "superseded_by": {"type": "string"},
                    "errors": {"type": "integer"},
                    "warnings": {"type": "integer"},
                },
            },
        },
        "missing": {
            "type": "object",
            "required": ["officers", "areas"],
            "properties": {
                "officers": {"type": "array", "items": {"type": "string"}},
                "areas": {"type": "array", "items": {"type": "integer"}},
            },
        },
        "findings": {"type": "array", "items": _FINDING},
    },
}  # fmt: skip


def report_json(report: CheckReport, config: Config) -> str:
    """The report as indented JSON following SCHEMA."""
    return json.dumps(report_document(report, config), indent=2, ensure_ascii=False)


def report_document(report: CheckReport, config: Config | None) -> dict[str, Any]:
    counts = summary_counts(report)
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "period": str(report.period),
        "valid": report.valid,
        "counts": counts,
        "files": [_file(f) for f in report.files],
        "missing": {"officers": report.missing_officers(), "areas": report.missing_areas()},
        "findings": [_finding(f) for f in report.findings],
    }
    if config is not None:
        document["deadline"] = config.deadline(report.period).isoformat()
    return document


def summary_counts(report: CheckReport) -> dict[str, int]:
    """Officer returns expected, received (counted), valid, with errors, and missing."""
    counted = list(report.counted_officer_returns().values())
    with_errors = sum(1 for f in counted if f.errors)
    return {
        "expected": len(report.expected_officers),
        "received": len(counted),
        "valid": len(counted) - with_errors,
        "with_errors": with_errors,
        "missing": len(report.missing_officers()),
    }


def _file(file: ReturnFile) -> dict[str, Any]:
    return {
        "file": file.name,
        "sha256": file.sha256,
        "status": file.status.value,
        "kind": file.kind.value if file.kind else None,
        "officer_id": file.officer_id,
        "area": file.area,
        "period": file.period,
        "received_at": file.received_at.isoformat() if file.received_at else None,
        "received_source": file.received_source,
        "superseded_by": file.superseded_by,
        "errors": len(file.errors),
        "warnings": len(file.warnings),
    }


def _finding(finding: Finding) -> dict[str, str]:
    return {
        "code": finding.code,
        "severity": finding.severity.value,
        "message": finding.message,
        "file": finding.file,
        "sheet": finding.sheet,
        "cell": finding.cell,
        "value": finding.value,
        "officer_id": finding.officer_id,
        "action_id": finding.action_id,
    }
