"""The plan cache: a loaded register kept between commands, so an unchanged plan is not parsed
again by every command of the month.

Loading a register means reading every cell and checking it: 15 ms for the bundled plan, more
than a second for a 27,000-action portfolio, paid by ``plan check``, ``returns make``, ``check``
and ``build`` alike although the register changes a few times a year. The cache keeps the
loaded plan and its findings in ``.packbuilder-cache/plan-KEY.pickle`` in the workspace (beside
config.toml and the build's lock file, outside inputs/ and outputs/), where KEY is made from
everything the load depends on: the register's bytes (SHA-256) and path, packbuilder's version,
the bytes (SHA-256) of the code that loads it, the size and modification time of
python-calamine (which reads the cells), and Python's version. The code is found, not listed:
every module of packbuilder/plan/ and every packbuilder module they import, followed from
import to import (the package's imports are absolute), so a loader that gains a dependency
keys on it too. A register edited by one byte, or a packbuilder upgraded or changed, misses
the cache and is loaded afresh.

The cache is packbuilder's own file in the workspace, written whole (a temporary name, then
os.replace) and read only by packbuilder. Like config.toml and the templates it is trusted as
the workspace is: whoever can write to the workspace could change those too. Returns, which
come from outside, never reach it. Anything wrong with it (missing, unreadable, damaged, from
another version) is a miss, never an error; a workspace that cannot be written to simply
goes without.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from packbuilder import __version__
from packbuilder.processes import collection_paused

CACHE_DIR = ".packbuilder-cache"  # beside config.toml, like the build lock
_PREFIX = "plan-"
_PACKAGE = Path(__file__).resolve().parent.parent  # the packbuilder package's folder


@dataclass(frozen=True)
class PlanCache:
    """Where the load of one register, as it is today, is kept."""

    path: Path

    @classmethod
    def for_workspace(cls, root: Path, register: Path, sha256: str) -> PlanCache:
        return cls(root / CACHE_DIR / f"{_PREFIX}{cache_key(register, sha256)}.pickle")

    def read(self) -> object | None:
        """The cached load, or None when there is none to trust."""
        # A large plan is hundreds of thousands of objects, none of them garbage.
        try:
            with collection_paused(), self.path.open("rb") as stream:
                loaded: object = pickle.load(stream)
                return loaded
        except Exception:  # missing, damaged, from other code: load the register instead
            return None

    def write(self, loaded: object) -> None:
        """Keep LOADED, replacing the cache of any earlier register; quietly not when the
        workspace cannot be written to."""
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}.partial")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(partial, self.path)
            for old in self.path.parent.glob(f"{_PREFIX}*.pickle"):
                if old != self.path:
                    old.unlink(missing_ok=True)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)


def cache_key(register: Path, sha256: str) -> str:
    """A digest of everything a load of REGISTER (whose bytes hash to SHA256) depends on."""
    import python_calamine  # the reader whose values the loader checks

    parts = [sha256, str(register.resolve()), __version__, sys.version]
    for path, data in sorted(loader_code(_PACKAGE).items()):
        parts.append(f"{path.relative_to(_PACKAGE)}:{hashlib.sha256(data).hexdigest()}")
    calamine = Path(python_calamine.__file__ or "python_calamine")
    try:
        stat = calamine.stat()
        parts.append(f"{calamine}:{stat.st_size}:{stat.st_mtime_ns}")
    except OSError:
        parts.append(f"{calamine}:absent")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]


def loader_code(package: Path) -> dict[Path, bytes]:
    """The bytes of every module a plan load may run: each module of PACKAGE/plan/ and,
    followed from import to import, every module of PACKAGE they import (inside a function or
    under TYPE_CHECKING too)."""
    pending = sorted((package / "plan").glob("*.py"))
    found: dict[Path, bytes] = {}
    files: dict[str, Path | None] = {}
    while pending:
        path = pending.pop()
        if path in found:
            continue
        found[path] = data = path.read_bytes()
        for dotted in _imported(data):
            if dotted not in files:
                files[dotted] = _module_file(package, dotted)
            target = files[dotted]
            if target is not None and target not in found:
                pending.append(target)
    return found


def _imported(source: bytes) -> set[str]:
    """Every dotted name an import statement of SOURCE names under packbuilder: the module
    and, for ``from m import a, b``, m.a and m.b (which may be modules)."""
    # Found by searching for "packbuilder" and looking at its line, not by a regular expression
    # over every line: 0.05 ms for the loader's modules against 3 ms.
    names: set[str] = set()
    at = source.find(b"packbuilder")
    while at != -1:
        start = source.rfind(b"\n", 0, at) + 1
        end = source.find(b"\n", at)
        end = len(source) if end == -1 else end
        if source[start:at].strip() in (b"from", b"import"):
            if source[start:end].split(b"#")[0].rstrip().endswith(b"("):  # over several lines
                end = max(source.find(b")", end), end)
            lines = source[start:end].split(b"\n")
            words = re.findall(rb"[\w.]+", b" ".join(line.split(b"#")[0] for line in lines))
            module = words[1].decode()
            names.add(module)
            if words[0] == b"from":
                names.update(f"{module}.{name.decode()}" for name in words[3:])
        at = source.find(b"packbuilder", end)
    return names


def _module_file(package: Path, dotted: str) -> Path | None:
    """The file of the packbuilder module DOTTED names, or None where it names none (a class
    or function imported from a module)."""
    folder = package.joinpath(*dotted.split(".")[1:])
    if folder.with_suffix(".py").is_file():
        return folder.with_suffix(".py")
    if (folder / "__init__.py").is_file():
        return folder / "__init__.py"
    return None
