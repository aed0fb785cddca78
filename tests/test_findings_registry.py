"""The one findings registry: every code the package raises is registered, once, and listed on
the reference page docs/findings.md.

The package's source is walked (ast) for every call that makes a finding with a literal code,
so a new code that skips the registry fails here rather than reaching an officer undocumented.
A code built any other way is caught at run time: every Finding constructed while the example
is built, and while the plan, KPI and override readers run on bad input, is checked against
the registry, and so is every code the example's validation.xlsx lists (findings made in a
worker process reach it too).
"""

from __future__ import annotations

import ast
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import small_plan_rows
from kpi_fixtures import JULY, config, fill, plan

from packbuilder.cli import main
from packbuilder.config import Config
from packbuilder.findings import ALL_CHECKS, REGISTRY, Check
from packbuilder.kpis.read import read_kpi_return
from packbuilder.model import Finding, Plan, Severity
from packbuilder.overrides import parse_override_rows
from packbuilder.plan import schema
from packbuilder.plan.loader import load_plan
from packbuilder.plan.writer import write_plan_workbook
from packbuilder.returns.safe import Refusal

__all__ = ["config", "plan"]  # fixtures

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
    "registered_finding": 0,  # the registry's, named apart where a local is called finding
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
        "KPI-NO-RETURN",  # the KPI reader's finding
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
        ('finding("KPI-MADE-UP", file="x.xlsx")', {"KPI-MADE-UP"}),
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


# ---- at run time: every Finding made, whatever built its code


@pytest.fixture
def made_codes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The code of every Finding constructed in this process while the test runs."""
    codes: list[str] = []
    construct = Finding.__init__

    def recording(self: Finding, *args: object, **kwargs: object) -> None:
        construct(self, *args, **kwargs)  # type: ignore[arg-type]
        codes.append(self.code)

    monkeypatch.setattr(Finding, "__init__", recording)
    yield codes


def _validation_codes(path: Path) -> set[str]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = [str(cell) for cell in next(rows, ())]
            if "Code" in header:
                column = header.index("Code")
                return {str(row[column]) for row in rows if row and row[column]}
        return set()
    finally:
        workbook.close()


def test_every_finding_made_building_the_example_is_registered(
    made_codes: list[str], tmp_path: Path
) -> None:
    shutil.copy2(ROOT / "config.toml", tmp_path / "config.toml")
    for folder in ("inputs", "templates"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    for args in (["plan", "check"], ["build", "2023-07"], ["build", "2023-08"]):
        result = CliRunner().invoke(main, ["-C", str(tmp_path), *args])
        assert result.exit_code == 0, result.output
    listed = set()
    for period in ("2023-07", "2023-08"):
        listed |= _validation_codes(tmp_path / "outputs" / period / "validation.xlsx")
    assert made_codes and len(listed) > 3  # not vacuous: the example has findings
    assert {code for code in {*made_codes, *listed} if code not in REGISTRY} == set()


def test_every_finding_the_plan_kpi_and_override_readers_make_is_registered(
    made_codes: list[str], config: Config, plan: Plan
) -> None:
    # A KPI return with a word for a number, a date that is none and a code not in the plan.
    path = fill(config, {"M5": "lots", "N7": "soon", "M7": 10, "A30": "APP99", "M30": 3})
    read_kpi_return(path, config, plan, JULY, {})
    # A plan register with a duplicate officer and a sheet missing.
    broken = config.root / "inputs" / "broken.xlsx"
    rows = small_plan_rows()
    rows[schema.OFFICERS] = [*rows[schema.OFFICERS], rows[schema.OFFICERS][0]]
    del rows[schema.RISKS]
    write_plan_workbook(broken, rows)
    load_plan(broken)
    overrides: list[list[object]] = [
        ["Action ID", "Field", "Value", "Reason", "Who"],
        ["", "progress", "Amber", "Call", "PO"],
        ["1A1", "colour", "Amber", "Call", "PO"],
        ["1A1", "progress", "Purple", "", "PO"],
    ]
    parse_override_rows(overrides, "o.xlsx", "c" * 64, "Sheet1", ["Low"])
    codes = set(made_codes)
    assert {
        "KPI-NOT-A-NUMBER",
        "KPI-BAD-DATE",
        "KPI-UNKNOWN-CODE",
        "PLAN-DUPLICATE-OFFICER",
        "override-no-action",
        "override-unknown-field",
    } <= codes
    assert {code for code in codes if code not in REGISTRY} == set()


def test_the_findings_page_is_generated_from_the_whole_registry() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import gen_findings_doc
    finally:
        sys.path.remove(str(ROOT / "tools"))
    assert gen_findings_doc.render() == PAGE.read_text("utf-8"), (
        "run python tools/gen_findings_doc.py"
    )
