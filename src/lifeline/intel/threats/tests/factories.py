"""One way to build each replicated model of intel's threat picture, for the change-log
completeness test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lifeline.core.clock import site_local
from lifeline.core.models import ReplicatedModel
from lifeline.intel.models import HostileGroup, PerimeterLogEntry, Sighting, WatchPost


def _post() -> WatchPost:
    post = WatchPost(site=site_local(), name="North gate", latitude=31.948, longitude=-4.401)
    post.save()
    return post


FACTORIES: dict[type[ReplicatedModel], tuple[Callable[[], ReplicatedModel], str, Any]] = {
    HostileGroup: (lambda: HostileGroup(name="Jace's band", leader="Jace"), "notes", "vowed"),
    Sighting: (
        lambda: Sighting(latitude=31.7, longitude=-4.03, count=3, confidence=0.6, source="radio"),
        "notes",
        "on foot",
    ),
    WatchPost: (
        lambda: WatchPost(site=site_local(), name="Ridge", latitude=31.95, longitude=-4.4),
        "notes",
        "overlooks the valley",
    ),
    PerimeterLogEntry: (lambda: PerimeterLogEntry(post=_post(), seen="nothing"), "notes", "quiet"),
}
