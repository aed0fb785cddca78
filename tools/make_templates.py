"""Make the default Word templates: the assurance report, the exception report and the
six-month review pack.

The templates are docxtpl documents (Word files with Jinja tags) that the office may restyle in
Word without code: every paragraph uses a named style (Title, Subtitle, Heading 1–3, Table Text,
Caption, Placeholder …) and every table the "Packbuilder Table" style, so changing a style
changes every report. The tags use only the names in docs/template-context.md.

Run from the repository root; it writes packbuilder/data/templates/*.docx (package data, used
by ``init``) and copies them to templates/ (the bundled example workspace)::

    .venv/bin/python tools/make_templates.py
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_TEMPLATES = ROOT / "packbuilder" / "data" / "templates"
WORKSPACE_TEMPLATES = ROOT / "templates"

BODY_FONT = "Calibri"  # LibreOffice renders it with the metric-compatible Carlito
HEADING_FONT = "Cambria"  # … and this with Caladea
NAVY = RGBColor(0x1F, 0x38, 0x64)
GREY = RGBColor(0x59, 0x59, 0x59)
TABLE_STYLE = "Packbuilder Table"
TEXT_WIDTH_CM = 17.0  # A4 (21 cm) less two 2 cm margins


# --------------------------------------------------------------------------- styles


def _fonts(element: object, name: str) -> None:
    """Name the font outright, dropping theme fonts that would otherwise win."""
    rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attribute}"), name)


def _paragraph_style(
    document: Document,
    name: str,
    *,
    font: str = BODY_FONT,
    size: float = 10.5,
    bold: bool = False,
    italic: bool = False,
    colour: RGBColor | None = None,
    before: float = 0,
    after: float = 6,
    base: str = "Normal",
) -> None:
    styles = document.styles
    style = (
        styles[name]
        if name in [s.name for s in styles]
        else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    if name != "Normal":
        style.base_style = styles[base]
    style.quick_style = True
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    if colour is not None:
        style.font.color.rgb = colour
    _fonts(style.element, font)
    fmt = style.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)


def _styles(document: Document) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    default_rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    default_rpr.find(qn("w:lang")).set(qn("w:val"), "en-GB")
    fonts = default_rpr.find(qn("w:rFonts"))
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attribute}"), BODY_FONT)

    _paragraph_style(document, "Normal", size=10.5, after=6)
    document.styles["Normal"].paragraph_format.line_spacing = 1.1
    _paragraph_style(
        document, "Title", font=HEADING_FONT, size=30, colour=NAVY, before=120, after=12
    )
    _paragraph_style(document, "Subtitle", font=HEADING_FONT, size=16, colour=GREY, after=36)
    _paragraph_style(
        document,
        "Heading 1",
        font=HEADING_FONT,
        size=18,
        bold=True,
        colour=NAVY,
        before=18,
        after=8,
    )
    _paragraph_style(
        document,
        "Heading 2",
        font=HEADING_FONT,
        size=13,
        bold=True,
        colour=NAVY,
        before=14,
        after=4,
    )
    _paragraph_style(
        document,
        "Heading 3",
        font=HEADING_FONT,
        size=11,
        bold=True,
        colour=GREY,
        before=10,
        after=3,
    )
    for level in (1, 2, 3):
        heading = document.styles[f"Heading {level}"]
        heading.paragraph_format.keep_with_next = True
        color = heading.element.rPr.find(qn("w:color"))
        for attribute in ("themeColor", "themeShade"):
            color.attrib.pop(qn(f"w:{attribute}"), None)
    document.styles["Heading 1"].paragraph_format.page_break_before = True
    _paragraph_style(
        document,
        "TOC Heading",
        font=HEADING_FONT,
        size=16,
        bold=True,
        colour=NAVY,
        before=0,
        after=8,
    )
    _paragraph_style(document, "Cover Detail", size=12, after=4)
    _paragraph_style(document, "Table Text", size=8.5, after=0)
    document.styles["Table Text"].paragraph_format.line_spacing = 1.0
    _paragraph_style(document, "Caption", size=9, italic=True, colour=GREY, after=12)
    _paragraph_style(document, "Chart", size=10.5, after=2)
    document.styles["Chart"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.styles["Chart"].paragraph_format.keep_with_next = True
    # Where the office's own words are missing: visible on screen and on a grey printout.
    _paragraph_style(
        document,
        "Placeholder",
        size=10.5,
        bold=True,
        italic=True,
        colour=RGBColor(0xC0, 0x00, 0x00),
    )
    _paragraph_style(document, "Note", size=9.5, italic=True, colour=GREY)
    _paragraph_style(document, "List Bullet", size=10.5, after=2, base="Normal")
    for level, size in ((1, 10.5), (2, 10)):
        _paragraph_style(document, f"TOC {level}", size=size, after=2)
    document.styles["TOC 2"].paragraph_format.left_indent = Cm(0.6)
    _table_style(document)


def _table_style(document: Document) -> None:
    """A named table style: light grid, navy header row in white bold, cells padded."""
    xml = f"""
