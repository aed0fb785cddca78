"""Rules comparing a reporting row with the action's last recorded values.

The last values come from history, else the plan's baseline; the programme's first period
has none (it is the first report), so these rules say nothing then.
"""

from __future__ import annotations

from collections.abc import Iterator

from packbuilder.checks.rows import RowCheck
from packbuilder.model import Finding, LastValues
from packbuilder.returns.layout import normalise_text


def _last(check: RowCheck) -> LastValues | None:
    if check.ctx.first_report:
        return None
    return check.ctx.last_values.get(check.facts.id)


def rating_worse(check: RowCheck) -> Iterator[Finding]:
    last = _last(check)
    if last is None:
        return
    for key, before in (("progress", last.progress), ("impact", last.impact)):
        now = getattr(check.update, key)
        if before and now and before.is_brag and now.is_brag and now.rank < before.rank:
            yield check.finding("rating-worse", key, rating=now.value, previous=before.value)


def commentary_copied(check: RowCheck) -> Iterator[Finding]:
    last = _last(check)
    if last is None or not last.commentary.strip():
        return
    now = check.update.progress_commentary
    if now and normalise_text(now) == normalise_text(last.commentary):
        yield check.finding("commentary-copied", "progress_commentary", value=now[:80])
