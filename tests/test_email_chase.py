"""returns chase: check afresh, then a reminder to the missing, feedback to the wrong, nothing
to the valid; as drafts, through the command line, and through a real SMTP server.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from click.testing import CliRunner
from email_fixtures import (
    PERIOD,
    Mailbox,
    SmtpServer,
    attachment_of,
    body_text,
    mail_workspace,
    parse,
    use_smtp,
)
from returns_factory import fill_clean

from packbuilder.check_outputs.outputs import write_check_outputs
from packbuilder.cli import main
from packbuilder.commands.check import check_period
from packbuilder.commands.returns import make_returns
from packbuilder.config import Config
from packbuilder.mail.chase import chase_returns
from packbuilder.model import Period
from packbuilder.plan.loader import load_plan

NO_ADDRESS = (
    "No usable email address in the plan for Head of Parents' Communications: draft has no To\n"
)
REPO = Path(__file__).resolve().parent.parent


def _month_with_three_cases(tmp_path: Path) -> Config:
    """The director's return valid, the DCO's with a bad rating, Head of Comms' missing, and
    neither area lead's commentary in."""
    config, made = mail_workspace(tmp_path / "ws")
    by_name = {p.name: p for p in made.files}
    folder = config.returns_dir(PERIOD)
    fill_clean(
        by_name["2023-07 Return - Director – Education & SEND.xlsx"],
        folder / "Director.xlsx",
        "director-education",
    )
    fill_clean(
        by_name["2023-07 Return - Designated Clinical Officer.xlsx"],
        folder / "DCO.xlsx",
        "nhs-lead",
        {"2A2": {"progress": "Purple"}},
    )
    return config


def test_chase_writes_a_reminder_and_feedback_and_nothing_for_the_valid(tmp_path: Path) -> None:
    config = _month_with_three_cases(tmp_path)
    report = check_period(config, PERIOD)
    written = write_check_outputs(config, load_plan(config.plan_path, config).plan, report)
    mailing = chase_returns(
        config, load_plan(config.plan_path, config).plan, report, written.feedback
    )
    assert [(letter.kind, letter.name, letter.to) for letter in mailing.letters] == [
        ("reminder", "head-of-comms", ""),
        ("reminder", "area-1", ""),
        ("reminder", "area-2", "dco@example.org"),
        ("feedback", "nhs-lead", "dco@example.org"),
    ]  # nothing for the director, whose return is valid
    assert [p.name for p in mailing.drafts] == [
        "2023-07 Reminder - Head of Parents' Communications.eml",
        "2023-07 Area 1 reminder - Head of Parents' Communications.eml",
        "2023-07 Area 2 reminder - Designated Clinical Officer.eml",
        "2023-07 Feedback - Designated Clinical Officer.eml",
    ]
    assert mailing.folder == tmp_path / "ws/outputs/2023-07/emails/chase"

    reminder = parse(mailing.drafts[0].read_bytes())
    assert reminder["X-Unsent"] == "1"
    assert reminder["Subject"] == (
        "Reminder: your July 2023 return for the plan, due Monday 7 August 2023"
    )
    name, content = attachment_of(reminder)
    made = config.outputs_dir(PERIOD) / "returns" / name
    assert name == "2023-07 Return - Head of Parents' Communications.xlsx"
    assert content == made.read_bytes()

    area = parse(mailing.drafts[2].read_bytes())
    assert attachment_of(area)[0] == "2023-07 Area 2 commentary - Designated Clinical Officer.xlsx"
    assert "commentary return for area of weakness 2 for" in body_text(area)

    feedback = parse(mailing.drafts[3].read_bytes())
    name, content = attachment_of(feedback)
    assert name == "DCO.xlsx"
    assert content == (config.outputs_dir(PERIOD) / "feedback" / "DCO.xlsx").read_bytes()
    text = body_text(feedback)
    (error,) = [f for f in report.findings if f.severity.value == "error"]
    assert f"  - {error.where}: {error.message}\n" in text
    assert error.where.startswith("DCO.xlsx › Return › ")
    assert "Purple" in text


