"""Which sites hold a record: this site, the peers whose cursors acknowledged its changes (the
newest, or an older one), through the API, the CLI and the person's page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient
from typer.testing import CliRunner

from lifeline.core.clock import site_local
from lifeline.core.models import Site
from lifeline.core.tests.test_api_schema import assert_conforms, openapi  # noqa: F401
from lifeline.people.models import Person
from lifeline.sync.models import Peer

pytestmark = pytest.mark.django_db


def _person_and_peers() -> tuple[Person, str]:
    """A person written here; the forest camp acknowledged its version, the desert did not."""
    person = Person(given_name="Amal", family_name="Haddad")
    person.save()
    here = site_local().pk.hex
    forest = Site.objects.create(code="north-post", name="North Post")
    desert = Site.objects.create(code="south-post", name="South Post")
    Peer.objects.create(site=forest, public_key=bytes(32), acked={here: person.version})
    Peer.objects.create(site=desert, public_key=bytes(32), acked={})
    return person, person.version


def test_a_record_is_held_here_and_at_the_peers_that_acknowledged_it(
    commander: Any,
    site: Site,
    openapi: dict[str, Any],  # noqa: F811
) -> None:
    person, _ = _person_and_peers()
    client = APIClient()
    client.force_authenticate(commander)
    url = f"/api/sync/records/people.person/{person.pk}/"

    response = client.get(url)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == person.version
    assert [(s["code"], s["here"], s["latest"]) for s in body["sites"]] == [
        (site.code, True, True),
        ("north-post", False, True),
    ]
    assert_conforms(openapi, response, "/api/sync/records/{model}/{object_id}/", "get")
    person.notes = "tent 4"
    person.save(update_fields=["notes"])  # a newer version the forest camp has not seen
    sites = client.get(url).json()["sites"]
    assert [(s["code"], s["latest"]) for s in sites] == [(site.code, True), ("north-post", False)]


def test_an_unknown_kind_or_record_is_not_found(commander: Any, site: Site) -> None:
    client = APIClient()
    client.force_authenticate(commander)
    assert client.get(f"/api/sync/records/people.nothing/{site.pk}/").status_code == 404
    assert client.get(f"/api/sync/records/people.person/{site.pk}/").status_code == 404


def test_the_cli_and_the_person_page_say_where_the_record_is_held(
    commander: Any, site: Site
) -> None:
    from lifeline.cli import app_build

    person, _ = _person_and_peers()
    runner = CliRunner(env={"LIFELINE_USER": None, "NO_COLOR": "1"})
    done = runner.invoke(
        app_build(),
        ["--user", commander.username, "sync", "where", "people.person", str(person.pk)],
    )
    assert done.exit_code == 0, done.output
    assert f"{site.code} (this site)" in done.output
    assert "north-post: North Post, latest version" in done.output
    assert "south-post" not in done.output

    browser = Client()
    browser.force_login(commander)
    page = browser.get(f"/people/{person.pk}/").content.decode()
    held = page.split('class="held-at">', 1)[1].split("</dd>", 1)[0]
    assert "Held at" in page and "North Post" in held and "South Post" not in held
