"""``returns chase PERIOD``: reminders for missing returns, feedback for returns with errors.

The command runs ``check`` itself first (never trusting outputs that may be stale) and passes
its report here with the feedback workbooks it just wrote. Each officer whose newest return
has errors gets their feedback workbook and the list of what to fix; each officer (and area
lead) with no return gets a reminder with their return attached again; an officer whose
newest return is valid gets nothing. Drafts go to outputs/PERIOD/emails/chase/; ``--smtp``
sends them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from packbuilder.errors import WorkspaceError
from packbuilder.mail.compose import TEMPLATE_FEEDBACK, TEMPLATE_REMINDER, Attachment, Letter
from packbuilder.mail.letters import feedback_letter, reminder_letter
from packbuilder.mail.send import (
    Mailing,
    deliver,
    envelope,
    load_template,
    office,
    read_send_list,
    reported_actions,
)
from packbuilder.model import CheckReport, FileStatus, Officer, ReturnKind
from packbuilder.returns.writing import required_plan

if TYPE_CHECKING:
    from pathlib import Path

    from packbuilder.config import Config

CHASE_FOLDER = "chase"


def chase_returns(
    config: Config,
    report: CheckReport,
    feedback: Sequence[Path],
    *,
    smtp: bool = False,
    resend: Sequence[str] = (),
) -> Mailing:
    """Reminders and feedback for REPORT's period, FEEDBACK being check's feedback workbooks."""
    period = report.period
    plan = required_plan(config, "no emails were written")
    officers = plan.officer_by_id()
    rows = read_send_list(config, period)
    returns_made = {row.officer_id: row.file for row in rows if row.area is None}
    area_returns_made = {row.area: row for row in rows if row.area is not None}
    areas = {area.number: area for area in plan.areas}
    by_name = {path.name: path for path in feedback}
    reminder = load_template(config, TEMPLATE_REMINDER)
    correct = load_template(config, TEMPLATE_FEEDBACK)
    letters: list[Letter] = []
    stems: list[str] = []
    deadline, the_office, the_envelope = config.deadline(period), office(config), envelope(config)
    # A file that came but cannot be used at all (another period's, say) leaves its officer
    # missing: the reminder says which file and why.
    rejected = {
        file.officer_id: (file.name, file.errors)
        for file in report.files
        if file.status is FileStatus.REJECTED and file.kind is ReturnKind.OFFICER
    }
    for officer_id in report.missing_officers():
        officer = officers.get(officer_id) or Officer(id=officer_id, name=officer_id)
        made = returns_made.get(officer_id)
        if made is None:
            raise WorkspaceError(
                f"No return was made for {officer.name} for {period.label}, so there is "
                "nothing to attach to the reminder",
                hint=f"Make the returns again with: packbuilder returns make {period}",
            )
        letters.append(
            reminder_letter(
                officer,
                rejected=rejected.get(officer_id),
                actions=reported_actions(plan, officer_id),
                template=reminder,
                attachment=Attachment(made.name, made.read_bytes()),
                period=period,
                deadline=deadline,
                office=the_office,
                envelope=the_envelope,
            )
        )
        stems.append(f"{period} Reminder - {officer.name}")
    for number in report.missing_areas():
        row = area_returns_made.get(number)
        if row is None or number not in areas:
            raise WorkspaceError(
                f"No area commentary return was made for area {number} for {period.label}, "
                "so there is nothing to attach to the reminder",
                hint=f"Make the returns again with: packbuilder returns make {period}",
            )
        lead = officers.get(row.officer_id) or Officer(id=row.officer_id, name=row.officer_id)
        letters.append(
            reminder_letter(
                lead,
                areas[number],
                actions=plan.actions_in_area(number),
                template=reminder,
                attachment=Attachment(row.file.name, row.file.read_bytes()),
                period=period,
                deadline=deadline,
                office=the_office,
                envelope=the_envelope,
            )
        )
        stems.append(f"{period} Area {number} reminder - {lead.name}")
    for file in report.files:
        if not (
            file.status is FileStatus.COUNTED and file.kind is ReturnKind.OFFICER and file.errors
        ):
            continue
        officer = officers.get(file.officer_id) or Officer(id=file.officer_id, name=file.officer_id)
        workbook = by_name.get(file.name)
        if workbook is None:
            continue  # check could not write it; check's own output says why
        letters.append(
            feedback_letter(
                officer,
                file.errors,
                file.sha256,
                actions=reported_actions(plan, officer.id),
                template=correct,
                attachment=Attachment(workbook.name, workbook.read_bytes()),
                period=period,
                deadline=deadline,
                office=the_office,
                envelope=the_envelope,
            )
        )
        stems.append(f"{period} Feedback - {officer.name}")
    return deliver(config, period, CHASE_FOLDER, letters, stems, smtp=smtp, resend=resend)
