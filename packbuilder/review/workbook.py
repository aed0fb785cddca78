"""The review's evidence workbook: one filterable sheet per view, for the office to work from.

Written with xlsxwriter from the same views as the Word pack. Every sheet has its headers
frozen and a filter; ratings are written as words in cells shaded with the BRAG colours.
The document properties are fixed to the span's last day, so the same history gives the
same bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packbuilder.config import Config
from packbuilder.model import Rating
from packbuilder.review.context import Context, month_short
from packbuilder.review.evidence import EvidenceBank
from packbuilder.review.span import (
    CARRIED_MARK,
    ReviewSpan,
    carried_marks,
    end_date_history,
    evidence_texts,
    kpi_series,
    ratings,
    risk_changes,
)


@dataclass(frozen=True)
class CarriedRating:
    """A month's rating kept from the month before because that month's entry was not valid."""

    rating: Rating | None

    @property
    def word(self) -> str:
        shown = self.rating.value if self.rating is not None else "No rating"
        return f"{shown} {CARRIED_MARK}"


SHEETS = (
    "Summary",
    "Ratings by month",
    "End-date history",
    "Evidence by month",
    "Evidence files",
    "KPI series",
    "What is thin",
    "Risk changes",
)
_MEASURES = ("progress", "impact")


@dataclass(frozen=True)
class _Table:
    """One sheet's content: its headers, column widths, rows, and which columns hold ratings
    (a blank there reads "No rating", shaded)."""

    name: str
    headers: list[str]
    widths: list[float]
    rows: list[list[Any]]
    rated_columns: frozenset[int] = frozenset()


@dataclass(frozen=True)
class _Formats:
    header: Any
    wrap: Any
    date: Any
    rating: dict[Rating | None, Any]


def write_evidence_workbook(
    path: Path, config: Config, span: ReviewSpan, bank: EvidenceBank, context: Context
) -> None:
    """Write the evidence workbook to PATH: a sheet per view, in the order of SHEETS."""
    import xlsxwriter  # loaded when the workbook is written, not on import: about 0.07 s

    workbook = xlsxwriter.Workbook(str(path), {"strings_to_urls": False})
    fixed = dt.datetime.combine(span.last.period.last_day, dt.time(12, 0))
    workbook.set_properties(
        {
            "title": f"Six-month review evidence, {context['period']['label']}",
            "author": "packbuilder",
            "created": fixed,
        }
    )
    formats = _formats(workbook, config)
    tables = (
        _summary(span, context),
        _ratings_by_month(span),
        _end_date_history(span),
        _evidence_by_month(span),
        _evidence_files(bank),
        _kpi_series(span),
        _what_is_thin(context),
        _risk_changes(span),
    )
    for table in tables:
        _write_table(workbook, formats, table)
    workbook.close()


def _formats(workbook: Any, config: Config) -> _Formats:
    header = workbook.add_format(
        {
            "bold": True,
            "bg_color": "#1F3864",
            "font_color": "#FFFFFF",
            "text_wrap": True,
            "valign": "top",
        }
    )
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    date_format = workbook.add_format({"num_format": "dd mmm yyyy", "valign": "top"})
    rating_formats: dict[Rating | None, Any] = {}
    for rating in (None, *Rating):
        style = config.brag_style(rating or Rating.NOT_YET_RATED)
        rating_formats[rating] = workbook.add_format(
            {"bg_color": style.colour, "font_color": style.font, "bold": True, "align": "center"}
        )
    return _Formats(header, wrap, date_format, rating_formats)


def _write_table(workbook: Any, formats: _Formats, table: _Table) -> None:
    """One sheet: headers frozen and filtered, printed landscape one page wide."""
    worksheet = workbook.add_worksheet(table.name)
    worksheet.write_row(0, 0, table.headers, formats.header)
    for column, width in enumerate(table.widths):
        worksheet.set_column(column, column, width, formats.wrap)
    for number, row in enumerate(table.rows, start=1):
        for column, value in enumerate(row):
            rated = column in table.rated_columns
            _write_cell(worksheet, formats, number, column, value, rated=rated)
    worksheet.freeze_panes(1, 0)
    worksheet.autofilter(0, 0, max(len(table.rows), 1), len(table.headers) - 1)
    worksheet.set_landscape()
    worksheet.fit_to_pages(1, 0)
    worksheet.repeat_rows(0)


def _write_cell(
    worksheet: Any, formats: _Formats, row: int, column: int, value: Any, *, rated: bool
) -> None:
    """VALUE in its own kind of cell: a shaded rating, a date, a link, a number or text."""
    if isinstance(value, CarriedRating):
        worksheet.write_string(row, column, value.word, formats.rating[value.rating])
    elif isinstance(value, Rating) or (value is None and rated):
        shown = value.value if value else "No rating"
        worksheet.write_string(row, column, shown, formats.rating[value])
    elif isinstance(value, dt.date):
        worksheet.write_datetime(row, column, dt.datetime.combine(value, dt.time()), formats.date)
    elif isinstance(value, tuple):  # (shown text, link into the review folder)
        worksheet.write_url(row, column, f"external:{value[1]}", string=value[0])
    elif isinstance(value, int | float) and not isinstance(value, bool):
        worksheet.write_number(row, column, value)
    elif value is None:
        worksheet.write_blank(row, column, None)
    else:
        worksheet.write_string(row, column, str(value))


def _summary(span: ReviewSpan, context: Context) -> _Table:
    return _Table(
        "Summary",
        ["Measure", f"At {span.first.period.label}", f"At {span.last.period.label}"],
        [48, 16, 16],
        [[f["measure"], f["first"], f["last"]] for f in context["summary"]["figures"]],
    )


def _ratings_by_month(span: ReviewSpan) -> _Table:
    """Each action's progress and impact, a column per month, carried ratings marked."""
    months = [month_short(p) for p in span.periods]
    officers = {o.id: o.name for o in span.plan.officers}
    rows = [
        [
            a.id,
            a.area,
            a.sub_theme,
            officers.get(a.reporting_officer, a.reporting_officer),
            measure.capitalize(),
            *(
                CarriedRating(rating) if carried else rating
                for rating, carried in zip(
                    ratings(span, a.id, measure),
                    carried_marks(span, a.id, measure),
                    strict=True,
                )
            ),
        ]
        for a in span.plan.actions
        for measure in _MEASURES
    ]
    return _Table(
        "Ratings by month",
        ["Action", "Area", "Sub-theme", "Officer", "Measure", *months],
        [9, 6, 9, 28, 10, *([10] * len(months))],
        rows,
        rated_columns=frozenset(range(5, 5 + len(months))),
    )


