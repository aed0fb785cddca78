"""Which letters a month needs, as pure functions of plain values.

``return_letter`` is the month's return going out; ``reminder_letter`` chases a return that has
not come; ``feedback_letter`` sends an officer the feedback workbook ``check`` wrote, with what
to fix in words. Nothing here reads a file: the plan's officers and actions, the period, the
deadline, the templates and the attachments' bytes are passed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from packbuilder.mail.compose import (
    Attachment,
    Letter,
    Template,
    action_lines,
    render,
    valid_address,
)
from packbuilder.model import Action, Area, Finding, Officer, Period

MAX_ERRORS_LISTED = 30  # the rest are in the workbook; an email of 200 lines helps no one


@dataclass(frozen=True)
class Envelope:
    """Who every letter is from, who is copied and where replies go (config's [email])."""

    sender: str = ""
    cc: tuple[str, ...] = ()
    reply_to: str = ""


@dataclass(frozen=True)
class Office:
    """What the templates say about the programme and its office."""

    programme_name: str
    short_name: str
    contact_name: str
    contact_email: str


def _values(
    officer: Officer,
    period: Period,
    deadline: dt.date,
    actions: Sequence[Action],
    office: Office,
) -> dict[str, object]:
    return {
        "officer": {
            "id": officer.id,
            "name": officer.name,
            "organisation": officer.organisation,
            "email": officer.email,
        },
        "period": {"label": period.label, "text": str(period)},
        "deadline": f"{deadline:%A} {deadline.day} {deadline:%B %Y}",
        "actions": action_lines(actions),
        "contact": {"name": office.contact_name, "email": office.contact_email},
        "programme": {"name": office.programme_name, "short_name": office.short_name},
        "area": None,
        "rejected": None,
    }


def _letter(
    kind: str,
    name: str,
    ref: str,
    officer: Officer,
    template: Template,
    values: dict[str, object],
    attachment: Attachment,
    envelope: Envelope,
) -> Letter:
    rendered = render(template, values)
    return Letter(
        kind=kind,
        name=name,
        ref=ref,
        recipient_name=officer.name,
        to=valid_address(officer.email),
        subject=rendered.subject,
        body=rendered.body,
        attachment=attachment,
        sender=envelope.sender,
        cc=envelope.cc,
        reply_to=envelope.reply_to,
    )


def return_letter(
    officer: Officer,
    area: Area | None,
    *,
    period: Period,
    deadline: dt.date,
    actions: Sequence[Action],
    office: Office,
    template: Template,
    attachment: Attachment,
    envelope: Envelope,
) -> Letter:
    """The month's return for OFFICER (or, with AREA, the area lead's commentary return)."""
    values = _values(officer, period, deadline, actions, office)
    name = officer.id
    if area is not None:
        values["area"] = {"number": area.number, "title": area.title}
        name = f"area-{area.number}"
    return _letter(
        "return", name, f"return {period} {name}", officer, template, values, attachment, envelope
    )


def reminder_letter(
    officer: Officer,
    area: Area | None = None,
    rejected: tuple[str, Sequence[Finding]] | None = None,
    *,
    period: Period,
    deadline: dt.date,
    actions: Sequence[Action],
    office: Office,
    template: Template,
    attachment: Attachment,
    envelope: Envelope,
) -> Letter:
    """A reminder to OFFICER, whose return (or, with AREA, area commentary) has not arrived,
    with the return attached again. REJECTED, when a file came that could not be used at
    all (another period's, say): its name and the findings that say why."""
    values = _values(officer, period, deadline, actions, office)
    if rejected is not None:
        values["rejected"] = {
            "file": rejected[0],
            "reasons": [finding.message for finding in rejected[1][:MAX_ERRORS_LISTED]],
        }
    name = officer.id
    if area is not None:
        values["area"] = {"number": area.number, "title": area.title}
        name = f"area-{area.number}"
    ref = f"reminder {period} {name}"
    return _letter("reminder", name, ref, officer, template, values, attachment, envelope)


def feedback_letter(
    officer: Officer,
    errors: Sequence[Finding],
    returned_sha256: str,
    *,
    period: Period,
    deadline: dt.date,
    actions: Sequence[Action],
    office: Office,
    template: Template,
    attachment: Attachment,
    envelope: Envelope,
) -> Letter:
    """What OFFICER must fix, in words, with their feedback workbook attached.

    Its ref carries the hash of the return it answers (RETURNED_SHA256): a corrected return
    that still has errors gets new feedback, while feedback on one return is never sent twice.
    """
    values = _values(officer, period, deadline, actions, office)
    values["errors"] = [
        {"where": error.where, "message": error.message} for error in errors[:MAX_ERRORS_LISTED]
    ]
    values["more_errors"] = max(0, len(errors) - MAX_ERRORS_LISTED)
    ref = f"feedback {period} {officer.id} {returned_sha256[:12]}"
    return _letter("feedback", officer.id, ref, officer, template, values, attachment, envelope)
