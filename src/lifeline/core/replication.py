"""What other apps need to know when rows written at another site arrive.

The sync app applies another site's changes row by row without going through the services
that would have refreshed derived state (a person's status, the name index, the patient
board, the risk grid). Each app registers here, in its AppConfig.ready, a hook for the models
whose arrival changes what it derives; sync calls `after_apply_run` once per applied batch,
inside the batch's transaction, with the ids of every row applied per model. Core knows no
app: the registry is how the arrow points down.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Set

ApplyHook = Callable[[Set[uuid.UUID]], None]

_hooks: dict[str, list[ApplyHook]] = {}


def after_apply_register(model_label: str, hook: ApplyHook) -> None:
    """Call `hook(ids)` after rows of `model_label` ("people.person") arrive from another site.
    Registering the same hook twice (a second `ready()` in tests) keeps one."""
    hooks = _hooks.setdefault(model_label.lower(), [])
    if hook not in hooks:
        hooks.append(hook)


def after_apply_hooks(model_label: str) -> tuple[ApplyHook, ...]:
    return tuple(_hooks.get(model_label.lower(), ()))


def after_apply_run(applied: Mapping[str, Set[uuid.UUID]]) -> None:
    """Run every hook for the rows just applied, model by model in the order given."""
    for label, ids in applied.items():
        if not ids:
            continue
        for hook in after_apply_hooks(label):
            hook(ids)