<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="PackbuilderTable">
  <w:name w:val="{TABLE_STYLE}"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="59"/>
  <w:qFormat/>
  <w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr>
  <w:tblPr>
    <w:tblBorders>
      <w:top w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:left w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:bottom w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:right w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:insideV w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
    </w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="40" w:type="dxa"/>
      <w:left w:w="80" w:type="dxa"/>
      <w:bottom w:w="40" w:type="dxa"/>
      <w:right w:w="80" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr>
    <w:tblPr/>
    <w:trPr><w:tblHeader/></w:trPr>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="1F3864"/></w:tcPr>
  </w:tblStylePr>
</w:style>"""
    document.styles.element.append(parse_xml(xml))


# --------------------------------------------------------------------------- page


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A complex field (PAGE, NUMPAGES, TOC) with the text shown until Word updates it."""

    def run_with(child: object) -> None:
        run = paragraph.add_run()
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    if instruction.startswith("TOC"):
        begin.set(qn("w:dirty"), "true")
    run_with(begin)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run_with(text)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(shown)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _page(document: Document, report_name: str) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    section.header_distance = section.footer_distance = Cm(1.0)

    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = header.add_run("{{ programme.classification }}")
    run.bold = True
    run.font.size = Pt(9)

    footer = section.footer.paragraphs[0]
    # The default Footer style's tab stops are for US Letter; one right tab at the margin.
    footer_style = document.styles["Footer"].element
    for tabs in footer_style.findall(f"{qn('w:pPr')}/{qn('w:tabs')}"):
        tabs.getparent().remove(tabs)
    footer.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)
    footer.add_run(f"{{{{ programme.name }}}} · {report_name} · {{{{ period.label }}}}\tPage ")
    _field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES", "1")
    for run in footer.runs:
        run.font.size = Pt(8.5)
        run.font.color.rgb = GREY

    # Word refreshes the table of contents and page counts when the report is opened.
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.insert(0, update)


def _cover(document: Document, contents: bool = True) -> None:
    document.add_paragraph("{{ report.title }}", style="Title")
    document.add_paragraph("{{ report.subtitle }}", style="Subtitle")
    for label, value in (
        ("Programme", "{{ programme.name }}"),
        ("Organisation", "{{ programme.organisation }}"),
        ("Report to", "{{ report.audience }}"),
        ("Period", "{{ period.label }}"),
        ("Date", "{{ report.date }}"),
        ("Version", "{{ programme.version }}"),
        ("Classification", "{{ programme.classification }}"),
    ):
        paragraph = document.add_paragraph(style="Cover Detail")
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    if not contents:
        return
    document.add_page_break()
    document.add_paragraph("Contents", style="TOC Heading")
    _field(
        document.add_paragraph(style="Normal"),
        'TOC \\o "1-1" \\h \\z \\u',
        "Right-click here and choose Update Field to show the contents.",
    )


def _placeholder_or_paragraphs(document: Document, summary: str) -> None:
    """The office's summary, or the visible placeholder where it is not written yet."""
    _tag(document, f"{{%p if {summary}.is_placeholder %}}")
    document.add_paragraph(f"{{{{ {summary}.paragraphs[0] }}}}", style="Placeholder")
    _tag(document, "{%p else %}")
    _tag(document, f"{{%p for paragraph in {summary}.paragraphs %}}")
    document.add_paragraph("{{ paragraph }}")
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p endif %}")


def _tag(document: Document, text: str) -> None:
    """A paragraph holding only a {%p %} tag: docxtpl removes the paragraph itself."""
    document.add_paragraph(text)


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    coloured: str = ""  # prefix of the rating whose font colour this run takes


@dataclass(frozen=True)
class Column:
    header: str
    width_cm: float
    lines: Sequence[Sequence[Run]]  # one paragraph per line
    shade: str = ""  # prefix of the rating whose fill this cell takes: "a.progress"
    centre: bool = False


