"""The package's imports follow the pipeline: nothing reaches back up it.

Every module of packbuilder is parsed with ast and every import it makes is collected: at
module level and inside functions, ``import x``, ``from x import y``, relative imports, and
``importlib.import_module("packbuilder...")`` with a string literal. An import under
``if TYPE_CHECKING:`` counts too (an annotation naming a later stage is still an edge).

Each module belongs to a layer, named by its top-level module or package in ``LAYERS``:

  0 foundation (model, errors, wording, dates, findings, config, paths, periods, ...) and the
    speed-ups (processes, ooxml) and the output set (written whole or not at all)
  1 plan/
  2 kpis/ and returns/ (making and reading the officers' and the data team's returns)
  3 checks/ (judging what came back)
  4 merge, overrides, exception_rules
  5 history/
  6 outputs: tracker/, reports/, site/, review/, mail/, check_outputs/
  7 the command layer: commands/ (the use cases), console/, cli/, __main__

A module may import from its own package and from lower layers. Within a layer, stages are
siblings that do not import one another, except the pairs in ``ALLOWED_SIBLINGS``: kpis/ may
import returns/ (the KPI return is written and read with the returns' workbook helpers, never
the other way), merge/ applies the office's overrides, review/ draws the reports' charts, and
reports/ counts what check found in check_outputs/' words.
Foundation modules import one another freely, and so do the command layer's (a use case may
run another, as ``build`` runs ``check``). history/ is imported only by history/ itself and by
the command layer: a stage gets last period's values and the recorded periods as arguments.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import packbuilder

PACKAGE = Path(packbuilder.__file__).parent

FOUNDATION, PLAN, RETURNS, CHECKS, MERGE, HISTORY, OUTPUTS, COMMANDS = range(8)

# top-level module or package of packbuilder -> its layer
LAYERS: dict[str, int] = {
    "__init__": FOUNDATION,
    "model": FOUNDATION,
    "errors": FOUNDATION,
    "wording": FOUNDATION,
    "dates": FOUNDATION,
    "findings": FOUNDATION,
    "config": FOUNDATION,
    "paths": FOUNDATION,
    "periods": FOUNDATION,
    "fixed_time": FOUNDATION,
    "replace": FOUNDATION,
    "lock": FOUNDATION,
    "output_set": FOUNDATION,  # a set of outputs written whole: staging, journal, manifest
    "processes": FOUNDATION,
    "ooxml": FOUNDATION,
    "data": FOUNDATION,
    "plan": PLAN,
    "kpis": RETURNS,
    "returns": RETURNS,
    "checks": CHECKS,
    "merge": MERGE,
    "overrides": MERGE,
    "exception_rules": MERGE,
    "history": HISTORY,
    "tracker": OUTPUTS,
    "reports": OUTPUTS,
    "site": OUTPUTS,
    "review": OUTPUTS,
    "mail": OUTPUTS,
    "check_outputs": OUTPUTS,
    "commands": COMMANDS,
    "console": COMMANDS,
    "cli": COMMANDS,
    "__main__": COMMANDS,
}

# (importer, imported) top-level names of one layer that may import the other
ALLOWED_SIBLINGS: set[tuple[str, str]] = {
    ("kpis", "returns"),  # the KPI return is written and read with the returns' helpers
    ("merge", "overrides"),  # the office's corrections are applied as part of the merge
    ("review", "reports"),  # the six-month review draws the reports' charts
    ("reports", "check_outputs"),  # the reports count what check found in its words
}

# Edges that break the layering today in modules being changed elsewhere. Each is (importing
# module, imported module); the lead empties this set once those changes are merged.
KNOWN_UNTIL_MOVED: set[tuple[str, str]] = set()


@dataclass(frozen=True)
class Import:
    """One import statement's target, where it is."""

    module: str  # the importing module, dotted
    line: int
    imported: str  # the imported module, dotted (a name imported from a package counts as
    # the submodule when one of that name exists)


def module_name(path: Path, root: Path) -> str:
    """The dotted name of the module at PATH, under ROOT (the folder holding packbuilder/)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(name: str, root: Path) -> str:
    """NAME if it is a module under ROOT, else its longest prefix that is one (``from x import
    y`` names the module x.y when there is one, else a name defined in x)."""
    parts = name.split(".")
    while parts:
        candidate = root.joinpath(*parts)
        if candidate.with_suffix(".py").is_file() or (candidate / "__init__.py").is_file():
            return ".".join(parts)
        parts.pop()
    return name


def _targets(node: ast.AST, package: str) -> list[str]:
    """The dotted names NODE imports, if it is an import or an ``import_module("...")`` call."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        stem = node.module or ""
        if node.level:
            base = package.split(".")
            base = base[: len(base) - (node.level - 1)]
            stem = ".".join([*base, *([node.module] if node.module else [])])
        return [f"{stem}.{alias.name}" for alias in node.names]
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute | ast.Name)
        and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id)
        == "import_module"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        return [node.args[0].value]
    return []


