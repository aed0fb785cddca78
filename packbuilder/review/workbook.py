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


def write_evidence_workbook(
    path: Path, config: Config, span: ReviewSpan, bank: EvidenceBank, context: Context
) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"strings_to_urls": False})
    fixed = dt.datetime.combine(span.last.period.last_day, dt.time(12, 0))
    workbook.set_properties(
        {
            "title": f"Six-month review evidence, {context['period']['label']}",
            "author": "packbuilder",
            "created": fixed,
        }
    )
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
    officers = {o.id: o.name for o in span.plan.officers}
    plan = span.plan

    def sheet(name: str, headers: list[str], widths: list[float], rows: list[list[Any]]) -> Any:
        worksheet = workbook.add_worksheet(name)
        worksheet.write_row(0, 0, headers, header)
        for column, width in enumerate(widths):
            worksheet.set_column(column, column, width, wrap)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                if isinstance(value, CarriedRating):
                    worksheet.write_string(number, column, value.word, rating_formats[value.rating])
                elif isinstance(value, Rating) or (value is None and column in rated_columns):
                    worksheet.write_string(
                        number,
                        column,
                        value.value if value else "No rating",
                        rating_formats[value],
                    )
                elif isinstance(value, dt.date):
                    worksheet.write_datetime(
                        number, column, dt.datetime.combine(value, dt.time()), date_format
                    )
                elif isinstance(value, tuple):  # (shown text, link into the review folder)
                    worksheet.write_url(number, column, f"external:{value[1]}", string=value[0])
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    worksheet.write_number(number, column, value)
                elif value is None:
                    worksheet.write_blank(number, column, None)
                else:
                    worksheet.write_string(number, column, str(value))
        worksheet.freeze_panes(1, 0)
        worksheet.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)
        worksheet.set_landscape()
        worksheet.fit_to_pages(1, 0)
        worksheet.repeat_rows(0)
        return worksheet

    rated_columns: set[int] = set()
    summary = context["summary"]
    sheet(
        "Summary",
        ["Measure", f"At {span.first.period.label}", f"At {span.last.period.label}"],
        [48, 16, 16],
        [[f["measure"], f["first"], f["last"]] for f in summary["figures"]],
    )

    months = [month_short(p) for p in span.periods]
    rated_columns = set(range(5, 5 + len(months)))
    sheet(
        "Ratings by month",
        ["Action", "Area", "Sub-theme", "Officer", "Measure", *months],
        [9, 6, 9, 28, 10, *([10] * len(months))],
        [
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
            for a in plan.actions
            for measure in ("progress", "impact")
        ],
    )
    rated_columns = set()
    sheet(
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
            for a in plan.actions
            for r in end_date_history(span, a.id)
        ],
    )
    sheet(
        "Evidence by month",
        ["Action", "Area", "First recorded", "Months recorded", "Evidence of impact"],
        [9, 6, 14, 10, 90],
        [
            [a.id, a.area, str(e.period), e.months, e.text]
            for a in plan.actions
            for e in evidence_texts(span, a.id)
        ],
    )
    sheet(
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
    sheet(
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
            for k in plan.kpis
            for p in kpi_series(span, k)
        ],
    )
    thin = context["thin"]
    sheet(
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
    sheet(
        "Risk changes",
        ["Month", "Risk", "Description", "Change", "Before", "After"],
        [10, 8, 60, 22, 12, 12],
        [
            [str(c.period), c.risk_id, c.risk, c.change, c.before, c.after]
            for c in risk_changes(span)
        ],
    )
    workbook.close()