def _cell_width(cell: _Cell, width_cm: float) -> None:
    cell.width = Cm(width_cm)


def _fill_cell(cell: _Cell, column: Column) -> None:
    first = cell.paragraphs[0]
    for index, line in enumerate(column.lines):
        paragraph = first if index == 0 else cell.add_paragraph()
        paragraph.style = "Table Text"
        if column.centre:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for position, spec in enumerate(line):
            text = spec.text
            if column.shade and index == 0 and position == 0:
                text = f"{{% cellbg {column.shade}_fill %}}" + text
            run = paragraph.add_run(text)
            run.bold = spec.bold or None
            run.italic = spec.italic or None
            if spec.coloured:
                colour = OxmlElement("w:color")
                colour.set(qn("w:val"), f"{{{{ {spec.coloured}_font }}}}")
                run._r.get_or_add_rPr().append(colour)


def _repeat_header(table: Table) -> None:
    header = table.rows[0]._tr
    properties = header.get_or_add_trPr()
    properties.append(OxmlElement("w:tblHeader"))
    for row in table.rows:
        row._tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))


def _table(document: Document, loop: str, columns: Sequence[Column]) -> Table:
    """A table with a repeating header row and one row per item of ``loop``."""
    total = sum(c.width_cm for c in columns)
    if abs(total - TEXT_WIDTH_CM) > 0.05:
        raise ValueError(f"columns are {total} cm wide, not {TEXT_WIDTH_CM}: {columns}")
    table = document.add_table(rows=4, cols=len(columns))
    table.style = document.styles[TABLE_STYLE]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for index, column in enumerate(columns):
        for row in table.rows:
            _cell_width(row.cells[index], column.width_cm)
        header = table.rows[0].cells[index].paragraphs[0]
        header.style = "Table Text"
        header.add_run(column.header).bold = True
        _fill_cell(table.rows[2].cells[index], column)
    table.rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for {loop} %}}")
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    _repeat_header(table)
    grid = table._tbl.tblGrid
    for col, column in zip(grid.findall(qn("w:gridCol")), columns, strict=True):
        col.set(qn("w:w"), str(int(column.width_cm * 567)))
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    return table


def _text(expr: str, **style: bool) -> list[list[Run]]:
    return [[Run(f"{{{{ {expr} }}}}", **style)]]  # type: ignore[arg-type]


def _rating(expr: str, width: float, header: str) -> Column:
    return Column(
        header,
        width,
        [[Run(f"{{{{ {expr} }}}}", bold=True, coloured=expr)]],
        shade=expr,
        centre=True,
    )


# --------------------------------------------------------------------------- assurance


