"""The look of a return workbook: one set of cell formats shared by its sheets.

``returns make`` writes every return through these formats, so an officer sees the same
convention in every file: grey cells are the plan's and locked, white bordered cells are theirs
to fill in, and a rating is always coloured as config.toml's BRAG colours say.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from packbuilder.config import Config
from packbuilder.model import Rating

GREY = "#F2F2F2"  # locked context cells
DARK_GREY = "#595959"  # headers of locked columns
INPUT_HEADER = "#1F4E79"  # headers of input columns
BORDER_GREY = "#BFBFBF"
TITLE_BLUE = "#1F4E79"
DATE_FORMAT = "dd/mm/yyyy"

_BASE: dict[str, Any] = {"font_name": "Arial", "font_size": 10, "valign": "top"}


@dataclass
class Formats:
    """The formats of one workbook (xlsxwriter formats belong to the workbook that made them)."""

    title: Any
    subtitle: Any
    note: Any
    heading: Any
    bold: Any
    strong: Any
    text: Any
    locked_header: Any
    input_header: Any
    locked: Any
    locked_wrap: Any
    input: Any
    input_wrap: Any
    input_date: Any
    input_choice: Any
    info_input: Any
    box: Any
    rating: dict[Rating, Any]
    conditional: dict[Rating, Any]


def make_formats(workbook: Any, config: Config) -> Formats:
    """Create the workbook's formats from config.toml's BRAG colours."""

    def fmt(**properties: Any) -> Any:
        return workbook.add_format({**_BASE, **properties})

    grey_cell = {"bg_color": GREY, "border": 1, "border_color": BORDER_GREY, "locked": True}
    input_cell = {"bg_color": "#FFFFFF", "border": 1, "border_color": "#808080", "locked": False}
    header = {"bold": True, "text_wrap": True, "border": 1, "border_color": BORDER_GREY}
    rating: dict[Rating, Any] = {}
    conditional: dict[Rating, Any] = {}
    for member in Rating:
        style = config.brag_style(member)
        coloured = {**grey_cell, "bg_color": style.colour, "font_color": style.font}
        rating[member] = fmt(**coloured, bold=True, align="center")
        # A conditional format may only change font, fill and border: xlsxwriter's dxf.
        conditional[member] = workbook.add_format(
            {"bg_color": style.colour, "font_color": style.font, "bold": True}
        )
    return Formats(
        title=fmt(bold=True, font_size=14, font_color=TITLE_BLUE, valign="vcenter"),
        subtitle=fmt(bold=True, font_size=11, valign="vcenter"),
        note=fmt(italic=True, font_color="#404040", valign="vcenter"),
        heading=fmt(bold=True, font_size=12, font_color=TITLE_BLUE),
        bold=fmt(bold=True, text_wrap=True),
        strong=fmt(bold=True, font_color=TITLE_BLUE, valign="vcenter"),
        text=fmt(text_wrap=True),
        locked_header=fmt(**header, bg_color=DARK_GREY, font_color="#FFFFFF"),
        input_header=fmt(**header, bg_color=INPUT_HEADER, font_color="#FFFFFF"),
        locked=fmt(**grey_cell),
        locked_wrap=fmt(**grey_cell, text_wrap=True),
        input=fmt(**input_cell),
        input_wrap=fmt(**input_cell, text_wrap=True),
        input_date=fmt(**input_cell, num_format=DATE_FORMAT, align="left"),
        input_choice=fmt(**input_cell, align="center"),
        info_input=fmt(**grey_cell, pattern=1),
        box=fmt(**{**input_cell, "border": 2}, text_wrap=True),
        rating=rating,
        conditional=conditional,
    )
