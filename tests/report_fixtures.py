"""A small programme and one merged period, built in code, for the report tests.

Three areas of weakness, seven actions, four officers, two KPIs, three risks: enough to see
every part of both reports. ``exceptions_by_rules`` applies the exception rules independently
of packbuilder so a test can compare the exception report's rows with them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from packbuilder.config import Config, default_config_text, load_config
from packbuilder.model import (
    Action,
    ActionStatus,
    Area,
    AreaCommentary,
    CheckReport,
    Direction,
    EndDate,
    EndDateKind,
    ExceptionItem,
    FileStatus,
    Finding,
    Kpi,
    KpiRag,
    KpiStatus,
    KpiTarget,
    Officer,
    Period,
    PeriodResult,
    Plan,
    Rating,
    ReturnFile,
    ReturnKind,
    ReturnStatus,
    Risk,
    RiskStatus,
    Severity,
    SubTheme,
    direction_of,
)

JULY, AUGUST = Period(2023, 7), Period(2023, 8)
R, A, G, B, N = Rating.RED, Rating.AMBER, Rating.GREEN, Rating.BLUE, Rating.NOT_YET_RATED


def make_config(root: Path, dfe_months: tuple[str, ...] = ()) -> Config:
    """A workspace with packbuilder's default config.toml, optionally naming the DfE months."""
    text = default_config_text()
    if dfe_months:
        listed = ", ".join(f'"{m}"' for m in dfe_months)
        text = text.replace("months = []", f"months = [{listed}]")
    root.mkdir(parents=True, exist_ok=True)
    (root / "config.toml").write_text(text, "utf-8")
    return load_config(root)


@dataclass
class FakeHistory:
    """A HistoryView over a dict: period -> action ID -> (progress, impact)."""

    recorded: dict[Period, dict[str, tuple[Rating | None, Rating | None]]] = field(
        default_factory=dict
    )

    def recorded_periods(self) -> list[Period]:
        return sorted(self.recorded)

    def ratings(self, period: Period) -> dict[str, tuple[Rating | None, Rating | None]]:
        return dict(self.recorded.get(period, {}))


def _date(text: str) -> EndDate:
    day = dt.date.fromisoformat(text)
    return EndDate(day.strftime("%d/%m/%Y"), day, EndDateKind.DATE)


def make_plan() -> Plan:
    areas = (
        Area(1, "Parents' confidence that needs will be met", "lead-one"),
        Area(2, "Inclusion in schools", "lead-two"),
        Area(3, "Parents and carers shaping services", "Area 3 lead"),
    )
    sub_themes = (
        SubTheme("1a", 1, "Communication"),
        SubTheme("2a", 2, "Inclusion"),
        SubTheme("3a", 3, "Co-production"),
    )
    officers = (
        Officer("lead-one", "Assistant Director, Education", "Council"),
        Officer("lead-two", "Head of Inclusion", "Council"),
        Officer("nhs-lead", "Designated Clinical Officer", "NHS"),
        Officer("forum", "Parent Carer Forum Chair", "Parent forum"),
    )
    actions = (
        Action(
            "1A1",
            "1a",
            1,
            "Publish a communication plan for families. It covers all partners.",
            _date("2023-06-30"),
            "lead-one",
            kpi_codes=("APP01",),
        ),
        Action(
            "1A2",
            "1a",
            1,
            "Run termly listening events with parents and carers across "
            "every district so that their experience shapes the services we commission",
            _date("2023-12-31"),
            "nhs-lead",
        ),
        Action("1A3", "1a", 1, "Set up a parent reference group.", _date("2024-03-31"), "forum"),
        Action(
            "2A1",
            "2a",
            2,
            "Train every SENCO in the new inclusion framework.",
            _date("2023-07-31"),
            "lead-two",
            kpi_codes=("APP02",),
        ),
        Action(
            "2A2",
            "2a",
            2,
            "Reduce part-time timetables for pupils with SEND.",
            _date("2023-09-30"),
            "lead-two",
        ),
        Action(
            "3A1",
            "3a",
            3,
            "Co-produce the local offer with parents.",
            EndDate("Ongoing", None, EndDateKind.OPEN),
            "forum",
        ),
        Action("3A2", "3a", 3, "Recruit young ambassadors.", _date("2023-05-31"), "nhs-lead"),
    )
    kpis = (
        Kpi(
            "APP01",
            "Parents who say they feel listened to",
            areas=(1, 3),
            unit="%",
            high_impact=True,
            standard=50.0,
            targets=(KpiTarget(dt.date(2023, 12, 31), 60.0, "60%"),),
        ),
        Kpi(
            "APP02",
            "SENCOs trained in the inclusion framework",
            areas=(2,),
            unit="number",
            high_impact=False,
        ),
    )
    risks = (
        Risk(
            "R01",
            "May 2023",
            "Capacity of the casework team",
            "High",
            "Recruitment",
            severity_after="Medium",
            owner="Director",
        ),
        Risk(
            "R02",
            "May 2023",
            "Schools do not engage",
            "High",
            "Head teacher forums",
            severity_after="High",
            owner="Head of Inclusion",
            progress="Forums booked",
        ),
        Risk(
            "R03",
            "June 2023",
            "Data quality",
            "Medium",
            "Data task group",
            severity_after="Low",
            owner="Data lead",
        ),
    )
    return Plan(areas, sub_themes, actions, officers, kpis, risks)


