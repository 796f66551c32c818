"""The sync page: peers and the values that lost a merge; a commander keeps the other value
(a new write) or the one that won; roles that may not see sync are refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lifeline.core.models import Site
from lifeline.people.models import Person
from lifeline.sync.models import Conflict, Peer

FOREST = "forest-camp"


def losing_note(site: Site) -> tuple[Person, Conflict]:
    forest = Site.objects.create(code=FOREST, name="Forest Camp")
    Peer.objects.create(site=forest, public_key=bytes(32))
    person = Person(given_name="Amal", family_name="Haddad", notes="tent 9")
    person.save()
    conflict = Conflict.objects.create(
        model="people.person",
        object_id=person.pk,
        field="notes",
        winner_value="tent 9",
        winner_version=person.version,
        winner_site=site.pk,
        loser_value="tent 4",
        loser_version="0000000000010000-" + forest.pk.hex,
        loser_site=forest.pk,
    )
    return person, conflict


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_sync_page_shows_each_peer_and_the_value_that_lost_in_words(
    commander: Any, site: Site, django_assert_max_num_queries: Any
) -> None:
    person, _ = losing_note(site)
    client = _client(commander)
    with django_assert_max_num_queries(45):
        page = client.get("/sync/")
    # More conflicts about more records cost no more queries.
    for n in range(5):
        other = Person(given_name=f"Yusuf {n}")
        other.save()
        Conflict.objects.create(
            model="people.person",
            object_id=other.pk,
            field="notes",
            winner_value="a",
            winner_version=other.version,
            loser_value="b",
            loser_version=f"{n:016x}-" + "0" * 32,
        )
    with django_assert_max_num_queries(45):
        client.get("/sync/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Forest Camp" in text and "1 conflict open" in text
    assert "Amal Haddad" in text and "(person, notes)" in text
    assert "Lost: “tent 4” from Forest Camp" in text
    assert "people.person" not in text and str(person.pk) not in text.split("conflict-")[0]


@pytest.mark.django_db
def test_keeping_the_other_value_writes_it_again_and_closes_the_conflict(
    commander: Any, site: Site
) -> None:
    person, conflict = losing_note(site)
    before = person.version
    done = _client(commander).post(f"/sync/conflicts/{conflict.pk}/resolve/", {"keep": "loser"})
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.notes == "tent 4" and person.version > before
    conflict.refresh_from_db()
    assert conflict.resolution == "kept_loser" and conflict.resolved_by == commander
    again = _client(commander).post(f"/sync/conflicts/{conflict.pk}/resolve/", {"keep": "loser"})
    assert again.status_code == 302  # already resolved: said on the page, nothing changes


@pytest.mark.django_db
def test_a_role_that_may_not_see_sync_is_refused(registrar: Any, site: Site) -> None:
    assert _client(registrar).get("/sync/").status_code == 403
