"""The background worker's jobs. Each app registers the sweeps it needs run every interval in
its AppConfig.ready (missions: teams that missed a check-in; intel: the risk watch), and the
`lifeline_worker` command runs them all: core names no app."""

from __future__ import annotations

from collections.abc import Callable, Sized
from dataclasses import dataclass


@dataclass(frozen=True)
class Sweep:
    name: str  # "<app>.<what>", e.g. "missions.overdue"
    run: Callable[[], Sized]  # what it found (the alerts it raised)
    # What the worker prints when it found something, with {count}; empty: nothing.
    says: str = ""


SWEEPS: dict[str, Sweep] = {}


def sweep_register(*sweeps: Sweep) -> None:
    """Run these every interval (registered again, replaced), in the order first registered."""
    for sweep in sweeps:
        SWEEPS[sweep.name] = sweep
