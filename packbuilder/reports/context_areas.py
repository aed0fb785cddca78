"""The assurance report's areas of weakness: each area's actions with shaded ratings, the
area lead's commentary, its KPIs and what changed; and the programme-wide lists of changed
ratings and moved end dates.

Part of the template context (packbuilder.reports.context).
"""

from __future__ import annotations

from collections import Counter

from packbuilder.config import Config
from packbuilder.merge import carried_words, overrides_for
from packbuilder.model import (
    BRAG_ORDER,
    ActionStatus,
    Area,
    Direction,
    Period,
    PeriodResult,
    Rating,
    ReturnStatus,
    direction_of,
)
from packbuilder.reports.comparison import Comparison
from packbuilder.reports.context_cells import (
    Context,
    area_heading,
    breakdown,
    clean_text,
    count_key,
    count_ratings,
    direction_text,
    flat_cell,
    plural,
    rating_cell,
    short_text,
    status_rating_cell,
)
from packbuilder.reports.context_kpis import kpi_row


def change_counts(statuses: list[ActionStatus], comparison: Comparison) -> list[Context]:
    comparable = comparison.period is not None and comparison.recorded
    rows = []
    for measure, index in (("Progress", 0), ("Impact", 1)):
        directions: Counter[Direction] = Counter()
        for status in statuses if comparable else []:
            current = status.progress if index == 0 else status.impact
            directions[direction_of(comparison.previous(status.action.id)[index], current)] += 1
        counted = sum(
            directions[d]
            for d in (Direction.IMPROVED, Direction.SAME, Direction.WORSE, Direction.NEW)
        )
        rows.append(
            {
                "measure": measure,
                "improved": directions[Direction.IMPROVED],
                "same": directions[Direction.SAME],
                "worse": directions[Direction.WORSE],
                "new": directions[Direction.NEW],
                "not_compared": len(statuses) - counted,
            }
        )
    return rows


def _rating_changes(
    status: ActionStatus, comparison: Comparison
) -> tuple[Rating | None, Rating | None, Direction, Direction]:
    before_progress, before_impact = comparison.previous(status.action.id)
    return (
        before_progress,
        before_impact,
        direction_of(before_progress, status.progress),
        direction_of(before_impact, status.impact),
    )


def _changed(before: Rating | None, after: Rating | None) -> bool:
    return before is not None and after is not None and before is not after


def changed_actions(
    config: Config, statuses: list[ActionStatus], comparison: Comparison, names: dict[str, str]
) -> list[Context]:
    if comparison.period is None or not comparison.recorded:
        return []
    rows = []
    for status in statuses:
        before_p, before_i, dir_p, dir_i = _rating_changes(status, comparison)
        if not (_changed(before_p, status.progress) or _changed(before_i, status.impact)):
            continue
        moves = {dir_p, dir_i} & {Direction.IMPROVED, Direction.WORSE}
        overall = "Mixed" if len(moves) == 2 else next(iter(moves)).value if moves else "Changed"
        rows.append(
            {
                "id": status.action.id,
                "area": status.action.area,
                "officer": names.get(status.action.reporting_officer, ""),
                **flat_cell("progress_before", rating_cell(config, before_p)),
                **flat_cell("progress", status_rating_cell(config, status, "progress")),
                **flat_cell("impact_before", rating_cell(config, before_i)),
                **flat_cell("impact", status_rating_cell(config, status, "impact")),
                "direction": overall,
            }
        )
    return rows


def end_dates_moved(
    statuses: list[ActionStatus], period: Period, names: dict[str, str]
) -> list[Context]:
    """The actions whose end date in force was agreed (or, by override, withdrawn) this
    period, with the original, the new date and the reason."""
    rows = []
    for status in statuses:
        if status.end_date_agreed_in != period:
            continue
        action = status.action
        overridden = overrides_for(status, "revised_end_date")
        reporting_officer = action.reporting_officer
        rows.append(
            {
                "id": action.id,
                "area": action.area,
                "officer": names.get(reporting_officer, clean_text(reporting_officer)),
                "original": clean_text(action.end_date.text) or "no date",
                "in_force": status.end_date_in_force_text,
                "reason": clean_text(status.revised_reason) or "No reason recorded.",
                "agreed_by": (
                    f"Override by {clean_text(overridden[-1].who)}"
                    if overridden
                    else "Officer's return"
                ),
            }
        )
    return rows


