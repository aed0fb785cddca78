"""The exception report's context: one row per flagged subject, listing every rule that
flagged it, grouped by area, with what the office asks of the board.

Part of the template context (packbuilder.reports.context).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from packbuilder.config import Config
from packbuilder.kpis.risks import severity_after
from packbuilder.merge import carried_words
from packbuilder.model import (
    Direction,
    ExceptionItem,
    PeriodResult,
)
from packbuilder.reports.context_cells import (
    MISSING_ASK,
    Context,
    area_heading,
    clean_text,
    commentary_words,
    flat_cell,
    kpi_cell,
    long_date,
    officer_names,
    period_context,
    plural,
    programme_context,
    rating_cell,
    severity_cell,
    short_text,
    status_rating_cell,
    style_cell,
    summary_context,
)
from packbuilder.reports.narrative import Narrative, ask_key

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
    what, measure, cell, commentary = _subject_words(config, item, rules, subjects, names)
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
        **flat_cell("rating", cell),
        "commentary": commentary or "No commentary given.",
        "periods": periods,
        "periods_text": "First period" if periods <= 1 else f"{periods} periods",
        "ask": "\n".join(asks) if asks else MISSING_ASK,
        "ask_is_placeholder": not asks,
    }


def _subject_words(
    config: Config,
    item: ExceptionItem,
    rules: list[str],
    subjects: tuple[dict[str, Any], dict[str, Any], dict[str, Any]],
    names: dict[str, str],
) -> tuple[str, str, dict[str, str], str]:
    """What the flagged subject is, the measure shown, its rating cell and its commentary."""
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
        cell = style_cell(
            "Missing" if item.rule == "missing-return" else "Errors",
            config.settings.rag.not_rated,
        )
    else:
        what = clean_text(item.subject)
    return what, measure, cell, commentary


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
    names = officer_names(result)
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
            area_heading(areas[area])
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
        "programme": programme_context(config),
        "period": period_context(result.period),
        "report": {
            "title": "Exception report",
            "subtitle": f"{clean_text(config.settings.programme.name)}: {result.period.label}",
            "date": long_date(result.period.last_day),
            "is_dfe": False,
            "audience": clean_text(config.settings.programme.board),
        },
        "summary": summary_context(narrative, "exception"),
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
