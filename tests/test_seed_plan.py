"""The bundled example programme: tools/extract_seed.py against the plan's source text.

The counts and the awkward rows below were checked by hand against
../shared/seeds/002_36f5ff36c95f9c0d.txt; the expected strings are copied from it. Tests that
read the seed skip with a message where it is absent; the committed inputs/plan.xlsx is
checked with or without it.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from openpyxl import load_workbook

from packbuilder.plan import schema
from packbuilder.plan.loader import load_plan

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seeds" / "002_36f5ff36c95f9c0d.txt"
COMMITTED = REPO / "inputs" / "plan.xlsx"
DOC = REPO / "docs" / "example-programme.md"


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "extract_seed", REPO / "tools" / "extract_seed.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["extract_seed"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


tool = _load_tool()

ACTIONS_PER_AREA = {1: 19, 2: 14, 3: 13, 4: 7, 5: 12, 6: 22, 7: 14, 8: 11, 9: 4}
SUB_THEMES_PER_AREA = {1: 6, 2: 5, 3: 5, 4: 3, 5: 5, 6: 10, 7: 6, 8: 6, 9: 2}
ACTIONS_PER_SUB_THEME = {
    "1a": 4, "1b": 3, "1c": 4, "1d": 2, "1e": 3, "1f": 3,
    "2a": 4, "2b": 3, "2c": 1, "2d": 4, "2e": 2,
    "3a": 3, "3b": 5, "3c": 2, "3d": 2, "3e": 1,
    "4a": 2, "4b": 2, "4c": 3,
    "5a": 3, "5b": 2, "5c": 3, "5d": 1, "5e": 3,
    "6a": 2, "6b": 2, "6c": 2, "6d": 3, "6e": 2, "6f": 4, "6g": 1, "6h": 2, "6i": 1, "6j": 3,
    "7a": 4, "7b": 3, "7c": 1, "7d": 3, "7e": 1, "7f": 2,
    "8a": 5, "8b": 1, "8c": 2, "8d": 1, "8e": 1, "8f": 1,
    "9a": 3, "9b": 1,
}  # fmt: skip
ACTION_OFFICERS = 47  # distinct officers named by actions, after the alias table's merges
KPI_COUNT = 65  # APP01–APP64 without APP14, plus APP44-3 and APPSLT-2
TARGET_COUNT = 76  # 19 high-impact KPIs × 4 dated targets
RISK_COUNT = 12


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip(f"the seed is absent ({SEED}); it is present in CI at ../shared/seeds")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def aliases() -> list[object]:
    return list(tool.read_aliases(tool.DEFAULT_ALIASES))


@pytest.fixture(scope="module")
def plan(seed_text: str, aliases: list[object]) -> object:
    return tool.extract(seed_text, aliases)


def action(plan: object, action_id: str) -> object:
    return {a.id: a for a in plan.actions}[action_id]  # type: ignore[attr-defined]


def kpi(plan: object, code: str) -> object:
    return {k.code: k for k in plan.kpis}[code]  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- counts


def test_actions_per_area_and_in_total(plan: object) -> None:
    areas = Counter(int(a.sub_theme[0]) for a in plan.actions)
    assert dict(areas) == ACTIONS_PER_AREA
    assert len(plan.actions) == sum(ACTIONS_PER_AREA.values()) == 116


def test_sub_themes_and_their_actions(plan: object) -> None:
    assert dict(Counter(s.area for s in plan.sub_themes)) == SUB_THEMES_PER_AREA
    assert len(plan.sub_themes) == 48
    assert dict(Counter(a.sub_theme for a in plan.actions)) == ACTIONS_PER_SUB_THEME


def test_action_ids_are_unique_and_numbered_without_gaps(plan: object) -> None:
    ids = [a.id for a in plan.actions]
    assert len(set(ids)) == len(ids)
    for sub_theme, count in ACTIONS_PER_SUB_THEME.items():
        numbers = [int(i[2:]) for i in ids if i[:2] == sub_theme.upper()]
        assert numbers == list(range(1, count + 1)), sub_theme


def test_areas_as_the_action_section_heads_them(plan: object) -> None:
    assert [a.number for a in plan.areas] == list(range(1, 10))
    assert [a.lead for a in plan.areas] == [f"area-{n}-lead" for n in range(1, 10)]
    assert plan.areas[0].title == (
        "A widely held concern of parents that the local area is not able, or in some cases "
        "not willing, to meet their children's needs."
    )
    sub_theme = {s.code: s for s in plan.sub_themes}
    assert sub_theme["1e"].title == (
        "Parents, children and young people's views are not being heard, acted on and they "
        "are not feeling involved in making decisions."
    )
    assert sub_theme["7e"].title.startswith("The SEND Improvement Board has been ineffective")


def test_other_totals(plan: object) -> None:
    assert len(plan.kpis) == KPI_COUNT
    assert len(plan.targets) == TARGET_COUNT
    assert len(plan.risks) == RISK_COUNT
    assert len(plan.officers) == ACTION_OFFICERS + 9


# --------------------------------------------------------------------------- awkward rows


def test_2a1_impact_not_yet_rated_kept_as_written(plan: object) -> None:
    row = action(plan, "2A1")
    assert row.sub_theme == "2a"
    assert row.text == "Mainstream Core Standards (MSC) training for teachers and governors."
    assert (row.end_date_text, row.end_date) == ("25 July 2025", dt.date(2025, 7, 25))
    assert row.reporting_officer == "senior-commissioner-inclusion"
    assert row.officer_text == "Senior Commissioner – Inclusion, KCC."
    assert (row.baseline_progress, row.baseline_impact) == (
        "Amber",
        "TBC in September 23 reporting",
    )
    assert row.planned_evidence == "Improved parental confidence in schools."
    assert row.kpi_codes == ("APP08", "APP09")
    assert row.other_measures == ""


def test_2b1_month_pilot_end_date_kept_verbatim(plan: object) -> None:
    row = action(plan, "2B1")
    assert row.text == (
        "Produce and promote video interviews with teachers, pupils and parents as case "
        "studies that illustrate the benefits of inclusive practice."
    )
    assert (row.end_date_text, row.end_date) == ("March 2023 pilot", None)
    assert row.reporting_officer == "marketing-resident-experience-partner"
    assert (row.baseline_progress, row.baseline_impact) == ("Green", "Red")
    assert row.kpi_codes == ("APP04", "APP08")
    assert row.other_measures == (
        "We monitor the reach and level of interactions through our media channels, "
        "including:\nvideo views\nreach\nengagement rate."
    )
    assert row.planned_evidence.splitlines() == [
        "Video views.",
        "Targeted social media reach.",
        "Click throughs on website.",
        "Inclusion survey.",
        "Other feedback sought from teachers, pupils, and parents.",
    ]


def test_4b1_continued_text_and_open_end_date(plan: object) -> None:
    row = action(plan, "4B1")
    assert row.text == (
        "The development of a lived experience framework to promote a consistent robust "
        "approach to the involvement of KCC and ICB users and carers in the design and "
        "delivery of their services."
    )
    assert (row.end_date_text, row.end_date) == ("To be confirmed", None)
    assert row.reporting_officer == "lived-experience-expert"
    assert row.officer_text == "Lived Experience Expert, NHS."
    assert (row.baseline_progress, row.baseline_impact) == ("Amber", "Amber")
    assert row.kpi_codes == ("APP13",)
    assert row.planned_evidence == "Sign-off of Lived Experience Framework."


def test_5a3_ongoing_and_spaced_codes(plan: object) -> None:
    row = action(plan, "5A3")
    assert (row.end_date_text, row.end_date) == ("Ongoing", None)
    assert row.reporting_officer == "education-officer-mainstream-inclusion"
    assert (row.baseline_progress, row.baseline_impact) == ("Amber", "Green")
    # "APP 47 APP48 APP49 APP50 APP 51 APP 52 APP 53 APP 54 APP 55 APP 56"
    assert row.kpi_codes == tuple(f"APP{n}" for n in range(47, 57))
    assert row.other_measures == ""
    evidence = row.planned_evidence.splitlines()
    assert evidence[0].startswith("Ofsted judgements and commentary")
    assert evidence[1:] == [  # the bullets after the page break
        "Engagement of schools and academies in training.",
        "Analysis of data and evidence in order to influence further activity.",
        "CATIE Steering Group oversight.",
        "CATIE Monitoring and Evaluation Group, led by Qualitative Manager in Analytics.",
    ]


def test_7f2_two_officers_in_one_paragraph(plan: object) -> None:
    row = action(plan, "7F2")
    assert row.text == "Monthly review of exceptions for APP actions at SIAB."
    assert (row.end_date_text, row.end_date) == ("Ongoing", None)
    assert row.officer_text == (
        "Director of Education and SEND, KCC Deputy Director, SEND Transformation, NHS."
    )
    assert row.reporting_officer == "director-education-send"
    assert row.other_officers == ("deputy-director-send-transformation",)
    assert (row.baseline_progress, row.baseline_impact) == ("Green", "Amber")
    assert row.kpi_codes == ()
    assert row.other_measures == "Number of exception reports completed."


def test_1c4_action_text_continued_after_a_page_break(plan: object) -> None:
    row = action(plan, "1C4")
    assert row.text == (
        "Implementation of SEND redesign – to implement the teams created under the SEND "
        "redesign and ensure operational guidance for Casework, Assessment and Placement "
        "Teams is in place and understood."
    )
    assert row.planned_evidence.splitlines() == [
        "New teams and working processes established.",
        "Training delivered to new teams.",
        "Operational guidance is in place.",
        "Systems of monitoring performance of teams is in place.",
        "Changes to structure communicated to stakeholders.",
    ]
    assert row.kpi_codes == ("APP13", "APP21", "APP22")


def test_1b2_code_continued_after_a_page_break(plan: object) -> None:
    row = action(plan, "1B2")
    assert row.text.endswith(
        "for parents and carers, and young people, when they move to a new school or setting "
        "(from early years settings to primary school, from primary school to secondary "
        "school and from secondary school to post-16 settings)."
    )
    # APP31 opens the continued KPI cell on the next page
    assert row.kpi_codes == ("APP08", "APP09", "APP10", "APP18", "APP19", "APP31")
    assert row.other_measures.splitlines()[0].startswith("We will provide the evidence")


def test_3b4_officer_cell_continued_after_a_page_break(plan: object) -> None:
    row = action(plan, "3B4")
    assert row.officer_text == "Corporate Director Children Young People and Education, KCC."
    assert row.reporting_officer == "corporate-director-cype"
    assert row.planned_evidence == (
        "Action complete – update on impact of event provided to SIAB in April 23 as part "
        "of Corporate Director's verbal update"
    )
    assert row.other_measures == "Not applicable"


def test_1f3_bullet_continued_in_a_paragraph_after_a_page_break(plan: object) -> None:
    row = action(plan, "1F3")
    assert row.end_date_text == "To be confirmed in Family Hubs Delivery Plan in August 2023"
    assert row.end_date is None
    assert (
        "Family Hubs consultation launched July 23 to complete with evaluation of "
        "consultation findings in September 23." in row.planned_evidence.splitlines()
    )


def test_2e2_several_officers_split_first_reports(plan: object) -> None:
    row = action(plan, "2E2")
    assert row.officer_text == (
        "Education Officer, Mainstream Inclusion, KCC\n"
        "Assistant Director/Principal Educational Psychologist, KCC."
    )
    assert row.reporting_officer == "education-officer-mainstream-inclusion"
    assert row.other_officers == ("ad-principal-educational-psychologist",)
    assert row.text.splitlines()[1].startswith("Inclusion dashboard consistently used")
    assert row.kpi_codes == ()
    assert row.other_measures == (
        "CATIE baseline report – Sept 2023.\n"
        "CATIE inclusion metrics measured annually as per Countywide Approach to Inclusive "
        "Education."
    )


@pytest.mark.parametrize(
    ("action_id", "reporting", "others"),
    [
        ("4C2", "director-childrens-services-icb", ("head-of-commissioning",)),
        (
            "4C3",
            "deputy-director-childrens-services-icb",
            ("head-strategic-commissioning-public-health",),
        ),
        ("5C3", "client-transport-manager", ("designated-clinical-officer",)),
        (
            "8A4",
            "deputy-director-childrens-services-send",
            ("programme-manager-childrens-neurodevelopment",),
        ),
        (
            "8C1",
            "deputy-director-childrens-services-send",
            ("ad-principal-educational-psychologist",),
        ),
        ("8C2", "deputy-director-childrens-services-send", ("send-lead-slt",)),
        ("8D1", "deputy-director-childrens-services-send", ("send-lead-slt",)),
        ("4A2", "head-strategic-commissioning-cyp-services", ()),
    ],
)
def test_cells_naming_several_officers(
    plan: object, action_id: str, reporting: str, others: tuple[str, ...]
) -> None:
    row = action(plan, action_id)
    assert (row.reporting_officer, row.other_officers) == (reporting, others)


def test_2e1_kpi_range_expanded(plan: object) -> None:
    row = action(plan, "2E1")  # "APP09 APP49 APP50 APP57 – APP64"
    assert row.kpi_codes == ("APP09", "APP49", "APP50", *(f"APP{n}" for n in range(57, 65)))
    assert row.other_measures == ""


def test_5b1_inclusive_ranges_expanded(plan: object) -> None:
    # "APP08 APP09 APP10 APP11 APP 23-31 inclusive APP33 APP 34 APP39
    #  APP 47-56 inclusive APP 57-64 inclusive"
    row = action(plan, "5B1")
    expected = [
        "APP08", "APP09", "APP10", "APP11",
        *(f"APP{n}" for n in range(23, 32)),
        "APP33", "APP34", "APP39",
        *(f"APP{n}" for n in range(47, 65)),
    ]  # fmt: skip
    assert list(row.kpi_codes) == expected
    assert row.other_measures == ""


def test_6c1_repeated_codes_listed_once(plan: object) -> None:
    row = action(plan, "6C1")  # "APP05 APP06 APP22 APP05 APP06 APP15 Percentage of plans…"
    assert row.kpi_codes == ("APP05", "APP06", "APP22", "APP15")
    assert row.other_measures == "Percentage of plans audited prior to issuing in draft."


def test_other_measures_are_text_not_codes(plan: object) -> None:
    assert action(plan, "1C2").other_measures == (
        "To be developed by August 2023 – data currently being collected"
    )
    assert action(plan, "3B4").kpi_codes == ()
    assert (
        action(plan, "7D2").other_measures == "Number of red risks Number of red risks downgraded"
    )
    assert action(plan, "7D3").other_measures == "All KPI's in APP scorecard"
    assert action(plan, "8F1").kpi_codes == ("APP44",)


def test_every_end_date_is_a_date_or_kept_as_text(plan: object) -> None:
    open_ended = {a.id: a.end_date_text for a in plan.actions if a.end_date is None}
    assert open_ended == {
        "1F3": "To be confirmed in Family Hubs Delivery Plan in August 2023",
        "2B1": "March 2023 pilot",
        "4B1": "To be confirmed",
        "4C1": "Completed",
        "5A3": "Ongoing",
        "7F2": "Ongoing",
        "9A3": "Ongoing",
    }


# --------------------------------------------------------------------------- KPIs


def test_scorecard_list_has_no_app14(plan: object) -> None:
    codes = [k.code for k in plan.kpis]
    assert "APP14" not in codes
    assert codes[:13] == [f"APP{n:02d}" for n in range(1, 14)]
    assert codes[13:63] == [f"APP{n:02d}" for n in range(15, 65)][:50]
    assert codes[-2:] == ["APP44-3", "APPSLT-2"]


def test_codes_only_in_the_high_impact_tables(plan: object) -> None:
    wheelchair = kpi(plan, "APP44-3")
    assert wheelchair.description == (
        "Kent and Medway Wheelchair Service, percentage of episodes of care completed within "
        "18 weeks."
    )
    assert (wheelchair.areas, wheelchair.unit, wheelchair.polarity) == ((8,), "%", "higher")
    assert (wheelchair.baseline, wheelchair.baseline_text, wheelchair.baseline_date) == (
        59.5,
        "59.5 (May 2023)",
        dt.date(2023, 5, 31),
    )
    assert wheelchair.high_impact
    therapy = kpi(plan, "APPSLT-2")
    assert therapy.description == (
        "Speech and Language Therapy (SLT), percentage on the waiting list for an assessment "
        "over 12 weeks."
    )
    assert (therapy.polarity, therapy.frequency, therapy.baseline) == ("lower", "monthly", 49.3)
    targets = [(t.date, t.text) for t in plan.targets if t.code == "APPSLT-2"]
    assert targets == [
        (dt.date(2023, 6, 30), "TBC"),
        (dt.date(2023, 12, 31), "TBC"),
        (dt.date(2024, 7, 31), "TBC"),
        (dt.date(2025, 7, 31), "TBC"),
    ]
    # APP44 itself is the scorecard's count of wheelchair assessments
    assert (
        kpi(plan, "APP44").description
        == "Wheelchair assessments Kent and Medway (children 0 to 18)."
    )


def test_high_impact_baselines_and_targets(plan: object) -> None:
    app08 = kpi(plan, "APP08")
    assert (app08.baseline, app08.baseline_text, app08.baseline_date) == (
        64.0,
        "64",
        dt.date(2023, 6, 30),
    )
    assert [(t.date, t.text) for t in plan.targets if t.code == "APP08"] == [
        (dt.date(2023, 6, 30), "75"),
        (dt.date(2023, 12, 31), "90"),
        (dt.date(2024, 7, 31), "TBC"),
        (dt.date(2025, 7, 31), "TBC"),
    ]
    app62 = kpi(plan, "APP62")
    assert (app62.baseline, app62.baseline_text, app62.baseline_date) == (
        89.0,
        "89 (Whole year 2021/22)",
        dt.date(2022, 7, 31),
    )
    assert app62.areas == (2, 5, 9)
    app40 = kpi(plan, "APP40")
    assert (app40.baseline, app40.baseline_date, app40.polarity) == (
        7399.0,
        dt.date(2023, 5, 31),
        "lower",
    )
    # The table's APP41 row says "autism"; the scorecard list's ADHD is kept.
    assert "ADHD" in kpi(plan, "APP41").description
    high = sorted(k.code for k in plan.kpis if k.high_impact)
    assert high == sorted(
        ["APP08", "APP09", "APP10", "APP18", "APP31", "APP62", "APP12", "APP15", "APP13",
         "APP57", "APP17", "APP20", "APP22", "APP04", "APP40", "APP41", "APP44-3",
         "APPSLT-2", "APP34"]
    )  # fmt: skip


def test_thrive_row_is_not_a_kpi(seed_text: str, plan: object) -> None:
    assert tool.high_impact_rows_without_code(seed_text) == [
        "area 4: N/A – KPIs set within the Thrive framework for system change. "
        "(baseline 'To be baselined')"
    ]
    assert not any("Thrive" in k.description for k in plan.kpis)


@pytest.mark.parametrize(
    ("code", "unit", "polarity", "frequency"),
    [
        ("APP01", "%", "higher", "monthly"),
        ("APP03", "number", "lower", "monthly"),
        ("APP12", "%", "higher", "termly"),
        ("APP20", "%", "lower", "monthly"),
        ("APP23", "%", "lower", "monthly"),
        ("APP27", "number", "lower", "monthly"),
        ("APP47", "%", "lower", "annual"),
        ("APP51", "score", "lower", "annual"),
        ("APP57", "%", "lower", "annual"),
        ("APP58", "%", "higher", "annual"),
        ("APP40", "number", "lower", "monthly"),
        ("APP42", "number", "higher", "monthly"),
    ],
)
def test_kpi_unit_polarity_frequency(
    plan: object, code: str, unit: str, polarity: str, frequency: str
) -> None:
    row = kpi(plan, code)
    assert (row.unit, row.polarity, row.frequency) == (unit, polarity, frequency)


# --------------------------------------------------------------------------- risks


def test_risk_register(plan: object) -> None:
    assert [r.id for r in plan.risks] == [f"R{n:02d}" for n in range(1, 13)]
    first = plan.risks[0]
    assert (first.date_text, first.severity, first.severity_after) == ("17/05/23", "High", "High")
    assert first.progress == "To be reviewed in monthly assurance reporting."
    assert len(first.mitigations.splitlines()) == 4
    pace = plan.risks[5]  # split across a page break
    assert pace.risk == (
        "Pace of delivery on Accelerated Progress Plan (APP) means a short-term focus impacts "
        "the need to also plan and deliver long term sustainable improvement."
    )
    assert pace.mitigations.splitlines()[1] == (
        "Strategic Improvement and Assurance Board (SIAB) partners to provide challenge on "
        "long term impact and sustainable change."
    )
    assert plan.risks[2].mitigations.splitlines()[-1] == (
        "Scope opportunities for joint commissioning arrangements to optimise resources "
        "across the system."
    )
    assert Counter(r.severity for r in plan.risks) == {"High": 5, "Medium": 6, "Low": 1}
    assert plan.risks[4].progress == "To be reviewed in monthly assurance reporting"


# --------------------------------------------------------------------------- officers


def test_spellings_of_one_officer_are_merged(plan: object) -> None:
    officers = {o.id: o for o in plan.officers}
    director = officers["director-education-send"]
    assert (director.name, director.organisation) == ("Director of Education and SEND", "KCC")
    assert set(director.aliases) == {
        "Director for Education and SEND, KCC.",
        "Director for Education and SEND.",
        "Director of Education and SEND, KCC.",
        "Director of Education and SEND, KCC",
        "Director of Education and SEND.",
    }
    reporting = Counter(a.reporting_officer for a in plan.actions)
    assert reporting["director-education-send"] == 6  # 7B1 7B2 7D2 7E1 7F2 9B1
    assert reporting["designated-clinical-officer"] == 9
    assert officers["area-3-lead"] == tool.OfficerRow("area-3-lead", "Area 3 lead", "", ())


def test_every_alias_row_is_used(plan: object, aliases: list[object]) -> None:
    spellings = {tool.officer_key(s) for o in plan.officers for s in o.aliases}
    unused = [a.as_written for a in aliases if tool.officer_key(a.as_written) not in spellings]
    assert unused == []


def test_an_unknown_spelling_stops_the_extraction(seed_text: str, aliases: list[object]) -> None:
    without = [a for a in aliases if a.as_written != "Director for Education and SEND."]
    with pytest.raises(tool.ExtractionError) as caught:
        tool.extract(seed_text, without)
    assert "7E1 (line 406): 'Director for Education and SEND.'" in str(caught.value)
    assert "tools/officer_aliases.csv" in str(caught.value)


def test_alias_table_rejects_one_officer_with_two_names(tmp_path: Path) -> None:
    table = tmp_path / "aliases.csv"
    with table.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(tool.ALIAS_COLUMNS)
        writer.writerow(["Kent PACT.", "kent-pact", "Kent PACT", "Kent PACT", ""])
        writer.writerow(["Kent Parents and Carers Together", "kent-pact", "Kent PACT", "", ""])
    with pytest.raises(tool.ExtractionError, match="row 3: officer kent-pact is named"):
        tool.read_aliases(table)


def test_the_note_lists_every_merge(plan: object) -> None:
    note = " ".join(DOC.read_text(encoding="utf-8").split())  # lines wrap anywhere
    for officer in plan.officers:
        if len(officer.aliases) > 1:
            for spelling in officer.aliases:
                assert spelling in note, (officer.id, spelling)


# --------------------------------------------------------------------------- small pieces


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("APP57 – APP64", [f"APP{n}" for n in range(57, 65)]),
        ("APP 23-31 inclusive", [f"APP{n}" for n in range(23, 32)]),
        ("APP47-64, which cover", [f"APP{n}" for n in range(47, 65)]),
        ("APP11 APP47 – 56", ["APP11", *(f"APP{n}" for n in range(47, 57))]),
        ("APP 55 which", ["APP55"]),
        ("APP44-3 – Kent and Medway", ["APP44-3"]),
        ("APPSLT-2 – Speech", ["APPSLT-2"]),
        ("APP31- Percentage of school age", ["APP31"]),
        ("In addition to APP Scorecard KPI's", []),
    ],
)
def test_kpi_codes(text: str, codes: list[str]) -> None:
    assert tool.kpi_codes(text) == codes


def test_without_codes_keeps_the_words() -> None:
    assert tool.without_codes("APP20 % of active EHCPs") == "% of active EHCPs"
    assert tool.without_codes("APP 23-31 inclusive APP33") == ""


def test_cells_join_across_a_page_break() -> None:
    first = tool.read_cell('<ul style="list-style-type: none"> • One. • Two continues')
    running = tool.read_cell("<p>on the next page.</p> <ul> • Three.")
    bullets = tool.read_cell('<ul style="list-style-type: none"> • Four.')
    assert tool.join_cells([first, running, bullets]) == [
        "One.",
        "Two continues on the next page.",
        "Three.",
        "Four.",
    ]


def test_split_officers_reads_known_spellings() -> None:
    keys = {
        "Director of Children's Services, ICB, NHS": "director",
        "Head of Commissioning, KCC": "head",
        "Client Transport Manager": "transport",
        "Designated Clinical Officer (DCO) Kent and Medway, NHS": "dco",
    }
    assert tool.split_officers(
        "Director of Children’s Services, ICB, NHS. Head of Commissioning, KCC.", keys
    ) == [
        ("Director of Children’s Services, ICB, NHS.", "director"),
        ("Head of Commissioning, KCC.", "head"),
    ]
    assert tool.split_officers(
        "Client Transport Manager and Designated Clinical Officer (DCO) Kent and Medway, NHS.",
        keys,
    ) == [
        ("Client Transport Manager", "transport"),
        ("Designated Clinical Officer (DCO) Kent and Medway, NHS.", "dco"),
    ]
    assert tool.split_officers("Head of Commissioning, KCC and someone else", keys) is None


# --------------------------------------------------------------------------- the workbook


def _cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    workbook = load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


def test_committed_plan_equals_a_fresh_extraction(plan: object, tmp_path: Path) -> None:
    fresh = tmp_path / "plan.xlsx"
    fresh.write_bytes(tool.workbook_bytes(plan))
    assert _cells(COMMITTED) == _cells(fresh), (
        "inputs/plan.xlsx differs from the seed: run python tools/extract_seed.py"
    )


def test_a_rerun_writes_the_same_bytes(plan: object) -> None:
    assert tool.workbook_bytes(plan) == tool.workbook_bytes(plan)


def test_workbook_sheets_headers_and_layout() -> None:
    workbook = load_workbook(COMMITTED)
    assert workbook.sheetnames == list(schema.HEADERS)
    for name, headers in schema.HEADERS.items():
        sheet = workbook[name]
        assert tuple(cell.value for cell in sheet[1]) == headers
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.freeze_panes == "A2"
    assert workbook.properties.creator == "packbuilder tools/extract_seed.py"
    actions = workbook[schema.ACTIONS]
    assert actions.column_dimensions["C"].width == 60
    assert actions["C2"].alignment.wrap_text


def test_command_line_writes_the_workbook(
    seed_text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "inputs" / "plan.xlsx"
    assert tool.main(["--out", str(out)]) == 0
    assert capsys.readouterr().out == (
        f"Wrote {out}: 9 areas, 48 sub-themes, 116 actions, 56 officers, 65 KPIs, "
        "76 KPI targets, 12 risks\n"
    )
    assert _cells(out) == _cells(COMMITTED)


def test_command_line_without_a_seed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "absent.txt"
    assert tool.main(["--seed", str(missing), "--out", str(tmp_path / "plan.xlsx")]) == 2
    assert capsys.readouterr().err == f"Error: no seed at {missing}; give its path with --seed\n"


# --------------------------------------------------------------------------- the loader


def test_committed_plan_loads_without_errors() -> None:
    loaded = load_plan(COMMITTED)
    assert loaded.errors == []
    plan = loaded.plan
    assert {a: len(plan.actions_in_area(a)) for a in range(1, 10)} == ACTIONS_PER_AREA
    assert len(plan.sub_themes) == 48
    assert len(plan.officers) == ACTION_OFFICERS + 9
    assert len(plan.kpis) == KPI_COUNT
    assert sum(len(k.targets) for k in plan.kpis) == TARGET_COUNT
    assert len(plan.risks) == RISK_COUNT
    by_id = plan.action_by_id()
    assert by_id["2A1"].baseline_impact_text == "TBC in September 23 reporting"
    assert by_id["2E2"].officers == (
        "education-officer-mainstream-inclusion",
        "ad-principal-educational-psychologist",
    )
    # Open wording is never overdue, even where it names a month (docs/plan-register.md, end dates).
    assert (by_id["1F3"].end_date.kind.value, by_id["1F3"].end_date.date) == ("open", None)
    assert by_id["2B1"].end_date.date == dt.date(2023, 3, 31)  # "March 2023 pilot"
    warnings = [(f.code, f.value) for f in loaded.findings if f.severity.value == "warning"]
    assert warnings == [("PLAN-NO-END-DATE", "Completed")]  # 4C1
