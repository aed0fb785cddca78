"""Count only what counts: a superseded return and files that are not returns keep their
findings in validation.xlsx and the returns log, and count in no total, exit code, --strict,
--json's valid, console summary, tracker Summary or report; the console, the tracker and the
reports count the same things.

Each test runs the monthly cycle through the command line on a workspace made in the test,
then reads the outputs back as the office would.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from returns_factory import DIRECTOR, PERIOD, fill_clean, make_blank_returns, write_workspace

from packbuilder.cli import main
from packbuilder.config import Config
from packbuilder.findings import CHECKS, FILE_COUNTS, REGISTRY, FileCount
from packbuilder.model import Period, Severity

TRACKER = f"tracker-{PERIOD}.xlsx"


def run(config: Config, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["-C", str(config.root), *args])
    return result.exit_code, result.output


def sheet_rows(path: Path, name: str) -> list[tuple[object, ...]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # openpyxl drops sparklines, and says so
        workbook = openpyxl.load_workbook(path)
    return list(workbook[name].iter_rows(values_only=True))


def summary_figures(path: Path) -> dict[object, object]:
    """The tracker Summary's key figures: label -> value."""
    rows = sheet_rows(path, "Summary")
    start = next(i for i, row in enumerate(rows) if row[0] == "Key figures")
    figures = {}
    for row in rows[start + 1 :]:
        if row[0] is None:
            break
        figures[row[0]] = row[2]
    return figures


def paragraphs(path: Path) -> list[str]:
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return texts


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """July's returns: the head of communications' clean; the director sends a first file
    with an error and an escalation, then a corrected one (also escalating); the NHS lead
    sends nothing."""
    config = write_workspace(tmp_path / "ws")
    made = make_blank_returns(config, PERIOD)
    folder = config.returns_dir(PERIOD)
    fill_clean(made["head-of-comms"], folder / "comms.xlsx", "head-of-comms")
    escalate = {"escalation": "Yes"}
    fill_clean(
        made[DIRECTOR],
        folder / "director first.xlsx",
        DIRECTOR,
        {"1A2": {"progress": "Purple", **escalate}},
    )
    fill_clean(made[DIRECTOR], folder / "director corrected.xlsx", DIRECTOR, {"1A2": escalate})
    (folder / "received.csv").write_text(
        "file,received\n"
        "comms.xlsx,2023-08-01 09:00\n"
        "director first.xlsx,2023-08-02 09:00\n"
        "director corrected.xlsx,2023-08-03 16:30\n",
        "utf-8",
    )
    # The office's words, so that --strict is about the returns alone.
    narrative = config.root / "inputs" / "narrative" / f"{PERIOD}.toml"
    narrative.parent.mkdir(parents=True, exist_ok=True)
    narrative.write_text(
        '[assurance]\nsummary = "A month."\n'
        '[exception]\nsummary = "Exceptions."\ndefault_ask = "To note."\n',
        "utf-8",
    )
    return config


