"""The Actions sheet of the plan register: each action with its sub-theme, officers, KPI codes,
end date and baseline ratings."""

from __future__ import annotations

import datetime as dt
import functools

from packbuilder.dates import is_open_wording, parse_end_date
from packbuilder.model import (
    Action,
    EndDate,
    EndDateKind,
    Kpi,
    Officer,
    Rating,
    SubTheme,
)
from packbuilder.plan import schema
from packbuilder.plan.cells import Reader, Row, date_of, list_note, parse_rating, split_list
from packbuilder.plan.read_areas import resolve_officer


def _rating(reader: Reader, row: Row, header: str, action_id: str, impact: bool) -> Rating | None:
    text = row.text(header)
    try:
        return parse_rating(text, impact=impact)
    except ValueError:
        allowed = "Blue, Green, Amber, Red" + (" or Not yet rated" if impact else "")
        reader.add(
            "PLAN-BAD-RATING",
            schema.ACTIONS,
            row.cell(header),
            text,
            action_id=action_id,
            allowed=allowed,
        )
        return None


def read_actions(
    reader: Reader,
    rows: list[Row],
    sub_themes: dict[str, SubTheme],
    officers: dict[str, Officer],
    kpis: dict[str, Kpi],
) -> list[Action]:
    sheet = schema.ACTIONS
    actions: dict[str, Action] = {}
    first_row: dict[str, int] = {}
    for row in rows:
        action_id = reader.required(row, sheet, "Action ID")
        usable = bool(action_id)
        if action_id in first_row:
            reader.add(
                "PLAN-DUPLICATE-ACTION",
                sheet,
                row.cell("Action ID"),
                action_id,
                action_id=action_id,
                first_row=first_row[action_id],
            )
            continue
        if action_id:
            first_row[action_id] = row.number
        code = reader.required(row, sheet, "Sub-theme", action_id)
        sub_theme = sub_themes.get(code.lower()) if code else None
        if code and sub_theme is None:
            usable = False
            if schema.SUB_THEMES not in reader.broken:
                reader.add(
                    "PLAN-UNKNOWN-SUB-THEME",
                    sheet,
                    row.cell("Sub-theme"),
                    code,
                    action_id=action_id,
                    subject=action_id or "(no ID)",
                )
        text = reader.required(row, sheet, "Action", action_id)

        end_date = _end_date(reader, row, action_id)

        reporting, others = _officers(reader, row, action_id, officers)
        codes = _kpi_codes(reader, row, action_id, kpis)
        progress = _rating(reader, row, "Baseline progress as written", action_id, impact=False)
        impact = _rating(reader, row, "Baseline impact as written", action_id, impact=True)
        if not usable or sub_theme is None or reporting is None or end_date is None:
            continue
        actions[action_id] = Action(
            id=action_id,
            sub_theme=sub_theme.code,
            area=sub_theme.area,
            text=text,
            end_date=end_date,
            reporting_officer=reporting,
            other_officers=tuple(others),
            officer_text=row.text("Officer as written"),
            kpi_codes=tuple(codes),
            other_measures=row.text("Other measures as written"),
            planned_evidence=row.text("Planned evidence of impact"),
            baseline_progress=progress,
            baseline_progress_text=row.text("Baseline progress as written"),
            baseline_impact=impact,
            baseline_impact_text=row.text("Baseline impact as written"),
        )
    return list(actions.values())


def _officers(
    reader: Reader, row: Row, action_id: str, officers: dict[str, Officer]
) -> tuple[str | None, list[str]]:
    """The action's reporting officer (None when unknown) and its other officers."""
    sheet = schema.ACTIONS
    reporting_text = reader.required(row, sheet, "Reporting officer", action_id)
    reporting = None
    if reporting_text:
        reporting = resolve_officer(
            reader, reporting_text, row, sheet, "Reporting officer", officers, action_id
        )
    others: list[str] = []
    for reference in split_list(row.raw("Other officers")):
        other = resolve_officer(
            reader,
            reference,
            row,
            sheet,
            "Other officers",
            officers,
            action_id,
            listed_in=row.raw("Other officers"),
        )
        if other is not None and other != reporting and other not in others:
            others.append(other)
    return reporting, others


def _kpi_codes(reader: Reader, row: Row, action_id: str, kpis: dict[str, Kpi]) -> list[str]:
    """The action's KPI codes that are on the KPIs sheet; a finding for each that is not."""
    sheet = schema.ACTIONS
    codes: list[str] = []
    for kpi_code in (c.upper() for c in split_list(row.raw("KPI codes"))):
        if kpi_code in kpis:
            codes.append(kpi_code)
        elif schema.KPIS not in reader.broken:
            reader.add(
                "PLAN-UNKNOWN-KPI",
                sheet,
                row.cell("KPI codes"),
                kpi_code,
                action_id=action_id,
                variant="action",
                note=list_note(row.raw("KPI codes"), "KPI codes"),
            )
    return codes


# A register repeats its end dates ("31 March 2024", "Ongoing"): each wording is read once.
# parse_end_date is pure and EndDate frozen, so actions may share one.
_parse_end_date = functools.lru_cache(maxsize=4096)(parse_end_date)


def _end_date(reader: Reader, row: Row, action_id: str) -> EndDate | None:
    """The action's EndDate, with findings for a date cell that is not one or disagrees."""
    sheet = schema.ACTIONS
    written_cell = row.raw("End date as written")
    written = row.text("End date as written")
    as_date: dt.date | None = None
    if isinstance(written_cell, dt.datetime | dt.date):
        as_date = date_of(written_cell)
    bad = False
    if row.text("End date"):
        cell_date = reader.date(row, sheet, "End date", action_id)
        bad = cell_date is None
        as_date = cell_date or as_date
    from_text = _parse_end_date(written)
    end_date = from_text if as_date is None else _parse_end_date(written, as_date)
    if bad:
        return None
    if as_date is not None and from_text.date is not None and from_text.date != as_date:
        reader.add(
            "PLAN-DATE-MISMATCH",
            sheet,
            row.cell("End date"),
            f"{as_date:%d/%m/%Y}",
            action_id=action_id,
            written=written,
            written_date=from_text.date,
        )
    if end_date.kind is EndDateKind.OPEN:
        if written and is_open_wording(written):
            reader.add(
                "PLAN-OPEN-END-DATE",
                sheet,
                row.cell("End date as written"),
                written,
                action_id=action_id,
            )
        else:
            reader.add(
                "PLAN-NO-END-DATE",
                sheet,
                row.cell("End date as written"),
                written,
                action_id=action_id,
                variant="" if written else "empty",
            )
    return end_date
