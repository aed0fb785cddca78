"""Area-lead returns: the area's commentary, read from the cells the hidden sheet names."""

from __future__ import annotations

from packbuilder.checks.context import Place
from packbuilder.checks.rows import formula_outcome
from packbuilder.model import AreaCommentary, CellSource, Finding
from packbuilder.returns import layout
from packbuilder.returns.read import WorkbookRead, display

_LABELS = {key: label for key, label, _ in layout.AREA_COMMENTARY_FIELDS}
_REQUIRED = ("progress", "impact")


def read_area_commentary(
    workbook: WorkbookRead, area: int, place: Place, sha256: str
) -> tuple[AreaCommentary, list[Finding]]:
    """The commentary fields, and a warning for each required one left blank."""
    commentary = AreaCommentary(area=area)
    findings: list[Finding] = []
    cells = {m.action_id: m.row for m in workbook.meta_rows if m.action_id in _LABELS}
    for key in _LABELS:
        cell = cells.get(key, "")
        text = display(workbook.area_cells.get(cell)).strip() if cell else ""
        setattr(commentary, key, text)
        if text:
            commentary.sources[key] = CellSource(place.file, sha256, layout.AREA_SHEET, cell)
        if cell and cell in workbook.formula_cells:
            findings.append(
                place.finding("formula", cell=cell, value=text[:80], outcome=formula_outcome(text))
            )
        if not text and key in _REQUIRED:
            findings.append(
                place.finding("area-commentary-blank", cell=cell, field_name=_LABELS[key])
            )
    return commentary, findings
