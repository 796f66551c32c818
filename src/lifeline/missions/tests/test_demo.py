"""The missions demo loads through the services, once, and leaves one team overdue."""

from __future__ import annotations

from typing import Any

import pytest

from lifeline.alerts.models import Alert
from lifeline.demo.missions import load
from lifeline.intel.models import FieldReport
from lifeline.missions.models import Mission

pytestmark = pytest.mark.django_db


def test_the_missions_demo_loads_once_with_an_overdue_rescue_team(
    site: Any, commander: Any, field_team: Any
) -> None:
    missions = load(actor_by_role={"commander": commander, "field_team": field_team})
    assert {m.kind for m in missions} == {"recon", "search_and_rescue", "convoy", "patrol"}
    assert Mission.objects.filter(kind="evacuation", state="planned").count() == 1
    assert FieldReport.objects.count() == 3
    overdue = Alert.objects.get(kind="mission.overdue")
    assert overdue.subject_id == str(Mission.objects.get(name="Search and rescue, Mavrah").pk)
    assert load(actor_by_role={"commander": commander, "field_team": field_team}) == []