# (progress, impact, previous progress, previous impact, commentary, return status)
RATINGS: dict[str, tuple[Rating, Rating, Rating | None, Rating | None, str, ReturnStatus]] = {
    "1A1": (B, G, G, G, "Plan published and embedded.", ReturnStatus.UPDATED),
    "1A2": (A, N, A, N, "Events booked for the autumn term.", ReturnStatus.UPDATED),
    "1A3": (G, A, A, A, "Group met twice.", ReturnStatus.UPDATED),
    "2A1": (R, R, A, A, "Training delayed: trainer unavailable.", ReturnStatus.UPDATED),
    "2A2": (A, A, A, A, "", ReturnStatus.NO_RETURN),
    "3A1": (A, A, A, A, "Local offer pages drafted with parents.", ReturnStatus.UPDATED),
    "3A2": (R, A, R, A, "Recruitment paused over the summer.", ReturnStatus.UPDATED),
}


def make_result(
    period: Period = AUGUST,
    previous: Period | None = JULY,
    commentary_1a1: str | None = None,
) -> PeriodResult:
    plan = make_plan()
    by_id = plan.action_by_id()
    statuses = []
    for action_id, (progress, impact, prev_p, prev_i, words, status) in RATINGS.items():
        text = commentary_1a1 if action_id == "1A1" and commentary_1a1 is not None else words
        statuses.append(
            ActionStatus(
                action=by_id[action_id],
                progress=progress,
                impact=impact,
                previous_progress=prev_p if previous else None,
                previous_impact=prev_i if previous else None,
                return_status=status,
                progress_commentary=text,
            )
        )
    files = [
        ReturnFile(
            Path(f"Return {o}.xlsx"),
            "0" * 64,
            1000,
            FileStatus.COUNTED,
            kind=ReturnKind.OFFICER,
            officer_id=o,
            period=str(period),
            received_at=dt.datetime(2023, 9, 5, 10, 0),
        )
        for o in ("lead-one", "nhs-lead", "forum")
    ]
    files.append(
        ReturnFile(
            Path("Area 1 commentary.xlsx"),
            "1" * 64,
            900,
            FileStatus.COUNTED,
            kind=ReturnKind.AREA_LEAD,
            area=1,
            period=str(period),
        )
    )
    files.append(
        ReturnFile(
            Path("Return lead-two (old).xlsx"),
            "2" * 64,
            800,
            FileStatus.REJECTED,
            kind=ReturnKind.OFFICER,
            officer_id="lead-two",
            period="2023-06",
            findings=[Finding("wrong-period", Severity.ERROR, "This is the return for June 2023.")],
        )
    )
    check = CheckReport(period, files, ["lead-one", "lead-two", "nhs-lead", "forum"], [1, 2, 3], [])
    kpis = [
        KpiStatus(
            plan.kpis[0],
            41.0,
            "41%",
            dt.date(2023, 8, 31),
            False,
            plan.kpis[0].targets[0],
            KpiRag.RED,
            "41% against a standard of 50%",
            45.0,
            direction_of(None, None),
        ),
        KpiStatus(
            plan.kpis[1],
            120.0,
            "120",
            dt.date(2023, 8, 31),
            False,
            None,
            KpiRag.NOT_RATED,
            "No target set",
            None,
            direction_of(None, None),
        ),
    ]
    risks = [RiskStatus(r, "No change") for r in plan.risks]
    result = PeriodResult(
        period=period,
        plan=plan,
        actions=statuses,
        area_commentary={
            1: AreaCommentary(
                1, progress="Good progress on communication.", concerns="Capacity in the autumn."
            ),
        },
        check=check,
        exceptions=[],
        previous_period=previous,
        kpis=kpis,
        risks=risks,
    )
    result.exceptions = exceptions_by_rules(result)
    return result


def exceptions_by_rules(result: PeriodResult) -> list[ExceptionItem]:
    """The exception rules, applied here independently: red progress or impact, overdue,
    worse than last period, missing return, red KPI, high risk after mitigation."""
    items = []
    for status in result.actions:
        action = status.action

        def item(rule: str, summary: str, action: Action = action) -> ExceptionItem:
            return ExceptionItem(
                rule,
                action.id,
                "action",
                action.area,
                action.reporting_officer,
                summary,
                periods_in_exception=3 if action.id == "3A2" else 1,
            )

        if status.progress is R:
            items.append(item("red-progress", "Progress rated Red"))
        if status.impact is R:
            items.append(item("red-impact", "Impact rated Red"))
        if status.is_overdue(result.period):
            items.append(item("overdue", "Past its end date"))
        if got_worse(status):
            items.append(item("worse", "Worse than last period"))
    for officer_id in result.check.missing_officers():
        items.append(
            ExceptionItem(
                "missing-return", officer_id, "return", None, officer_id, "No return received"
            )
        )
    for kpi in result.kpis:
        if kpi.rag is KpiRag.RED:
            items.append(
                ExceptionItem(
                    "red-kpi",
                    kpi.kpi.code,
                    "kpi",
                    kpi.kpi.areas[0],
                    "lead-one",
                    "KPI rated Red",
                    periods_in_exception=2,
                )
            )
    for risk in result.risks:
        if risk.risk.severity_after == "High":
            items.append(
                ExceptionItem(
                    "high-risk",
                    risk.risk.id,
                    "risk",
                    None,
                    risk.risk.owner,
                    "High risk after mitigation",
                )
            )
    return items


def got_worse(status: ActionStatus) -> bool:
    return Direction.WORSE in (status.progress_direction, status.impact_direction)
