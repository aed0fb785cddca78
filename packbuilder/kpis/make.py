"""Make the month's KPI return for the data team: ``packbuilder kpis make PERIOD``.

One workbook, ``outputs/PERIOD/returns/KPI return PERIOD.xlsx``, laid out as
``packbuilder.kpis.layout`` says: every KPI in the plan with its unit, polarity, frequency,
whether it is due this period, its last value with the as-at date, and the target in force,
then three input cells (value, as-at date, note) with validation. The rest is locked. The data
team saves the filled workbook as ``inputs/kpis/PERIOD.xlsx``, where build and check read it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from packbuilder.config import Config
from packbuilder.errors import PlanError
from packbuilder.kpis import layout
from packbuilder.kpis.last import LastKpiValue
from packbuilder.kpis.rag import target_in_force
from packbuilder.model import KpiRag, Period, Plan, Polarity
from packbuilder.returns.workbook_style import DATE_FORMAT, Formats, make_formats
from packbuilder.returns.writing import (
    close_workbook,
    open_workbook,
    write_meta_sheet,
)

_DATE_MIN = dt.date(2000, 1, 1)
_DATE_MAX = dt.date(2099, 12, 31)
_NUMBER_FORMAT = "#,##0.##"


def kpi_return_path(config: Config, period: Period) -> Path:
    """Where ``kpis make`` writes the period's KPI return."""
    return config.outputs_dir(period) / "returns" / f"KPI return {period}.xlsx"


def write_kpi_return(
    config: Config,
    plan: Plan,
    period: Period,
    last: dict[str, LastKpiValue],
    path: Path,
    *,
    made_at: dt.datetime | None = None,
) -> Path:
    """Write the KPI return for PLAN's KPIs with the LAST values given, to PATH."""
    if not plan.kpis:
        raise PlanError(
            f"{config.plan_path.name} lists no KPIs, so there is no KPI return to make",
            hint="Add the KPIs and their targets to the plan's KPIs and KPI targets sheets.",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook, partial = open_workbook(path, made_at)
    formats = make_formats(workbook, config)
    _instructions_sheet(workbook, formats, config, plan, period)
    _kpi_sheet(workbook, formats, config, plan, period, last)
    _meta_sheet(workbook, config, plan, period)
    workbook.get_worksheet_by_name(layout.KPI_SHEET).activate()
    close_workbook(workbook, partial, path)
    return path


def _index(letter: str) -> int:
    return ord(letter) - ord("A")


def _kpi_sheet(
    workbook: Any,
    formats: Formats,
    config: Config,
    plan: Plan,
    period: Period,
    last: dict[str, LastKpiValue],
) -> None:
    sheet = workbook.add_worksheet(layout.KPI_SHEET)
    locked_number = workbook.add_format(
        {
            "font_name": "Arial",
            "font_size": 10,
            "valign": "top",
            "bg_color": "#F2F2F2",
            "border": 1,
            "border_color": "#BFBFBF",
            "num_format": _NUMBER_FORMAT,
            "align": "right",
        }
    )
    locked_date = workbook.add_format(
        {
            "font_name": "Arial",
            "font_size": 10,
            "valign": "top",
            "bg_color": "#F2F2F2",
            "border": 1,
            "border_color": "#BFBFBF",
            "num_format": DATE_FORMAT,
            "align": "left",
        }
    )
    input_number = workbook.add_format(
        {
            "font_name": "Arial",
            "font_size": 10,
            "valign": "top",
            "border": 1,
            "border_color": "#808080",
            "locked": False,
            "num_format": "General",
        }
    )
    for column in layout.COLUMNS:
        col = _index(column.letter)
        sheet.set_column(col, col, column.width)
    top = layout.TITLE_ROW - 1
    sheet.set_row(top, 24)
    sheet.write_string(top, 0, f"{config.settings.programme.name}: KPI return", formats.title)
    due_count = sum(layout.is_due(kpi, period) for kpi in plan.kpis)
    sheet.write_string(
        top + 1,
        0,
        f"{period.label}: {due_count} of {len(plan.kpis)} KPIs due this period",
        formats.subtitle,
    )
    sheet.write_string(
        top + 2,
        0,
        "Fill in the white cells: the value, the date it was measured at, and a note where "
        "needed. Grey cells are the plan's and locked. See the Instructions sheet.",
        formats.note,
    )
    header = layout.HEADER_ROW - 1
    sheet.set_row(header, 30)
    for column in layout.COLUMNS:
        sheet.write_string(
            header,
            _index(column.letter),
            column.header,
            formats.locked_header if column.locked else formats.input_header,
        )
    first = layout.FIRST_ROW - 1
    for offset, kpi in enumerate(plan.kpis):
        row = first + offset
        target = target_in_force(kpi, period)
        previous = last.get(kpi.code)
        texts = {
            "code": kpi.code,
            "description": kpi.description,
            "areas": "; ".join(str(a) for a in kpi.areas),
            "unit": kpi.unit,
            "polarity": "Higher" if kpi.polarity is Polarity.HIGHER else "Lower",
            "frequency": kpi.frequency.capitalize(),
            "due": "Yes" if layout.is_due(kpi, period) else "No",
            "last_from": previous.source if previous is not None else "No value yet",
        }
        for key, text in texts.items():
            col = _index(layout.COLUMN_BY_KEY[key].letter)
            wrap = key == "description"
            sheet.write_string(row, col, text, formats.locked_wrap if wrap else formats.locked)
        _write_value(
            sheet,
            row,
            "last_value",
            previous.value if previous else None,
            previous.text if previous else "",
            locked_number,
            formats,
        )
        _write_date(sheet, row, "last_as_at", previous.as_at if previous else None, locked_date)
        _write_value(
            sheet,
            row,
            "target",
            target.value if target else None,
            (target.text if target else "No target"),
            locked_number,
            formats,
        )
        _write_date(sheet, row, "target_date", target.date if target else None, locked_date)
        sheet.write_blank(row, _index(layout.COLUMN_BY_KEY["value"].letter), None, input_number)
        sheet.write_blank(
            row, _index(layout.COLUMN_BY_KEY["as_at"].letter), None, formats.input_date
        )
        note_col = _index(layout.COLUMN_BY_KEY["note"].letter)
        sheet.write_blank(row, note_col, None, formats.input_wrap)
    last_row = first + len(plan.kpis) - 1
    _input_rules(sheet, first, last_row)
    due_col = _index(layout.COLUMN_BY_KEY["due"].letter)
    sheet.conditional_format(
        first,
        due_col,
        last_row,
        due_col,
        {
            "type": "cell",
            "criteria": "==",
            "value": '"Yes"',
            "format": workbook.add_format({"bold": True, "bg_color": "#FFF2CC"}),
        },
    )
    sheet.freeze_panes(layout.FIRST_ROW - 1, 2)
    sheet.autofilter(header, 0, last_row, _index(layout.LAST_COLUMN))
    sheet.protect(
        config.settings.returns.password,
        {
            "format_rows": True,
            "format_columns": True,
            "sort": False,
            "autofilter": True,
        },
    )
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header)
    sheet.set_footer(f"&L&8KPI return&C&8{period.label}&R&8Page &P of &N")