def test_a_corrected_file_beside_the_first_leaves_check_valid(config: Config) -> None:
    code, output = run(config, "check", str(PERIOD))
    assert code == 0, output
    # Only the counted returns' findings are in the table: no error, one escalation, and
    # the superseded file said once, in its own line.
    assert [line.rstrip() for line in output.splitlines()] == [
        "Returns for July 2023",
        "Expected 3, received 2, valid 2, with errors 0, missing 1.",
        "Not counted: 1 superseded return: see validation.xlsx.",
        "Findings by code",
        "┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━┓",
        "┃ Code                ┃ Severity ┃ Count ┃ What                     ┃",
        "┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━┩",
        "│ escalation          │ warning  │     1 │ Escalation asked for     │",
        "│ missing-area-return │ warning  │     2 │ Area-lead return missing │",
        "│ missing-return      │ warning  │     1 │ Return missing           │",
        "└─────────────────────┴──────────┴───────┴──────────────────────────┘",
        "Still to chase:",
        "  Designated Clinical Officer <dco@example.org>: no return",
        "Every finding: outputs/2023-07/validation.xlsx",
    ]

    code, output = run(config, "check", str(PERIOD), "--json")
    document = json.loads(output)
    assert (code, document["valid"]) == (0, True)
    statuses = {f["file"]: (f["status"], f["errors"]) for f in document["files"]}
    assert statuses["director first.xlsx"] == ("Superseded", 1)  # still listed, with its error
    assert statuses["director corrected.xlsx"] == ("Counted", 0)

    # validation.xlsx keeps the superseded file's findings, marked as such.
    validation = sheet_rows(config.outputs_dir(PERIOD) / "validation.xlsx", "Findings")
    header = validation[0]
    marked = {
        (row[header.index("Code")], row[header.index("File status")])
        for row in validation[1:]
        if row[header.index("File")] == "director first.xlsx"
    }
    assert marked == {
        ("rating-not-allowed", "Superseded"),
        ("escalation", "Superseded"),
        ("superseded", "Superseded"),
    }
    chase = (config.outputs_dir(PERIOD) / "feedback" / "chase-list.csv").read_text("utf-8-sig")
    assert chase.splitlines() == [
        "officer,email,reason,file",
        "Designated Clinical Officer,dco@example.org,missing,",
    ]
    assert not list((config.outputs_dir(PERIOD) / "feedback").glob("*.xlsx"))


def test_a_corrected_file_beside_the_first_builds_strictly_with_no_error_counted(
    config: Config,
) -> None:
    code, output = run(config, "build", str(PERIOD), "--strict")
    assert code == 0, output
    lines = output.splitlines()
    assert lines[1:3] == [
        "  Returns: 2 of 3 counted; 1 missing; 0 errors in returns.",
        "  Not counted: 1 superseded return: see validation.xlsx.",
    ]
    tracker = config.outputs_dir(PERIOD) / TRACKER
    figures = summary_figures(tracker)
    assert figures["Errors in returns"] == 0
    assert figures["Superseded returns (not counted)"] == 1
    assert figures["Files that are not returns (see validation.xlsx)"] == 0
    log = sheet_rows(tracker, "Returns log")
    assert [row[3] for row in log if row[0] == "director first.xlsx"] == ["Superseded"]
    validation = sheet_rows(tracker, "Validation")
    file_col, status_col = validation[0].index("File"), validation[0].index("File status")
    first = [row for row in validation[1:] if row[file_col] == "director first.xlsx"]
    assert {row[status_col] for row in first} == {"Superseded"}