def assurance_report() -> Document:
    document = docx.Document()
    _styles(document)
    _page(document, "Assurance report")
    document.core_properties.title = "Assurance report"
    document.core_properties.language = "en-GB"
    _cover(document)

    document.add_heading("Summary", level=1)
    _placeholder_or_paragraphs(document, "summary")
    document.add_heading("At a glance", level=2)
    document.add_paragraph("{{ totals.sentence }}")
    document.add_paragraph("{{ returns.sentence }}")
    _table(
        document,
        "row in rating_counts",
        [
            _rating("row.rating", 2.2, "Rating"),
            Column("What it means", 8.0, _text("row.definition")),
            Column("Progress", 1.7, _text("row.progress"), centre=True),
            Column("Share", 1.8, _text("row.progress_percent"), centre=True),
            Column("Impact", 1.6, _text("row.impact"), centre=True),
            Column("Share", 1.7, _text("row.impact_percent"), centre=True),
        ],
    )
    document.add_paragraph(
        "On track means progress rated Amber, Green or Blue; complete means Green or Blue. "
        "“Not yet rated” impact is never counted as a rating.",
        style="Note",
    )

    document.add_heading("{{ comparison.heading }}", level=2)
    document.add_paragraph("{{ comparison.sentence }}")
    _tag(document, "{%p if not comparison.is_first %}")
    _table(
        document,
        "row in change_counts",
        [
            Column("Rating", 3.2, _text("row.measure", bold=True)),
            Column("Improved", 2.76, _text("row.improved"), centre=True),
            Column("No change", 2.76, _text("row.same"), centre=True),
            Column("Worse", 2.76, _text("row.worse"), centre=True),
            Column("New action", 2.76, _text("row.new"), centre=True),
            Column("Not compared", 2.76, _text("row.not_compared"), centre=True),
        ],
    )
    _tag(document, "{%p endif %}")
    _tag(document, "{%p if changed_actions %}")
    document.add_heading("Actions whose rating changed", level=3)
    _table(
        document,
        "a in changed_actions",
        [
            Column("Action", 1.5, _text("a.id", bold=True)),
            Column("Area", 1.2, _text("a.area"), centre=True),
            Column("Officer", 4.0, _text("a.officer")),
            _rating("a.progress_before", 1.9, "Progress before"),
            _rating("a.progress", 1.9, "Progress now"),
            _rating("a.impact_before", 1.9, "Impact before"),
            _rating("a.impact", 1.9, "Impact now"),
            Column("Overall", 2.7, _text("a.direction")),
        ],
    )
    _tag(document, "{%p endif %}")

    document.add_heading("End dates moved this period", level=2)
    _tag(document, "{%p if end_dates_moved %}")
    _table(
        document,
        "d in end_dates_moved",
        [
            Column("Action", 1.5, _text("d.id", bold=True)),
            Column("Officer", 3.0, _text("d.officer")),
            Column("Original end date", 2.6, _text("d.original")),
            Column("End date in force", 3.2, _text("d.in_force")),
            Column("Reason", 4.1, _text("d.reason")),
            Column("Agreed by", 2.6, _text("d.agreed_by")),
        ],
    )
    _tag(document, "{%p else %}")
    document.add_paragraph("No end date moved in {{ period.label }}.", style="Note")
    _tag(document, "{%p endif %}")

    document.add_heading("Charts", level=2)
    for chart in ("by_area", "over_time"):
        document.add_paragraph(f"{{{{ charts.{chart}.image }}}}", style="Chart")
        document.add_paragraph(f"{{{{ charts.{chart}.caption }}}}", style="Caption")

    _tag(document, "{%p for area in areas %}")
    document.add_heading("{{ area.heading }}", level=1)
    lead = document.add_paragraph()
    lead.add_run("Area lead: ").bold = True
    lead.add_run("{{ area.lead }}")
    document.add_paragraph("{{ area.sentence }}")
    document.add_heading("Commentary from the area lead", level=2)
    _tag(document, "{%p for part in area.commentary %}")
    commentary = document.add_paragraph()
    commentary.add_run("{{ part.label }}: ").bold = True
    commentary.add_run("{{ part.text }}")
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p if area.commentary_note %}")
    document.add_paragraph("{{ area.commentary_note }}", style="Placeholder")
    _tag(document, "{%p endif %}")
    document.add_heading("Actions", level=2)
    _table(
        document,
        "a in area.actions",
        [
            Column("ID", 1.3, _text("a.id", bold=True)),
            Column("Action", 5.7, _text("a.text")),
            Column("Officer", 3.0, _text("a.officer")),
            Column("End date", 2.1, _text("a.end_date")),
            _rating("a.progress", 1.7, "Progress"),
            _rating("a.impact", 1.7, "Impact"),
            Column("Progress change", 1.5, _text("a.progress_change")),
        ],
    )
    document.add_heading("What changed", level=2)
    document.add_paragraph("{{ area.changes_note }}")
    _tag(document, "{%p for line in area.changes %}")
    document.add_paragraph("{{ line }}", style="List Bullet")
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p if area.kpis %}")
    document.add_heading("High-impact KPIs", level=2)
    _kpi_table(document, "k in area.kpis", with_areas=False)
    _tag(document, "{%p endif %}")
    _tag(document, "{%p endfor %}")

    document.add_heading("KPI scorecard", level=1)
    _tag(document, "{%p if kpi_scorecard %}")
    document.add_paragraph(
        "Every KPI with its value in force at the end of {{ period.label }}, its target and "
        "its RAG rating (Green: target achieved; Amber: standard achieved but target not met; "
        "Red: standard not achieved)."
    )
    _kpi_table(document, "k in kpi_scorecard", with_areas=True)
    _tag(document, "{%p else %}")
    document.add_paragraph("No KPI values are recorded for {{ period.label }}.", style="Note")
    _tag(document, "{%p endif %}")

    document.add_heading("Top risks", level=1)
    _tag(document, "{%p if risks.top %}")
    document.add_paragraph("Risks ordered by severity after mitigation, highest first.")
    _table(
        document,
        "r in risks.top",
        [
            Column("ID", 1.1, _text("r.id", bold=True)),
            Column("Risk", 4.8, _text("r.risk")),
            Column("Mitigation", 4.4, _text("r.mitigations")),
            Column("Owner", 2.0, _text("r.owner")),
            _rating("r.severity", 1.6, "Before"),
            _rating("r.severity_after", 1.6, "After"),
            Column("Change", 1.5, _text("r.change")),
        ],
    )
    _tag(document, "{%p if risks.more_note %}")
    document.add_paragraph("{{ risks.more_note }}", style="Note")
    _tag(document, "{%p endif %}")
    _tag(document, "{%p else %}")
    document.add_paragraph("No risks are recorded in the plan.", style="Note")
    _tag(document, "{%p endif %}")

    _returns_appendix(document)
    return document


