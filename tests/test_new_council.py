"""A new council's first month, from ``init`` onward, with no trace of the bundled programme.

The office types its own three-area plan into the register ``init`` wrote (through the
register's own columns), names its programme and board in config.toml, makes the returns,
the officers fill them in, and the office checks and builds. Every output is then read back
whole (every part of every workbook and document, headers and footers included) together
with everything the console printed, and none of it may name the bundled example.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from returns_factory import fill

from packbuilder.cli import main
from packbuilder.model import Period
from packbuilder.plan import schema
from packbuilder.returns import layout

# Words of the bundled programme, matched case-sensitively: its places, its councils, its
# board, its programme's name and its KPI codes. Ordinary words ("send") are not traces.
TRACES = (
    "Kent",
    "KCC",
    "Medway",
    "Strategic Improvement and Assurance Board",
    "SIAB",
    "Accelerated Progress",
    "send-programme",
)
TRACE_CODES = re.compile(r"\bAPP\d+\b")

# A year ahead of the month the test runs in, so the targets are never yet due.
YEAR_AHEAD = Period.of(dt.date.today()).shift(12).last_day

PLAN: dict[str, list[tuple[object, ...]]] = {
    schema.AREAS: [
        (1, "Families know what support is available", "family-lead"),
        (2, "Assessments are completed on time", "assessment-lead"),
        (3, "Young people are prepared for adulthood", "family-lead"),
    ],
    schema.SUB_THEMES: [
        ("1a", 1, "The local offer is hard to find"),
        ("2a", 2, "Assessments take too long"),
        ("3a", 3, "Transition planning starts late"),
    ],
    schema.ACTIONS: [
        ("1A1", "1a", "Rewrite the local offer website with families", "31/12/2027", None,
         "family-lead", "", "", "NS01", "", "Families say the site is easier to use", "Amber",
         "Not yet rated"),
        ("2A1", "2a", "Recruit two more assessment coordinators", "March 2028", None,
         "assessment-lead", "family-lead", "", "NS02", "", "Assessments within 20 weeks",
         "Red", "Red"),
        ("3A1", "3a", "Start transition plans in Year 9", "Ongoing", None, "family-lead", "",
         "", "", "", "Plans on file for every Year 9 pupil", "Amber", "Not yet rated"),
    ],
    schema.OFFICERS: [
        ("family-lead", "Head of Family Support", "Northvale Council", "fam@example.org", ""),
        ("assessment-lead", "Assessment Service Manager", "Northvale Council",
         "assess@example.org", ""),
    ],
    schema.KPIS: [
        ("NS01", "Families who rate the local offer as helpful", "1", "%", "higher", "monthly",
         40, "40%", None, 45, "yes"),
        ("NS02", "Average weeks to finish an assessment", "2", "weeks", "lower", "monthly", 30,
         "30 weeks", None, 25, "no"),
    ],
    schema.KPI_TARGETS: [
        ("NS01", YEAR_AHEAD, "60%"),
        ("NS02", YEAR_AHEAD, "20"),
    ],
    schema.RISKS: [
        ("NR1", "", "Coordinators cannot be recruited", "Assessment Service Manager", "High",
         "Agency cover", "Medium", "Advert out", "Open", 3, 4),
    ],
}  # fmt: skip


def type_the_plan(path: Path) -> None:
    """The office replaces init's example rows with its own, column by column as headed."""
    workbook = load_workbook(path)
    for sheet_name, rows in PLAN.items():
        sheet = workbook[sheet_name]
        headers = [c.value for c in sheet[1]]
        assert headers == list(schema.HEADERS[sheet_name])
        sheet.delete_rows(2, sheet.max_row)
        for row in rows:
            sheet.append(list(row))
    workbook.save(path)


def all_text(path: Path) -> str:
    """Everything a file holds as text: every part of a workbook or document (sheets, shared
    strings, comments, headers, footers, properties, validations), or the file itself."""
    if path.suffix in (".xlsx", ".docx"):
        with zipfile.ZipFile(path) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
                if name.endswith((".xml", ".rels"))
            )
    if path.suffix in (".png", ".pdf"):
        return ""
    return path.read_text("utf-8", "replace")


