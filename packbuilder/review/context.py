"""The review pack's template context: plain dicts and lists of words, from ``span``'s views.

Every name the template may use is made here (docs/template-context.md lists them). Ratings
are cells with the word, the fill and the font colour, so a rating always reads as a word.
Pictures and links are left as plain specs (PNG bytes, a relative path) that the renderer
turns into Word objects.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from packbuilder.config import Config
from packbuilder.kpis.rag import format_value
from packbuilder.model import BRAG_ORDER, Action, Area, Kpi, Period, Rating
from packbuilder.reports.context import clean_text, long_date, plural, rating_cell
from packbuilder.review.charts import KpiChart
from packbuilder.review.evidence import EvidenceBank, EvidenceFile
from packbuilder.review.span import (
    CARRIED_MARK,
    ReviewSpan,
    Revision,
    carried_marks,
    end_date_history,
    evidence_texts,
    exceptions_over_span,
    is_complete,
    is_overdue,
    kpi_series,
    ratings,
    rises_without_evidence,
    risk_changes,
)

Context = dict[str, Any]


def month_short(period: Period) -> str:
    return f"{period.first_day:%b %y}"


def span_label(span: ReviewSpan) -> str:
    return f"{span.first.period.label} to {span.last.period.label}"


def size_text(size: int) -> str:
    if size < 1024:
        return "1 byte" if size == 1 else f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _breakdown(found: Sequence[Rating | None]) -> str:
    counts = Counter(r for r in found if r is not None and r.is_brag)
    parts = [f"{r.value} {counts[r]}" for r in BRAG_ORDER if counts[r]]
    return ", ".join(parts) if parts else "none rated"


def _cell(config: Config, rating: Rating | None, carried: bool = False) -> Context:
    cell = rating_cell(config, rating)
    word = f"{cell['word']} {CARRIED_MARK}" if carried else cell["word"]
    return {"rating": word, "rating_fill": cell["fill"], "rating_font": cell["font"]}


def _programme(config: Config) -> Context:
    programme = config.settings.programme
    return {
        "name": clean_text(programme.name),
        "organisation": clean_text(programme.organisation),
        "classification": clean_text(programme.classification),
        "version": clean_text(programme.report_version),
    }


def _date(day: dt.date | None) -> str:
    return day.strftime("%d %b %Y") if day is not None else "no date"


def build_review_context(
    config: Config, span: ReviewSpan, bank: EvidenceBank
) -> tuple[Context, list[KpiChart]]:
    """The pack's context and the KPI charts it shows, in the order ``place_charts`` takes."""
    plan = span.plan
    officers = {o.id: clean_text(o.name) for o in plan.officers}
    first, last = span.first, span.last
    months = [month_short(p) for p in span.periods]
    chart_specs: list[KpiChart] = []
    kpis_by_area: dict[int, list[Kpi]] = {}
    for kpi in plan.kpis:
        for number in kpi.areas:
            kpis_by_area.setdefault(number, []).append(kpi)

    areas = []
    for area in plan.areas:
        actions = [a for a in plan.actions if a.area == area.number]
        areas.append(
            _area(config, span, area, actions, officers, months, bank, kpis_by_area, chart_specs)
        )
    summary = _summary(span, officers)
    resolved, still_open = exceptions_over_span(span)
    context: Context = {
        "programme": _programme(config),
        "report": {
            "title": "Six-month review",
            "subtitle": f"Evidence of progress and impact, {span_label(span)}",
            "audience": "Department for Education",
            "date": long_date(last.period.last_day),
        },
        "period": {"label": span_label(span)},
        "span": {
            "first": first.period.label,
            "last": last.period.label,
            "months": months,
            "count": len(span.months),
            "recorded": ", ".join(p.label for p in span.periods),
        },
        "summary": summary,
        "exceptions": {
            "sentence": (
                f"{plural(len(resolved) + len(still_open), 'item')} met the exception rules in "
                f"the span: {len(resolved)} resolved by {last.period.label}, "
                f"{len(still_open)} still open."
            ),
            "resolved": [_exception(e) for e in resolved],
            "open": [_exception(e) for e in still_open],
        },
        "areas": areas,
        "thin": _thin(span, officers),
        "risks": _risks(span),
        "evidence": {
            "sentence": _evidence_sentence(bank),
            "unmapped": [_file_row(f, "") for f in bank.unmapped],
            "problems": list(bank.problems),
            "renamed": [_file_row(f, "") for f in bank.renamed],
        },
    }
    return context, chart_specs


def place_charts(context: Context, pictures: Sequence[bytes]) -> None:
    """Put each drawn chart (PNG bytes, in the order of the chart specs) in its KPI."""
    remaining = list(pictures)
    for area in context["areas"]:
        for kpi in area["kpis"]:
            if kpi["has_chart"]:
                kpi["chart"] = remaining.pop(0) if remaining else b""


