"""The plan cache: an unchanged register is not parsed again by the next command, and anything
wrong with the cache is a miss, never an error or a stale plan."""

from __future__ import annotations

import os
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

    loader._LAST.clear()
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


def test_the_key_changes_with_the_code_that_loads(tmp_path: Path) -> None:
    register = tmp_path / "plan.xlsx"
    key = plan_cache.cache_key(register, "0" * 64)
    assert plan_cache.cache_key(register, "1" * 64) != key
    assert plan_cache.cache_key(tmp_path / "other.xlsx", "0" * 64) != key
    loader_py = Path(loader.__file__)
    stat = loader_py.stat()
    try:
        os.utime(loader_py, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        assert plan_cache.cache_key(register, "0" * 64) != key
    finally:
        os.utime(loader_py, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert plan_cache.cache_key(register, "0" * 64) == key


def test_the_cache_never_touches_inputs(config: Config) -> None:
    before = {p: p.read_bytes() for p in (config.root / "inputs").rglob("*") if p.is_file()}
    loader.load_plan(config.plan_path, config)
    loader._LAST.clear()
    loader.load_plan(config.plan_path, config)
    after = {p: p.read_bytes() for p in (config.root / "inputs").rglob("*") if p.is_file()}
    assert after == before
    assert _cached(config)[0].parent == config.root / ".packbuilder-cache"