def traces_in(text: str) -> list[str]:
    found = [word for word in TRACES if word in text]
    return found + sorted(set(TRACE_CODES.findall(text)))


@pytest.fixture()
def runner_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The console output of every command, in order."""
    monkeypatch.chdir(tmp_path)
    return []


def test_a_new_councils_first_month_has_no_word_of_the_bundled_programme(
    tmp_path: Path, runner_in: list[str]
) -> None:
    runner = CliRunner()
    period = Period.of(dt.date.today())

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(main, list(args), catch_exceptions=False)
        runner_in.append(result.output)
        assert result.exit_code == code, result.output
        return result.output

    run("init", "northvale")
    workspace = tmp_path / "northvale"
    config_path = workspace / "config.toml"
    config_text = config_path.read_text("utf-8")
    for old, new in (
        ('name = "Improvement Plan"', 'name = "Northvale SEND Improvement Plan"'),
        ('organisation = "Local Area Partnership"', 'organisation = "Northvale Partnership"'),
        ('board = "Improvement Board"', 'board = "Northvale Improvement Board"'),
        ('contact_email = ""', 'contact_email = "office@example.org"'),
    ):
        assert old in config_text
        config_text = config_text.replace(old, new)
    config_path.write_text(config_text, "utf-8")
    type_the_plan(workspace / "inputs" / "plan.xlsx")

    def cli(*args: str, code: int = 0) -> str:
        return run("-C", str(workspace), *args, code=code)

    assert cli("plan", "check").endswith("No errors.\n")
    cli("returns", "make", str(period))
    made = workspace / "outputs" / str(period) / "returns"
    returns_in = workspace / "inputs" / "returns" / str(period)
    milestone = dt.datetime.combine(period.next.last_day, dt.time())
    for source in sorted(made.glob("*Return*.xlsx")):
        instructions = " ".join(
            str(v)
            for row in load_workbook(source)[layout.INSTRUCTIONS_SHEET].iter_rows(values_only=True)
            for v in row
            if v
        )
        assert "Area of weakness (1-3)." in instructions
        workbook = load_workbook(source)
        sheet = workbook[layout.RETURN_SHEET]
        reporting = [
            str(sheet.cell(r, 1).value)
            for r in range(layout.FIRST_ROW, sheet.max_row + 1)
            if sheet[f"{layout.COLUMN_BY_KEY['role'].letter}{r}"].value == layout.ROLE_REPORTING
        ]
        fill(
            source,
            returns_in / source.name,
            {
                action: {
                    "progress": "Amber",
                    "impact": "Amber",
                    "progress_commentary": f"{action} moved on this month.",
                    "confidence": "Medium",
                    "escalation": "No",
                    "next_milestone": "Report to the board",
                    "next_milestone_date": milestone,
                }
                for action in reporting
            },
        )
    cli("kpis", "make", str(period))
    cli("check", str(period))
    cli("build", str(period))

    outputs = sorted(p for p in (workspace / "outputs").rglob("*") if p.is_file())
    assert any(p.name == f"tracker-{period}.xlsx" for p in outputs)
    assert any(p.name.startswith("assurance-report") for p in outputs)
    assert any(p.name.startswith("exception-report") for p in outputs)
    found = {
        str(p.relative_to(workspace)): traces_in(all_text(p))
        for p in outputs
        if traces_in(all_text(p))
    }
    found["console"] = traces_in("\n".join(runner_in))
    assert {k: v for k, v in found.items() if v} == {}
    # The council's own names are where the example's would have been.
    tracker_text = all_text(workspace / "outputs" / str(period) / f"tracker-{period}.xlsx")
    assert "Northvale SEND Improvement Plan" in tracker_text
    # Three actions: the Summary's charts count them in whole steps, not 0.2, 0.4 …
    assert tracker_text.count('<c:majorUnit val="1"/>') == 4
    report = workspace / "outputs" / str(period) / f"assurance-report-{period}.docx"
    assert "Northvale Improvement Board" in all_text(report)
    # KPIs read as the office wrote them: the unit once, and targets not yet due say so.
    assert "30 weeks" in all_text(report)
    assert f"20 weeks by {YEAR_AHEAD:%b %Y} (not yet due)" in all_text(report)
    assert f"60% by {YEAR_AHEAD:%b %Y} (not yet due)" in all_text(report)
