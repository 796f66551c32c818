"""In a real headless Chromium on a tablet-sized screen: a medic reads the proposed allocation
of a crate of antibiotics, overrides it for one patient with a reason, confirms, then gives the
first dose from the patient's treatments page.

The browser: lifeline.core.tests.browser (Debian's `chromium` through Playwright).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lifeline.care.models import AllocationDecision, DoseGiven, Patient, Treatment
from lifeline.care.treatments import services
from lifeline.conftest import PASSWORD
from lifeline.core.tests.browser import BROWSER_MARKS, TABLET, shots_dir

pytestmark = BROWSER_MARKS
BROWSER_VIEWPORT = TABLET


def test_a_medic_overrides_an_allocation_with_a_reason_and_gives_a_dose_on_a_tablet(
    live_server: Any,
    medic: Any,
    stock: Callable[..., Any],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
    browser: Any,
) -> None:
    stock(30)
    course(make_patient("Amal", "immediate", waited_hours=3))
    meriem = course(make_patient("Meriem", "minor", age=29))
    proposed = services.allocation_propose(actor=medic, item=meriem.item, store=meriem.store)
    shots = shots_dir()
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(15_000)
    url = f"{live_server.url}/care/allocations/{proposed.pk}/"
    page.goto(url)
    page.fill("#id_username", medic.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(url)
    assert "stock ran out at rank 2" in page.inner_text("table.rows")
    page.screenshot(path=str(shots / "lifeline-allocation-proposed.png"), full_page=True)

    page.select_option(f"#override-{meriem.pk}", "give")
    page.click("button:has-text('Confirm')")
    page.wait_for_selector(".error-box")
    assert "an override needs a reason" in page.inner_text(".error-box")
    page.fill(f"#reason-{meriem.pk}", "pregnant, early sepsis")
    page.click("button:has-text('Confirm')")
    page.wait_for_selector("text=Allocation confirmed")
    assert "served while Amal Test (immediate) goes without" in page.inner_text("main")
    page.screenshot(path=str(shots / "lifeline-allocation-overridden.png"), full_page=True)
    assert AllocationDecision.objects.get().status == "overridden"

    page.click("a:has-text('Meriem Test')")
    page.click("button:has-text('Give dose 1')")
    page.wait_for_selector("text=1 of 21 given")
    page.screenshot(path=str(shots / "lifeline-treatments-tablet.png"), full_page=True)
    assert DoseGiven.objects.filter(treatment=meriem).count() == 1
