"""``packbuilder plan``, ``returns`` and ``kpis``: the plan register, and the returns made for
officers and the data team, sent, collected and chased.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from packbuilder.cli.common import (
    EXIT_CODES_HELP,
    F,
    State,
    admitted_period,
    count,
    future_option,
    handles_errors,
    in_workspace,
    new_console,
    parse_period,
    warn_long_paths,
)
from packbuilder.errors import EXIT_ENVIRONMENT, EXIT_USAGE

if TYPE_CHECKING:
    from packbuilder.config import Config
    from packbuilder.mail.send import Mailing


@click.group(epilog="Example:\n\n\b\n  packbuilder plan check\n\n" + EXIT_CODES_HELP)
def plan() -> None:
    """The plan register (inputs/plan.xlsx)."""


@plan.command("check", epilog="Example:\n\n\b\n  packbuilder plan check\n\n" + EXIT_CODES_HELP)
@click.pass_obj
@handles_errors
def plan_check(state: State) -> None:
    """Load the plan register, list its problems and count its contents.

    Counts actions per area of weakness, sub-theme, officer and rating, and reports every
    problem with its sheet and cell. Exits 2 when the plan has errors.
    """
    from packbuilder.commands.plan import review_plan
    from packbuilder.console.plan import print_plan_summary

    config = state.config()
    loaded = review_plan(config)
    print_plan_summary(loaded, new_console())
    warn_long_paths(config, None, [o.name for o in loaded.plan.officers])
    if loaded.errors:
        sys.exit(2)


@click.group(epilog="Example:\n\n\b\n  packbuilder returns make 2023-08\n\n" + EXIT_CODES_HELP)
def returns() -> None:
    """Officers' return workbooks."""


@returns.command(
    "make",
    epilog="Examples:\n\n\b\n  packbuilder returns make 2023-08\n"
    "  packbuilder returns make 2023-08 --area-leads\n\n" + EXIT_CODES_HELP,
)
@click.argument("period")
@click.option(
    "--area-leads",
    "area_leads_only",
    is_flag=True,
    help="Make only the area-lead returns (run after check, so leads see this month's ratings).",
)
@future_option
@click.pass_obj
@handles_errors
def returns_make(state: State, period: str, area_leads_only: bool, future: bool) -> None:
    """Make one pre-filled return per reporting officer for PERIOD (YYYY-MM).

    Writes outputs/PERIOD/returns/ and send-list.csv (officer, email, file, deadline,
    officer_id, area) for a mail merge or 'returns send'. Area-lead returns are made too
    unless config says otherwise.
    """
    from packbuilder.commands.returns import make_returns

    config = state.config()
    month = admitted_period(config, period, future)
    with in_workspace(config):
        made = make_returns(config, month, area_leads_only=area_leads_only)
    console = new_console()
    console.print(
        f"Made {made.officer_count} officer returns and {made.area_count} area-lead returns "
        f"for {month.label} in {made.folder}"
    )
    console.print(f"Send list: {made.send_list}   Deadline: {made.deadline:%d %B %Y}")


def _smtp_options(command: F) -> F:
    command = click.option(
        "--resend",
        multiple=True,
        metavar="NAME",
        help="Send this one again (an officer ID, or area-N), even if sent.csv says it went.",
    )(command)
    return click.option(
        "--smtp",
        is_flag=True,
        help="Also send through the SMTP server in config.toml, recording each in sent.csv.",
    )(command)


@returns.command(
    "send",
    epilog="Examples:\n\n\b\n  packbuilder returns send 2023-08\n"
    "  packbuilder returns send 2023-08 --smtp\n\n" + EXIT_CODES_HELP,
)
@click.argument("period")
@_smtp_options
@click.pass_obj
@handles_errors
def returns_send(state: State, period: str, smtp: bool, resend: tuple[str, ...]) -> None:
    """Write an email for every return made for PERIOD, with the return attached.

    Drafts (.eml, opened by Outlook as ready to send) go to outputs/PERIOD/emails/returns/;
    no mail login is needed. With --smtp they are also sent, never twice on a rerun. Exits 3
    when a message could not be sent (see docs/email.md).
    """
    from packbuilder.commands.mail import send

    config = state.config()
    with in_workspace(config, reads_history=False):
        mailing = send(config, parse_period(period), smtp=smtp, resend=resend)
    _print_mailing(mailing, config, "emails with returns")


