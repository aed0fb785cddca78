"""Emails built from plain values: the officer, the period, the deadline, the attachment.

The email stage sits after the returns and the checks: ``returns send`` mails the returns
``returns make`` wrote, ``returns chase`` mails reminders and the feedback ``check`` wrote.
This module decides nothing and touches no file: it renders an editable text template
(Jinja2; the first line is ``Subject: …``) and assembles an ``EmailMessage`` whose headers are
encoded for any name (en dashes, apostrophes) and whose attachment is the bytes it was given.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from packbuilder.errors import ConfigError
from packbuilder.model import Action

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
TEMPLATE_RETURN = "email-return.txt"
TEMPLATE_REMINDER = "email-reminder.txt"
TEMPLATE_FEEDBACK = "email-feedback.txt"
# CRLF line ends, as RFC 5322 and Outlook expect of an .eml; headers folded only past RFC 5322's
# hard limit, because the email package folds "Subject: Reminder: …" onto a second line and
# readers then show the subject with a leading space.
_POLICY = policy.SMTP.clone(max_line_length=998)
_SUBJECT = re.compile(r"^\s*Subject:[ \t]*(?P<subject>.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes


@dataclass(frozen=True)
class Letter:
    """One email to one officer, before it becomes a draft or is sent.

    ``name`` is how the office names it on the command line (``--resend NAME``): the officer
    ID, or ``area-N`` for an area lead's return. ``ref`` identifies it in sent.csv, so a rerun
    never sends it twice.
    """

    kind: str  # "return" | "reminder" | "feedback"
    name: str
    ref: str
    recipient_name: str
    to: str  # "" when the plan has no (valid) address: the draft is written without To
    subject: str
    body: str
    attachment: Attachment
    sender: str = ""
    cc: tuple[str, ...] = ()
    reply_to: str = ""


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


@dataclass(frozen=True)
class Template:
    """An email template's text and where it came from (for messages about it)."""

    text: str
    source: str  # "templates/email-return.txt"


def render(template: Template, values: Mapping[str, object]) -> Rendered:
    """The subject and body from TEMPLATE with VALUES; a mistake in it is a ConfigError."""
    import jinja2

    environment = jinja2.Environment(
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False
    )
    try:
        text = environment.from_string(template.text).render(**values)
    except jinja2.TemplateSyntaxError as error:
        raise ConfigError(
            f"{template.source}, line {error.lineno}: {error.message}",
            hint="Fix the template (docs/email.md lists its variables), or delete it to use "
            "the default.",
        ) from None
    except jinja2.UndefinedError as error:
        raise ConfigError(
            f"{template.source}: {error.message}",
            hint="Use only the variables docs/email.md lists for this template.",
        ) from None
    lines = text.lstrip("\n").split("\n")
    match = _SUBJECT.match(lines[0]) if lines else None
    if match is None or not match["subject"].strip():
        raise ConfigError(
            f"{template.source}: the first line must be the subject, as 'Subject: …'",
            hint="Put 'Subject: ' and the subject on the template's first line, then a blank "
            "line, then the body.",
        )
    body = "\n".join(lines[1:]).strip("\n") + "\n"
    return Rendered(" ".join(match["subject"].split()), body)


def valid_address(text: str) -> str:
    """TEXT as an address when it is one (``name@domain``), else ""."""
    text = text.strip()
    try:
        address = Address(addr_spec=text)
    except (ValueError, IndexError):
        return ""
    if not address.username or "." not in address.domain:
        return ""
    return address.addr_spec


def _address(display_name: str, addr_spec: str) -> Address:
    return Address(display_name=display_name, addr_spec=addr_spec)


def build_message(
    letter: Letter,
    *,
    draft: bool,
    message_id: str | None = None,
    date: dt.datetime | None = None,
) -> EmailMessage:
    """The email for LETTER: a draft (``X-Unsent: 1``, for the office to open and send) or a
    message to send (with its Message-ID and Date)."""
    message = EmailMessage(policy=_POLICY)
    if letter.sender:
        message["From"] = letter.sender
    if letter.to:
        message["To"] = _address(letter.recipient_name, letter.to)
    if letter.cc:
        message["Cc"] = ", ".join(letter.cc)
    if letter.reply_to:
        message["Reply-To"] = letter.reply_to
    message["Subject"] = letter.subject
    if date is not None:
        message["Date"] = format_datetime(date)
    if message_id is not None:
        message["Message-ID"] = message_id
    if draft:
        # Outlook opens an .eml with this header as a draft, ready to send; others ignore it.
        message["X-Unsent"] = "1"
    # Quoted-printable keeps the message 7-bit, so any relay carries it unchanged.
    message.set_content(letter.body, cte="quoted-printable")
    message.add_attachment(
        letter.attachment.content,
        maintype=XLSX_TYPE[0],
        subtype=XLSX_TYPE[1],
        filename=letter.attachment.name,
    )
    return message


def new_message_id(sender: str) -> str:
    """A Message-ID on the sender's domain, as mail servers expect."""
    domain = sender.rpartition("@")[2] or "packbuilder.invalid"
    return make_msgid(domain=domain)


def recipients(letter: Letter) -> list[str]:
    """Every envelope recipient of LETTER: To, then Cc."""
    return [address for address in (letter.to, *letter.cc) if address]


def action_lines(actions: Sequence[Action]) -> list[dict[str, str]]:
    """Actions as the templates see them: id and text."""
    return [{"id": action.id, "text": action.text} for action in actions]
