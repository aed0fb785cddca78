"""The shape every registered finding code shares (``Check``), the severities by their
letters, and what an error keeps out of the tracker."""

from __future__ import annotations

from dataclasses import dataclass

from packbuilder.model import Severity

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO  # N: a note (info)


# What an error keeps out of the tracker (docs/findings.md opens with it): the cell it names (with
# the fields that go with it, packbuilder/merge.py), the whole action row, or the whole file.
CELL, ROW, FILE = "cell", "row", "file"


@dataclass(frozen=True)
class Check:
    code: str
    severity: Severity
    family: str  # "file", "identity", "rows", "ratings", "dates", "text", "comparison", "folder",
    # "email" (returns collect), "plan", "kpi", "overrides", "narrative" or "build"
    title: str
    template: str  # str.format fields: any keyword given to finding(), plus value and cell;
    # empty only for the few codes whose message is still written where the finding is made
    rejects: str = ""  # errors only: CELL, ROW or FILE
    carried: str = ""  # why a value shown was carried forward, in words: "…: {carried}"
    # Where one code is found in more than one way, each other way's message by its name
    # (finding(code, variant=NAME, ...)); the template is the message of the usual way.
    variants: tuple[tuple[str, str], ...] = ()

    def template_for(self, variant: str = "") -> str:
        """The message template of VARIANT (the usual one when empty); KeyError if unknown."""
        return dict(self.variants)[variant] if variant else self.template
