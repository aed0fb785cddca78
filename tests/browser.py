"""Headless Chromium for the web pages' tests: Debian's chromium and chromedriver via selenium,
with axe-core's accessibility rules injected into the page.

Where Chromium, its driver, selenium or axe-core is missing the tests are skipped with a
message, except in CI (CI=true), where they fail: .ci/run installs all four.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
# Where .ci/run installs axe-core from the npm registry; AXE_CORE_JS names another copy.
AXE_INSTALLED = REPOSITORY / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
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
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, as axe-core tags its rules.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def _unavailable(what: str) -> None:
    message = f"{what}; install it as .ci/run does"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI needs the browser tests: {message}", pytrace=False)
    pytest.skip(message)


def axe_source() -> str:
    path = Path(os.environ.get("AXE_CORE_JS", AXE_INSTALLED))
    if not path.is_file():
        _unavailable(f"axe-core is not at {path}")
    return path.read_text("utf-8")


def start_chromium(width: int = 1280, height: int = 900) -> Any:
    """A headless Chromium session, or a skip (a failure in CI) saying what is missing."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if chromium is None or driver_path is None:
        _unavailable("Chromium or chromedriver is not installed (Debian: chromium chromium-driver)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium is not installed (the [test] extra)")
    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(executable_path=str(driver_path)))


def axe_violations(driver: Any, axe: str) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 A and AA violations on the open page, each rule with its nodes."""
    driver.execute_script(axe)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(JSON.stringify(r.violations))).catch(e => done(String(e)));",
        WCAG_TAGS,
    )
    violations: list[dict[str, Any]] = json.loads(result)
    return [
        {
            "id": v["id"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in violations
    ]