def imports_of(path: Path, root: Path = PACKAGE.parent) -> list[Import]:
    """Every packbuilder import in the module at PATH, at any depth of it."""
    module = module_name(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        Import(module, node.lineno, _resolve(target, root))
        for node in ast.walk(tree)
        for target in _targets(node, package)
        if target == "packbuilder" or target.startswith("packbuilder.")
    ]


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def top(dotted: str) -> str:
    """The top-level name under packbuilder of a dotted module ("__init__" for the package)."""
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def problem(edge: Import) -> str | None:
    """Why EDGE breaks the layering, or None."""
    source, target = top(edge.module), top(edge.imported)
    if source == target:
        return None
    if target == "history" and LAYERS[source] != COMMANDS:
        return "only history/ and the command layer import history"
    if LAYERS[target] > LAYERS[source]:
        return f"layer {LAYERS[source]} ({source}) imports layer {LAYERS[target]} ({target})"
    if (
        LAYERS[target] == LAYERS[source]
        and LAYERS[source] not in (FOUNDATION, COMMANDS)
        and (source, target) not in ALLOWED_SIBLINGS
    ):
        return f"{source} and {target} are sibling stages of layer {LAYERS[source]}"
    return None


def violations() -> list[str]:
    found = []
    for path in modules():
        for edge in imports_of(path):
            why = problem(edge)
            if why and (edge.module, edge.imported) not in KNOWN_UNTIL_MOVED:
                found.append(f"{edge.module}:{edge.line} imports {edge.imported}: {why}")
    return found


def test_every_top_level_module_has_a_layer() -> None:
    names = {p.stem if p.parent == PACKAGE else p.relative_to(PACKAGE).parts[0] for p in modules()}
    assert sorted(names - LAYERS.keys()) == []


def test_no_import_reaches_back_up_the_pipeline() -> None:
    found = violations()
    assert not found, "\n".join(["Imports against the pipeline:", *found])


def test_known_exceptions_still_exist() -> None:
    """An exception that no longer happens is removed from KNOWN_UNTIL_MOVED."""
    edges = {(e.module, e.imported) for p in modules() for e in imports_of(p)}
    assert sorted(KNOWN_UNTIL_MOVED - edges) == []


def test_every_kind_of_import_is_found_and_judged(tmp_path: Path) -> None:
    """Imports hidden in functions, relative ones and import_module strings all count."""
    returns = tmp_path / "packbuilder" / "returns"
    (tmp_path / "packbuilder" / "history").mkdir(parents=True)
    returns.mkdir()
    for module in ("__init__", "model", "history/__init__", "history/store", "returns/__init__"):
        (tmp_path / "packbuilder" / f"{module}.py").write_text("")
    (tmp_path / "packbuilder" / "checks.py").write_text("")
    (returns / "make.py").write_text(
        "from packbuilder.model import Plan\n"
        "from . import layout\n"
        "def last(config):\n"
        "    from packbuilder.history import read_last_values\n"
        "    import packbuilder.checks\n"
        "    from ..history import store\n"
        "    return importlib.import_module('packbuilder.history')\n"
    )
    edges = imports_of(returns / "make.py", tmp_path)
    assert [(e.line, e.imported, problem(e)) for e in edges] == [
        (1, "packbuilder.model", None),
        (2, "packbuilder.returns", None),
        (4, "packbuilder.history", "only history/ and the command layer import history"),
        (5, "packbuilder.checks", "layer 2 (returns) imports layer 3 (checks)"),
        (6, "packbuilder.history.store", "only history/ and the command layer import history"),
        (7, "packbuilder.history", "only history/ and the command layer import history"),
    ]
    assert {e.module for e in edges} == {"packbuilder.returns.make"}


def test_sibling_stages_keep_apart() -> None:
    def edge(source: str, target: str) -> str | None:
        return problem(Import(f"packbuilder.{source}.x", 1, f"packbuilder.{target}.y"))

    assert edge("returns", "kpis") == "returns and kpis are sibling stages of layer 2"
    assert edge("kpis", "returns") is None
    assert edge("tracker", "site") == "tracker and site are sibling stages of layer 6"
    assert edge("commands", "history") is None
    assert edge("tracker", "history") == "only history/ and the command layer import history"
