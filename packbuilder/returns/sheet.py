"""What every sheet of a return shares: protection, print set-up, footer, rows sized to fit.

``returns make`` writes two kinds of return, the officer's (``officer_return``) and the area
lead's (``area_return``), each with an instructions sheet (``instructions``) and the very hidden
meta sheet the checker recognises a return by. This module holds the pieces all of them use, so
each writer says only what its own sheet holds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from packbuilder.config import Config
from packbuilder.model import Period, Rating
from packbuilder.returns import layout
from packbuilder.returns.writing import write_meta_sheet

KIND_OFFICER = "officer"
KIND_AREA_LEAD = "area-lead"
PROGRESS_CHOICES = (Rating.BLUE, Rating.GREEN, Rating.AMBER, Rating.RED)
IMPACT_CHOICES = (*PROGRESS_CHOICES, Rating.NOT_YET_RATED)
A3, A4 = 8, 9  # Excel's paper size codes

_LINE_POINTS = 12.75  # one line of Arial 10
_CHARS_PER_WIDTH = 1.2  # characters of Arial 10 per unit of column width, a little cautious


def set_return_properties(workbook: Any, config: Config, *, title: str, recipient: str) -> None:
    """The workbook's document properties: TITLE, for RECIPIENT, from the programme."""
    workbook.set_properties(
        {
            "title": title,
            "subject": recipient,
            "company": config.settings.programme.organisation,
            "comments": "Made by packbuilder",
        }
    )


def protect_sheet(sheet: Any, config: Config) -> None:
    """Lock the sheet with config.toml's password; rows and columns may still be resized."""
    sheet.protect(
        config.settings.returns.password,
        {"format_rows": True, "format_columns": True, "sort": False, "autofilter": False},
    )


def print_setup(
    sheet: Any,
    config: Config,
    period: Period,
    who: str,
    *,
    last_row: int,
    last_col: int,
    repeat_row: int | None,
    paper: int,
) -> None:
    """Landscape, one page wide, with the programme, WHO, the period and page numbers below."""
    sheet.set_landscape()
    sheet.set_paper(paper)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.fit_to_pages(1, 0)
    sheet.print_area(0, 0, last_row, last_col)
    if repeat_row is not None:
        sheet.repeat_rows(repeat_row)
    footer = f"&L&8{footer_text(config.settings.programme.name)} – {footer_text(who)}"
    sheet.set_footer(f"{footer}&C&8{period.label}&R&8Page &P of &N")


def footer_text(text: str) -> str:
    """TEXT made safe for a page footer."""
    # '&' starts a header/footer code; the footer is limited to 255 characters in all.
    return text.replace("&", "&&")[:90]


def contact(config: Config) -> str:
    """Who to send the return to and ask questions of, as the officer reads it."""
    programme = config.settings.programme
    if programme.contact_email:
        return f"{programme.contact_name} ({programme.contact_email})"
    return programme.contact_name


def _text_lines(text: str, width: float) -> int:
    per_line = max(1, int(width * _CHARS_PER_WIDTH))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def fit_row(sheet: Any, row: int, cells: Sequence[tuple[str, float]], min_lines: int = 1) -> None:
    """Set a row tall enough for its wrapped text: LibreOffice does not size rows on opening."""
    lines = max([min_lines, *(_text_lines(text, width) for text, width in cells if text)])
    sheet.set_row(row, lines * _LINE_POINTS + 3)


def write_return_meta_sheet(
    workbook: Any,
    config: Config,
    period: Period,
    *,
    kind: str,
    officer_id: str,
    area: str,
    plan_fp: str,
    rows: list[tuple[str, str, str, str]],
) -> None:
    """The very hidden sheet the checker recognises a return by (layout.py describes it)."""
    values = {
        "template_version": layout.TEMPLATE_VERSION,
        "kind": kind,
        "period": str(period),
        "officer_id": officer_id,
        "area": area,
        "plan_fingerprint": plan_fp,
        "programme": config.settings.programme.name,
    }
    sheet = write_meta_sheet(
        workbook,
        name=layout.META_SHEET,
        marker=layout.META_MARKER,
        values={key: values[key] for key in layout.META_KEYS},
        rows_header=layout.META_ROWS_HEADER,
        rows_columns=layout.META_ROWS_COLUMNS,
        rows=rows,
        password=config.settings.returns.password,
    )
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, 2, 20)
