"""File-level rules: refused files, and whose return this is, for which period and template.

A return is recognised by its hidden sheet (by name and content), never by its file name.
"""

from __future__ import annotations

from collections.abc import Iterator

from packbuilder.checks.context import CheckContext, Place
from packbuilder.model import Finding, ReturnKind
from packbuilder.returns import layout
from packbuilder.returns.read import Note, WorkbookRead
from packbuilder.returns.safe import Refusal, Screening


def refusal(screening: Screening, ctx: CheckContext, place: Place) -> Iterator[Finding]:
    """One finding for a file the safe reader refused to parse."""
    if screening.refusal is None:
        return
    limits = ctx.limits
    limit = {
        Refusal.TOO_LARGE: limits.max_file_bytes,
        Refusal.UNCOMPRESSED_TOO_LARGE: limits.max_uncompressed_bytes,
    }.get(screening.refusal, "")
    yield place.finding(
        screening.refusal.value,
        value=screening.detail,
        limit=f"{limit:,}" if isinstance(limit, int) else limit,
    )


def identity(workbook: WorkbookRead, ctx: CheckContext, place: Place) -> Iterator[Finding]:
    """Is it a return, for this period, from this template, for a known officer or area?"""
    if not workbook.meta_sheet:
        yield place.finding("not-a-return", value=", ".join(workbook.sheet_names[:5]))
        return
    meta = workbook.meta
    sheet = workbook.meta_sheet
    if workbook.sheet_states.get(sheet) == "visible":
        yield place.finding("meta-sheet-shown", sheet=sheet, value=sheet)
    kind = meta.get("kind", "")
    if kind not in {k.value for k in ReturnKind}:
        yield place.finding("not-a-return", value=f"kind {kind!r}")
        return
    version = meta.get("template_version", "")
    if version != layout.TEMPLATE_VERSION and version in layout.COLUMNS_BY_VERSION:
        yield place.finding(
            "template-version-older", value=version, expected=layout.TEMPLATE_VERSION
        )
    elif version != layout.TEMPLATE_VERSION:
        yield place.finding(
            "template-version",
            value=version or "unknown",
            expected=layout.TEMPLATE_VERSION,
            period_label=ctx.period.label,
        )
    period = meta.get("period", "")
    if period != str(ctx.period):
        yield place.finding(
            "wrong-period",
            value=period or "no period",
            period=str(ctx.period),
            period_label=ctx.period.label,
        )
    if kind == ReturnKind.OFFICER.value:
        officer = meta.get("officer_id", "")
        if officer not in ctx.officer_names:
            yield place.finding("unknown-officer", value=officer)
        elif not ctx.reported_by(officer):
            yield place.finding(
                "officer-no-actions", value=officer, officer_name=ctx.officer_names[officer]
            )
    else:
        area = _area_number(meta.get("area", ""))
        if area is None or area not in ctx.areas:
            yield place.finding("unknown-area", value=meta.get("area", ""))


def _area_number(text: str) -> int | None:
    try:
        return int(float(text))
    except ValueError:
        return None


def area_of(workbook: WorkbookRead) -> int | None:
    return _area_number(workbook.meta.get("area", ""))


def notes(workbook: WorkbookRead, place: Place, limit: int) -> Iterator[Finding]:
    """The reader's own notes (text cleaned or cut) as findings."""
    for note in workbook.notes:
        yield _note(note, place, limit)


def _note(note: Note, place: Place, limit: int) -> Finding:
    return place.finding(
        note.code,
        sheet=note.sheet,
        cell=note.cell,
        value=note.value,
        detail=note.detail,
        limit=f"{limit:,}",
    )
