"""Small plans, returns and check reports built in code, for the merge, history and build tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from packbuilder.model import (
    Action,
    ActionUpdate,
    Area,
    AreaCommentary,
    CellSource,
    CheckReport,
    EndDate,
    EndDateKind,
    FileStatus,
    Finding,
    Officer,
    Period,
    Plan,
    Rating,
    ReturnFile,
    ReturnKind,
    Severity,
    SubTheme,
)

R, A, G, B, N = Rating.RED, Rating.AMBER, Rating.GREEN, Rating.BLUE, Rating.NOT_YET_RATED

JULY = Period(2023, 7)
AUGUST = Period(2023, 8)


def action(
    action_id: str,
    officer: str,
    area: int = 1,
    end: dt.date | None = dt.date(2024, 3, 31),
    progress: Rating | None = Rating.AMBER,
    impact: Rating | None = Rating.NOT_YET_RATED,
    impact_text: str = "",
    text: str = "",
) -> Action:
    return Action(
        id=action_id,
        sub_theme=f"{area}a",
        area=area,
        text=text or f"Deliver the work of action {action_id}",
        end_date=EndDate(
            end.strftime("%d/%m/%Y") if end else "Ongoing",
            end,
            EndDateKind.DATE if end else EndDateKind.OPEN,
        ),
        reporting_officer=officer,
        kpi_codes=("APP01",),
        baseline_progress=progress,
        baseline_progress_text=progress.value if progress else "",
        baseline_impact=impact,
        baseline_impact_text=impact_text or (impact.value if impact else ""),
    )


def plan_of(*actions: Action) -> Plan:
    officers = sorted({a.reporting_officer for a in actions})
    areas = sorted({a.area for a in actions})
    return Plan(
        areas=tuple(Area(n, f"Area {n} title", f"lead-{n}") for n in areas),
        sub_themes=tuple(SubTheme(f"{n}a", n, f"Sub-theme {n}a") for n in areas),
        actions=tuple(actions),
        officers=tuple(
            Officer(o, o.replace("-", " ").title(), organisation="Council") for o in officers
        ),
    )


def update(
    action_id: str,
    row: int,
    progress: Rating | None,
    impact: Rating | None,
    file: str = "return.xlsx",
    commentary: str = "",
    row_rejected: str = "",
    rejected: dict[str, str] | None = None,
    **values: object,
) -> ActionUpdate:
    made = ActionUpdate(
        action_id=action_id,
        row=row,
        progress=progress,
        impact=impact,
        progress_commentary=commentary or f"{action_id} commentary",
        rejected=dict(rejected or {}),
        row_rejected=row_rejected,
    )
    for name, value in values.items():
        setattr(made, name, value)
    made.sources = {
        name: CellSource(file, "0" * 64, "Return", f"{letter}{row}")
        for name, letter in (("progress", "J"), ("impact", "K"), ("progress_commentary", "L"))
    }
    return made


def returned(
    officer: str,
    *updates: ActionUpdate,
    name: str = "",
    status: FileStatus = FileStatus.COUNTED,
    findings: list[Finding] | None = None,
    received: dt.datetime | None = None,
) -> ReturnFile:
    name = name or f"{officer}.xlsx"
    for made in updates:
        made.sources = {
            key: CellSource(name, "0" * 64, source.sheet, source.cell)
            for key, source in made.sources.items()
        }
    return ReturnFile(
        path=Path(name),
        sha256="0" * 64,
        size=1000,
        status=status,
        kind=ReturnKind.OFFICER,
        officer_id=officer,
        period="2023-07",
        received_at=received or dt.datetime(2023, 8, 3, 9, 30),
        received_source="file system",
        updates=list(updates),
        findings=findings or [],
    )


def area_return(area: int, progress: str) -> ReturnFile:
    return ReturnFile(
        path=Path(f"area-{area}.xlsx"),
        sha256="1" * 64,
        size=900,
        status=FileStatus.COUNTED,
        kind=ReturnKind.AREA_LEAD,
        area=area,
        area_commentary=AreaCommentary(area=area, progress=progress),
    )


def error_at(file: str, action_id: str, cell: str = "J5") -> Finding:
    return Finding(
        code="rating-invalid",
        severity=Severity.ERROR,
        message="Not a rating",
        file=file,
        sheet="Return",
        cell=cell,
        value="Purple",
        action_id=action_id,
    )


def check_of(period: Period, plan: Plan, *files: ReturnFile) -> CheckReport:
    findings = [f for file in files for f in file.findings]
    return CheckReport(
        period=period,
        files=list(files),
        expected_officers=[o.id for o in plan.reporting_officers()],
        expected_areas=[a.number for a in plan.areas],
        findings=findings,
    )
