"""returns send and returns collect on the command line: exact output and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from email_fixtures import PERIOD, Mailbox, SmtpServer, mail_workspace, set_config, use_smtp
from returns_factory import fill_clean
from test_email_collect import reply

from packbuilder.cli import main

NO_ADDRESS = (
    "No usable email address in the plan for Head of Parents' Communications: draft has no To\n"
)


def run(root: Path, *words: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["-C", str(root), *words])
    return result.exit_code, result.output


def test_send_drafts(tmp_path: Path) -> None:
    mail_workspace(tmp_path / "ws")
    assert run(tmp_path / "ws", "returns", "send", "2023-07") == (
        0,
        "Wrote 5 emails with returns as drafts in outputs/2023-07/emails/returns\n"
        + NO_ADDRESS * 2,
    )


def test_send_by_smtp_with_a_refused_recipient_exits_3(tmp_path: Path) -> None:
    mail_workspace(tmp_path / "ws")
    with SmtpServer(Mailbox(refuse={"dco@example.org"})) as server:
        use_smtp(tmp_path / "ws", server.port)
        code, output = run(tmp_path / "ws", "returns", "send", "2023-07", "--smtp")
    assert code == 3
    assert output.splitlines()[3:] == [
        "no address: head-of-comms",
        "sent: director-education",
        "refused: nhs-lead (dco@example.org: 550 5.1.1 No such mailbox here)",
        "no address: area-1",
        "refused: area-2 (dco@example.org: 550 5.1.1 No such mailbox here)",
        "Record: outputs/2023-07/emails/sent.csv",
    ]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (
            ("returns", "send", "2023-07", "--resend", "nobody"),
            "Error: --resend nobody: no letter of this run has that name\n"
            "What to do: Give the officer ID (or area-N for an area lead's return) as "
            "sent.csv's 'name' column shows it.\n",
        ),
        (
            ("returns", "send", "2023-07", "--smtp"),
            "Error: config.toml: [email.smtp] host is empty, so --smtp has nowhere to send\n"
            "What to do: Set host (and port, security, user) under [email.smtp], or leave out "
            "--smtp and send the drafts from your own mailbox.\n",
        ),
        (
            ("returns", "collect", "2023-07", "nowhere"),
            "Error: nowhere does not exist\n"
            "What to do: Give saved emails (.eml, .msg), folders of them, or workbooks.\n",
        ),
    ],
)
def test_usage_errors_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, words: tuple[str, ...], expected: str
) -> None:
    mail_workspace(tmp_path / "ws")
    monkeypatch.chdir(tmp_path / "ws")
    result = CliRunner().invoke(main, ["-C", str(tmp_path / "ws"), *words])
    assert (result.exit_code, result.stderr) == (2, expected)


def test_collect(tmp_path: Path) -> None:
    _, made = mail_workspace(tmp_path / "ws")
    source = next(p for p in made.files if "Director" in p.name)
    filled = fill_clean(source, tmp_path / "Director.xlsx", "director-education").read_bytes()
    saved = tmp_path / "saved"
    reply(saved, "reply.eml", [("Director.xlsx", filled), ("logo.png", b"\x89PNG\r\n\x1a\n")])
    assert run(tmp_path / "ws", "returns", "collect", "2023-07", str(saved)) == (
        0,
        "Added inputs/returns/2023-07/Director.xlsx (received 2023-08-02T09:15:00+01:00)\n"
        "info: 'logo.png' in 'reply.eml' is not a spreadsheet (a picture); it was left where it "
        "is. [attachment-left]\n"
        "Collected 1 return from 1 saved email.\n",
    )
    set_config(tmp_path / "ws", {"max_message_bytes = 30000000": "max_message_bytes = 100"})
    code, output = run(tmp_path / "ws", "returns", "collect", "2023-07", str(saved))
    assert code == 2
    assert output.endswith("[email-too-large]\nCollected 0 returns from 1 saved email.\n")
    assert PERIOD.label in "July 2023"
