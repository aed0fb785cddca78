"""The bundled example's July is the published plan's July.

Every rating typed in inputs/returns/2023-07/ is the plan's own baseline rating (the seed's
July): a few are typed untidily to show the checker's tidying, and one is an error whose
carried value is the plan's own. The July tracker built from them carries the plan's ratings
for every action (1A1's impact is Red, as published).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import openpyxl
import pytest

from packbuilder.config import Config, load_config
from packbuilder.model import Period, Plan, Rating
from packbuilder.plan.loader import load_plan
from packbuilder.returns import layout

REPOSITORY = Path(__file__).resolve().parent.parent
JULY = Period(2023, 7)
# The cells of July that deliberately differ in form from the plan (the README lists them):
# (action, field) -> what was typed.
DIFFER_IN_FORM = {
    ("1A1", "impact"): "red ",  # the plan's Red, typed untidily: read as Red (info)
    ("1C2", "progress"): "Amber/Red",  # not a rating: an error, the plan's Green carried
}


@pytest.fixture(scope="module")
def plan() -> Plan:
    config = load_config(REPOSITORY)
    return load_plan(config.plan_path, config).plan


def typed_ratings(folder: Path) -> list[tuple[str, str, str, str]]:
    """(file, action, field, text typed) for every reporting row of every officer return."""
    letters = {c.key: c.letter for c in layout.COLUMNS}
    found = []
    for path in sorted(folder.glob("*.xlsx")):
        workbook = openpyxl.load_workbook(path, read_only=True)
        if layout.RETURN_SHEET not in workbook.sheetnames:
            continue  # an area lead's commentary return: no ratings
        sheet = workbook[layout.RETURN_SHEET]
        for row in range(layout.FIRST_ROW, sheet.max_row + 1):
            if sheet[f"{letters['role']}{row}"].value != layout.ROLE_REPORTING:
                continue
            action_id = str(sheet[f"{letters['action_id']}{row}"].value)
            for key in ("progress", "impact"):
                typed = sheet[f"{letters[key]}{row}"].value
                found.append((path.name, action_id, key, "" if typed is None else str(typed)))
        workbook.close()
    return found


def plan_rating(plan: Plan, action_id: str, key: str) -> Rating | None:
    action = plan.action_by_id()[action_id]
    return action.baseline_progress if key == "progress" else action.baseline_impact


def test_every_july_example_rating_is_the_plan_s_own(plan: Plan) -> None:
    typed = typed_ratings(REPOSITORY / "inputs" / "returns" / str(JULY))
    assert len({(action_id, key) for _, action_id, key, _ in typed}) > 150  # most actions
    differ = {}
    for file, action_id, key, text in typed:
        expected = plan_rating(plan, action_id, key)
        assert expected is not None, (file, action_id, key)
        if text != expected.value:
            differ[(action_id, key)] = text
    assert differ == DIFFER_IN_FORM
    # The untidy one keeps the plan's value once tidied.
    assert plan_rating(plan, "1A1", "impact") is Rating.RED
    assert Rating(DIFFER_IN_FORM[("1A1", "impact")].strip().title()) is Rating.RED


def test_the_july_tracker_carries_the_plan_s_ratings_for_every_action(
    plan: Plan, built_example: Path
) -> None:
    config: Config = load_config(built_example)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # openpyxl drops sparklines, and says so
        sheet = openpyxl.load_workbook(config.outputs_dir(JULY) / "tracker-2023-07.xlsx")["Tracker"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    shown = {
        str(r[0]): (str(r[header.index("Progress")]), str(r[header.index("Impact")]))
        for r in rows[1:]
    }
    expected = {
        a.id: (a.baseline_progress.value, a.baseline_impact.value)  # type: ignore[union-attr]
        for a in plan.actions
    }
    # A value carried forward may say so after its rating word ("Green, carried forward: …").
    assert {k: (p.split(",")[0], i.split(",")[0]) for k, (p, i) in shown.items()} == expected
    assert shown["1A1"][1].split(",")[0] == "Red"
