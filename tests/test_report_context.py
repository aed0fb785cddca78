"""The template context: built from a period made in the test, and documented exactly."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from docxtpl import DocxTemplate
from report_fixtures import AUGUST, JULY, FakeHistory, make_config, make_result

from packbuilder.model import CellSource, Override, Period, Rating, ReturnStatus, RiskStatus
from packbuilder.reports.context import (
    build_assurance_context,
    build_exception_context,
    clean_text,
    dfe_comparison,
    monthly_comparison,
    short_text,
)
from packbuilder.reports.narrative import Narrative, parse_narrative, unmatched_asks
from packbuilder.reports.render import ChartImages, attach_charts

DOC = Path(__file__).resolve().parent.parent / "docs" / "template-context.md"
TEMPLATES = Path(__file__).resolve().parent.parent / "packbuilder" / "data" / "templates"
NO_WORDS = Narrative("inputs/narrative/2023-08.toml", exists=False)


def july_history() -> FakeHistory:
    result = make_result()
    return FakeHistory(
        {JULY: {s.action.id: (s.previous_progress, s.previous_impact) for s in result.actions}}
    )


def names(value: Any, prefix: str = "") -> set[str]:
    """Every name a template can reach: scalars and lists by name, list items with []."""
    if isinstance(value, dict):
        found: set[str] = set()
        for key, item in value.items():
            found |= names(item, f"{prefix}.{key}" if prefix else key)
        return found
    if isinstance(value, list):
        found = {prefix}
        for item in value:
            if isinstance(item, dict):
                found |= names(item, f"{prefix}[]")
        return found
    return {prefix}


def documented(section: str) -> set[str]:
    text = DOC.read_text("utf-8")
    part = text.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([^`]+)` \|", part, flags=re.MULTILINE))


def test_documented_assurance_context_is_the_real_one(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    result = make_result()
    moved = result.actions[0]  # an end date moved this period, so its list has an item
    moved.revised_end_date, moved.revised_reason = dt.date(2024, 6, 30), "Consultation extended"
    moved.end_date_agreed_in = result.period
    context = build_assurance_context(
        config, result, july_history(), monthly_comparison(result), NO_WORDS
    )
    template = DocxTemplate(str(TEMPLATES / "assurance-report.docx"))
    context = attach_charts(template, context, ChartImages(b"", b""))
    assert documented("Assurance report context") == names(context)


def test_documented_exception_context_is_the_real_one(tmp_path: Path) -> None:
    context = build_exception_context(make_config(tmp_path), make_result(), NO_WORDS)
    assert documented("Exception report context") == names(context)


def test_summary_counts_and_on_track_share(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    result = make_result()
    context = build_assurance_context(
        config, result, july_history(), monthly_comparison(result), NO_WORDS
    )
    # Progress: 1A1 Blue, 1A3 Green, 1A2 2A2 3A1 Amber, 2A1 3A2 Red.
    totals = context["totals"]
    assert (totals["actions"], totals["rated"], totals["on_track"]) == (7, 7, 5)
    assert totals["on_track_percent"] == "71%"
    assert (totals["complete"], totals["red_progress"], totals["red_impact"]) == (2, 2, 1)
    # 1A1 (30 Jun) is Blue, so complete; 2A1 (31 Jul) Red and 3A2 (31 May) Red are overdue.
    assert totals["overdue"] == 2
    rows = {row["rating"]: row for row in context["rating_counts"]}
    assert [r["rating"] for r in context["rating_counts"]] == [
        "Blue",
        "Green",
        "Amber",
        "Red",
        "Not yet rated",
    ]
    assert (rows["Red"]["progress"], rows["Red"]["rating_fill"]) == (2, "C00000")
    assert rows["Not yet rated"]["impact"] == 1
    assert context["returns"]["sentence"] == (
        "3 of 4 officers sent a return (75%); 1 missing. 1 of 3 area leads sent commentary."
    )


def test_what_changed_since_last_month(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    result = make_result()
    context = build_assurance_context(
        config, result, july_history(), monthly_comparison(result), NO_WORDS
    )
    assert context["comparison"]["heading"] == "What changed since July 2023"
    assert [(a["id"], a["direction"]) for a in context["changed_actions"]] == [
        ("1A1", "Improved"),
        ("1A3", "Improved"),
        ("2A1", "Worse"),
    ]
    progress, impact = context["change_counts"]
    assert (progress["improved"], progress["same"], progress["worse"]) == (2, 4, 1)
    # 1A2's impact is Not yet rated on both sides: not compared.
    assert (impact["worse"], impact["not_compared"]) == (1, 1)
    area_two = context["areas"][1]
    assert area_two["changes"] == ["2A1: progress Amber → Red (worse); impact Amber → Red (worse)"]


def test_end_dates_moved_this_period_with_their_reasons(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    result = make_result()
    by_id = {s.action.id: s for s in result.actions}
    by_officer, by_override, earlier = by_id["1A1"], by_id["2A1"], by_id["3A1"]
    by_officer.revised_end_date, by_officer.revised_reason = dt.date(2024, 6, 30), "Late start"
    by_officer.end_date_agreed_in = AUGUST
    by_override.revised_end_date, by_override.revised_reason = None, "Agreed at the board"
    by_override.end_date_agreed_in = AUGUST
    by_override.overrides.append(
        Override(
            "2A1",
            "revised end date",
            "",
            "Agreed at the board",
            "Programme office",
            CellSource("2023-08.xlsx", "b" * 64, "Overrides", "C2"),
        )
    )
    earlier.revised_end_date, earlier.end_date_agreed_in = dt.date(2024, 1, 31), JULY
    context = build_assurance_context(
        config, result, july_history(), monthly_comparison(result), NO_WORDS
    )
    moved = [
        (d["id"], d["in_force"], d["reason"], d["agreed_by"]) for d in context["end_dates_moved"]
    ]
    assert moved == [
        ("1A1", "30 Jun 2024, revised in August 2023", "Late start", "Officer's return"),
        (
            "2A1",
            f"{by_override.action.end_date.display} (original, restored in August 2023)",
            "Agreed at the board",
            "Override by Programme office",
        ),
    ]


def test_first_report_compares_with_nothing(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    result = make_result(period=JULY, previous=None)
    context = build_assurance_context(
        config, result, FakeHistory(), monthly_comparison(result), NO_WORDS
    )
    assert context["comparison"]["is_first"] is True
    assert "first report" in context["comparison"]["sentence"]
    assert context["changed_actions"] == []
    assert {a["progress_change"] for area in context["areas"] for a in area["actions"]} == {"–"}


def test_dfe_comparison_reads_the_previous_dfe_month_from_history(tmp_path: Path) -> None:
    config = make_config(tmp_path, dfe_months=("2023-07", "2023-09"))
    september = Period(2023, 9)
    result = make_result(period=september, previous=AUGUST)
    history = FakeHistory(
        {
            JULY: {"2A1": (Rating.GREEN, Rating.GREEN)},
            AUGUST: {"2A1": (Rating.RED, Rating.RED)},
        }
    )
    comparison = dfe_comparison(config, result, history)
    assert comparison.period == JULY
    assert comparison.previous("2A1") == (Rating.GREEN, Rating.GREEN)


def test_area_without_commentary_says_so(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    result = make_result()
    context = build_assurance_context(
        config, result, july_history(), monthly_comparison(result), NO_WORDS
    )
    one, two, _ = context["areas"]
    assert one["commentary"] == [
        {"label": "Progress", "text": "Good progress on communication."},
        {"label": "Concerns", "text": "Capacity in the autumn."},
    ]
    assert one["commentary_note"] == ""
    assert two["commentary_note"].startswith("No commentary received from the area lead")
    assert [k["code"] for k in one["kpis"]] == ["APP01"]
    assert two["kpis"] == []  # APP02 serves area 2 but is not high impact


def test_risks_ordered_by_severity_after_mitigation(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    result = make_result()
    context = build_assurance_context(
        config, result, july_history(), monthly_comparison(result), NO_WORDS
    )
    assert [(r["id"], r["severity_after"]) for r in context["risks"]["top"]] == [
        ("R02", "High"),
        ("R01", "Medium"),
        ("R03", "Low"),
    ]


def test_top_risks_put_r2_before_r10_and_leave_closed_risks_out(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    result = make_result()
    high = result.plan.risks[0]

    def status(risk_id: str, change: str = "No change", register: str = "Open") -> RiskStatus:
        return RiskStatus(dataclasses.replace(high, id=risk_id, status=register), change)

    result.risks = [
        status("R10"),
        status("R2"),
        status("R1", register="Closed"),
        status("R3", change="Closed"),  # gone from the register since last period
    ]
    context = build_assurance_context(
        config, result, july_history(), monthly_comparison(result), NO_WORDS
    )
    assert [r["id"] for r in context["risks"]["top"]] == ["R2", "R10"]
    assert context["risks"]["more_note"] == ""


def test_exceptions_grouped_by_area_one_row_per_subject(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    result = make_result()
    narrative = parse_narrative(
        {"asks": {"red-progress:2A1": {"ask": "Agree cover for the trainer."}}},
        "inputs/narrative/2023-08.toml",
    )
    context = build_exception_context(config, result, narrative)
    assert [g["heading"] for g in context["groups"]] == [
        "Area 1: Parents' confidence that needs will be met",
        "Area 2: Inclusion in schools",
        "Area 3: Parents and carers shaping services",
        "Across the programme",
    ]
    area_two = context["groups"][1]["rows"]
    assert [(r["subject"], r["rules"]) for r in area_two] == [
        ("2A1", ["red-progress", "red-impact", "overdue", "worse"])
    ]
    assert area_two[0]["ask"] == "Agree cover for the trainer."
    assert area_two[0]["ask_is_placeholder"] is False
    three = context["groups"][2]["rows"][0]
    assert (three["subject"], three["periods_text"], three["ask_is_placeholder"]) == (
        "3A2",
        "3 periods",
        True,
    )
    assert three["ask"] == "The office has not yet said what it asks of the board here."


def test_narrative_file_problems_are_warnings() -> None:
    narrative = parse_narrative(
        {
            "assurance": {"summary": "Words.", "sumary": "typo"},
            "exceptions": {"summary": "wrong section"},
            "asks": {"red-progress:9Z9": {"ask": "No such exception."}, "bad": "text"},
        },
        "inputs/narrative/2023-08.toml",
    )
    codes = [f.code for f in narrative.findings]
    assert codes == ["narrative-unknown-key", "narrative-unknown-key", "narrative-invalid"]
    assert narrative.summary("assurance") == "Words."
    unmatched = unmatched_asks(narrative, make_result().exceptions)
    assert [f.code for f in unmatched] == ["narrative-ask-unmatched"]
    assert "red-progress:9Z9" in unmatched[0].message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("<b>&amp; {{ 7*7 }} {% if x %}\x0b", "<b>&amp; {{ 7*7 }} {% if x %}"),
        ("line one\r\nline two\rthree", "line one\nline two\nthree"),
        ("tab\tkept, bell\x07 and nul\x00 gone", "tab\tkept, bell and nul gone"),
        ("_x000B_ stays literal", "_x000B_ stays literal"),
        (None, ""),
    ],
)
def test_clean_text(text: str | None, expected: str) -> None:
    assert clean_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Publish a plan. Then review it.", "Publish a plan."),
        ("word " * 40, ("word " * 24).strip() + "…"),
        ("No full stop but short", "No full stop but short"),
    ],
)
def test_short_text(text: str, expected: str) -> None:
    assert short_text(text) == expected


def test_a_carried_rating_and_commentary_say_so_and_given_commentary_is_never_denied(
    tmp_path: Path,
) -> None:
    config = make_config(tmp_path)
    result = make_result()
    statuses = {s.action.id: s for s in result.actions}
    # 2A1: a Red with its commentary, but this month's impact was "Purple": the impact kept is
    # last month's, and its words say so. 3A2: Red with no commentary; July's words are kept.
    statuses["2A1"].return_status = ReturnStatus.CELLS_CARRIED
    statuses["2A1"].carried = {"impact": "this month's rating was not valid"}
    statuses["3A2"].return_status = ReturnStatus.CELLS_CARRIED
    statuses["3A2"].carried = {"progress_commentary": "no commentary was given this month"}
    groups = build_exception_context(config, result, NO_WORDS)["groups"]
    rows = {r["subject"]: r for g in groups for r in g["rows"]}
    assert rows["2A1"]["commentary"] == "Training delayed: trainer unavailable."
    assert rows["3A2"]["commentary"] == (
        "Carried forward (no commentary was given this month): Recruitment paused over the summer."
    )
    assert all(r["commentary"] != "No commentary given." for r in rows.values())
    assurance = build_assurance_context(
        config, result, july_history(), monthly_comparison(result), NO_WORDS
    )
    actions = {a["id"]: a for area in assurance["areas"] for a in area["actions"]}
    assert actions["2A1"]["impact"] == "Red, carried forward: this month's rating was not valid"
    assert actions["2A1"]["impact_fill"] == actions["2A1"]["progress_fill"]  # still Red's colour
    assert actions["2A1"]["return_status"] == "Updated: some cells carried forward"
