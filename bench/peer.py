"""The naive peer: the script a capable analyst would write instead of packbuilder.

For each workbook in the returns folder, ``pandas.read_excel`` of the Return sheet (openpyxl),
concatenated into one table; ``to_excel`` as the tracker; then a docxtpl report with a table of
every action, from a small template made here with python-docx. It runs no checks at all.
``--read-only`` stops after reading, to compare with ``packbuilder check``.

    python bench/peer.py RETURNS_DIR OUT_DIR [--read-only]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

COLUMNS = (
    "Action ID",
    "Progress BRAG",
    "Impact BRAG",
    "Progress commentary",
    "Confidence in delivery",
    "Escalation needed",
)


def read_returns(folder: Path) -> object:
    """Every return's Return sheet, one row per action, in one DataFrame."""
    import pandas as pd

    frames = []
    for path in sorted(folder.glob("*.xlsx")):
        try:
            frame = pd.read_excel(path, sheet_name="Return", header=3, engine="openpyxl")
        except ValueError:  # an area-lead return has no Return sheet
            continue
        frame["Source file"] = path.name
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def make_template(path: Path) -> None:
    """A one-page report template: a title and a table with one row per action."""
    from docx import Document

    document = Document()
    document.add_heading("{{ title }}", level=1)
    document.add_paragraph("{{ count }} actions reported.")
    table = document.add_table(rows=3, cols=len(COLUMNS))
    table.style = "Table Grid"
    for index, header in enumerate(COLUMNS):
        table.rows[0].cells[index].text = header
    table.rows[1].cells[0].text = "{%tr for row in rows %}"
    for index in range(len(COLUMNS)):
        table.rows[2].cells[index].text = f"{{{{ row[{index}] }}}}"
    last = table.add_row()
    last.cells[0].text = "{%tr endfor %}"
    document.save(str(path))


def write_outputs(actions: object, out: Path) -> None:
    """The tracker with to_excel, then the report with docxtpl."""
    import pandas as pd
    from docxtpl import DocxTemplate

    assert isinstance(actions, pd.DataFrame)
    out.mkdir(parents=True, exist_ok=True)
    actions.to_excel(out / "tracker.xlsx", index=False)
    template = out / "report-template.docx"
    make_template(template)
    report = DocxTemplate(str(template))
    present = [c for c in COLUMNS if c in actions.columns]
    table = actions[present].fillna("").astype(str)
    rows = [list(r) for r in table.itertuples(index=False)]
    report.render({"title": "Monthly assurance report", "count": len(rows), "rows": rows})
    report.save(str(out / "report.docx"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("returns", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--read-only", action="store_true")
    args = parser.parse_args(argv)
    actions = read_returns(args.returns)
    if not args.read_only:
        write_outputs(actions, args.out)
    print(f"read {len(actions)} rows")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