@returns.command(
    "collect",
    epilog="Examples:\n\n\b\n  packbuilder returns collect 2023-08 ~/saved-emails\n"
    "  packbuilder returns collect 2023-08 reply.eml reply.msg Return.xlsx\n\n" + EXIT_CODES_HELP,
)
@click.argument("period")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_obj
@handles_errors
def returns_collect(state: State, period: str, sources: tuple[Path, ...]) -> None:
    """Put the returns in saved emails (.eml, .msg), folders of them, or workbooks into
    inputs/returns/PERIOD/, with when each arrived in collected.csv.

    Never overwrites or removes a file; identical files are skipped; anything that is not a
    spreadsheet is listed and left. Exits 2 when an email or attachment was refused.
    """
    from packbuilder.mail.collect import collect_returns

    config = state.config()
    with in_workspace(config, reads_history=False):
        collection = collect_returns(config, parse_period(period), list(sources))
    console = new_console()
    for placed in collection.placed:
        received = f"received {placed.received}" if placed.received else "no time of receipt"
        added = f"Added {placed.path.relative_to(config.root)} ({received})"
        console.print(added, markup=False, soft_wrap=True)
    for found in collection.findings:
        line = f"{found.severity.value}: {found.message} [{found.code}]"
        console.print(line, markup=False, soft_wrap=True)
    console.print(
        f"Collected {count(len(collection.placed), 'return')} from "
        f"{count(collection.emails, 'saved email')}."
    )
    if collection.refused:
        sys.exit(EXIT_USAGE)


@returns.command(
    "chase",
    epilog="Examples:\n\n\b\n  packbuilder returns chase 2023-08\n"
    "  packbuilder returns chase 2023-08 --smtp\n\n" + EXIT_CODES_HELP,
)
@click.argument("period")
@_smtp_options
@click.pass_obj
@handles_errors
def returns_chase(state: State, period: str, smtp: bool, resend: tuple[str, ...]) -> None:
    """Check PERIOD afresh, then write reminders and feedback emails.

    An officer with no return gets a reminder with the return attached again; one whose
    return has errors gets the feedback workbook and what to fix; one whose return is valid
    gets nothing. Drafts go to outputs/PERIOD/emails/chase/; --smtp sends them.
    """
    from packbuilder.commands.mail import chase

    config = state.config()
    with in_workspace(config):
        mailing = chase(config, parse_period(period), smtp=smtp, resend=resend)
    _print_mailing(mailing, config, "reminders and feedback emails")


def _print_mailing(mailing: Mailing, config: Config, what: str) -> None:
    console = new_console()
    console.print(
        f"Wrote {len(mailing.drafts)} {what} as drafts in {mailing.folder.relative_to(config.root)}"
    )
    for letter in mailing.without_address:
        console.print(
            f"No usable email address in the plan for {letter.recipient_name}: draft has no To",
            markup=False,
        )
    failed = False
    for outcome in mailing.outcomes:
        detail = f" ({outcome.detail})" if outcome.detail else ""
        line = f"{outcome.status}: {outcome.letter.name}{detail}"
        console.print(line, markup=False, soft_wrap=True)
        failed = failed or outcome.status in ("refused", "failed", "unknown")
    if mailing.sent_csv is not None:
        console.print(f"Record: {mailing.sent_csv.relative_to(config.root)}")
    if failed:
        sys.exit(EXIT_ENVIRONMENT)


@click.group(epilog="Example:\n\n\b\n  packbuilder kpis make 2023-08\n\n" + EXIT_CODES_HELP)
def kpis() -> None:
    """KPI returns for the data team."""


@kpis.command(
    "make", epilog="Example:\n\n\b\n  packbuilder kpis make 2023-08\n\n" + EXIT_CODES_HELP
)
@click.argument("period")
@future_option
@click.pass_obj
@handles_errors
def kpis_make(state: State, period: str, future: bool) -> None:
    """Make the KPI return for PERIOD for the data team to fill in.

    Lists every KPI with its unit, frequency, last value and as-at date and the target in
    force, into outputs/PERIOD/returns/.
    """
    from packbuilder.commands.kpi_return import make_kpi_return

    config = state.config()
    month = admitted_period(config, period, future)
    with in_workspace(config):
        path = make_kpi_return(config, month)
    new_console().print(f"Made the KPI return: {path}")
