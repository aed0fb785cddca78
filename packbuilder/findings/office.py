"""Findings about the office's own inputs: its overrides and its words for the reports."""

from __future__ import annotations

from packbuilder.findings.check import Check, W

# The office's corrections, inputs/overrides/PERIOD.xlsx (overrides.py reads them, merge.py applies
# them): a bad override changes nothing and is listed by build as a warning at its cell.
OVERRIDE_CHECKS: tuple[Check, ...] = (
    Check(
        "overrides-unreadable",
        W,
        "overrides",
        "Overrides workbook not read",
        "The overrides workbook could not be read ({error}); no override was applied.",
    ),
    Check(
        "overrides-missing-column",
        W,
        "overrides",
        "Overrides sheet lacks a column",
        "The overrides sheet has no {column!r} column in row 1: no override was applied.",
    ),
    Check(
        "override-no-action",
        W,
        "overrides",
        "Override names no action",
        "The override has no Action ID.",
    ),
    Check(
        "override-unknown-action",
        W,
        "overrides",
        "Override names an unknown action",
        "The override names action {action!r}, which is not in the plan: it was not applied.",
    ),
    Check(
        "override-unknown-field",
        W,
        "overrides",
        "Override names a field not corrected",
        "{field!r} is not a field that can be corrected: use one of {known}.",
        variants=(
            (
                "applying",
                "The override names the field {field!r}, which cannot be corrected: it was not "
                "applied.",
            ),
        ),
    ),
    Check(
        "override-no-reason",
        W,
        "overrides",
        "Override without a reason",
        "An override needs a reason and who made it: it was not applied.",
    ),
    Check(
        "override-bad-value",
        W,
        "overrides",
        "Override value does not fit its field",
        "{text!r} is not a {field} rating: write {allowed}.",
        variants=(
            ("date", "{text!r} is not a date: write it as 31/12/2023."),
            ("yes-no", "{text!r} is not Yes or No."),
            ("confidence", "{text!r} is not a confidence level: use {choices}."),
        ),
    ),
)

# The office's words for the reports, inputs/narrative/PERIOD.toml (reports/narrative.py).
NARRATIVE_CHECKS: tuple[Check, ...] = (
    Check(
        "narrative-unreadable",
        W,
        "narrative",
        "Narrative file not read",
        "{file} could not be read ({error}); the reports say in plain words that the office's "
        "words are not written yet. Check quotes and brackets.",
    ),
    Check(
        "narrative-invalid",
        W,
        "narrative",
        "Narrative entry of the wrong shape",
        '{file}: [{key}] should hold summary = "text".',
        variants=(
            ("public-summary", '{file}: [public] summary should be "text".'),
            (
                "public-area",
                '{file}: [public.areas] holds one line per area, as 1 = "text"; '
                "'{number}' was ignored.",
            ),
            ("asks", '{file}: write each ask as [asks."RULE:SUBJECT"] with ask = "text".'),
            ("ask", '{file}: [asks."{key}"] should hold ask = "text".'),
        ),
    ),
    Check(
        "narrative-unknown-key",
        W,
        "narrative",
        "Narrative key not used",
        "{file}: unknown key '{value}' ({hint}); it was ignored.",
    ),
    Check(
        "narrative-ask-unmatched",
        W,
        "narrative",
        "Ask for no exception this period",
        '{file}: [asks."{key}"] matches no exception this period; the key is RULE:SUBJECT as '
        "listed in the exception report.",
    ),
    Check(
        "narrative-missing",
        W,
        "narrative",
        "Report words not written yet",
        "{what} is not written yet: the report says so in its place. Add it to {file} and build "
        "again.",
    ),
)
