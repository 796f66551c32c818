"""In a real headless Chromium on a phone (390 px): the logistics officer's day through the
pages. Stock is received through the form and seen on the stock page; a ration is issued at a
distribution point by typing a card number, and a second issue in the same cycle is refused
with a clear message. No page is wider than the phone."""

from __future__ import annotations

from typing import Any

from lifeline.conftest import PASSWORD
from lifeline.core.tests.browser import BROWSER_MARKS, PHONE, menu_go, shots_dir
from lifeline.supplies.models import Distribution, Movement

pytestmark = BROWSER_MARKS


def _fits(page: Any) -> None:
    width = page.evaluate("Math.max(document.documentElement.scrollWidth, window.innerWidth)")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px phone"


def test_logistics_receives_stock_and_issues_a_ration_by_card_number_on_a_phone(
    live_server: Any,
    logistics: Any,
    browser: Any,
    store: Any,
    flour: Any,
    make_household: Any,
    cycle: Any,
    point: Any,
) -> None:
    make_household("RC-B7", 2)
    shots = shots_dir()
    base = live_server.url
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/login/")
    page.fill("#id_username", logistics.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")

    # Receive: the form, then the message that says what was written.
    menu_go(page, "Receive")
    page.wait_for_url(f"{base}/supplies/receive/")
    _fits(page)
    page.select_option("#id_item", "flour")
    page.fill("#id_batch", "WF-2027")
    page.fill("#id_expiry_date", "2027-06-30")
    page.fill("#id_quantity", "200")
    page.select_option("#id_location", "main-store")
    page.screenshot(path=str(shots / "lifeline-stock-receive-phone.png"), full_page=True)
    page.click("button:has-text('Receive stock')")
    page.wait_for_selector("text=Received 200 kg of Wheat flour at Main store")
    assert Movement.objects.get().quantity == 200

    # The stock page shows it where it is.
    menu_go(page, "Stock")
    page.wait_for_url(f"{base}/supplies/")
    _fits(page)
    lines = page.locator("table.stock-lines tbody tr")
    assert "Wheat flour" in lines.first.inner_text() and "200 kg" in lines.first.inner_text()
    page.screenshot(path=str(shots / "lifeline-stock-phone.png"), full_page=True)

    # The distribution point: type the card, see the entitlement, issue.
    menu_go(page, "Distribution points")
    page.wait_for_url(f"{base}/supplies/points/")
    _fits(page)
    page.get_by_role("link", name="Mess hall").click()
    page.wait_for_url(f"{base}/supplies/points/{point.pk}/")
    page.fill("#card", "RC-B7")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=5 kg Wheat flour")
    _fits(page)
    page.click("button:has-text('Issue ration')")
    page.wait_for_selector("text=RC-B7: ration issued.")
    assert "1 issued here" in page.inner_text("h1")
    assert Distribution.objects.count() == 1
    page.screenshot(path=str(shots / "lifeline-point-issued-phone.png"), full_page=True)

    # The same card again in the same cycle: refused, and says why.
    page.fill("#card", "RC-B7")
    page.keyboard.press("Enter")
    refusal = page.locator("[role=alert]", has_text="Already collected Cycle 7 here")
    refusal.wait_for()
    assert page.locator("button:has-text('Issue ration')").count() == 0
    _fits(page)
    page.screenshot(path=str(shots / "lifeline-point-refused-phone.png"), full_page=True)
    assert Distribution.objects.count() == 1

    # The ration is in the item's ledger, and the stock went down by it.
    page.goto(f"{base}/supplies/items/flour/")
    _fits(page)
    ledger = page.locator("table.ledger tbody tr").first.inner_text()
    assert "Ration issued" in ledger and "-5 kg" in ledger
    assert "195 kg" in page.inner_text("#supply-title + p + dl")
    page.screenshot(path=str(shots / "lifeline-item-phone.png"), full_page=True)
