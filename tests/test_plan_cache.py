"""The plan cache: an unchanged register is not parsed again by the next command, and anything
wrong with the cache is a miss, never an error or a stale plan."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from returns_factory import write_workspace

from packbuilder.config import Config
from packbuilder.plan import loader, plan_cache


@pytest.fixture()
def config(tmp_path: Path) -> Config:
    return write_workspace(tmp_path / "ws")


def _new_command(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Forget the load kept in memory, as a new command starts; count the registers parsed."""
    parsed: list[Path] = []
    real = loader._load

    def counting(path: Path, data: bytes) -> loader.PlanLoad:
        parsed.append(path)
        return real(path, data)

    monkeypatch.setattr(loader, "_load", counting)
    return parsed


def _cached(config: Config) -> list[Path]:
    return sorted((config.root / plan_cache.CACHE_DIR).glob("plan-*.pickle"))


def test_the_next_command_takes_an_unchanged_plan_from_the_cache(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = _new_command(monkeypatch)
    first = loader.load_plan(config.plan_path, config)
    assert parsed == [config.plan_path] and len(_cached(config)) == 1
    parsed = _new_command(monkeypatch)
    again = loader.load_plan(config.plan_path, config)
    assert parsed == []
    assert again.plan == first.plan and again.findings == first.findings
    assert [a.id for a in again.plan.actions] == [a.id for a in first.plan.actions]


def test_a_changed_register_is_loaded_afresh_and_replaces_the_cache(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    loader.load_plan(config.plan_path, config)
    before = _cached(config)
    from openpyxl import load_workbook

    workbook = load_workbook(config.plan_path)
    sheet = workbook["Actions"]
    (text,) = [cell for cell in sheet[1] if cell.value == "Action"]
    sheet.cell(row=2, column=text.column, value="An action reworded by the office")
    workbook.save(config.plan_path)
    parsed = _new_command(monkeypatch)
    loaded = loader.load_plan(config.plan_path, config)
    assert parsed == [config.plan_path]
    assert "An action reworded by the office" in [a.text for a in loaded.plan.actions]
    after = _cached(config)
    assert len(after) == 1 and after != before  # the old register's cache is gone


@pytest.mark.parametrize(
    "damage",
    [b"", b"not a pickle", b"\x80\x05\x95\xff\xff\xff\xff"],
    ids=["empty", "text", "cut short"],
)
def test_a_damaged_cache_is_a_miss_and_is_rewritten(
    config: Config, monkeypatch: pytest.MonkeyPatch, damage: bytes
) -> None:
    first = loader.load_plan(config.plan_path, config)
    (cached,) = _cached(config)
    cached.write_bytes(damage)
    parsed = _new_command(monkeypatch)
    loaded = loader.load_plan(config.plan_path, config)
    assert parsed == [config.plan_path]
    assert loaded.plan == first.plan
    assert cached.read_bytes() != damage


def test_a_cache_holding_something_else_is_a_miss(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pickle

    first = loader.load_plan(config.plan_path, config)
    (cached,) = _cached(config)
    cached.write_bytes(pickle.dumps({"not": "a plan"}))
    parsed = _new_command(monkeypatch)
    assert loader.load_plan(config.plan_path, config).plan == first.plan
    assert parsed == [config.plan_path]


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="needs a folder root cannot write")
def test_a_workspace_that_cannot_be_written_to_goes_without(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    (config.root / plan_cache.CACHE_DIR).mkdir()
    (config.root / plan_cache.CACHE_DIR).chmod(0o500)
    try:
        parsed = _new_command(monkeypatch)
        assert not loader.load_plan(config.plan_path, config).errors
        assert parsed == [config.plan_path] and _cached(config) == []
    finally:
        (config.root / plan_cache.CACHE_DIR).chmod(0o700)


def test_a_cache_path_that_is_a_file_goes_without(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    (config.root / plan_cache.CACHE_DIR).write_text("in the way")
    parsed = _new_command(monkeypatch)
    assert not loader.load_plan(config.plan_path, config).errors
    assert parsed == [config.plan_path]
    assert (config.root / plan_cache.CACHE_DIR).read_text() == "in the way"


def test_the_key_changes_with_the_register(tmp_path: Path) -> None:
    register = tmp_path / "plan.xlsx"
    key = plan_cache.cache_key(register, "0" * 64)
    assert plan_cache.cache_key(register, "1" * 64) != key
    assert plan_cache.cache_key(tmp_path / "other.xlsx", "0" * 64) != key
    assert plan_cache.cache_key(register, "0" * 64) == key


@pytest.fixture()
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the package's code, which the cache key is made from."""
    copy = tmp_path / "packbuilder"
    shutil.copytree(Path(plan_cache.__file__).parent.parent, copy, ignore=_not_code)
    monkeypatch.setattr(plan_cache, "_PACKAGE", copy)
    return copy


def _not_code(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n == "__pycache__" or n.endswith((".pyc", ".html", ".docx"))]


@pytest.mark.parametrize(
    "module", ["plan/loader.py", "plan/schema.py", "dates.py", "config/schema.py"]
)
def test_the_key_changes_with_the_bytes_of_the_code_that_loads(
    package: Path, tmp_path: Path, module: str
) -> None:
    register = tmp_path / "plan.xlsx"
    key = plan_cache.cache_key(register, "0" * 64)
    source = package / module
    source.write_bytes(source.read_bytes() + b"\n# changed\n")
    assert plan_cache.cache_key(register, "0" * 64) != key


def test_a_module_the_loader_comes_to_import_is_keyed_on(package: Path, tmp_path: Path) -> None:
    register = tmp_path / "plan.xlsx"
    helper = package / "spelling.py"  # a module no loader imports yet
    helper.write_text("ALIASES = {}\n", encoding="utf-8")
    key = plan_cache.cache_key(register, "0" * 64)
    helper.write_text("ALIASES = {'Amber ': 'Amber'}\n", encoding="utf-8")
    assert plan_cache.cache_key(register, "0" * 64) == key
    loader_py = package / "plan" / "loader.py"
    loader_py.write_text(
        loader_py.read_text(encoding="utf-8") + "\n\ndef _later() -> None:\n"
        "    from packbuilder.spelling import (\n        ALIASES,\n    )\n",
        encoding="utf-8",
    )
    assert helper in plan_cache.loader_code(package)
    key = plan_cache.cache_key(register, "0" * 64)
    helper.write_text("ALIASES = {'amber': 'Amber'}\n", encoding="utf-8")
    assert plan_cache.cache_key(register, "0" * 64) != key


def test_the_cache_never_touches_inputs(config: Config) -> None:
    before = {p: p.read_bytes() for p in (config.root / "inputs").rglob("*") if p.is_file()}
    loader.load_plan(config.plan_path, config)
    loader.load_plan(config.plan_path, config)
    after = {p: p.read_bytes() for p in (config.root / "inputs").rglob("*") if p.is_file()}
    assert after == before
    assert _cached(config)[0].parent == config.root / ".packbuilder-cache"


def test_every_form_of_import_is_followed() -> None:
    source = (
        b'"""The packbuilder plan loader."""\n'
        b"import packbuilder.dates\n"
        b"from packbuilder import errors  # the program's errors\n"
        b"from packbuilder.model import (\n    Plan,  # the plan\n    Rating,\n)\n"
        b"def load() -> None:\n"
        b"    from packbuilder.plan import schema\n"
        b"# packbuilder is mentioned here only\n"
    )
    assert plan_cache._imported(source) == {
        "packbuilder.dates",
        "packbuilder",
        "packbuilder.errors",
        "packbuilder.model",
        "packbuilder.model.Plan",
        "packbuilder.model.Rating",
        "packbuilder.plan",
        "packbuilder.plan.schema",
    }