def _action_row(
    config: Config,
    status: ActionStatus,
    period: Period,
    comparison: Comparison,
    names: dict[str, str],
) -> Context:
    action = status.action
    _, _, dir_p, dir_i = _rating_changes(status, comparison)
    first = comparison.period is None or not comparison.recorded
    due = status.end_date_in_force
    end_date = due.strftime("%d %b %Y") if due else clean_text(action.end_date.text) or "no date"
    if status.revised_end_date is not None:
        end_date += " (revised)"
    end_date = carried_words(status, "revised_end_date", end_date)
    return {
        "id": action.id,
        "text": short_text(action.text),
        "officer": names.get(action.reporting_officer, clean_text(action.reporting_officer)),
        "end_date": end_date,
        "overdue": status.is_overdue(period),
        **flat_cell("progress", status_rating_cell(config, status, "progress")),
        **flat_cell("impact", status_rating_cell(config, status, "impact")),
        "progress_change": direction_text(dir_p, first),
        "impact_change": direction_text(dir_i, first),
        "return_status": status.return_status.value,
        "commentary": carried_words(
            status, "progress_commentary", clean_text(status.progress_commentary)
        ),
    }


def area_context(
    config: Config,
    result: PeriodResult,
    area: Area,
    comparison: Comparison,
    comparison_ctx: Context,
    names: dict[str, str],
) -> Context:
    statuses = list(result.iter_area(area.number))
    rows = [_action_row(config, s, result.period, comparison, names) for s in statuses]
    progress = count_ratings(s.progress for s in statuses)
    impact = count_ratings(s.impact for s in statuses)
    lead = names.get(area.lead, clean_text(area.lead)) or "not named"
    overdue = sum(1 for row in rows if row["overdue"])
    not_updated = sum(1 for s in statuses if s.return_status is ReturnStatus.NO_RETURN)
    sentence = (
        f"{plural(len(statuses), 'action')}. Progress: {breakdown(progress)}. "
        f"Impact: {breakdown(impact)}. {overdue} overdue"
        + (f"; {not_updated} carried forward without a return this month." if not_updated else ".")
    )
    commentary = _commentary(result, area.number)
    changes = _area_changes(statuses, comparison)
    if comparison_ctx["is_first"] or not comparison.recorded:
        changes_note = comparison_ctx["sentence"]
    elif changes:
        changes_note = f"{plural(len(changes), 'action')} changed rating {comparison_ctx['since']}."
    else:
        changes_note = f"No ratings changed {comparison_ctx['since']}."
    kpis = [
        kpi_row(config, k, result.period)
        for k in result.kpis
        if area.number in k.kpi.areas and k.kpi.high_impact
    ]
    return {
        "number": area.number,
        "title": clean_text(area.title),
        "heading": area_heading(area),
        "lead": lead,
        "sentence": sentence,
        "progress_counts": {count_key(r): progress[r] for r in BRAG_ORDER},
        "impact_counts": {count_key(r): impact[r] for r in (*BRAG_ORDER, Rating.NOT_YET_RATED)},
        "commentary": commentary,
        "commentary_note": ""
        if commentary
        else f"No commentary received from the area lead ({lead}) for this period.",
        "actions": rows,
        "changes": changes,
        "changes_note": changes_note,
        "kpis": kpis,
    }


def _commentary(result: PeriodResult, area: int) -> list[Context]:
    received = result.area_commentary.get(area)
    if received is None:
        return []
    parts = (
        ("Progress", received.progress),
        ("Impact", received.impact),
        ("Concerns", received.concerns),
        ("Escalations", received.escalations),
    )
    return [{"label": label, "text": clean_text(text)} for label, text in parts if clean_text(text)]


def _area_changes(statuses: list[ActionStatus], comparison: Comparison) -> list[str]:
    if comparison.period is None or not comparison.recorded:
        return []
    lines = []
    for status in statuses:
        before_p, before_i, dir_p, dir_i = _rating_changes(status, comparison)
        parts = []
        for measure, before, after, direction in (
            ("progress", before_p, status.progress, dir_p),
            ("impact", before_i, status.impact, dir_i),
        ):
            if _changed(before, after):
                assert before is not None and after is not None
                how = (
                    f" ({direction.value.lower()})"
                    if direction in (Direction.IMPROVED, Direction.WORSE)
                    else ""
                )
                parts.append(f"{measure} {before.value} → {after.value}{how}")
        if parts:
            lines.append(f"{status.action.id}: {'; '.join(parts)}")
    return lines
