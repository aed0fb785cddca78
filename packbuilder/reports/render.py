"""Render the Word packs: the assurance report (and its DfE version) and the exception report.

The last stage of ``build``: it reads the office's narrative file, builds each report's context
(packbuilder.reports.context), draws the charts once, renders the templates with docxtpl (through
packbuilder.reports.docx_template, the one module that knows docxtpl's internals), and writes
each document atomically into outputs/PERIOD/.

Safety: the Jinja environment escapes every value and treats an undefined name as an error
that names the template and the variable; officer text is cleaned of control characters and
is never run as template code. Each rendered document is re-parsed strictly (no recovery)
before it replaces anything, and every table's header row is marked to repeat on each page.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree  # type: ignore[import-untyped,unused-ignore]  # no stubs shipped

from packbuilder.config import Config
from packbuilder.errors import EnvironmentProblem, PackbuilderError
from packbuilder.findings import finding as registered_finding
from packbuilder.fixed_time import fixed_zip, made_at
from packbuilder.model import Finding, HistoryView, Period, PeriodResult
from packbuilder.replace import replace_file
from packbuilder.reports.charts import ChartData, ChartImages
from packbuilder.reports.context import (
    Context,
    build_assurance_context,
    build_exception_context,
    clean_text,
    dfe_comparison,
    monthly_comparison,
)
from packbuilder.reports.docx_template import picture_with_alt_text, strict_template
from packbuilder.reports.narrative import (
    Narrative,
    missing_words,
    read_narrative,
    unmatched_asks,
)

if TYPE_CHECKING:
    from docxtpl import DocxTemplate

ASSURANCE_TEMPLATE = "assurance-report.docx"
EXCEPTION_TEMPLATE = "exception-report.docx"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_HEADING_1_PARAGRAPHS = etree.XPath(
    ".//w:p[w:pPr[1]/w:pStyle[1]/@w:val = 'Heading1']", namespaces={"w": _W}
)
_STRICT = etree.XMLParser(recover=False, resolve_entities=False, no_network=True, huge_tree=True)


class ReportTemplateError(PackbuilderError):
    """A Word template uses a name the context does not have, or is not a valid template."""


# --------------------------------------------------------------------------- the edge


@dataclass
class PreparedReports:
    """The reports' contexts, ready to render once their charts are drawn."""

    config: Config
    period: Period
    assurance: Context
    jobs: list[tuple[Path, Context, str]]  # template, context, output file name
    findings: list[Finding]  # all the reports raise: rendering adds none

    def write_without_charts(self, out_dir: Path) -> dict[int, Path]:
        """Render the reports that show no chart; their paths by job number."""
        no_charts = ChartImages(b"", b"")  # attach_charts uses none when a report shows none
        return self._write(
            [i for i in range(len(self.jobs)) if not self._charted(i)], no_charts, out_dir
        )

    def write_with_charts(
        self, charts: ChartImages | Callable[[], ChartImages], out_dir: Path
    ) -> dict[int, Path]:
        """Render the reports that show charts (waiting for CHARTS if it is a function)."""
        charted = [i for i in range(len(self.jobs)) if self._charted(i)]
        if not charted:
            return {}
        return self._write(charted, charts() if callable(charts) else charts, out_dir)

    def _charted(self, index: int) -> bool:
        return "charts" in self.jobs[index][1]

    def _write(self, indexes: list[int], charts: ChartImages, out_dir: Path) -> dict[int, Path]:
        out_dir.mkdir(parents=True, exist_ok=True)
        written = {}
        for index in indexes:
            template, context, output_name = self.jobs[index]
            document = render_document(template, context, charts, made=made_at(self.period))
            written[index] = write_atomically(document, out_dir / output_name)
        return written


def prepare_reports(config: Config, result: PeriodResult, history: HistoryView) -> PreparedReports:
    """Read the narrative and build every report's context; the charts' data is then known."""
    period = result.period
    relative = _relative(config, config.narrative_path(period))
    narrative = read_narrative(config.narrative_path(period), relative)
    findings = [*narrative.findings, *unmatched_asks(narrative, result.exceptions)]

    assurance = build_assurance_context(
        config, result, history, monthly_comparison(result), narrative
    )
    exception = build_exception_context(config, result, narrative)
    findings.extend(placeholder_findings(narrative, assurance, exception))

    names: list[tuple[str, Context, str]] = [
        (ASSURANCE_TEMPLATE, assurance, f"assurance-report-{period}.docx"),
        (EXCEPTION_TEMPLATE, exception, f"exception-report-{period}.docx"),
    ]
    if config.is_dfe_month(period):
        dfe = build_assurance_context(
            config, result, history, dfe_comparison(config, result, history), narrative
        )
        names.insert(1, (ASSURANCE_TEMPLATE, dfe, f"assurance-report-{period}-DfE.docx"))
    jobs = []
    for template_name, context, output_name in names:
        template, finding = find_template(config, template_name)
        if finding is not None and finding not in findings:
            findings.append(finding)
        jobs.append((template, context, output_name))
    return PreparedReports(config, period, assurance, jobs, findings)


