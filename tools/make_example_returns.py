"""Make the bundled example's returned workbooks: inputs/returns/2023-07/ and 2023-08/.

The returns are made by ``packbuilder.returns.make`` in a temporary copy of this workspace,
filled with openpyxl the way officers fill them, and copied into ``inputs/returns/PERIOD/``
with a ``received.csv`` beside them. That file has two columns: ``file`` (the file name as
received) and ``received`` (when it arrived, an ISO 8601 local date and time such as
``2023-08-04T09:15:00``); each workbook's recorded modification time is set to the same time.

2023-07 carries the seed's own ratings (the plan's baseline ratings are the example's real
ratings for 2023-07; "TBC in September 23 reporting" becomes "Not yet rated" with those words
as its commentary) and the plan's evidence; commentary is illustrative wherever a rule needs
it. Every rating typed in 2023-07 is the plan's own: one is typed untidily ("red " for 1A1's
Red impact, tidied by the checker) and one typo ("Amber/Red" for 1C2's progress) is an error,
so the plan's own Green is carried. 2023-08 is illustrative: it moves as a real month would.
Both months carry a few realistic problems (a late return, a rating typo, a missing officer
and area-lead return, a superseded duplicate) so the first ``check`` shows what the checker
does. Everything is deterministic: rerunning gives the same files, byte for byte.

Run it from the repository root: ``.venv/bin/python tools/make_example_returns.py``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import shutil
import sys
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from openpyxl import load_workbook

from packbuilder.config import Config, load_config
from packbuilder.model import Action, LastValues, Period, Plan, Rating
from packbuilder.plan.loader import load_plan
from packbuilder.returns import layout
from packbuilder.returns.make import MadeReturns, baseline_values, write_returns

JULY = Period(2023, 7)
AUGUST = Period(2023, 8)
RECEIVED_CSV = "received.csv"
_RATING_WORDS = {r.value.lower() for r in Rating}


@dataclass(frozen=True)
class RowValues:
    """What an officer types into one action row (text exactly as typed)."""

    progress: str
    impact: str
    commentary: str = ""
    evidence: str = ""
    revised_end_date: dt.date | None = None
    revised_reason: str = ""
    confidence: str = ""
    risks: str = ""
    escalation: str = "No"
    next_milestone: str = ""
    next_milestone_date: dt.date | None = None


# --------------------------------------------------------------------------- filling


def fill_officer_return(path: Path, values: dict[str, RowValues]) -> list[str]:
    """Type VALUES into the reporting rows of the return at PATH; return the actions filled."""
    workbook = load_workbook(path)
    sheet = workbook[layout.RETURN_SHEET]
    letters = {c.key: c.letter for c in layout.COLUMNS}
    filled = []
    for row in range(layout.FIRST_ROW, sheet.max_row + 1):
        action_id = sheet[f"{letters['action_id']}{row}"].value
        role = sheet[f"{letters['role']}{row}"].value
        if role != layout.ROLE_REPORTING or action_id not in values:
            continue
        typed = values[action_id]
        for key in layout.INPUT_KEYS:
            value = getattr(typed, key if key != "progress_commentary" else "commentary")
            if value not in ("", None):
                sheet[f"{letters[key]}{row}"] = value
        filled.append(str(action_id))
    workbook.save(path)
    return filled


def fill_area_return(path: Path, texts: dict[str, str]) -> None:
    """Type the area lead's commentary into the boxes the hidden sheet names."""
    workbook = load_workbook(path)
    meta = workbook[layout.META_SHEET]
    sheet = workbook[layout.AREA_SHEET]
    row = layout.META_ROWS_HEADER + 1
    while meta.cell(row, 1).value:
        key, cell = meta.cell(row, 1).value, meta.cell(row, 2).value
        if key in texts:
            sheet[str(cell)] = texts[key]
        row += 1
    workbook.save(path)