@dataclass(frozen=True)
class _Changes:
    """What changed between the span's first and last month, as the summary counts it."""

    done_first: set[str]
    done_last: set[str]
    completed: list[str]  # action IDs complete at the end and not at the start
    moved: dict[str, list[Revision]]  # revisions agreed in the span, by action ID
    overdue: list[Action]  # at the last month


def _changes(span: ReviewSpan) -> _Changes:
    actions, last = span.plan.actions, span.last
    done_first = {a.id for a in actions if is_complete(_progress(span.first, a.id))}
    done_last = {a.id for a in actions if is_complete(_progress(last, a.id))}
    moves = {a.id: [r for r in end_date_history(span, a.id) if r.in_span] for a in actions}
    return _Changes(
        done_first=done_first,
        done_last=done_last,
        completed=[a.id for a in actions if a.id in done_last and a.id not in done_first],
        moved={k: v for k, v in moves.items() if v},
        overdue=[a for a in actions if is_overdue(a, last.actions.get(a.id), last.period)],
    )


def _summary(span: ReviewSpan, officers: dict[str, str]) -> Context:
    actions, last = list(span.plan.actions), span.last
    changes = _changes(span)
    return {
        "sentence": (
            f"This review covers {plural(len(span.months), 'recorded month')}, "
            f"{span_label(span)}, as history recorded each month's returns "
            f"({', '.join(p.label for p in span.periods)})."
        ),
        "by_area": _ratings_by_area(span),
        "figures": _figures(span, changes),
        "completed": [
            {
                "id": a.id,
                "officer": officers.get(a.reporting_officer, a.reporting_officer),
                "text": clean_text(a.text),
            }
            for a in actions
            if a.id in changes.completed
        ],
        "moved": [
            {
                "id": action_id,
                "times": str(len(revisions)),
                "latest": _date(revisions[-1].revised_to),
                "reasons": "; ".join(
                    f"{r.agreed_in.label}: {clean_text(r.reason) or 'no reason recorded'}"
                    for r in revisions
                ),
            }
            for action_id, revisions in changes.moved.items()
        ],
        "overdue": [
            {
                "id": a.id,
                "officer": officers.get(a.reporting_officer, a.reporting_officer),
                "due": _date(_in_force(a, last.actions.get(a.id))),
                "progress": _cell_word(_progress(last, a.id)),
            }
            for a in changes.overdue
        ],
    }


def _ratings_by_area(span: ReviewSpan) -> list[Context]:
    """Each area's progress and impact breakdown at the span's first and last month."""
    plan, first, last = span.plan, span.first, span.last
    by_area = []
    for area in plan.areas:
        ids = [a.id for a in plan.actions if a.area == area.number]

        def at(month: Any, measure: str, ids: list[str] = ids) -> str:
            found = [getattr(month.actions.get(i), measure, None) for i in ids]
            return _breakdown(found)

        by_area.append(
            {
                "heading": f"Area {area.number}",
                "actions": len(ids),
                "progress_first": at(first, "progress"),
                "progress_last": at(last, "progress"),
                "impact_first": at(first, "impact"),
                "impact_last": at(last, "impact"),
            }
        )
    return by_area


def _figures(span: ReviewSpan, changes: _Changes) -> list[dict[str, str]]:
    """The summary's table of counts: at the first month (where it means something) and last."""
    actions, first = span.plan.actions, span.first
    moved = changes.moved
    resolved, still_open = exceptions_over_span(span)
    overdue_first = sum(1 for a in actions if is_overdue(a, first.actions.get(a.id), first.period))
    figures = [
        ("Actions in the plan", "", str(len(actions))),
        (
            "Actions complete (progress Green or Blue)",
            str(len(changes.done_first)),
            str(len(changes.done_last)),
        ),
        ("Actions completed during the span", "", str(len(changes.completed))),
        ("Actions whose end date moved in the span", "", str(len(moved))),
        ("End-date revisions agreed in the span", "", str(sum(len(v) for v in moved.values()))),
        (
            "Actions whose end date moved more than once",
            "",
            str(sum(1 for v in moved.values() if len(v) > 1)),
        ),
        ("Actions overdue", str(overdue_first), str(len(changes.overdue))),
        ("Exceptions resolved in the span", "", str(len(resolved))),
        ("Exceptions still open", str(len(first.exceptions)), str(len(still_open))),
    ]
    return [{"measure": m, "first": f or "–", "last": v} for m, f, v in figures]


def _cell_word(rating: Rating | None) -> str:
    return rating.value if rating is not None else "No rating"


