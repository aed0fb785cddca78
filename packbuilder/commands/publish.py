"""``packbuilder publish PERIOD`` and the site's share of ``build``: the values the web pages need.

The command layer beside build: it reads history (or takes the period build has just
merged) and hands the site stage (packbuilder.site) plain values. ``publish`` rewrites only
outputs/PERIOD/site/ from what history recorded for the period, as one set: the new pages are
written beside the folder, swapped in whole, and the manifest's entries for them updated.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packbuilder.commands.recovery import recover_interrupted_build
from packbuilder.config import Config
from packbuilder.errors import EnvironmentProblem, PeriodError
from packbuilder.history import History
from packbuilder.kpis.rag import kpi_direction
from packbuilder.lock import workspace_lock
from packbuilder.model import (
    Action,
    ActionStatus,
    Area,
    EndDate,
    EndDateKind,
    Kpi,
    KpiRag,
    KpiStatus,
    KpiTarget,
    Officer,
    Period,
    PeriodResult,
    Plan,
    Polarity,
    Rating,
    RiskStatus,
    SubTheme,
)
from packbuilder.output_set import MANIFEST, read_manifest, sha256_of, write_json
from packbuilder.reports.narrative import read_narrative
from packbuilder.site import SITE_FOLDER, PublicWords, SiteInput, write_site

if TYPE_CHECKING:
    from packbuilder.history import History


def public_words(config: Config, period: Period) -> PublicWords:
    """The [public] section of inputs/narrative/PERIOD.toml (empty where absent)."""

    path = config.narrative_path(period)
    narrative = read_narrative(path, path.relative_to(config.root).as_posix())
    return PublicWords(narrative.summary("public"), dict(narrative.public_areas))


def _site_input(
    config: Config,
    history: History,
    period: Period,
    previous: Period | None,
    plan: Plan,
    current: tuple[list[ActionStatus], list[Any], list[KpiStatus], list[RiskStatus]],
) -> SiteInput:
    actions, exceptions, kpis, risks = current
    ratings = {p: history.ratings(p) for p in history.recorded_periods() if p < period}
    ratings[period] = {s.action.id: (s.progress, s.impact) for s in actions}
    series: dict[str, dict[Period, float | None]] = {}
    for code, values in history.kpi_series().items():
        series[code] = {p: v.value for p, v in values.items() if p < period}
    for k in kpis:
        series.setdefault(k.kpi.code, {})[period] = k.value
    publish = config.settings.publish
    programme = config.settings.programme
    return SiteInput(
        programme=programme.name,
        organisation=programme.organisation,
        period=period,
        previous_period=previous,
        plan=plan,
        actions=tuple(actions),
        exceptions=tuple(exceptions),
        kpis=tuple(kpis),
        risks=tuple(risks),
        ratings_by_period=ratings,
        kpi_series=series,
        words=public_words(config, period),
        changes=dict(publish.changes),
        public_kpis=tuple(publish.kpis),
        public_fields=tuple(publish.public_fields),
    )


def site_input_for_build(config: Config, result: PeriodResult, history: History) -> SiteInput:
    """The site's values for the period build has just merged (not yet in history)."""
    return _site_input(
        config,
        history,
        result.period,
        result.previous_period,
        result.plan,
        (result.actions, result.exceptions, result.kpis, result.risks),
    )


# --------------------------------------------------------------------------- from history


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def plan_from_snapshot(snapshot: dict[str, Any]) -> Plan:
    """The plan as history recorded it for a period (the parts the web pages show)."""

    def rating(text: str | None) -> Rating | None:
        return Rating(text) if text else None

    actions = tuple(
        Action(
            **{
                **a,
                "end_date": EndDate(
                    a["end_date"]["text"],
                    _date(a["end_date"]["date"]),
                    EndDateKind(a["end_date"]["kind"]),
                ),
                "other_officers": tuple(a["other_officers"]),
                "kpi_codes": tuple(a["kpi_codes"]),
                "baseline_progress": rating(a["baseline_progress"]),
                "baseline_impact": rating(a["baseline_impact"]),
            }
        )
        for a in snapshot["actions"]
    )
    kpis = tuple(
        Kpi(
            **{
                **k,
                "areas": tuple(k["areas"]),
                "polarity": Polarity(k["polarity"]),
                "baseline_date": _date(k["baseline_date"]),
                "targets": tuple(
                    KpiTarget(dt.date.fromisoformat(t["date"]), t["value"], t["text"])
                    for t in k["targets"]
                ),
            }
        )
        for k in snapshot["kpis"]
    )
    return Plan(
        areas=tuple(Area(**a) for a in snapshot["areas"]),
        sub_themes=tuple(SubTheme(**s) for s in snapshot["sub_themes"]),
        actions=actions,
        officers=tuple(
            Officer(**{**o, "aliases": tuple(o["aliases"])}) for o in snapshot["officers"]
        ),
        kpis=kpis,
    )


