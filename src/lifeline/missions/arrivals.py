"""What missions rebuilds and checks when rows arrive from another site (sync's apply hooks,
registered in MissionsConfig.ready): a mission's state, derived from its transitions (the
latest by time, then clock version, whichever site wrote it), and two members given one radio
number at two sites while apart, kept and raised for the mission's commander to renumber."""

from __future__ import annotations

import uuid
from collections.abc import Set

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy

from lifeline.alerts.services import alert_raise
from lifeline.missions.models import Mission, MissionMember, MissionTransition

RADIO_TWICE_KIND = "mission.radio_number_twice"


@transaction.atomic
def missions_state_refresh(ids: Set[uuid.UUID]) -> None:
    """The cached state of these missions, from their transitions (a mission that arrives
    brings no state: it is derived, never shipped)."""
    latest: dict[uuid.UUID, MissionTransition] = {}
    rows = MissionTransition.objects.alive().filter(mission_id__in=list(ids))
    for row in rows.order_by("at", "version"):
        latest[row.mission_id] = row
    for mission in Mission.objects.filter(pk__in=list(latest)):
        last = latest[mission.pk]
        if (mission.state, mission.state_since) != (last.to_state, last.at):
            mission.state, mission.state_since = last.to_state, last.at
            mission.save(update_fields=["state", "state_since"])


def transitions_arrived(ids: Set[uuid.UUID]) -> None:
    missions = set(
        MissionTransition.objects.filter(pk__in=list(ids)).values_list("mission_id", flat=True)
    )
    missions_state_refresh(missions)


@transaction.atomic
def members_arrived(ids: Set[uuid.UUID]) -> None:
    """One radio number held by two members of a mission (the database holds it unique per
    origin site): both kept, an alert per number asks for one of them to be renumbered; the
    radio decodes the number to the member added first until then."""
    missions = set(
        MissionMember.objects.filter(pk__in=list(ids)).values_list("mission_id", flat=True)
    )
    twice = (
        MissionMember.objects.alive()
        .filter(mission_id__in=missions)
        .values("mission_id", "radio_number")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("mission_id", "radio_number")
    )
    for found in twice:
        mission = Mission.objects.get(pk=found["mission_id"])
        number = found["radio_number"]
        alert_raise(
            kind=RADIO_TWICE_KIND,
            key=f"{mission.pk}:{number}",
            title=gettext_lazy("Two members of %(mission)s have radio number %(number)s"),
            detail=gettext_lazy(
                "Added at two sites while they were apart. Reports with this number go to the "
                "member added first; give the other a free number before the team leaves."
            ),
            params={"mission": mission.name, "number": str(number)},
            subject=mission,
        )
