"""The six-month review: six months recorded in history, the pack and the evidence workbook
read back and compared with what the months' script says, and the evidence bank."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from period_fixtures import A, B, G, N, R, action, area_return, check_of, plan_of, returned, update
from test_report_context import documented, names

from packbuilder.cli import main
from packbuilder.commands.review import make_review, read_span
from packbuilder.config import Config, default_config_text, load_config
from packbuilder.history import BuildRecord, History, plan_snapshot, snapshot_sha256
from packbuilder.merge import merge_period
from packbuilder.model import (
    Direction,
    ExceptionItem,
    Kpi,
    KpiRag,
    KpiStatus,
    KpiTarget,
    Period,
    PeriodResult,
    Plan,
    Rating,
    Risk,
    RiskStatus,
)
from packbuilder.review.context import build_review_context
from packbuilder.review.evidence import read_evidence_bank, windows_problem
from packbuilder.review.workbook import write_evidence_workbook

MONTHS = [Period(2023, m) for m in range(7, 13)]
FIRST, LAST = MONTHS[0], MONTHS[-1]
APP01 = Kpi(
    "APP01",
    "EHCPs issued within 20 weeks",
    areas=(1,),
    unit="%",
    baseline=48.0,
    standard=50.0,
    targets=(KpiTarget(dt.date(2023, 12, 31), 60.0, "60%"),),
)
APP02 = Kpi("APP02", "Parents who feel heard", areas=(2,), unit="%", baseline=30.0)
PLAN = Plan(
    **{
        **plan_of(
            action("1A1", "ann"),
            action("1A2", "ann", end=dt.date(2023, 10, 31)),
            action("2A1", "bob", area=2),
            action("2A2", "bob", area=2),
        ).__dict__,
        "kpis": (APP01, APP02),
    }
)

# The months' script: what each officer returned, month by month (Jul … Dec 2023).
PROGRESS = {
    "1A1": [A, A, G, G, G, B],
    "1A2": [R, R, A, A, A, A],
    "2A1": [A, A, A, A, A, A],
    "2A2": [G, G, G, G, G, G],
}
IMPACT = {
    "1A1": [N, A, A, G, G, G],
    "1A2": [R, R, R, R, R, R],
    "2A1": [A, A, A, A, A, A],
    "2A2": [G, G, G, G, G, G],
}
EVIDENCE = {
    "1A1": ["", "Panel set up", "panel  set up", "Waiting times fell", "", "Waiting times fell"],
    "1A2": [""] * 6,
    "2A1": ["Survey done"] * 6,
    "2A2": ["Pathway live", "", "", "", "", ""],
}
# (month index, revised end date, reason)
REVISIONS = {
    "1A1": [
        (2, dt.date(2024, 6, 30), "Recruitment delay"),
        (4, dt.date(2024, 9, 30), "Panel paused"),
    ]
}
APP01_VALUES = [50.0, 52.0, None, 55.0, 57.0, 60.0]
RISKS = [
    [Risk("R01", "2023", "Capacity in the team", "High", severity_after="High")],
    [Risk("R01", "2023", "Capacity in the team", "High", severity_after="High")],
    [Risk("R01", "2023", "Capacity in the team", "High", severity_after="High")],
    [Risk("R01", "2023", "Capacity in the team", "Medium", severity_after="Medium")],
    [
        Risk("R01", "2023", "Capacity in the team", "Medium", severity_after="Medium"),
        Risk("R02", "2023", "Budget pressure", "High", severity_after="High"),
    ],
    [
        Risk("R01", "2023", "Capacity in the team", "Medium", severity_after="Medium"),
        Risk("R02", "2023", "Budget pressure", "High", severity_after="High"),
    ],
]


def _revision(action_id: str, index: int) -> tuple[dt.date | None, str]:
    for month, date, reason in REVISIONS.get(action_id, []):
        if month == index:
            return date, reason
    return None, ""


def _record_month(config: Config, index: int) -> None:
    period = MONTHS[index]
    files = []
    for officer, ids in (("ann", ["1A1", "1A2"]), ("bob", ["2A1", "2A2"])):
        updates = []
        for row, action_id in enumerate(ids, start=5):
            revised, reason = _revision(action_id, index)
            updates.append(
                update(
                    action_id,
                    row,
                    PROGRESS[action_id][index],
                    IMPACT[action_id][index],
                    file=f"{officer}.xlsx",
                    evidence=EVIDENCE[action_id][index],
                    revised_end_date=revised,
                    revised_reason=reason,
                )
            )
        files.append(returned(officer, *updates, name=f"{officer}.xlsx"))
    if index % 2 == 0:
        files.append(area_return(1, f"Area 1 progress in {period.label}"))
    check = check_of(period, PLAN, *files)
    with History.open(config, create=True) as history:
        previous = history.latest_before(period)
        last = history.recorded_actions(previous) if previous else {}
        statuses, commentary, _ = merge_period(PLAN, check, last, [], previous)
        value = APP01_VALUES[index]
        kpis = [
            KpiStatus(
                APP01,
                value,
                "" if value is None else str(value),
                period.last_day if value is not None else None,
                False,
                APP01.targets[0],
                KpiRag.AMBER,
                "",
                None,
                Direction.NOT_COMPARABLE,
            ),
            KpiStatus(
                APP02,
                None,
                "",
                None,
                False,
                None,
                KpiRag.NOT_RATED,
                "",
                None,
                Direction.NOT_COMPARABLE,
            ),
        ]
        exceptions = [
            ExceptionItem(f"red-{m}", s.action.id, "action", s.action.area, "ann", f"Red {m}")
            for s in statuses
            for m in ("progress", "impact")
            if getattr(s, m) is R
        ]
        result = PeriodResult(
            period=period,
            plan=PLAN,
            actions=statuses,
            area_commentary=commentary,
            check=check,
            exceptions=exceptions,
            previous_period=previous,
            kpis=kpis,
            risks=[RiskStatus(r, "No change") for r in RISKS[index]],
        )
        snapshot = plan_snapshot(PLAN)
        history.begin()
        history.record(
            result,
            BuildRecord(
                build_id=f"{period}",
                period=period,
                built_at="2024-01-04T10:00:00+00:00",
                version="0.1.0",
                config_sha256="c" * 64,
                plan_sha256=snapshot_sha256(snapshot),
                inputs={},
                counts={"actions": len(statuses)},
            ),
            snapshot,
        )
        history.commit()


@pytest.fixture
def config(tmp_path: Path) -> Config:
    (tmp_path / "config.toml").write_text(
        default_config_text().replace('first = "2023-07"', 'first = "2023-07"'), "utf-8"
    )
    loaded = load_config(tmp_path)
    for index in range(len(MONTHS)):
        _record_month(loaded, index)
    return loaded


def _tables_after(document: docx.document.Document, heading: str) -> list[list[list[str]]]:
    """The tables between the heading with this text and the next heading of its level or
    above, as rows of cell texts."""
    body = document.element.body
    found: list[list[list[str]]] = []
    inside = False
    level = 0
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = docx.text.paragraph.Paragraph(child, document)
            style = paragraph.style.name if paragraph.style is not None else ""
            if style.startswith("Heading"):
                this_level = int(style.split()[-1])
                if paragraph.text == heading:
                    inside, level = True, this_level
                    continue
                if inside and this_level <= level:
                    break
        elif tag == "tbl" and inside:
            table = docx.table.Table(child, document)
            found.append([[c.text for c in row.cells] for row in table.rows])
    return found


def _word(rating: Rating | None) -> str:
    return rating.value if rating is not None else "No rating"


def _months_label() -> list[str]:
    return [p.first_day.strftime("%b %y") for p in MONTHS]


def test_the_pack_shows_each_areas_months_end_dates_and_evidence_as_recorded(
    config: Config,
) -> None:
    written = make_review(config, FIRST, LAST)
    assert written.folder == config.root / "outputs" / "review-2023-07-2023-12"
    document = docx.Document(str(written.pack))

    # The strip of ratings: one row per action and measure, one cell per month, in words.
    (strip, end_dates, evidence) = _tables_after(document, "Area 1: Area 1 title")[:3]
    assert strip[0] == ["Action", "Measure", *_months_label()]
    expected = [
        [action_id, measure.capitalize(), *[_word(r) for r in table[action_id]]]
        for action_id in ("1A1", "1A2")
        for measure, table in (("progress", PROGRESS), ("impact", IMPACT))
    ]
    assert strip[1:] == expected
    # … and the months share the strip's width evenly (docxtpl's column loop would not).
    grid = next(t for t in document.tables if t.rows[0].cells[1].text == "Measure")._tbl.tblGrid
    widths = [int(c.get(docx.oxml.ns.qn("w:w"))) for c in grid.gridCol_lst]
    assert len(widths) == 2 + len(MONTHS) and len(set(widths[2:])) == 1
    assert sum(widths) == pytest.approx(17.0 * 567, abs=len(widths))

    # End-date history: each revision with its month and reason, worked out from the script.
    expected_dates = [
        ["1A1", "31 Mar 2024", date.strftime("%d %b %Y"), MONTHS[month].label, reason]
        for month, date, reason in REVISIONS["1A1"]
    ]
    assert end_dates[1:] == expected_dates

    # Evidence of impact: each wording once (whitespace and case aside), by its first month.
    seen: dict[str, tuple[int, str, int]] = {}
    for action_id in ("1A1", "1A2"):
        for index, text in enumerate(EVIDENCE[action_id]):
            if text:
                key = f"{action_id}|{' '.join(text.split()).casefold()}"
                month, first_text, count = seen.get(key, (index, text, 0))
                seen[key] = (month, first_text, count + 1)
    expected_evidence = [
        [
            key.split("|")[0],
            MONTHS[month].label + ("" if count == 1 else f"\nrecorded in {count} months"),
            text,
        ]
        for key, (month, text, count) in seen.items()
    ]
    assert evidence[1:] == expected_evidence

    # The summary at both ends, counted from the script.
    figures = {
        row[0]: row[1:]
        for row in _tables_after(document, "The plan at July 2023 and at December 2023")[0][1:]
    }
    complete = [sum(1 for p in PROGRESS.values() if p[i].is_complete) for i in (0, 5)]
    assert figures["Actions complete (progress Green or Blue)"] == [str(c) for c in complete]
    assert figures["Actions completed during the span"] == ["–", "1"]  # 1A1
    assert figures["Actions whose end date moved in the span"] == ["–", "1"]
    assert figures["End-date revisions agreed in the span"] == ["–", "2"]
    assert figures["Actions overdue"] == ["0", "1"]  # 1A2, due 31 Oct 2023, Amber
    assert figures["Exceptions resolved in the span"] == ["–", "1"]  # 1A2's red progress
    assert figures["Exceptions still open"] == ["2", "1"]  # 1A2's red impact

    # What is thin.
    thin = _tables_after(document, "What is thin")
    no_evidence = [row[0] for row in thin[0][1:]]
    assert no_evidence == [a for a, texts in EVIDENCE.items() if not any(texts)]
    assert [row[0] for row in thin[1][1:]] == ["APP02"]
    rises = [row for row in thin[2][1:]]
    expected_rises = []
    for action_id in PROGRESS:
        for index in range(1, 6):
            for measure, table in (("Progress", PROGRESS), ("Impact", IMPACT)):
                before, after = table[action_id][index - 1], table[action_id][index]
                if (
                    before.is_brag
                    and after.is_brag
                    and after.rank > before.rank
                    and not EVIDENCE[action_id][index]
                ):
                    expected_rises.append(
                        [action_id, MONTHS[index].label, measure, before.value, after.value]
                    )
    assert rises == expected_rises

    # The risk register's changes, month by month.
    risks = _tables_after(document, "Risk register: changes over the span")[0]
    assert [row[0:2] + row[3:] for row in risks[1:]] == [
        ["October 2023", "R01", "Severity", "High", "Medium"],
        ["October 2023", "R01", "Severity after mitigation", "High", "Medium"],
        ["November 2023", "R02", "Added", "–", "High"],
    ]

    # KPIs: the figures under the chart, and the chart's alt text.
    kpi = _tables_after(document, "APP01: EHCPs issued within 20 weeks")[0]
    assert [row[1] for row in kpi[1:]] == [
        "No value" if v is None else f"{v:g}%" for v in APP01_VALUES
    ]
    descriptions = [
        e.get("descr") for e in document.element.body.iter() if e.tag.endswith("}docPr")
    ]
    assert len(descriptions) == 1  # APP01 only: APP02 has no value to chart
    assert all(d and d.startswith("Line chart of APP0") for d in descriptions)
    # Every table's first row repeats on each page.
    for table in document.tables:
        assert table.rows[0]._tr.trPr is not None
        assert any(c.tag.endswith("tblHeader") for c in table.rows[0]._tr.trPr)


def test_the_evidence_workbook_holds_each_view_with_the_recorded_values(config: Config) -> None:
    written = make_review(config, FIRST, LAST)
    workbook = openpyxl.load_workbook(written.workbook)
    assert workbook.sheetnames == [
        "Summary",
        "Ratings by month",
        "End-date history",
        "Evidence by month",
        "Evidence files",
        "KPI series",
        "What is thin",
        "Risk changes",
    ]
    ratings = [list(r) for r in workbook["Ratings by month"].iter_rows(values_only=True)]
    assert ratings[0][4:] == ["Measure", *_months_label()]
    for row in ratings[1:]:
        table = PROGRESS if row[4] == "Progress" else IMPACT
        assert row[5:] == [_word(r) for r in table[row[0]]]
    assert len(ratings) == 1 + 2 * len(PROGRESS)
    dates = [list(r) for r in workbook["End-date history"].iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[3].date(), r[4], r[6]) for r in dates] == [
        ("1A1", date, str(MONTHS[month]), reason) for month, date, reason in REVISIONS["1A1"]
    ]
    series = [list(r) for r in workbook["KPI series"].iter_rows(min_row=2, values_only=True)]
    assert [r[4] for r in series if r[0] == "APP01"] == APP01_VALUES
    assert [r[8] for r in series if r[0] == "APP01"] == [60] * 6
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref is not None


def test_the_same_history_gives_the_same_bytes(config: Config) -> None:
    (config.root / "inputs" / "evidence" / "1A1").mkdir(parents=True)
    (config.root / "inputs" / "evidence" / "1A1" / "2023-09-14 panel minutes.pdf").write_bytes(
        b"%PDF minutes"
    )
    first = make_review(config, FIRST, LAST)
    hashes = {
        p.relative_to(first.folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(first.folder.rglob("*"))
        if p.is_file()
    }
    again = make_review(config, FIRST, LAST)
    assert {
        p.relative_to(again.folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(again.folder.rglob("*"))
        if p.is_file()
    } == hashes
    assert set(hashes) == {
        "manifest.json",
        "review-2023-07-2023-12.docx",
        "evidence-2023-07-2023-12.xlsx",
        "evidence/1A1/2023-09-14 panel minutes.pdf",
    }
    manifest = json.loads((again.folder / "manifest.json").read_text("utf-8"))
    assert {o["path"]: o["sha256"] for o in manifest["outputs"]} == {
        k: v for k, v in hashes.items() if k != "manifest.json"
    }
    assert not list((config.root / "outputs").glob(".staging-*"))


def test_evidence_by_folder_and_by_index_is_listed_once_under_its_action(config: Config) -> None:
    bank = config.root / "inputs" / "evidence"
    (bank / "1A1").mkdir(parents=True)
    (bank / "Area 2").mkdir()
    (bank / "1A1" / "2023-09-14 panel minutes.pdf").write_bytes(b"minutes")
    (bank / "Area 2" / "survey.xlsx").write_bytes(b"survey")
    (bank / "case study.docx").write_bytes(b"case study")
    (bank / "stray.txt").write_bytes(b"nobody mapped me")
    (bank / "minutes: draft?.pdf").write_bytes(b"odd name")
    index = openpyxl.Workbook()
    sheet = index.active
    sheet.append(["File", "Supports", "Date"])
    sheet.append(["case study.docx", "2A1, 1a9", dt.datetime(2023, 11, 2)])
    sheet.append(["1A1/2023-09-14 panel minutes.pdf", "1A1", None])  # also in its folder
    sheet.append(["minutes: draft?.pdf", "1A2", None])
    sheet.append(["stray.txt", "", "soon"])
    index.save(bank / "index.xlsx")

    written = make_review(config, FIRST, LAST)
    files = {f.name: f for f in written.bank.files}
    assert files["1A1/2023-09-14 panel minutes.pdf"].supports == ("1A1",)
    assert files["1A1/2023-09-14 panel minutes.pdf"].date == dt.date(2023, 9, 14)
    assert files["case study.docx"].supports == ("2A1",)
    assert files["case study.docx"].date == dt.date(2023, 11, 2)
    assert files["Area 2/survey.xlsx"].supports == ("Area 2",)
    assert files["stray.txt"].supports == ()
    odd = files["minutes: draft?.pdf"]
    assert odd.copy == "evidence/minutes_ draft_.pdf"
    assert "Windows refuses" in odd.note
    assert (written.folder / odd.copy).read_bytes() == b"odd name"
    assert written.bank.problems == (
        "inputs/evidence/index.xlsx › Sheet › B2: '1a9' is not an action ID or an area of this "
        "plan; correct it and run the review again.",
        "inputs/evidence/index.xlsx › Sheet › C5: 'soon' is not a date, so the date of "
        "stray.txt is taken from its name or the file; type it as 14/09/2023.",
    )

    document = docx.Document(str(written.pack))
    area_1 = _tables_after(document, "Area 1: Area 1 title")
    listed = [row for table in area_1 for row in table if row[0] in ("1A1", "1A2", "Area 1")]
    file_rows = [row for row in listed if len(row) == 6 and len(row[4]) == 64]
    assert [(r[0], r[1], r[4]) for r in file_rows] == [
        ("1A1", "1A1/2023-09-14 panel minutes.pdf", hashlib.sha256(b"minutes").hexdigest()),
        ("1A2", "minutes_ draft_.pdf", hashlib.sha256(b"odd name").hexdigest()),
    ]
    appendix = _tables_after(document, "Documents not mapped to an action or area")
    assert [row[1] for row in appendix[0][1:]] == ["stray.txt"]
    # The links point into the pack's own copy, relative to the document.
    targets = sorted(
        r.target_ref for r in document.part.rels.values() if r.reltype.endswith("/hyperlink")
    )
    assert "evidence/1A1/2023-09-14%20panel%20minutes.pdf" in targets

    sheet_rows = list(
        openpyxl.load_workbook(written.workbook)["Evidence files"].iter_rows(
            min_row=2, values_only=True
        )
    )
    assert sorted((r[0], r[1], r[5]) for r in sheet_rows) == sorted(
        [
            ("1A1", "1A1/2023-09-14 panel minutes.pdf", hashlib.sha256(b"minutes").hexdigest()),
            ("Area 2", "Area 2/survey.xlsx", hashlib.sha256(b"survey").hexdigest()),
            ("2A1", "case study.docx", hashlib.sha256(b"case study").hexdigest()),
            ("1A2", "minutes_ draft_.pdf", hashlib.sha256(b"odd name").hexdigest()),
            ("Not mapped", "stray.txt", hashlib.sha256(b"nobody mapped me").hexdigest()),
        ]
    )


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("minutes.pdf", ""),
        ("a:b.pdf", "Windows refuses : in a file name"),
        ("CON.txt", "Windows reserves the name CON"),
        ("notes.", "Windows refuses a name ending in a dot or a space"),
    ],
)
def test_names_windows_refuses_are_named(name: str, problem: str) -> None:
    assert windows_problem(name) == problem


def test_review_on_the_command_line(config: Config) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["-C", str(config.root), "review", "2023-07", "2023-12"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Wrote outputs/review-2023-07-2023-12/:\n"
        "  review-2023-07-2023-12.docx\n"
        "  evidence-2023-07-2023-12.xlsx\n"
        "Evidence: 0 files copied, 0 not mapped to an action or area\n"
        "templates/review.docx is missing, so packbuilder's default template was used. Copy "
        "it back (packbuilder init writes one) to restyle the report.\n"
    )
    refused = runner.invoke(main, ["-C", str(config.root), "review", "2023-06", "2023-12"])
    assert refused.exit_code == 2
    assert "June 2023 is not recorded in history" in refused.output


def test_documented_review_context_is_the_real_one(config: Config) -> None:
    bank = config.root / "inputs" / "evidence"
    (bank / "1A1").mkdir(parents=True)
    (bank / "1A1" / "minutes.pdf").write_bytes(b"minutes")
    (bank / "stray.txt").write_bytes(b"stray")
    (bank / "a:b.txt").write_bytes(b"odd")
    span = read_span(config, FIRST, LAST)
    context, _ = build_review_context(config, span, read_evidence_bank(bank, span.plan))
    context["evidence"]["problems"] = ["an index row"]
    assert documented("Review pack context") == names(context)


def test_a_rating_carried_forward_for_an_error_says_so_in_the_strip_and_the_workbook(
    config: Config, tmp_path: Path
) -> None:
    span = read_span(config, FIRST, LAST)
    assert all(month.carried == {} for month in span.months)  # history recorded none
    months = list(span.months)
    months[2] = dataclasses.replace(
        months[2], carried={"1A1": {"progress": "this month's rating was not valid"}}
    )
    span = dataclasses.replace(span, months=tuple(months))
    bank = read_evidence_bank(config.root / "inputs" / "evidence", span.plan)
    context, _ = build_review_context(config, span, bank)
    [area] = [a for a in context["areas"] if a["strip"]][:1]
    row = next(r for r in area["strip"] if (r["id"], r["measure"]) == ("1A1", "Progress"))
    words = [cell["rating"] for cell in row["cells"]]
    expected = [_word(r) for r in PROGRESS["1A1"]]
    expected[2] += " (carried forward)"
    assert words == expected
    path = tmp_path / "evidence.xlsx"
    write_evidence_workbook(path, config, span, bank, context)
    sheet = openpyxl.load_workbook(path)["Ratings by month"]
    progress = next(
        list(r) for r in sheet.iter_rows(values_only=True) if r[0] == "1A1" and r[4] == "Progress"
    )
    assert progress[5:] == expected