def _in_force(action: Action, recorded: Any) -> dt.date | None:
    if recorded is not None and recorded.revised_end_date is not None:
        revised: dt.date = recorded.revised_end_date
        return revised
    return action.end_date.date


def _progress(month: Any, action_id: str) -> Rating | None:
    recorded = month.actions.get(action_id)
    return recorded.progress if recorded is not None else None


def _exception(item: Any) -> Context:
    return {
        "subject": clean_text(item.subject),
        "kind": str(item.kind).capitalize(),
        "summary": clean_text(item.summary),
        "months": str(item.periods_in_exception),
    }


def _area(
    config: Config,
    span: ReviewSpan,
    area: Area,
    actions: list[Action],
    officers: dict[str, str],
    months: list[str],
    bank: EvidenceBank,
    kpis_by_area: dict[int, list[Kpi]],
    chart_specs: list[KpiChart],
) -> Context:
    """One area's section: ratings strip, end dates, evidence, commentary and KPIs."""
    end_dates = _end_date_rows(span, actions)
    moved_ids = {row["id"] for row in end_dates}
    commentary, silent = _area_commentary(span, area)
    kpis = [_kpi(kpi, span, months, chart_specs) for kpi in kpis_by_area.get(area.number, [])]
    return {
        "heading": f"Area {area.number}: {clean_text(area.title)}",
        "number": area.number,
        "lead": officers.get(area.lead, clean_text(area.lead)),
        "sentence": (
            f"{plural(len(actions), 'action')}; at {span.last.period.label} progress is "
            f"{_breakdown([_progress(span.last, a.id) for a in actions])}."
        ),
        "months": months,
        "strip": _rating_strip(config, span, actions),
        "end_dates": end_dates,
        "end_dates_note": (
            f"{len(actions) - len(moved_ids)} of {plural(len(actions), 'action')} kept the "
            "end date in the plan throughout."
        ),
        "evidence_text": _evidence_rows(span, actions),
        "evidence_files": _evidence_file_rows(bank, area, actions),
        "commentary": commentary,
        "commentary_note": (
            f"No area commentary was recorded for {_and_list(silent)}." if silent else ""
        ),
        "kpis": kpis,
    }


def _rating_strip(config: Config, span: ReviewSpan, actions: list[Action]) -> list[Context]:
    """A row per action and measure: a rating cell per month, carried ratings marked."""
    return [
        {
            "id": action.id,
            "measure": measure.capitalize(),
            "cells": [
                _cell(config, rating, carried)
                for rating, carried in zip(
                    ratings(span, action.id, measure),
                    carried_marks(span, action.id, measure),
                    strict=True,
                )
            ],
        }
        for action in actions
        for measure in ("progress", "impact")
    ]


def _end_date_rows(span: ReviewSpan, actions: list[Action]) -> list[Context]:
    """Every end-date revision of the area's actions, in or before the span."""
    return [
        {
            "id": action.id,
            "original": action.end_date.display
            if action.end_date.date is not None
            else clean_text(action.end_date.text) or "no date",
            "revised_to": _date(revision.revised_to)
            if revision.revised_to is not None
            else "the plan's date restored",
            "agreed_in": revision.agreed_in.label
            + ("" if revision.in_span else " (before the span)"),
            "reason": clean_text(revision.reason) or "No reason recorded.",
        }
        for action in actions
        for revision in end_date_history(span, action.id)
    ]


def _evidence_rows(span: ReviewSpan, actions: list[Action]) -> list[Context]:
    return [
        {
            "id": item.action_id,
            "month": item.period.label,
            "text": clean_text(item.text),
            "repeated": "" if item.months == 1 else f"recorded in {item.months} months",
        }
        for action in actions
        for item in evidence_texts(span, action.id)
    ]


def _evidence_file_rows(bank: EvidenceBank, area: Area, actions: list[Action]) -> list[Context]:
    """The evidence files for the area as a whole, then for each of its actions."""
    files = [_file_row(f, f"Area {area.number}") for f in bank.supporting(f"Area {area.number}")]
    for action in actions:
        files += [_file_row(f, action.id) for f in bank.supporting(action.id)]
    return files


