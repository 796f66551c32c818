"""The settings a site may change and where it is: declared keys only, values checked, the
commander alone, audited; the code that reads a setting sees the change."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from lifeline.care.services import retriage_minutes
from lifeline.core import services
from lifeline.core.cli import app as site_app
from lifeline.core.commandline import command_root_build
from lifeline.core.errors import Forbidden, ValidationFailed
from lifeline.core.models import AuditEntry, Setting, Site
from lifeline.core.site_settings import SITE_SETTINGS
from lifeline.supplies.selectors import sphere_standards

pytestmark = pytest.mark.django_db


def run(*args: str, user: str = "commander") -> Result:
    runner = CliRunner(env={"LIFELINE_USER": None, "NO_COLOR": "1"})
    return runner.invoke(
        command_root_build({"site": site_app}), ["--user", user, *args], catch_exceptions=False
    )


def test_every_setting_the_code_reads_is_declared() -> None:
    assert {
        "care.retriage_minutes",
        "care.store",
        "care.allocation_children_first",
        "care.allocation_child_age_below",
        "supplies.kcal_per_person_day",
        "supplies.water_litres_per_person_day",
    } <= set(SITE_SETTINGS)


def test_a_commander_changes_a_standard_and_days_of_supply_use_it(
    commander: Any, site: Site
) -> None:
    services.site_setting_set(
        actor=commander, site=site, key="supplies.kcal_per_person_day", text="1800"
    )
    assert sphere_standards(site=site) == (Decimal(1800), Decimal(15))
    assert AuditEntry.objects.filter(action="setting.put").exists()
    assert services.site_setting_clear(
        actor=commander, site=site, key="supplies.kcal_per_person_day"
    )
    assert sphere_standards(site=site) == (Decimal(2100), Decimal(15))


@pytest.mark.parametrize(
    ("key", "text", "field", "says"),
    [
        ("supplies.kcal_per_persn_day", "1800", "key", "no setting 'supplies.kcal_per_persn_day'"),
        ("supplies.kcal_per_person_day", "-5", "value", "above zero"),
        ("supplies.kcal_per_person_day", "lots", "value", "a number"),
        ("care.allocation_children_first", "perhaps", "value", "yes or no"),
        ("care.retriage_minutes", "red=5", "value", "'red' is not one of immediate"),
        ("care.retriage_minutes", "immediate=0", "value", "above zero"),
        ("care.store", "main store!", "value", "a code"),
    ],
)
def test_a_bad_key_or_value_is_refused_and_nothing_is_stored(
    commander: Any, site: Site, key: str, text: str, field: str, says: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.site_setting_set(actor=commander, site=site, key=key, text=text)
    assert says in caught.value.fields[field][0]
    assert not Setting.objects.filter(key=key).exists()


def test_retriage_minutes_set_as_text_are_what_the_care_services_read(
    commander: Any, site: Site
) -> None:
    services.site_setting_set(
        actor=commander, site=site, key="care.retriage_minutes", text="immediate=10, minor=90"
    )
    assert retriage_minutes(site=site) == {
        "immediate": 10,
        "delayed": 60,
        "minor": 90,
        "expectant": 30,
    }


def test_only_the_commander_changes_settings_or_the_position(
    medic: Any, logistics: Any, viewer: Any, site: Site
) -> None:
    for actor in (medic, logistics, viewer):
        with pytest.raises(Forbidden):
            services.site_setting_set(
                actor=actor, site=site, key="care.allocation_children_first", text="yes"
            )
        with pytest.raises(Forbidden):
            services.site_position_set(actor=actor, site=site, latitude=31.9, longitude=-4.4)


def test_the_position_is_checked_and_audited(commander: Any, site: Site) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.site_position_set(actor=commander, site=site, latitude=91, longitude=-200)
    assert set(caught.value.fields) == {"latitude", "longitude"}
    services.site_position_set(actor=commander, site=site, latitude=31.9466, longitude=-4.3984)
    site.refresh_from_db()
    assert (site.latitude, site.longitude) == (31.9466, -4.3984)
    assert AuditEntry.objects.filter(action="site.position").count() == 1


def test_the_cli_shows_sets_and_unsets_settings_and_sets_the_position(
    commander: Any, medic: Any, site: Site
) -> None:
    shown = run("site", "show")
    assert shown.exit_code == 0, shown.output
    assert "not set (lifeline site position LAT LON)" in shown.output
    assert "care.allocation_children_first = default: no" in shown.output
    assert run("site", "set", "care.allocation_children_first", "yes").exit_code == 0
    assert "care.allocation_children_first = yes" in run("site", "show").output
    refused = run("site", "set", "care.allocation_children_first", "yes", user="medic")
    assert refused.exit_code != 0 and "may not change the site's settings" in refused.output
    bad = run("site", "set", "care.allocation_child_age_below", "twelve")
    assert bad.exit_code == 2 and "a whole number above zero" in bad.output
    assert "back to the default" in run("site", "unset", "care.allocation_children_first").output
    placed = run("site", "position", "31.9466", "--", "-4.3984")
    assert placed.exit_code == 0, placed.output
    assert "at 31.94660,-4.39840" in run("site", "show").output


def test_the_site_page_changes_a_setting_and_the_position_and_says_what_it_refused(
    client: Any, commander: Any, site: Site
) -> None:
    client.force_login(commander)
    page = client.get("/site/")
    assert page.status_code == 200
    assert "Not set: risk rising near the camp raises no alert" in page.content.decode()
    content = page.content.decode()
    # Each setting by its meaning and unit; the key only rides in the form.
    assert 'Children are those under <span class="unit">(years)</span>' in content
    assert ">care.allocation_child_age_below<" not in content
    done = client.post(
        "/site/setting/",
        {"key": "supplies.water_litres_per_person_day", "value": "20"},
        follow=True,
    )
    assert "Water per person per day: 20 litres." in done.content.decode()
    assert sphere_standards(site=site)[1] == Decimal(20)
    refused = client.post("/site/position/", {"latitude": "95", "longitude": "-4.4"}, follow=True)
    assert "Position not changed: latitude: between -90 and 90." in refused.content.decode()
    client.post("/site/position/", {"latitude": "31.9466", "longitude": "-4.3984"})
    site.refresh_from_db()
    assert site.latitude == 31.9466
    reset = client.post(
        "/site/setting/", {"key": "supplies.water_litres_per_person_day", "action": "unset"}
    )
    assert reset.status_code == 302 and sphere_standards(site=site)[1] == Decimal(15)


def test_the_site_page_and_its_forms_are_the_commanders_alone(
    client: Any, medic: Any, site: Site
) -> None:
    client.force_login(medic)
    assert client.get("/site/").status_code == 403
    refused = client.post(
        "/site/setting/", {"key": "care.allocation_children_first", "value": "yes"}
    )
    assert refused.status_code == 403
    assert not Setting.objects.filter(key="care.allocation_children_first").exists()
    assert client.post("/site/position/", {"latitude": "1", "longitude": "1"}).status_code == 403
