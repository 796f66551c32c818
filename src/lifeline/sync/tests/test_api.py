"""GET /api/sync/status/: where this site stands with each peer, for those who may see it."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from lifeline.core.models import Site
from lifeline.core.tests.test_api_schema import assert_conforms, openapi  # noqa: F401
from lifeline.sync.models import Conflict, Peer

pytestmark = pytest.mark.django_db


def test_the_status_lists_each_peer_with_its_open_conflicts(
    commander: Any,
    site: Site,
    openapi: dict[str, Any],  # noqa: F811
) -> None:
    forest = Site.objects.create(code="forest-camp", name="Forest Camp")
    Peer.objects.create(site=forest, public_key=bytes(32), may_hold_protected=True)
    Conflict.objects.create(
        model="people.person",
        object_id=forest.pk,
        field="notes",
        winner_value="a",
        winner_version="v2",
        loser_value="b",
        loser_version="v1",
        loser_site=forest.pk,
    )
    client = APIClient()
    client.force_authenticate(commander)
    response = client.get("/api/sync/status/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["site_code"] == site.code and body["conflicts_open"] == 1
    assert body["peers"] == [
        {
            "code": "forest-camp",
            "name": "Forest Camp",
            "last_sent_at": None,
            "last_received_at": None,
            "changes_not_sent": 0,
            "conflicts_open": 1,
            "may_hold_protected": True,
        }
    ]
    assert_conforms(openapi, response, "/api/sync/status/", "get")


def test_the_status_is_refused_to_a_role_that_may_not_see_it(registrar: Any, site: Site) -> None:
    client = APIClient()
    client.force_authenticate(registrar)
    response = client.get("/api/sync/status/")
    assert response.status_code == 403
    assert "sync status" in response.json()["error"]["message"]
