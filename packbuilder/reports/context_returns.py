"""Who sent a return this period and who did not: the returns section of the assurance
report, with the area leads' commentary and the files that did not count.

Part of the template context (packbuilder.reports.context).
"""

from __future__ import annotations

from packbuilder.check_outputs.summary import not_returns_phrase
from packbuilder.model import (
    FileStatus,
    Officer,
    PeriodResult,
)
from packbuilder.reports.context_cells import Context, area_heading, clean_text, percent


def returns_context(result: PeriodResult, names: dict[str, str]) -> Context:
    """The returns section: who sent one, who did not, and the files that did not count."""
    check = result.check
    received = _received_rows(result, names)
    missing = _missing_rows(result, names)
    area_titles = {a.number: a for a in result.plan.areas}
    areas_missing = [
        {
            "area": number,
            "heading": area_heading(area_titles[number]) if number in area_titles else str(number),
            "lead": names.get(area_titles[number].lead, area_titles[number].lead)
            if number in area_titles
            else "",
        }
        for number in check.missing_areas()
    ]
    other = [
        {
            "file": clean_text(f.name),
            "status": f.status.value,
            "reason": clean_text(f.errors[0].message)
            if f.errors
            else (f"Replaced by {clean_text(f.superseded_by)}" if f.superseded_by else ""),
        }
        for f in check.files
        if f.status not in (FileStatus.COUNTED, FileStatus.SKIPPED, FileStatus.NOT_A_RETURN)
    ]
    # Files that are not returns are named in one line, however many there are.
    not_returns = len(check.not_returns())
    expected = len(check.expected_officers)
    got_count = len(received)
    areas_expected = len(check.expected_areas)
    areas_received = areas_expected - len(areas_missing)
    sentence = (
        f"{got_count} of {expected} officers sent a return ({percent(got_count, expected)}); "
        f"{len(missing)} missing."
    )
    if areas_expected:
        sentence += f" {areas_received} of {areas_expected} area leads sent commentary."
    return {
        "expected": expected,
        "received": got_count,
        "missing": len(missing),
        "percent": percent(got_count, expected),
        "areas_expected": areas_expected,
        "areas_received": areas_received,
        "sentence": sentence,
        "received_list": received,
        "missing_list": missing,
        "areas_missing_list": areas_missing,
        "other_files": other,
        "not_returns": not_returns,
        "not_returns_note": f"{not_returns_phrase(not_returns)}: see validation.xlsx."
        if not_returns
        else "",
    }


def _organisation(officers: dict[str, Officer], officer_id: str) -> str:
    return clean_text(officers[officer_id].organisation) if officer_id in officers else ""


def _received_rows(result: PeriodResult, names: dict[str, str]) -> list[Context]:
    """One row per expected officer whose return counts, in the plan's order of officers."""
    officers = result.plan.officer_by_id()
    counted = result.check.counted_officer_returns()
    received = []
    for officer_id in result.check.expected_officers:
        got = counted.get(officer_id)
        if got is None:
            continue
        received.append(
            {
                "officer": names.get(officer_id, officer_id),
                "organisation": _organisation(officers, officer_id),
                "file": clean_text(got.name),
                "received": got.received_at.strftime("%d %b %Y") if got.received_at else "",
                "errors": len(got.errors),
                "warnings": len(got.warnings),
            }
        )
    return received


def _missing_rows(result: PeriodResult, names: dict[str, str]) -> list[Context]:
    """One row per officer with no return, with the actions they report."""
    officers = result.plan.officer_by_id()
    missing = []
    for officer_id in result.check.missing_officers():
        actions = [a.id for a in result.plan.actions_reported_by(officer_id)]
        missing.append(
            {
                "officer": names.get(officer_id, officer_id),
                "organisation": _organisation(officers, officer_id),
                "actions": ", ".join(actions),
                "count": len(actions),
            }
        )
    return missing