def _write_value(
    sheet: Any,
    row: int,
    key: str,
    value: float | None,
    text: str,
    number_format: Any,
    formats: Formats,
) -> None:
    col = _index(layout.COLUMN_BY_KEY[key].letter)
    if value is not None:
        sheet.write_number(row, col, value, number_format)
    elif text:
        sheet.write_string(row, col, text, formats.locked)
    else:
        sheet.write_blank(row, col, None, formats.locked)


def _write_date(sheet: Any, row: int, key: str, value: dt.date | None, date_format: Any) -> None:
    col = _index(layout.COLUMN_BY_KEY[key].letter)
    if value is not None:
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), date_format)
    else:
        sheet.write_blank(row, col, None, date_format)


def _input_rules(sheet: Any, first: int, last: int) -> None:
    """Decimal and date validation with input messages on the three input columns."""
    for key in ("value", "as_at", "note"):
        column = layout.COLUMN_BY_KEY[key]
        col = _index(column.letter)
        message = {"input_title": column.header[:32], "input_message": column.help[:255]}
        rule: dict[str, Any]
        if key == "value":
            rule = {
                "validate": "decimal",
                "criteria": "between",
                "minimum": -1_000_000_000,
                "maximum": 1_000_000_000,
                "error_title": "Type a number",
                "error_message": "Value: type the number only, e.g. 64 for 64%, or 7399.",
            }
        elif key == "as_at":
            rule = {
                "validate": "date",
                "criteria": "between",
                "minimum": _DATE_MIN,
                "maximum": _DATE_MAX,
                "error_title": "Type a date",
                "error_message": "As at date: type a date like 31/07/2023.",
            }
        else:
            rule = {"validate": "any"}
        sheet.data_validation(first, col, last, col, {**rule, **message})


