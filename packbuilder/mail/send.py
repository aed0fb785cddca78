"""``returns send PERIOD``: one email per officer and area lead, with their return attached.

It reads what ``returns make`` wrote (outputs/PERIOD/returns/ and its send-list.csv), the plan
register for the officers and their actions, and the editable templates; writes a draft per
letter to outputs/PERIOD/emails/returns/; and, with ``--smtp``, sends them (outbox.py).
Officers with no email address in the plan get a draft with no To, and are listed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from packbuilder.errors import WorkspaceError
from packbuilder.mail.compose import TEMPLATE_RETURN, Attachment, Letter, Template
from packbuilder.mail.letters import Envelope, Office, return_letter
from packbuilder.mail.outbox import SENT_CSV, Outcome, send_letters, smtp_route, write_drafts
from packbuilder.model import Action, Officer, Period, Plan
from packbuilder.returns.make import SEND_LIST, SEND_LIST_AREA_LEADS

if TYPE_CHECKING:
    from packbuilder.config import Config

RETURNS_FOLDER = "returns"


@dataclass(frozen=True)
class Mailing:
    """What a send or chase wrote and, with --smtp, what happened to each letter."""

    folder: Path
    drafts: list[Path]
    letters: list[Letter]
    outcomes: list[Outcome]  # empty without --smtp
    sent_csv: Path | None

    @property
    def without_address(self) -> list[Letter]:
        return [letter for letter in self.letters if not letter.to]


@dataclass(frozen=True)
class SendListRow:
    officer_id: str
    area: int | None
    file: Path


def send_returns(
    config: Config,
    plan: Plan,
    period: Period,
    *,
    smtp: bool = False,
    resend: Sequence[str] = (),
) -> Mailing:
    """Write a draft for every return in the period's send list; with SMTP, send them too."""
    officers = plan.officer_by_id()
    areas = {area.number: area for area in plan.areas}
    template = load_template(config, TEMPLATE_RETURN)
    letters, stems = [], []
    for row in read_send_list(config, period):
        officer = officers.get(row.officer_id) or Officer(id=row.officer_id, name=row.officer_id)
        area = areas.get(row.area) if row.area is not None else None
        actions = (
            plan.actions_in_area(area.number)
            if area is not None
            else reported_actions(plan, officer.id)
        )
        letters.append(
            return_letter(
                officer,
                area,
                period=period,
                deadline=config.deadline(period),
                actions=actions,
                office=office(config),
                template=template,
                attachment=Attachment(row.file.name, row.file.read_bytes()),
                envelope=envelope(config),
            )
        )
        stems.append(row.file.stem)
    return deliver(config, period, RETURNS_FOLDER, letters, stems, smtp=smtp, resend=resend)


def deliver(
    config: Config,
    period: Period,
    folder_name: str,
    letters: list[Letter],
    stems: list[str],
    *,
    smtp: bool,
    resend: Iterable[str],
) -> Mailing:
    """Write the drafts under outputs/PERIOD/emails/FOLDER_NAME/; with SMTP, send them."""
    resend = list(resend)
    unknown = sorted(set(resend) - {letter.name for letter in letters})
    if unknown:
        raise WorkspaceError(
            f"--resend {', '.join(unknown)}: no letter of this run has that name",
            hint="Give the officer ID (or area-N for an area lead's return) as sent.csv's "
            "'name' column shows it.",
        )
    folder = config.emails_dir(period) / folder_name
    route = None
    if smtp:
        settings = config.settings.email.smtp
        route = smtp_route(
            settings.host,
            settings.port,
            settings.security,
            settings.user,
            settings.timeout_seconds,
            envelope(config).sender,
        )
    drafts = write_drafts(letters, folder, stems)
    if route is None:
        return Mailing(folder, drafts, letters, [], None)
    ledger = config.emails_dir(period) / SENT_CSV
    outcomes = send_letters(letters, route, ledger, resend)
    return Mailing(folder, drafts, letters, outcomes, ledger)


# --------------------------------------------------------------------------- inputs


def reported_actions(plan: Plan, officer_id: str) -> list[Action]:
    return [action for action in plan.actions if action.reporting_officer == officer_id]


def office(config: Config) -> Office:
    programme = config.settings.programme
    return Office(
        programme.name, programme.short_name, programme.contact_name, programme.contact_email
    )


def envelope(config: Config) -> Envelope:
    settings = config.settings.email
    sender = settings.from_address or config.settings.programme.contact_email
    return Envelope(sender=sender, cc=tuple(settings.cc), reply_to=settings.reply_to)


def load_template(config: Config, name: str) -> Template:
    """The workspace's template NAME, else the default one (a workspace made before it)."""
    path = config.templates_dir / name
    if path.is_file():
        return Template(path.read_text("utf-8-sig"), str(path.relative_to(config.root)))
    default = resources.files("packbuilder").joinpath(f"data/templates/{name}")
    return Template(default.read_text("utf-8"), f"the default {name}")


def read_send_list(config: Config, period: Period) -> list[SendListRow]:
    """The returns ``returns make`` wrote for PERIOD, from its send lists, in their order.

    The area leads' own list (``returns make --area-leads``) replaces the area rows of the
    officers' list, since its returns are the newer.
    """
    folder = config.outputs_dir(period) / "returns"
    main = folder / SEND_LIST
    if not main.is_file():
        raise WorkspaceError(
            f"No returns have been made for {period.label}: {main.relative_to(config.root)} "
            "is missing",
            hint=f"Make them first with: packbuilder returns make {period}",
        )
    rows = _send_list_rows(main, config.root)
    leads = folder / SEND_LIST_AREA_LEADS
    if leads.is_file():
        rows = [row for row in rows if row.area is None] + _send_list_rows(leads, config.root)
    return rows


def _send_list_rows(path: Path, root: Path) -> list[SendListRow]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if "officer_id" not in (reader.fieldnames or ()):
            raise WorkspaceError(
                f"{path.relative_to(root)} was made by an older packbuilder and does not name "
                "each officer's ID",
                hint="Make the returns again with 'packbuilder returns make PERIOD', then send.",
            )
        rows = []
        for line, row in enumerate(reader, start=2):
            file = path.parent / Path(row.get("file") or "").name
            if not row.get("file") or not file.is_file():
                raise WorkspaceError(
                    f"{path.relative_to(root)}, line {line}: the return "
                    f"{row.get('file')!r} is not in {path.parent.relative_to(root)}",
                    hint="Make the returns again with 'packbuilder returns make PERIOD'.",
                )
            area = (row.get("area") or "").strip()
            rows.append(SendListRow(row["officer_id"], int(area) if area.isdigit() else None, file))
    return rows
