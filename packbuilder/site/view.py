"""What each web page shows, worked out from plain values: pure functions, no I/O.

``SiteInput`` is everything the stage may read. ``public_page`` keeps to what the office has
made public (no officer names, commentary, risks, escalations or exceptions unless config's
[publish] public_fields names them); ``board_page`` shows the whole period.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from packbuilder.merge import carried_words
from packbuilder.model import (
    BRAG_ORDER,
    ActionStatus,
    Area,
    Direction,
    ExceptionItem,
    KpiRag,
    KpiStatus,
    Officer,
    Period,
    Plan,
    Rating,
    RiskStatus,
)
from packbuilder.site.charts import LineChart, StackedChart, line_chart, stacked_chart

# Progress ratings in the words a family uses.
PLAIN_PROGRESS = {
    Rating.BLUE: "Done and lasting",
    Rating.GREEN: "Done",
    Rating.AMBER: "On track",
    Rating.RED: "Delayed",
}


@dataclass(frozen=True)
class PublicWords:
    """The office's words for the families' page: narrative [public] of the period."""

    summary: str = ""
    areas: dict[int, str] = field(default_factory=dict)  # area number -> this month's words


@dataclass(frozen=True)
class SiteInput:
    """Everything the site stage reads, as plain values handed down by build or publish."""

    programme: str
    organisation: str
    period: Period
    previous_period: Period | None
    plan: Plan
    actions: tuple[ActionStatus, ...]
    exceptions: tuple[ExceptionItem, ...]
    kpis: tuple[KpiStatus, ...]
    risks: tuple[RiskStatus, ...]
    # Every recorded period up to and including this one: action ID -> (progress, impact).
    ratings_by_period: dict[Period, dict[str, tuple[Rating | None, Rating | None]]]
    # KPI code -> period -> value, for the recorded periods up to and including this one.
    kpi_series: dict[str, dict[Period, float | None]]
    words: PublicWords = PublicWords()
    changes: dict[str, str] = field(default_factory=dict)  # [publish] changes
    public_kpis: tuple[str, ...] = ()  # [publish] kpis
    public_fields: tuple[str, ...] = ()  # [publish] public_fields


# --------------------------------------------------------------------------- families' page


@dataclass(frozen=True)
class PublicAction:
    id: str
    text: str
    progress: str  # in plain words
    rating: str  # the BRAG word, for the badge's colour class
    officer: str = ""  # only when public_fields holds "officer"
    commentary: str = ""  # only when public_fields holds "commentary"


@dataclass(frozen=True)
class PublicKpi:
    code: str
    description: str
    value: str
    target: str
    status: str  # in words
    chart: LineChart
    rows: tuple[tuple[str, str], ...]  # (period label, value) for the table beside the chart


@dataclass(frozen=True)
class PublicArea:
    number: int
    title: str
    change: str  # what the plan says will change
    words: str  # the office's words this month, may be empty
    done: int
    on_track: int
    delayed: int
    not_rated: int
    counts_sentence: str
    changed: tuple[str, ...]  # what changed since the previous recorded period, in sentences
    actions: tuple[PublicAction, ...]
    kpis: tuple[PublicKpi, ...]


@dataclass(frozen=True)
class PublicPage:
    programme: str
    organisation: str
    period: Period
    previous_period: Period | None
    summary: tuple[str, ...]  # paragraphs
    overall: str  # the whole plan's counts in one sentence
    areas: tuple[PublicArea, ...]
    plan_kpis: tuple[PublicKpi, ...]  # published KPIs that belong to no area
    show_officer: bool
    show_commentary: bool


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _paragraphs(text: str) -> tuple[str, ...]:
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return tuple(block for block in blocks if block)


def counts_sentence(done: int, on_track: int, delayed: int, not_rated: int) -> str:
    """How an area's actions are going, in one sentence with the numbers."""
    total = done + on_track + delayed + not_rated
    parts = [f"{done} done", f"{on_track} on track", f"{delayed} delayed"]
    if not_rated:
        parts.append(f"{not_rated} not yet rated")
    listed = ", ".join(parts[:-1]) + f" and {parts[-1]}"
    return f"Of {_plural(total, 'action', 'actions')}, {listed}."


