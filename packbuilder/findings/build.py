"""Findings about the build itself."""

from __future__ import annotations

from packbuilder.findings.check import Check, W

# The build itself: the periods recorded, the plan it ran with, the outputs it wrote
# (periods.py, history/plan_changes.py, tracker/formats.py, reports/render.py).
BUILD_CHECKS: tuple[Check, ...] = (
    Check("period-months-skipped", W, "build", "Months before this one not built", ""),
    Check("period-built-out-of-order", W, "build", "Later months built before this one", ""),
    Check("plan-changed-since-build", W, "build", "Plan changed since the period was built", ""),
    Check("tracker-text-cut", W, "build", "Text cut to Excel's cell limit in the tracker", ""),
    Check("template-default", W, "build", "Default Word template used", ""),
)
