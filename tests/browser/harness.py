"""Headless Chromium for the report tests, offline: Debian's chromium and chromedriver, Selenium.

Selenium drives the chromedriver that Debian builds with the same chromium, so the two always
match and nothing is downloaded (Selenium Manager is never asked: both paths are given).

    python -m tests.browser.harness docs/report-seed.png   # the README screenshot
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
)
MISSING_HINT = "apt-get install -y chromium chromium-driver (and pip install selenium)"


def browser_paths() -> tuple[str, str] | None:
    """Where chromium and chromedriver are, or None when either is absent."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (chromium, driver) if chromium and driver else None


def start_browser(user_data_dir: Path) -> Any:
    """A headless Chromium with a fresh profile that never reaches for the network."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    paths = browser_paths()
    if paths is None:
        raise RuntimeError(f"chromium or chromedriver missing: {MISSING_HINT}")
    chromium, driver = paths
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={user_data_dir}")
    return webdriver.Chrome(options=options, service=Service(executable_path=driver))


def write_seed_screenshot(target: Path) -> Path:
    """The report of the seed article, as the tests build it, saved as a PNG."""
    from agent.views.html_report import ReportArticle, write_report
    from tests.report_cases import SEED, extract_case

    text, result = extract_case(SEED)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "seed.html"
        write_report(page, [ReportArticle(SEED.name, text, result)], title=f"khabar: {SEED.name}")
        driver = start_browser(Path(folder) / "profile")
        try:
            driver.get(page.as_uri())
            entry = driver.find_element("css selector", ".panel .entity[data-entity='a0-p0']")
            entry.click()
            driver.execute_script("window.scrollTo(0, 0)")
            target.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(target))
        finally:
            driver.quit()
    return target


if __name__ == "__main__":
    os.environ.setdefault("SE_OFFLINE", "true")
    out = write_seed_screenshot(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/report-seed.png"))
    print(f"wrote {out}")
