"""Imitate Windows' process model in every Python process of a test run (CI's second run).

Put this folder on PYTHONPATH with PACKBUILDER_IMITATE_WINDOWS=1 and every interpreter that
starts (pytest, the command run as a subprocess, each spawned worker) loses ``os.fork`` and
``os.forkpty`` and sees only the spawn start method, as on Windows:
``multiprocessing.get_all_start_methods()`` is ``['spawn']`` and ``get_context("fork")``
raises ValueError. What this does not imitate is listed in docs/windows.md.
"""

from __future__ import annotations

import os


def _imitate_windows() -> None:
    import multiprocessing
    import multiprocessing.context as context

    for name in ("fork", "forkpty"):
        if hasattr(os, name):
            delattr(os, name)
    spawn = context._concrete_contexts["spawn"]  # type: ignore[attr-defined]
    context._concrete_contexts = {"spawn": spawn}  # type: ignore[attr-defined]
    context._default_context._default_context = spawn  # type: ignore[attr-defined]
    context.DefaultContext.get_all_start_methods = lambda self: ["spawn"]  # type: ignore[method-assign]
    # multiprocessing's module-level functions were bound to the default context on import.
    multiprocessing.get_all_start_methods = context._default_context.get_all_start_methods  # type: ignore[attr-defined]


if os.environ.get("PACKBUILDER_IMITATE_WINDOWS") == "1":
    _imitate_windows()
