"""Moving a finished output into place, the one way every stage does it.

Every output is written under a partial name beside it and then moved over the old one with
``os.replace``, so a reader never sees half a file. On Windows an antivirus scanner, OneDrive
or the search indexer may hold a file for a moment just after it is written or while it is
read; ``os.replace`` then fails at once with a sharing violation. ``replace_file`` tries again
for up to two seconds in that case only, and never for an error that waiting cannot mend
(no space, a read-only disk, a permission refused on Linux): those are raised at once, for
the caller to report (exit code 3).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

RETRY_SECONDS = 2.0

# Windows' ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION: another process has it open.
_SHARING = (32, 33)
_ACCESS_DENIED = 5  # also what Windows says for a target that is open without sharing


def replace_file(source: Path, destination: Path, *, retry_seconds: float = RETRY_SECONDS) -> None:
    """``os.replace(SOURCE, DESTINATION)``, retried while Windows reports the file in use."""
    deadline = time.monotonic() + retry_seconds
    pause = 0.05
    while True:
        try:
            os.replace(source, destination)
            return
        except OSError as error:
            if not held_for_a_moment(error, destination) or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.4)


def held_for_a_moment(error: OSError, destination: Path) -> bool:
    """Whether ERROR is Windows saying another program has the file open: it may pass."""
    winerror = getattr(error, "winerror", None)
    if winerror in _SHARING:
        return True
    return winerror == _ACCESS_DENIED and destination.exists()
