"""The email commands: ``returns send PERIOD`` drafts (or sends) each officer's return, and
``returns chase PERIOD`` checks afresh, writes the check's outputs, then the reminders and
feedback emails for the officers whose returns are missing or have errors."""

from __future__ import annotations

from collections.abc import Sequence

from packbuilder.commands.check import check_and_write
from packbuilder.commands.plan import required_plan
from packbuilder.config import Config
from packbuilder.mail.chase import chase_returns
from packbuilder.mail.send import Mailing, send_returns
from packbuilder.model import Period


def send(
    config: Config, period: Period, *, smtp: bool = False, resend: Sequence[str] = ()
) -> Mailing:
    """A draft (or, with SMTP, a message) for every return in the period's send list."""
    plan = required_plan(config, "no emails were written")
    return send_returns(config, plan, period, smtp=smtp, resend=resend)


def chase(
    config: Config, period: Period, *, smtp: bool = False, resend: Sequence[str] = ()
) -> Mailing:
    """Reminders to officers with no usable return, feedback to those whose return has errors."""
    run = check_and_write(config, period)
    return chase_returns(
        config, run.plan, run.report, run.written.feedback, smtp=smtp, resend=resend
    )
