"""Periods kept in order: which months a command may work on, and where a build's month sits
among the months history recorded.

The command line asks ``admit_period`` before ``check``, ``build``, ``returns make`` or
``kpis make`` reads or writes anything: a month before the programme's first (config's
``periods.first``) is refused, and so is one that starts after the end of next month, counted
in calendar months from today, unless the office says it means it (``--future``). A mistyped
year so never makes an outputs folder or a month in history.

A month may be skipped, and one may be built after later ones: ``order_findings`` says which
months the comparison skips and which recorded months were built without this one. These are
pure functions of the periods; history is read by the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from packbuilder.errors import PeriodError
from packbuilder.findings import finding
from packbuilder.model import Finding, Period


def today() -> dt.date:
    """Today's date, the one thing here that is not a function of the inputs (tests set it)."""
    return dt.date.today()


def latest_allowed(on: dt.date) -> Period:
    """The last period a command works on without --future: next month, counted from ON."""
    return Period.of(on).next


def admit_period(
    first: Period, period: Period, *, future: bool = False, on: dt.date | None = None
) -> None:
    """Refuse PERIOD when it is before FIRST, or after next month (from ON) without FUTURE."""
    if period < first:
        raise PeriodError(
            f"{period} is before the programme's first period, {first} ({first.label}), set by "
            "periods.first in config.toml, so nothing was done",
            hint="Check the year of the period; if the programme really started earlier, "
            "change periods.first in config.toml.",
        )
    latest = latest_allowed(on or today())
    if period > latest and not future:
        raise PeriodError(
            f"{period} starts after the end of next month ({latest.label}), so nothing was done",
            hint="Check the year of the period; to prepare a later month on purpose, run the "
            "command again with --future.",
        )


def months_between(earlier: Period, later: Period) -> list[Period]:
    """The months strictly between EARLIER and LATER, oldest first."""
    months = []
    month = earlier.next
    while month < later:
        months.append(month)
        month = month.next
    return months


def skipped_months(first: Period, previous: Period | None, period: Period) -> list[Period]:
    """The months a build of PERIOD skips: those after PREVIOUS (the latest recorded month
    before it), or from FIRST when none is recorded, and before PERIOD."""
    return months_between(previous if previous is not None else first.previous, period)


def listed(periods: Iterable[Period]) -> str:
    """Months as a reader says them: "July 2023", "July 2023 and August 2023", a run of three
    or more as "July 2023 to September 2023 (3 months)"."""
    months = sorted(periods)
    labels = [m.label for m in months]
    if len(months) >= 3 and months_between(months[0], months[-1]) == months[1:-1]:
        return f"{labels[0]} to {labels[-1]} ({len(months)} months)"
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} and {labels[-1]}"


def _were(periods: list[Period]) -> str:
    return "was" if len(periods) == 1 else "were"


def order_findings(first: Period, recorded: Iterable[Period], period: Period) -> list[Finding]:
    """Warnings for a build of PERIOD among the RECORDED months: months it skips in its
    comparison, and later months built without it."""
    recorded = sorted(set(recorded))
    earlier = [p for p in recorded if p < period]
    previous = earlier[-1] if earlier else None
    findings = []
    skipped = skipped_months(first, previous, period)
    if skipped:
        findings.append(
            finding(
                "period-months-skipped",
                value=", ".join(str(p) for p in skipped),
                variant="" if previous is not None else "first",
                period_label=period.label,
                previous=previous.label if previous is not None else "",
                first=first.label,
                skipped=listed(skipped),
                were=_were(skipped),
            )
        )
    later = [p for p in recorded if p > period]
    if later:
        findings.append(
            finding(
                "period-built-out-of-order",
                value=", ".join(str(p) for p in later),
                variant="" if period in recorded else "without",
                period_label=period.label,
                later=listed(later),
                were=_were(later),
                them="it" if len(later) == 1 else "them, in order,",
            )
        )
    return findings
