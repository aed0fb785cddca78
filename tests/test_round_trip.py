"""The round trip: make the example's returns, fill them as officers would, check them clean.

The example workspace's plan and config are copied into a tmp folder; the returns are made by
``make_returns``, filled with the seed's 2023-07 ratings by the example tool's own functions,
and checked by ``check_period``. The same files re-saved by LibreOffice Calc must check the
same, finding for finding.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from packbuilder.commands.check import check_period
from packbuilder.commands.returns import make_returns
from packbuilder.config import Config
from packbuilder.model import CheckReport, Period, Plan
from packbuilder.plan.loader import load_plan

REPO = Path(__file__).resolve().parents[1]
JULY = Period(2023, 7)


def _example_tool() -> ModuleType:
    path = REPO / "tools" / "make_example_returns.py"
    spec = importlib.util.spec_from_file_location("make_example_returns", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


tool = _example_tool()


def made_and_filled(tmp_path: Path) -> tuple[Config, Plan]:
    """The example's July returns made in a tmp workspace and filled with the seed's ratings."""
    config: Config = tool.temp_workspace(REPO, tmp_path / "ws")
    plan = load_plan(config.plan_path, config).plan
    made = make_returns(config, JULY)
    values = tool.july_values(plan)
    received = config.returns_dir(JULY)
    received.mkdir(parents=True)
    for path in made.files[: made.officer_count]:
        filled = received / path.name
        shutil.copy(path, filled)
        assert tool.fill_officer_return(filled, values)
    areas = [a.number for a in plan.areas]
    for number, path in zip(areas, made.files[made.officer_count :], strict=True):
        filled = received / path.name
        shutil.copy(path, filled)
        tool.fill_area_return(filled, tool.area_texts(plan, number, values, JULY))
    return config, plan


def flattened(report: CheckReport) -> list[tuple[str, str, str, str, str, str]]:
    return sorted(
        (f.code, f.severity.value, f.file, f.sheet, f.cell, f.value) for f in report.findings
    )


def test_filled_example_returns_check_with_no_errors(tmp_path: Path) -> None:
    config, plan = made_and_filled(tmp_path)
    report = check_period(config, JULY)
    assert report.errors == []
    assert report.missing_officers() == []
    assert report.missing_areas() == []
    assert len(report.counted_officer_returns()) == len(plan.reporting_officers())
    updates = {u.action_id: u for f in report.counted_officer_returns().values() for u in f.updates}
    assert sorted(updates) == sorted(a.id for a in plan.actions)
    for action in plan.actions:  # the seed's ratings arrive as the seed has them
        assert updates[action.id].progress is action.baseline_progress, action.id
        assert updates[action.id].impact is action.baseline_impact, action.id
    tbc = [a for a in plan.actions if a.baseline_impact_text.startswith("TBC in September")]
    assert tbc
    for action in tbc:
        assert updates[action.id].progress_commentary.startswith("TBC in September 23 reporting")
    area_returns = report.counted_area_returns()
    assert sorted(area_returns) == [a.number for a in plan.areas]
    commentary = area_returns[1].area_commentary
    assert commentary is not None and commentary.progress.startswith("July 2023: of the")


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed: the LibreOffice round trip was not run"
        )
    return found


@pytest.mark.slow
@pytest.mark.libreoffice
def test_returns_saved_by_libreoffice_check_identically(tmp_path: Path) -> None:
    soffice = _soffice()
    config, _ = made_and_filled(tmp_path)
    before = check_period(config, JULY)
    received = config.returns_dir(JULY)
    converted = tmp_path / "converted"
    profile = (tmp_path / "lo-profile").as_uri()  # its own profile: runs may overlap
    files = sorted(str(p) for p in received.glob("*.xlsx"))
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx",
         "--outdir", str(converted), *files],
        check=True,
        capture_output=True,
        timeout=600,
    )  # fmt: skip
    assert sorted(p.name for p in converted.glob("*.xlsx")) == sorted(Path(f).name for f in files)
    for path in converted.glob("*.xlsx"):
        assert path.read_bytes() != (received / path.name).read_bytes()  # really re-saved
        shutil.copy(path, received / path.name)
    after = check_period(config, JULY)
    assert after.errors == []
    # LibreOffice keeps the hidden sheet hidden but may not keep it very hidden: an info note.
    shown = [f for f in after.findings if f.code == "meta-sheet-shown"]
    assert all(f.severity.value == "info" for f in shown)
    assert [f for f in flattened(after) if f[0] != "meta-sheet-shown"] == flattened(before)


def test_area_lead_returns_after_check_show_this_months_ratings(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from packbuilder.returns import layout

    config, plan = made_and_filled(tmp_path)
    officer_file = next(config.returns_dir(JULY).glob("2023-07 Return - *.xlsx"))
    officer_file.unlink()  # one officer's return has not come back
    made = make_returns(config, JULY, area_leads_only=True)
    assert (made.officer_count, made.area_count) == (0, len(plan.areas))
    assert made.send_list.name == "send-list-area-leads.csv"
    assert (made.folder / "send-list.csv").exists()  # the officers' list is kept
    sources = []
    for path in made.files:
        sheet = load_workbook(path)[layout.AREA_SHEET]
        row = layout.FIRST_ROW
        while sheet.cell(row, 1).value:
            sources.append(sheet.cell(row, 8).value)
            row += 1
    assert len(sources) == len(plan.actions)
    assert "This month's return" in sources
    assert "Plan baseline" in sources  # the missing officer's actions fall back
