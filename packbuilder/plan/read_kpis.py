"""The KPIs and KPI targets sheets of the plan register."""

from __future__ import annotations

from packbuilder.dates import is_open_wording
from packbuilder.model import (
    Kpi,
    KpiTarget,
    Polarity,
)
from packbuilder.plan import schema
from packbuilder.plan.cells import Reader, Row, list_note, number_of, split_list
from packbuilder.plan.read_areas import unknown_area

_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}


def read_kpis(reader: Reader, rows: list[Row], areas: set[int]) -> dict[str, Kpi]:
    sheet = schema.KPIS
    kpis: dict[str, Kpi] = {}
    first_row: dict[str, int] = {}
    for row in rows:
        code = reader.required(row, sheet, "Code").upper()
        description = reader.required(row, sheet, "Description")
        kpi_areas: list[int] = []
        for part in split_list(row.raw("Areas")):
            if not part.isdigit():
                reader.add(
                    "PLAN-BAD-VALUE",
                    sheet,
                    row.cell("Areas"),
                    row.raw("Areas"),
                    variant="area-numbers",
                    separator=schema.LIST_SEPARATOR,
                    part=part,
                    note=list_note(row.raw("Areas"), "area numbers"),
                )
            elif int(part) not in areas:
                unknown_area(reader, sheet, row, "Areas", int(part), listed=True)
            else:
                kpi_areas.append(int(part))
        polarity = reader.choice(row, sheet, "Polarity", schema.POLARITIES, "higher")
        frequency = reader.choice(row, sheet, "Frequency", schema.FREQUENCIES, "monthly")
        baseline = reader.number(row, sheet, "Baseline")
        baseline_date = reader.date(row, sheet, "Baseline date")
        standard = reader.number(row, sheet, "Standard")
        high_impact_text = row.text("High impact").lower()
        if high_impact_text not in _YES | _NO:
            reader.add(
                "PLAN-BAD-VALUE", sheet, row.cell("High impact"), high_impact_text, variant="yes-no"
            )
        if not code:
            continue
        if code in kpis:
            reader.add(
                "PLAN-DUPLICATE-KPI", sheet, row.cell("Code"), code, first_row=first_row[code]
            )
            continue
        first_row[code] = row.number
        kpis[code] = Kpi(
            code=code,
            description=description,
            areas=tuple(kpi_areas),
            unit=row.text("Unit"),
            polarity=Polarity(polarity),
            frequency=frequency,
            baseline=baseline,
            baseline_text=row.text("Baseline as written"),
            baseline_date=baseline_date,
            standard=standard,
            high_impact=high_impact_text in _YES,
        )
    return kpis


def read_targets(
    reader: Reader, rows: list[Row], kpis: dict[str, Kpi]
) -> dict[str, list[KpiTarget]]:
    sheet = schema.KPI_TARGETS
    targets: dict[str, list[KpiTarget]] = {}
    for row in rows:
        code = reader.required(row, sheet, "Code").upper()
        target_date = reader.date(row, sheet, "Target date")
        if target_date is None and not row.text("Target date"):
            reader.required(row, sheet, "Target date")
        written = reader.required(row, sheet, "Target as written")
        value: float | None = None
        valid = True
        if written and not is_open_wording(written):
            try:
                value = number_of(row.raw("Target as written"))
            except ValueError:
                valid = False
                reader.add(
                    "PLAN-BAD-VALUE",
                    sheet,
                    row.cell("Target as written"),
                    written,
                    variant="target",
                )
        if code and code not in kpis and schema.KPIS not in reader.broken:
            reader.add("PLAN-UNKNOWN-KPI", sheet, row.cell("Code"), code)
            continue
        if not code or target_date is None or not written or not valid:
            continue
        existing = targets.setdefault(code, [])
        if any(t.date == target_date for t in existing):
            reader.add(
                "PLAN-DUPLICATE-TARGET",
                sheet,
                row.cell("Target date"),
                target_date.isoformat(),
                kpi=code,
                date=target_date,
            )
            continue
        existing.append(KpiTarget(date=target_date, value=value, text=written))
    return targets
