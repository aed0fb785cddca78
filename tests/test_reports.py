"""The Word packs, rendered from a period built in the test and read back with python-docx."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree
from report_fixtures import AUGUST, JULY, FakeHistory, exceptions_by_rules, make_config, make_result

from packbuilder.config import Config
from packbuilder.errors import EnvironmentProblem
from packbuilder.model import Finding, HistoryView, Period, PeriodResult, Rating
from packbuilder.reports import pdf
from packbuilder.reports.charts import draw_chart_images
from packbuilder.reports.context import RULE_LABELS
from packbuilder.reports.render import ReportTemplateError, chart_data, prepare_reports

TEMPLATES = Path(__file__).resolve().parent.parent / "packbuilder" / "data" / "templates"
SEPTEMBER = Period(2023, 9)


@dataclass
class ReportOutputs:
    paths: list[Path]
    findings: list[Finding]


def write_reports(
    config: Config, result: PeriodResult, history: HistoryView, out_dir: Path
) -> ReportOutputs:
    """The reports as build writes them, with the charts drawn in this process."""
    reports = prepare_reports(config, result, history)
    written = reports.write_without_charts(out_dir)
    charts = draw_chart_images(config, chart_data(reports.assurance))
    written.update(reports.write_with_charts(charts, out_dir))
    return ReportOutputs([written[i] for i in range(len(reports.jobs))], reports.findings)


def history_for(result: PeriodResult) -> FakeHistory:
    return FakeHistory(
        {JULY: {s.action.id: (s.previous_progress, s.previous_impact) for s in result.actions}}
    )


def build(
    tmp_path: Path, result: PeriodResult | None = None, dfe: tuple[str, ...] = ("2023-08",)
) -> tuple[Config, PeriodResult, ReportOutputs]:
    config = make_config(tmp_path / "ws", dfe_months=dfe)
    shutil.copytree(TEMPLATES, config.templates_dir)
    result = result or make_result()
    outputs = write_reports(config, result, history_for(result), tmp_path / "out")
    return config, result, outputs


def open_report(outputs: ReportOutputs, name: str) -> Document:
    (path,) = [p for p in outputs.paths if p.name == name]
    return docx.Document(str(path))


def blocks(document: Document) -> Iterator[Paragraph | Table]:
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document)
        elif child.tag == qn("w:tbl"):
            yield Table(child, document)


def tables_under_headings(document: Document) -> dict[str, list[Table]]:
    found: dict[str, list[Table]] = {}
    heading = ""
    for block in blocks(document):
        if isinstance(block, Paragraph) and block.style is not None:
            if block.style.name == "Heading 1":
                heading = block.text
                found.setdefault(heading, [])
        elif isinstance(block, Table):
            found.setdefault(heading, []).append(block)
    return found


def all_text(document: Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def fill_of(cell: object) -> str:
    shading = cell._tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}")  # type: ignore[attr-defined]
    return "" if shading is None else str(shading.get(qn("w:fill")))


def test_writes_both_reports_and_the_dfe_version(tmp_path: Path) -> None:
    _, _, outputs = build(tmp_path)
    assert [p.name for p in outputs.paths] == [
        "assurance-report-2023-08.docx",
        "assurance-report-2023-08-DfE.docx",
        "exception-report-2023-08.docx",
    ]
    # Written atomically: nothing but the reports is left in the folder.
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        p.name for p in outputs.paths
    )


def test_one_heading_per_area_and_one_row_per_action(tmp_path: Path) -> None:
    _, result, outputs = build(tmp_path, dfe=())
    document = open_report(outputs, "assurance-report-2023-08.docx")
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    area_headings = [h for h in headings if h.startswith("Area ")]
    assert area_headings == [f"Area {a.number}: {a.title}" for a in result.plan.areas]
    tables = tables_under_headings(document)
    for area in result.plan.areas:
        (actions,) = [
            t for t in tables[f"Area {area.number}: {area.title}"] if t.cell(0, 0).text == "ID"
        ]
        ids = [row.cells[0].text for row in actions.rows[1:]]
        assert ids == [a.id for a in result.plan.actions_in_area(area.number)]


def test_rating_cells_are_shaded_and_carry_the_word(tmp_path: Path) -> None:
    config, result, outputs = build(tmp_path, dfe=())
    document = open_report(outputs, "assurance-report-2023-08.docx")
    by_id = {s.action.id: s for s in result.actions}
    tables = tables_under_headings(document)
    seen = 0
    for area in result.plan.areas:
        (actions,) = [
            t for t in tables[f"Area {area.number}: {area.title}"] if t.cell(0, 0).text == "ID"
        ]
        header = [c.text for c in actions.rows[0].cells]
        for row in actions.rows[1:]:
            status = by_id[row.cells[0].text]
            for column, rating in (("Progress", status.progress), ("Impact", status.impact)):
                assert rating is not None
                cell = row.cells[header.index(column)]
                style = config.brag_style(rating)
                assert cell.text == rating.value
                assert fill_of(cell) == style.colour.lstrip("#")
                colours = {str(r.font.color.rgb) for p in cell.paragraphs for r in p.runs}
                assert colours == {style.font.lstrip("#")}
                seen += 1
    assert seen == 2 * len(result.actions)


def test_exception_rows_equal_the_rules_applied_in_the_test(tmp_path: Path) -> None:
    config, result, outputs = build(tmp_path, dfe=())
    document = open_report(outputs, "exception-report-2023-08.docx")
    expected: dict[str, set[str]] = {}
    for item in exceptions_by_rules(result):
        expected.setdefault(item.subject, set()).add(RULE_LABELS[item.rule])
    names = {o.id: o.name for o in result.plan.officers}
    found: dict[str, set[str]] = {}
    for table in document.tables:
        if table.cell(0, 0).text != "What":
            continue
        for row in table.rows[1:]:
            what, rules = row.cells[0].paragraphs[0].text, row.cells[0].paragraphs[1].text
            subject = what.split(":")[0]
            for officer_id, name in names.items():
                if what == f"Return from {name}":
                    subject = officer_id
            found[subject] = set(rules.split("; "))
    assert found == expected
    # The Red rating of 2A1 is shaded and written.
    (row,) = [r for t in document.tables for r in t.rows[1:] if r.cells[0].text.startswith("2A1")]
    assert row.cells[2].paragraphs[0].text == "Red"
    assert fill_of(row.cells[2]) == config.brag_style(Rating.RED).colour.lstrip("#")
    assert row.cells[4].text == "First period"


def test_kpi_and_risk_tables_when_there_are_kpis_and_risks(tmp_path: Path) -> None:
    _, _, outputs = build(tmp_path, dfe=())
    document = open_report(outputs, "assurance-report-2023-08.docx")
    tables = tables_under_headings(document)
    (scorecard,) = tables["KPI scorecard"]
    assert [r.cells[0].text for r in scorecard.rows[1:]] == ["APP01", "APP02"]
    (risks,) = tables["Top risks"]
    assert [r.cells[0].text for r in risks.rows[1:]] == ["R02", "R01", "R03"]
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings.count("High-impact KPIs") == 2  # areas 1 and 3


def test_no_kpis_leaves_out_the_kpi_sections_gracefully(tmp_path: Path) -> None:
    result = make_result()
    result.kpis = []
    result.risks = []
    _, _, outputs = build(tmp_path, result, dfe=())
    document = open_report(outputs, "assurance-report-2023-08.docx")
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert "High-impact KPIs" not in headings
    text = all_text(document)
    assert "No KPI values are recorded for August 2023." in text
    assert "No risks are recorded in the plan." in text


def test_officer_text_appears_literally_and_never_runs(tmp_path: Path) -> None:
    hostile = "<b>&amp; {{ 7*7 }} {% if x %}\x0b_x000B_ {_{ </w:t>"
    result = make_result()
    (status,) = [s for s in result.actions if s.action.id == "2A1"]  # in exception
    status.progress_commentary = hostile
    result.area_commentary[1].progress = hostile
    _, _, outputs = build(tmp_path, result)
    literal = "<b>&amp; {{ 7*7 }} {% if x %}_x000B_ {_{ </w:t>"
    assurance = all_text(open_report(outputs, "assurance-report-2023-08.docx"))
    exception = all_text(open_report(outputs, "exception-report-2023-08.docx"))
    assert f"Progress: {literal}" in assurance
    assert literal in exception
    assert "49" not in exception
    for path in outputs.paths:
        with zipfile.ZipFile(path) as package:
            for name in package.namelist():
                if name.endswith((".xml", ".rels")):
                    etree.fromstring(package.read(name), etree.XMLParser(recover=False))


def test_dfe_version_compares_with_the_previous_dfe_month(tmp_path: Path) -> None:
    result = make_result(period=SEPTEMBER, previous=AUGUST)
    config = make_config(tmp_path / "ws", dfe_months=("2023-07", "2023-09"))
    history = FakeHistory(
        {
            JULY: {s.action.id: (Rating.GREEN, Rating.GREEN) for s in result.actions},
            AUGUST: {s.action.id: (s.progress, s.impact) for s in result.actions},
        }
    )
    outputs = write_reports(config, result, history, tmp_path / "out")
    dfe = all_text(open_report(outputs, "assurance-report-2023-09-DfE.docx"))
    monthly = all_text(open_report(outputs, "assurance-report-2023-09.docx"))
    assert "What changed since the last DfE report (July 2023)" in dfe
    assert "August 2023" not in dfe.split("What changed")[1]
    assert "What changed since August 2023" in monthly
    # Against July every action was Green/Green: 2A1 is Red now, so worse since July.
    assert "2A1: progress Green → Red (worse); impact Green → Red (worse)" in dfe


def test_first_dfe_report_says_first_report(tmp_path: Path) -> None:
    result = make_result(period=JULY, previous=None)
    config = make_config(tmp_path / "ws", dfe_months=("2023-07", "2023-09"))
    outputs = write_reports(config, result, FakeHistory(), tmp_path / "out")
    dfe = all_text(open_report(outputs, "assurance-report-2023-07-DfE.docx"))
    assert "This is the first report to the Department for Education" in dfe


def test_every_chart_has_alt_text_and_every_table_a_repeated_header(tmp_path: Path) -> None:
    _, _, outputs = build(tmp_path)
    pictures = 0
    for path in outputs.paths:
        document = docx.Document(str(path))
        body = document.element.body
        for doc_pr in body.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
        ):
            assert len(doc_pr.get("descr", "")) > 40
            assert doc_pr.get("title")
            pictures += 1
        assert document.tables
        for table in document.tables:
            first = table.rows[0]._tr
            assert first.trPr is not None
            assert first.trPr.find(qn("w:tblHeader")) is not None
    assert pictures == 4  # two charts in the monthly report, two in the DfE version


def test_missing_narrative_shows_placeholders_and_warns(tmp_path: Path) -> None:
    _, result, outputs = build(tmp_path, dfe=())
    assurance = all_text(open_report(outputs, "assurance-report-2023-08.docx"))
    assert "The office has not yet written the summary for this report." in assurance
    exception = all_text(open_report(outputs, "exception-report-2023-08.docx"))
    assert "The office has not yet said what it asks of the board here." in exception
    for text in (assurance, exception):
        assert "[" not in text and "asks." not in text and ".toml" not in text
    missing = [f for f in outputs.findings if f.code == "narrative-missing"]
    subjects = {item.subject for item in result.exceptions}
    assert len(missing) == 2 + len(subjects)  # two summaries, one ask per row
    assert all(f.severity.value == "warning" for f in missing)


def test_narrative_words_replace_the_placeholders(tmp_path: Path) -> None:
    config = make_config(tmp_path / "ws")
    narrative = config.narrative_path(AUGUST)
    narrative.parent.mkdir(parents=True)
    narrative.write_text(
        '[assurance]\nsummary = """First paragraph.\n\nSecond paragraph."""\n'
        '[exception]\nsummary = "Exceptions in one paragraph."\n'
        '[asks."red-progress:2A1"]\nask = "Agree cover for the trainer."\n',
        "utf-8",
    )
    result = make_result()
    outputs = write_reports(config, result, history_for(result), tmp_path / "out")
    document = open_report(outputs, "assurance-report-2023-08.docx")
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs.index("Second paragraph.") == paragraphs.index("First paragraph.") + 1
    exception = all_text(open_report(outputs, "exception-report-2023-08.docx"))
    assert "Agree cover for the trainer." in exception
    missing = [f.message for f in outputs.findings if f.code == "narrative-missing"]
    assert not any("summary" in m for m in missing)
    assert not any("2A1" in m for m in missing)


def test_a_default_ask_fills_every_row_without_its_own_and_silences_their_warnings(
    tmp_path: Path,
) -> None:
    config = make_config(tmp_path / "ws")
    narrative = config.narrative_path(AUGUST)
    narrative.parent.mkdir(parents=True)
    narrative.write_text(
        '[exception]\nsummary = "Exceptions."\ndefault_ask = "To note."\n'
        '[asks."red-progress:2A1"]\nask = "Agree cover for the trainer."\n',
        "utf-8",
    )
    result = make_result()
    outputs = write_reports(config, result, history_for(result), tmp_path / "out")
    exception = open_report(outputs, "exception-report-2023-08.docx")
    rows = [
        row
        for table in exception.tables
        if table.rows[0].cells[-1].text == "Asked of the board"
        for row in table.rows[1:]
    ]
    asks = [row.cells[-1].text for row in rows]
    subjects = {item.subject for item in result.exceptions}
    assert len(rows) == len(subjects)
    assert asks.count("Agree cover for the trainer.") == 1
    assert asks.count("To note.") == len(subjects) - 1
    missing = [f.message for f in outputs.findings if f.code == "narrative-missing"]
    assert not any("asked of the board" in m for m in missing)


def test_a_template_typo_fails_loudly_naming_template_and_variable(tmp_path: Path) -> None:
    config = make_config(tmp_path / "ws")
    shutil.copytree(TEMPLATES, config.templates_dir)
    template = config.templates_dir / "assurance-report.docx"
    document = docx.Document(str(template))
    document.add_paragraph("{{ programme.nmae }}")
    document.save(str(template))
    result = make_result()
    with pytest.raises(ReportTemplateError) as caught:
        write_reports(config, result, history_for(result), tmp_path / "out")
    assert "templates/assurance-report.docx" in caught.value.message
    assert "nmae" in caught.value.message
    assert not (tmp_path / "out" / "assurance-report-2023-08.docx").exists()


def test_missing_workspace_template_falls_back_to_the_default_with_a_warning(
    tmp_path: Path,
) -> None:
    config = make_config(tmp_path / "ws")
    result = make_result()
    outputs = write_reports(config, result, history_for(result), tmp_path / "out")
    assert [f.code for f in outputs.findings if f.code == "template-default"] == [
        "template-default",
        "template-default",
    ]


def test_pdf_without_libreoffice_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    with pytest.raises(EnvironmentProblem) as caught:
        pdf.convert_to_pdf([tmp_path / "report.docx"])
    assert "LibreOffice" in caught.value.message
    assert caught.value.exit_code == 3


@pytest.mark.slow
@pytest.mark.libreoffice
def test_pdf_with_libreoffice(tmp_path: Path) -> None:
    if pdf.find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    _, _, outputs = build(tmp_path, dfe=())
    written = pdf.convert_to_pdf(outputs.paths)
    assert [p.name for p in written] == [
        "assurance-report-2023-08.pdf",
        "exception-report-2023-08.pdf",
    ]
    assert all(p.read_bytes().startswith(b"%PDF") for p in written)
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]


def test_reports_are_reproducible(tmp_path: Path) -> None:
    """The same period gives the same words: no wall-clock date anywhere."""
    _, _, first = build(tmp_path / "a", dfe=())
    _, _, second = build(tmp_path / "b", dfe=())
    for one, two in zip(first.paths, second.paths, strict=True):
        assert all_text(docx.Document(str(one))) == all_text(docx.Document(str(two)))
    assert "31 August 2023" in all_text(docx.Document(str(first.paths[0])))
