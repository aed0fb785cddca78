"""The KPI scorecard, the top risks, the trend across recorded periods and the charts'
captions and alternative text, for the assurance report.

Part of the template context (packbuilder.reports.context).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from packbuilder.config import Config
from packbuilder.kpis.rag import with_unit
from packbuilder.kpis.risks import severity_after, top_risks
from packbuilder.model import (
    BRAG_ORDER,
    ActionStatus,
    Kpi,
    KpiStatus,
    KpiTarget,
    Period,
    PeriodResult,
    Rating,
    RiskStatus,
)
from packbuilder.reports.context_cells import (
    Context,
    clean_text,
    count_key,
    count_ratings,
    direction_text,
    flat_cell,
    kpi_cell,
    plural,
    severity_cell,
    short_text,
)

TOP_RISKS = 10


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def kpi_amount(kpi: Kpi, number: float | None, written: str = "") -> str:
    """A KPI's value, target or baseline as the reports show it: the number with the KPI's unit
    once ("71%", "30 weeks", "58"), whatever was typed around it; WRITTEN ("TBC") where there
    is no number."""
    if number is None:
        return clean_text(written)
    return with_unit(clean_text(kpi.unit), _number(number))


def kpi_target_text(kpi: Kpi, target: KpiTarget | None, period: Period) -> str:
    """The target in force with when it is due, and "not yet due" while it is ahead of
    PERIOD, so a rating against it says which target and when."""
    if target is None:
        return "No target"
    amount = kpi_amount(kpi, target.value, target.text) or "Not set"
    due = f"{amount} by {target.date:%b %Y}"
    return f"{due} (not yet due)" if target.date > period.last_day else due


def kpi_row(config: Config, status: KpiStatus, period: Period) -> Context:
    kpi = status.kpi
    value = kpi_amount(kpi, status.value, status.value_text) or "No value"
    if status.carried_forward and status.as_at is not None:
        value += f" (at {status.as_at:%b %Y})"
    target = kpi_target_text(kpi, status.target, period)
    return {
        "code": clean_text(kpi.code),
        "description": short_text(kpi.description),
        "areas": ", ".join(str(a) for a in kpi.areas),
        "value": value,
        "target": target,
        **flat_cell("rag", kpi_cell(config, status.rag)),
        "reason": clean_text(status.rag_reason),
        "change": direction_text(status.direction, False),
        "high_impact": kpi.high_impact,
        "note": clean_text(status.note),
    }


def risk_rows(config: Config, risks: list[RiskStatus]) -> Context:
    ranked = top_risks(risks)
    top = ranked[:TOP_RISKS]
    left = len(ranked) - len(top)
    return {
        "top": [
            {
                "id": clean_text(r.risk.id),
                "risk": short_text(r.risk.risk, 160),
                "owner": clean_text(r.risk.owner) or "Not named",
                **flat_cell("severity", severity_cell(config, r.risk.severity)),
                **flat_cell("severity_after", severity_cell(config, severity_after(r.risk))),
                "mitigations": short_text(r.risk.mitigations, 160),
                "change": clean_text(r.change),
            }
            for r in top
        ],
        "total": len(risks),
        "more_note": f"{plural(left, 'further risk')} of lower severity "
        f"{'is' if left == 1 else 'are'} in the tracker's risk register."
        if left
        else "",
    }


def trend_rows(
    trend: Sequence[tuple[Period, Mapping[str, tuple[Rating | None, Rating | None]]]],
    period: Period,
    statuses: list[ActionStatus],
) -> list[Context]:
    series = [
        (p, count_ratings(r[0] for r in ratings.values())) for p, ratings in trend if p < period
    ]
    series.append((period, count_ratings(s.progress for s in statuses)))
    return [
        {
            "period": p.label,
            "code": str(p),
            "counts": {count_key(r): counts[r] for r in BRAG_ORDER},
            "total": sum(counts[r] for r in BRAG_ORDER),
        }
        for p, counts in series
    ]


def charts_context(
    result: PeriodResult,
    areas: list[Context],
    trend: Sequence[tuple[Period, Any]],
    period: Period,
) -> Context:
    by_area = "; ".join(
        f"Area {a['number']}: "
        + ", ".join(
            f"{a['progress_counts'][count_key(r)]} {r.value}"
            for r in BRAG_ORDER
            if a["progress_counts"][count_key(r)]
        )
        for a in areas
        if any(a["progress_counts"].values())
    )
    periods = [p for p, _ in trend if p < period] + [period]
    return {
        "by_area": {
            "caption": f"Progress and impact ratings by area of weakness, {period.label}",
            "alt": "Stacked bar charts of the number of actions rated Blue, Green, Amber and "
            f"Red for progress and for impact in each area of weakness, {period.label}. "
            f"Progress by area: {by_area or 'no actions rated'}.",
        },
        "over_time": {
            "caption": "Progress ratings in each recorded period",
            "alt": "Stacked bar chart of the number of actions rated Blue, Green, Amber and Red "
            f"for progress in each recorded period, from {periods[0].label} to "
            f"{periods[-1].label} ({plural(len(periods), 'period')}).",
        },
    }
