"""A month's returns ready to mail, and a real SMTP server on 127.0.0.1 to mail them through.

The workspace is returns_factory's four-action plan with officers whose names need encoding in
a header (an en dash, an apostrophe, an ampersand) and one officer with no email address. The
server is aiosmtpd, started in the test's own thread pool: it can refuse a recipient, or drop
the connection before answering a message (so its fate is unknown to the sender), or before
the recipients are given.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from returns_factory import ACTIONS, AREAS, SUB_THEMES, write_workspace

from packbuilder.commands.returns import make_returns
from packbuilder.config import Config, load_config
from packbuilder.model import Period
from packbuilder.plan import schema
from packbuilder.plan.writer import write_plan_workbook
from packbuilder.returns.make import MadeReturns

PERIOD = Period(2023, 7)
OFFICERS = [
    ("director-education", "Director – Education & SEND", "KCC", "dir@example.org", ""),
    ("head-of-comms", "Head of Parents' Communications", "KCC", "", ""),
    ("nhs-lead", "Designated Clinical Officer", "NHS", "dco@example.org", ""),
]
SENDER = "programme-office@example.org"


def mail_workspace(root: Path) -> tuple[Config, MadeReturns]:
    """A workspace with the period's returns made, and the office's sender, Cc and Reply-To."""
    write_workspace(root)
    write_plan_workbook(
        root / "inputs" / "plan.xlsx",
        {
            schema.OFFICERS: OFFICERS,
            schema.AREAS: AREAS,
            schema.SUB_THEMES: SUB_THEMES,
            schema.ACTIONS: ACTIONS,
        },
    )
    set_config(
        root,
        {
            'from_address = ""': f'from_address = "{SENDER}"',
            "cc = []": 'cc = ["returns-log@example.org"]',
            'reply_to = ""': 'reply_to = "returns@example.org"',
        },
    )
    config = load_config(root)
    return config, make_returns(config, PERIOD)


def set_config(root: Path, replacements: dict[str, str]) -> None:
    path = root / "config.toml"
    text = path.read_text("utf-8")
    for old, new in replacements.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, "utf-8")


def use_smtp(root: Path, port: int) -> Config:
    set_config(
        root,
        {
            'host = ""': 'host = "127.0.0.1"',
            "port = 587": f"port = {port}",
            'security = "starttls"': 'security = "none"',
            "\ntimeout_seconds = 60.0": "\ntimeout_seconds = 10.0",
        },
    )
    return load_config(root)


def parse(data: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    return message


def attachment_of(message: EmailMessage) -> tuple[str, bytes]:
    (part,) = list(message.iter_attachments())
    content = part.get_payload(decode=True)
    assert isinstance(content, bytes)
    return str(part.get_filename()), content


def body_text(message: EmailMessage) -> str:
    """The plain-text body as a reader shows it (the message itself has CRLF line ends)."""
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content()).replace("\r\n", "\n")


@dataclass
class Mailbox:
    """What the server received, and how it misbehaves."""

    refuse: set[str] = field(default_factory=set)  # recipients answered 550
    drop_after_data: set[str] = field(default_factory=set)  # recipients: stored, not answered
    drop_at_rcpt: set[str] = field(default_factory=set)  # recipients: connection dropped
    received: list[tuple[str, list[str], bytes]] = field(default_factory=list)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.drop_at_rcpt:
            self.drop_at_rcpt.discard(address)  # once: the server is back for the rerun
            server.transport.close()
            return "421 closing"
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        data = bytes(envelope.original_content or envelope.content)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), data))
        if envelope.rcpt_tos[0] in self.drop_after_data:
            self.drop_after_data.discard(envelope.rcpt_tos[0])
            server.transport.close()  # the message is in, the answer never goes out
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        return [parse(data) for _, _, data in self.received]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SmtpServer:
    """aiosmtpd on 127.0.0.1, for one test."""

    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox
        self.port = free_port()
        self.controller = Controller(mailbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
