"""Convert the Word reports to PDF with LibreOffice (``build --pdf``).

LibreOffice runs headless with a profile of its own in a temporary folder, so it neither
touches nor waits for an office user's open LibreOffice. The PDFs are made in a temporary
folder beside the .docx files and then moved into place, so a failed conversion leaves
nothing half-made.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from packbuilder.errors import EnvironmentProblem
from packbuilder.replace import replace_file

TIMEOUT_SECONDS = 180
_WINDOWS_PLACES = (
    Path(os.environ.get("PROGRAMFILES", r"C:\Program Files")) / "LibreOffice/program/soffice.exe",
    Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)"))
    / "LibreOffice/program/soffice.exe",
)


def find_soffice() -> Path | None:
    """LibreOffice's soffice on PATH, or in its usual place on Windows."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    if sys.platform == "win32":
        for place in _WINDOWS_PLACES:
            if place.is_file():
                return place
    return None


def convert_to_pdf(paths: list[Path]) -> list[Path]:
    """Write NAME.pdf beside each NAME.docx; return the PDFs in the order given."""
    if not paths:
        return []
    soffice = find_soffice()
    if soffice is None:
        raise EnvironmentProblem(
            "--pdf needs LibreOffice, which is not installed (no 'soffice' on PATH).",
            hint="Install LibreOffice (on Debian or Ubuntu: apt-get install libreoffice-writer "
            "fonts-crosextra-carlito fonts-crosextra-caladea), or build without --pdf and save "
            "the reports as PDF from Word.",
        )
    with (
        tempfile.TemporaryDirectory(prefix="packbuilder-lo-") as work,
        tempfile.TemporaryDirectory(prefix=".pdf-", dir=paths[0].parent) as made_in,
    ):
        profile = Path(work) / "profile"
        made = Path(made_in)
        command = [
            str(soffice),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(made),
            *(str(p) for p in paths),
        ]
        try:
            completed = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired:
            raise EnvironmentProblem(
                f"LibreOffice did not finish converting the reports in {TIMEOUT_SECONDS} s.",
                hint="Close any LibreOffice window that is waiting for an answer, then try again.",
            ) from None
        written = []
        for path in paths:
            pdf = made / f"{path.stem}.pdf"
            if not pdf.is_file():
                detail = (completed.stderr or completed.stdout).strip().splitlines()
                raise EnvironmentProblem(
                    f"LibreOffice did not convert {path.name} to PDF"
                    + (f": {detail[-1]}" if detail else "."),
                    hint="Open the .docx in LibreOffice to see whether it opens; the Word "
                    "report itself was written.",
                )
            target = path.with_suffix(".pdf")
            try:
                replace_file(pdf, target)
            except PermissionError:
                raise EnvironmentProblem(
                    f"{target} could not be replaced: it is probably open in another program.",
                    hint="Close the PDF and run the command again.",
                ) from None
            written.append(target)
        return written
