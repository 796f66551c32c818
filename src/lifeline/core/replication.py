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
from collections.abc import Callable, Iterable, Mapping, Set

ApplyHook = Callable[[Set[uuid.UUID]], None]
# A hook over several models at once: {model label: ids applied} of the ones it names.
BatchHook = Callable[[Mapping[str, Set[uuid.UUID]]], None]

_hooks: dict[str, list[ApplyHook]] = {}
_batch_hooks: list[tuple[frozenset[str], BatchHook]] = []


def after_apply_register(model_label: str, hook: ApplyHook) -> None:
    """Call `hook(ids)` after rows of `model_label` ("people.person") arrive from another site.
    Registering the same hook twice (a second `ready()` in tests) keeps one."""
    hooks = _hooks.setdefault(model_label.lower(), [])
    if hook not in hooks:
        hooks.append(hook)


def after_apply_register_together(model_labels: Iterable[str], hook: BatchHook) -> None:
    """Call `hook({label: ids})` once per batch for the rows of any of these models that
    arrived: what several models derive together (a person's state from persons and their
    status events) is rebuilt once, not once per model."""
    labels = frozenset(label.lower() for label in model_labels)
    if not any(known == hook for _, known in _batch_hooks):
        _batch_hooks.append((labels, hook))


def after_apply_hooks(model_label: str) -> tuple[ApplyHook, ...]:
    return tuple(_hooks.get(model_label.lower(), ()))


def after_apply_run(applied: Mapping[str, Set[uuid.UUID]]) -> None:
    """Run every hook for the rows just applied, model by model in the order given; a hook
    over several models runs once, where the first of its models comes."""
    done: set[int] = set()
    for label, ids in applied.items():
        if not ids:
            continue
        for hook in after_apply_hooks(label):
            hook(ids)
        for index, (labels, batch_hook) in enumerate(_batch_hooks):
            if label in labels and index not in done:
                done.add(index)
                batch_hook({name: applied[name] for name in labels if applied.get(name)})
