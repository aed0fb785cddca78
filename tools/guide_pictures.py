"""Make the pictures of docs/guide.md from the bundled example, through LibreOffice.

Run from the repository root whenever the outputs change:

    .venv/bin/python tools/guide_pictures.py

It copies the example workspace (config.toml, inputs/, templates/) to a temporary folder,
builds July and August 2023 there and makes August's returns, then has LibreOffice print an
officer's return, a feedback workbook, the tracker's Summary and the reports to PDF, and
pdftoppm turn the chosen pages into small PNGs under docs/pictures/; the families' page and
the board's dashboard are photographed in Chromium by make_site_pictures.py. Needs LibreOffice
(soffice) and poppler-utils (pdftoppm, pdftotext), and Chromium with its driver for the pages.
The repository itself is not changed except for those pictures.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
PICTURES = REPOSITORY / "docs" / "pictures"
RESOLUTION = 60  # dots per inch: a page stays readable at about 500 by 700 pixels


def run(*args: str | Path) -> None:
    subprocess.run([str(a) for a in args], check=True, stdout=subprocess.DEVNULL)


def packbuilder(workspace: Path, *args: str) -> None:
    run(sys.executable, "-m", "packbuilder", "-C", workspace, *args)


def to_pdf(source: Path, folder: Path, profile: Path) -> Path:
    """SOURCE printed to PDF by LibreOffice, as File › Export as PDF would."""
    run(
        "soffice",
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        folder,
        source,
    )
    return folder / f"{source.stem}.pdf"


def page_with(pdf: Path, words: str) -> int:
    """The first page of PDF whose text holds WORDS."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    for number, page in enumerate(text.split("\f"), start=1):
        if words in " ".join(page.split()):
            return number
    raise SystemExit(f"No page of {pdf.name} says {words!r}")


def picture(
    pdf: Path, page: int, name: str, *, band: float = 1.0, resolution: int = RESOLUTION
) -> Path:
    """Page PAGE of PDF as docs/pictures/NAME: its top BAND (a fraction of its height), at
    RESOLUTION, so a wide sheet printed one page wide can be shown large enough to read."""
    target = PICTURES / name
    info = subprocess.run(
        ["pdfinfo", "-f", str(page), "-l", str(page), str(pdf)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    size = next(line for line in info.splitlines() if line.startswith(f"Page {page:>4} size"))
    width, height = (float(n) for n in size.split(":")[1].split("pts")[0].split(" x "))
    pixels = (round(width / 72 * resolution), round(height / 72 * resolution * band))
    run(
        "pdftoppm", "-r", str(resolution), "-f", str(page), "-l", str(page), "-png",
        "-x", "0", "-y", "0", "-W", str(pixels[0]), "-H", str(pixels[1]),
        "-singlefile", pdf, target.with_suffix(""),
    )  # fmt: skip
    return target


def main() -> None:
    for tool in ("soffice", "pdftoppm", "pdftotext", "pdfinfo"):
        if shutil.which(tool) is None:
            raise SystemExit(
                f"{tool} is not installed: install LibreOffice and poppler-utils, then run again."
            )
    PICTURES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="packbuilder-guide-") as temporary:
        root = Path(temporary)
        workspace = root / "example"
        workspace.mkdir()
        shutil.copy2(REPOSITORY / "config.toml", workspace / "config.toml")
        for folder in ("inputs", "templates"):
            shutil.copytree(REPOSITORY / folder, workspace / folder)
        packbuilder(workspace, "build", "2023-07")
        packbuilder(workspace, "returns", "make", "2023-08")
        packbuilder(workspace, "build", "2023-08")
        month = workspace / "outputs" / "2023-08"
        pdfs, profile = root / "pdf", root / "libreoffice-profile"
        pdfs.mkdir()

        officer_return = to_pdf(
            month / "returns" / "2023-08 Return - Director of Education and SEND.xlsx",
            pdfs,
            profile,
        )
        written = [
            picture(
                officer_return,
                page_with(officer_return, "Fill in the white"),
                "return.png",
                band=0.3,
                resolution=150,
            )
        ]
        feedback = to_pdf(next((month / "feedback").glob("*.xlsx")), pdfs, profile)
        written.append(picture(feedback, page_with(feedback, "What to fix"), "feedback.png"))
        tracker = to_pdf(month / "tracker-2023-08.xlsx", pdfs, profile)
        written.append(picture(tracker, 1, "tracker-summary.png", resolution=80))
        assurance = to_pdf(month / "assurance-report-2023-08.docx", pdfs, profile)
        written.append(picture(assurance, 3, "assurance-report.png"))
        written.append(
            picture(
                assurance,
                page_with(assurance, "Commentary from the area lead"),
                "assurance-area.png",
            )
        )
        exception = to_pdf(month / "exception-report-2023-08.docx", pdfs, profile)
        written.append(
            picture(exception, page_with(exception, "Asked of the board"), "exception-report.png")
        )
        if shutil.which("chromium") and shutil.which("chromedriver"):
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            from make_site_pictures import take  # the web pages, in Chromium

            written += take(month / "site", PICTURES)
        else:
            print("chromium and chromedriver are not installed: the web pages' pictures were kept")
    for path in written:
        print(f"{path.relative_to(REPOSITORY)} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
