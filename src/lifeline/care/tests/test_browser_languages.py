"""In a real headless Chromium on a phone: the patient board and the triage page in Arabic
(mirrored, right to left) and in French, with no horizontal overflow and no English word left
outside the names and the data as entered (issue 14)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from lifeline.care import services
from lifeline.care.models import Patient
from lifeline.care.tests.conftest import START_IMMEDIATE
from lifeline.conftest import PASSWORD
from lifeline.core.models import Site, UserPreference
from lifeline.core.tests.browser import BROWSER_MARKS, PHONE, shots_dir, sign_in
from lifeline.core.tests.i18n import english_left
from lifeline.people.models import Person
from lifeline.people.services import person_register

pytestmark = BROWSER_MARKS


@pytest.fixture
def patients(site: Site, commander: Any, medic: Any, amal_patient: Patient) -> list[str]:
    services.triage_record(actor=medic, patient=amal_patient, answers=START_IMMEDIATE)
    person_register(
        actor=commander,
        given_name="Yunus",
        family_name="Haddad",
        sex="male",
        age_years=5,
        conditions=["wounded"],
        occurred_at=timezone.now() - dt.timedelta(hours=3),
    )
    return [
        "Amal Benali",
        "Yunus Haddad",
        "granary",
        "gunshot wound, left arm",
        site.name,
        medic.username,
    ]


def _open(page: Any, base: str, user: Any, language: str, path: str) -> None:
    UserPreference.objects.update_or_create(user_id=user.pk, defaults={"language": language})
    sign_in(page, base, user.username, PASSWORD)
    page.goto(f"{base}{path}")


def _check_page(page: Any, language: str, data: list[str], shot: str) -> None:
    html = page.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(shots_dir() / shot), full_page=True)
    # The page's own content is this app's: no English left there.
    assert english_left(page.inner_text("main"), language, data) == []
    # The menu and the footer (web's and core's) too.
    assert english_left(page.inner_text("body"), language, data) == []


@pytest.mark.parametrize(
    ("language", "shot"), [("ar", "board-ar.png"), ("fr", "board-fr.png")], ids=["ar", "fr"]
)
def test_the_patient_board_on_a_phone_in_arabic_and_french(
    live_server: Any, medic: Any, patients: list[str], browser: Any, language: str, shot: str
) -> None:
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(15_000)
    _open(page, live_server.url, medic, language, "/care/")
    page.wait_for_selector("section.care-group.immediate")
    assert "Amal Benali" in page.inner_text("section.care-group.immediate")
    _check_page(page, language, patients, shot)


@pytest.mark.parametrize(
    ("language", "shot"), [("ar", "triage-ar.png"), ("fr", "triage-fr.png")], ids=["ar", "fr"]
)
def test_triage_on_a_phone_in_arabic_and_french(
    live_server: Any,
    medic: Any,
    patients: list[str],
    amal: Person,
    browser: Any,
    language: str,
    shot: str,
) -> None:
    patient = Patient.objects.get(person=amal)
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(15_000)
    _open(page, live_server.url, medic, language, f"/care/patients/{patient.pk}/triage/")
    page.wait_for_selector("#question[data-question='walks']")
    page.click("button[name='walks'][value='no']")
    page.wait_for_selector("#question[data-question='breathes']")
    _check_page(page, language, patients, shot)
