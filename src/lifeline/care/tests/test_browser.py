"""In a real headless Chromium on a tablet-sized screen: a medic opens the board, triages Amal
one question at a time to a category, and finds her on the board under it.

The browser: lifeline.core.tests.browser (Debian's `chromium` through Playwright).
"""

from __future__ import annotations

from typing import Any

from lifeline.care.models import Patient, TriageAssessment
from lifeline.conftest import PASSWORD
from lifeline.core.tests.browser import BROWSER_MARKS, TABLET, shots_dir

pytestmark = BROWSER_MARKS
BROWSER_VIEWPORT = TABLET


def test_a_medic_triages_one_question_at_a_time_on_a_tablet(
    live_server: Any, medic: Any, amal_patient: Patient, browser: Any
) -> None:
    shots = shots_dir()
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/care/")
    page.fill("#id_username", medic.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/care/")
    page.click(f"tr[data-patient='{amal_patient.pk}'] >> text=Triage")

    def answer(question: str, *, button: str | None = None, value: str | None = None) -> None:
        page.wait_for_selector(f"#question[data-question='{question}']")
        # Only the question the algorithm needs is on the page.
        assert page.locator("#question").count() == 1
        if value is not None:
            page.fill(f"#answer-{question}", value)
            page.click("button:has-text('Next')")
        else:
            page.click(f"form.tablet button:has-text('{button}')")

    answer("walks", button="No")
    answer("breathes", button="Yes")
    answer("respiratory_rate", value="22")
    answer("radial_pulse", button="Yes")  # a pulse: no capillary refill needed
    page.screenshot(path=str(shots / "lifeline-triage-tablet.png"), full_page=True)
    answer("obeys_commands", button="Yes")

    page.wait_for_selector("#result")
    assert "Delayed (yellow)" in page.inner_text("#result")
    assert page.locator("#path li").count() == 5
    page.click("#record")
    page.wait_for_url(f"{live_server.url}/care/")
    delayed = page.locator("section.care-group.delayed")
    assert "Amal Benali" in delayed.inner_text()
    page.screenshot(path=str(shots / "lifeline-care-board-tablet.png"), full_page=True)
    assert TriageAssessment.objects.get().category == "delayed"