def site_input_from_history(config: Config, history: History, period: Period) -> SiteInput:
    """The site's values for PERIOD exactly as history recorded them."""
    snapshot = history.plan_snapshot(period)
    if snapshot is None:
        recorded = ", ".join(str(p) for p in history.recorded_periods()) or "none"
        raise PeriodError(
            f"{period.label} is not recorded in history (recorded: {recorded}), so there is "
            "nothing to publish",
            hint=f"Run 'packbuilder build {period}' first: it writes the site too.",
        )
    plan = plan_from_snapshot(snapshot[1])
    previous = history.latest_before(period)
    actions = _recorded_actions(history, period, previous, plan)
    kpis = _recorded_kpis(history, period, previous, plan)
    risks = [RiskStatus(risk, change) for risk, change in history.recorded_risks(period)]
    return _site_input(
        config,
        history,
        period,
        previous,
        plan,
        (actions, history.exceptions(period), kpis, risks),
    )


def _recorded_actions(
    history: History, period: Period, previous: Period | None, plan: Plan
) -> list[ActionStatus]:
    """Each of the plan's actions as recorded for PERIOD, with PREVIOUS's ratings beside."""
    before = history.ratings(previous) if previous else {}
    carried = history.carried(period)
    by_id = plan.action_by_id()
    actions = []
    for action_id, row in history.recorded_actions(period).items():
        if action_id not in by_id:
            continue
        last = before.get(action_id)
        actions.append(
            ActionStatus(
                action=by_id[action_id],
                progress=row.progress,
                impact=row.impact,
                previous_progress=last[0] if last else None,
                previous_impact=last[1] if last else None,
                return_status=row.return_status,
                progress_commentary=row.progress_commentary,
                evidence=row.evidence,
                revised_end_date=row.revised_end_date,
                revised_reason=row.revised_reason,
                confidence=row.confidence,
                risks=row.risks,
                escalation=row.escalation,
                next_milestone=row.next_milestone,
                next_milestone_date=row.next_milestone_date,
                sources=row.sources,
                carried=carried.get(action_id, {}),
                end_date_agreed_in=row.end_date_agreed_in,
            )
        )
    return actions


def _recorded_kpis(
    history: History, period: Period, previous: Period | None, plan: Plan
) -> list[KpiStatus]:
    """Each of the plan's KPIs as recorded for PERIOD, its direction from PREVIOUS's value."""
    kpis_by_code = {k.code: k for k in plan.kpis}
    series = history.kpi_series()
    kpis = []
    for kpi_row in history.recorded_kpis(period):
        kpi = kpis_by_code.get(kpi_row["code"])
        if kpi is None:
            continue
        earlier = [v for p, v in series.get(kpi.code, {}).items() if previous and p <= previous]
        previous_value = earlier[-1].value if earlier else None
        target = next(
            (t for t in kpi.targets if t.text == kpi_row["target_text"]),
            KpiTarget(period.last_day, kpi_row["target"], kpi_row["target_text"])
            if kpi_row["target_text"]
            else None,
        )
        kpis.append(
            KpiStatus(
                kpi=kpi,
                value=kpi_row["value"],
                value_text=kpi_row["value_text"],
                as_at=_date(kpi_row["as_at"]),
                carried_forward=bool(kpi_row["carried_forward"]),
                target=target,
                rag=KpiRag(kpi_row["rag"]),
                rag_reason=kpi_row["rag_reason"],
                previous_value=previous_value,
                direction=kpi_direction(kpi, previous_value, kpi_row["value"]),
                note=kpi_row["note"],
            )
        )
    return kpis


# --------------------------------------------------------------------------- the command


@dataclasses.dataclass(frozen=True)
class Published:
    period: Period
    pages: list[Path]
    manifest: Path | None  # None when outputs/PERIOD/ had no manifest to update


def publish_period(config: Config, period: Period) -> Published:
    """Rewrite outputs/PERIOD/site/ from history, as one set, and its manifest entries."""
    from filelock import Timeout

    lock = workspace_lock(config)
    try:
        lock.acquire()
    except Timeout:
        raise EnvironmentProblem(
            "Another packbuilder build is running in this workspace",
            hint="Wait for it to finish, then run the command again.",
        ) from None
    try:
        # A build stopped part way is finished or undone first, so the site joins a whole set.
        recover_interrupted_build(config, period)
        with History.open(config) as history:
            site = site_input_from_history(config, history, period)
        target = config.outputs_dir(period)
        staging = config.path(config.settings.paths.outputs) / f".staging-{period}-site"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        try:
            write_site(staging, site)
            target.mkdir(parents=True, exist_ok=True)
            aside = staging / "previous"
            current = target / SITE_FOLDER
            if current.exists():
                os.replace(current, aside)
            try:
                os.replace(staging / SITE_FOLDER, current)
            except OSError:
                if aside.exists():
                    os.replace(aside, current)
                raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        pages = sorted(p for p in current.rglob("*") if p.is_file())
        manifest = read_manifest(target)
        if manifest is not None:
            prefix = f"{SITE_FOLDER}/"
            kept = [o for o in manifest.get("outputs", []) if not o["path"].startswith(prefix)]
            entries = [
                {
                    "path": p.relative_to(target).as_posix(),
                    "sha256": sha256_of(p),
                    "size": p.stat().st_size,
                }
                for p in pages
            ]
            manifest["outputs"] = sorted([*kept, *entries], key=lambda o: str(o["path"]))
            write_json(target / MANIFEST, manifest)
        return Published(period, pages, target / MANIFEST if manifest is not None else None)
    finally:
        lock.release()
