"""The missions board in Arabic on a phone: mirrored, no horizontal overflow, and the words of
missions (their kinds and states) in Arabic; no English outside names and codes once web's
own strings (the board's headings) are translated."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lifeline.conftest import PASSWORD
from lifeline.core.language import user_language_set
from lifeline.core.models import Site
from lifeline.core.tests.browser import BROWSER_MARKS, PHONE, shots_dir, sign_in
from lifeline.core.tests.i18n import english_left
from lifeline.missions import services
from lifeline.missions.models import Mission
from lifeline.missions.tests.conftest import set_out

pytestmark = BROWSER_MARKS


def test_the_missions_board_reads_in_arabic_on_a_phone(
    live_server: Any,
    browser: Any,
    site: Site,
    commander: Any,
    field_team: Any,
    mission: Mission,
) -> None:
    set_out(mission, commander)
    convoy = services.mission_plan(
        actor=commander,
        name="Convoy Qasr al-Hanif",
        kind="convoy",
        planned_start=timezone.now() + dt.timedelta(days=1),
    )
    user_language_set(commander, "ar")
    page = browser.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, live_server.url, commander.username, PASSWORD)
    page.goto(f"{live_server.url}/missions/")

    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    out_state = page.locator("table.missions-out tbody td:nth-child(2)").inner_text()
    planned = page.locator("table.missions-planned tbody tr").inner_text()
    assert out_state.strip() == "جارية"
    assert "قافلة" in planned and "مخطط لها" in planned
    team = ("Rafiq Haddad", "RAFIQ", field_team.username)
    names = (mission.name, convoy.name, *team, commander.username, site.name)
    assert english_left(out_state + planned, "ar", names) == []
    page.screenshot(path=str(shots_dir() / "missions-ar.png"), full_page=True)

    left = english_left(page.evaluate("document.body.innerText"), "ar", names)
    assert left == [], left
