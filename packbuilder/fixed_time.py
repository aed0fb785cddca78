"""The times written into the packages packbuilder makes, fixed so equal content is equal bytes.

Used by every writer of an Office package (the Word reports, validation.xlsx, the feedback
workbooks, the review pack). A period is judged as at its last day, so a document made for it
says it was made then, whatever day the command runs: its core properties' created and
modified times are the period's last day at noon (``made_at``). Every zip entry carries
1980-01-01 00:00, the timestamp xlsxwriter gives its own entries (``zip_entry``, ``fixed_zip``),
instead of the clock that ``zipfile`` would write.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from packbuilder.model import Period

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# What a document states when no period says when it was made (a feedback workbook written
# outside a check): the zip entries' own time, still never the clock.
NO_PERIOD_TIME = dt.datetime(*ZIP_TIME)


def made_at(period: Period) -> dt.datetime:
    """When a document for PERIOD says it was created and modified: its last day, at noon."""
    return dt.datetime.combine(period.last_day, dt.time(12, 0))


def zip_entry(name: str) -> zipfile.ZipInfo:
    """A deflated zip entry for NAME with the fixed timestamp."""
    entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry


def fixed_zip(data: bytes) -> bytes:
    """The same package with every entry's timestamp fixed, its parts in the same order."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(zip_entry(info.filename), source.read(info.filename))
    return out.getvalue()
