"""What check writes: validation.xlsx, feedback workbooks, chase-list.csv, --json and the
console summary, read back as a user would."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from returns_factory import (
    DIRECTOR,
    PERIOD,
    check_one,
    context,
    fill,
    fill_clean,
    make_blank_returns,
    write_workspace,
)
from rich.console import Console

from packbuilder.checks.jsonout import SCHEMA, report_json
from packbuilder.checks.outputs import write_check_outputs
from packbuilder.checks.summary import print_check_summary
from packbuilder.commands.check import check_period
from packbuilder.config import Config
from packbuilder.model import CheckReport
from packbuilder.returns import layout


@pytest.fixture()
def checked(tmp_path: Path) -> tuple[Config, CheckReport]:
    config = write_workspace(tmp_path / "ws")
    made = make_blank_returns(config)
    folder = config.returns_dir(PERIOD)
    fill_clean(made[DIRECTOR], folder / "director.xlsx", DIRECTOR, {"1A2": {"progress": "Gren"}})
    fill_clean(made["head-of-comms"], folder / "comms.xlsx", "head-of-comms")
    (folder / "notes.csv").write_text("a,b\n1,2\n", "utf-8")
    return config, check_period(config, PERIOD)


def test_validation_workbook_lists_every_finding_as_text(
    checked: tuple[Config, CheckReport],
) -> None:
    config, report = checked
    outputs = write_check_outputs(config, report)
    sheet = load_workbook(outputs.validation)["Findings"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Code", "Severity", "Officer", "File", "Sheet", "Cell", "Action", "Value found", "Message",
        "File status",
    )  # fmt: skip
    assert len(rows) == len(report.findings) + 1
    assert rows[1][:8] == (
        "rating-not-allowed", "error", "Director of Education and SEND", "director.xlsx",
        "Return", "K5", "1A2", "Gren",
    )  # fmt: skip
    assert rows[1][9] == "Counted"
    # The file that is not a return keeps its finding, marked as such.
    assert [r[9] for r in rows if r[3] == "notes.csv"] == ["Not a return"]
    assert sheet.freeze_panes == "A2"
    assert list(sheet.tables) == ["Findings"]
    assert all(c.data_type == "s" for row in sheet.iter_rows(min_row=2) for c in row if c.value)


def test_feedback_workbook_highlights_and_comments_and_checks_clean_once_corrected(
    checked: tuple[Config, CheckReport], tmp_path: Path
) -> None:
    config, report = checked
    outputs = write_check_outputs(config, report)
    assert [p.name for p in outputs.feedback] == ["director.xlsx"]
    feedback = load_workbook(outputs.feedback[0])
    cell = feedback[layout.RETURN_SHEET]["K5"]
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert cell.comment is not None and "'Gren' is not one of" in cell.comment.text
    assert feedback[layout.META_SHEET].sheet_state == "veryHidden"
    assert feedback[layout.RETURN_SHEET].protection.sheet
    assert feedback[layout.RETURN_SHEET].data_validations.dataValidation
    corrected = fill(
        outputs.feedback[0], tmp_path / "corrected.xlsx", {"1A2": {"progress": "Amber"}}
    )
    assert check_one(corrected, context(config)).findings == []


def test_chase_list_names_missing_officers_and_errors(checked: tuple[Config, CheckReport]) -> None:
    config, report = checked
    outputs = write_check_outputs(config, report)
    with outputs.chase_list.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["officer", "email", "reason", "file"],
        ["Designated Clinical Officer", "dco@example.org", "missing", ""],
        ["Director of Education and SEND", "dir@example.org", "errors", "director.xlsx"],
    ]


def _validate(instance: Any, schema: dict[str, Any], path: str = "$") -> list[str]:
    """A small JSON Schema check: type, enum, required, properties and items."""
    problems: list[str] = []
    kinds = {"object": dict, "array": list, "string": str, "integer": int, "boolean": bool,
             "null": type(None)}  # fmt: skip
    if "enum" in schema and instance not in schema["enum"]:
        problems.append(f"{path}: {instance!r} not in {schema['enum']}")
    if "type" in schema:
        allowed = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        ok = any(
            isinstance(instance, kinds[t]) and not (t == "integer" and isinstance(instance, bool))
            for t in allowed
        )
        if not ok:
            problems.append(f"{path}: {instance!r} is not {allowed}")
    if isinstance(instance, dict):
        problems += [
            f"{path}: missing {k}" for k in schema.get("required", []) if k not in instance
        ]
        for key, sub in schema.get("properties", {}).items():
            if key in instance:
                problems += _validate(instance[key], sub, f"{path}.{key}")
    if isinstance(instance, list) and "items" in schema:
        for index, item in enumerate(instance):
            problems += _validate(item, schema["items"], f"{path}[{index}]")
    return problems


def test_json_output_follows_its_schema(checked: tuple[Config, CheckReport]) -> None:
    config, report = checked
    document = json.loads(report_json(report, config))
    assert _validate(document, SCHEMA) == []
    assert document["counts"] == {
        "expected": 3, "received": 2, "valid": 1, "with_errors": 1, "missing": 1,
    }  # fmt: skip
    statuses = {f["file"]: f["status"] for f in document["files"]}
    assert statuses["notes.csv"] == "Not a return"
    assert _validate({"period": 7}, SCHEMA) != []  # the check itself can fail


def test_json_schema_is_documented() -> None:
    page = (Path(__file__).parent.parent / "docs" / "json.md").read_text("utf-8")
    for key in SCHEMA["properties"]:
        assert f"`{key}" in page


def test_console_summary(checked: tuple[Config, CheckReport]) -> None:
    config, report = checked
    buffer = io.StringIO()
    print_check_summary(report, config, Console(file=buffer, width=120, color_system=None))
    text = buffer.getvalue()
    lines = text.splitlines()
    assert lines[:3] == [
        "Returns for July 2023",
        "Expected 3, received 2, valid 1, with errors 1, missing 1.",
        "Not counted: 1 file that is not a return: see validation.xlsx.",
    ]
    # The notes file's finding is in validation.xlsx, not in the table of what counts.
    assert "rating-not-allowed" in text and "csv-file" not in text
    assert "Designated Clinical Officer <dco@example.org>: no return" in text


def test_findings_page_is_up_to_date() -> None:
    import importlib.util

    tool = Path(__file__).parent.parent / "tools" / "gen_findings_doc.py"
    spec = importlib.util.spec_from_file_location("gen_findings_doc", tool)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.PAGE.read_text("utf-8") == module.render(), (
        "docs/findings.md is out of date: run python tools/gen_findings_doc.py"
    )


def test_every_error_code_says_what_it_rejects_and_the_page_shows_it() -> None:
    from packbuilder.findings import CELL, CHECKS, FILE, FILE_COUNTS, ROW
    from packbuilder.model import Severity

    scopes = {check.code: check.rejects for check in CHECKS if check.severity is Severity.ERROR}
    assert {code for code, scope in scopes.items() if scope not in (CELL, ROW, FILE)} == set()
    assert [c.code for c in CHECKS if c.severity is not Severity.ERROR and c.rejects] == []
    # A code that decides how a whole file counts rejects the file, and only those do; a
    # cell's error says in words why its value was carried forward.
    assert {code for code, scope in scopes.items() if scope == FILE} == set(FILE_COUNTS)
    assert [c.code for c in CHECKS if c.rejects == CELL and not c.carried] == []
    assert {code for code, scope in scopes.items() if scope == ROW} == {
        "row-missing",
        "row-added",
        "row-duplicated",
        "locked-text-changed",
    }
    page = (Path(__file__).parent.parent / "docs" / "findings.md").read_text("utf-8")
    for code, scope in scopes.items():
        assert f"| `{code}` | error | {scope} |" in page