def _relative(config: Config, path: Path) -> str:
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return str(path)


def find_template(config: Config, name: str) -> tuple[Path, Finding | None]:
    """The workspace's template, else packbuilder's default with a warning saying so."""
    own = config.templates_dir / name
    if own.is_file():
        return own, None
    default = Path(str(resources.files("packbuilder").joinpath(f"data/templates/{name}")))
    return default, registered_finding("template-default", file=_relative(config, own))


def placeholder_findings(
    narrative: Narrative, assurance: Context, exception: Context
) -> list[Finding]:
    """One warning per placeholder the reports show instead of the office's words."""
    findings = []
    if assurance["summary"]["is_placeholder"]:
        findings.append(missing_words(narrative, "The assurance report's summary"))
    if exception["summary"]["is_placeholder"]:
        findings.append(missing_words(narrative, "The exception report's summary"))
    for group in exception["groups"]:
        for item in group["rows"]:
            if item["ask_is_placeholder"]:
                findings.append(
                    missing_words(
                        narrative,
                        f"What is asked of the board about {item['subject']} "
                        f'([asks."{item["key"]}"] with ask = "…")',
                        action_id=item["subject"] if item["kind"] == "action" else "",
                    )
                )
    return findings


# --------------------------------------------------------------------------- charts


def chart_data(assurance: Context) -> ChartData:
    """The numbers the charts show, from the assurance report's context."""
    areas = assurance["areas"]
    trend = assurance["trend"]
    return ChartData(
        areas=[f"Area {a['number']}" for a in areas],
        progress=[dict(a["progress_counts"]) for a in areas],
        impact=[dict(a["impact_counts"]) for a in areas],
        periods=[str(row["period"]) for row in trend],
        trend=[dict(row["counts"]) for row in trend],
    )


def attach_charts(template: DocxTemplate, context: Context, charts: ChartImages) -> Context:
    """The context with each chart's picture added as ``charts.NAME.image``."""
    if "charts" not in context:
        return context
    # python-docx (about 45 ms to import) only for a command that writes a Word document.
    from docx.shared import Mm

    pictures = {"by_area": charts.by_area, "over_time": charts.over_time}
    with_images = dict(context)
    with_images["charts"] = {
        name: {
            **spec,
            "image": picture_with_alt_text(
                template,
                io.BytesIO(pictures[name]),
                width=Mm(170),
                description=spec["alt"],
                title=spec["caption"],
            ),
        }
        for name, spec in context["charts"].items()
    }
    return with_images


# --------------------------------------------------------------------------- rendering


def jinja_environment() -> Any:
    """Autoescape on (officer text is data, never markup) and undefined names as errors."""
    # Jinja (about 30 ms to import) only for a command that writes a Word document.
    from jinja2 import Environment, StrictUndefined

    return Environment(autoescape=True, undefined=StrictUndefined)


@functools.cache
def _shared_environment() -> Any:
    """One environment for every report of the process, so compiled parts can be reused."""
    return jinja_environment()


_COMPILED: dict[str, Any] = {}  # template part (after docxtpl's patching) -> compiled template
_COMPILED_KEPT = 8  # the parts of one or two templates: bodies, headers, footers


def _compile(jinja_env: Any, source: str) -> Any:
    """SOURCE compiled once per process in the shared environment (the DfE version and the
    monthly report share a template); in any other environment, compiled afresh."""
    if jinja_env is not _shared_environment():
        return jinja_env.from_string(source)
    compiled = _COMPILED.get(source)
    if compiled is None:
        if len(_COMPILED) >= _COMPILED_KEPT:
            _COMPILED.clear()
        compiled = _COMPILED[source] = jinja_env.from_string(source)
    return compiled


