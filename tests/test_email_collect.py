"""returns collect: saved replies in, returns into inputs/returns/PERIOD/, times in collected.csv.

The .eml files are made here as a mail server would deliver them (Received headers above the
sender's Date), with the officers' filled returns attached; the .msg files in tests/data/msg/
are real Outlook files. Afterwards check is run, and collected.csv must drive the late-return
rule as received.csv does.
"""

from __future__ import annotations

import csv
import hashlib
from email.message import EmailMessage
from pathlib import Path

import pytest
from email_fixtures import PERIOD, mail_workspace, set_config
from returns_factory import fill_clean

from packbuilder.commands.check import check_period
from packbuilder.commands.returns import make_returns
from packbuilder.config import Config, load_config
from packbuilder.mail.collect import collect_returns, safe_name
from packbuilder.model import Finding, Period

DATA = Path(__file__).parent / "data" / "msg"
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def reply(
    folder: Path,
    name: str,
    attachments: list[tuple[str, bytes]],
    *,
    received: str | None = "Wed, 02 Aug 2023 09:15:00 +0100",
    date: str | None = "Wed, 02 Aug 2023 09:14:31 +0100",
    sender: str = "Director – Education & SEND <dir@example.org>",
) -> Path:
    """An officer's reply as the office's mailbox saved it (.eml)."""
    message = EmailMessage()
    if received is not None:
        # The office's own server adds the newest Received header above the sender's.
        message["Received"] = f"from relay.example.org by mx.example.org; {received}"
        message["Received"] = "from laptop by relay.example.org; Wed, 02 Aug 2023 07:00:00 +0000"
    message["From"] = sender
    message["To"] = "returns@example.org"
    message["Subject"] = "RE: Your July 2023 return"
    if date is not None:
        message["Date"] = date
    message.set_content("Here it is. Regards")
    for file_name, content in attachments:
        kind = XLSX if file_name.endswith(".xlsx") else ("application", "octet-stream")
        message.add_attachment(content, maintype=kind[0], subtype=kind[1], filename=file_name)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(message.as_bytes())
    return path


def filled(config: Config, officer_id: str, tmp_path: Path, period: Period = PERIOD) -> bytes:
    made = {
        p.name: p
        for p in (config.outputs_dir(period) / "returns").glob("*.xlsx")
        if not p.name.startswith(".")
    }
    source = next(p for name, p in made.items() if _is_return_of(name, officer_id))
    return fill_clean(
        source, tmp_path / f"filled-{period}-{officer_id}.xlsx", officer_id
    ).read_bytes()


def _is_return_of(file_name: str, officer_id: str) -> bool:
    names = {
        "director-education": "Return - Director – Education & SEND",
        "nhs-lead": "Return - Designated Clinical Officer",
        "head-of-comms": "Return - Head of Parents' Communications",
    }
    return names[officer_id] in file_name


