"""Write docs/findings.md from the one findings registry (packbuilder/findings/), a
section per family: officers' returns, saved emails, the plan register, the KPI return, the
office's overrides, the narrative and the build.

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
    "email": "Saved emails (`returns collect`)",
}

# The other inputs and the build: a table of what each code means and its message.
_OTHER_FAMILIES = {
    "plan": (
        "The plan register (inputs/plan.xlsx)",
        "Reported by `plan check`, with the sheet and cell; an error stops every command "
        "that needs the plan until the register is fixed.",
    ),
    "kpi": (
        "The KPI return (inputs/kpis/PERIOD.xlsx)",
        "Checked by `check` and `build` with the officers' returns; `KPI-TARGET-WRONG-SIDE` "
        "comes from `plan check`. Each message names the KPI, the cell and what to do.",
    ),
    "overrides": (
        "The office's overrides (inputs/overrides/PERIOD.xlsx)",
        "Listed by `build`, at the override's cell; an override with one of these changes nothing.",
    ),
    "narrative": (
        "The office's words for the reports (inputs/narrative/PERIOD.toml)",
        "Listed by `build`; each message names the file and the key. A report shows a "
        "placeholder in place of words not yet written.",
    ),
    "build": (
        "The build",
        "Listed by `build`: months recorded out of order or skipped, a plan changed since a "
        "month was first built, a text too long for the tracker, a Word template missing "
        "from the workspace.",
    ),
}


def render() -> str:
    sys.path.insert(0, str(ROOT))
    from packbuilder.findings import CHECKS, COLLECT_CHECKS

    lines = [
        "# Finding codes",
        "",
        "Every finding packbuilder reports, generated from its one registry "
        "(`packbuilder/findings/`) by `tools/gen_findings_doc.py` (do not edit by "
        "hand).",
        "",
        "**error**: what it names does not enter the tracker; the *rejects* column says "
        "what that is. *cell*: that cell keeps its last known value (last period's, or the "
        "plan's rating in the first report) and the row's other cells enter; a revised end "
        "date and its reason go together, as do a next milestone and its date; a rating is "
        "never rejected because something else is missing (a Red with no commentary enters "
        "as Red, and only the commentary is carried). *row*: the whole action row keeps last "
        "period's values. *file*: nothing in the file is used. Wherever a carried value "
        'shows (tracker, reports, history), it says so in words: "Amber, carried forward: '
        "this month's rating was not valid\". The feedback workbook lists every error, so the "
        "officer fixes it and sends the return again. "
        "**warning**: a query for the office. **info**: a tidy-up made for the officer, "
        "listed in validation.xlsx, never in feedback. Words in braces are filled in from the "
        "return.",
        "",
    ]
    for family, heading in _FAMILIES.items():
        lines += [
            f"## {heading}",
            "",
            "| code | severity | rejects | what | message |",
            "| --- | --- | --- | --- | --- |",
        ]
        for check in (*CHECKS, *COLLECT_CHECKS):
            if check.family == family:
                template = check.template.replace("|", "\\|")
                lines.append(
                    f"| `{check.code}` | {check.severity.value} | {check.rejects or '–'} "
                    f"| {check.title} | {template} |"
                )
        lines.append("")
    from packbuilder.findings import FILE_COUNTS

    lines += [
        "## How a refused file counts",
        "",
        "A file refused by one of these codes does not enter the tracker. **A return with "
        "errors** was meant as a return but cannot be used: it counts in the error totals, "
        "the exit code and `build --strict`, and its officer, where the file names one, is "
        "chased to send it again (status `Rejected`). **Not a return** (a Word document, a "
        "picture, another workbook) keeps its finding in validation.xlsx and the returns log "
        "(status `Not a return`) but counts in no total, exit code or summary: the console, "
        "the tracker and the reports count such files once, in one line. A superseded return "
        "(an older file from an officer who sent a newer one) is treated the same way.",
        "",
        "| code | the file counts as |",
        "| --- | --- |",
    ]
    for code, count in FILE_COUNTS.items():
        lines.append(f"| `{code}` | {count.value} |")
    lines.append("")
    from packbuilder.findings import ALL_CHECKS

    for family, (heading, intro) in _OTHER_FAMILIES.items():
        lines += [
            f"## {heading}",
            "",
            intro,
            "",
            "| code | severity | what | message |",
            "| --- | --- | --- | --- |",
        ]
        for check in ALL_CHECKS:
            if check.family == family:
                lines.append(
                    f"| `{check.code}` | {check.severity.value} | {check.title} "
                    f"| {_messages(check)} |"
                )
        lines.append("")
    return "\n".join(lines)


def _messages(check: object) -> str:
    """The code's message templates: the usual one, then each variant's, by its name."""
    from packbuilder.findings import Check

    assert isinstance(check, Check)
    if not check.template:
        return "written where the finding is made"
    texts = [check.template, *(f"*{name}:* {text}" for name, text in check.variants)]
    return "<br>".join(text.replace("|", "\\|") for text in texts)


def main() -> None:
    PAGE.write_text(render(), "utf-8")
    print(f"Wrote {PAGE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