def safe_values(value: Any) -> Any:
    """Every string in the context, at any depth, with control characters removed."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {key: safe_values(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [safe_values(item) for item in value]
    return value


def _template_error(template_name: str, error: Exception) -> ReportTemplateError:
    message = getattr(error, "message", None) or str(error)
    undefined = re.match(r"^'(.+?)' is undefined$", message)
    attribute = re.match(r"^'.+?' has no attribute '(.+?)'$", message)
    if undefined:
        what = f"the variable '{undefined.group(1)}', which the report context does not have"
    elif attribute:
        what = f"'.{attribute.group(1)}', which the report context does not have"
    else:
        what = f"a tag Jinja cannot read ({message})"
    return ReportTemplateError(
        f"The Word template {template_name} uses {what}.",
        hint="Use only the names listed in docs/template-context.md, spelled exactly, or "
        "restore the default template with: packbuilder init (into a new folder) and copy it.",
    )


def render_document(
    template_path: Path,
    context: Context,
    charts: ChartImages,
    prepare: Callable[[Any, Context], Context] | None = None,
    made: dt.datetime | None = None,
) -> bytes:
    """Render one template with one context; return the checked .docx bytes.

    PREPARE, if given, turns the context's plain specs into Word objects (pictures, links)
    once the template is open, and may set its document properties. MADE, if given, is the
    document's created and modified time, and its zip entries carry a fixed timestamp, so the
    same context gives the same bytes.
    """
    # python-docx (about 45 ms to import) only for a command that writes a Word document.
    from docx.opc.exceptions import PackageNotFoundError

    try:
        template = strict_template(
            str(template_path),
            name=_display_name(template_path),
            compile_part=_compile,
            template_error=_template_error,
            check_body=_parse_strictly,
        )
        template.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as error:
        raise ReportTemplateError(
            f"{template_path} is not a Word document ({error}).",
            hint="Save the template from Word as .docx, or restore the default one.",
        ) from None
    context = attach_charts(template, safe_values(context), charts)
    if prepare is not None:
        context = prepare(template, context)
    if made is not None:
        properties = template.docx.core_properties
        properties.created = properties.modified = made
    template.render(context, jinja_env=_shared_environment())
    repeat_table_headers(template.docx)
    fill_contents(template.docx)
    buffer = io.BytesIO()
    template.save(buffer)
    data = buffer.getvalue() if made is None else fixed_zip(buffer.getvalue())
    check_package(data, template.template_name)
    return data


def _display_name(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def repeat_table_headers(document: Any) -> None:
    """Mark the first row of every table as a header row that repeats on each page."""
    # python-docx (about 45 ms to import) only for a command that writes a Word document.
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for table in document.element.body.iter(qn("w:tbl")):
        first = table.find(qn("w:tr"))
        if first is None:
            continue
        properties = first.get_or_add_trPr()
        if properties.find(qn("w:tblHeader")) is None:
            properties.append(OxmlElement("w:tblHeader"))


def fill_contents(document: Any) -> None:
    """Show the report's Heading 1 titles in the table of contents field.

    Word rebuilds the field, with page numbers, when the report is opened (the template asks
    it to); LibreOffice and PDF readers show what is stored, so store the headings.
    """
    # python-docx (about 45 ms to import) only for a command that writes a Word document.
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    body = document.element.body
    instruction = next(
        (t for t in body.iter(qn("w:instrText")) if (t.text or "").strip().startswith("TOC")),
        None,
    )
    if instruction is None:
        return
    first = instruction.getparent().getparent()
    # One XPath rather than python-docx's properties on every paragraph: the same paragraphs
    # (whose first pPr's first pStyle is Heading1), without a Python object for each.
    headings = [
        "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in _HEADING_1_PARAGRAPHS(body)
    ]
    runs = first.findall(qn("w:r"))
    shown = [r for r in runs if r.find(qn("w:t")) is not None]
    end = next(
        r
        for r in runs
        if r.find(qn("w:fldChar")) is not None
        and r.find(qn("w:fldChar")).get(qn("w:fldCharType")) == "end"
    )
    if not headings or not shown:
        return
    shown[0].find(qn("w:t")).text = headings[0]
    first.get_or_add_pPr().get_or_add_pStyle().val = "TOC1"
    previous = first
    for text in headings[1:]:
        paragraph = OxmlElement("w:p")
        paragraph.get_or_add_pPr().get_or_add_pStyle().val = "TOC1"
        run = OxmlElement("w:r")
        run_text = OxmlElement("w:t")
        run_text.text = text
        run.append(run_text)
        paragraph.append(run)
        previous.addnext(paragraph)
        previous = paragraph
    previous.append(end)


def _parse_strictly(data: bytes, where: str) -> Any:
    try:
        return etree.fromstring(data, _STRICT)
    except etree.XMLSyntaxError as error:
        raise ReportTemplateError(
            f"Rendering {where} made XML that is not valid ({error}); nothing was written.",
            hint="Report this with the template and --debug: text is meant to be escaped.",
        ) from None


def check_package(data: bytes, template_name: str) -> None:
    """Re-parse every XML part of a rendered .docx strictly; raise if any fails."""
    body = None
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                tree = _parse_strictly(package.read(name), f"{template_name} ({name})")
                if name == "word/document.xml":
                    body = tree
        if body is None:  # no main part: KeyError, as reading it would raise
            body = _parse_strictly(package.read("word/document.xml"), template_name)
    for table in body.iter(f"{{{_W}}}tbl"):
        first = table.find(f"{{{_W}}}tr")
        if first is not None and first.find(f"{{{_W}}}trPr/{{{_W}}}tblHeader") is None:
            raise ReportTemplateError(f"{template_name}: a table lost its repeated header row.")


def write_atomically(data: bytes, target: Path) -> Path:
    """Write beside the target, then replace it in one step: never a half-written report."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        replace_file(temporary, target)
    except PermissionError:
        temporary.unlink(missing_ok=True)
        raise EnvironmentProblem(
            f"{target} could not be replaced: it is probably open in Word or another program.",
            hint="Close the document and run the command again.",
        ) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target