def collected_rows(folder: Path) -> list[dict[str, str]]:
    with (folder / "collected.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def flat(findings: list[Finding]) -> list[tuple[str, str, str]]:
    return [(f.code, f.file, f.value) for f in findings]


@pytest.fixture()
def workspace(tmp_path: Path) -> Config:
    config, _ = mail_workspace(tmp_path / "ws")
    return config


def test_a_reply_with_several_attachments(workspace: Config, tmp_path: Path) -> None:
    director = filled(workspace, "director-education", tmp_path)
    saved = tmp_path / "saved"
    reply(
        saved,
        "reply.eml",
        [
            ("2023-07 Return - Director – Education & SEND.xlsx", director),
            ("image001.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),
            ("Minutes.pdf", b"%PDF-1.4\n%fake but a PDF by its first bytes\n"),
        ],
    )
    collection = collect_returns(workspace, PERIOD, [saved])
    folder = workspace.returns_dir(PERIOD)
    assert [p.path for p in collection.placed] == [
        folder / "2023-07 Return - Director – Education & SEND.xlsx"
    ]
    assert collection.placed[0].path.read_bytes() == director
    assert flat(collection.findings) == [
        ("attachment-left", "reply.eml", "image001.png"),
        ("attachment-left", "reply.eml", "Minutes.pdf"),
    ]
    assert collection.findings[1].message == (
        "'Minutes.pdf' in 'reply.eml' is not a spreadsheet (a PDF document); it was left where "
        "it is."
    )
    assert sorted(p.name for p in folder.iterdir()) == [
        "2023-07 Return - Director – Education & SEND.xlsx",
        "collected.csv",
    ]
    assert collected_rows(folder) == [
        {
            "file": "2023-07 Return - Director – Education & SEND.xlsx",
            "received": "2023-08-02T09:15:00+01:00",  # the newest Received header
            "sender": "Director – Education & SEND <dir@example.org>",
            "subject": "RE: Your July 2023 return",
            "source": "reply.eml",
            "sha256": hashlib.sha256(director).hexdigest(),
        }
    ]


def test_encoded_and_hostile_names(workspace: Config, tmp_path: Path) -> None:
    director = filled(workspace, "director-education", tmp_path)
    nhs = filled(workspace, "nhs-lead", tmp_path)
    saved = tmp_path / "saved"
    # add_attachment writes a non-ASCII name as RFC 2231 (filename*=utf-8''…)
    reply(saved, "rfc2231.eml", [("Return – Director’s.xlsx", director)])
    raw = (saved / "rfc2231.eml").read_text("ascii")
    assert "filename*=utf-8''Return%20%E2%80%93%20Director%E2%80%99s.xlsx" in raw
    # Outlook-style RFC 2047 words inside the quoted name
    hostile = reply(saved, "rfc2047.eml", [("PLACEHOLDER.xlsx", nhs)])
    hostile.write_bytes(
        hostile.read_bytes().replace(
            b'filename="PLACEHOLDER.xlsx"',
            b'filename="=?utf-8?B?' + _b64("DCO – return.xlsx") + b'?="',
        )
    )
    reply(saved, "hostile.eml", [("../../x.xlsx", director + b"")])
    collection = collect_returns(workspace, PERIOD, [saved / "rfc2231.eml", saved / "rfc2047.eml"])
    folder = workspace.returns_dir(PERIOD)
    assert sorted(p.path.name for p in collection.placed) == [
        "DCO – return.xlsx",
        "Return – Director’s.xlsx",
    ]
    assert collection.findings == []

    other = collect_returns(workspace, PERIOD, [saved / "hostile.eml"])
    # identical content to the director's return already collected: skipped, not written
    assert flat(other.findings) == [
        ("unsafe-attachment-name", "hostile.eml", "../../x.xlsx"),
        ("duplicate-attachment", "hostile.eml", "../../x.xlsx"),
    ]
    assert other.findings[1].message == (
        "'../../x.xlsx' in 'hostile.eml' is identical to 'Return – Director’s.xlsx', already "
        "there; it was skipped."
    )
    assert not (folder.parent.parent / "x.xlsx").exists()
    assert not (folder.parent / "x.xlsx").exists()


def _b64(text: str) -> bytes:
    import base64

    return base64.b64encode(text.encode("utf-8"))


@pytest.mark.parametrize(
    ("given", "saved"),
    [
        ("../../x.xlsx", "x.xlsx"),
        ("..\\..\\Windows\\x.xlsx", "x.xlsx"),
        ("C:\\Users\\me\\Return.xlsx", "Return.xlsx"),
        ('Return: "July" <final>?.xlsx', "Return_ _July_ _final__.xlsx"),
        ("CON.xlsx", "attachment CON.xlsx"),
        (".hidden.xlsx", "hidden.xlsx"),
        ("~$Return.xlsx", "Return.xlsx"),
        ("..", "attachment"),
        ("Return.xlsx.", "Return.xlsx"),
    ],
)
def test_safe_names(given: str, saved: str) -> None:
    assert safe_name(given) == saved


def test_collect_never_overwrites_and_keeps_the_offices_received_csv(
    workspace: Config, tmp_path: Path
) -> None:
    folder = workspace.returns_dir(PERIOD)
    folder.mkdir(parents=True)
    office_csv = "file,received\nsomething.xlsx,03/08/2023 10:00\n"
    (folder / "received.csv").write_text(office_csv, "utf-8")
    first = filled(workspace, "director-education", tmp_path)
    second = filled(workspace, "nhs-lead", tmp_path)
    saved = tmp_path / "saved"
    reply(saved, "a.eml", [("Return.xlsx", first)])
    reply(saved, "b.eml", [("Return.xlsx", second)])
    reply(saved, "c.eml", [("Return.xlsx", first)])
    collection = collect_returns(workspace, PERIOD, [saved])
    assert [p.path.name for p in collection.placed] == ["Return.xlsx", "Return (2).xlsx"]
    assert flat(collection.findings) == [
        ("attachment-renamed", "b.eml", "Return.xlsx"),
        ("duplicate-attachment", "c.eml", "Return.xlsx"),
    ]
    assert (folder / "Return.xlsx").read_bytes() == first
    assert (folder / "Return (2).xlsx").read_bytes() == second
    rows_before = (folder / "collected.csv").read_bytes()

    again = collect_returns(workspace, PERIOD, [saved])  # a rerun adds nothing
    assert again.placed == []
    assert [f.code for f in again.findings] == ["duplicate-attachment"] * 3
    assert (folder / "collected.csv").read_bytes() == rows_before
    assert (folder / "received.csv").read_text("utf-8") == office_csv


def test_another_periods_return_goes_to_its_own_folder(workspace: Config, tmp_path: Path) -> None:
    august = Period(2023, 8)
    make_returns(workspace, august)
    late_for_august = filled(workspace, "nhs-lead", tmp_path, august)
    saved = tmp_path / "saved"
    reply(saved, "wrong-month.eml", [("Return.xlsx", late_for_august)])
    collection = collect_returns(workspace, PERIOD, [saved])
    assert [(p.path, p.period) for p in collection.placed] == [
        (workspace.returns_dir(august) / "Return.xlsx", august)
    ]
    assert flat(collection.findings) == [("other-period-return", "wrong-month.eml", "Return.xlsx")]
    assert collection.findings[0].message == (
        "'Return.xlsx' in 'wrong-month.eml' is the return for August 2023, not July 2023; it "
        "was put in inputs/returns/2023-08."
    )
    assert not workspace.returns_dir(PERIOD).exists()
    assert collected_rows(workspace.returns_dir(august))[0]["source"] == "wrong-month.eml"


def test_an_oversize_email_or_attachment_is_refused(tmp_path: Path) -> None:
    config, _ = mail_workspace(tmp_path / "ws")
    director = filled(config, "director-education", tmp_path)
    saved = tmp_path / "saved"
    big = reply(saved, "big.eml", [("Return.xlsx", director)])
    set_config(tmp_path / "ws", {"max_message_bytes = 30000000": "max_message_bytes = 5000"})
    config = load_config(tmp_path / "ws")
    collection = collect_returns(config, PERIOD, [big])
    assert flat(collection.findings) == [
        ("email-too-large", "big.eml", f"{big.stat().st_size:,} bytes")
    ]
    assert collection.refused == collection.findings
    assert collection.placed == []

    set_config(
        tmp_path / "ws",
        {
            "max_message_bytes = 5000": "max_message_bytes = 30000000",
            "max_file_bytes = 20000000": "max_file_bytes = 5000",
        },
    )
    config = load_config(tmp_path / "ws")
    collection = collect_returns(config, PERIOD, [big])
    assert flat(collection.findings) == [("attachment-too-large", "big.eml", "Return.xlsx")]
    assert collection.placed == []
    assert not config.returns_dir(PERIOD).exists()


def test_unreadable_and_undated_emails(workspace: Config, tmp_path: Path) -> None:
    saved = tmp_path / "saved"
    saved.mkdir()
    (saved / "broken.msg").write_bytes(b"this is not an Outlook file")
    (saved / "nothing.eml").write_bytes(b"\x00\x01binary junk")
    reply(saved, "undated.eml", [], received=None, date=None)
    collection = collect_returns(workspace, PERIOD, [saved])
    assert [(f.code, f.file) for f in collection.findings] == [
        ("unreadable-email", "broken.msg"),
        ("unreadable-email", "nothing.eml"),
        ("no-delivery-time", "undated.eml"),
    ]
    assert collection.emails == 3


def test_a_loose_workbook_is_collected_with_no_time(workspace: Config, tmp_path: Path) -> None:
    director = filled(workspace, "director-education", tmp_path)
    collection = collect_returns(
        workspace, PERIOD, [tmp_path / "filled-2023-07-director-education.xlsx"]
    )
    assert [p.path.read_bytes() for p in collection.placed] == [director]
    (row,) = collected_rows(workspace.returns_dir(PERIOD))
    assert (row["received"], row["sender"], row["source"]) == (
        "",
        "",
        "filled-2023-07-director-education.xlsx",
    )


def test_real_outlook_messages(workspace: Config) -> None:
    collection = collect_returns(workspace, PERIOD, sorted(DATA.glob("*.msg")))
    assert collection.emails == 3
    assert collection.placed == []  # pictures, a PDF and an attached email: nothing to collect
    assert flat(collection.findings) == [
        ("no-delivery-time", "attachment with a bracket in the name.msg", ""),
        ("attachment-left", "attachment with a bracket in the name.msg", "Attachment[1.pdf"),
        ("attachment-left", "attachmentFiles.msg", "jpg.jpg"),
        ("attachment-left", "attachmentFiles.msg", "png.png"),
        ("attachment-left", "attachmentFiles.msg", "tif.tif"),
        ("attachment-left", "msgInMsg.msg", "green.png"),
    ]


def test_real_outlook_message_read(tmp_path: Path) -> None:
    from packbuilder.mail.saved import read_msg

    message = read_msg(DATA / "attachmentFiles.msg")
    assert message.sender == "hmailuser <hmailuser@hmailserver.test>"
    assert message.subject == "attachmentFiles"
    assert message.delivered is not None
    assert message.delivered.isoformat() == "2023-11-01T00:48:31+00:00"
    assert message.delivered_from == "delivery time"
    assert [(a.name, len(a.content), a.content[:4]) for a in message.attachments] == [
        ("jpg.jpg", 726, b"\xff\xd8\xff\xe0"),
        ("png.png", 134, b"\x89PNG"),
        ("tif.tif", 664, b"II*\x00"),
    ]
    nested = read_msg(DATA / "msgInMsg.msg")
    assert nested.subject == "I have attachments!"
    assert [a.name for a in nested.attachments] == ["green.png"]


def test_collected_csv_drives_the_late_return_rule(workspace: Config, tmp_path: Path) -> None:
    saved = tmp_path / "saved"
    reply(
        saved,
        "on-time.eml",
        [("Director.xlsx", filled(workspace, "director-education", tmp_path))],
        received="Fri, 04 Aug 2023 16:40:00 +0100",
    )
    reply(
        saved,
        "late.eml",
        [("DCO.xlsx", filled(workspace, "nhs-lead", tmp_path))],
        received="Wed, 09 Aug 2023 08:05:00 +0100",  # the deadline was Monday 7 August
        date="Sun, 06 Aug 2023 23:59:00 +0100",  # sent in time, but delivery is what counts
    )
    collect_returns(workspace, PERIOD, [saved])
    report = check_period(workspace, PERIOD)
    by_name = {f.name: f for f in report.files}
    assert by_name["Director.xlsx"].received_source == "collected.csv"
    assert str(by_name["Director.xlsx"].received_at) == "2023-08-04 15:40:00"
    late = [f for f in report.findings if f.code == "late-return"]
    assert [(f.file, f.value) for f in late] == [("DCO.xlsx", "09 August 2023 07:05")]
    assert by_name["collected.csv"].status.value == "Skipped"


def test_the_offices_received_csv_counts_over_collected_csv(
    workspace: Config, tmp_path: Path
) -> None:
    saved = tmp_path / "saved"
    reply(
        saved,
        "late.eml",
        [("DCO.xlsx", filled(workspace, "nhs-lead", tmp_path))],
        received="Wed, 09 Aug 2023 08:05:00 +0100",
    )
    collect_returns(workspace, PERIOD, [saved])
    # The office knows better (it arrived on the 4th and sat in a shared mailbox): its own
    # record counts, and the return is not late.
    (workspace.returns_dir(PERIOD) / "received.csv").write_text(
        "file,received\nDCO.xlsx,04/08/2023 10:00\n", "utf-8"
    )
    report = check_period(workspace, PERIOD)
    (dco,) = [f for f in report.files if f.name == "DCO.xlsx"]
    assert (dco.received_source, str(dco.received_at)) == ("received.csv", "2023-08-04 10:00:00")
    assert [f for f in report.findings if f.code == "late-return"] == []


def test_a_forwarded_reply_gives_up_its_return(workspace: Config, tmp_path: Path) -> None:
    director = filled(workspace, "director-education", tmp_path)
    inner = reply(tmp_path / "inner", "inner.eml", [("Director.xlsx", director)])
    forward = EmailMessage()
    forward["Received"] = "from relay by mx.example.org; Thu, 03 Aug 2023 11:00:00 +0100"
    forward["From"] = "pa@example.org"
    forward["Subject"] = "FW: RE: Your July 2023 return"
    forward.set_content("Forwarding the director's return.")
    forward.add_attachment(parse_eml(inner.read_bytes()))
    saved = tmp_path / "saved"
    saved.mkdir()
    (saved / "forward.eml").write_bytes(forward.as_bytes())
    collection = collect_returns(workspace, PERIOD, [saved])
    assert [(p.path.name, p.received) for p in collection.placed] == [
        ("Director.xlsx", "2023-08-03T11:00:00+01:00")  # when the office received the forward
    ]
    assert collection.placed[0].path.read_bytes() == director


def parse_eml(data: bytes) -> EmailMessage:
    from email import policy
    from email.parser import BytesParser

    message = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    return message
