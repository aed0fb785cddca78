"""Rules on the ratings and choices of one reporting row, once read (rows.read_update)."""

from __future__ import annotations

from collections.abc import Iterator

from packbuilder.checks.rows import RowCheck
from packbuilder.model import Finding, Rating

_CONCERN = (Rating.RED, Rating.AMBER)
_GOOD = (Rating.GREEN, Rating.BLUE)


def rating_missing(check: RowCheck) -> Iterator[Finding]:
    """Progress and impact must both be chosen (impact may be Not yet rated)."""
    for key in ("progress", "impact"):
        if check.row.cells.get(key) is None:
            choices = "Blue, Green, Amber, Red" + (", Not yet rated" if key == "impact" else "")
            yield check.finding("rating-missing", key, value="", choices=choices)


def commentary_missing(check: RowCheck) -> Iterator[Finding]:
    """A Red or Amber rating needs progress commentary."""
    update = check.update
    worst = next((r for r in _CONCERN if r in (update.progress, update.impact)), None)
    if worst is not None and not update.progress_commentary:
        yield check.finding("commentary-missing", "progress_commentary", rating=worst.value)


def evidence_missing(check: RowCheck) -> Iterator[Finding]:
    """A Green or Blue rating should come with evidence of impact."""
    update = check.update
    best = next((r for r in reversed(_GOOD) if r in (update.progress, update.impact)), None)
    if best is not None and not update.evidence:
        yield check.finding("evidence-missing", "evidence", rating=best.value)


def impact_above_progress(check: RowCheck) -> Iterator[Finding]:
    progress, impact = check.update.progress, check.update.impact
    if progress and impact and impact.is_brag and impact.rank > progress.rank:
        yield check.finding(
            "impact-above-progress", "impact", progress=progress.value, impact=impact.value
        )


def low_confidence(check: RowCheck) -> Iterator[Finding]:
    if check.update.confidence and check.update.confidence in check.ctx.low_confidence:
        yield check.finding("low-confidence", "confidence")


def escalation(check: RowCheck) -> Iterator[Finding]:
    if check.update.escalation:
        yield check.finding("escalation", "escalation")