def _area_commentary(span: ReviewSpan, area: Area) -> tuple[list[Context], list[str]]:
    """The area lead's commentary by month, and the months with none."""
    commentary = []
    silent: list[str] = []
    for month in span.months:
        recorded = month.area_commentary.get(area.number)
        parts = []
        if recorded is not None:
            for label, text in (
                ("Progress", recorded.progress),
                ("Impact", recorded.impact),
                ("Concerns", recorded.concerns),
                ("Escalations", recorded.escalations),
            ):
                if text.strip():
                    parts.append({"label": label, "text": clean_text(text)})
        if parts:
            commentary.append({"month": month.period.label, "parts": parts})
        else:
            silent.append(month.period.label)
    return commentary, silent


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _kpi(kpi: Kpi, span: ReviewSpan, months: list[str], chart_specs: list[KpiChart]) -> Context:
    points = kpi_series(span, kpi)
    unit = clean_text(kpi.unit)
    suffix = "%" if unit == "%" else ""
    rows = [
        {
            "month": p.period.label,
            "value": format_value(p.value) + suffix if p.value is not None else "No value",
            "as_at": _date(p.as_at) if p.as_at is not None else "",
            "target": (
                clean_text(p.target.text)
                if p.target is not None and p.target.value is None
                else format_value(p.target.value) + suffix
                if p.target is not None and p.target.value is not None
                else "None set"
            ),
        }
        for p in points
    ]
    chart = KpiChart(
        code=kpi.code,
        months=months,
        values=[p.value for p in points],
        targets=[p.target.value if p.target is not None else None for p in points],
        baseline=kpi.baseline,
        standard=kpi.standard,
        unit=unit,
    )
    values = [p for p in points if p.value is not None]
    if values:
        chart_specs.append(chart)
    if values:
        trend = (
            f"from {format_value(values[0].value or 0)} in {values[0].period.label} to "
            f"{format_value(values[-1].value or 0)} in {values[-1].period.label}"
        )
    else:
        trend = "with no value recorded in the span"
    baseline = format_value(kpi.baseline) if kpi.baseline is not None else "none"
    standard = format_value(kpi.standard) if kpi.standard is not None else "none"
    alt = (
        f"Line chart of {kpi.code}, {clean_text(kpi.description)}, month by month {trend}; "
        f"baseline {baseline}, standard {standard}, target in force at the end "
        f"{rows[-1]['target'] if rows else 'none set'}. The same figures are in the table "
        "below."
    )
    return {
        "code": kpi.code,
        "description": clean_text(kpi.description),
        "baseline": baseline,
        "standard": standard,
        "caption": f"{kpi.code}: value by month against baseline ({baseline}), standard "
        f"({standard}) and target.",
        "alt": alt,
        "chart": b"",
        "has_chart": bool(values),
        "rows": rows,
    }


def _file_row(item: EvidenceFile, subject: str) -> Context:
    return {
        "supports": subject or ", ".join(item.supports) or "Not mapped",
        "name": item.name,
        "link": {"text": item.copy.split("/", 1)[1], "target": item.copy},
        "date": _date(item.date),
        "date_from": item.date_from,
        "size": size_text(item.size),
        "sha256": item.sha256,
        "note": item.note,
    }


def _evidence_sentence(bank: EvidenceBank) -> str:
    if not bank.files:
        return (
            "No evidence documents were found in inputs/evidence/. File them in a folder per "
            "action ID or area, or list them in inputs/evidence/index.xlsx."
        )
    mapped = len(bank.files) - len(bank.unmapped)
    return (
        f"{plural(len(bank.files), 'evidence document')} copied into this pack's evidence "
        f"folder: {mapped} mapped to an action or area, {len(bank.unmapped)} not mapped. Each "
        "is listed with its date, size and SHA-256 hash, so the copy sent can be checked."
    )


def _thin(span: ReviewSpan, officers: dict[str, str]) -> Context:
    plan = span.plan
    no_evidence = [
        {
            "id": a.id,
            "area": str(a.area),
            "officer": officers.get(a.reporting_officer, a.reporting_officer),
        }
        for a in plan.actions
        if not evidence_texts(span, a.id)
    ]
    no_value = [
        {
            "code": k.code,
            "description": clean_text(k.description),
            "areas": ", ".join(str(n) for n in k.areas),
        }
        for k in plan.kpis
        if all(p.value is None for p in kpi_series(span, k))
    ]
    rises = [
        {
            "id": r.action_id,
            "month": r.period.label,
            "measure": r.measure,
            "before": r.before.value,
            "after": r.after.value,
        }
        for a in plan.actions
        for r in rises_without_evidence(span, a.id)
    ]
    return {"no_evidence": no_evidence, "kpis_no_value": no_value, "rises": rises}


def _risks(span: ReviewSpan) -> Context:
    changes = risk_changes(span)
    return {
        "changes": [
            {
                "month": c.period.label,
                "id": c.risk_id,
                "risk": clean_text(c.risk),
                "change": c.change,
                "before": clean_text(c.before) or "–",
                "after": clean_text(c.after) or "–",
            }
            for c in changes
        ],
        "sentence": (
            f"{plural(len(changes), 'change')} to the risk register between "
            f"{span.first.period.label} and {span.last.period.label}."
        ),
        "count_first": len(span.first.risks),
        "count_last": len(span.last.risks),
    }