def _changed_sentences(
    statuses: list[ActionStatus],
    previous: Period | None,
    previous_ratings: dict[str, Rating | None],
) -> tuple[str, ...]:
    if previous is None:
        return ("This is the first report, so there is nothing earlier to compare with.",)
    better = worse = new = 0
    for status in statuses:
        if status.action.id not in previous_ratings:
            new += 1
            continue
        direction = status.progress_direction
        better += direction is Direction.IMPROVED
        worse += direction is Direction.WORSE
    sentences = []
    since = f"since {previous.label}"
    if better:
        sentences.append(f"{_plural(better, 'action has', 'actions have')} moved forward {since}.")
    if worse:
        sentences.append(f"{_plural(worse, 'action has', 'actions have')} slipped back {since}.")
    if new:
        sentences.append(f"{_plural(new, 'action was', 'actions were')} added to the plan.")
    if not sentences:
        sentences.append(f"No action has changed its progress rating {since}.")
    return tuple(sentences)


def _kpi_view(status: KpiStatus, series: dict[Period, float | None]) -> PublicKpi:
    unit = status.kpi.unit
    suffix = "%" if unit == "%" else ""

    def shown(value: float | None) -> str:
        return "not yet measured" if value is None else f"{value:g}{suffix}"

    target = status.target
    target_text = (
        shown(target.value) if target is not None and target.value is not None else "to be set"
    )
    if target is not None and target.value is not None:
        target_text += f" by {target.date.strftime('%B %Y')}"
    ordered = sorted(series.items())
    points = [(f"{p.label[:3]} {str(p.year)[2:]}", v) for p, v in ordered]
    status_words = {
        KpiRag.GREEN: "The target has been reached",
        KpiRag.AMBER: "The minimum standard is met, the target not yet",
        KpiRag.RED: "Still below the minimum standard",
        KpiRag.NOT_RATED: "Not rated yet",
    }[status.rag]
    return PublicKpi(
        code=status.kpi.code,
        description=status.kpi.description,
        value=shown(status.value),
        target=target_text,
        status=status_words,
        chart=line_chart(points, target.value if target else None, unit),
        rows=tuple((p.label, shown(value)) for p, value in ordered),
    )


def _counts(statuses: list[ActionStatus]) -> tuple[int, int, int, int]:
    done = sum(1 for s in statuses if s.progress is not None and s.progress.is_complete)
    on_track = sum(1 for s in statuses if s.progress is Rating.AMBER)
    delayed = sum(1 for s in statuses if s.progress is Rating.RED)
    return done, on_track, delayed, len(statuses) - done - on_track - delayed


def public_page(site: SiteInput) -> PublicPage:
    """The families' page: only what the office has made public."""
    show_officer = "officer" in site.public_fields
    show_commentary = "commentary" in site.public_fields
    officers = site.plan.officer_by_id()
    previous = site.ratings_by_period.get(site.previous_period) if site.previous_period else None
    previous_progress = {a: r[0] for a, r in (previous or {}).items()}
    published = {k.kpi.code: k for k in site.kpis if k.kpi.code in site.public_kpis}
    areas = []
    for area in site.plan.areas:
        statuses = [s for s in site.actions if s.action.area == area.number]
        done, on_track, delayed, not_rated = _counts(statuses)
        area_kpis = [k for code, k in published.items() if area.number in k.kpi.areas]
        areas.append(
            PublicArea(
                number=area.number,
                title=area.title,
                change=site.changes.get(str(area.number), ""),
                words=site.words.areas.get(area.number, ""),
                done=done,
                on_track=on_track,
                delayed=delayed,
                not_rated=not_rated,
                counts_sentence=counts_sentence(done, on_track, delayed, not_rated),
                changed=_changed_sentences(statuses, site.previous_period, previous_progress),
                actions=tuple(
                    PublicAction(
                        id=s.action.id,
                        text=s.action.text,
                        progress=PLAIN_PROGRESS.get(s.progress, "Not yet rated")
                        if s.progress
                        else "Not yet rated",
                        rating=s.progress.value if s.progress else "",
                        officer=_officer_name(officers, s.action.reporting_officer)
                        if show_officer
                        else "",
                        commentary=s.progress_commentary if show_commentary else "",
                    )
                    for s in statuses
                ),
                kpis=tuple(_kpi_view(k, site.kpi_series.get(k.kpi.code, {})) for k in area_kpis),
            )
        )
    plan_kpis = tuple(
        _kpi_view(k, site.kpi_series.get(code, {}))
        for code, k in published.items()
        if not k.kpi.areas
    )
    return PublicPage(
        programme=site.programme,
        organisation=site.organisation,
        period=site.period,
        previous_period=site.previous_period,
        summary=_paragraphs(site.words.summary),
        overall="Across the whole plan: " + counts_sentence(*_counts(list(site.actions))),
        areas=tuple(areas),
        plan_kpis=plan_kpis,
        show_officer=show_officer,
        show_commentary=show_commentary,
    )


def _officer_name(officers: dict[str, Officer], officer_id: str) -> str:
    officer = officers.get(officer_id)
    return officer.name if officer is not None else officer_id