def _kpi_table(document: Document, loop: str, with_areas: bool) -> None:
    columns = [
        Column("Code", 1.5, _text("k.code", bold=True)),
        Column("KPI", 6.0 if with_areas else 7.0, _text("k.description")),
        Column("Value", 2.3, _text("k.value")),
        Column("Target", 2.3, _text("k.target")),
        _rating("k.rag", 1.5, "RAG"),
        # Wide enough for "▲ Improved" on one line.
        Column("Change", 2.4, _text("k.change")),
    ]
    if with_areas:
        columns.insert(2, Column("Areas", 1.0, _text("k.areas"), centre=True))
    _table(document, loop, columns)


def _returns_appendix(document: Document) -> None:
    document.add_heading("Appendix: returns received and missing", level=1)
    document.add_paragraph("{{ returns.sentence }}")
    document.add_heading("Returns received", level=2)
    _tag(document, "{%p if returns.received_list %}")
    _table(
        document,
        "r in returns.received_list",
        [
            Column("Officer", 4.5, _text("r.officer")),
            Column("Organisation", 3.0, _text("r.organisation")),
            Column("File", 5.2, _text("r.file")),
            Column("Received", 2.0, _text("r.received")),
            Column("Errors", 1.1, _text("r.errors"), centre=True),
            Column("Queries", 1.2, _text("r.warnings"), centre=True),
        ],
    )
    _tag(document, "{%p else %}")
    document.add_paragraph("No returns were received for {{ period.label }}.", style="Note")
    _tag(document, "{%p endif %}")
    document.add_heading("Returns missing", level=2)
    _tag(document, "{%p if returns.missing_list %}")
    document.add_paragraph(
        "These officers' last ratings are carried forward and marked as not updated."
    )
    _table(
        document,
        "r in returns.missing_list",
        [
            Column("Officer", 5.0, _text("r.officer")),
            Column("Organisation", 3.5, _text("r.organisation")),
            Column("Actions carried forward", 8.5, _text("r.actions")),
        ],
    )
    _tag(document, "{%p else %}")
    document.add_paragraph("Every officer sent a return.", style="Note")
    _tag(document, "{%p endif %}")
    _tag(document, "{%p if returns.areas_missing_list %}")
    document.add_heading("Area commentary missing", level=2)
    _table(
        document,
        "r in returns.areas_missing_list",
        [
            Column("Area of weakness", 11.0, _text("r.heading")),
            Column("Area lead", 6.0, _text("r.lead")),
        ],
    )
    _tag(document, "{%p endif %}")
    _tag(document, "{%p if returns.other_files or returns.not_returns %}")
    document.add_heading("Other files received", level=2)
    _tag(document, "{%p if returns.other_files %}")
    _table(
        document,
        "f in returns.other_files",
        [
            Column("File", 6.0, _text("f.file")),
            Column("What became of it", 2.6, _text("f.status")),
            Column("Why", 8.4, _text("f.reason")),
        ],
    )
    _tag(document, "{%p endif %}")
    _tag(document, "{%p if returns.not_returns %}")
    document.add_paragraph("{{ returns.not_returns_note }}")
    _tag(document, "{%p endif %}")
    _tag(document, "{%p endif %}")


# --------------------------------------------------------------------------- exception


