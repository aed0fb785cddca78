"""Dates as the office and officers write them, read day first (en-GB).

Used at the top of the pipeline by the plan loader (end dates, KPI and risk dates) and by the
return checker for dates typed as text. ``parse_uk_date`` reads a whole cell as one full date;
``parse_end_date`` also accepts a month and year inside other words ("March 2023 pilot"), taken
as that month's last day, and treats "Ongoing" or "To be confirmed" as an open end date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from packbuilder.model import EndDate, EndDateKind

_MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    _MONTHS[calendar.month_name[_number].lower()] = _number
    _MONTHS[calendar.month_abbr[_number].lower()] = _number
_MONTHS["sept"] = 9

_MONTH_WORD = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"

_ISO = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?:[ T]00:00(?::00)?)?$")
_NUMERIC = re.compile(r"^(?P<day>\d{1,2})[/.\-](?P<month>\d{1,2})[/.\-](?P<year>\d{4}|\d{2})$")
_WORDED = re.compile(
    r"^(?P<day>\d{1,2})(?:st|nd|rd|th)?[\s\-]+" + _MONTH_WORD + r",?[\s\-]+(?P<year>\d{4}|\d{2})$",
    re.IGNORECASE,
)
# Inside other words: a full worded date, else a month with a four-digit year. Two-digit years
# are not read here: "September 23 reporting" is a month without a year as far as a date goes.
_WORDED_INSIDE = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_WORD + r",?\s+(?P<year>\d{4})\b",
    re.IGNORECASE,
)
_NUMERIC_INSIDE = re.compile(
    r"(?<![\d/.\-])(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4}|\d{2})(?![\d/])"
)
_MONTH_YEAR_INSIDE = re.compile(r"\b" + _MONTH_WORD + r",?\s+(?P<year>\d{4})\b", re.IGNORECASE)

_SPACE = re.compile(r"\s+")


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def _month(text: str) -> int:
    return int(text) if text.isdigit() else _MONTHS[text.lower().rstrip(".")]


def _build(match: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(_year(match["year"]), _month(match["month"]), int(match["day"]))
    except ValueError:  # 31/02/2023, month 13: not a date
        return None


def parse_uk_date(text: str) -> dt.date | None:
    """Read a cell holding one full date, day first; None when it is not a full date.

    Accepts "31/07/2023", "31/7/23", "31-07-2023", "31.07.2023", "31 July 2023",
    "1st August 2023", "31 Jul 2023", "31-Jul-23" and ISO "2023-07-31".
    """
    cleaned = _SPACE.sub(" ", text).strip()
    for pattern in (_ISO, _NUMERIC, _WORDED):
        match = pattern.match(cleaned)
        if match:
            return _build(match)
    return None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def find_date_in_text(text: str) -> tuple[dt.date, EndDateKind] | None:
    """The first date inside free text: a full date, else a month and year as its last day."""
    cleaned = _SPACE.sub(" ", text).strip()
    whole = parse_uk_date(cleaned)
    if whole is not None:
        return whole, EndDateKind.DATE
    for pattern in (_WORDED_INSIDE, _NUMERIC_INSIDE):
        for match in pattern.finditer(cleaned):
            found = _build(match)
            if found is not None:
                return found, EndDateKind.DATE
    month_year = _MONTH_YEAR_INSIDE.search(cleaned)
    if month_year:
        return _month_end(int(month_year["year"]), _month(month_year["month"])), EndDateKind.MONTH
    return None


def parse_end_date(text: str, value: dt.date | None = None) -> EndDate:
    """An end date as the plan writes it: a date, a month (its last day), or open.

    TEXT is the cell as written; VALUE is the same end date where the register also holds it
    as a date cell, and wins over the text. "Ongoing", "To be confirmed…", "TBC" or an empty
    cell give an open end date, which is never overdue and shows as "no date".
    """
    written = _SPACE.sub(" ", text).strip()
    found = find_date_in_text(written) if written else None
    if value is not None:
        kind = found[1] if found is not None else EndDateKind.DATE
        if not written:
            written = f"{value.day} {calendar.month_name[value.month]} {value.year}"
        return EndDate(text=written, date=value, kind=kind)
    # "To be confirmed in the delivery plan in August 2023" names a month but promises no date:
    # words such as "To be confirmed" or "Ongoing" are open, never overdue (docs/plan-register.md).
    if found is None or is_open_wording(written):
        return EndDate(text=written, date=None, kind=EndDateKind.OPEN)
    return EndDate(text=written, date=found[0], kind=found[1])


_OPEN_WORDS = re.compile(r"^(ongoing|tbc|t\.b\.c\.?|to be confirmed|to be agreed|tba)\b", re.I)


def is_open_wording(text: str) -> bool:
    """True for the usual words of an open end date: "Ongoing", "TBC", "To be confirmed…"."""
    return bool(_OPEN_WORDS.match(text.strip()))
