"""returns send: drafts for every return, and sending through a real SMTP server (aiosmtpd).

Each draft is parsed back with Python's email package and compared with what an officer would
see; each sent message is compared with the return it carries, byte for byte. The server is
made to refuse a recipient and to drop the connection, and a rerun must send nothing twice.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from email_fixtures import (
    PERIOD,
    SENDER,
    Mailbox,
    SmtpServer,
    attachment_of,
    body_text,
    mail_workspace,
    parse,
    use_smtp,
)

from packbuilder.commands.mail import send
from packbuilder.errors import ConfigError, WorkspaceError
from packbuilder.mail.outbox import SMTP_PASSWORD_VARIABLE, smtp_route


def _sent_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_a_draft_per_return_with_encoded_headers_and_the_return_attached(tmp_path: Path) -> None:
    config, made = mail_workspace(tmp_path / "ws")
    mailing = send(config, PERIOD)
    assert mailing.outcomes == [] and mailing.sent_csv is None
    assert [p.name for p in mailing.drafts] == [
        "2023-07 Return - Head of Parents' Communications.eml",
        "2023-07 Return - Director – Education & SEND.eml",
        "2023-07 Return - Designated Clinical Officer.eml",
        "2023-07 Area 1 commentary - Head of Parents' Communications.eml",
        "2023-07 Area 2 commentary - Designated Clinical Officer.eml",
    ]
    assert all(p.parent == tmp_path / "ws/outputs/2023-07/emails/returns" for p in mailing.drafts)
    by_file = {p.name: p for p in made.files}
    for draft in mailing.drafts:
        raw = draft.read_bytes()
        raw.decode("ascii")  # every header and part is encoded for transport
        message = parse(raw)
        assert message["X-Unsent"] == "1"
        assert message["From"] == SENDER
        assert message["Cc"] == "returns-log@example.org"
        assert message["Reply-To"] == "returns@example.org"
        name, content = attachment_of(message)
        assert content == by_file[name].read_bytes()
        assert name == draft.stem + ".xlsx"

    director = parse(mailing.drafts[1].read_bytes())
    assert str(director["To"]) == "Director – Education & SEND <dir@example.org>"
    assert director["To"].addresses[0].display_name == "Director – Education & SEND"
    assert "=?utf-8?" in mailing.drafts[1].read_text("ascii")  # RFC 2047 in the raw To
    assert director["Subject"] == ("Your July 2023 return for the plan, due Monday 7 August 2023")
    text = body_text(director)
    assert text.startswith("Dear Director – Education & SEND,\n")
    assert "  1A2  Run termly parent forums\n  2A1  Mainstream core standards training" in text
    assert "by Monday 7 August 2023" in text

    comms = parse(mailing.drafts[0].read_bytes())
    assert comms["To"] is None  # no address in the plan: a draft with no To, and listed
    assert "Dear Head of Parents' Communications," in body_text(comms)
    assert [letter.recipient_name for letter in mailing.without_address] == [
        "Head of Parents' Communications",
        "Head of Parents' Communications",
    ]
    area = body_text(parse(mailing.drafts[4].read_bytes()))
    assert "commentary return for area of weakness 2 for July 2023" in area


def test_the_template_is_the_offices_own(tmp_path: Path) -> None:
    config, _ = mail_workspace(tmp_path / "ws")
    config.templates_dir.mkdir()
    (config.templates_dir / "email-return.txt").write_text(
        "Subject: {{ period.text }} for {{ officer.name }}\n\n"
        "{{ actions | length }} actions, due {{ deadline }}. {{ contact.name }}\n",
        "utf-8",
    )
    mailing = send(config, PERIOD)
    message = parse(mailing.drafts[1].read_bytes())
    assert message["Subject"] == "2023-07 for Director – Education & SEND"
    assert body_text(message) == "2 actions, due Monday 7 August 2023. Programme office\n"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (
            "Subject: {{ officer.nme }}\n\nHello",
            "templates/email-return.txt: 'dict object' has no attribute 'nme'",
        ),
        (
            "Hello {{ officer.name }}\n",
            "templates/email-return.txt: the first line must be the subject, as 'Subject: …'",
        ),
        (
            "Subject: x\n\n{% if %}",
            "templates/email-return.txt, line 3: "
            "Expected an expression, got 'end of statement block'",
        ),
    ],
)
def test_a_broken_template_is_named_with_what_is_wrong(
    tmp_path: Path, template: str, message: str
) -> None:
    config, _ = mail_workspace(tmp_path / "ws")
    config.templates_dir.mkdir()
    (config.templates_dir / "email-return.txt").write_text(template, "utf-8")
    with pytest.raises(ConfigError) as raised:
        send(config, PERIOD)
    assert raised.value.message == message


def test_send_before_make_says_to_make_the_returns(tmp_path: Path) -> None:
    config, made = mail_workspace(tmp_path / "ws")
    made.send_list.unlink()
    with pytest.raises(WorkspaceError) as raised:
        send(config, PERIOD)
    assert raised.value.message == (
        "No returns have been made for July 2023: outputs/2023-07/returns/send-list.csv is missing"
    )
    assert raised.value.hint == "Make them first with: packbuilder returns make 2023-07"


def test_a_months_returns_arrive_once_each_byte_for_byte(tmp_path: Path) -> None:
    config, made = mail_workspace(tmp_path / "ws")
    mailbox = Mailbox()
    with SmtpServer(mailbox) as server:
        config = use_smtp(tmp_path / "ws", server.port)
        mailing = send(config, PERIOD, smtp=True)
        assert [(o.letter.name, o.status) for o in mailing.outcomes] == [
            ("head-of-comms", "no address"),
            ("director-education", "sent"),
            ("nhs-lead", "sent"),
            ("area-1", "no address"),
            ("area-2", "sent"),
        ]
        by_file = {p.name: p.read_bytes() for p in made.files}
        assert len(mailbox.received) == 3
        for (sender, to, _), message in zip(mailbox.received, mailbox.messages(), strict=True):
            assert sender == SENDER
            assert to[1:] == ["returns-log@example.org"]
            assert message["X-Unsent"] is None  # a sent message is not a draft
            assert message["Message-ID"] and message["Date"]
            name, content = attachment_of(message)
            assert content == by_file[name]
        assert [m["To"].addresses[0].addr_spec for m in mailbox.messages()] == [
            "dir@example.org",
            "dco@example.org",
            "dco@example.org",
        ]
        rows = _sent_rows(tmp_path / "ws/outputs/2023-07/emails/sent.csv")
        assert [(r["name"], r["status"]) for r in rows] == [
            ("director-education", "sending"),
            ("director-education", "sent"),
            ("nhs-lead", "sending"),
            ("nhs-lead", "sent"),
            ("area-2", "sending"),
            ("area-2", "sent"),
        ]
        assert rows[1]["recipients"] == "dir@example.org; returns-log@example.org"
        assert rows[1]["message_id"] == mailbox.messages()[0]["Message-ID"]

        again = send(config, PERIOD, smtp=True)
        assert len(mailbox.received) == 3  # a rerun sends nothing
        assert [o.status for o in again.outcomes] == [
            "no address", "already sent", "already sent", "no address", "already sent",
        ]  # fmt: skip

        once_more = send(config, PERIOD, smtp=True, resend=["nhs-lead"])
        assert [o.status for o in once_more.outcomes if o.letter.name == "nhs-lead"] == ["sent"]
        assert len(mailbox.received) == 4


def test_a_refused_recipient_costs_only_that_officer(tmp_path: Path) -> None:
    config, _ = mail_workspace(tmp_path / "ws")
    mailbox = Mailbox(refuse={"dir@example.org"})
    with SmtpServer(mailbox) as server:
        config = use_smtp(tmp_path / "ws", server.port)
        first = send(config, PERIOD, smtp=True)
        outcome = {o.letter.name: o for o in first.outcomes}
        assert outcome["director-education"].status == "refused"
        assert outcome["director-education"].detail == (
            "dir@example.org: 550 5.1.1 No such mailbox here"
        )
        assert outcome["nhs-lead"].status == outcome["area-2"].status == "sent"
        assert len(mailbox.received) == 2

        mailbox.refuse.clear()  # the address is fixed at the server's end: the rerun sends it
        second = send(config, PERIOD, smtp=True)
        assert [(o.letter.name, o.status) for o in second.outcomes if o.status != "no address"] == [
            ("director-education", "sent"),
            ("nhs-lead", "already sent"),
            ("area-2", "already sent"),
        ]
    subjects = [m["To"].addresses[0].addr_spec for m in mailbox.messages()]
    assert sorted(subjects) == ["dco@example.org", "dco@example.org", "dir@example.org"]


def test_a_dropped_connection_loses_nothing_and_sends_nothing_twice(tmp_path: Path) -> None:
    config, _ = mail_workspace(tmp_path / "ws")
    # The director's message arrives but the server hangs up before saying so; the
    # connection then drops again while the next officer's recipients are given.
    mailbox = Mailbox(drop_after_data={"dir@example.org"}, drop_at_rcpt={"dco@example.org"})
    with SmtpServer(mailbox) as server:
        config = use_smtp(tmp_path / "ws", server.port)
        first = send(config, PERIOD, smtp=True)
        outcome = {o.letter.name: o for o in first.outcomes}
        assert outcome["director-education"].status == "unknown"
        assert outcome["director-education"].detail.startswith(
            "the connection dropped before the server answered"
        )
        assert outcome["nhs-lead"].status == "failed"
        assert outcome["area-2"].status == "sent"  # a new connection for the next letter
        assert len(mailbox.received) == 2

        second = send(config, PERIOD, smtp=True)
        statuses = {o.letter.name: o.status for o in second.outcomes}
        assert statuses == {
            "head-of-comms": "no address",
            "director-education": "held",  # may have arrived: only --resend sends it again
            "nhs-lead": "sent",
            "area-1": "no address",
            "area-2": "already sent",
        }
        third = send(config, PERIOD, smtp=True)
        assert {o.letter.name: o.status for o in third.outcomes}["director-education"] == "held"
    names = sorted(attachment_of(m)[0] for m in mailbox.messages())
    assert names == [
        "2023-07 Area 2 commentary - Designated Clinical Officer.xlsx",
        "2023-07 Return - Designated Clinical Officer.xlsx",
        "2023-07 Return - Director – Education & SEND.xlsx",
    ]  # each once
    rows = _sent_rows(tmp_path / "ws/outputs/2023-07/emails/sent.csv")
    assert [r["status"] for r in rows if r["name"] == "director-education"] == [
        "sending",
        "unknown",
    ]


def test_no_server_fails_every_letter_after_one_try_and_a_rerun_sends_them(
    tmp_path: Path,
) -> None:
    config, _ = mail_workspace(tmp_path / "ws")
    mailbox = Mailbox()
    server = SmtpServer(mailbox)
    config = use_smtp(tmp_path / "ws", server.port)  # nothing listening there yet
    down = send(config, PERIOD, smtp=True)
    details = [(o.letter.name, o.status, o.detail) for o in down.outcomes if o.letter.to]
    assert [d[:2] for d in details] == [
        ("director-education", "failed"),
        ("nhs-lead", "failed"),
        ("area-2", "failed"),
    ]
    assert details[0][2].startswith(f"could not open a session with 127.0.0.1:{server.port}: ")
    assert details[1][2] == f"not tried: {details[0][2]}"
    with server:
        up = send(config, PERIOD, smtp=True)
    assert [o.status for o in up.outcomes if o.letter.to] == ["sent", "sent", "sent"]
    assert len(mailbox.received) == 3


def test_the_password_only_from_the_environment() -> None:
    with pytest.raises(ConfigError) as raised:
        smtp_route("relay.example.org", 587, "starttls", "office", 30.0, SENDER, environ={})
    assert raised.value.message == (
        "[email.smtp] user is 'office' but the environment variable PACKBUILDER_SMTP_PASSWORD "
        "is not set"
    )
    route = smtp_route(
        "relay.example.org", 587, "starttls", "office", 30.0, SENDER,
        environ={SMTP_PASSWORD_VARIABLE: "s3cret"},
    )  # fmt: skip
    assert route.password == "s3cret"
    with pytest.raises(ConfigError) as raised:
        smtp_route("", 587, "starttls", "", 30.0, SENDER, environ={})
    assert raised.value.message.startswith("config.toml: [email.smtp] host is empty")