def freeze_file(path: Path, when: dt.datetime) -> None:
    """Set the recorded modification time to WHEN and fix the zip's times, so reruns match."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as source:
        parts = [(info.filename, source.read(info)) for info in source.infolist()]
    partial = path.with_name(path.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts:
            if name == "docProps/core.xml":
                text = data.decode("utf-8")
                for tag in ("dcterms:created", "dcterms:modified"):
                    text = re.sub(rf"(<{tag}[^>]*>)[^<]*(</{tag}>)", rf"\g<1>{stamp}\g<2>", text)
                data = text.encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)
    partial.replace(path)


# --------------------------------------------------------------------------- what is typed

_AMBER_NOTES = (
    "On track: the work set out in the plan is under way and the next steps are agreed.",
    "On track: partners met this month and the project plan is being delivered as scheduled.",
    "On track: delivery is progressing; early feedback is being gathered for the next report.",
)
_RED_NOTES = (
    "Delayed: capacity in the team has slowed delivery; a recovery plan goes to the next PDG.",
    "Delayed: the work depends on recruitment that is not yet complete.",
)
_AUGUST_AMBER = (
    "Still on track: August's milestones were met and the September steps are planned.",
    "On track: the summer term's work is complete and the autumn plan is agreed with partners.",
)
_AUGUST_RED = (
    "Still delayed: the recovery plan was agreed at PDG; progress is expected by October.",
    "Still delayed: recruitment closes in September; delivery restarts once posts are filled.",
)


def _note(options: tuple[str, ...], action: Action) -> str:
    return options[sum(map(ord, action.id)) % len(options)]


def _needs_commentary(*ratings: Rating | None) -> bool:
    return any(r in (Rating.RED, Rating.AMBER) for r in ratings)


def _evidence(action: Action) -> str:
    text = " ".join(action.planned_evidence.replace("•", " ").split())
    return text or "Evidence held by the responsible officer; available to the programme office."


def july_values(plan: Plan) -> dict[str, RowValues]:
    """The seed's own 2023-07 ratings and evidence, with commentary where a rule asks for it."""
    values = {}
    for action in plan.actions:
        progress = action.baseline_progress or Rating.AMBER
        impact = action.baseline_impact or Rating.NOT_YET_RATED
        if impact is Rating.NOT_YET_RATED:
            commentary = action.baseline_impact_text.strip() or "Impact not yet rated."
        elif _needs_commentary(progress, impact):
            commentary = _note(_RED_NOTES if Rating.RED in (progress, impact) else _AMBER_NOTES,
                               action)  # fmt: skip
        else:
            commentary = ""
        confidence = "High" if progress.is_complete else "Medium"
        values[action.id] = RowValues(
            progress=progress.value,
            impact=impact.value,
            commentary=commentary,
            evidence=_evidence(action),
            confidence=confidence,
        )
    return values


_IMPROVE = {
    Rating.RED: Rating.AMBER,
    Rating.AMBER: Rating.GREEN,
    Rating.GREEN: Rating.BLUE,
    Rating.BLUE: Rating.BLUE,
}
_WORSEN = {Rating.BLUE: Rating.GREEN, Rating.GREEN: Rating.AMBER, Rating.AMBER: Rating.RED}


def august_values(plan: Plan, july: dict[str, RowValues]) -> dict[str, RowValues]:
    """An illustrative 2023-08: most actions hold, some improve, a few get worse."""
    values = {}
    actions = list(plan.actions)
    for index, action in enumerate(actions):
        before = july[action.id]
        progress, impact = Rating(before.progress.strip().title()), Rating(before.impact)
        commentary = ""
        if index % 7 == 3 and progress is not Rating.BLUE:
            progress = _IMPROVE[progress]
            commentary = "Improved this month: the milestones due in August were all met."
        elif index % 23 == 11 and progress in _WORSEN:
            progress = _WORSEN[progress]
            commentary = "Slipped this month: staff absence over the summer delayed two milestones."
        if impact is Rating.NOT_YET_RATED:
            commentary = commentary or "Impact will be rated in the September report, as planned."
        elif index % 11 == 5 and impact is not Rating.BLUE:
            impact = _IMPROVE[impact]
            commentary = commentary or "Families' feedback this month shows early impact."
        if not commentary and _needs_commentary(progress, impact):
            notes = _AUGUST_RED if Rating.RED in (progress, impact) else _AUGUST_AMBER
            commentary = _note(notes, action)
        values[action.id] = RowValues(
            progress=progress.value,
            impact=impact.value,
            commentary=commentary,
            evidence=before.evidence,
            confidence="High" if progress.is_complete else "Medium",
            next_milestone="Report progress to the Partnership Delivery Group",
            next_milestone_date=dt.date(2023, 9, 30),
        )
    # The month's particular events, on fixed actions so reruns match.
    amber = [a.id for a in actions if values[a.id].progress == "Amber"]
    red = [a.id for a in actions if values[a.id].progress == "Red"]
    revised, low, escalated = amber[4], amber[9], red[0]
    values[revised] = replace(
        values[revised],
        revised_end_date=dt.date(2024, 3, 31),
        revised_reason="The consultation with families was extended to the end of the autumn "
        "term at the forum's request.",
        commentary="On track against the revised date; consultation extended.",
    )
    values[low] = replace(
        values[low],
        confidence="Low",
        risks="Two key posts vacant since July; interim cover ends in September.",
    )
    values[escalated] = replace(
        values[escalated],
        escalation="Yes",
        commentary="Delayed: funding for the second phase is not agreed. The board is asked to "
        "confirm the budget at its September meeting.",
        confidence="Low",
        risks="Without the budget the second phase cannot start.",
    )
    return values


