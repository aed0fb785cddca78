"""The template context's shared pieces: free text cleaned for XML, numbers and dates in words,
rating cells with their colours, and the programme, period and summary blocks every report
opens with.

Part of the template context (packbuilder.reports.context).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from packbuilder.config import Config, RatingStyle
from packbuilder.merge import carried_words
from packbuilder.model import (
    BRAG_ORDER,
    ActionStatus,
    Area,
    Direction,
    KpiRag,
    Period,
    PeriodResult,
    Rating,
    ReturnStatus,
)
from packbuilder.reports.narrative import Narrative, paragraphs

Context = dict[str, Any]


SHORT_TEXT_LIMIT = 120


ON_TRACK = (Rating.BLUE, Rating.GREEN, Rating.AMBER)
"""Progress ratings counted as on track (Amber or better)."""


_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"  # not \t, \n, \r
)


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


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def style_cell(word: str, style: RatingStyle) -> dict[str, str]:
    return {"word": word, "fill": _hex(style.colour), "font": _hex(style.font)}


def rating_cell(config: Config, rating: Rating | None) -> dict[str, str]:
    """A rating as a shaded cell: the word, the fill and the font colour (hex, no #)."""
    if rating is None:
        return style_cell("No rating", config.brag_style(Rating.NOT_YET_RATED))
    return style_cell(rating.value, config.brag_style(rating))


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
    return style_cell(rag.value, style)


def severity_cell(config: Config, severity: str) -> dict[str, str]:
    """A risk severity shaded as a RAG: High red, Medium amber, Low green."""
    rag = {"high": KpiRag.RED, "medium": KpiRag.AMBER, "low": KpiRag.GREEN}.get(
        severity.strip().lower(), KpiRag.NOT_RATED
    )
    cell = kpi_cell(config, rag)
    cell["word"] = clean_text(severity) or "Not stated"
    return cell


def flat_cell(prefix: str, cell: Mapping[str, str]) -> dict[str, str]:
    return {
        prefix: cell["word"],
        f"{prefix}_fill": cell["fill"],
        f"{prefix}_font": cell["font"],
    }


def officer_names(result: PeriodResult) -> dict[str, str]:
    return {o.id: clean_text(o.name) for o in result.plan.officers}


def direction_text(direction: Direction, first: bool) -> str:
    if first or direction is Direction.NOT_COMPARABLE:
        return "–"
    if direction is Direction.NEW:
        return "New"
    return f"{direction.arrow} {direction.value}"


def count_ratings(ratings: Iterable[Rating | None]) -> Counter[Rating]:
    return Counter(r for r in ratings if r is not None)


def count_rows(
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
                **flat_cell("rating", cell),
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


def breakdown(counts: Counter[Rating]) -> str:
    parts = [f"{counts[r]} {r.value}" for r in BRAG_ORDER if counts[r]]
    return ", ".join(parts) if parts else "none rated"


def programme_context(config: Config) -> Context:
    programme = config.settings.programme
    return {
        "name": clean_text(programme.name),
        "organisation": clean_text(programme.organisation),
        "short_name": clean_text(programme.short_name),
        "board": clean_text(programme.board),
        "classification": clean_text(programme.classification),
        "version": clean_text(programme.report_version),
    }


def period_context(period: Period) -> Context:
    return {"code": str(period), "label": period.label, "last_day": long_date(period.last_day)}


def summary_context(narrative: Narrative, section: str, fallback: str = "") -> Context:
    text = narrative.summary(section) or (narrative.summary(fallback) if fallback else "")
    if text:
        return {"paragraphs": [clean_text(p) for p in paragraphs(text)], "is_placeholder": False}
    return {"paragraphs": [narrative.placeholder("the summary")], "is_placeholder": True}


def area_heading(area: Area) -> str:
    return f"Area {area.number}: {clean_text(area.title)}"
