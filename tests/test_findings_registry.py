"""The one findings registry: every code the package raises is registered, once, and listed on
the reference page docs/findings.md.

The package's source is walked (ast) for every call that makes a finding with a literal code,
so a new code that skips the registry fails here rather than reaching an officer undocumented.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from packbuilder.findings import ALL_CHECKS, REGISTRY, Check
from packbuilder.model import Severity
from packbuilder.returns.safe import Refusal

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "packbuilder"
PAGE = ROOT / "docs" / "findings.md"

# A call that makes a finding (or hands a code to one), and where its code is among the
# positional arguments. ``Note`` and ``Normalised`` are the return reader's notes, turned into
# findings by the checks.
_MAKERS = {
    "Finding": 0,
    "finding": 0,  # the registry's, CheckContext's, a row check's, Place's, overrides'
    "_finding": 0,  # the narrative's
    "kpi_finding": 0,
    "_override_finding": 0,
    "Note": 0,
    "Normalised": 1,
}
# The plan register's reader (plan/cells.py) adds its findings with ``add(code, sheet, cell, ...)``.
_PLAN_READERS = ("loader", "cells", "read_areas", "read_kpis", "read_actions", "read_risks")
_MAKERS_IN = {f"plan/{name}.py": {"add": 0} for name in _PLAN_READERS}


def _name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def raised_codes(source: str, module: str) -> set[tuple[str, int]]:
    """Each literal code SOURCE passes where a finding is made, with its line."""
    makers = {**_MAKERS, **_MAKERS_IN.get(module, {})}
    found: set[tuple[str, int]] = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        candidates = [k.value for k in node.keywords if k.arg == "code"]
        position = makers.get(_name(node))
        if position is not None and len(node.args) > position:
            candidates.append(node.args[position])
        for candidate in candidates:
            if isinstance(candidate, ast.Constant) and isinstance(candidate.value, str):
                found.add((candidate.value, node.lineno))
    return found


def package_codes() -> dict[str, list[str]]:
    """Every literal code raised in the package, with the places (module:line) that raise it."""
    places: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        for code, line in raised_codes(path.read_text("utf-8"), module):
            places.setdefault(code, []).append(f"{module}:{line}")
    # The safe reader's refusals are codes too: identity.refusal raises the enum's value.
    for refusal in Refusal:
        places.setdefault(refusal.value, []).append(f"returns/safe.py: Refusal.{refusal.name}")
    return places


def test_every_code_raised_in_the_package_is_registered() -> None:
    unregistered = {code: at for code, at in package_codes().items() if code not in REGISTRY}
    assert unregistered == {}, "register these in packbuilder/findings.py"


def test_the_walk_finds_codes_of_every_input() -> None:
    # Not vacuous: a code of each family, raised each way the package raises one.
    raised = set(package_codes())
    assert {
        "tracker-text-cut",  # Finding(code=...)
        "template-default",
        "plan-changed-since-build",
        "period-months-skipped",
        "period-built-out-of-order",
        "override-unknown-action",  # merge's _override_finding
        "override-no-reason",  # overrides' local finding()
        "overrides-unreadable",
        "narrative-missing",  # the narrative's _finding
        "KPI-NO-RETURN",  # kpi_finding
        "PLAN-EMPTY",  # the plan loader's add
        "rating-letter",  # the reader's Normalised
        "text-cleaned",  # the reader's Note
        "lock-file",  # a Refusal
        "missing-return",  # the registry's finding
        "email-too-large",
    } <= raised


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('Finding(code="made-up", severity=s, message="")', {"made-up"}),
        ('place.finding("made-up", value=1)', {"made-up"}),
        ('kpi_finding("KPI-MADE-UP", "text")', {"KPI-MADE-UP"}),
        ('Normalised(None, "made-up")', {"made-up"}),
        ('seen.add("not-a-code")', set()),  # add() makes findings only in the plan loader
        ("finding(code_variable)", set()),
    ],
)
def test_the_walk_reads_a_code_where_a_finding_is_made(source: str, expected: set[str]) -> None:
    assert {code for code, _ in raised_codes(source, "elsewhere.py")} == expected


def test_the_plan_loaders_add_is_read_as_making_a_finding() -> None:
    source = 'reader.add("PLAN-MADE-UP", sheet, "A1", value, "text")'
    assert raised_codes(source, "plan/read_actions.py") == {("PLAN-MADE-UP", 1)}


def test_every_code_is_registered_once_in_one_shape() -> None:
    codes = [check.code for check in ALL_CHECKS]
    assert sorted(code for code in set(codes) if codes.count(code) > 1) == []
    assert set(REGISTRY) == set(codes)
    assert all(type(check) is Check and check.title for check in ALL_CHECKS)
    families = {check.family for check in ALL_CHECKS}
    assert {"plan", "kpi", "overrides", "narrative", "build", "email", "file"} <= families


def test_every_registered_code_is_on_the_findings_page() -> None:
    page = PAGE.read_text("utf-8")
    missing = [
        code for code in REGISTRY if f"| `{code}` | {REGISTRY[code].severity.value} |" not in page
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("code", "severity", "family"),
    [
        ("KPI-NO-RETURN", Severity.WARNING, "kpi"),
        ("KPI-NUMBER-FROM-TEXT", Severity.INFO, "kpi"),
        ("PLAN-OPEN-END-DATE", Severity.INFO, "plan"),
        ("PLAN-BAD-VALUE", Severity.ERROR, "plan"),
        ("tracker-text-cut", Severity.WARNING, "build"),
        ("narrative-invalid", Severity.WARNING, "narrative"),
        ("override-bad-value", Severity.WARNING, "overrides"),
    ],
)
def test_codes_keep_their_spelling_and_severity(code: str, severity: Severity, family: str) -> None:
    assert (REGISTRY[code].severity, REGISTRY[code].family) == (severity, family)


# The two codes no test raised before every input shared the registry.


def test_an_override_row_without_an_action_id_is_a_finding_at_its_cell() -> None:
    from packbuilder.overrides import parse_override_rows

    rows: list[list[object]] = [
        ["Action ID", "Field", "Value", "Reason", "Who"],
        ["", "progress", "Amber", "Call with officer", "PO"],
    ]
    overrides, findings = parse_override_rows(rows, "o.xlsx", "c" * 64, "Sheet1", ["Low"])
    assert overrides == []
    assert [(f.code, f.severity, f.file, f.sheet, f.cell, f.message) for f in findings] == [
        (
            "override-no-action",
            Severity.WARNING,
            "o.xlsx",
            "Sheet1",
            "A2",
            "The override has no Action ID.",
        )
    ]


def test_a_narrative_file_that_is_not_toml_is_one_warning(tmp_path: Path) -> None:
    from packbuilder.reports.narrative import read_narrative

    path = tmp_path / "2023-08.toml"
    path.write_text('[summaries]\nassurance = "unclosed\n', "utf-8")
    narrative = read_narrative(path, "inputs/narrative/2023-08.toml")
    assert [(f.code, f.severity, f.file) for f in narrative.findings] == [
        ("narrative-unreadable", Severity.WARNING, "inputs/narrative/2023-08.toml")
    ]
    assert narrative.findings[0].message.startswith(
        "inputs/narrative/2023-08.toml could not be read ("
    )
    assert narrative.findings[0].message.endswith(
        "); the reports say in plain words that the office's words are not written yet. "
        "Check quotes and brackets."
    )
