"""The build's own findings: their words, now the registry's, on values built in the test."""

from __future__ import annotations

from pathlib import Path

from packbuilder.config import default_config_text, load_config
from packbuilder.findings import REGISTRY, message
from packbuilder.history.plan_changes import plan_drift
from packbuilder.model import Period, Severity
from packbuilder.reports.render import find_template


def test_a_missing_word_template_falls_back_to_the_default_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(default_config_text(), "utf-8")
    config = load_config(tmp_path)
    path, warning = find_template(config, "assurance-report.docx")
    assert path.is_file()
    assert warning is not None
    assert (warning.code, warning.severity, warning.file, warning.message) == (
        "template-default",
        Severity.WARNING,
        "templates/assurance-report.docx",
        "templates/assurance-report.docx is missing, so packbuilder's default template was "
        "used. Copy it back (packbuilder init writes one) to restyle the report.",
    )


class _History:
    def __init__(self, sha256: str) -> None:
        self.sha256 = sha256

    def plan_snapshot(self, period: Period) -> tuple[str, object]:
        return self.sha256, None


def test_a_rebuild_with_another_plan_says_so() -> None:
    august = Period(2023, 8)
    assert plan_drift(_History("a" * 64), august, "a" * 64) is None  # type: ignore[arg-type]
    warning = plan_drift(_History("a" * 64), august, "b" * 64)  # type: ignore[arg-type]
    assert warning is not None
    assert (warning.code, warning.file, warning.message) == (
        "plan-changed-since-build",
        "plan.xlsx",
        "August 2023 was built before with a different plan; this rebuild uses today's plan, "
        "so its actions, officers or targets may differ from the first build.",
    )


def test_the_tracker_s_cut_text_counts_its_characters_in_thousands() -> None:
    assert REGISTRY["tracker-text-cut"].severity is Severity.WARNING
    assert message("tracker-text-cut", length=40_123) == (
        "A text of 40,123 characters was cut to Excel's limit of 32,767 in the tracker; the "
        "whole text is in the return."
    )
