"""``packbuilder review FROM TO``: read the recorded months from history, write the review.

The command layer of the review: it opens history, reads every recorded month from FROM to
TO and the plan as recorded for TO, and passes them down as plain values to
packbuilder.review, which never opens the database. No return is read again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from packbuilder.config import Config
from packbuilder.errors import PeriodError
from packbuilder.history import History
from packbuilder.model import (
    Action,
    Area,
    EndDate,
    EndDateKind,
    Kpi,
    KpiTarget,
    Officer,
    Period,
    Plan,
    Polarity,
    Rating,
    Risk,
    SubTheme,
)
from packbuilder.review import RecordedMonth, ReviewOutputs, ReviewSpan, write_review


def make_review(config: Config, first: Period, last: Period) -> ReviewOutputs:
    """Write outputs/review-FIRST-LAST/ from the months history recorded in that span."""
    return write_review(config, read_span(config, first, last))


def read_span(config: Config, first: Period, last: Period) -> ReviewSpan:
    """The recorded months from FIRST to LAST, refused unless both ends are recorded."""
    if last < first:
        raise PeriodError(
            f"The review runs from {first} to {last}, which ends before it starts",
            hint=f"Give the earlier month first: packbuilder review {last} {first}",
        )
    with History.open(config) as history:
        recorded = history.recorded_periods()
        for end in (first, last):
            if end not in recorded:
                shown = ", ".join(str(p) for p in recorded) or "none yet"
                raise PeriodError(
                    f"{end.label} is not recorded in history, so the review cannot start or "
                    f"end there (recorded: {shown})",
                    hint=f"Build it first (packbuilder build {end}), or choose recorded months.",
                )
        snapshot = history.plan_snapshot(last)
        assert snapshot is not None  # every recorded period has its plan
        months = tuple(
            RecordedMonth(
                period=period,
                actions=history.recorded_actions(period),
                area_commentary=history.area_commentary(period),
                kpi_values=history.kpi_values(period),
                risks=tuple(history.risks(period) or ()),
                exceptions=tuple(history.exceptions(period)),
                carried=history.carried(period),
            )
            for period in recorded
            if first <= period <= last
        )
    return ReviewSpan(plan=plan_from_snapshot(snapshot[1]), months=months)


def plan_from_snapshot(snapshot: dict[str, Any]) -> Plan:
    """The plan as history stored it (history.plan_snapshot), as the domain model again."""

    def day(text: object) -> dt.date | None:
        return dt.date.fromisoformat(str(text)) if text else None

    def rating(text: object) -> Rating | None:
        return Rating(str(text)) if text else None

    def end_date(data: dict[str, Any]) -> EndDate:
        return EndDate(data.get("text", ""), day(data.get("date")), EndDateKind(data["kind"]))

    return Plan(
        areas=tuple(Area(a["number"], a["title"], a["lead"]) for a in snapshot["areas"]),
        sub_themes=tuple(
            SubTheme(s["code"], s["area"], s["title"]) for s in snapshot["sub_themes"]
        ),
        actions=tuple(
            Action(
                id=a["id"],
                sub_theme=a["sub_theme"],
                area=a["area"],
                text=a["text"],
                end_date=end_date(a["end_date"]),
                reporting_officer=a["reporting_officer"],
                other_officers=tuple(a.get("other_officers", ())),
                officer_text=a.get("officer_text", ""),
                kpi_codes=tuple(a.get("kpi_codes", ())),
                baseline_progress=rating(a.get("baseline_progress")),
                baseline_impact=rating(a.get("baseline_impact")),
            )
            for a in snapshot["actions"]
        ),
        officers=tuple(
            Officer(o["id"], o["name"], o.get("organisation", "")) for o in snapshot["officers"]
        ),
        kpis=tuple(
            Kpi(
                code=k["code"],
                description=k["description"],
                areas=tuple(k.get("areas", ())),
                unit=k.get("unit", ""),
                polarity=Polarity(k.get("polarity", Polarity.HIGHER.value)),
                baseline=k.get("baseline"),
                baseline_text=k.get("baseline_text", ""),
                standard=k.get("standard"),
                targets=tuple(
                    KpiTarget(day(t["date"]) or dt.date.min, t.get("value"), t.get("text", ""))
                    for t in k.get("targets", ())
                ),
            )
            for k in snapshot.get("kpis", ())
        ),
        risks=tuple(
            Risk(
                id=r["id"],
                date_text=r.get("date_text", ""),
                risk=r.get("risk", ""),
                severity=r.get("severity", ""),
            )
            for r in snapshot.get("risks", ())
        ),
    )