def _end_date_history(span: ReviewSpan) -> _Table:
    return _Table(
        "End-date history",
        ["Action", "Area", "Original end date", "Revised to", "Agreed in", "In the span", "Reason"],
        [9, 6, 16, 14, 14, 10, 60],
        [
            [
                a.id,
                a.area,
                a.end_date.date or a.end_date.text,
                r.revised_to or "Plan's date restored",
                str(r.agreed_in),
                "Yes" if r.in_span else "No (before)",
                r.reason,
            ]
            for a in span.plan.actions
            for r in end_date_history(span, a.id)
        ],
    )


def _evidence_by_month(span: ReviewSpan) -> _Table:
    return _Table(
        "Evidence by month",
        ["Action", "Area", "First recorded", "Months recorded", "Evidence of impact"],
        [9, 6, 14, 10, 90],
        [
            [a.id, a.area, str(e.period), e.months, e.text]
            for a in span.plan.actions
            for e in evidence_texts(span, a.id)
        ],
    )


def _evidence_files(bank: EvidenceBank) -> _Table:
    """The evidence bank's files, a row per action or area each supports, linked."""
    return _Table(
        "Evidence files",
        ["Supports", "File", "Date", "Date from", "Size (bytes)", "SHA-256", "Note"],
        [14, 40, 12, 12, 12, 66, 40],
        [
            [
                subject,
                (f.copy.split("/", 1)[1], f.copy),
                f.date,
                f.date_from,
                f.size,
                f.sha256,
                f.note,
            ]
            for f in bank.files
            for subject in (f.supports or ("Not mapped",))
        ],
    )


def _kpi_series(span: ReviewSpan) -> _Table:
    return _Table(
        "KPI series",
        ["Code", "KPI", "Areas", "Month", "Value", "As at", "Baseline", "Standard", "Target"],
        [9, 50, 8, 10, 10, 12, 10, 10, 10],
        [
            [
                k.code,
                k.description,
                ", ".join(str(n) for n in k.areas),
                str(p.period),
                p.value,
                p.as_at,
                k.baseline,
                k.standard,
                p.target.value
                if p.target is not None and p.target.value is not None
                else (p.target.text if p.target is not None else None),
            ]
            for k in span.plan.kpis
            for p in kpi_series(span, k)
        ],
    )


def _what_is_thin(context: Context) -> _Table:
    """Where the evidence is thin: actions, KPIs, and ratings that rose with none given."""
    thin = context["thin"]
    return _Table(
        "What is thin",
        ["What", "Subject", "Area", "Month", "Detail"],
        [34, 9, 8, 16, 50],
        [
            *[
                ["No evidence of impact recorded", t["id"], t["area"], "", t["officer"]]
                for t in thin["no_evidence"]
            ],
            *[
                ["KPI with no value in the span", t["code"], t["areas"], "", t["description"]]
                for t in thin["kpis_no_value"]
            ],
            *[
                [
                    "Rating rose with no evidence given",
                    t["id"],
                    "",
                    t["month"],
                    f"{t['measure']}: {t['before']} to {t['after']}",
                ]
                for t in thin["rises"]
            ],
        ],
    )


def _risk_changes(span: ReviewSpan) -> _Table:
    return _Table(
        "Risk changes",
        ["Month", "Risk", "Description", "Change", "Before", "After"],
        [10, 8, 60, 22, 12, 12],
        [
            [str(c.period), c.risk_id, c.risk, c.change, c.before, c.after]
            for c in risk_changes(span)
        ],
    )
