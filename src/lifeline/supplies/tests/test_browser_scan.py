"""In a real headless Chromium on a phone: the distribution screen's "Scan card" opens the
camera, reads a real ration card's QR code and issues the ration; with no camera, or the
camera refused, it says so and the typed card number still works.

The camera is Chromium's fake capture device playing a Y4M video made in the test from the QR
code of the household's printed ration card (the SVG the card page draws)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lifeline.conftest import PASSWORD
from lifeline.core.tests.browser import BROWSER_MARKS, PHONE, chromium_context, shots_dir, sign_in
from lifeline.core.tests.qr_decode import qr_modules
from lifeline.supplies.models import Distribution, DistributionPoint, RationCycle

pytestmark = [*BROWSER_MARKS, pytest.mark.slow]

FRAME = (640, 480)  # the fake camera's picture: even sizes, as 4:2:0 chroma needs


def _card_svg(user: Any, household: Any) -> str:
    client = Client()
    client.force_login(user)
    page = client.get(reverse("web:household_card", kwargs={"household_id": household.pk}))
    found = re.search(r'<svg role="img".*?</svg>', page.content.decode(), re.S)
    assert found is not None
    return found[0]


def y4m_of_qr(svg: str, path: Path, *, frames: int = 5) -> Path:
    """A short Y4M video (what --use-file-for-fake-video-capture plays, in a loop) of the QR
    code on white, centred, as a card held up to the camera."""
    modules = qr_modules(svg)
    width, height = FRAME
    scale = min(width, height) * 3 // 4 // len(modules)
    side = len(modules) * scale
    left, top = (width - side) // 2, (height - side) // 2
    luma = bytearray(b"\xff" * (width * height))
    for row, cells in enumerate(modules):
        for column, dark in enumerate(cells):
            if dark:
                for y in range(top + row * scale, top + (row + 1) * scale):
                    start = y * width + left + column * scale
                    luma[start : start + scale] = b"\x00" * scale
    chroma = b"\x80" * ((width // 2) * (height // 2) * 2)  # no colour
    with path.open("wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + bytes(luma) + chroma)
    return path


@pytest.fixture
def browser_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_scanning_a_printed_ration_card_with_the_camera_issues_the_ration(
    live_server: Any,
    browser_env: None,
    tmp_path: Path,
    logistics: Any,
    make_household: Any,
    cycle: RationCycle,
    point: DistributionPoint,
    stocked_flour: None,
) -> None:
    household = make_household("RC-SCAN-7", 2)
    video = y4m_of_qr(_card_svg(logistics, household), tmp_path / "card.y4m")
    camera = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    with chromium_context(tmp_path / "profile", PHONE, extra_args=camera) as browser:
        page = browser.pages[0] if browser.pages else browser.new_page()
        page.set_default_timeout(20_000)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        sign_in(page, live_server.url, logistics.username, PASSWORD)
        page.goto(f"{live_server.url}/supplies/points/{point.pk}/")
        assert page.locator("#card").input_value() == ""

        page.get_by_role("button", name="Scan card").click()
        page.wait_for_url(re.compile(r"card=RC-SCAN-7"))
        assert page.locator("#card").input_value() == "RC-SCAN-7"
        assert page.get_by_text("RC-SCAN-7 · 2 persons").is_visible()
        page.screenshot(path=str(shots_dir() / "lifeline-scan-entitlement-390.png"))
        page.get_by_role("button", name="Issue ration").click()
        page.get_by_text("RC-SCAN-7: ration issued").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert errors == []
    issued = Distribution.objects.get()
    assert issued.household_id == household.pk and issued.household_size == 2


@pytest.mark.parametrize(
    ("switches", "message"),
    [
        # No capture device at all: the headless browser has no camera.
        (["--use-fake-ui-for-media-stream"], "No camera can be used on this device"),
        # A camera, but the person (here the browser) says no.
        (
            ["--use-fake-device-for-media-stream", "--deny-permission-prompts"],
            "The camera was refused",
        ),
    ],
    ids=["absent", "refused"],
)
def test_without_a_camera_the_screen_says_why_and_a_typed_card_still_works(
    live_server: Any,
    browser_env: None,
    tmp_path: Path,
    logistics: Any,
    make_household: Any,
    cycle: RationCycle,
    point: DistributionPoint,
    stocked_flour: None,
    switches: list[str],
    message: str,
) -> None:
    make_household("RC-TYPED", 1)
    with chromium_context(tmp_path / "profile", PHONE, extra_args=switches) as browser:
        page = browser.pages[0] if browser.pages else browser.new_page()
        page.set_default_timeout(20_000)
        sign_in(page, live_server.url, logistics.username, PASSWORD)
        page.goto(f"{live_server.url}/supplies/points/{point.pk}/")
        page.get_by_role("button", name="Scan card").click()
        status = page.get_by_role("status").filter(has_text=message)
        status.wait_for()
        page.fill("#card", "RC-TYPED")
        page.press("#card", "Enter")
        page.get_by_role("button", name="Issue ration").click()
        page.get_by_text("RC-TYPED: ration issued").wait_for()
    assert Distribution.objects.count() == 1
