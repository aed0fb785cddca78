"""Every finding code packbuilder can report, with its severity, title and message template.

One registry for every input (officers' returns, saved emails, the plan register, the KPI
return, overrides, the narrative) and for the build itself. This is the one place a code is
defined: the rules name codes from here, the reference page docs/findings.md is generated
from it (tools/gen_findings_doc.py), and a test fails when the package makes a finding with a
code that is not registered. Codes are stable, the upper-case plan and KPI ones included:
rename one only with a note, since the office may filter validation.xlsx by them.

A message speaks to the officer who sent the return: what is wrong and what to do. Each error
says what it keeps out of the tracker (``rejects``: the cell, the row or the file) and, where a
value is carried forward in its place, why in words (``carried``).

The codes live by input, one module each (``returns``, ``values``, ``email``, ``plan``, ``kpis``,
``office``, ``build``), every group a tuple of ``Check`` named ``*_CHECKS``; this module joins
them into ``ALL_CHECKS`` and ``REGISTRY`` and makes findings from them.
"""

from __future__ import annotations

import enum

from packbuilder.findings.build import BUILD_CHECKS
from packbuilder.findings.check import CELL, FILE, ROW, Check
from packbuilder.findings.email import COLLECT_CHECKS
from packbuilder.findings.kpis import KPI_CHECKS
from packbuilder.findings.office import NARRATIVE_CHECKS, OVERRIDE_CHECKS
from packbuilder.findings.plan import PLAN_CHECKS
from packbuilder.findings.returns import FILE_CHECKS, IDENTITY_CHECKS, ROW_CHECKS
from packbuilder.findings.values import DATE_CHECKS, FOLDER_CHECKS, RATING_CHECKS, TEXT_CHECKS
from packbuilder.model import Finding

__all__ = [
    "ALL_CHECKS",
    "BUILD_CHECKS",
    "CELL",
    "CHECKS",
    "COLLECT_CHECKS",
    "FILE",
    "FILE_COUNTS",
    "KPI_CHECKS",
    "NARRATIVE_CHECKS",
    "NOT_A_RETURN_CODES",
    "OVERRIDE_CHECKS",
    "PLAN_CHECKS",
    "REGISTRY",
    "REJECTED_CODES",
    "RETURN_CHECKS",
    "ROW",
    "Check",
    "FileCount",
    "finding",
    "message",
]

# An officer's return, in the order its findings are listed: the file, whose it is, its rows,
# its values, and the folder it came in. CHECKS is its older name, kept for callers.
RETURN_CHECKS: tuple[Check, ...] = (
    *FILE_CHECKS,
    *IDENTITY_CHECKS,
    *ROW_CHECKS,
    *RATING_CHECKS,
    *DATE_CHECKS,
    *TEXT_CHECKS,
    *FOLDER_CHECKS,
)
CHECKS = RETURN_CHECKS

ALL_CHECKS: tuple[Check, ...] = (
    *CHECKS,
    *COLLECT_CHECKS,
    *PLAN_CHECKS,
    *KPI_CHECKS,
    *OVERRIDE_CHECKS,
    *NARRATIVE_CHECKS,
    *BUILD_CHECKS,
)
REGISTRY: dict[str, Check] = {check.code: check for check in ALL_CHECKS}


class FileCount(enum.Enum):
    """How a file refused by a file-level code counts (checks/run.py sets FileStatus from it)."""

    # Meant as a return but cannot be used: an error in the totals, the exit code and
    # --strict, and its officer (where the file names one) is chased to send it again.
    RETURN_WITH_ERRORS = "a return with errors"
    # Not a return at all: listed in validation.xlsx and the returns log, counted once as
    # such, never as an error.
    NOT_A_RETURN = "not a return"


_R, _X = FileCount.RETURN_WITH_ERRORS, FileCount.NOT_A_RETURN
FILE_COUNTS: dict[str, FileCount] = {
    "empty-file": _R,  # an attachment that lost its content on the way
    "file-too-large": _R,
    "damaged-file": _R,
    "password-protected": _R,
    "legacy-xls": _R,
    "ods-file": _R,
    "macro-workbook": _R,
    "uncompressed-too-large": _R,
    "compression-ratio": _R,
    "xml-dtd": _R,
    "sheet-too-large": _R,
    "unreadable": _R,
    "wrong-period": _R,
    "unknown-officer": _R,
    "officer-no-actions": _R,
    "unknown-area": _R,
    "template-version": _R,
    "xlsb-file": _R,  # a return saved as an Excel binary workbook: the officer can save it again
    "word-document": _X,
    "not-a-workbook": _X,
    "csv-file": _X,
    "html-file": _X,
    "unknown-format": _X,
    "not-a-return": _X,
    "other-document": _X,  # a Word, PowerPoint or Outlook file, or another OLE2 document
    "unusual-workbook": _X,  # a workbook whose parts are not where Excel writes them
}

# Codes that decide what a whole file is (checks/run.py sets FileStatus from them).
NOT_A_RETURN_CODES = frozenset(code for code, count in FILE_COUNTS.items() if count is _X)
REJECTED_CODES = frozenset(code for code, count in FILE_COUNTS.items() if count is _R)


class _Fields(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def message(code: str, variant: str = "", **fields: object) -> str:
    """The message for CODE (its VARIANT's, if named) with its fields filled in (an unknown
    field stays visible)."""
    return REGISTRY[code].template_for(variant).format_map(_Fields(fields))


def finding(
    code: str,
    *,
    file: str = "",
    sheet: str = "",
    cell: str = "",
    value: object = "",
    officer_id: str = "",
    action_id: str = "",
    **fields: object,
) -> Finding:
    """A Finding for CODE, its message made from the registry's template (the template of the
    variant named by a ``variant`` field, where one is given)."""
    check = REGISTRY[code]
    variant = str(fields.pop("variant", ""))
    text = "" if value is None else str(value)
    return Finding(
        code=code,
        severity=check.severity,
        message=message(
            code,
            variant,
            file=file,
            sheet=sheet,
            cell=cell,
            value=text,
            action=action_id,
            **fields,
        ),
        file=file,
        sheet=sheet,
        cell=cell,
        value=text,
        officer_id=officer_id,
        action_id=action_id,
    )