def exception_report() -> Document:
    document = docx.Document()
    _styles(document)
    # A short report: areas follow one another rather than each taking a new page, under
    # smaller headings, since an area's title can run to three lines.
    document.styles["Heading 1"].paragraph_format.page_break_before = False
    document.styles["Heading 1"].font.size = Pt(14)
    _page(document, "Exception report")
    document.core_properties.title = "Exception report"
    document.core_properties.language = "en-GB"
    _cover(document, contents=False)

    summary = document.add_heading("Summary", level=1)
    summary.paragraph_format.page_break_before = True
    _placeholder_or_paragraphs(document, "summary")
    document.add_paragraph("{{ exceptions.sentence }}")
    _tag(document, "{%p if exceptions.rules %}")
    _table(
        document,
        "r in exceptions.rules",
        [
            Column("Exception rule", 13.0, _text("r.label")),
            Column("Items", 4.0, _text("r.count"), centre=True),
        ],
    )
    _tag(document, "{%p endif %}")

    _tag(document, "{%p for group in groups %}")
    document.add_heading("{{ group.heading }}", level=1)
    _table(
        document,
        "i in group.rows",
        [
            Column(
                "What",
                4.0,
                [
                    [Run("{{ i.what }}", bold=True)],
                    [Run("{{ i.rule_label }}", italic=True)],
                ],
            ),
            Column("Owner", 2.3, _text("i.owner")),
            Column(
                "Rating",
                1.7,
                [
                    [Run("{{ i.rating }}", bold=True, coloured="i.rating")],
                    [Run("{{ i.measure }}", coloured="i.rating")],
                ],
                shade="i.rating",
                centre=True,
            ),
            Column("Commentary", 4.0, _text("i.commentary")),
            Column("In exception", 1.9, _text("i.periods_text"), centre=True),
            Column("Asked of the board", 3.1, _text("i.ask")),
        ],
    )
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p if not groups %}")
    document.add_paragraph("Nothing meets the exception rules this period.", style="Note")
    _tag(document, "{%p endif %}")
    return document


# --------------------------------------------------------------------------- review


def _note_else(document: Document, condition: str, text: str) -> None:
    """Close a ``{%p if CONDITION %}`` block with a note for when it is empty."""
    _tag(document, "{%p else %}")
    document.add_paragraph(text, style="Note")
    _tag(document, "{%p endif %}")


def _file_table(document: Document, loop: str) -> None:
    _table(
        document,
        loop,
        [
            Column("Supports", 1.8, _text("f.supports", bold=True)),
            Column("File (link to the copy in this pack)", 4.6, [[Run("{{r f.link }}")]]),
            Column("Date", 2.0, _text("f.date")),
            Column("Size", 1.5, _text("f.size")),
            Column("SHA-256", 4.3, _text("f.sha256")),
            Column("Note", 2.8, _text("f.note")),
        ],
    )


def _strip_table(document: Document) -> None:
    """Ratings month by month: one column per recorded month.

    docxtpl's column loop: the cells holding ``{%tc for %}`` and ``{%tc endfor %}`` are
    dropped when rendered, and the cell between them repeats once per month.
    """
    _table(
        document,
        "s in area.strip",
        [
            Column("Action", 1.5, _text("s.id", bold=True)),
            Column("Measure", 1.7, _text("s.measure")),
            Column("{%tc for m in area.months %}", 0.3, [[Run("{%tc for c in s.cells %}")]]),
            _rating("c.rating", 13.2, "{{ m }}"),
            Column("{%tc endfor %}", 0.3, [[Run("{%tc endfor %}")]]),
        ],
    )


