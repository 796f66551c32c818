"""What every browser test shares: Debian's `chromium` driven by Playwright through
`executable_path` (no browser download), the screen sizes, the marks, and where screenshots go
(LIFELINE_SCREENSHOT_DIR, by default the temp folder). The `browser` fixture itself is in
lifeline/conftest.py; a module picks its screen with `BROWSER_VIEWPORT` (a phone otherwise).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}
DESKTOP = {"width": 1280, "height": 900}

# `pytestmark = BROWSER_MARKS` in a module of browser tests (or on one test, one by one).
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt install chromium)"
)
BROWSER_MARKS = [pytest.mark.browser, needs_chromium]


def shots_dir() -> Path:
    folder = Path(os.environ.get("LIFELINE_SCREENSHOT_DIR") or tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def chromium_context(
    profile: Path, viewport: dict[str, int], *, extra_args: Sequence[str] = ()
) -> Iterator[Any]:
    """A headless Chromium with a touch screen of `viewport`'s size; `extra_args` are more
    command-line switches (a fake camera, say)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            args=[*CHROMIUM_ARGS, *extra_args],
            headless=True,
            viewport=viewport,
            device_scale_factor=1,
            is_mobile=True,
            has_touch=True,
        )
        try:
            yield context
        finally:
            context.close()


def menu_go(page: Any, label: str) -> None:
    """Follow the main menu's link named `label`, opening the menu first on a phone."""
    menu_button = page.locator("details.menu > summary")
    if menu_button.is_visible() and page.locator("details.menu[open]").count() == 0:
        menu_button.click()
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name=label, exact=True).click()


def sign_in(page: Any, base: str, username: str, password: str) -> None:
    """Sign in through the login page of the server at `base` and land on home."""
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
