"""``packbuilder returns chase PERIOD``: check afresh, write the check's outputs, then the
reminders and feedback emails for the officers whose returns are missing or have errors."""

from __future__ import annotations

from collections.abc import Sequence

from packbuilder.commands.check import check_and_write
from packbuilder.config import Config
from packbuilder.mail.chase import chase_returns
from packbuilder.mail.send import Mailing
from packbuilder.model import Period


def chase(config: Config, period: Period, smtp: bool, resend: Sequence[str]) -> Mailing:
    """Reminders to officers with no usable return, feedback to those whose return has errors."""
    run = check_and_write(config, period)
    return chase_returns(config, run.report, run.written.feedback, smtp=smtp, resend=resend)
