from __future__ import annotations

import uuid
from collections.abc import Set

from lifeline.core import replication


def test_hooks_run_per_model_with_the_applied_ids() -> None:
    seen: list[tuple[str, frozenset[uuid.UUID]]] = []

    def on_thing(ids: Set[uuid.UUID]) -> None:
        seen.append(("thing", frozenset(ids)))

    replication.after_apply_register("Test.Thing", on_thing)
    replication.after_apply_register("test.thing", on_thing)  # once only
    one, two = uuid.uuid4(), uuid.uuid4()
    replication.after_apply_run({"test.thing": {one, two}, "test.other": {one}, "test.none": set()})
    assert seen == [("thing", frozenset({one, two}))]
    replication._hooks.pop("test.thing")
