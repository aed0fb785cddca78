"""Write the review folder as one set: the Word pack, the evidence workbook, the copied
evidence and manifest.json, all staged first and moved into place together.

As ``build`` does for a month, everything is written into outputs/.staging-review-FROM-TO/
beside the target; manifest.json is written last, then the finished folder replaces
outputs/review-FROM-TO/ (the previous one moved aside, then removed). A failure on the way
leaves the previous review as it was. The same history and evidence give the same bytes:
the documents' properties are fixed to the span's last day and their zip entries carry a
fixed timestamp.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from lxml import etree  # type: ignore[import-untyped,unused-ignore]  # no stubs shipped

from packbuilder import __version__
from packbuilder.config import Config
from packbuilder.errors import EnvironmentProblem
from packbuilder.fixed_time import made_at
from packbuilder.output_set import MANIFEST, sha256_of
from packbuilder.processes import BackgroundCall
from packbuilder.reports.charts import ChartImages, warm_up
from packbuilder.reports.docx_template import picture_with_alt_text
from packbuilder.reports.render import find_template, render_document
from packbuilder.review.charts import KpiChart, draw_all
from packbuilder.review.context import build_review_context, place_charts
from packbuilder.review.evidence import EVIDENCE_FOLDER, EvidenceBank, read_evidence_bank
from packbuilder.review.span import ReviewSpan
from packbuilder.review.workbook import write_evidence_workbook

TEMPLATE = "review.docx"


@dataclass(frozen=True)
class ReviewOutputs:
    """What the review wrote, and what the office should know about its evidence."""

    folder: Path
    pack: Path
    workbook: Path
    manifest: Path
    bank: EvidenceBank
    template_note: str  # the default template was used, and why; "" otherwise


def folder_name(span: ReviewSpan) -> str:
    return f"review-{span.first.period}-{span.last.period}"


def write_review(config: Config, span: ReviewSpan) -> ReviewOutputs:
    """Write outputs/review-FROM-TO/ from SPAN and the office's evidence bank."""
    name = folder_name(span)
    outputs_root = config.path(config.settings.paths.outputs)
    target = outputs_root / name
    staging_root = outputs_root / f".staging-{name}"
    shutil.rmtree(staging_root, ignore_errors=True)
    staging = staging_root / name
    staging.mkdir(parents=True)
    try:
        bank = read_evidence_bank(config.path(EVIDENCE_FOLDER), span.plan)
        note = _write_set(config, span, bank, staging)
        _move_into_place(staging, target, staging_root)
    finally:
        shutil.rmtree(staging_root, ignore_errors=True)
    return ReviewOutputs(
        folder=target,
        pack=target / f"{name}.docx",
        workbook=target / f"evidence-{name.removeprefix('review-')}.xlsx",
        manifest=target / MANIFEST,
        bank=bank,
        template_note=note,
    )


def _write_set(config: Config, span: ReviewSpan, bank: EvidenceBank, staging: Path) -> str:
    name = folder_name(span)
    context, specs = build_review_context(config, span, bank)
    workbook = staging / f"evidence-{name.removeprefix('review-')}.xlsx"
    # Two cores at work: a forked copy of this process writes the evidence workbook and draws
    # the first charts while this one draws the rest (2,000 actions and 64 KPIs: about 4 s of
    # work becomes 2 s); the pack is rendered once every chart is drawn.
    split = len(specs) * 2 // 5
    if specs:
        warm_up()  # imported once, before the fork, rather than in both processes
    beside = BackgroundCall(
        _workbook_and_charts, workbook, config, span, bank, context, specs[:split]
    )
    try:
        rest = draw_all(specs[split:])
        first = beside.result()
    finally:
        beside.close()
    place_charts(context, [*first, *rest])
    template, finding = find_template(config, TEMPLATE)
    fixed = made_at(span.last.period)

    def prepare(document: Any, values: dict[str, Any]) -> dict[str, Any]:
        return _word_objects(document, values, fixed)

    data = render_document(template, context, ChartImages(b"", b""), prepare=prepare, made=fixed)
    (staging / f"{name}.docx").write_bytes(data)
    for item in bank.files:
        copy = staging / item.copy
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(bank.sources[item.name], copy)
    _write_manifest(config, span, bank, staging)
    return finding.message if finding is not None else ""


def _workbook_and_charts(
    path: Path,
    config: Config,
    span: ReviewSpan,
    bank: EvidenceBank,
    context: dict[str, Any],
    charts: list[KpiChart],
) -> list[bytes]:
    """The evidence workbook at PATH, and the PNGs of CHARTS."""
    write_evidence_workbook(path, config, span, bank, context)
    return draw_all(charts)