def review_report() -> Document:
    document = docx.Document()
    _styles(document)
    _page(document, "Six-month review")
    document.core_properties.title = "Six-month review"
    document.core_properties.language = "en-GB"
    _cover(document)

    document.add_heading("Summary", level=1)
    document.add_paragraph("{{ summary.sentence }}")
    document.add_heading("The plan at {{ span.first }} and at {{ span.last }}", level=2)
    _table(
        document,
        "f in summary.figures",
        [
            Column("Measure", 11.0, _text("f.measure")),
            Column("At {{ span.first }}", 3.0, _text("f.first"), centre=True),
            Column("At {{ span.last }}", 3.0, _text("f.last"), centre=True),
        ],
    )
    document.add_heading("Ratings by area", level=2)
    document.add_paragraph(
        "How many actions held each rating at the start and at the end of the span.",
        style="Note",
    )
    _table(
        document,
        "a in summary.by_area",
        [
            Column("Area", 1.6, _text("a.heading", bold=True)),
            Column("Actions", 1.4, _text("a.actions"), centre=True),
            Column("Progress, {{ span.first }}", 3.5, _text("a.progress_first")),
            Column("Progress, {{ span.last }}", 3.5, _text("a.progress_last")),
            Column("Impact, {{ span.first }}", 3.5, _text("a.impact_first")),
            Column("Impact, {{ span.last }}", 3.5, _text("a.impact_last")),
        ],
    )
    document.add_heading("Actions completed in the span", level=3)
    _tag(document, "{%p if summary.completed %}")
    _table(
        document,
        "a in summary.completed",
        [
            Column("Action", 1.5, _text("a.id", bold=True)),
            Column("Officer", 4.0, _text("a.officer")),
            Column("Action", 11.5, _text("a.text")),
        ],
    )
    _note_else(document, "", "No action became complete in the span.")
    document.add_heading("End dates moved in the span", level=3)
    _tag(document, "{%p if summary.moved %}")
    _table(
        document,
        "m in summary.moved",
        [
            Column("Action", 1.5, _text("m.id", bold=True)),
            Column("Times moved", 1.7, _text("m.times"), centre=True),
            Column("Now due", 2.3, _text("m.latest")),
            Column("When agreed, and why", 11.5, _text("m.reasons")),
        ],
    )
    _note_else(document, "", "No end date moved in the span.")
    document.add_heading("Overdue at {{ span.last }}", level=3)
    _tag(document, "{%p if summary.overdue %}")
    _table(
        document,
        "o in summary.overdue",
        [
            Column("Action", 1.5, _text("o.id", bold=True)),
            Column("Officer", 7.5, _text("o.officer")),
            Column("End date in force", 4.0, _text("o.due")),
            Column("Progress", 4.0, _text("o.progress")),
        ],
    )
    _note_else(document, "", "No action is overdue.")
    document.add_heading("Exceptions", level=2)
    document.add_paragraph("{{ exceptions.sentence }}")
    for key, title in (("open", "Still open"), ("resolved", "Resolved")):
        _tag(document, f"{{%p if exceptions.{key} %}}")
        document.add_heading(title, level=3)
        _table(
            document,
            f"e in exceptions.{key}",
            [
                Column("Subject", 2.0, _text("e.subject", bold=True)),
                Column("Kind", 1.6, _text("e.kind")),
                Column("As last recorded", 11.4, _text("e.summary")),
                Column("Months", 2.0, _text("e.months"), centre=True),
            ],
        )
        _tag(document, "{%p endif %}")

    _tag(document, "{%p for area in areas %}")
    document.add_heading("{{ area.heading }}", level=1)
    lead = document.add_paragraph()
    lead.add_run("Area lead: ").bold = True
    lead.add_run("{{ area.lead }}")
    document.add_paragraph("{{ area.sentence }}")
    document.add_heading("Progress and impact month by month", level=2)
    document.add_paragraph(
        "Each cell gives the rating recorded that month in words, shaded in its colour; "
        "'(carried forward)' marks a rating kept from the month before because that month's "
        "entry was not valid.",
        style="Note",
    )
    _tag(document, "{%p if area.strip %}")
    _strip_table(document)
    _note_else(document, "", "This area has no actions.")
    document.add_heading("End dates", level=2)
    document.add_paragraph("{{ area.end_dates_note }}")
    _tag(document, "{%p if area.end_dates %}")
    _table(
        document,
        "d in area.end_dates",
        [
            Column("Action", 1.5, _text("d.id", bold=True)),
            Column("Original end date", 2.6, _text("d.original")),
            Column("Revised to", 2.6, _text("d.revised_to")),
            Column("Agreed in", 2.8, _text("d.agreed_in")),
            Column("Reason", 7.5, _text("d.reason")),
        ],
    )
    _tag(document, "{%p endif %}")
    document.add_heading("Evidence of impact recorded", level=2)
    _tag(document, "{%p if area.evidence_text %}")
    _table(
        document,
        "e in area.evidence_text",
        [
            Column("Action", 1.5, _text("e.id", bold=True)),
            Column(
                "First recorded",
                2.5,
                [[Run("{{ e.month }}")], [Run("{{ e.repeated }}", italic=True)]],
            ),
            Column("Evidence of impact", 13.0, _text("e.text")),
        ],
    )
    _note_else(document, "", "No evidence of impact was recorded for this area's actions.")
    document.add_heading("Evidence documents", level=2)
    _tag(document, "{%p if area.evidence_files %}")
    _file_table(document, "f in area.evidence_files")
    _note_else(document, "", "No evidence document is filed for this area or its actions.")
    document.add_heading("The area lead's commentary over the months", level=2)
    _tag(document, "{%p for c in area.commentary %}")
    document.add_heading("{{ c.month }}", level=3)
    _tag(document, "{%p for part in c.parts %}")
    commentary = document.add_paragraph()
    commentary.add_run("{{ part.label }}: ").bold = True
    commentary.add_run("{{ part.text }}")
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p if area.commentary_note %}")
    document.add_paragraph("{{ area.commentary_note }}", style="Note")
    _tag(document, "{%p endif %}")
    _tag(document, "{%p if area.kpis %}")
    document.add_heading("KPIs", level=2)
    _tag(document, "{%p for k in area.kpis %}")
    document.add_heading("{{ k.code }}: {{ k.description }}", level=3)
    _tag(document, "{%p if k.has_chart %}")
    document.add_paragraph("{{ k.chart }}", style="Chart")
    document.add_paragraph("{{ k.caption }}", style="Caption")
    _note_else(document, "", "No value was recorded for this KPI in the span, so no chart.")
    _table(
        document,
        "r in k.rows",
        [
            Column("Month", 4.0, _text("r.month")),
            Column("Value", 3.5, _text("r.value"), centre=True),
            Column("As at", 3.5, _text("r.as_at")),
            Column("Target in force", 6.0, _text("r.target")),
        ],
    )
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p endif %}")
    _tag(document, "{%p endfor %}")

    document.add_heading("What is thin", level=1)
    document.add_heading("Actions with no evidence of impact recorded", level=2)
    _tag(document, "{%p if thin.no_evidence %}")
    _table(
        document,
        "t in thin.no_evidence",
        [
            Column("Action", 2.0, _text("t.id", bold=True)),
            Column("Area", 2.0, _text("t.area"), centre=True),
            Column("Officer", 13.0, _text("t.officer")),
        ],
    )
    _note_else(document, "", "Every action has evidence of impact recorded in the span.")
    document.add_heading("KPIs with no value in the span", level=2)
    _tag(document, "{%p if thin.kpis_no_value %}")
    _table(
        document,
        "t in thin.kpis_no_value",
        [
            Column("KPI", 2.0, _text("t.code", bold=True)),
            Column("Areas", 2.0, _text("t.areas"), centre=True),
            Column("Description", 13.0, _text("t.description")),
        ],
    )
    _note_else(document, "", "Every KPI has a value recorded in the span.")
    document.add_heading("Ratings that rose with no evidence given", level=2)
    _tag(document, "{%p if thin.rises %}")
    _table(
        document,
        "t in thin.rises",
        [
            Column("Action", 2.0, _text("t.id", bold=True)),
            Column("Month", 4.0, _text("t.month")),
            Column("Rating", 3.0, _text("t.measure")),
            Column("Before", 4.0, _text("t.before")),
            Column("After", 4.0, _text("t.after")),
        ],
    )
    _note_else(document, "", "No rating rose without evidence of impact that month.")

    document.add_heading("Risk register: changes over the span", level=1)
    document.add_paragraph("{{ risks.sentence }}")
    _tag(document, "{%p if risks.changes %}")
    _table(
        document,
        "r in risks.changes",
        [
            Column("Month", 2.6, _text("r.month")),
            Column("Risk", 1.4, _text("r.id", bold=True)),
            Column("Description", 6.4, _text("r.risk")),
            Column("Change", 2.8, _text("r.change")),
            Column("Before", 1.9, _text("r.before")),
            Column("After", 1.9, _text("r.after")),
        ],
    )
    _tag(document, "{%p endif %}")

    document.add_heading("Appendix: the evidence bank", level=1)
    document.add_paragraph("{{ evidence.sentence }}")
    document.add_heading("Documents not mapped to an action or area", level=2)
    _tag(document, "{%p if evidence.unmapped %}")
    _file_table(document, "f in evidence.unmapped")
    _note_else(document, "", "Every document is mapped to an action or an area.")
    _tag(document, "{%p if evidence.renamed %}")
    document.add_heading("Documents copied under another name", level=2)
    _file_table(document, "f in evidence.renamed")
    _tag(document, "{%p endif %}")
    _tag(document, "{%p if evidence.problems %}")
    document.add_heading("Index rows that could not be used", level=2)
    _tag(document, "{%p for problem in evidence.problems %}")
    document.add_paragraph("{{ problem }}", style="List Bullet")
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p endif %}")
    return document


def main(argv: Sequence[str] = ()) -> int:
    PACKAGE_TEMPLATES.mkdir(parents=True, exist_ok=True)
    WORKSPACE_TEMPLATES.mkdir(parents=True, exist_ok=True)
    for name, make in (
        ("assurance-report.docx", assurance_report),
        ("exception-report.docx", exception_report),
        ("review.docx", review_report),
    ):
        target = PACKAGE_TEMPLATES / name
        make().save(str(target))
        shutil.copyfile(target, WORKSPACE_TEMPLATES / name)
        print(f"wrote {target.relative_to(ROOT)} and templates/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