def _foreign_files(folder: Path, each: int) -> int:
    """EACH Word documents, pictures, foreign workbooks and text files: none a return."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(each):
        letter = docx.Document()
        letter.add_paragraph(f"Minutes of meeting {n}.")
        letter.save(str(folder / f"minutes {n}.docx"))
        (folder / f"photo {n}.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(200)) * 3)
        budget = openpyxl.Workbook()
        budget.active["A1"] = "Budget line"  # type: ignore[index]
        budget.save(folder / f"budget {n}.xlsx")
        (folder / f"notes {n}.txt").write_text(f"Call the school about visit {n}.\n", "utf-8")
    return 4 * each


def test_files_that_are_not_returns_are_counted_once_and_never_as_errors(
    config: Config,
) -> None:
    folder = config.returns_dir(PERIOD)
    (folder / "director first.xlsx").unlink()
    foreign = _foreign_files(folder / "attachments", 10)
    code, output = run(config, "check", str(PERIOD))
    assert code == 0, output
    assert output.splitlines()[1:3] == [
        "Expected 3, received 2, valid 2, with errors 0, missing 1.",
        f"Not counted: {foreign} files that are not returns: see validation.xlsx.",
    ]
    assert "not-a-return" not in output and "word-document" not in output

    code, output = run(config, "build", str(PERIOD), "--strict")
    assert code == 0, output
    assert output.splitlines()[1:3] == [
        "  Returns: 2 of 3 counted; 1 missing; 0 errors in returns.",
        f"  Not counted: {foreign} files that are not returns: see validation.xlsx.",
    ]
    outputs = config.outputs_dir(PERIOD)
    figures = summary_figures(outputs / TRACKER)
    assert figures["Errors in returns"] == 0
    assert figures["Files that are not returns (see validation.xlsx)"] == foreign
    log = sheet_rows(outputs / TRACKER, "Returns log")
    assert sum(1 for row in log if row[3] == "Not a return") == foreign
    (report,) = [p for p in outputs.glob("assurance-report-*.docx") if "DfE" not in p.name]
    texts = paragraphs(report)
    line = f"{foreign} files that are not returns: see validation.xlsx."
    assert texts.count(line) == 1
    assert not any("minutes 0.docx" in t or "budget 3.xlsx" in t for t in texts)


def test_console_tracker_and_reports_count_the_same_items_in_exception(
    config: Config,
) -> None:
    code, output = run(config, "build", str(PERIOD))
    assert code == 0, output
    outputs = config.outputs_dir(PERIOD)
    exceptions = sheet_rows(outputs / TRACKER, "Exceptions")[1:]
    subjects = {(row[1], row[2]) for row in exceptions}
    # 2A2 carries the plan's Red progress and Red impact: two rules, one item.
    assert len(subjects) < len(exceptions)
    items = len(subjects)
    assert output.splitlines()[4:6] == [
        "  Overdue: 0; overrides applied: 0.",
        f"  In exception: {items} items; {len(exceptions)} rules met (a row each in the "
        "tracker's Exceptions).",
    ]
    figures = summary_figures(outputs / TRACKER)
    assert figures["Items in exception (flagged by one rule or more)"] == items
    texts = paragraphs(outputs / f"exception-report-{PERIOD}.docx")
    assert any(t.startswith(f"{items} items in exception this period:") for t in texts)


def test_a_return_that_cannot_be_used_counts_as_errors_and_its_officer_is_chased(
    config: Config,
) -> None:
    june = make_blank_returns(config, Period(2023, 6))
    folder = config.returns_dir(PERIOD)
    fill_clean(june["nhs-lead"], folder / "nhs june.xlsx", "nhs-lead")
    code, output = run(config, "check", str(PERIOD))
    assert code == 1, output
    lines = [line.rstrip() for line in output.splitlines()]
    assert lines[:3] == [
        "Returns for July 2023",
        "Expected 3, received 2, valid 2, with errors 0, missing 1.",
        "Not counted: 1 superseded return: see validation.xlsx.",
    ]
    assert "│ wrong-period        │ error    │     1 │ Return for another period │" in lines
    assert lines[-3:] == [
        "Still to chase:",
        "  Designated Clinical Officer <dco@example.org>: errors in nhs june.xlsx",
        "Every finding: outputs/2023-07/validation.xlsx",
    ]
    chase = (config.outputs_dir(PERIOD) / "feedback" / "chase-list.csv").read_text("utf-8-sig")
    assert chase.splitlines()[1:] == [
        "Designated Clinical Officer,dco@example.org,errors,nhs june.xlsx"
    ]


def test_every_code_that_refuses_a_whole_file_says_how_the_file_counts() -> None:
    refusing = {
        c.code for c in CHECKS if c.family == "file" and c.code not in ("lock-file", "system-file")
    }
    refusing |= {c.code for c in CHECKS if c.family == "identity" and c.severity is Severity.ERROR}
    assert set(FILE_COUNTS) == refusing
    assert all(REGISTRY[code].severity is Severity.ERROR for code in FILE_COUNTS)
    assert {code for code, count in FILE_COUNTS.items() if count is FileCount.NOT_A_RETURN} == {
        "word-document",
        "not-a-workbook",
        "csv-file",
        "html-file",
        "unknown-format",
        "not-a-return",
        "other-document",
        "unusual-workbook",
    }