def _word_objects(document: Any, context: dict[str, Any], fixed: dt.datetime) -> dict[str, Any]:
    """Charts as pictures with alt text, evidence files as relative links; fixed properties."""
    # python-docx and docxtpl load only when a pack is rendered: about 0.6 s of imports.
    from docx.shared import Mm
    from docxtpl import RichText

    document.tables_hook = even_month_columns
    properties = document.docx.core_properties
    properties.created = properties.modified = properties.last_printed = fixed
    properties.revision = 1
    properties.author = properties.last_modified_by = "packbuilder"
    properties.title = context["report"]["title"]

    def link(spec: dict[str, str]) -> Any:
        text = RichText()
        url = quote(spec["target"])
        text.add(spec["text"], url_id=document.build_url_id(url), color="1F3864", underline=True)
        return text

    for area in context["areas"]:
        for kpi in area["kpis"]:
            kpi["chart"] = (
                picture_with_alt_text(
                    document, io.BytesIO(kpi["chart"]), Mm(165), kpi["alt"], kpi["caption"]
                )
                if kpi["chart"]
                else ""
            )
        for row in area["evidence_files"]:
            row["link"] = link(row["link"])
    for group in ("unmapped", "renamed"):
        for row in context["evidence"][group]:
            row["link"] = link(row["link"])
    return context


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TWIPS_PER_CM = 567
_STRIP_FIXED_CM = (1.5, 1.9)  # the Action and Measure columns; the months share the rest


def even_month_columns(body: Any) -> None:
    """Give each month of a ratings strip the same width, in the rendered BODY's tree.

    docxtpl's column loop repeats the month cell with the template cell's whole width and
    leaves the grid uneven; a strip is recognised by its header ("Action", "Measure", …).
    """
    for table in body.iter(f"{_W}tbl"):
        rows = table.findall(f"{_W}tr")
        if not rows:
            continue
        header = [
            "".join(t.text or "" for t in c.iter(f"{_W}t")) for c in rows[0].findall(f"{_W}tc")
        ]
        if header[:2] != ["Action", "Measure"] or len(header) < 3:
            continue
        months = len(header) - 2
        rest = 17.0 - sum(_STRIP_FIXED_CM)
        widths = [*_STRIP_FIXED_CM, *([rest / months] * months)]
        twips = [str(int(w * _TWIPS_PER_CM)) for w in widths]
        grid = table.find(f"{_W}tblGrid")
        if grid is not None:
            for column in list(grid):
                grid.remove(column)
            for width in twips:
                etree.SubElement(grid, f"{_W}gridCol").set(f"{_W}w", width)
        for row in rows:
            for cell, width in zip(row.findall(f"{_W}tc"), twips, strict=False):
                properties = cell.find(f"{_W}tcPr")
                found = properties.find(f"{_W}tcW") if properties is not None else None
                if found is not None:
                    found.set(f"{_W}w", width)
                    found.set(f"{_W}type", "dxa")


def _write_manifest(config: Config, span: ReviewSpan, bank: EvidenceBank, staging: Path) -> None:
    outputs = sorted(p for p in staging.rglob("*") if p.is_file())
    manifest = {
        "packbuilder": __version__,
        "review": {"from": str(span.first.period), "to": str(span.last.period)},
        "periods": [str(p) for p in span.periods],
        "evidence": [
            {
                "file": f"{EVIDENCE_FOLDER}/{item.name}",
                "copy": item.copy,
                "supports": list(item.supports),
                "sha256": item.sha256,
                "size": item.size,
            }
            for item in bank.files
        ],
        "outputs": [
            {
                "path": p.relative_to(staging).as_posix(),
                "sha256": sha256_of(p),
                "size": p.stat().st_size,
            }
            for p in outputs
        ],
    }
    partial = staging / f".{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", "utf-8")
    os.replace(partial, staging / MANIFEST)


def _move_into_place(staging: Path, target: Path, staging_root: Path) -> None:
    """The finished folder replaces the previous review; the previous one is kept until then."""
    aside = staging_root / "previous"
    try:
        if target.exists():
            os.replace(target, aside)
        try:
            os.replace(staging, target)
        except BaseException:
            if aside.exists() and not target.exists():
                os.replace(aside, target)
            raise
    except PermissionError:
        raise EnvironmentProblem(
            f"{target.name} could not be replaced: a file in it is probably open in Word, "
            "Excel or another program; the previous review was kept",
            hint="Close the review's files and run the command again.",
        ) from None
