"""Home's facilities card: what is down and what it costs, open repairs, and one's own watch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lifeline.core.roles import Role
from lifeline.facilities import services
from lifeline.intel.threats.services import watch_post_create

pytestmark = pytest.mark.django_db


def test_home_shows_water_down_and_the_watchers_next_shift(
    commander: Any, make_user: Callable[..., Any]
) -> None:
    team = make_user(Role.FIELD_TEAM)
    well = services.facility_register(
        actor=commander, name="Water point 2", kind="water_point", capacity=6000
    )
    services.damage_assess(
        actor=commander, facility=well, severity=3, safe_to_use=False, damage="pump shot"
    )
    services.work_order_raise(actor=commander, facility=well, title="New pump", priority="urgent")
    post = watch_post_create(actor=commander, name="Ridge", latitude=31.94, longitude=-4.39)
    start = timezone.now() + dt.timedelta(hours=2)
    services.shift_plan(
        actor=commander,
        post=post,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=6),
        user=team,
    )
    client = Client()
    client.force_login(commander)
    home = client.get(reverse("web:home")).content.decode()
    assert "1 water point down" in home and "Water point 2" in home
    assert (
        "1 repair open" in home and "<bdi>New pump</bdi> (urgent)" in home
    )  # the title isolated from the page's direction
    assert "Your watch" not in home
    client.force_login(team)
    assert "Your watch" in client.get(reverse("web:home")).content.decode()
