"""Ratings: BRAG for actions, RAG for KPIs, the direction of travel and a finding's severity.

Part of the domain model (packbuilder.model, which re-exports every public name).
"""

from __future__ import annotations

import enum


class Rating(enum.Enum):
    """A progress or impact rating. ``NOT_YET_RATED`` is allowed for impact only."""

    RED = "Red"
    AMBER = "Amber"
    GREEN = "Green"
    BLUE = "Blue"
    NOT_YET_RATED = "Not yet rated"

    @property
    def is_brag(self) -> bool:
        return self is not Rating.NOT_YET_RATED

    @property
    def rank(self) -> int:
        """Order of goodness, Red 1 … Blue 4; Not yet rated is 0 and never compared."""
        return _RANK[self]

    @property
    def is_complete(self) -> bool:
        """Complete means Green or Blue progress."""
        return self in (Rating.GREEN, Rating.BLUE)


_RANK = {Rating.NOT_YET_RATED: 0, Rating.RED: 1, Rating.AMBER: 2, Rating.GREEN: 3, Rating.BLUE: 4}

BRAG_ORDER: tuple[Rating, ...] = (Rating.BLUE, Rating.GREEN, Rating.AMBER, Rating.RED)
"""The order ratings are listed in counts and legends: best first."""


class Direction(enum.Enum):
    """Direction of travel of a rating or KPI against the previous period."""

    IMPROVED = "Improved"
    SAME = "No change"
    WORSE = "Worse"
    NEW = "New"  # no previous value to compare with (first report, new action)
    NOT_COMPARABLE = "Not comparable"  # one side Not yet rated or missing

    @property
    def arrow(self) -> str:
        return {"Improved": "▲", "No change": "►", "Worse": "▼"}.get(self.value, "–")


def direction_of(previous: Rating | None, current: Rating | None) -> Direction:
    """Compare two ratings by goodness."""
    if previous is None:
        return Direction.NEW
    if current is None or not previous.is_brag or not current.is_brag:
        return Direction.NOT_COMPARABLE
    if current.rank > previous.rank:
        return Direction.IMPROVED
    if current.rank < previous.rank:
        return Direction.WORSE
    return Direction.SAME


class KpiRag(enum.Enum):
    RED = "Red"
    AMBER = "Amber"
    GREEN = "Green"
    NOT_RATED = "Not rated"


class Severity(enum.Enum):
    """Finding severity: error keeps its cell, row or file out; warning is a query; info a note."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
