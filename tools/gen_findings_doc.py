"""Write docs/findings.md from the finding registry (packbuilder/checks/registry.py).

Run ``python tools/gen_findings_doc.py`` after changing a code; a test fails when the page is
out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "findings.md"

_FAMILIES = {
    "file": "The file itself (refused before it is opened)",
    "identity": "Whose return, for which period",
    "rows": "Action rows",
    "ratings": "Ratings and choices",
    "dates": "Dates",
    "text": "Text",
    "comparison": "Compared with last period",
    "folder": "Across the folder",
}


def render() -> str:
    sys.path.insert(0, str(ROOT))
    from packbuilder.checks.registry import CHECKS

    lines = [
        "# Finding codes",
        "",
        "Every finding `packbuilder check` can report, generated from "
        "`packbuilder/checks/registry.py` by `tools/gen_findings_doc.py` (do not edit by hand).",
        "",
        "**error**: the row (or the whole file) does not enter the tracker. "
        "**warning**: a query for the office. **info**: a tidy-up made for the officer, "
        "listed in validation.xlsx, never in feedback. Words in braces are filled in from the "
        "return.",
        "",
    ]
    for family, heading in _FAMILIES.items():
        lines += [
            f"## {heading}",
            "",
            "| code | severity | what | message |",
            "| --- | --- | --- | --- |",
        ]
        for check in CHECKS:
            if check.family == family:
                template = check.template.replace("|", "\\|")
                lines.append(
                    f"| `{check.code}` | {check.severity.value} | {check.title} | {template} |"
                )
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    PAGE.write_text(render(), "utf-8")
    print(f"Wrote {PAGE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
