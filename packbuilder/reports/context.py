"""The template context: what the Word templates may show, built from the merged period.

Pure functions of (config, result, history, comparison, narrative) that return a plain dict of
text, numbers, booleans and lists, already worded and formatted, so a template needs no logic
beyond loops and ifs and the office can restyle it without code. Every key is documented in
docs/template-context.md; a test keeps that page and these functions in step.

Free text from officers and the office passes through ``clean_text``: control characters are
removed so the document stays valid XML, and nothing else is changed (the renderer escapes it).

This module builds the assurance report's context from its parts, one module per part of the
report: context_cells (shared cells and words), comparison, context_areas, context_kpis,
context_returns and context_exceptions (the exception report). It re-exports the names the
rest of the package reads, so they are imported from here.
"""

from __future__ import annotations

from packbuilder.config import Config
from packbuilder.model import (
    BRAG_ORDER,
    HistoryView,
    PeriodResult,
    Rating,
    ReturnStatus,
)
from packbuilder.reports.comparison import (
    Comparison,
    comparison_context,
    dfe_comparison,
    monthly_comparison,
)
from packbuilder.reports.context_areas import (
    area_context,
    change_counts,
    changed_actions,
    end_dates_moved,
)
from packbuilder.reports.context_cells import (
    ON_TRACK,
    Context,
    clean_text,
    count_ratings,
    count_rows,
    long_date,
    officer_names,
    percent,
    period_context,
    plural,
    programme_context,
    rating_cell,
    short_text,
    summary_context,
)
from packbuilder.reports.context_exceptions import RULE_LABELS, build_exception_context
from packbuilder.reports.context_kpis import (
    charts_context,
    kpi_amount,
    kpi_row,
    kpi_target_text,
    risk_rows,
    trend_rows,
)
from packbuilder.reports.context_returns import returns_context
from packbuilder.reports.narrative import Narrative

__all__ = [
    "RULE_LABELS",
    "Comparison",
    "Context",
    "build_assurance_context",
    "build_exception_context",
    "clean_text",
    "dfe_comparison",
    "kpi_amount",
    "kpi_target_text",
    "long_date",
    "monthly_comparison",
    "plural",
    "rating_cell",
    "short_text",
]


def build_assurance_context(
    config: Config,
    result: PeriodResult,
    history: HistoryView,
    comparison: Comparison,
    narrative: Narrative,
) -> Context:
    """The assurance report's context (the DfE version when ``comparison.dfe``).

    The trend across periods reads the earlier recorded periods from ``history``; the current
    period always comes from ``result``, recorded or not.
    """
    period = result.period
    trend = [(p, history.ratings(p)) for p in history.recorded_periods() if p < period]
    names = officer_names(result)
    statuses = result.actions
    progress = count_ratings(s.progress for s in statuses)
    impact = count_ratings(s.impact for s in statuses)
    rated = sum(progress[r] for r in BRAG_ORDER)
    on_track = sum(progress[r] for r in ON_TRACK)
    overdue = [s for s in statuses if s.is_overdue(period)]
    not_updated = [s for s in statuses if s.return_status is not ReturnStatus.UPDATED]
    comparison_ctx = comparison_context(comparison)
    areas = [
        area_context(config, result, area, comparison, comparison_ctx, names)
        for area in result.plan.areas
    ]
    title = (
        "Assurance report to the Department for Education"
        if comparison.dfe
        else ("Assurance report")
    )
    return {
        "programme": programme_context(config),
        "period": period_context(period),
        "report": {
            "title": title,
            "subtitle": f"{clean_text(config.settings.programme.name)}: {period.label}",
            "date": long_date(period.last_day),
            "is_dfe": comparison.dfe,
            "audience": "Department for Education"
            if comparison.dfe
            else clean_text(config.settings.programme.board),
        },
        "summary": summary_context(
            narrative, "dfe" if comparison.dfe else "assurance", "assurance"
        ),
        "totals": {
            "actions": len(statuses),
            "rated": rated,
            "on_track": on_track,
            "on_track_percent": percent(on_track, rated),
            "complete": sum(progress[r] for r in (Rating.GREEN, Rating.BLUE)),
            "overdue": len(overdue),
            "not_updated": len(not_updated),
            "red_progress": progress[Rating.RED],
            "red_impact": impact[Rating.RED],
            "exceptions": result.items_in_exception(),
            "sentence": _totals_sentence(len(statuses), on_track, rated, len(overdue)),
        },
        "rating_counts": count_rows(config, progress, impact),
        "comparison": comparison_ctx,
        "change_counts": change_counts(statuses, comparison),
        "changed_actions": changed_actions(config, statuses, comparison, names),
        "end_dates_moved": end_dates_moved(statuses, period, names),
        "returns": returns_context(result, names),
        "trend": trend_rows(trend, period, statuses),
        "charts": charts_context(result, areas, trend, period),
        "areas": areas,
        "kpi_scorecard": [kpi_row(config, k, result.period) for k in result.kpis],
        "risks": risk_rows(config, result.risks),
    }


def _totals_sentence(actions: int, on_track: int, rated: int, overdue: int) -> str:
    return (
        f"{plural(actions, 'action')} in the plan; {on_track} of {rated} rated for progress "
        f"({percent(on_track, rated)}) are on track or better (Amber, Green or Blue); "
        f"{overdue} past {'its' if overdue == 1 else 'their'} end date and not complete."
    )
