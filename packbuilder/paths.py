"""How long the paths packbuilder reads and writes in a workspace are, against Windows' limits.

Windows refuses a path over 259 characters unless LongPathsEnabled is set, and Excel will not
open or save a workbook whose full path is over 218. A workspace in a OneDrive folder
("C:\\Users\\firstname.lastname\\OneDrive - Kent County Council\\SEND APP\\") starts a third of
the way there. ``long_path_warning`` names the longest path a command will read or write, with
the partial names outputs are first written under, when it is over Excel's limit; the commands
print it as a warning and carry on.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from packbuilder.config import Config
from packbuilder.model import Period

EXCEL_PATH_LIMIT = 218

# The records kept beside a period's returns in inputs/returns/PERIOD/: when each file arrived,
# as the office wrote it and as 'returns collect' wrote it; check reads both, never as returns.
RECEIVED_CSV = "received.csv"
COLLECTED_CSV = "collected.csv"

# What each output is first written as (the longest form: a report's ".NAME.PID.tmp").
_OUTPUTS = (
    "assurance-report-{period}-DfE.docx",
    "exception-report-{period}.docx",
    "tracker-{period}.xlsx",
    "validation.xlsx",
    "feedback/chase-list.csv",
    "returns/send-list.csv",
)
_PID = "1234567"  # as long as a process ID gets


def longest_path(
    config: Config, period: Period | None = None, officer_names: Iterable[str] = ()
) -> tuple[Path, int]:
    """The longest path, in full, that a command for PERIOD reads or writes in the workspace,
    and its length while it is written (under its partial name): the plan, the period's
    outputs, a return made for each officer, every file received and its feedback workbook."""
    label = str(period) if period is not None else "2000-01"
    outputs = config.path(config.settings.paths.outputs) / label
    read = [config.plan_path, config.history_path]
    written = [outputs / name.format(period=label) for name in _OUTPUTS]
    written += [outputs / "returns" / f"{label} Return - {n}.xlsx" for n in officer_names]
    if period is not None and config.returns_dir(period).is_dir():
        for path in config.returns_dir(period).rglob("*"):
            read.append(path)
            written.append(outputs / "feedback" / path.name)
    extra = len(f"..{_PID}.tmp")  # ".NAME.PID.tmp"
    lengths = [(p.absolute(), len(str(p.absolute()))) for p in read]
    lengths += [(p.absolute(), len(str(p.absolute())) + extra) for p in written]
    return max(lengths, key=lambda item: item[1])


def long_path_warning(
    config: Config, period: Period | None = None, officer_names: Iterable[str] = ()
) -> str:
    """A warning naming the longest path when it is over Excel's limit; "" when none is."""
    longest, length = longest_path(config, period, officer_names)
    if length <= EXCEL_PATH_LIMIT:
        return ""
    return (
        f"The path {longest} is {length} characters long (as it is written), over the "
        f"{EXCEL_PATH_LIMIT} that Excel can open or save on Windows. Move the workspace to a "
        "shorter folder (C:\\SEND, say) or shorten the file names."
    )
