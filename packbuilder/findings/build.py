"""Findings about the build itself."""

from __future__ import annotations

from packbuilder.findings.check import Check, W

# The build itself: the periods recorded, the plan it ran with, the outputs it wrote
# (periods.py, history/plan_changes.py, tracker/formats.py, reports/render.py).
BUILD_CHECKS: tuple[Check, ...] = (
    Check(
        "period-months-skipped",
        W,
        "build",
        "Months before this one not built",
        "{period_label} is compared with {previous}, the latest month recorded before it: "
        "{skipped} {were} not built.",
        variants=(
            (
                "first",
                "{period_label} is the first month recorded, though the programme starts in "
                "{first}: {skipped} {were} not built, so there is nothing to compare with.",
            ),
        ),
    ),
    Check(
        "period-built-out-of-order",
        W,
        "build",
        "Later months built before this one",
        "{later} {were} built from an earlier build of {period_label}: rebuild {them} so that "
        "the later figures follow from this month's.",
        variants=(
            (
                "without",
                "{later} {were} built without {period_label}: rebuild {them} so that the later "
                "figures follow from this month's.",
            ),
        ),
    ),
    Check(
        "plan-changed-since-build",
        W,
        "build",
        "Plan changed since the period was built",
        "{period_label} was built before with a different plan; this rebuild uses today's "
        "plan, so its actions, officers or targets may differ from the first build.",
    ),
    Check(
        "tracker-text-cut",
        W,
        "build",
        "Text cut to Excel's cell limit in the tracker",
        "A text of {length:,} characters was cut to Excel's limit of 32,767 in the tracker; the "
        "whole text is in the return.",
    ),
    Check(
        "template-default",
        W,
        "build",
        "Default Word template used",
        "{file} is missing, so packbuilder's default template was used. Copy it back "
        "(packbuilder init writes one) to restyle the report.",
    ),
)