def area_texts(
    plan: Plan, area: int, values: dict[str, RowValues], period: Period
) -> dict[str, str]:
    """Illustrative area commentary built from the area's ratings that month."""
    actions = plan.actions_in_area(area)
    counts = Counter(values[a.id].progress.strip().title() for a in actions)
    spread = ", ".join(f"{counts[r.value]} {r.value}" for r in Rating if counts[r.value])
    red = [a.id for a in actions if values[a.id].progress == "Red"]
    return {
        "progress": f"{period.label}: of the {len(actions)} actions in this area, {spread}. "
        "Officers report steady delivery against the plan.",
        "impact": "Early evidence of impact is strongest where actions are complete; families' "
        "feedback is being gathered through the parent carer forum.",
        "concerns": (
            f"Delivery of {', '.join(red)} is behind plan." if red else "No new concerns."
        ),
        "escalations": "None this month." if not red else f"The board is asked to note {red[0]}.",
    }


# --------------------------------------------------------------------------- one month


@dataclass(frozen=True)
class MonthProblems:
    """The realistic problems planted in one month, by officer and area position.

    ``untidy`` ratings keep their value and change only in form (lower case and a trailing
    space: "red " for a Red), which the checker tidies; ``typos`` replace the value with text
    that is not a rating, an error that carries the last known rating forward.
    """

    missing_officer: int
    late_officer: int
    superseded_officer: int
    missing_area: int
    typos: tuple[tuple[int, str, str], ...]  # (officer position, column key, text typed)
    untidy: tuple[tuple[int, str], ...] = ()  # (officer position, column key)


# In July every rating typed is the published plan's own: 1A1's impact is typed "red " (a
# Red), and 1C2's progress "Amber/Red" is an error, so the plan's own Green is carried.
PROBLEMS = {
    JULY: MonthProblems(7, 3, 1, 6, ((5, "progress", "Amber/Red"),), ((0, "impact"),)),
    AUGUST: MonthProblems(12, 7, 4, 9, ((2, "progress", "Gren"),)),
}


def _received_time(period: Period, position: int) -> dt.datetime:
    """When officer POSITION's return arrived: spread over the week before the deadline."""
    first = period.next.first_day
    day = 1 + position % 6
    return dt.datetime(first.year, first.month, day, 8 + position % 9, (position * 7) % 60)