_STEPS = (
    "Go to the KPIs sheet. Every KPI in the plan is listed, with its last value, the date that "
    "value was measured at, and the target in force this period.",
    "'Due this period' says which KPIs need a new value this month, by their frequency. Give a "
    "value for those; for the others, give one only if a new figure is available.",
    "Type each value as a number only: 64 for 64%, 7399 for 7,399. Type the date the value was "
    "measured at (e.g. 31/07/2023), not today's date.",
    "Where a value has moved a lot since the last one, or a due value is not available yet, "
    "say why in the Note column.",
    "Save the workbook (keep it as .xlsx) and send it back to the programme office.",
)


def _instructions_sheet(
    workbook: Any, formats: Formats, config: Config, plan: Plan, period: Period
) -> None:
    sheet = workbook.add_worksheet(layout.INSTRUCTIONS_SHEET)
    programme = config.settings.programme
    kpis = config.settings.kpis
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 100)
    sheet.hide_gridlines(2)
    row = 0

    def line(label: str, text: str, label_format: Any = None) -> None:
        nonlocal row
        sheet.write_string(row, 0, label, label_format or formats.bold)
        sheet.write_string(row, 1, text, formats.text)
        row += 1

    def heading(text: str) -> None:
        nonlocal row
        row += 1
        sheet.write_string(row, 0, text, formats.heading)
        row += 1

    sheet.set_row(0, 24)
    sheet.write_string(row, 0, f"{programme.name}: KPI return", formats.title)
    row += 2
    line("For", "The data team")
    line("Period", period.label)
    line("Deadline", f"{config.deadline(period):%A %d %B %Y}")
    contact = programme.contact_name + (
        f" ({programme.contact_email})" if programme.contact_email else ""
    )
    line("Questions to", contact)
    line("Save it as", f"inputs/kpis/{period}.xlsx in the programme's workspace")
    heading("What to do")
    for number, step in enumerate(_STEPS, 1):
        line(f"Step {number}", step)
    heading("When a KPI is due")
    line("Monthly", "Every month.")
    line("Termly", "After each school term ends: in December, April and July.")
    line("Annual", "Once a year, after the academic year ends: in September.")
    heading("Checks on what you send")
    line("Percentages", "A KPI whose unit is % must be from 0 to 100.")
    line(
        "Big changes",
        f"A value more than {kpis.move_threshold_percent:g}% away from the last one needs a "
        "note saying why.",
    )
    line("Dates", "Every value needs the date it was measured at.")
    heading("KPI ratings (RAG)")
    for rag in (KpiRag.GREEN, KpiRag.AMBER, KpiRag.RED, KpiRag.NOT_RATED):
        style = getattr(config.settings.rag, rag.name.lower())
        line(rag.value, style.definition)
    heading("The columns")
    for column in layout.COLUMNS:
        who = "from the plan, locked" if column.locked else "you fill in"
        line(
            f"{column.letter}. {column.header}",
            f"{column.help} ({who})",
            formats.locked_header if column.locked else formats.input_header,
        )
    sheet.protect(config.settings.returns.password, {"format_rows": True, "format_columns": True})
    sheet.set_portrait()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)


def _meta_sheet(workbook: Any, config: Config, plan: Plan, period: Period) -> None:
    """The very hidden sheet the KPI reader recognises the return by (layout.py describes it)."""
    from packbuilder.returns.layout import fingerprint

    rows = [
        (kpi.code, str(layout.FIRST_ROW + offset), layout.kpi_fingerprint(kpi))
        for offset, kpi in enumerate(plan.kpis)
    ]
    values = {
        "template_version": layout.TEMPLATE_VERSION,
        "kind": layout.KIND,
        "period": str(period),
        "programme": config.settings.programme.name,
        "kpi_fingerprint": fingerprint(*(fp for _, _, fp in rows)),
    }
    write_meta_sheet(
        workbook,
        name=layout.META_SHEET,
        marker=layout.META_MARKER,
        values={key: values[key] for key in layout.META_KEYS},
        rows_header=layout.META_ROWS_HEADER,
        rows_columns=layout.META_ROWS_COLUMNS,
        rows=rows,
        password=config.settings.returns.password,
    )
