"""Home is the operating picture: each role sees the parts it may see (and no empty part it
may not), every figure is the one its own page shows, and what needs action comes first."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lifeline.alerts.models import Severity
from lifeline.alerts.services import alert_raise
from lifeline.core.models import Site
from lifeline.people import services as people_services

pytestmark = pytest.mark.django_db


def _home(client: Client, user: Any) -> Any:
    client.force_login(user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("role", "parts"),
    [
        ("commander", {"people", "care", "supplies", "missions", "danger"}),
        ("medic", {"people", "care", "supplies", "missions", "danger"}),
        ("logistics", {"people", "supplies", "missions", "danger"}),
        ("viewer", {"people", "supplies", "missions", "danger"}),
        ("registrar", {"people", "missions", "danger"}),
    ],
)
def test_each_role_sees_the_parts_of_the_picture_it_may_see(
    client: Client, site: Site, role: str, parts: set[str], request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(role)
    picture = _home(client, user).context["picture"]
    shown = {
        name
        for name in ("people", "care", "supplies", "missions", "danger")
        if getattr(picture, name) is not None
    }
    assert shown == parts


def test_a_viewers_home_never_links_to_medical_records(
    client: Client, site: Site, viewer: Any
) -> None:
    html = _home(client, viewer).content.decode()
    assert reverse("care:board") not in html


def test_open_alerts_come_first_critical_on_top(client: Client, site: Site, commander: Any) -> None:
    alert_raise(kind="supplies.below_reorder", key="rice", title="Rice below reorder level")
    alert_raise(
        kind="supplies.stockout_soon",
        key="water",
        title="Water runs out today",
        severity=Severity.CRITICAL,
    )
    picture = _home(client, commander).context["picture"]
    assert [a.title for a in picture.alerts] == ["Water runs out today", "Rice below reorder level"]
    assert picture.alerts_total == 2


def test_the_count_of_people_is_the_registry_filters_count(
    client: Client, site: Site, registrar: Any
) -> None:
    for given in ("Amal", "Rachid", "Meriem"):
        people_services.person_register(
            actor=registrar, given_name=given, family_name="Forest", sex="female"
        )
    picture = _home(client, registrar).context["picture"]
    assert picture.people.total == 3
    assert picture.people.arrivals_today == 3
    by_status = {value: n for value, _label, n in picture.people.by_status}
    listed = client.get(reverse("web:person_list"), {"status": "present", "site": site.code})
    assert by_status["present"] == listed.context["page"].paginator.count
