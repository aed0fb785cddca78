"""The package's shape, as STYLE asks of it: no module over 600 lines, no function over 80, and
no module borrowing another's private names (what is shared has a public name where it lives).

A module or function that grows past its limit fails here with its name and size, so it is
split by the parts of what it does before it is merged, not found by a review later.
"""

from __future__ import annotations

import ast
from pathlib import Path

import packbuilder

PACKAGE = Path(packbuilder.__file__).parent
MODULE_LINES = 600
FUNCTION_LINES = 80


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def test_no_module_is_over_600_lines() -> None:
    sizes = {_name(p): len(p.read_text("utf-8").splitlines()) for p in _modules()}
    assert {name: n for name, n in sizes.items() if n > MODULE_LINES} == {}


def test_no_function_is_over_80_lines() -> None:
    long = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > FUNCTION_LINES:
                    long[f"{_name(path)}:{node.lineno} {node.name}"] = length
    assert long == {}


def test_no_module_imports_another_modules_private_names() -> None:
    borrowed = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and (
                node.level or (node.module or "").startswith("packbuilder")
            ):
                borrowed += [
                    f"{_name(path)}:{node.lineno} {node.module}.{alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_") and not alias.name.startswith("__")
                ]
    assert borrowed == []


def test_the_limits_are_checked_on_the_whole_package() -> None:
    names = {_name(p) for p in _modules()}
    # the walk reaches every stage, the command layer and the speed-up modules
    assert {"commands/build.py", "checks/run.py", "processes.py", "ooxml/gate.py"} <= names
