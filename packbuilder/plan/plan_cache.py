"""The plan cache: a loaded register kept between commands, so an unchanged plan is not parsed
again by every command of the month.

Loading a register means reading every cell and checking it: 15 ms for the bundled plan, more
than a second for a 27,000-action portfolio, paid by ``plan check``, ``returns make``, ``check``
and ``build`` alike although the register changes a few times a year. The cache keeps the
loaded plan and its findings in ``.packbuilder-cache/plan-KEY.pickle`` in the workspace (beside
config.toml and the build's lock file, outside inputs/ and outputs/), where KEY is made from
everything the load depends on: the register's bytes (SHA-256) and path, packbuilder's version,
the size and modification time of the code that loads it and of python-calamine (which reads
the cells), and Python's version. A register
edited by one byte, or a packbuilder upgraded or changed, misses the cache and is loaded afresh.

The cache is packbuilder's own file in the workspace, written whole (a temporary name, then
os.replace) and read only by packbuilder. Like config.toml and the templates it is trusted as
the workspace is: whoever can write to the workspace could change those too. Returns, which
come from outside, never reach it. Anything wrong with it (missing, unreadable, damaged, from
another version) is a miss, never an error; a workspace that cannot be written to simply
goes without.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path

CACHE_DIR = ".packbuilder-cache"  # beside config.toml, like the build lock
_PREFIX = "plan-"
# The code whose change may change what a register loads as.
_CODE = (
    "plan/loader.py",
    "plan/cells.py",
    "plan/read_areas.py",
    "plan/read_kpis.py",
    "plan/read_actions.py",
    "plan/read_risks.py",
    "plan/schema.py",
    "model.py",
    "dates.py",
    "errors.py",
    "findings/__init__.py",  # the findings' severities and messages
    "findings/check.py",
    "findings/plan.py",
)


@dataclass(frozen=True)
class PlanCache:
    """Where the load of one register, as it is today, is kept."""

    path: Path

    @classmethod
    def for_workspace(cls, root: Path, register: Path, sha256: str) -> PlanCache:
        return cls(root / CACHE_DIR / f"{_PREFIX}{cache_key(register, sha256)}.pickle")

    def read(self) -> object | None:
        """The cached load, or None when there is none to trust."""
        collecting = gc.isenabled()
        gc.disable()  # a large plan is hundreds of thousands of objects, none of them garbage
        try:
            with self.path.open("rb") as stream:
                loaded: object = pickle.load(stream)
                return loaded
        except Exception:  # missing, damaged, from other code: load the register instead
            return None
        finally:
            if collecting:
                gc.enable()

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

    from packbuilder import __version__

    package = Path(__file__).resolve().parent.parent
    parts = [sha256, str(register.resolve()), __version__, sys.version]
    code = [package / name for name in _CODE]
    for path in [*code, Path(python_calamine.__file__ or "python_calamine")]:
        try:
            stat = path.stat()
        except OSError:
            parts.append(f"{path}:absent")
            continue
        parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]
