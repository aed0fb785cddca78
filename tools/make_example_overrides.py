"""Write the bundled example's overrides workbook, inputs/overrides/2023-08.xlsx.

One correction the programme office made after a call: the Commissioner – Inclusion sent no
August return, so 2A2 would carry July's Red progress forward; on the call the officer said
the recruitment it waited on was complete. Run from the repository root:

    .venv/bin/python tools/make_example_overrides.py
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from packbuilder.overrides import HEADERS

ROWS = [
    (
        "2A2",
        "progress",
        "Amber",
        "Phone call with the Commissioner – Inclusion on 5 September 2023: the two posts the "
        "work waited on were filled in August; the return was not sent because of leave.",
        "SEND Programme Office",
    ),
]


def main(root: Path = Path(".")) -> Path:
    path = root / "inputs" / "overrides" / "2023-08.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    workbook.set_properties(
        {"title": "Overrides for August 2023", "created": dt.datetime(2023, 9, 5)}
    )
    sheet = workbook.add_worksheet("Overrides")
    header = workbook.add_format({"bold": True, "bg_color": "#1F3864", "font_color": "#FFFFFF"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    for col, (name, width) in enumerate(zip(HEADERS, (10, 18, 12, 70, 24), strict=True)):
        sheet.write_string(0, col, name, header)
        sheet.set_column(col, col, width)
    for row, values in enumerate(ROWS, start=1):
        for col, value in enumerate(values):
            sheet.write_string(row, col, value, wrap)
    sheet.freeze_panes(1, 0)
    workbook.close()
    return path


if __name__ == "__main__":
    print(main())