# --------------------------------------------------------------------------- board dashboard


@dataclass(frozen=True)
class BoardAction:
    id: str
    area: int
    sub_theme: str
    text: str
    officer_id: str
    officer: str
    progress: str  # the rating's word, or ""
    impact: str
    previous_progress: str
    direction: str  # "▲ Improved"
    end_date: str  # the end date in force in words
    end_date_sort: str  # ISO date for sorting, "" for no date
    overdue: bool
    return_status: str
    exceptions: tuple[str, ...]  # the exception rules' one-line summaries
    commentary: str
    progress_carried: str = ""  # why the progress rating was carried forward, in words
    impact_carried: str = ""


@dataclass(frozen=True)
class BoardArea:
    area: Area
    chart: StackedChart
    trend: tuple[tuple[str, tuple[int, ...]], ...]  # (period label, counts in BRAG_ORDER + NYR)


@dataclass(frozen=True)
class BoardPage:
    programme: str
    period: Period
    previous_period: Period | None
    actions: tuple[BoardAction, ...]
    areas: tuple[BoardArea, ...]
    officers: tuple[tuple[str, str], ...]  # (id, name) of every reporting officer, for filters
    totals: tuple[tuple[str, int], ...]  # progress rating word -> count
    kpis: tuple[KpiStatus, ...]
    risks: tuple[RiskStatus, ...]
    exceptions_count: int
    rating_order: tuple[str, ...]


def _word(rating: Rating | None) -> str:
    return rating.value if rating is not None else ""


def board_page(site: SiteInput) -> BoardPage:
    """The board's dashboard: every action, every KPI and risk, per-area trends."""
    officers = site.plan.officer_by_id()
    flagged: dict[str, list[str]] = {}
    for item in sorted(site.exceptions, key=lambda e: (e.rule, e.subject)):
        if item.kind == "action":
            flagged.setdefault(item.subject, []).append(item.summary)
    actions = tuple(
        BoardAction(
            id=s.action.id,
            area=s.action.area,
            sub_theme=s.action.sub_theme,
            text=s.action.text,
            officer_id=s.action.reporting_officer,
            officer=_officer_name(officers, s.action.reporting_officer),
            progress=_word(s.progress),
            impact=_word(s.impact),
            previous_progress=_word(s.previous_progress),
            direction=f"{s.progress_direction.arrow} {s.progress_direction.value}",
            end_date=s.end_date_in_force_text,
            end_date_sort=s.end_date_in_force.isoformat() if s.end_date_in_force else "",
            overdue=s.is_overdue(site.period),
            return_status=s.return_status.value,
            exceptions=tuple(flagged.get(s.action.id, ())),
            commentary=carried_words(s, "progress_commentary", s.progress_commentary),
            progress_carried=s.carried.get("progress", ""),
            impact_carried=s.carried.get("impact", ""),
        )
        for s in site.actions
    )
    order = (*BRAG_ORDER, Rating.NOT_YET_RATED)
    chart_order = (Rating.RED, Rating.AMBER, Rating.GREEN, Rating.BLUE)  # bottom to top
    area_of = {s.action.id: s.action.area for s in site.actions}
    periods = sorted(p for p in site.ratings_by_period if p <= site.period)
    areas = []
    for area in site.plan.areas:
        trend = []
        columns = []
        for period in periods:
            counts = {r: 0 for r in order}
            for action_id, (progress, _) in site.ratings_by_period[period].items():
                if area_of.get(action_id) == area.number and progress is not None:
                    counts[progress] += 1
            label = f"{period.label[:3]} {period.year}"
            trend.append((label, tuple(counts[r] for r in order)))
            columns.append((label, [(r, counts[r]) for r in chart_order]))
        areas.append(BoardArea(area, stacked_chart(columns), tuple(trend)))
    reporting = sorted(
        {(s.action.reporting_officer, actions[i].officer) for i, s in enumerate(site.actions)},
        key=lambda pair: pair[1].casefold(),
    )
    kpi_order = {k.code: index for index, k in enumerate(site.plan.kpis)}
    totals = tuple(
        (r.value, sum(1 for s in site.actions if s.progress is r)) for r in order if r.is_brag
    )
    return BoardPage(
        programme=site.programme,
        period=site.period,
        previous_period=site.previous_period,
        actions=actions,
        areas=tuple(areas),
        officers=tuple(reporting),
        totals=totals,
        kpis=tuple(sorted(site.kpis, key=lambda k: kpi_order.get(k.kpi.code, len(kpi_order)))),
        risks=site.risks,
        exceptions_count=len({(e.kind, e.subject) for e in site.exceptions}),
        rating_order=tuple(r.value for r in BRAG_ORDER),
    )
