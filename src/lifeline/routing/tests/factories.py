"""One way to build each replicated model of routing, for the change-log completeness test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lifeline.core.models import ReplicatedModel
from lifeline.routing.models import ThreatZone

FACTORIES: dict[type[ReplicatedModel], tuple[Callable[[], ReplicatedModel], str, Any]] = {
    ThreatZone: (
        lambda: ThreatZone(
            name="Granary", polygon=[[31.69, -4.03], [31.70, -4.03], [31.70, -4.02]], level=4
        ),
        "note",
        "Jace's band seen at dusk",
    ),
}
