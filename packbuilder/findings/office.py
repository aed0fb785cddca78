"""Findings about the office's own inputs: its overrides and its words for the reports."""

from __future__ import annotations

from packbuilder.findings.check import Check, W

# The office's corrections, inputs/overrides/PERIOD.xlsx (overrides.py reads them, merge.py applies
# them): a bad override changes nothing and is listed by build as a warning at its cell.
OVERRIDE_CHECKS: tuple[Check, ...] = (
    Check("overrides-unreadable", W, "overrides", "Overrides workbook not read", ""),
    Check("overrides-missing-column", W, "overrides", "Overrides sheet lacks a column", ""),
    Check("override-no-action", W, "overrides", "Override names no action", ""),
    Check("override-unknown-action", W, "overrides", "Override names an unknown action", ""),
    Check("override-unknown-field", W, "overrides", "Override names a field not corrected", ""),
    Check("override-no-reason", W, "overrides", "Override without a reason", ""),
    Check("override-bad-value", W, "overrides", "Override value does not fit its field", ""),
)

# The office's words for the reports, inputs/narrative/PERIOD.toml (reports/narrative.py).
NARRATIVE_CHECKS: tuple[Check, ...] = (
    Check("narrative-unreadable", W, "narrative", "Narrative file not read", ""),
    Check("narrative-invalid", W, "narrative", "Narrative entry of the wrong shape", ""),
    Check("narrative-unknown-key", W, "narrative", "Narrative key not used", ""),
    Check("narrative-ask-unmatched", W, "narrative", "Ask for no exception this period", ""),
    Check("narrative-missing", W, "narrative", "Report words not written yet", ""),
)
