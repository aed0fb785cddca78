"""The template context: what the Word templates may show, built from the merged period.

Pure functions of (config, result, history, comparison, narrative) that return a plain dict of
text, numbers, booleans and lists, already worded and formatted, so a template needs no logic
beyond loops and ifs and the office can restyle it without code. Every key is documented in
docs/template-context.md; a test keeps that page and these functions in step.

Free text from officers and the office passes through ``clean_text``: control characters are
removed so the document stays valid XML, and nothing else is changed (the renderer escapes it).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from packbuilder.check_outputs.summary import not_returns_phrase
from packbuilder.config import Config, RatingStyle
from packbuilder.kpis.rag import with_unit
from packbuilder.kpis.risks import severity_after, top_risks
from packbuilder.merge import carried_words, overrides_for
from packbuilder.model import (
    BRAG_ORDER,
    ActionStatus,
    Area,
    Direction,
    ExceptionItem,
    FileStatus,
    HistoryView,
    Kpi,
    KpiRag,
    KpiStatus,
    KpiTarget,
    Period,
    PeriodResult,
    Rating,
    ReturnStatus,
    RiskStatus,
    direction_of,
)
from packbuilder.periods import listed, months_between
from packbuilder.reports.narrative import Narrative, ask_key, paragraphs

Context = dict[str, Any]

SHORT_TEXT_LIMIT = 120
TOP_RISKS = 10
ON_TRACK = (Rating.BLUE, Rating.GREEN, Rating.AMBER)
"""Progress ratings counted as on track (Amber or better)."""

_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"  # not \t, \n, \r
)

RULE_LABELS = {
    "red-progress": "Progress rated Red",
    "red-impact": "Impact rated Red",
    "overdue": "Past its end date and not complete",
    "worse": "Rating worse than last period",
    "low-confidence": "Low confidence in delivery",
    "escalation": "Escalation requested by the officer",
    "missing-return": "Return not received",
    "invalid-return": "Return received with errors",
    "red-kpi": "KPI rated Red",
    "high-risk": "High risk after mitigation",
}
_KIND_ORDER = {"action": 0, "kpi": 1, "risk": 2, "return": 3}


# --------------------------------------------------------------------------- text

# Shown where the office has not written what it asks of the board (build lists each one).
MISSING_ASK = "The office has not yet said what it asks of the board here."


def count_key(rating: Rating) -> str:
    """The key of a rating in a counts mapping: ``blue`` … ``not_yet_rated``."""
    return rating.name.lower()


def clean_text(text: object) -> str:
    """Officer or office text made safe for a document: control characters removed.

    Line breaks become ``\\n`` (shown as line breaks); tabs stay; everything else, including
    ``<``, ``&``, ``{{`` and ``_x000B_``, is kept as written.
    """
    if text is None:
        return ""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value).strip()


def short_text(text: str, limit: int = SHORT_TEXT_LIMIT) -> str:
    """The first sentence of an action, or its first ``limit`` characters at a word break."""
    text = " ".join(clean_text(text).split())
    sentence = re.match(r"^(.+?[.!?])(\s|$)", text)
    if sentence and len(sentence.group(1)) <= limit:
        return sentence.group(1)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:-–")
    return cut + "…"


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def plural(count: int, word: str, many: str = "") -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def long_date(day: Any) -> str:
    return f"{day.day} {day:%B %Y}" if day is not None else ""


# --------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class Comparison:
    """What a report compares this period's ratings with.

    ``period`` is None for a first report. ``ratings`` maps action ID to the (progress, impact)
    recorded for that period; ``recorded`` is False when history holds nothing for it.
    """

    period: Period | None
    ratings: Mapping[str, tuple[Rating | None, Rating | None]] = field(default_factory=dict)
    dfe: bool = False
    recorded: bool = True
    skipped: tuple[Period, ...] = ()  # months between the two that were not built

    def previous(self, action_id: str) -> tuple[Rating | None, Rating | None]:
        return self.ratings.get(action_id, (None, None))


def monthly_comparison(result: PeriodResult) -> Comparison:
    """Compare with the previous period, as the merge recorded it on each action."""
    if result.previous_period is None:
        return Comparison(None)
    ratings = {s.action.id: (s.previous_progress, s.previous_impact) for s in result.actions}
    skipped = tuple(months_between(result.previous_period, result.period))
    return Comparison(result.previous_period, ratings, skipped=skipped)


def dfe_comparison(config: Config, result: PeriodResult, history: HistoryView) -> Comparison:
    """Compare with the previous DfE month as recorded in history, not the previous month.

    The first DfE report has nothing to compare with.
    """
    previous = config.previous_dfe_month(result.period)
    if previous is None:
        return Comparison(None, dfe=True)
    ratings = history.ratings(previous)
    return Comparison(previous, ratings, dfe=True, recorded=bool(ratings))


def _comparison_context(comparison: Comparison) -> Context:
    if comparison.period is None:
        whom = "to the Department for Education" if comparison.dfe else "of the programme"
        return {
            "is_first": True,
            "period": "",
            "heading": "What changed: first report",
            "since": "",
            "sentence": f"This is the first report {whom}: there is no earlier report to "
            "compare with, so no changes are shown.",
        }
    label = comparison.period.label
    since = f"since the last DfE report ({label})" if comparison.dfe else f"since {label}"
    if not comparison.recorded:
        sentence = f"No ratings are recorded for {label}, so changes cannot be shown."
    elif comparison.dfe:
        sentence = (
            "Changes are shown against the last report to the Department for Education, "
            f"for {label}."
        )
    elif comparison.skipped:
        sentence = (
            f"Changes are shown against the report for {label}, the latest one before this: "
            f"no report was built for {listed(comparison.skipped)}."
        )
    else:
        sentence = f"Changes are shown against the report for {label}."
    return {
        "is_first": False,
        "period": label,
        "heading": f"What changed {since}",
        "since": since,
        "sentence": sentence,
    }


# --------------------------------------------------------------------------- shared pieces


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def _style_cell(word: str, style: RatingStyle) -> dict[str, str]:
    return {"word": word, "fill": _hex(style.colour), "font": _hex(style.font)}


def rating_cell(config: Config, rating: Rating | None) -> dict[str, str]:
    """A rating as a shaded cell: the word, the fill and the font colour (hex, no #)."""
    if rating is None:
        return _style_cell("No rating", config.brag_style(Rating.NOT_YET_RATED))
    return _style_cell(rating.value, config.brag_style(rating))


def status_rating_cell(config: Config, status: ActionStatus, attribute: str) -> dict[str, str]:
    """An action's progress or impact as a shaded cell; a rating carried forward because this
    month's was rejected says so in words ("Amber, carried forward: …")."""
    cell = rating_cell(config, getattr(status, attribute))
    cell["word"] = carried_words(status, attribute, cell["word"])
    return cell


def commentary_words(status: ActionStatus) -> str:
    """An action's progress commentary as a report shows it: carried commentary says so, and
    "No commentary given." only where the officer's own row entered without any."""
    words = carried_words(status, "progress_commentary", clean_text(status.progress_commentary))
    if words:
        return words
    if status.return_status in (ReturnStatus.UPDATED, ReturnStatus.CELLS_CARRIED):
        return "No commentary given."
    if status.return_status is ReturnStatus.NO_RETURN:
        return "No return this month, and no commentary recorded before."
    return "No commentary recorded yet."


def kpi_cell(config: Config, rag: KpiRag) -> dict[str, str]:
    rag_styles = config.settings.rag
    style = {
        KpiRag.RED: rag_styles.red,
        KpiRag.AMBER: rag_styles.amber,
        KpiRag.GREEN: rag_styles.green,
        KpiRag.NOT_RATED: rag_styles.not_rated,
    }[rag]
    return _style_cell(rag.value, style)


def severity_cell(config: Config, severity: str) -> dict[str, str]:
    """A risk severity shaded as a RAG: High red, Medium amber, Low green."""
    rag = {"high": KpiRag.RED, "medium": KpiRag.AMBER, "low": KpiRag.GREEN}.get(
        severity.strip().lower(), KpiRag.NOT_RATED
    )
    cell = kpi_cell(config, rag)
    cell["word"] = clean_text(severity) or "Not stated"
    return cell


def _flat(prefix: str, cell: Mapping[str, str]) -> dict[str, str]:
    return {
        prefix: cell["word"],
        f"{prefix}_fill": cell["fill"],
        f"{prefix}_font": cell["font"],
    }


def _officer_names(result: PeriodResult) -> dict[str, str]:
    return {o.id: clean_text(o.name) for o in result.plan.officers}


def _direction_text(direction: Direction, first: bool) -> str:
    if first or direction is Direction.NOT_COMPARABLE:
        return "–"
    if direction is Direction.NEW:
        return "New"
    return f"{direction.arrow} {direction.value}"


def _counts(ratings: Iterable[Rating | None]) -> Counter[Rating]:
    return Counter(r for r in ratings if r is not None)


def _count_rows(
    config: Config, progress: Counter[Rating], impact: Counter[Rating]
) -> list[dict[str, Any]]:
    rows = []
    total_progress = sum(progress.values())
    total_impact = sum(impact.values())
    for rating in (*BRAG_ORDER, Rating.NOT_YET_RATED):
        if rating is Rating.NOT_YET_RATED and not impact[rating]:
            continue
        cell = rating_cell(config, rating)
        rows.append(
            {
                **_flat("rating", cell),
                "definition": clean_text(config.brag_style(rating).definition),
                "progress": progress[rating] if rating.is_brag else "–",
                "progress_percent": percent(progress[rating], total_progress)
                if rating.is_brag
                else "–",
                "impact": impact[rating],
                "impact_percent": percent(impact[rating], total_impact),
            }
        )
    return rows


def _breakdown(counts: Counter[Rating]) -> str:
    parts = [f"{counts[r]} {r.value}" for r in BRAG_ORDER if counts[r]]
    return ", ".join(parts) if parts else "none rated"


def _programme(config: Config) -> Context:
    programme = config.settings.programme
    return {
        "name": clean_text(programme.name),
        "organisation": clean_text(programme.organisation),
        "short_name": clean_text(programme.short_name),
        "board": clean_text(programme.board),
        "classification": clean_text(programme.classification),
        "version": clean_text(programme.report_version),
    }


def _period(period: Period) -> Context:
    return {"code": str(period), "label": period.label, "last_day": long_date(period.last_day)}


def _summary(narrative: Narrative, section: str, fallback: str = "") -> Context:
    text = narrative.summary(section) or (narrative.summary(fallback) if fallback else "")
    if text:
        return {"paragraphs": [clean_text(p) for p in paragraphs(text)], "is_placeholder": False}
    return {"paragraphs": [narrative.placeholder("the summary")], "is_placeholder": True}


# --------------------------------------------------------------------------- assurance report


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
    names = _officer_names(result)
    statuses = result.actions
    progress = _counts(s.progress for s in statuses)
    impact = _counts(s.impact for s in statuses)
    rated = sum(progress[r] for r in BRAG_ORDER)
    on_track = sum(progress[r] for r in ON_TRACK)
    overdue = [s for s in statuses if s.is_overdue(period)]
    not_updated = [s for s in statuses if s.return_status is not ReturnStatus.UPDATED]
    comparison_ctx = _comparison_context(comparison)
    areas = [
        _area_context(config, result, area, comparison, comparison_ctx, names)
        for area in result.plan.areas
    ]
    title = (
        "Assurance report to the Department for Education"
        if comparison.dfe
        else ("Assurance report")
    )
    return {
        "programme": _programme(config),
        "period": _period(period),
        "report": {
            "title": title,
            "subtitle": f"{clean_text(config.settings.programme.name)}: {period.label}",
            "date": long_date(period.last_day),
            "is_dfe": comparison.dfe,
            "audience": "Department for Education"
            if comparison.dfe
            else clean_text(config.settings.programme.board),
        },
        "summary": _summary(narrative, "dfe" if comparison.dfe else "assurance", "assurance"),
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
        "rating_counts": _count_rows(config, progress, impact),
        "comparison": comparison_ctx,
        "change_counts": _change_counts(statuses, comparison),
        "changed_actions": _changed_actions(config, statuses, comparison, names),
        "end_dates_moved": _end_dates_moved(statuses, period, names),
        "returns": _returns_context(result, names),
        "trend": _trend_rows(trend, period, statuses),
        "charts": _charts(result, areas, trend, period),
        "areas": areas,
        "kpi_scorecard": [_kpi_row(config, k, result.period) for k in result.kpis],
        "risks": _risk_rows(config, result.risks),
    }


def _totals_sentence(actions: int, on_track: int, rated: int, overdue: int) -> str:
    return (
        f"{plural(actions, 'action')} in the plan; {on_track} of {rated} rated for progress "
        f"({percent(on_track, rated)}) are on track or better (Amber, Green or Blue); "
        f"{overdue} past {'its' if overdue == 1 else 'their'} end date and not complete."
    )


def _change_counts(statuses: list[ActionStatus], comparison: Comparison) -> list[Context]:
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


def _changed_actions(
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
                **_flat("progress_before", rating_cell(config, before_p)),
                **_flat("progress", status_rating_cell(config, status, "progress")),
                **_flat("impact_before", rating_cell(config, before_i)),
                **_flat("impact", status_rating_cell(config, status, "impact")),
                "direction": overall,
            }
        )
    return rows


def _end_dates_moved(
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
        officer = action.reporting_officer
        rows.append(
            {
                "id": action.id,
                "area": action.area,
                "officer": names.get(officer, clean_text(officer)),
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
        **_flat("progress", status_rating_cell(config, status, "progress")),
        **_flat("impact", status_rating_cell(config, status, "impact")),
        "progress_change": _direction_text(dir_p, first),
        "impact_change": _direction_text(dir_i, first),
        "return_status": status.return_status.value,
        "commentary": carried_words(
            status, "progress_commentary", clean_text(status.progress_commentary)
        ),
    }


def _area_heading(area: Area) -> str:
    return f"Area {area.number}: {clean_text(area.title)}"


def _area_context(
    config: Config,
    result: PeriodResult,
    area: Area,
    comparison: Comparison,
    comparison_ctx: Context,
    names: dict[str, str],
) -> Context:
    statuses = list(result.iter_area(area.number))
    rows = [_action_row(config, s, result.period, comparison, names) for s in statuses]
    progress = _counts(s.progress for s in statuses)
    impact = _counts(s.impact for s in statuses)
    lead = names.get(area.lead, clean_text(area.lead)) or "not named"
    overdue = sum(1 for row in rows if row["overdue"])
    not_updated = sum(1 for s in statuses if s.return_status is ReturnStatus.NO_RETURN)
    sentence = (
        f"{plural(len(statuses), 'action')}. Progress: {_breakdown(progress)}. "
        f"Impact: {_breakdown(impact)}. {overdue} overdue"
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
        _kpi_row(config, k, result.period)
        for k in result.kpis
        if area.number in k.kpi.areas and k.kpi.high_impact
    ]
    return {
        "number": area.number,
        "title": clean_text(area.title),
        "heading": _area_heading(area),
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


def _kpi_row(config: Config, status: KpiStatus, period: Period) -> Context:
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
        **_flat("rag", kpi_cell(config, status.rag)),
        "reason": clean_text(status.rag_reason),
        "change": _direction_text(status.direction, False),
        "high_impact": kpi.high_impact,
        "note": clean_text(status.note),
    }


def _risk_rows(config: Config, risks: list[RiskStatus]) -> Context:
    ranked = top_risks(risks)
    top = ranked[:TOP_RISKS]
    left = len(ranked) - len(top)
    return {
        "top": [
            {
                "id": clean_text(r.risk.id),
                "risk": short_text(r.risk.risk, 160),
                "owner": clean_text(r.risk.owner) or "Not named",
                **_flat("severity", severity_cell(config, r.risk.severity)),
                **_flat("severity_after", severity_cell(config, severity_after(r.risk))),
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


def _returns_context(result: PeriodResult, names: dict[str, str]) -> Context:
    check = result.check
    officers = result.plan.officer_by_id()
    counted = check.counted_officer_returns()
    received = []
    for officer_id in check.expected_officers:
        got = counted.get(officer_id)
        if got is None:
            continue
        received.append(
            {
                "officer": names.get(officer_id, officer_id),
                "organisation": clean_text(officers[officer_id].organisation)
                if officer_id in officers
                else "",
                "file": clean_text(got.name),
                "received": got.received_at.strftime("%d %b %Y") if got.received_at else "",
                "errors": len(got.errors),
                "warnings": len(got.warnings),
            }
        )
    missing = []
    for officer_id in check.missing_officers():
        actions = [a.id for a in result.plan.actions_reported_by(officer_id)]
        missing.append(
            {
                "officer": names.get(officer_id, officer_id),
                "organisation": clean_text(officers[officer_id].organisation)
                if officer_id in officers
                else "",
                "actions": ", ".join(actions),
                "count": len(actions),
            }
        )
    area_titles = {a.number: a for a in result.plan.areas}
    areas_missing = [
        {
            "area": number,
            "heading": _area_heading(area_titles[number]) if number in area_titles else str(number),
            "lead": names.get(area_titles[number].lead, area_titles[number].lead)
            if number in area_titles
            else "",
        }
        for number in check.missing_areas()
    ]
    other = [
        {
            "file": clean_text(f.name),
            "status": f.status.value,
            "reason": clean_text(f.errors[0].message)
            if f.errors
            else (f"Replaced by {clean_text(f.superseded_by)}" if f.superseded_by else ""),
        }
        for f in check.files
        if f.status not in (FileStatus.COUNTED, FileStatus.SKIPPED, FileStatus.NOT_A_RETURN)
    ]
    # Files that are not returns are named in one line, however many there are.
    not_returns = len(check.not_returns())
    expected = len(check.expected_officers)
    got_count = len(received)
    areas_expected = len(check.expected_areas)
    areas_received = areas_expected - len(areas_missing)
    sentence = (
        f"{got_count} of {expected} officers sent a return ({percent(got_count, expected)}); "
        f"{len(missing)} missing."
    )
    if areas_expected:
        sentence += f" {areas_received} of {areas_expected} area leads sent commentary."
    return {
        "expected": expected,
        "received": got_count,
        "missing": len(missing),
        "percent": percent(got_count, expected),
        "areas_expected": areas_expected,
        "areas_received": areas_received,
        "sentence": sentence,
        "received_list": received,
        "missing_list": missing,
        "areas_missing_list": areas_missing,
        "other_files": other,
        "not_returns": not_returns,
        "not_returns_note": f"{not_returns_phrase(not_returns)}: see validation.xlsx."
        if not_returns
        else "",
    }


def _trend_rows(
    trend: Sequence[tuple[Period, Mapping[str, tuple[Rating | None, Rating | None]]]],
    period: Period,
    statuses: list[ActionStatus],
) -> list[Context]:
    series = [(p, _counts(r[0] for r in ratings.values())) for p, ratings in trend if p < period]
    series.append((period, _counts(s.progress for s in statuses)))
    return [
        {
            "period": p.label,
            "code": str(p),
            "counts": {count_key(r): counts[r] for r in BRAG_ORDER},
            "total": sum(counts[r] for r in BRAG_ORDER),
        }
        for p, counts in series
    ]


def _charts(
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


# --------------------------------------------------------------------------- exception report


def _rule_label(rule: str) -> str:
    return RULE_LABELS.get(rule, rule.replace("-", " ").capitalize())


_PROGRESS_RULES = ("red-progress", "overdue", "low-confidence", "escalation")


def _exception_row(
    config: Config,
    items: list[ExceptionItem],
    result: PeriodResult,
    narrative: Narrative,
    names: dict[str, str],
    subjects: tuple[dict[str, Any], dict[str, Any], dict[str, Any]],
) -> Context:
    """One row for one flagged subject, listing every rule that flagged it.

    SUBJECTS is ``_subjects(result)``, indexed once for all the rows.
    """
    item = items[0]
    rules = [i.rule for i in items]
    actions, kpis, risks = subjects
    commentary = ""
    measure = ""
    cell = rating_cell(config, None)
    if item.kind == "action" and item.subject in actions:
        status = actions[item.subject]
        progress_flagged = any(r in _PROGRESS_RULES for r in rules) or (
            "worse" in rules and status.progress_direction is Direction.WORSE
        )
        use_impact = not progress_flagged and (
            "red-impact" in rules or status.impact_direction is Direction.WORSE
        )
        measure = "Impact" if use_impact else "Progress"
        cell = status_rating_cell(config, status, "impact" if use_impact else "progress")
        commentary = commentary_words(status)
        if status.risks:
            risk_words = carried_words(status, "risks", clean_text(status.risks))
            commentary = (commentary + "\nRisks: " + risk_words).strip()
        what = f"{item.subject}: {short_text(status.action.text)}"
    elif item.kind == "kpi" and item.subject in kpis:
        kpi = kpis[item.subject]
        measure = "KPI"
        cell = kpi_cell(config, kpi.rag)
        commentary = "; ".join(p for p in (clean_text(kpi.rag_reason), clean_text(kpi.note)) if p)
        what = f"{kpi.kpi.code}: {short_text(kpi.kpi.description)}"
    elif item.kind == "risk" and item.subject in risks:
        risk = risks[item.subject]
        measure = "After mitigation"
        cell = severity_cell(config, severity_after(risk.risk))
        commentary = clean_text(risk.risk.progress or risk.risk.mitigations)
        what = f"{risk.risk.id}: {short_text(risk.risk.risk)}"
    elif item.kind == "return":
        measure = "Return"
        what = f"Return from {names.get(item.subject, clean_text(item.subject))}"
        commentary = (
            "No return received this month."
            if item.rule == "missing-return"
            else "The errors are listed for the officer in their feedback workbook."
        )
        cell = _style_cell(
            "Missing" if item.rule == "missing-return" else "Errors",
            config.settings.rag.not_rated,
        )
    else:
        what = clean_text(item.subject)
    keys = [ask_key(i) for i in items]
    asks = [clean_text(narrative.asks[k]) for k in keys if narrative.asks.get(k, "").strip()]
    if not asks and narrative.default_ask:
        asks = [clean_text(narrative.default_ask)]
    periods = max(i.periods_in_exception for i in items)
    return {
        "key": keys[0],
        "keys": keys,
        "rules": rules,
        "rule_label": "; ".join(_rule_label(r) for r in rules),
        "kind": item.kind,
        "subject": clean_text(item.subject),
        "what": what,
        "summary": "; ".join(clean_text(i.summary) for i in items),
        "owner": names.get(item.owner, clean_text(item.owner)) or _area_lead(result, item, names),
        "measure": measure,
        **_flat("rating", cell),
        "commentary": commentary or "No commentary given.",
        "periods": periods,
        "periods_text": "First period" if periods <= 1 else f"{periods} periods",
        "ask": "\n".join(asks) if asks else MISSING_ASK,
        "ask_is_placeholder": not asks,
    }


def _subjects(result: PeriodResult) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """RESULT's actions, KPIs and risks by ID."""
    return (
        {s.action.id: s for s in result.actions},
        {k.kpi.code: k for k in result.kpis},
        {r.risk.id: r for r in result.risks},
    )


def _area_lead(result: PeriodResult, item: ExceptionItem, names: dict[str, str]) -> str:
    """Who answers for an item with no owner of its own: its area's lead."""
    for area in result.plan.areas:
        if area.number == item.area:
            return f"{names.get(area.lead, clean_text(area.lead))} (area lead)"
    return "Not named"


def build_exception_context(config: Config, result: PeriodResult, narrative: Narrative) -> Context:
    """The exception report's context: one row per flagged subject, grouped by area.

    Areas come in plan order, then what belongs to no area ("Across the programme"); within
    an area, actions, then KPIs, risks and returns, each by ID.
    """
    names = _officer_names(result)
    areas = {a.number: a for a in result.plan.areas}
    flagged: dict[tuple[int | None, str, str], list[ExceptionItem]] = {}
    for item in result.exceptions:
        flagged.setdefault((item.area, item.kind, item.subject), []).append(item)
    ordered = sorted(
        flagged.items(),
        key=lambda entry: (
            entry[0][0] is None,
            entry[0][0] or 0,
            _KIND_ORDER.get(entry[0][1], 9),
            entry[0][2],
        ),
    )
    groups: list[Context] = []
    subjects = _subjects(result)
    for (area, _, _), items in ordered:
        heading = (
            _area_heading(areas[area])
            if area in areas
            else (f"Area {area}" if area is not None else "Across the programme")
        )
        if not groups or groups[-1]["heading"] != heading:
            groups.append({"heading": heading, "area": area or "", "rows": []})
        groups[-1]["rows"].append(_exception_row(config, items, result, narrative, names, subjects))
    by_kind = Counter(kind for (_, kind, _) in flagged)
    by_rule = Counter(e.rule for e in result.exceptions)
    periods = [max(i.periods_in_exception for i in items) for items in flagged.values()]
    persistent = sum(1 for p in periods if p >= 3)
    new = sum(1 for p in periods if p <= 1)
    total = result.items_in_exception()  # len(flagged), as the tracker counts it
    sentence = (
        f"{plural(total, 'item')} in exception this period: "
        f"{plural(by_kind['action'], 'action')}, {plural(by_kind['kpi'], 'KPI')}, "
        f"{plural(by_kind['risk'], 'risk')} and {plural(by_kind['return'], 'return')}; "
        f"{new} new this period and {persistent} in exception for three periods or more."
        if total
        else "Nothing meets the exception rules this period."
    )
    return {
        "programme": _programme(config),
        "period": _period(result.period),
        "report": {
            "title": "Exception report",
            "subtitle": f"{clean_text(config.settings.programme.name)}: {result.period.label}",
            "date": long_date(result.period.last_day),
            "is_dfe": False,
            "audience": clean_text(config.settings.programme.board),
        },
        "summary": _summary(narrative, "exception"),
        "exceptions": {
            "total": total,
            "actions": by_kind["action"],
            "kpis": by_kind["kpi"],
            "risks": by_kind["risk"],
            "returns": by_kind["return"],
            "new": new,
            "persistent": persistent,
            "sentence": sentence,
            "rules": [
                {"rule": rule, "label": _rule_label(rule), "count": count}
                for rule, count in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
        },
        "groups": groups,
    }
