"""Periods: a month of the programme, written 2023-07, judged as at its last day.

Part of the domain model (packbuilder.model, which re-exports every public name).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Period:
    """A reporting month, written ``YYYY-MM`` and judged as at its last day."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read ``2023-07``; raise ValueError with the expected form otherwise."""
        match = _PERIOD_RE.match(text.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValueError(f"{text!r} is not a period: write the month as YYYY-MM, e.g. 2023-07")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> Period:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def shift(self, months: int) -> Period:
        index = self.year * 12 + (self.month - 1) + months
        return Period(index // 12, index % 12 + 1)

    @property
    def previous(self) -> Period:
        return self.shift(-1)

    @property
    def next(self) -> Period:
        return self.shift(1)

    @property
    def label(self) -> str:
        """The month as a reader says it: ``July 2023``."""
        return f"{calendar.month_name[self.month]} {self.year}"

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"