def make_month(
    config: Config,
    plan: Plan,
    period: Period,
    values: dict[str, RowValues],
    last: dict[str, LastValues],
    target: Path,
) -> dict[str, RowValues]:
    """Make, fill and place one month's returns in TARGET; return the values that counted."""
    made: MadeReturns = write_returns(
        config, plan, period, last, made_at=dt.datetime(period.year, period.month, 28, 9, 0)
    )
    problems = PROBLEMS[period]
    deadline = config.deadline(period)
    officers = plan.reporting_officers()
    # write_returns lists officers' returns in plan order, then the areas' in area order.
    officer_files = dict(zip((o.id for o in officers), made.files, strict=False))
    area_files = dict(
        zip((a.number for a in plan.areas), made.files[made.officer_count :], strict=True)
    )
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    received: list[tuple[str, dt.datetime]] = []
    counted: dict[str, RowValues] = {}
    work = Path(tempfile.mkdtemp(prefix="filled-"))
    for position, officer in enumerate(officers):
        if position == problems.missing_officer:
            continue
        made_file = officer_files[officer.id]
        name = made_file.name
        mine = {a.id: values[a.id] for a in plan.actions_reported_by(officer.id)}
        rejected: set[str] = set()
        for untidy_position, key in problems.untidy:
            if untidy_position == position:
                first = next(iter(mine))
                mine[first] = replace(mine[first], **{key: f"{getattr(mine[first], key).lower()} "})
        for typo_position, key, text in problems.typos:
            if typo_position == position:
                first = next(iter(mine))
                mine[first] = replace(mine[first], **{key: text})
                if text.strip().lower() not in _RATING_WORDS:
                    rejected.add(first)
        when = _received_time(period, position)
        if position == problems.late_officer:
            when = dt.datetime.combine(deadline + dt.timedelta(days=2), dt.time(10, 32))
        if position == problems.superseded_officer:
            draft = {k: replace(v, commentary=v.commentary or "Draft: to be completed.")
                     for k, v in mine.items()}  # fmt: skip
            first_name = name.replace(".xlsx", " (draft).xlsx")
            shutil.copy(made_file, work / first_name)
            fill_officer_return(work / first_name, draft)
            received.append((first_name, when - dt.timedelta(days=1)))
        shutil.copy(made_file, work / name)
        fill_officer_return(work / name, mine)
        received.append((name, when))
        counted.update({k: v for k, v in mine.items() if k not in rejected})
    for area in plan.areas:
        if area.number == problems.missing_area:
            continue
        name = area_files[area.number].name
        shutil.copy(area_files[area.number], work / name)
        fill_area_return(work / name, area_texts(plan, area.number, values, period))
        received.append((name, _received_time(period, 20 + area.number)))
    for name, when in received:
        shutil.copy(work / name, target / name)
        freeze_file(target / name, when)
    shutil.rmtree(work)
    with (target / RECEIVED_CSV).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("file", "received"))
        for name, when in sorted(received, key=lambda item: (item[1], item[0])):
            writer.writerow((name, when.isoformat()))
    return counted


def last_from(plan: Plan, counted: dict[str, RowValues], period: Period) -> dict[str, LastValues]:
    """What history would hold after PERIOD: counted values, else the plan's baseline."""
    last = baseline_values(plan)
    for action_id, typed in counted.items():
        last[action_id] = LastValues(
            Rating(typed.progress.strip().title()),
            Rating(typed.impact.strip().capitalize()),
            typed.commentary,
            period,
            revised_end_date=typed.revised_end_date,
            revised_reason=typed.revised_reason,
            end_date_agreed_in=period if typed.revised_end_date else None,
        )
    return last


def temp_workspace(root: Path, into: Path) -> Config:
    """A copy of ROOT's config.toml and plan in INTO, so making returns writes nothing in ROOT."""
    into.mkdir(parents=True, exist_ok=True)
    shutil.copy(root / "config.toml", into / "config.toml")
    config = load_config(into)
    config.plan_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(load_config(root).plan_path, config.plan_path)
    return config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, default=Path("."))
    args = parser.parse_args(argv)
    root = args.workspace.resolve()
    with tempfile.TemporaryDirectory(prefix="example-returns-") as scratch:
        config = temp_workspace(root, Path(scratch))
        loaded = load_plan(config.plan_path, config)
        if loaded.errors:
            print(
                f"{config.plan_path.name} has errors: run packbuilder plan check", file=sys.stderr
            )
            return 2
        plan = loaded.plan
        returns_root = load_config(root).path(config.settings.paths.returns)
        july = july_values(plan)
        counted = make_month(
            config, plan, JULY, july, baseline_values(plan), returns_root / str(JULY)
        )
        august = august_values(plan, july)
        make_month(config, plan, AUGUST, august, last_from(plan, counted, JULY),
                   returns_root / str(AUGUST))  # fmt: skip
    for period in (JULY, AUGUST):
        folder = returns_root / str(period)
        print(f"{folder.relative_to(root)}: {len(list(folder.glob('*.xlsx')))} workbooks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
