"""The Officers, Areas and Sub-themes sheets of the plan register, and the officer references
the other sheets make."""

from __future__ import annotations

import re

from packbuilder.model import (
    Area,
    Officer,
    SubTheme,
)
from packbuilder.plan import schema
from packbuilder.plan.cells import SPACES, Reader, Row, list_note, split_list

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _officer_hint(reference: str, officers: dict[str, Officer]) -> dict[str, str]:
    """Where a name or alias was written instead of an ID, the message naming the ID to write
    (the "alias" variant, with the officer)."""
    wanted = SPACES.sub(" ", reference).strip().lower()
    for officer in officers.values():
        names = (officer.name, *officer.aliases)
        if any(SPACES.sub(" ", name).strip().lower() == wanted for name in names):
            return {"variant": "alias", "officer": officer.id}
    return {}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def read_officers(reader: Reader, rows: list[Row]) -> dict[str, Officer]:
    sheet = schema.OFFICERS
    officers: dict[str, Officer] = {}
    first_row: dict[str, int] = {}
    for row in rows:
        officer_id = reader.required(row, sheet, "Officer ID")
        name = reader.required(row, sheet, "Name or role")
        if not officer_id:
            continue
        if not _SLUG.match(officer_id):
            reader.add(
                "PLAN-BAD-VALUE",
                sheet,
                row.cell("Officer ID"),
                officer_id,
                officer_id=officer_id,
                variant="officer-id",
                slug=_slug(officer_id) or "head-of-service",
            )
            continue
        if officer_id in officers:
            reader.add(
                "PLAN-DUPLICATE-OFFICER",
                sheet,
                row.cell("Officer ID"),
                officer_id,
                officer_id=officer_id,
                first_row=first_row[officer_id],
            )
            continue
        first_row[officer_id] = row.number
        officers[officer_id] = Officer(
            id=officer_id,
            name=name,
            organisation=row.text("Organisation"),
            email=row.text("Email"),
            aliases=tuple(split_list(row.raw("Aliases"))),
        )
    return officers


def resolve_officer(
    reader: Reader,
    reference: str,
    row: Row,
    sheet: str,
    header: str,
    officers: dict[str, Officer],
    action_id: str = "",
    listed_in: object = None,
) -> str | None:
    """The officer ID for a reference, case ignored; None (with a finding) when unknown.

    LISTED_IN is the whole cell when the reference is one item of a list cell.
    """
    officer_id = reference.strip().lower()
    if officer_id in officers:
        return officer_id
    if schema.OFFICERS not in reader.broken:
        reader.add(
            "PLAN-UNKNOWN-OFFICER",
            sheet,
            row.cell(header),
            reference,
            action_id=action_id,
            reference=reference,
            header=header,
            note=list_note(listed_in, "officer IDs") if listed_in is not None else "",
            **_officer_hint(reference, officers),
        )
    return None


def read_areas(reader: Reader, rows: list[Row], officers: dict[str, Officer]) -> list[Area]:
    sheet = schema.AREAS
    areas: dict[int, Area] = {}
    first_row: dict[int, int] = {}
    for row in rows:
        number = reader.integer(row, sheet, "Area", 1, 99)
        if number is None and not row.text("Area"):
            reader.required(row, sheet, "Area")
        title = reader.required(row, sheet, "Title")
        lead = row.text("Area lead")
        if lead:
            lead = resolve_officer(reader, lead, row, sheet, "Area lead", officers) or lead
        if number is None:
            continue
        if number in areas:
            reader.add(
                "PLAN-DUPLICATE-AREA",
                sheet,
                row.cell("Area"),
                number,
                first_row=first_row[number],
            )
            continue
        first_row[number] = row.number
        areas[number] = Area(number=number, title=title, lead=lead)
    return list(areas.values())


def unknown_area(
    reader: Reader, sheet: str, row: Row, header: str, number: int, listed: bool = False
) -> None:
    """LISTED: the number is one item of a list cell, whose words the message quotes."""
    if schema.AREAS not in reader.broken:
        reader.add(
            "PLAN-UNKNOWN-AREA",
            sheet,
            row.cell(header),
            number,
            note=list_note(row.raw(header), "area numbers") if listed else "",
        )


def read_sub_themes(reader: Reader, rows: list[Row], areas: set[int]) -> list[SubTheme]:
    sheet = schema.SUB_THEMES
    sub_themes: dict[str, SubTheme] = {}
    first_row: dict[str, int] = {}
    for row in rows:
        code = reader.required(row, sheet, "Sub-theme")
        area = reader.integer(row, sheet, "Area", 1, 99)
        if area is None and not row.text("Area"):
            reader.required(row, sheet, "Area")
        title = reader.required(row, sheet, "Title")
        if not code or area is None:
            continue
        if area not in areas:
            unknown_area(reader, sheet, row, "Area", area)
            continue
        if code.lower() in sub_themes:
            reader.add(
                "PLAN-DUPLICATE-SUB-THEME",
                sheet,
                row.cell("Sub-theme"),
                code,
                first_row=first_row[code.lower()],
            )
            continue
        first_row[code.lower()] = row.number
        sub_themes[code.lower()] = SubTheme(code=code, area=area, title=title)
    return list(sub_themes.values())
