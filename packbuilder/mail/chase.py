"""``returns chase PERIOD``: reminders for missing returns, feedback for returns with errors.

The command runs ``check`` itself first (never trusting outputs that may be stale) and passes
its report here with the feedback workbooks it just wrote. Each officer whose newest return
has errors gets their feedback workbook and the list of what to fix; each officer (and area
lead) with no return gets a reminder with their return attached again; an officer whose
newest return is valid gets nothing. Drafts go to outputs/PERIOD/emails/chase/; ``--smtp``
sends them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from packbuilder.errors import WorkspaceError
from packbuilder.mail.compose import (
    TEMPLATE_FEEDBACK,
    TEMPLATE_REMINDER,
    Attachment,
    Letter,
    Template,
)
from packbuilder.mail.letters import Envelope, Office, feedback_letter, reminder_letter
from packbuilder.mail.send import (
    Mailing,
    SendListRow,
    deliver,
    envelope,
    load_template,
    office,
    read_send_list,
    reported_actions,
)
from packbuilder.model import CheckReport, FileStatus, Officer, Period, Plan, ReturnKind

if TYPE_CHECKING:
    from pathlib import Path

    from packbuilder.config import Config

CHASE_FOLDER = "chase"


@dataclass(frozen=True)
class _Chase:
    """What every letter of one period's chase shares."""

    period: Period
    plan: Plan
    officers: dict[str, Officer]
    deadline: dt.date
    office: Office
    envelope: Envelope

    def officer(self, officer_id: str) -> Officer:
        return self.officers.get(officer_id) or Officer(id=officer_id, name=officer_id)


def chase_returns(
    config: Config,
    plan: Plan,
    report: CheckReport,
    feedback: Sequence[Path],
    *,
    smtp: bool = False,
    resend: Sequence[str] = (),
) -> Mailing:
    """Reminders and feedback for REPORT's period, FEEDBACK being check's feedback workbooks."""
    period = report.period
    rows = read_send_list(config, period)
    reminder = load_template(config, TEMPLATE_REMINDER)
    correct = load_template(config, TEMPLATE_FEEDBACK)
    chase = _Chase(
        period=period,
        plan=plan,
        officers=plan.officer_by_id(),
        deadline=config.deadline(period),
        office=office(config),
        envelope=envelope(config),
    )
    drafts = [
        *_officer_reminders(chase, report, rows, reminder),
        *_area_reminders(chase, report, rows, reminder),
        *_feedback_letters(chase, report, feedback, correct),
    ]
    letters = [letter for letter, _ in drafts]
    stems = [stem for _, stem in drafts]
    return deliver(config, period, CHASE_FOLDER, letters, stems, smtp=smtp, resend=resend)


def _officer_reminders(
    chase: _Chase, report: CheckReport, rows: Sequence[SendListRow], template: Template
) -> list[tuple[Letter, str]]:
    """A reminder (and its draft's file stem) to each officer with no usable return."""
    period = chase.period
    returns_made = {row.officer_id: row.file for row in rows if row.area is None}
    # A file that came but cannot be used at all (another period's, say) leaves its officer
    # missing: the reminder says which file and why.
    rejected = {
        file.officer_id: (file.name, file.errors)
        for file in report.files
        if file.status is FileStatus.REJECTED and file.kind is ReturnKind.OFFICER
    }
    drafts = []
    for officer_id in report.missing_officers():
        officer = chase.officer(officer_id)
        made = returns_made.get(officer_id)
        if made is None:
            raise WorkspaceError(
                f"No return was made for {officer.name} for {period.label}, so there is "
                "nothing to attach to the reminder",
                hint=f"Make the returns again with: packbuilder returns make {period}",
            )
        letter = reminder_letter(
            officer,
            rejected=rejected.get(officer_id),
            actions=reported_actions(chase.plan, officer_id),
            template=template,
            attachment=Attachment(made.name, made.read_bytes()),
            period=period,
            deadline=chase.deadline,
            office=chase.office,
            envelope=chase.envelope,
        )
        drafts.append((letter, f"{period} Reminder - {officer.name}"))
    return drafts


def _area_reminders(
    chase: _Chase, report: CheckReport, rows: Sequence[SendListRow], template: Template
) -> list[tuple[Letter, str]]:
    """A reminder to the lead of each area whose commentary return has not come."""
    period = chase.period
    area_returns_made = {row.area: row for row in rows if row.area is not None}
    areas = {area.number: area for area in chase.plan.areas}
    drafts = []
    for number in report.missing_areas():
        row = area_returns_made.get(number)
        if row is None or number not in areas:
            raise WorkspaceError(
                f"No area commentary return was made for area {number} for {period.label}, "
                "so there is nothing to attach to the reminder",
                hint=f"Make the returns again with: packbuilder returns make {period}",
            )
        lead = chase.officer(row.officer_id)
        letter = reminder_letter(
            lead,
            areas[number],
            actions=chase.plan.actions_in_area(number),
            template=template,
            attachment=Attachment(row.file.name, row.file.read_bytes()),
            period=period,
            deadline=chase.deadline,
            office=chase.office,
            envelope=chase.envelope,
        )
        drafts.append((letter, f"{period} Area {number} reminder - {lead.name}"))
    return drafts


def _feedback_letters(
    chase: _Chase, report: CheckReport, feedback: Sequence[Path], template: Template
) -> list[tuple[Letter, str]]:
    """Feedback, with the workbook check wrote, to each officer whose counted return has errors."""
    by_name = {path.name: path for path in feedback}
    drafts = []
    for file in report.files:
        if not (
            file.status is FileStatus.COUNTED and file.kind is ReturnKind.OFFICER and file.errors
        ):
            continue
        officer = chase.officer(file.officer_id)
        workbook = by_name.get(file.name)
        if workbook is None:
            continue  # check could not write it; check's own output says why
        letter = feedback_letter(
            officer,
            file.errors,
            file.sha256,
            actions=reported_actions(chase.plan, officer.id),
            template=template,
            attachment=Attachment(workbook.name, workbook.read_bytes()),
            period=chase.period,
            deadline=chase.deadline,
            office=chase.office,
            envelope=chase.envelope,
        )
        drafts.append((letter, f"{chase.period} Feedback - {officer.name}"))
    return drafts