def test_a_return_that_cannot_be_used_gets_a_reminder_saying_why(tmp_path: Path) -> None:
    config, _ = mail_workspace(tmp_path / "ws")
    august = make_returns(config, Period(2023, 8))
    source = next(p for p in august.files if "Return - Designated" in p.name)
    fill_clean(source, config.returns_dir(PERIOD) / "DCO August.xlsx", "nhs-lead")
    report = check_period(config, PERIOD)
    written = write_check_outputs(config, load_plan(config.plan_path, config).plan, report)
    mailing = chase_returns(
        config, load_plan(config.plan_path, config).plan, report, written.feedback
    )
    dco = next(
        p for p in mailing.drafts if p.name == "2023-07 Reminder - Designated Clinical Officer.eml"
    )
    message = parse(dco.read_bytes())
    (wrong,) = [f for f in report.findings if f.file == "DCO August.xlsx"]
    assert wrong.code == "wrong-period"
    assert body_text(message).startswith(
        "Dear Designated Clinical Officer,\n\n"
        "We received DCO August.xlsx from you, but it could not be used as your July 2023 return "
        f"for Improvement Plan:\n\n  - {wrong.message}\n\nYour return is attached again."
    )
    assert attachment_of(message)[0] == "2023-07 Return - Designated Clinical Officer.xlsx"


def test_chase_on_the_command_line_checks_first(tmp_path: Path) -> None:
    config = _month_with_three_cases(tmp_path)
    stale = config.outputs_dir(PERIOD) / "feedback"
    assert not stale.exists()  # nothing from an earlier check: chase runs it itself
    result = CliRunner().invoke(main, ["-C", str(config.root), "returns", "chase", "2023-07"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Wrote 4 reminders and feedback emails as drafts in outputs/2023-07/emails/chase\n"
        + NO_ADDRESS * 2
    )
    assert (stale / "DCO.xlsx").is_file()


def test_chase_by_smtp_records_in_sent_csv_and_never_twice(tmp_path: Path) -> None:
    config = _month_with_three_cases(tmp_path)
    mailbox = Mailbox()
    with SmtpServer(mailbox) as server:
        config = use_smtp(tmp_path / "ws", server.port)
        runner = CliRunner()
        arguments = ["-C", str(config.root), "returns", "chase", "2023-07", "--smtp"]
        first = runner.invoke(main, arguments)
        assert first.exit_code == 0, first.output
        assert "sent: nhs-lead\n" in first.output
        assert "no address: head-of-comms\n" in first.output
        second = runner.invoke(main, arguments)
        assert second.exit_code == 0, second.output
        assert "already sent: nhs-lead (sent)\n" in second.output
    assert [attachment_of(m)[0] for m in mailbox.messages()] == [
        "2023-07 Area 2 commentary - Designated Clinical Officer.xlsx",
        "DCO.xlsx",
    ]
    with (config.emails_dir(PERIOD) / "sent.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["kind"], r["name"], r["status"]) for r in rows] == [
        ("reminder", "area-2", "sending"),
        ("reminder", "area-2", "sent"),
        ("feedback", "nhs-lead", "sending"),
        ("feedback", "nhs-lead", "sent"),
    ]


def test_the_example_month_sent_collected_checked_and_chased(tmp_path: Path) -> None:
    """The bundled example: every officer has an example.org address; after a check of the
    sample August returns, chase writes exactly what check's chase list names."""
    workspace = tmp_path / "example"
    workspace.mkdir()
    shutil.copy(REPO / "config.toml", workspace)
    shutil.copytree(REPO / "inputs", workspace / "inputs")
    shutil.copytree(REPO / "templates", workspace / "templates")
    runner = CliRunner()
    made = runner.invoke(main, ["-C", str(workspace), "returns", "make", "2023-08"])
    assert made.exit_code == 0, made.output
    sent = runner.invoke(main, ["-C", str(workspace), "returns", "send", "2023-08"])
    assert sent.exit_code == 0, sent.output
    assert "No email address" not in sent.output
    drafts = sorted((workspace / "outputs/2023-08/emails/returns").glob("*.eml"))
    assert drafts and all(
        parse(d.read_bytes())["To"].addresses[0].domain == "example.org" for d in drafts
    )

    chased = runner.invoke(main, ["-C", str(workspace), "returns", "chase", "2023-08"])
    assert chased.exit_code == 0, chased.output
    with (workspace / "outputs/2023-08/feedback/chase-list.csv").open(encoding="utf-8") as handle:
        chase_list = list(csv.DictReader(handle))
    letters = sorted(
        p
        for p in (workspace / "outputs/2023-08/emails/chase").glob("*.eml")
        if " Area " not in p.name
    )
    kinds = sorted(
        (
            "reminder" if "Reminder" in p.name else "feedback",
            parse(p.read_bytes())["To"].addresses[0].addr_spec,
        )
        for p in letters
    )
    feedback = workspace / "outputs/2023-08/feedback"
    expected = sorted(
        # A return that cannot be used at all has no feedback workbook: a reminder says why.
        (
            "feedback" if row["file"] and (feedback / row["file"]).is_file() else "reminder",
            row["email"],
        )
        for row in chase_list
    )
    assert kinds == expected
    assert len(letters) == len(chase_list) > 0
