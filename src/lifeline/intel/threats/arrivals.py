"""What intel rebuilds when rows arrive from another site (sync's apply hooks, registered in
IntelConfig.ready): a hostile group's last sighting (derived, never shipped) from the latest
sighting of it, whichever site recorded it, and routing's risk grid, which counts the
sightings it was built from and is rebuilt when rows came by sync."""

from __future__ import annotations

import uuid
from collections.abc import Set

from django.db import transaction

from lifeline.intel.models import HostileGroup, Sighting
from lifeline.routing.services import risk_grid_refresh


@transaction.atomic
def groups_last_seen_refresh(ids: Set[uuid.UUID]) -> None:
    """The last sighting of these groups, from their sightings alive."""
    latest: dict[uuid.UUID, Sighting] = {}
    rows = Sighting.objects.alive().filter(hostile_group_id__in=list(ids))
    for row in rows.order_by("seen_at", "version"):
        if row.hostile_group_id is not None:
            latest[row.hostile_group_id] = row
    for group in HostileGroup.objects.filter(pk__in=list(ids)):
        last = latest.get(group.pk)
        seen = (last.seen_at, last.latitude, last.longitude) if last else (None, None, None)
        if (group.last_seen_at, group.last_seen_latitude, group.last_seen_longitude) != seen:
            group.last_seen_at, group.last_seen_latitude, group.last_seen_longitude = seen
            group.save(update_fields=sorted(HostileGroup.derived_fields))


def sightings_arrived(ids: Set[uuid.UUID]) -> None:
    groups = set(
        Sighting.objects.filter(pk__in=list(ids), hostile_group__isnull=False).values_list(
            "hostile_group_id", flat=True
        )
    )
    groups_last_seen_refresh({g for g in groups if g is not None})
    risk_grid_refresh()  # the grid counts fewer sightings than there are: rebuilt
