from typing import Any
from lifeline.conftest import PASSWORD
from lifeline.core.tests.browser import BROWSER_MARKS
from lifeline.people.models import Household

pytestmark = BROWSER_MARKS

def test_scratch(live_server: Any, demo_cast: Any, browser: Any) -> None:
    base = live_server.url
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.goto(f"{base}/login/")
    page.fill("#id_username", demo_cast.registrar.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    h = Household.objects.filter(ration_card__isnull=False).first()
    for url in [f"/households/{h.pk}/?q=a", "/households/new/", "/households/"]:
        page.goto(base + url)
        w = page.evaluate("Math.max(document.documentElement.scrollWidth, window.innerWidth)")
        print(url, w)
        name = url.strip("/").replace("/", "_").replace("?", "_") or "root"
        page.screenshot(path=f"/tmp/stockshots/demo-{name}.png", full_page=True)
