"""Screenshots of the web pages (the families' page and the board's dashboard) in Chromium.

    python tools/make_site_pictures.py [WORKSPACE] [PERIOD] [--out docs/pictures] [--full]

Opens outputs/PERIOD/site/public/index.html and site/board/index.html of WORKSPACE (default
the repository's example, 2023-08; build or publish the month first) in headless Chromium
at a phone's size (390 by 844 px) and a desktop's (1280 by 900 px) and saves what a reader
sees first (with --full, the whole page, up to Chromium's 16,000 px), as PNGs:
site-public-phone.png, site-public-desktop.png, site-board-phone.png, site-board-desktop.png.
Needs Debian's chromium and chromium-driver and the selenium package ([test] extra).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
)


def start_chromium(width: int, height: int):  # type: ignore[no-untyped-def]
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(options=options, service=service)


def picture(driver, page: Path, size: tuple[int, int], target: Path, full: bool) -> None:  # type: ignore[no-untyped-def]
    width, height = size
    driver.set_window_size(width, height)
    driver.get(page.as_uri())
    if full:
        whole = driver.execute_script("return document.documentElement.scrollHeight")
        # Chromium's own limit on a window; a longer page is cut at it.
        driver.set_window_size(width, min(int(whole) + 120, 16000))
    driver.save_screenshot(str(target))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", nargs="?", type=Path, default=REPOSITORY)
    parser.add_argument("period", nargs="?", default="2023-08")
    parser.add_argument("--out", type=Path, default=REPOSITORY / "docs" / "pictures")
    parser.add_argument("--full", action="store_true", help="the whole page, not the first screen")
    args = parser.parse_args()
    site = args.workspace / "outputs" / args.period / "site"
    if not (site / "public" / "index.html").is_file():
        print(f"No site in {site}: run 'packbuilder build {args.period}' first.", file=sys.stderr)
        return 2
    for target in take(site, args.out, args.full):
        print(target)
    return 0


def take(site: Path, out: Path, full: bool = False) -> list[Path]:
    """Both pages of SITE at a phone's and a desktop's size, saved under OUT."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    driver = start_chromium(*SIZES["desktop"])
    try:
        for name in ("public", "board"):
            for label, size in SIZES.items():
                target = out / f"site-{name}-{label}.png"
                picture(driver, site / name / "index.html", size, target, full)
                written.append(target)
    finally:
        driver.quit()
    return written


if __name__ == "__main__":
    sys.exit(main())
