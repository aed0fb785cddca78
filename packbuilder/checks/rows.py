"""Matching the Return sheet's rows to the plan, and reading each reporting row's inputs.

Rows are matched by action ID against the officer's actions in today's plan and the return's
own hidden row table: a row missing, added or duplicated is an error, as is locked text that no
longer matches its own fingerprint. Each reporting row's inputs are normalised into an
``ActionUpdate``; each normalisation is a finding. The rules that judge the values then run on
the update (rules.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from packbuilder.checks.context import ActionFacts, CheckContext, Place
from packbuilder.model import ActionUpdate, CellSource, Finding, Rating
from packbuilder.returns import layout
from packbuilder.returns.read import (
    MetaRow,
    Normalised,
    ReturnRow,
    WorkbookRead,
    display,
    parse_choice,
    parse_date_cell,
    parse_rating,
    parse_yes_no,
    squeeze,
)

_RATING_CHOICES = "Blue, Green, Amber, Red"
_IMPACT_CHOICES = "Blue, Green, Amber, Red, Not yet rated"


@dataclass
class RowCheck:
    """One reporting row under check: its cells, the plan's facts and the update read so far."""

    row: ReturnRow
    facts: ActionFacts
    update: ActionUpdate
    ctx: CheckContext
    place: Place

    def cell(self, key: str) -> str:
        return f"{self.row.columns[key].letter}{self.row.row}"

    def typed(self, key: str) -> str:
        return self.row.text(key)

    def finding(self, code: str, key: str, *, value: object = None, **fields: object) -> Finding:
        column = self.row.columns[key]
        return self.place.finding(
            code,
            sheet=None,
            cell=self.cell(key),
            value=self.typed(key) if value is None else value,
            action_id=self.facts.id,
            field_name=column.header,
            **fields,
        )


def match_rows(
    workbook: WorkbookRead, ctx: CheckContext, place: Place, officer_id: str
) -> Iterator[tuple[ReturnRow, ActionFacts, str] | Finding]:
    """Each row with its action and role (reporting or information), or a finding about it."""
    reporting = {a.id for a in ctx.reported_by(officer_id)}
    information = {a.id for a in ctx.for_information(officer_id)}
    meta: dict[str, MetaRow] = {m.action_id: m for m in workbook.meta_rows}
    seen: dict[str, list[int]] = {}
    for row in workbook.rows:
        action_id = squeeze(row.text("action_id"))
        if not action_id:
            if any(row.cells.get(k) is not None for k in layout.INPUT_KEYS):
                yield place.finding("row-added", cell=f"A{row.row}", value="", row=row.row)
            continue
        seen.setdefault(action_id, []).append(row.row)
        if len(seen[action_id]) > 1:
            continue
        facts = ctx.actions.get(action_id)
        if facts is None or action_id not in reporting | information:
            yield place.finding("row-added", cell=f"A{row.row}", value=action_id, row=row.row)
            continue
        typed = _typed_fingerprint(row, facts)
        own = meta.get(action_id)
        if own is not None and own.fingerprint and typed != own.fingerprint:
            yield place.finding(
                "locked-text-changed",
                cell=f"D{row.row}",
                value=_short(row.text("action_text")),
                action_id=action_id,
            )
            yield row, facts, "locked-changed"
            continue
        if typed != facts.fingerprint:
            yield place.finding(
                "plan-changed", cell=f"A{row.row}", value=action_id, action_id=action_id
            )
        yield (
            row,
            facts,
            layout.ROLE_REPORTING if action_id in reporting else (layout.ROLE_INFORMATION),
        )
    for action_id, rows in seen.items():
        if len(rows) > 1 and action_id in reporting | information:
            yield place.finding(
                "row-duplicated",
                cell=f"A{rows[1]}",
                value=action_id,
                action_id=action_id,
                rows=", ".join(map(str, rows)),
            )
    for action_id in sorted(reporting - set(seen), key=ctx.position):
        yield place.finding("row-missing", value=action_id, action_id=action_id)


def _typed_fingerprint(row: ReturnRow, facts: ActionFacts) -> str:
    """The fingerprint of the row's locked text as it now reads. Most rows read exactly as the
    plan writes them, and then their fingerprint is the plan's, already made."""
    typed = (
        row.text("action_id"),
        row.text("area"),
        row.text("sub_theme"),
        row.text("action_text"),
        row.text("end_date"),
    )
    if typed == facts.locked_text:
        return facts.fingerprint
    return layout.row_fingerprint(squeeze(typed[0]), *typed[1:])


def read_update(check: RowCheck, workbook: WorkbookRead, sha256: str) -> Iterator[Finding]:
    """Normalise one reporting row's inputs into check.update, with a finding per change."""
    update = check.update
    for key in layout.INPUT_KEYS:
        cell = check.cell(key)
        if cell in workbook.formula_cells:
            yield check.finding("formula", key, outcome=formula_outcome(check.typed(key)))
        if check.row.cells.get(key) is not None:
            update.sources[key] = CellSource(check.place.file, sha256, layout.RETURN_SHEET, cell)
    for key in ("progress", "impact"):
        result = parse_rating(check.row.cells.get(key), impact=key == "impact")
        setattr(update, key, result.value)
        yield from _normalised(
            check, key, result, _IMPACT_CHOICES if key == "impact" else (_RATING_CHOICES)
        )
    for key in ("revised_end_date", "next_milestone_date"):
        result = parse_date_cell(check.row.cells.get(key), date1904=workbook.date1904)
        setattr(update, key, result.value)
        yield from _normalised(check, key, result, "")
    confidence = parse_choice(check.row.cells.get("confidence"), list(check.ctx.confidence))
    update.confidence = str(confidence.value or "")
    yield from _normalised(check, "confidence", confidence, ", ".join(check.ctx.confidence))
    escalation = parse_yes_no(check.row.cells.get("escalation"))
    update.escalation = escalation.value if isinstance(escalation.value, bool) else None
    yield from _normalised(check, "escalation", escalation, "Yes, No")
    for key in ("progress_commentary", "evidence", "revised_reason", "risks", "next_milestone"):
        setattr(update, key, check.typed(key).strip())


def _normalised(check: RowCheck, key: str, result: Normalised, choices: str) -> Iterator[Finding]:
    if result.code is None:
        return
    fields: dict[str, object] = {"choices": choices}
    if isinstance(result.value, Rating):
        fields["rating"] = result.value.value
    elif result.value is not None:
        fields["choice"] = display(result.value)  # type: ignore[arg-type]
        fields["date"] = _date_text(result.value)
    yield check.finding(result.code, key, **fields)


def _date_text(value: object) -> str:
    import datetime as dt

    return value.strftime("%d %B %Y") if isinstance(value, dt.date) else str(value)


def formula_outcome(saved: str) -> str:
    """How a formula cell was read: its saved value, or blank when it has none."""
    if saved:
        return f"its saved value '{saved}' was used"
    return "it has no saved value, so the cell was read as blank"


def information_row(check: RowCheck) -> Iterator[Finding]:
    """An information-only row should have no inputs: another officer reports it."""
    for key in layout.INPUT_KEYS:
        if check.row.cells.get(key) is not None:
            yield check.finding("info-row-filled", key)


def _short(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
