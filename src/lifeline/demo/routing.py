"""The routing part of the demo: the generated town of Mavrah as the road graph, its basemap
(drawn from the graph into var/basemaps, so that the map looks like a map), and the zones the
stories speak of (the hot streets Rafiq's extraction route avoids, the rubble of the storage
building). Calls only routing's services; deterministic."""

from __future__ import annotations

from collections.abc import Mapping

from lifeline.core.services import Actor
from lifeline.routing import services
from lifeline.routing.models import StoredGraph, ThreatZone

DEMO_ZONES: tuple[dict[str, object], ...] = (
    {
        "name": "Hot streets east of the mosque",
        "polygon": [[31.7000, -4.0300], [31.7030, -4.0300], [31.7030, -4.0285], [31.7000, -4.0285]],
        "level": 4.0,
        "note": "Armed men seen at dusk on two nights; the extraction route keeps away.",
    },
    {
        "name": "Collapsed storage building",
        "polygon": [[31.7016, -4.0354], [31.7026, -4.0354], [31.7026, -4.0342], [31.7016, -4.0342]],
        "level": 2.0,
        "note": "Partly collapsed; rubble across the lane.",
    },
)


def load(*, actor_by_role: Mapping[str, Actor]) -> StoredGraph:
    """Store the Mavrah town graph, make its basemap and draw the demo zones, as the commander
    (once)."""
    commander = actor_by_role["commander"]
    graph = services.graph_generate_demo(actor=commander, name="mavrah")
    services.basemap_demo_make(actor=commander, graph=graph.name)
    drawn = set(ThreatZone.objects.alive().values_list("name", flat=True))
    for zone in DEMO_ZONES:
        if zone["name"] not in drawn:
            services.zone_draw(actor=commander, **zone)  # type: ignore[arg-type]
    return graph
